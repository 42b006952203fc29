"""The `pvm compare` document: the drivers' raw results turned into the seed's table as data.

What belongs here: speed-up and parallel efficiency per model and worker count, the
memory-space, overhead, concurrency and communication rows for each interpreter, and
the document's layout (the schema in docs/compare.schema.json).  What does not: running
anything (pvm.compare.runner), the verdict's rules (pvm.compare.verdict), drawing.
"""

from __future__ import annotations

from typing import Any

from pvm.compare import verdict

FORMAT, VERSION = "pvm-compare", 1

# Each model: its driver mode, the family it belongs to (memory shared or not) and label.
FAMILY = {
    "threads": "threads",
    "thread-pool": "threads",
    "asyncio": "threads",
    "processes": "processes",
    "process-pool": "processes",
}
LABEL = {
    "threads": "threads",
    "thread-pool": "ThreadPoolExecutor",
    "asyncio": "asyncio",
    "processes": "processes",
    "process-pool": "ProcessPoolExecutor",
}


def model_label(mode: str, start_method: str | None) -> str:
    """Return how tables name a model: ``threads``, ``processes (fork)``."""
    return LABEL[mode] + (f" ({start_method})" if start_method else "")


def _model(key: str, raw: dict[str, Any] | None, sequential: float | None) -> dict[str, Any]:
    mode, _, method = key.partition("/")
    entry: dict[str, Any] = {
        "model": mode,
        "family": FAMILY[mode],
        "start_method": method or None,
        "label": model_label(mode, method or None),
        "status": "ok",
        "reason": None,
        "runs": [],
        "probe_visible": None,
        "startup_s": None,
        "per_task_s": None,
        "baseline_s": None,
    }
    if raw is None:
        entry.update(status="not run", reason="not measured")
        return entry
    if raw.get("skipped"):
        entry.update(status="skipped", reason=raw["skipped"])
        return entry
    # The sequential run timed in the same child, round by round with this model's runs,
    # when there is one (older documents: the separate sequential step's).
    baseline = raw.get("baseline_s") or sequential
    entry["baseline_s"] = raw.get("baseline_s")
    for run in raw.get("runs", []):
        seconds, n = run["seconds"], run["workers"]
        speedup = baseline / seconds if baseline and seconds > 0 else None
        entry["runs"].append(
            {
                "workers": n,
                "seconds": seconds,
                "speedup": speedup,
                "efficiency": speedup / n if speedup is not None else None,
                "rss_kib": run.get("rss_kib", []),
            }
        )
    entry["probe_visible"] = raw.get("probe_visible")
    entry["startup_s"] = raw.get("startup_s")
    entry["per_task_s"] = raw.get("per_task_s")
    return entry


def model_keys(start_methods: list[str]) -> list[str]:
    """Return the result keys of the models, in the tables' order."""
    keys = ["threads", *(f"processes/{m}" for m in start_methods), "thread-pool"]
    if start_methods:
        keys.append(f"process-pool/{start_methods[0]}")
    return [*keys, "asyncio"]


def interpreter_entry(name: str, raw: dict[str, Any], start_methods: list[str]) -> dict[str, Any]:
    """Return one interpreter's part of the document from its steps' results."""
    check = raw.get("check", {}).get("check", {})
    seq_runs = raw.get("sequential", {}).get("runs", [])
    sequential = seq_runs[0]["seconds"] if seq_runs else None
    models = [_model(k, raw.get(k), sequential) for k in model_keys(start_methods)]
    gil = None
    traced = [raw.get(k, {}).get("gil") for k in ("gil:threads", "gil:processes/fork")]
    if any(traced):
        gil = {
            "threads": (traced[0] or {}).get("threads", []),
            "processes": (traced[1] or {}).get("processes"),
        }
    entry = {
        "name": name,
        "check": {
            "qualname": check.get("qualname"),
            "coroutine": bool(check.get("coroutine")),
            "picklable": bool(check.get("picklable", True)),
            "not_picklable": check.get("not_picklable"),
        },
        "sequential_s": sequential,
        "sequential_rss_kib": (seq_runs[0].get("rss_kib") or [None])[0] if seq_runs else None,
        "models": models,
        "communication": raw.get("comms", {}).get("communication", []),
        "gil": gil,
    }
    entry["verdict"] = verdict.decide(entry)
    return entry


def build(
    target: dict[str, Any],
    workers: list[int],
    start_methods: list[str],
    results: dict[str, dict[str, Any]],
    machine: dict[str, Any],
) -> dict[str, Any]:
    """Return the whole document: target, machine, each interpreter's rows, the verdict."""
    interpreters = [interpreter_entry(n, raw, start_methods) for n, raw in results.items()]
    return {
        "format": FORMAT,
        "version": VERSION,
        "target": target,
        "machine": machine,
        "workers": workers,
        "start_methods": start_methods,
        "interpreters": interpreters,
        "verdict": verdict.overall(interpreters),
    }
