"""`pvm tasks` end to end: the seed's asyncio example, golden tables, Chrome traces, clean errors."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import PYTHON, run

from pvm.cli_tasks import parse_tasks_args

PVM_TASKS = (PYTHON, "-m", "pvm", "tasks")
PVM_RUN = (PYTHON, "-m", "pvm", "run")
GOLDEN = Path(__file__).resolve().parent / "golden"
# PVM_UPDATE_GOLDEN=1 rewrites the golden files from this run (then read them before committing).
UPDATE = os.environ.get("PVM_UPDATE_GOLDEN") == "1"

# The seed's asyncio example (seed/python-execution-model.md, "Python Alternatives").
SEED_HELLO = """\
import asyncio

async def say_hello():
    print("Hello")
    await asyncio.sleep(1)
    print("World")

asyncio.run(say_hello())
"""

THREE_TASKS = """\
import asyncio

async def worker(name, delay):
    print(f"{name} starts")
    await asyncio.sleep(delay)
    print(f"{name} done after {delay}")
    return name

async def main():
    tasks = [asyncio.create_task(worker(n, d), name=n)
             for n, d in (("alpha", 0.2), ("beta", 0.1), ("gamma", 0.3))]
    results = await asyncio.gather(*tasks)
    print("results:", results)

asyncio.run(main())
"""

# Each way of waiting the table names, with no sleep longer than 0.05 s.
WAITS = """\
import asyncio, socket

async def child():
    await asyncio.sleep(0)
    return 42

async def boom():
    raise ValueError("no")

async def sleeper():
    await asyncio.sleep(10)

async def consumer(q):
    print("got", await q.get())

async def main():
    print(await asyncio.create_task(child(), name="child"))
    try:
        await asyncio.create_task(boom(), name="boom")
    except ValueError as e:
        print("caught", e)
    s = asyncio.create_task(sleeper(), name="sleeper")
    await asyncio.sleep(0.01)
    s.cancel()
    q = asyncio.Queue()
    c = asyncio.create_task(consumer(q), name="consumer")
    await asyncio.sleep(0)
    await q.put("x")
    await c
    a, b = socket.socketpair()
    a.setblocking(False)
    loop = asyncio.get_running_loop()
    loop.call_later(0.02, b.send, b"hi")
    print("read", await loop.sock_recv(a, 10))
    a.close()
    b.close()

asyncio.run(main())
"""


def _program(tmp_path: Path, name: str, source: str) -> str:
    (tmp_path / name).write_text(source, encoding="utf-8")
    return name


def _table(stderr: str) -> list[list[str]]:
    """Return the time-slot table's rows as cells (the markdown layout), header first."""
    lines = stderr.split("Time slots", 1)[1].split("Per-task statistics", 1)[0].splitlines()
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in lines
        if line.startswith("| ")
    ]
    return rows


def _stats(stderr: str) -> dict[str, dict[str, str]]:
    """Return the per-task statistics table as {task: {column: cell}}."""
    lines = stderr.split("Per-task statistics:", 1)[1].splitlines()
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in lines
        if line.startswith("| ")
    ]
    header, body = rows[0], rows[1:]
    return {row[0]: dict(zip(header, row)) for row in body}


