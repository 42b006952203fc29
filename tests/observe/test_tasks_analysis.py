"""pvm.observe.tasks.analyse on hand-made events: slices, cells, statistics and flows."""

from __future__ import annotations

from pvm.observe.render import taskchrome, tasktables
from pvm.observe.tasks import TaskEvent, TaskKind, analyse


def ev(kind: TaskKind, task: int, t: int, text: str = "", detail: str = "", other: int = 0,
       end: int | None = None, library: bool = False) -> TaskEvent:  # fmt: skip
    return TaskEvent(kind, task, t, t if end is None else end, 1, text, detail, other, library)


# main (1) makes worker (2), awaits it; worker sleeps 1000 ns, the loop idles, worker
# returns and so wakes main; asyncio.run's shutdown task (3) runs last.
EVENTS = [
    ev(TaskKind.NEW, 1, 0, "Task-1", "main"),
    ev(TaskKind.RESUME, 1, 10, "Task-1"),
    ev(TaskKind.NEW, 2, 15, "w", "worker", other=1),
    ev(TaskKind.SUSPEND, 1, 20, "Waiting", "task w"),
    ev(TaskKind.RESUME, 2, 30, "w"),
    ev(TaskKind.SUSPEND, 2, 40, "Waiting", "sleep(1e-06)"),
    ev(TaskKind.IDLE, 0, 45, detail="timer: sleep(1e-06)", end=1040),
    ev(TaskKind.READY, 2, 1045, detail="sleep(1e-06)", other=0),
    ev(TaskKind.RESUME, 2, 1050, "w"),
    ev(TaskKind.READY, 1, 1055, detail="task w", other=2),
    ev(TaskKind.SUSPEND, 2, 1060, "Done", "returns"),
    ev(TaskKind.RESUME, 1, 1070, "Task-1"),
    ev(TaskKind.SUSPEND, 1, 1080, "Done", "raises KeyError"),
    ev(TaskKind.NEW, 3, 1090, "Task-3", "BaseEventLoop.shutdown_asyncgens", library=True),
    ev(TaskKind.RESUME, 3, 1100, "Task-3"),
    ev(TaskKind.SUSPEND, 3, 1110, "Done", "returns"),
]


def test_rows_cells_and_what_ended_them() -> None:
    timeline = analyse(EVENTS, virtual=True)
    assert timeline.hidden == 1 and list(timeline.tasks) == [1, 2]
    got = [(r.task, r.start, r.end, r.cells, r.ended_by) for r in timeline.rows]
    assert got == [
        (1, 10, 20, {1: "Running"}, "awaits task w"),
        (2, 30, 40, {1: "Waiting: task w", 2: "Running"}, "awaits sleep(1e-06)"),
        (0, 45, 1040, {1: "Waiting: task w", 2: "Waiting: sleep(1e-06)"}, "timer: sleep(1e-06)"),
        (2, 1050, 1060, {1: "Waiting: task w", 2: "Running"}, "returns"),
        (1, 1070, 1080, {1: "Running", 2: "Done"}, "raises KeyError"),
    ]


def test_statistics_add_up() -> None:
    timeline = analyse(EVENTS, virtual=True)
    main, worker = timeline.tasks[1], timeline.tasks[2]
    assert (main.steps, main.running, main.ready, main.waiting) == (2, 20, 10 + 15, 1035)
    assert (worker.steps, worker.running, worker.ready, worker.waiting) == (2, 20, 15 + 5, 1005)
    assert (main.end, worker.end) == ("raises KeyError", "returns")
    # Every task's life is accounted for: created to its end.
    assert main.running + main.ready + main.waiting == 1080 - 0
    assert worker.running + worker.ready + worker.waiting == 1060 - 15


def test_flows_from_the_loop_and_from_the_awaited_task() -> None:
    flows = analyse(EVENTS, virtual=True).flows
    assert [(f.source, f.t, f.target, f.resumed, f.what) for f in flows] == [
        (0, 1045, 2, 1050, "sleep(1e-06)"),
        (2, 1055, 1, 1070, "task w"),
    ]


def test_all_tasks_keeps_asyncio_own() -> None:
    timeline = analyse(EVENTS, virtual=True, all_tasks=True)
    assert timeline.hidden == 0 and list(timeline.tasks) == [1, 2, 3]
    assert timeline.rows[-1].task == 3


def test_report_and_trace_of_hand_made_events() -> None:
    timeline = analyse(EVENTS, virtual=True)
    info = tasktables.RunInfo("prog.py", "deterministic", seed=0)
    text = tasktables.report_text(timeline, info, None)
    assert "| S1    |" in text and "| idle  |" in text and "woken by timer: sleep(1e-06)" in text
    assert "1 task of asyncio itself" in text
    doc = taskchrome.chrome_trace(timeline)
    names = {e["tid"]: e["args"]["name"] for e in doc["traceEvents"] if e["name"] == "thread_name"}
    assert names == {0: "event loop", 1: "Task-1 (main)", 2: "w (worker)"}
    running = [e for e in doc["traceEvents"] if e["ph"] == "X" and e["name"] == "Running"]
    assert [(e["tid"], e["ts"], e["dur"]) for e in running] == [
        (1, 0.01, 0.01),
        (2, 0.03, 0.01),
        (2, 1.05, 0.01),
        (1, 1.07, 0.01),
    ]
    flow_ends = [(e["tid"], e["id"]) for e in doc["traceEvents"] if e["ph"] == "f"]
    assert flow_ends == [(2, 1), (1, 2)]


def test_no_events_says_so() -> None:
    timeline = analyse([], virtual=False)
    text = tasktables.report_text(timeline, tasktables.RunInfo("p.py", "os"), 10)
    assert text.endswith("The program ran no asyncio task.\n")
