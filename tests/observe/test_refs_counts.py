"""Reference counts in pvm memory snapshots and the --refs trace (acceptance 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from memory_helpers import pvm_memory, python3

COUNTS = """\
a = []
b = a
c = [a, a]
del b
def f(x):
    return len(x)
f(a)
print("done")
"""


def count_of_global(snap: dict, name: str) -> int:
    """Return the reference count of the object the global name is bound to."""
    heap = {o["id"]: o for o in snap["heap"]["objects"]}
    for g in snap["data_segment"]["modules"][0]["globals"]:
        if g["name"] == name:
            return heap[g["ref"]]["refcount"]
    raise AssertionError(f"no global {name}")


@pytest.mark.parametrize(
    ("line", "expected"),
    [(2, 1), (3, 2), (4, 4), (5, 3), (6, 4), (8, 3)],
    ids=["a=[]", "b=a", "c=[a,a]", "del b", "argument", "after the call"],
)
def test_counts(tmp_path: Path, line: int, expected: int) -> None:
    proc, doc = pvm_memory(tmp_path, COUNTS, "--at", str(line))
    assert proc.returncode == 0, proc.stderr
    (snap,) = doc["snapshots"]
    assert count_of_global(snap, "a") == expected


def test_referrers_name_the_references(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, COUNTS, "--at", "6")
    assert proc.returncode == 0, proc.stderr
    (snap,) = doc["snapshots"]
    heap = {o["id"]: o for o in snap["heap"]["objects"]}
    a = next(g["ref"] for g in snap["data_segment"]["modules"][0]["globals"] if g["name"] == "a")
    c = next(g["ref"] for g in snap["data_segment"]["modules"][0]["globals"] if g["name"] == "c")
    assert sorted(heap[a]["referrers"]) == sorted(["global a", f"#{c}[0]", f"#{c}[1]", "f().x"])
    assert heap[c]["refs"] == [{"label": "[0]", "to": a}, {"label": "[1]", "to": a}]


REFS = """\
class Noisy:
    def __del__(self):
        print("__del__ runs")
a = []
b = a
del a
del b
n = Noisy()
print("before del n")
del n
print("after del n")
"""


def test_refs_trace_one_two_one_zero(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, REFS, "--refs")
    assert proc.returncode == 0, proc.stderr
    steps = doc["refs"]
    history = []
    freed_at = None
    for step in steps:
        for change in step["changes"]:
            if change["type"] == "list":
                history.append((change["before"], change["after"]))
                if change.get("freed"):
                    freed_at = step["where"]["source"]
    assert history == [(0, 1), (1, 2), (2, 1), (1, 0)]
    assert freed_at == "del b"
    reasons = [
        c["reason"]
        for step in steps
        for change in step["changes"]
        if change["type"] == "list"
        for c in change["changes"]
    ]
    assert reasons == ["assignment", "assignment", "del", "del"]


def test_refs_finalizer_runs_at_del(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, REFS, "--refs")
    assert proc.returncode == 0, proc.stderr
    (step,) = [s for s in doc["refs"] if any("finalizer" in e for e in s["events"])]
    assert step["where"]["source"] == "del n"
    (event,) = step["events"]
    assert event["finalizer"] == "Noisy.__del__" and event["type"] == "Noisy"


@pytest.mark.parametrize("mode", [["--refs"], ["--every-line"], []])
def test_del_output_order_same_as_python3(tmp_path: Path, mode: list[str]) -> None:
    source = REFS + (
        "class Pair:\n"
        "    def __init__(self, name): self.name = name\n"
        "    def __del__(self): print('free', self.name)\n"
        "x = Pair('x'); y = Pair('y'); z = [x, y]\n"
        "del x\n"
        "print('x still held by z')\n"
        "z.pop(0)\n"
        "print('end')\n"
    )
    expected = python3(tmp_path, source)
    proc, _doc = pvm_memory(tmp_path, source, *mode)
    assert (proc.stdout, proc.returncode) == (expected.stdout, expected.returncode)


def test_function_argument_reason(tmp_path: Path) -> None:
    proc, doc = pvm_memory(tmp_path, COUNTS, "--refs")
    assert proc.returncode == 0, proc.stderr
    gained = [
        (c["referrer"], c["reason"])
        for step in doc["refs"]
        for change in step["changes"]
        for c in change["changes"]
        if c["sign"] == "+"
    ]
    assert ("f().x", "call argument") in gained
    lost = [
        (c["referrer"], c["reason"])
        for step in doc["refs"]
        for change in step["changes"]
        for c in change["changes"]
        if c["sign"] == "-"
    ]
    assert ("f().x", "frame exit") in lost
    assert ("global b", "del") in lost


FINALIZERS = """\
class D:
    def __init__(self, name): self.name = name
    def __del__(self): print("del", self.name)
def f():
    local = D("local")
    print("in f")
f()
print("after f")
def g():
    try:
        d = D("in-try")
        raise ValueError("x")
    except ValueError:
        print("caught")
    print("after except")
g()
print("after g")
def h():
    d = D("in-gen")
    yield 1
it = h()
next(it)
del it
print("after gen del")
for i in range(2):
    x = D(f"loop{i}")
x = None
lst = [D("a"), D("b")]
lst.clear()
dd = {"k": D("dict")}
dd["k"] = 1
def ret():
    return D("ret")
ret()
print("end")
"""


@pytest.mark.parametrize(
    "mode", [[], ["--refs"], ["--every-line"], ["--every-instruction", "--max-snapshots", "5"]]
)
def test_finalizers_run_when_python3_runs_them(tmp_path: Path, mode: list[str]) -> None:
    """Frames that return, handled exceptions and dropped generators free their locals at once."""
    expected = python3(tmp_path, FINALIZERS)
    proc, _doc = pvm_memory(tmp_path, FINALIZERS, *mode)
    assert (proc.stdout, proc.returncode) == (expected.stdout, expected.returncode)
