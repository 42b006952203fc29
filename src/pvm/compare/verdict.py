"""The "Use case" row of `pvm compare`: which model won, by how much, and why, from the measurements.

What belongs here: the rules, applied to one interpreter's part of the document
(pvm.compare.document), and the overall verdict over the interpreters.  Pure functions
of recorded numbers, so the tests check them on a recorded document.  What does not:
measuring, or the document's other rows.

The rules, for one interpreter:

    best(F) = the highest speed-up over the sequential run of any model of family F
              (threads: threads, ThreadPoolExecutor, asyncio; processes: processes by
              each start method, ProcessPoolExecutor), at any worker count from 2
    if neither family reaches SPEEDUP_MIN        -> "sequential"
    elif best(processes) >= best(threads) * MARGIN -> "processes"
    else                                           -> "threads" (their overhead is lower)

and the reason says what bound the work: pvm's GIL trace when there is one (the share of
their time the worker threads held, waited for and released the GIL; how many worker
processes held their own GILs at once), else the speed-ups alone.
"""

from __future__ import annotations

from typing import Any

SPEEDUP_MIN = 1.2  # below this, no model made the work meaningfully faster
MARGIN = 1.15  # processes must beat threads by 15% to be worth their overhead
RELEASED_IO = 0.5  # a worker thread that released the GIL this much of its time waited on I/O


def ok_models(entry: dict[str, Any], family: str | None = None) -> list[dict[str, Any]]:
    """Return the models that ran (of one family, if given)."""
    return [
        m
        for m in entry["models"]
        if m["status"] == "ok" and (family is None or m["family"] == family)
    ]


def best(entry: dict[str, Any], family: str) -> dict[str, Any] | None:
    """Return the best speed-up of a family with 2+ workers: {label, model, workers, speedup}, or None.

    One worker is not concurrency: a single worker beating the sequential run is noise.
    """
    found = None
    for m in ok_models(entry, family):
        for run in m["runs"]:
            if run["speedup"] is None or run["workers"] < 2:
                continue
            if found is None or run["speedup"] > found["speedup"]:
                found = {
                    "label": m["label"],
                    "model": m["model"],
                    "workers": run["workers"],
                    "speedup": run["speedup"],
                }
    return found


def gil_means(entry: dict[str, Any]) -> dict[str, float] | None:
    """Return the worker threads' mean GIL shares (held, waiting, released), or None."""
    threads = (entry.get("gil") or {}).get("threads") or []
    if not threads:
        return None
    return {k: sum(t[k] for t in threads) / len(threads) for k in ("held", "waiting", "released")}


def bound(entry: dict[str, Any], threads: dict[str, Any] | None) -> str:
    """Return what limited the work: from the GIL trace if any, else from the threads' speed-up."""
    means = gil_means(entry)
    if means is not None:
        if means["released"] >= RELEASED_IO:
            return "I/O-bound (or native code releasing the GIL)"
        return "CPU-bound (Python code holding the GIL)"
    if threads is not None and threads["speedup"] >= SPEEDUP_MIN:
        return "I/O-bound (or native code releasing the GIL)"
    return "CPU-bound (Python code holding the GIL)"


def _x(value: float) -> str:
    return f"{value:.2f}x"


def gil_reason(entry: dict[str, Any]) -> str:
    """Return what the GIL trace showed, as a clause, or "" without a trace."""
    means = gil_means(entry)
    if means is None:
        return ""
    gil = entry["gil"]
    count = len(gil["threads"])
    if means["released"] >= RELEASED_IO:
        text = (
            f"the {count} worker threads released the GIL for blocking calls "
            f"{means['released']:.0%} of their time"
        )
    else:
        text = (
            f"the {count} worker threads held the GIL {means['held']:.0%} of their time and "
            f"waited for it {means['waiting']:.0%}, one at a time"
        )
    procs = gil.get("processes")
    if procs and procs.get("worker_processes"):
        text += (
            f"; {procs['worker_processes']} worker processes held their own GILs, "
            f"{procs['max_at_once']} at once ({procs['share_two_or_more']:.0%} of the time "
            "two or more)"
        )
    return text


