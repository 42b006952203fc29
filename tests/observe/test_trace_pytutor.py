"""`pvm trace --format pytutor`: Python Tutor's trace fields, checked on the example programs (acceptance 5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from trace_helpers import EXAMPLES, pvm_trace

PROGRAMS = Path(__file__).resolve().parent / "trace_programs"

STEP_FIELDS = {
    "line": int,
    "event": str,
    "func_name": str,
    "globals": dict,
    "ordered_globals": list,
    "stack_to_render": list,
    "heap": dict,
    "stdout": str,
}
FRAME_FIELDS = {
    "func_name": str,
    "frame_id": int,
    "unique_hash": str,
    "is_highlighted": bool,
    "is_parent": bool,
    "is_zombie": bool,
    "parent_frame_id_list": list,
    "encoded_locals": dict,
    "ordered_varnames": list,
}
EVENTS = {"step_line", "call", "return", "exception", "uncaught_exception"}
HEAP_TAGS = {"LIST", "TUPLE", "SET", "DICT", "INSTANCE", "CLASS", "FUNCTION", "HEAP_PRIMITIVE"}


def _pytutor(tmp: Path, program: Path) -> dict:
    out = tmp / "trace.pytutor.json"
    proc = pvm_trace(tmp, "--format", "pytutor", "-o", str(out), str(program))
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text())


def _refs(value: Any) -> list[int]:
    """Return the heap ids an encoded value refers to."""
    if isinstance(value, list):
        if len(value) == 2 and value[0] == "REF":
            return [value[1]]
        return [r for v in value for r in _refs(v)]
    return []


def _check(doc: dict) -> None:
    assert isinstance(doc["code"], str) and doc["code"]
    trace = doc["trace"]
    assert trace
    stdout = ""
    for step in trace:
        for name, kind in STEP_FIELDS.items():
            assert isinstance(step[name], kind), (name, step)
        assert step["event"] in EVENTS
        assert set(step["ordered_globals"]) == set(step["globals"])
        assert step["stdout"].startswith(stdout)  # output only grows
        stdout = step["stdout"]
        heap = step["heap"]
        for key, value in heap.items():
            assert key.isdigit() and value[0] in HEAP_TAGS, (key, value)
        values = list(step["globals"].values()) + list(heap.values())
        for frame in step["stack_to_render"]:
            for name, kind in FRAME_FIELDS.items():
                assert isinstance(frame[name], kind), (name, frame)
            assert set(frame["ordered_varnames"]) == set(frame["encoded_locals"])
            values += list(frame["encoded_locals"].values())
        for ref in _refs(values):
            assert str(ref) in heap, (ref, step)  # every reference resolves
        if step["stack_to_render"]:
            assert [f["is_highlighted"] for f in step["stack_to_render"]][-1] is True
        # pvm's own facts ride along in extra fields.
        assert "pvm_refcounts" in step and "pvm_gil_holder" in step and "pvm_thread" in step
    assert trace[-1]["event"] in ("return", "uncaught_exception")


@pytest.mark.parametrize(
    "program",
    [
        EXAMPLES / "add_memory.py",
        EXAMPLES / "threading_example.py",
        EXAMPLES / "memory_refs.py",
        PROGRAMS / "generator_closure_gc.py",
    ],
    ids=lambda p: p.stem,
)
def test_fields(tmp_path: Path, program: Path) -> None:
    _check(_pytutor(tmp_path, program))


def test_add_example_values(tmp_path: Path) -> None:
    doc = _pytutor(tmp_path, EXAMPLES / "add_memory.py")
    (step,) = [s for s in doc["trace"] if s["line"] == 8]
    assert step["func_name"] == "add"
    (frame,) = step["stack_to_render"]
    assert frame["encoded_locals"] == {"a": 10, "b": 20, "result": 30}
    assert frame["ordered_varnames"] == ["a", "b", "result"]
    assert step["ordered_globals"] == ["x", "add"]
    ref = step["globals"]["add"]
    assert ref[0] == "REF" and step["heap"][str(ref[1])] == ["FUNCTION", "add(a, b)", None]
    assert step["globals"]["x"] == 10
    assert sorted(step["pvm_refcounts"].values()) == [1, 1, 1, 2]
    calls = [s for s in doc["trace"] if s["event"] == "call"]
    assert [s["func_name"] for s in calls] == ["add"]
    assert doc["trace"][-1]["stdout"] == "30\n"
    assert doc["trace"][-1]["globals"]["y"] == 30


def test_lists_and_aliasing(tmp_path: Path) -> None:
    (tmp_path / "alias.py").write_text("a = [1, 2]\nb = a\nc = (a, 'x')\nd = {'k': a}\nprint(c)\n")
    doc = _pytutor(tmp_path, tmp_path / "alias.py")
    last = doc["trace"][-1]
    g = last["globals"]
    assert g["a"] == g["b"] and g["a"][0] == "REF"  # one object, two names
    heap = last["heap"]
    assert heap[str(g["a"][1])] == ["LIST", 1, 2]
    assert heap[str(g["c"][1])] == ["TUPLE", g["a"], "x"]
    assert heap[str(g["d"][1])] == ["DICT", ["k", g["a"]]]
    assert last["pvm_refcounts"][str(g["a"][1])] == 4  # a, b, c[0], d['k']


def test_uncaught_exception(tmp_path: Path) -> None:
    (tmp_path / "boom.py").write_text("def f(x):\n    return 1 / x\n\nprint('before')\nf(0)\n")
    out = tmp_path / "boom.json"
    proc = pvm_trace(tmp_path, "--format", "pytutor", "-o", str(out), "boom.py")
    assert proc.returncode == 1  # the program's status
    assert "ZeroDivisionError: division by zero" in proc.stderr  # still printed
    doc = json.loads(out.read_text())
    _check(doc)
    last = doc["trace"][-1]
    assert last["event"] == "uncaught_exception"
    assert last["exception_msg"] == "ZeroDivisionError: division by zero"
    assert last["stdout"] == "before\n" and "Traceback" in last["pvm_stderr"]
