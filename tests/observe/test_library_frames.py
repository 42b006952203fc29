"""pvm memory --all and pvm gil show the library's frames (threading.py's Thread.run,
Condition.wait) where they are on a thread's stack: the library runs on pvm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import IN_GUEST_WORLD, PYTHON, run
from memory_helpers import pvm_memory

pytestmark = pytest.mark.skipif(
    not IN_GUEST_WORLD, reason="--native-stdlib: the library runs natively, without frames"
)

PROGRAM = """\
import threading
import time

cond = threading.Condition()
ready = []

def worker():
    with cond:
        cond.wait_for(lambda: ready)

t = threading.Thread(target=worker)
t.start()
while not cond._waiters:  # until the worker waits (CPython's own list of waiters)
    time.sleep(0.01)
time.sleep(0.1)
with cond:
    ready.append(1)
    cond.notify()
t.join()
print("done")
"""
SNAPSHOT_LINE = 16  # `with cond:` in the main thread, while the worker waits


def test_memory_all_shows_the_workers_library_frames(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, PROGRAM, "--all", "--at", f"{SNAPSHOT_LINE}:1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "done\n"
    (snap,) = doc["snapshots"]
    stacks = {t["name"]: t["frames"] for t in snap["threads"]}
    worker = next(frames for name, frames in stacks.items() if name != "MainThread")
    functions = [(f["function"], Path(f["file"]).name, f.get("library", False)) for f in worker]
    # Bottom (oldest) first: threading's bootstrap, Thread.run, the program's worker,
    # then Condition.wait_for and Condition.wait, where the thread waits.
    assert functions[:3] == [
        ("Thread._bootstrap", "threading.py", True),
        ("Thread._bootstrap_inner", "threading.py", True),
        ("Thread.run", "threading.py", True),
    ]
    assert functions[3] == ("worker", "prog.py", False)
    assert functions[-2:] == [
        ("Condition.wait_for", "threading.py", True),
        ("Condition.wait", "threading.py", True),
    ]
    # With --all a library frame's variables are walked: Condition.wait's waiter lock.
    wait = worker[-1]
    assert "waiter" in [v["name"] for v in wait["locals"]]


def test_memory_without_all_still_shows_where_library_frames_are(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, PROGRAM, "--at", f"{SNAPSHOT_LINE}:1")
    assert proc.returncode == 0, proc.stderr
    (snap,) = doc["snapshots"]
    worker = next(t["frames"] for t in snap["threads"] if t["name"] != "MainThread")
    assert [f["function"] for f in worker if f.get("library")][-1] == "Condition.wait"
    assert all(not f["locals"] for f in worker if f.get("library"))


def test_gil_names_the_library_function_that_blocked(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM)
    out = run([PYTHON, "-m", "pvm", "gil", "--json", "gil.json", "prog.py"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "done\n"
    doc = json.loads((tmp_path / "gil.json").read_text())
    blocked = {
        (e["name"], e["detail"], e["where"]) for e in doc["events"] if e["kind"] == "BLOCK_START"
    }
    worker = next(t["name"] for t in doc["threads"] if t["name"] != "MainThread")
    assert (worker, "Lock.acquire", "Condition.wait (threading.py)") in blocked
    assert ("MainThread", "time.sleep", "<module> (prog.py)") in blocked
    # t.join() waits in threading.py's own code, on pvm.
    assert ("MainThread", "Lock.acquire", "Thread._wait_for_tstate_lock (threading.py)") in blocked
    assert "in Condition.wait (threading.py)" in out.stderr
