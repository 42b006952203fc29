"""multiprocessing's locks (SemLock) release pvm's GIL while they wait, as CPython's C
semaphore code does: a thread blocked on one must not hold the GIL until it is stolen."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import PYTHON, compare, run

PROGRAM = """\
import multiprocessing, threading

lock = multiprocessing.Lock()
sem = multiprocessing.Semaphore(0)
order = []

def waiter():
    with lock:                 # SemLock.__enter__ blocks: the main thread holds it
        order.append("waiter got the lock")
    sem.acquire()              # SemLock.acquire blocks until the main thread releases
    order.append("waiter got the semaphore")

lock.acquire()
t = threading.Thread(target=waiter)
t.start()
total = sum(i * i for i in range(20000))
order.append("main computed")
lock.release()
sem.release()
t.join()
print(total, order[0], sorted(order[1:]))
"""


def test_semlock_waits_as_python3(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM)
    expected = run([PYTHON, "prog.py"], tmp_path)
    actual = run([PYTHON, "-m", "pvm", "run", "prog.py"], tmp_path)
    compare(expected, actual, "prog.py")


def test_pvm_gil_shows_semlock_waits_releasing_the_gil(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM)
    gil = [PYTHON, "-m", "pvm", "gil", "--json", "gil.json", "prog.py"]
    out = run(gil, tmp_path)
    assert out.returncode == 0, out.stderr
    events = json.loads((tmp_path / "gil.json").read_text())["events"]
    waits = {
        e["detail"] for e in events if e["kind"] == "BLOCK_START" and e["name"] != "MainThread"
    }
    assert "SemLock.acquire" in waits, waits
    # Released eagerly, by the waiting thread itself: not stolen from it after the
    # switch interval (a stolen release is reported on the thread's behalf with the
    # native call's name, and the thread would have held the GIL until then).
    releases = [e for e in events if e["kind"] == "RELEASE" and e["detail"] == "SemLock.acquire"]
    assert releases and all(e["reason"] == "BLOCKING" for e in releases)
