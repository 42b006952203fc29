"""The traceback printer, fed synthetic guest frames built from real host tracebacks."""

from __future__ import annotations

import sys
import traceback as host_traceback

import pytest

from pvm.bytecode.code import Position
from pvm.runtime import traceback as pvm_traceback


class FakeCode:
    """Just the CodeObject fields the printer reads."""

    def __init__(self, host_code):
        self.co_filename = host_code.co_filename
        self.co_name = host_code.co_name
        self.co_linetable = tuple(Position(*p) for p in host_code.co_positions())

    def co_positions(self):
        return iter(self.co_linetable)


class FakeFrame:
    """Just the Frame fields the printer reads."""

    def __init__(self, host_frame):
        self.f_code = FakeCode(host_frame.f_code)
        self.f_back = None
        self.f_globals = host_frame.f_globals
        self.f_lineno = host_frame.f_lineno


def guestify(exc: BaseException, seen=None) -> BaseException:
    """Move exc's host traceback (this file's frames only) into a synthetic __pvm_tb__."""
    seen = set() if seen is None else seen
    if exc is None or id(exc) in seen:
        return exc
    seen.add(id(exc))
    entries = []
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == __file__ and tb.tb_frame.f_code.co_name != "run":
            entries.append((FakeFrame(tb.tb_frame), tb.tb_lasti // 2))
        tb = tb.tb_next
    exc.__pvm_tb__ = list(reversed(entries))
    guestify(exc.__cause__, seen)
    guestify(exc.__context__, seen)
    if isinstance(exc, BaseExceptionGroup):
        for e in exc.exceptions:
            guestify(e, seen)
    return exc


def strip_tb(exc, seen=None):
    seen = set() if seen is None else seen
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    exc.__traceback__ = None
    strip_tb(exc.__cause__, seen)
    strip_tb(exc.__context__, seen)
    if isinstance(exc, BaseExceptionGroup):
        for e in exc.exceptions:
            strip_tb(e, seen)


def run(fn):
    try:
        fn()
    except BaseException as e:  # noqa: BLE001
        return e
    raise AssertionError("no exception")


def expected_text(exc: BaseException) -> str:
    """What the host prints, minus the test harness's own `run` frame."""
    lines = host_traceback.format_exception(exc)
    text = "".join(lines)
    return "".join(
        chunk
        for chunk in text.splitlines(keepends=True)
        if "in run\n" not in chunk and "    fn()\n" not in chunk and "^^^^\n" != chunk.strip(" |")
    )


def case_binop():
    x = 1
    y = 0
    return x / y


def case_subscript():
    d = {"a": {}}
    return d["a"]["missing"]


def helper(n):
    return [1, 2][n]


def case_call():
    value = helper(5)
    return value


def case_chain():
    try:
        case_binop()
    except ZeroDivisionError as e:
        raise KeyError("k") from e


def case_context():
    try:
        case_binop()
    except ZeroDivisionError:
        {}["x"]


def case_group():
    raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])


def case_notes():
    e = ValueError("x")
    e.add_note("a note")
    raise e


def recurse(n):
    return recurse(n + 1)


def case_recursion():
    recurse(0)


@pytest.mark.parametrize(
    "fn",
    [case_binop, case_subscript, case_call, case_chain, case_context, case_group, case_notes],
)
def test_matches_host_printer(fn):
    exc = run(fn)
    want = expected_text(exc)
    guestify(exc)
    strip_tb(exc)
    got = pvm_traceback.format_exception(exc)
    assert got == want


def test_recursion_folds_and_limits():
    old = sys.getrecursionlimit()
    exc = run(case_recursion)
    guestify(exc)
    strip_tb(exc)
    # Pad to more than the C printer's 1000 entries: the oldest are dropped.
    exc.__pvm_tb__ = [exc.__pvm_tb__[0]] * 1500 + [exc.__pvm_tb__[-1]]
    got = pvm_traceback.format_exception(exc)
    assert sys.getrecursionlimit() == old
    assert got.startswith("Traceback (most recent call last):\n")
    assert "in case_recursion" not in got
    assert got.count("in recurse\n") == 3
    assert "  [Previous line repeated 997 more times]\n" in got
    assert got.endswith("RecursionError: maximum recursion depth exceeded\n")


def test_syntax_error_layout():
    exc = SyntaxError("'(' was never closed", ("/tmp/x.py", 1, 5, "x = (\n", 1, 6))
    assert pvm_traceback.format_exception(exc) == (
        "  File \"/tmp/x.py\", line 1\n    x = (\n        ^\nSyntaxError: '(' was never closed\n"
    )


def test_no_frames_no_header():
    assert pvm_traceback.format_exception(ValueError("v")) == "ValueError: v\n"


def test_guest_traceback_chain():
    exc = run(case_call)
    guestify(exc)
    strip_tb(exc)
    tb = pvm_traceback.guest_traceback(exc)
    import types

    assert isinstance(tb, types.TracebackType)
    names = []
    while tb is not None:
        names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
        last = tb
        tb = tb.tb_next
    assert [n for n, _ in names] == ["case_call", "helper"]
    assert names[-1][1] == helper.__code__.co_firstlineno + 1
    assert host_traceback.extract_tb(last)[0].name == "helper"


def test_guest_traceback_tb_next_rules():
    exc = run(case_call)
    guestify(exc)
    strip_tb(exc)
    tb = pvm_traceback.guest_traceback(exc)
    with pytest.raises(TypeError, match="can't delete tb_next attribute"):
        del tb.tb_next
    with pytest.raises(TypeError, match="expected traceback object, got 'str'"):
        tb.tb_next = "asdf"
    with pytest.raises(ValueError, match="traceback loop detected"):
        tb.tb_next.tb_next = tb
    tb.tb_next = None
    assert tb.tb_next is None
