"""The `pvm tasks` Chrome trace: a track per asyncio task, the loop's own track, awaits as flow arrows."""

from __future__ import annotations

from typing import Any

from pvm.observe.tasks import TaskTimeline

TRACE_PID = 1
LOOP_TID = 0  # the loop's own track: its idle waits, and where timers and I/O wake tasks


def _us(timeline: TaskTimeline, t: int) -> float:
    return round((t - timeline.start) / 1000, 3)


def chrome_trace(timeline: TaskTimeline) -> dict[str, Any]:
    """Return a Chrome trace-event document: a track per task, awaits as flow arrows.

    Each task's track holds its slices (Running) and the spans between them (Ready,
    Waiting: ...); the event loop's own track holds its idle waits.  Each resumption
    after an await is the end of a flow arrow (events "s"/"f" with one id) that starts
    where the awaited thing was done: in the slice of the task that completed it, or on
    the loop's track for a timer, I/O or another thread.
    """
    meta = [
        _meta("process_name", LOOP_TID, {"name": "asyncio event loop (pvm tasks)"}),
        _meta("thread_name", LOOP_TID, {"name": "event loop"}),
        _meta("thread_sort_index", LOOP_TID, {"sort_index": 0}),
    ]
    for info in timeline.tasks.values():
        meta.append(_meta("thread_name", info.number, {"name": info.title}))
        meta.append(_meta("thread_sort_index", info.number, {"sort_index": info.number}))
    timed: list[dict[str, Any]] = []

    def span(tid: int, name: str, cat: str, t0: int, t1: int, args: dict) -> None:
        timed.append({
            "name": name, "cat": cat, "ph": "X", "ts": _us(timeline, t0),
            "dur": round(max(t1 - t0, 0) / 1000, 3), "pid": TRACE_PID, "tid": tid, "args": args,
        })  # fmt: skip

    # Each task's life, span by span: what it did between its slices.
    last: dict[int, tuple[int, str]] = {
        n: (info.created, "Ready") for n, info in timeline.tasks.items()
    }
    readies = {(f.target, f.resumed): f for f in timeline.flows}
    for row in timeline.rows:
        if row.task == 0:
            span(LOOP_TID, "idle", "loop", row.start, row.end, {"ended by": row.ended_by})
            continue
        n = row.task
        since, what = last[n]
        flow = readies.get((n, row.start))
        if flow is not None and what.startswith("Waiting"):
            span(n, what, "wait", since, flow.t, {})
            span(n, "Ready", "ready", flow.t, row.start, {})
        elif row.start > since:
            span(n, what, "wait" if what.startswith("Waiting") else "ready", since, row.start, {})
        span(n, "Running", "run", row.start, row.end, {"ended by": row.ended_by})
        after = ""
        if row.ended_by.startswith("awaits "):
            after = "Waiting: " + row.ended_by[len("awaits ") :]
        elif row.ended_by == "yields to the loop":
            after = "Ready"
        last[n] = (row.end, after)
    for n, (since, what) in last.items():
        if what and timeline.end > since:
            span(
                n, what, "wait" if what.startswith("Waiting") else "ready", since, timeline.end, {}
            )
    for i, flow in enumerate(timeline.flows, 1):
        common = {"name": f"await {flow.what}", "cat": "await", "id": i, "pid": TRACE_PID}
        if flow.source == LOOP_TID:
            # A point on the loop's track for the arrow to leave from.
            span(LOOP_TID, f"done: {flow.what}", "wake", flow.t, flow.t + 2, {})
        # 1 ns inside the slices at each end, so that the arrow binds to them and not to
        # the span that ends where they begin, whatever the viewer's order of equal times.
        timed.append({**common, "ph": "s", "tid": flow.source, "ts": _us(timeline, flow.t + 1)})
        timed.append(
            {**common, "ph": "f", "bp": "e", "tid": flow.target,
             "ts": _us(timeline, flow.resumed + 1)}
        )  # fmt: skip
    order = {"X": 0, "s": 1, "f": 2}
    timed.sort(key=lambda e: (e["ts"], order[e["ph"]], e["tid"]))
    return {"traceEvents": meta + timed, "displayTimeUnit": "ms"}


def _meta(kind: str, tid: int, args: dict[str, Any]) -> dict[str, Any]:
    return {"name": kind, "ph": "M", "pid": TRACE_PID, "tid": tid, "args": args}
