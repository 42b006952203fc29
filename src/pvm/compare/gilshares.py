"""What a `pvm gil --json` record says about the workers: GIL shares per thread, GILs held at once.

What belongs here: reading the pvm-gil document (docs/gil.md, "--json") of a driver run
and reducing it to the numbers the comparison shows.  What does not: recording (that is
`pvm gil` itself) or drawing.
"""

from __future__ import annotations

from typing import Any

WORKER_PREFIX = "worker-"  # the driver names its threads and processes worker-0, worker-1, ...


def thread_shares(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Return each worker thread's share of its life holding, waiting for and releasing the GIL."""
    shares = []
    for t in doc.get("threads", []):
        if not str(t.get("name", "")).startswith(WORKER_PREFIX):
            continue
        total = t["held"] + t["waiting"] + t["blocked"]
        if total <= 0:
            continue
        shares.append(
            {
                "name": t["name"],
                "held": t["held"] / total,
                "waiting": t["waiting"] / total,
                "released": t["blocked"] / total,
                "acquisitions": t["acquisitions"],
                "forced_drops": t["forced_drops"],
            }
        )
    return shares


def held_spans(doc: dict[str, Any]) -> list[tuple[int, int]]:
    """Return one process's GIL holding periods on the machine clock (ns)."""
    events = doc.get("events") or []
    if not events:
        return []
    t0 = events[0]["t"]  # slot times count from the first event (pvm.observe.giltrace)
    return [(t0 + s["start"], t0 + s["end"]) for s in doc.get("slots", []) if s["end"] > s["start"]]


def processes_at_once(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return how many worker processes held their own GIL at once: the most, and the share of 2+.

    The share is of the parallel section: from the first worker's first GIL holding to
    the last worker's last.  The parent (which waits for its workers) is not counted.
    """
    workers = [d for d in docs if str(d.get("name", "")).startswith(WORKER_PREFIX)]
    edges: list[tuple[int, int]] = []
    alive: list[tuple[int, int]] = []
    for doc in workers:
        spans = held_spans(doc)
        for a, b in spans:
            edges += [(a, 1), (b, -1)]
        if spans:
            alive.append((spans[0][0], spans[-1][1]))
    edges.sort()
    most = level = 0
    two_or_more = 0
    last = None
    for t, step in edges:
        if last is not None and level >= 2:
            two_or_more += t - last
        level += step
        most = max(most, level)
        last = t
    section = (max(b for _, b in alive) - min(a for a, _ in alive)) if alive else 0
    return {
        "processes": len(docs),
        "worker_processes": len(workers),
        "max_at_once": most,
        "share_two_or_more": two_or_more / section if section > 0 else 0.0,
    }


def summarise(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the GIL numbers of one driver run recorded by `pvm gil --json`."""
    summary: dict[str, Any] = {"threads": thread_shares(doc)}
    if doc.get("processes"):
        summary["processes"] = processes_at_once([doc, *doc["processes"]])
    return summary
