"""pvm's event layer (pvm.vm.events): semantics, change callbacks, and the real producers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pvm.concurrency import gil
from pvm.vm import decode, events, trace
from pvm.vm.events import Topic

DRIVER = Path(__file__).resolve().parent / "events_driver.py"

THREADS = """\
import threading

def work(n):
    total = 0
    for i in range(n):
        total += i
    return total

threads = [threading.Thread(target=work, args=(2000,), name=f"w{k}") for k in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
"""

STEPS = """\
def f(x):
    y = x + 1
    return y

print(f(1))
"""


def drive(mode: str, source: str, tmp: Path) -> tuple[subprocess.CompletedProcess, dict]:
    """Run events_driver.py MODE on source in a fresh process; return the run and its report."""
    prog = tmp / "prog.py"
    prog.write_text(source)
    out = tmp / "report.json"
    proc = subprocess.run(
        [sys.executable, str(DRIVER), mode, str(out), str(prog)],
        cwd=tmp,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc, json.loads(out.read_text())


@pytest.fixture
def watched() -> Iterator[list]:
    """Watch Topic.TASK (nothing publishes on it): the list of what on_change handed over."""
    seen: list = []
    events.on_change(Topic.TASK, seen.append)
    try:
        yield seen
    finally:
        events._watchers[Topic.TASK].remove(seen.append)
        for sub in events.subscriptions(Topic.TASK):
            sub.close()


# -- the bus -----------------------------------------------------------------------------


def test_publish_reaches_subscribers_in_order_until_they_unsubscribe():
    got: list = []
    first = events.subscribe(Topic.IPC, lambda e: got.append(("first", e)))
    with events.subscribe(Topic.IPC, lambda e: got.append(("second", e))):
        events.publish(Topic.IPC, 1)
    events.publish(Topic.IPC, 2)
    first.close()
    first.close()  # closing twice is harmless
    events.publish(Topic.IPC, 3)
    assert got == [("first", 1), ("second", 1), ("first", 2)]
    assert events.subscriptions(Topic.IPC) == ()


def test_topics_are_separate():
    got: list = []
    with events.subscribe(Topic.IPC, got.append):
        events.publish(Topic.PROCESS, "elsewhere")
    assert got == []


def test_subscription_keeps_its_options():
    with events.subscribe(Topic.IPC, print, opcodes=True) as sub:
        assert events.subscriptions(Topic.IPC) == (sub,)
        assert sub.options == {"opcodes": True} and sub.topic is Topic.IPC


def test_change_callback_gets_the_lone_subscriber_itself_then_a_fan_out(watched):
    a: list = []
    b: list = []
    assert watched == []  # nobody listened when it was registered: not called
    sub_a = events.subscribe(Topic.TASK, a.append)
    assert watched[-1] == a.append  # one subscriber: its own callback, nothing between
    sub_b = events.subscribe(Topic.TASK, b.append)
    fan_out = watched[-1]
    fan_out("x")
    assert a == ["x"] and b == ["x"]
    sub_a.close()
    assert watched[-1] == b.append
    sub_b.close()
    assert watched[-1] is None
    assert len(watched) == 4


def test_change_callback_registered_late_is_told_at_once(watched):
    got: list = []
    with events.subscribe(Topic.TASK, got.append):
        late: list = []
        events.on_change(Topic.TASK, late.append)
        try:
            assert late == [got.append]
        finally:
            events._watchers[Topic.TASK].remove(late.append)


# -- the producers' switches -------------------------------------------------------------


def test_gil_listens_only_while_someone_subscribes():
    g = gil.get_gil()
    assert g.recorder is None and not g.counting
    got: list = []
    with events.subscribe(Topic.GIL, got.append):
        assert g.recorder == got.append and g.counting
    assert g.recorder is None and not g.counting


def test_steps_turn_the_observer_on_with_the_subscribers_options():
    assert trace.OBSERVER[0] is None and not decode.TRACING[0]
    with events.subscribe(Topic.STEP, print, lines=False) as quiet:
        assert trace.OBSERVER[0] == print and not trace.OBSERVE_LINES[0]
        with events.subscribe(Topic.STEP, repr, opcodes=True):
            assert trace.OBSERVE_OPCODES[0] and trace.OBSERVE_LINES[0]
        assert not trace.OBSERVE_OPCODES[0] and not trace.OBSERVE_LINES[0]
        assert quiet.options == {"lines": False}
    assert trace.OBSERVER[0] is None and not decode.TRACING[0]


# -- real events through the bus ---------------------------------------------------------


def test_gil_events_reach_a_subscriber(tmp_path):
    proc, report = drive("gil", THREADS, tmp_path)
    assert proc.stdout == "done\n" and report["status"] == 0
    assert report["recorder_is_subscriber"] and not report["recorder_after"]
    kinds = [kind for kind, _thread, _name in report["events"]]
    for kind in ("thread_start", "acquire", "release", "thread_exit"):
        assert kind in kinds
    names = {name for _kind, _thread, name in report["events"]}
    assert {"MainThread", "w0", "w1"} <= names
    # Deterministic schedule: the same seed delivers the same events.
    assert drive("gil", THREADS, tmp_path)[1]["events"] == report["events"]


def test_no_subscriber_no_gil_events(tmp_path):
    proc, report = drive("gil-closed", THREADS, tmp_path)
    assert proc.stdout == "done\n" and report["status"] == 0
    assert not report["recorder_is_subscriber"] and not report["recorder_after"]
    assert report["events"] == []


def test_steps_reach_a_subscriber(tmp_path):
    proc, report = drive("step", STEPS, tmp_path)
    assert proc.stdout == "2\n"
    steps = report["steps"]
    assert ["call", "<module>", None] in steps and ["call", "f", None] in steps
    lines_in_f = [line for event, name, line in steps if event == "line" and name == "f"]
    assert lines_in_f == [2, 3]
    assert ["return", "f", None] in steps


def test_memory_snapshots_reach_every_subscriber(tmp_path):
    proc, report = drive("memory", STEPS, tmp_path)
    assert report["status"] == 0
    doc = json.loads(proc.stdout[proc.stdout.index("{") :])
    assert len(report["snapshots"]) == 1
    # The command's own subscriber (its report) and the test's got the same snapshot.
    assert report["snapshots"] == doc["snapshots"]
    snap = report["snapshots"][0]
    assert snap["trigger"]["kind"] == "function" and snap["trigger"]["function"] == "f"
    assert [f["function"] for f in snap["threads"][0]["frames"]] == ["<module>", "f"]
