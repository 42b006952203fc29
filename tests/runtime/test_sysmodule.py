"""The guest's sys view: forwarding to the host sys, and pvm's own state where it differs."""

from __future__ import annotations

import io
import sys

import pytest

from pvm.runtime import sysmodule
from pvm.vm import threadstate

try:
    from pvm.vm.interpreter import get_vm
except ImportError:  # the interpreter is still being written
    get_vm = None


class FakeCode:
    co_filename = "/tmp/prog.py"
    co_name = "f"
    co_firstlineno = 1


class FakeFrame:
    def __init__(self, back=None):
        self.f_code = FakeCode()
        self.f_globals = {"g": 1}
        self.f_builtins = {}
        self.f_locals = None
        self.f_back = back
        self.f_lasti = 3
        self.f_lineno = 7

    def locals_dict(self):
        return {"x": 1}

    def live_lasti(self):
        return self.f_lasti


@pytest.fixture
def frames():
    ts = threadstate.current()
    saved = ts.frame, ts.depth, ts.handled_exc
    outer = FakeFrame()
    inner = FakeFrame(outer)
    ts.frame, ts.depth = inner, 2
    yield outer, inner
    ts.frame, ts.depth, ts.handled_exc = saved


def test_repr_and_forwarding():
    gs = sysmodule.guest_sys()
    assert repr(gs) == "<module 'sys' (built-in)>"
    assert gs.maxsize == sys.maxsize
    assert gs.modules is sys.modules
    buf = io.StringIO()
    old = sys.stdout
    try:
        gs.stdout = buf
        assert sys.stdout is buf
    finally:
        sys.stdout = old
    with pytest.raises(AttributeError, match="module 'sys' has no attribute 'nope'"):
        _ = gs.nope


def test_getframe(frames):
    outer, _inner = frames
    gs = sysmodule.guest_sys()
    f = gs._getframe()
    assert f.f_back == sysmodule.GuestFrame(outer)
    assert f.f_locals == {"x": 1}
    assert f.f_lineno == 7 and f.f_lasti == 6
    assert gs._getframe(1).f_back is None
    with pytest.raises(ValueError, match="call stack is not deep enough"):
        gs._getframe(2)


def test_exc_info(frames):
    gs = sysmodule.guest_sys()
    assert gs.exc_info() == (None, None, None)
    assert gs.exception() is None
    err = KeyError("k")
    threadstate.current().handled_exc = err
    assert gs.exc_info()[:2] == (KeyError, err)
    assert gs.exception() is err


@pytest.mark.skipif(get_vm is None, reason="interpreter not importable yet")
def test_recursion_limit(frames):
    gs = sysmodule.guest_sys()
    vm = get_vm()
    old = vm.recursion_limit
    try:
        gs.setrecursionlimit(50)
        assert gs.getrecursionlimit() == 50 == vm.recursion_limit
        with pytest.raises(ValueError, match="recursion limit must be greater or equal than 1"):
            gs.setrecursionlimit(0)
        with pytest.raises(TypeError, match="'float' object cannot be interpreted as an integer"):
            gs.setrecursionlimit(1.5)
        with pytest.raises(OverflowError):
            gs.setrecursionlimit(2**40)
        with pytest.raises(
            RecursionError, match="to 3 at the recursion depth 3: the limit is too low"
        ):
            gs.setrecursionlimit(3)
    finally:
        vm.recursion_limit = old


def test_switch_interval():
    gs = sysmodule.guest_sys()
    old = gs.getswitchinterval()
    try:
        gs.setswitchinterval(0.01)
        assert abs(gs.getswitchinterval() - 0.01) < 1e-9
        with pytest.raises(ValueError, match="switch interval must be strictly positive"):
            gs.setswitchinterval(0)
        with pytest.raises(TypeError, match="must be real number, not str"):
            gs.setswitchinterval("x")
    finally:
        gs.setswitchinterval(old)