def test_seed_example_table_is_what_a_learner_expects(tmp_path: Path) -> None:
    """say_hello runs until its sleep, the loop waits 1 s on that sleep's timer, say_hello runs."""
    prog = _program(tmp_path, "hello.py", SEED_HELLO)
    out = run([*PVM_TASKS, prog], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "Hello\nWorld\n"
    header, *rows = _table(out.stderr)
    assert header[:3] == ["Slice", "At s", "For ms"]
    assert header[3:] == ["Task-1 (say_hello)", "Ended by"]
    cells = [(r[0], r[3], r[4]) for r in rows]
    assert cells == [
        ("S1", "Running", "awaits sleep(1.0)"),
        ("idle", "Waiting: sleep(1.0)", "woken by timer: sleep(1.0)"),
        ("S2", "Running", "returns"),
    ]
    stats = _stats(out.stderr)
    assert list(stats) == ["Task-1"]
    assert stats["Task-1"]["Steps"] == "2"
    assert stats["Task-1"]["Ended"] == "returns"
    # The wait is the sleep: at least its second (a timer never fires early).
    assert float(stats["Task-1"]["Waiting ms"]) >= 1000.0


def test_three_tasks_table_and_statistics(tmp_path: Path) -> None:
    """main gathers three workers; each sleeps, the timers end in delay order, main collects."""
    prog = _program(tmp_path, "three.py", THREE_TASKS)
    out = run([*PVM_TASKS, prog], tmp_path)
    assert out.returncode == 0, out.stderr
    header, *rows = _table(out.stderr)
    names = header[3:-1]
    assert names == ["Task-1 (main)", "alpha (worker)", "beta (worker)", "gamma (worker)"]
    for r in rows:  # one task runs in each slice, none while the loop is idle
        assert r[3:-1].count("Running") == (0 if r[0] == "idle" else 1), r
    order = [(names[r[3:-1].index("Running")] if r[0] != "idle" else "idle", r[-1]) for r in rows]
    assert order == [
        ("Task-1 (main)", "awaits gather(alpha, beta, gamma)"),
        ("alpha (worker)", "awaits sleep(0.2)"),
        ("beta (worker)", "awaits sleep(0.1)"),
        ("gamma (worker)", "awaits sleep(0.3)"),
        ("idle", "woken by timer: sleep(0.1)"),
        ("beta (worker)", "returns"),
        ("idle", "woken by timer: sleep(0.2)"),
        ("alpha (worker)", "returns"),
        ("idle", "woken by timer: sleep(0.3)"),
        ("gamma (worker)", "returns"),
        ("Task-1 (main)", "returns"),
    ]
    # While beta's slice after its timer runs, the others still wait on what they awaited.
    beta_back = rows[5]
    assert beta_back[3:-1] == [
        "Waiting: gather(alpha, beta, gamma)",
        "Waiting: sleep(0.2)",
        "Running",
        "Waiting: sleep(0.3)",
    ]
    # The workers, made in main's first slice, are Ready until their first turn.
    assert rows[1][3:-1] == ["Waiting: gather(alpha, beta, gamma)", "Running", "Ready", "Ready"]
    stats = _stats(out.stderr)
    assert list(stats) == ["Task-1", "alpha", "beta", "gamma"]
    assert {s["Steps"] for s in stats.values()} == {"2"}
    assert {s["Ended"] for s in stats.values()} == {"returns"}
    assert "2 tasks of asyncio itself" in out.stderr


def test_all_tasks_shows_asyncio_run_shutdown_tasks(tmp_path: Path) -> None:
    """--all-tasks adds the two tasks asyncio.run makes to shut the loop down."""
    prog = _program(tmp_path, "hello.py", SEED_HELLO)
    out = run([*PVM_TASKS, "--all-tasks", "--schedule", "deterministic", prog], tmp_path)
    assert out.returncode == 0, out.stderr
    stats = _stats(out.stderr)
    assert [s["Coroutine"] for s in stats.values()] == [
        "say_hello",
        "BaseEventLoop.shutdown_asyncgens",
        "BaseEventLoop.shutdown_default_executor",
    ]
    assert "of asyncio itself" not in out.stderr


def test_waits_are_named(tmp_path: Path) -> None:
    """Awaiting a task, a Queue, a socket; yielding, raising, being cancelled: each in words."""
    prog = _program(tmp_path, "waits.py", WAITS)
    out = run([*PVM_TASKS, "--rows", "all", prog], tmp_path)
    assert out.returncode == 0, out.stderr
    ended = [row[-1] for row in _table(out.stderr)[1:]]
    for words in (
        "awaits task child",
        "yields to the loop",
        "awaits task boom",
        "raises ValueError",
        "awaits sleep(10.0)",
        "cancelled",
        "awaits Queue.get()",
        "awaits task consumer",
        "awaits read on socket",
        "woken by I/O: read on socket (fd",
    ):
        assert any(e.startswith(words) for e in ended), (words, ended)
    stats = _stats(out.stderr)
    assert stats["sleeper"]["Ended"] == "cancelled"
    assert stats["boom"]["Ended"] == "raises ValueError"


@pytest.mark.parametrize("name", ["hello", "three", "waits"])
def test_program_output_is_python3s(tmp_path: Path, name: str) -> None:
    """The program's own stdout and exit status under pvm tasks are python3's."""
    source = {"hello": SEED_HELLO, "three": THREE_TASKS, "waits": WAITS}[name]
    prog = _program(tmp_path, f"{name}.py", source)
    expected = run([PYTHON, prog], tmp_path)
    for schedule in ("os", "deterministic"):
        out = run([*PVM_TASKS, "--schedule", schedule, prog], tmp_path)
        assert (out.stdout, out.returncode) == (expected.stdout, expected.returncode), out.stderr


@pytest.mark.parametrize("name", ["hello", "three"])
def test_golden_deterministic_report(tmp_path: Path, name: str) -> None:
    """Under the deterministic schedule the report is byte for byte the golden file."""
    source = {"hello": SEED_HELLO, "three": THREE_TASKS}[name]
    prog = _program(tmp_path, f"{name}.py", source)
    out = run([*PVM_TASKS, "--schedule", "deterministic", prog], tmp_path)
    assert out.returncode == 0, out.stderr
    golden = GOLDEN / f"tasks_{name}.txt"
    if UPDATE:
        golden.write_text(out.stderr, encoding="utf-8")
    assert out.stderr == golden.read_text(encoding="utf-8")


def test_deterministic_runs_are_identical(tmp_path: Path) -> None:
    """Two runs with another seed give the same report, and no wait was in real time."""
    prog = _program(tmp_path, "three.py", THREE_TASKS)
    first = run([*PVM_TASKS, "--schedule", "deterministic", "--seed", "3", prog], tmp_path)
    second = run([*PVM_TASKS, "--schedule", "deterministic", "--seed", "3", prog], tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr
    assert first.stderr == second.stderr
    assert "not deterministic" not in first.stderr


def test_deterministic_sleeps_take_no_real_time(tmp_path: Path) -> None:
    """A one-hour sleep ends at once on the virtual clock and shows as 3600 s."""
    prog = _program(
        tmp_path,
        "hour.py",
        "import asyncio\nasync def m():\n    await asyncio.sleep(3600)\n    print('up')\n"
        "asyncio.run(m())\n",
    )
    out = run([*PVM_TASKS, "--schedule", "deterministic", prog], tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "up\n"
    rows = _table(out.stderr)[1:]
    assert rows[1][0] == "idle" and rows[1][3] == "Waiting: sleep(3600.0)"
    assert rows[2][1].startswith("3600.")


def test_a_wait_real_events_can_end_is_waited_for_and_said(tmp_path: Path) -> None:
    """With a socket registered the loop waits in real time, and the report says so."""
    prog = _program(tmp_path, "waits.py", WAITS)
    out = run([*PVM_TASKS, "--schedule", "deterministic", prog], tmp_path)
    assert out.returncode == 0, out.stderr
    assert "read b'hi'" in out.stdout
    assert "these times are not deterministic" in out.stderr


# -- the Chrome trace ---------------------------------------------------------------------


def _validate(doc: dict[str, Any]) -> tuple[dict[int, str], dict[int, list[dict]], list[dict]]:
    """Check trace-event JSON as pvm tasks writes it; return track names, slices and flows."""
    assert doc["displayTimeUnit"] == "ms"
    named: dict[int, str] = {}
    slices: dict[int, list[dict]] = {}
    flows: list[dict] = []
    last = None
    for e in doc["traceEvents"]:
        assert e["pid"] == 1 and isinstance(e["tid"], int)
        if e["ph"] == "M":
            assert last is None, "metadata first"
            if e["name"] == "thread_name":
                named[e["tid"]] = e["args"]["name"]
            continue
        assert last is None or e["ts"] >= last, "timed events in order"
        last = e["ts"]
        assert e["tid"] in named, f"track {e['tid']} unnamed"
        if e["ph"] == "X":
            slices.setdefault(e["tid"], []).append(e)
        else:
            assert e["ph"] in ("s", "f"), e
            flows.append(e)
    for tid, own in slices.items():
        for before, after in itertools.pairwise(own):
            assert before["ts"] + before["dur"] <= after["ts"] + 1e-6, f"overlap on {tid}"
    return named, slices, flows


def _inside(slices: list[dict], ts: float, name: str | None = None) -> bool:
    return any(
        s["ts"] < ts < s["ts"] + s["dur"] and (name is None or s["name"] == name) for s in slices
    )


def test_chrome_trace_has_a_track_per_task_and_await_flows(tmp_path: Path) -> None:
    """One named track per task (and the loop's); each await's arrow ends in a Running slice."""
    prog = _program(tmp_path, "three.py", THREE_TASKS)
    trace = tmp_path / "trace.json"
    out = run(
        [*PVM_TASKS, "--schedule", "deterministic", "--chrome-trace", str(trace), prog], tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert "wrote" in out.stderr
    named, slices, flows = _validate(json.loads(trace.read_text()))
    assert named == {
        0: "event loop",
        1: "Task-1 (main)",
        2: "alpha (worker)",
        3: "beta (worker)",
        4: "gamma (worker)",
    }
    for tid in (1, 2, 3, 4):
        assert sum(s["name"] == "Running" for s in slices[tid]) == 2
    by_id: dict[int, dict[str, dict]] = {}
    for f in flows:
        by_id.setdefault(f["id"], {})[f["ph"]] = f
    # Three timers resume three workers; gather's completion resumes main.
    assert len(by_id) == 4
    targets = sorted(pair["f"]["tid"] for pair in by_id.values())
    assert targets == [1, 2, 3, 4]
    for pair in by_id.values():
        start, end = pair["s"], pair["f"]
        assert start["ts"] <= end["ts"]
        assert _inside(slices[end["tid"]], end["ts"], "Running")
        assert _inside(slices[start["tid"]], start["ts"])
    assert {p["f"]["name"] for p in by_id.values()} == {
        "await sleep(0.1)",
        "await sleep(0.2)",
        "await sleep(0.3)",
        "await gather(alpha, beta, gamma)",
    }


def test_chrome_trace_flow_from_awaited_task(tmp_path: Path) -> None:
    """Awaiting a task: the arrow leaves the awaited task's last slice."""
    prog = _program(
        tmp_path,
        "await_task.py",
        "import asyncio\nasync def inner():\n    await asyncio.sleep(0)\n    return 1\n"
        "async def outer():\n    return await asyncio.create_task(inner(), name='inner')\n"
        "print(asyncio.run(outer()))\n",
    )
    trace = tmp_path / "trace.json"
    out = run([*PVM_TASKS, "--chrome-trace", str(trace), prog], tmp_path)
    assert out.returncode == 0, out.stderr
    named, slices, flows = _validate(json.loads(trace.read_text()))
    inner = next(t for t, n in named.items() if n.startswith("inner"))
    outer = next(t for t, n in named.items() if n.startswith("Task-1"))
    starts = [f for f in flows if f["ph"] == "s" and f["name"] == "await task inner"]
    assert len(starts) == 1 and starts[0]["tid"] == inner
    assert _inside(slices[inner], starts[0]["ts"], "Running")
    ends = [f for f in flows if f["ph"] == "f" and f["id"] == starts[0]["id"]]
    assert ends[0]["tid"] == outer


# -- errors and costs --------------------------------------------------------------------


def test_missing_file_is_cpythons_error(tmp_path: Path) -> None:
    out = run([*PVM_TASKS, "nope.py"], tmp_path)
    assert out.returncode == 2
    assert "can't open file" in out.stderr and "nope.py" in out.stderr
    assert "Traceback" not in out.stderr


def test_syntax_error_is_cpythons_error(tmp_path: Path) -> None:
    prog = _program(tmp_path, "bad.py", "def f(:\n")
    expected = run([PYTHON, prog], tmp_path)
    out = run([*PVM_TASKS, prog], tmp_path)
    assert out.returncode == expected.returncode == 1
    assert out.stderr == expected.stderr


def test_native_asyncio_is_refused_by_name(tmp_path: Path) -> None:
    prog = _program(tmp_path, "hello.py", SEED_HELLO)
    for option in (["--native-stdlib"], ["--native", "asyncio"]):
        out = run([*PVM_TASKS, *option, prog], tmp_path)
        assert out.returncode == 2
        assert "cannot be observed" in out.stderr and "natively" in out.stderr
        assert out.stdout == ""


def test_bad_rows_is_a_usage_error(tmp_path: Path) -> None:
    out = run([*PVM_TASKS, "--rows", "0", "x.py"], tmp_path)
    assert out.returncode == 2
    assert "--rows expects a positive number" in out.stderr
    assert "usage: pvm tasks" in out.stderr


def test_rows_limit_says_what_it_left_out(tmp_path: Path) -> None:
    prog = _program(tmp_path, "three.py", THREE_TASKS)
    out = run([*PVM_TASKS, "--rows", "2", "--schedule", "deterministic", prog], tmp_path)
    assert len(_table(out.stderr)) == 3  # header and two rows
    assert "... 9 more rows not shown" in out.stderr


def test_pvm_run_installs_nothing(tmp_path: Path) -> None:
    """Under pvm run the pure-Python Task.__step is the library's own; under pvm tasks, wrapped.

    (pvm run's asyncio.Task is pvm's native _asyncio.Task; pvm tasks withdraws it.)
    """
    prog = _program(
        tmp_path,
        "which.py",
        "import asyncio.tasks as t\n"
        "step = t._PyTask.__dict__['_Task__step']\n"
        "print(getattr(getattr(step, '__code__', None), 'co_filename', '').endswith("
        "'asyncio/tasks.py'))\n",
    )
    assert run([*PVM_RUN, prog], tmp_path).stdout == "True\n"
    assert run([*PVM_TASKS, prog], tmp_path).stdout == "False\n"


def test_parse_tasks_args_splits_own_and_run_options() -> None:
    request = parse_tasks_args(
        ["--rows", "all", "--schedule", "deterministic", "--all-tasks", "prog.py", "--rows", "3"]
    )
    assert request.rows is None and request.all_tasks
    assert request.run_args == ["--schedule", "deterministic", "prog.py", "--rows", "3"]


# -- suspended coroutines for pvm memory -----------------------------------------------------

# Takes pvm.observe.tasks.suspended_coroutines() as roots of pvm memory's census, as the
# change proposed for pvm.observe.memory.Snapshotter.census does (docs/tasks.md).
MEMORY_WITH_TASK_ROOTS = """\
import sys
from pvm.observe import heap, memory, tasks

census = memory.Snapshotter.census

def with_task_roots(self, current=None):
    walk = heap.Walker.walk
    first = [True]

    def walk_once_rooted(w):
        if first[0]:
            first[0] = False
            for label, coro in tasks.suspended_coroutines():
                w.ref(coro, label)
        return walk(w)

    heap.Walker.walk = walk_once_rooted
    try:
        return census(self, current)
    finally:
        heap.Walker.walk = walk

memory.Snapshotter.census = with_task_roots
from pvm import cli
sys.exit(cli.main(["memory", *sys.argv[1:]]))
"""


def test_suspended_task_coroutines_are_roots_for_pvm_memory(tmp_path: Path) -> None:
    """While alpha runs its second slice, gamma and main are suspended: their frames show."""
    prog = _program(tmp_path, "three.py", THREE_TASKS)
    driver = _program(tmp_path, "driver.py", MEMORY_WITH_TASK_ROOTS)
    # Line 6 the second time: alpha, back from its sleep (beta came back first).
    out = run([PYTHON, driver, prog, "--at", "6:2", "--format", "json", "-o", "m.json"], tmp_path)
    assert out.returncode == 0, out.stderr
    snap = json.loads((tmp_path / "m.json").read_text())["snapshots"][0]
    gens = {(g["function"], g["state"], g.get("line")) for g in snap["generators"]}
    assert gens == {("worker", "suspended", 5), ("main", "suspended", 12)}
    referrers = {r for o in snap["heap"]["objects"] for r in o["referrers"]}
    assert {"task gamma (suspended)", "task Task-1 (suspended)"} <= referrers
    # Plain pvm memory takes the same roots itself (docs/tasks.md).
    out = run([*PVM_RUN[:-1], "memory", prog, "--at", "6:2", "--format", "json", "-o", "p.json"],
              tmp_path)  # fmt: skip
    assert out.returncode == 0, out.stderr
    plain = json.loads((tmp_path / "p.json").read_text())["snapshots"][0]
    assert {(g["function"], g["state"], g.get("line")) for g in plain["generators"]} == gens