def _startups(entry: dict[str, Any]) -> tuple[float | None, str | None, float | None]:
    thread = next((m["startup_s"] for m in ok_models(entry, "threads") if m["startup_s"]), None)
    procs = [m for m in ok_models(entry, "processes") if m["startup_s"]]
    fastest = min(procs, key=lambda m: m["startup_s"]) if procs else None
    if fastest is None:
        return thread, None, None
    return thread, fastest["start_method"], fastest["startup_s"]


def seconds_text(value: float) -> str:
    """Return a duration with a unit that suits it: 1.24 s, 3.5 ms, 80 us."""
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.0f} us"


def decide(entry: dict[str, Any]) -> dict[str, Any]:
    """Return one interpreter's verdict: model, best, ratio, bound and the reason in words."""
    threads, processes = best(entry, "threads"), best(entry, "processes")
    what = bound(entry, threads)
    trace = gil_reason(entry)
    tail = f"; pvm's GIL trace: {trace}" if trace else ""
    top = max((b for b in (threads, processes) if b), key=lambda b: b["speedup"], default=None)
    if top is None:
        return {
            "model": None,
            "best": None,
            "ratio": None,
            "bound": what,
            "reason": "nothing ran: no model could be measured",
        }
    if top["speedup"] < SPEEDUP_MIN:
        return {
            "model": "sequential",
            "best": top["label"],
            "ratio": top["speedup"],
            "bound": what,
            "reason": (
                f"no model ran {SPEEDUP_MIN}x faster than sequentially (best: {top['label']} "
                f"with {top['workers']} workers, {_x(top['speedup'])}): the work is too small "
                f"for the models' overhead, or serialised{tail}"
            ),
        }
    if processes and (threads is None or processes["speedup"] >= threads["speedup"] * MARGIN):
        ratio = processes["speedup"] / threads["speedup"] if threads else None
        against = (
            f", threads only {_x(threads['speedup'])} (best: {threads['label']} with "
            f"{threads['workers']} workers)"
            if threads
            else ""
        )
        return {
            "model": "processes",
            "best": processes["label"],
            "ratio": ratio,
            "bound": what,
            "reason": (
                f"{what}: {processes['label']} with {processes['workers']} workers ran "
                f"{_x(processes['speedup'])} faster than sequentially{against}{tail}"
            ),
        }
    assert threads is not None
    ratio = threads["speedup"] / processes["speedup"] if processes else None
    if processes is None:
        against = ""
    elif threads["speedup"] >= processes["speedup"]:
        against = f", faster than {processes['label']} ({_x(processes['speedup'])})"
    else:
        short = 1 - threads["speedup"] / processes["speedup"]
        against = f", within {short:.0%} of {processes['label']} ({_x(processes['speedup'])})"
    thread_s, method, process_s = _startups(entry)
    cost = ""
    if thread_s and process_s:
        cost = (
            f", at lower overhead: a thread starts in {seconds_text(thread_s)}, a process "
            f"({method}) in {seconds_text(process_s)}"
        )
    return {
        "model": "threads",
        "best": threads["label"],
        "ratio": ratio,
        "bound": what,
        "reason": (
            f"{what}: {threads['label']} with {threads['workers']} workers ran "
            f"{_x(threads['speedup'])} faster than sequentially{against}{cost}{tail}"
        ),
    }


def label(model: str | None, entries: list[dict[str, Any]]) -> str:
    """Return the verdict's headline: processes, threads / asyncio, sequential."""
    if model == "threads":
        runs_asyncio = any(
            m["model"] == "asyncio" for e in entries for m in ok_models(e, "threads")
        )
        return "threads / asyncio" if runs_asyncio else "threads"
    return model or "undecided"


def overall(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the verdict over every interpreter: agreed, or each one's."""
    models = {e["name"]: e["verdict"]["model"] for e in entries}
    agreed = len(set(models.values())) == 1
    model = next(iter(models.values())) if agreed and models else None
    reasons = [f"{e['name']}: {e['verdict']['reason']}" for e in entries]
    return {
        "model": model,
        "label": label(model, entries) if agreed else "depends on the interpreter",
        "agreed": agreed,
        "per_interpreter": models,
        "reason": " | ".join(reasons),
    }
