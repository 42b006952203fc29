"""The cycle collector under pvm memory: unreachable cycles, the GC report, gc.* values (acceptance 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from memory_helpers import pvm_memory, python3

CYCLE = """\
import gc
a = []
a.append(a)
del a
print("collected", gc.collect())
print("end")
"""

GC_VALUES = """\
import gc
print(gc.collect())
a = []; a.append(a); del a
print(gc.collect())
class Node:
    def __init__(self, name):
        self.name = name
        self.other = None
    def __del__(self):
        print("del", self.name)
x = Node("x"); y = Node("y"); x.other = y; y.other = x
del x, y
print("collect", gc.collect())
print(gc.get_threshold())
def f():
    try:
        1/0
    except ZeroDivisionError as e:
        pass
f()
print(gc.collect())
def g():
    yield 1
for i in g(): pass
print(gc.collect())
d = {}; d["self"] = d; del d
print(gc.collect(0), gc.collect(1), gc.collect(2))
gc.disable(); print(gc.isenabled()); gc.enable()
"""


def test_cycle_unreachable_then_collected(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, CYCLE, "--every-line")
    assert proc.returncode == 0, proc.stderr
    by_line = {s["trigger"]["line"]: s for s in doc["snapshots"]}
    before_del = {o["type"]: o for o in by_line[4]["heap"]["objects"]}["list"]
    assert before_del["reachable"] and before_del["refcount"] == 2
    after_del = [o for o in by_line[5]["heap"]["objects"] if o["type"] == "list"]
    assert after_del == [{**after_del[0], "reachable": False, "refcount": 1}]
    assert after_del[0]["id"] == before_del["id"]
    after_collect = [o for o in by_line[6]["heap"]["objects"] if o["type"] == "list"]
    assert after_collect == []
    (collection,) = [c for c in doc["gc"]["collections"] if c["freed"]]
    assert collection["generation"] == 2
    assert collection["collected"] == 1
    assert collection["where"]["line"] == 5
    assert collection["freed"] == [{"id": before_del["id"], "type": "list", "value": "list len=1"}]


def test_refs_shows_cycle_not_freed_then_freed(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, CYCLE, "--refs")
    assert proc.returncode == 0, proc.stderr
    lists = [
        (step["where"]["source"], change)
        for step in doc["refs"]
        for change in step["changes"]
        if change["type"] == "list"
    ]
    sources = [s for s, _c in lists]
    assert sources == ["a = []", "a.append(a)", "del a", 'print("collected", gc.collect())']
    assert lists[2][1]["after"] == 1 and lists[2][1].get("unreachable")
    assert lists[3][1]["after"] == 0 and lists[3][1].get("freed")


@pytest.mark.parametrize("mode", [[], ["--refs"], ["--every-line"], ["--at", "Node"]])
def test_gc_values_same_as_python3(tmp_path: Path, mode: list[str]) -> None:
    expected = python3(tmp_path, GC_VALUES)
    proc, doc = pvm_memory(tmp_path, GC_VALUES, *mode)
    assert (proc.stdout, proc.returncode) == (expected.stdout, expected.returncode), proc.stderr
    assert doc["gc"]["thresholds"] == [700, 10, 10]


def test_gc_report_names_finalizers(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, GC_VALUES)
    assert proc.returncode == 0, proc.stderr
    (nodes,) = [c for c in doc["gc"]["collections"] if c["finalizers"]]
    assert nodes["generation"] == 2 and nodes["collected"] == 2
    assert [f["finalizer"] for f in nodes["finalizers"]] == ["Node.__del__", "Node.__del__"]
    assert [o["type"] for o in nodes["freed"]] == ["Node", "Node"]
    assert nodes["where"]["line"] == 13


def test_gc_report_in_text(tmp_path: Path) -> None:
    prog = tmp_path / "prog.py"
    prog.write_text(CYCLE)
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "memory", "--refs", "prog.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = proc.stdout.split("end\n", 1)[1]
    assert "Garbage collector" in report and "thresholds 700, 10, 10" in report
    row = next(line for line in report.splitlines() if line.strip().startswith("2 "))
    assert row.split()[:7] == ["2", *row.split()[1:4], "line", "5", "1"]
    assert "list" in row


def test_gc_values_under_pvm_run_same_as_python3(tmp_path: Path) -> None:
    """Freshly compiled (no cache yet) and cached: the compiler's garbage is not the program's."""
    expected = python3(tmp_path, GC_VALUES)
    for _attempt in ("compiled", "cached"):
        proc = subprocess.run(
            [sys.executable, "-m", "pvm", "run", "prog.py"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONHASHSEED="0"),
            timeout=120,
            check=False,
        )
        assert (proc.stdout, proc.returncode) == (expected.stdout, expected.returncode)
