"""pvm memory with threads (one stack each, a shared heap) and suspended generators (acceptance 4)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import IN_GUEST_WORLD
from memory_helpers import pvm_memory

THREADS = """\
import threading

started = threading.Event()
go = threading.Event()


def worker(n):
    items = [n] * 3
    started.set()
    go.wait()
    return items


def gen():
    x = "paused"
    yield x
    yield 2


t = threading.Thread(target=worker, args=(7,), name="worker-1")
t.start()
started.wait()
g = gen()
first = next(g)
print("snapshot here")
go.set()
t.join()
print(first, next(g))
"""
SNAPSHOT_LINE = 25
# In a guest world (PVM_GUEST_WORLD=1) threading.py runs on pvm, so the worker's stack
# holds its library frames, as python3's does: the thread's bootstrap below the target,
# Event.wait and Condition.wait above it.  Natively they are host code, not on it.
BELOW = ["Thread._bootstrap", "Thread._bootstrap_inner", "Thread.run"] if IN_GUEST_WORLD else []
ABOVE = ["Event.wait", "Condition.wait"] if IN_GUEST_WORLD else []


def test_line_is_the_print(tmp_path: Path) -> None:
    assert THREADS.splitlines()[SNAPSHOT_LINE - 1] == 'print("snapshot here")'


def test_one_stack_per_thread_and_a_suspended_generator(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, THREADS, "--at", str(SNAPSHOT_LINE))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "snapshot here\npaused 2\n"
    (snap,) = doc["snapshots"]
    threads = snap["threads"]
    assert [(t["name"], t["main"]) for t in threads] == [("MainThread", True), ("worker-1", False)]
    heap = {o["id"]: o for o in snap["heap"]["objects"]}
    main, worker = threads
    assert [f["function"] for f in main["frames"]] == ["<module>"]
    assert [f["function"] for f in worker["frames"]] == [*BELOW, "worker", *ABOVE]
    wframe = worker["frames"][len(BELOW)]
    assert wframe["function"] == "worker" and wframe["line"] == 10
    assert [(a["name"], heap[a["ref"]]["value"]) for a in wframe["args"]] == [("n", "7")]
    assert [(a["name"], heap[a["ref"]]["value"]) for a in wframe["locals"]] == [
        ("items", "list len=3")
    ]
    assert snap["heap"]["shared_by_threads"] is True
    (gen,) = snap["generators"]
    assert (gen["function"], gen["state"], gen["line"]) == ("gen", "suspended", 16)
    assert [(x["name"], heap[x["ref"]]["value"]) for x in gen["locals"]] == [("x", "'paused'")]
    g = next(v["ref"] for v in snap["data_segment"]["modules"][0]["globals"] if v["name"] == "g")
    assert heap[g]["type"] == "generator" and gen["id"] == g


def test_text_shows_both_threads_and_the_generator(tmp_path: Path) -> None:
    prog = tmp_path / "prog.py"
    prog.write_text(THREADS)
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "memory", "prog.py", "--at", str(SNAPSHOT_LINE)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Thread MainThread (main)" in out and "Thread worker-1:" in out
    assert f"[{len(BELOW)}] worker(n=#" in out
    assert "Generator and coroutine frames" in out and "suspended" in out
    assert "The heap is shared by all threads" in out


def test_generator_frame_while_running_is_on_the_stack(tmp_path: Path) -> None:
    source = "def gen():\n    x = 1\n    yield x\nfor v in gen():\n    print(v)\n"
    proc, doc = pvm_memory(tmp_path, source, "--at", "2")
    assert proc.returncode == 0, proc.stderr
    (snap,) = doc["snapshots"]
    frames = snap["threads"][0]["frames"]
    assert [f["function"] for f in frames] == ["<module>", "gen"]
    assert frames[1].get("generator") is True
    assert frames[1]["return_address"]["function"] == "<module>"
