"""pvm.vm.hooks: the eval breaker's request bits, the GIL hooks, handler overrides, loop_runs."""

from __future__ import annotations

import sys
import threading

import pytest

from pvm.compiler import compile_source
from pvm.vm import hooks, interpreter, threadstate
from pvm.vm.decode import INLINE
from pvm.vm.interpreter import run_code

Request = hooks.Request


def _run(source: str, **names: object) -> dict:
    g = {"__name__": "__main__", **names}
    run_code(compile_source(source, "<test>"), g)
    return g


@pytest.fixture
def bits():
    """Leave every request bit and handler as the test found them."""
    requested = {bit: hooks.requested(bit) for bit in Request}
    handlers = [list(h) for h in hooks._handlers]
    yield
    for bit, was in requested.items():
        (hooks.request if was else hooks.clear)(bit)
    for now, before in zip(hooks._handlers, handlers):
        now[:] = before


# -- the eval breaker --------------------------------------------------------------------


def test_the_flag_is_up_while_any_bit_is_set(bits):
    hooks.clear(Request.GIL_DROP_REQUEST)
    hooks.clear(Request.TRACE_SWITCH)
    assert hooks.EVAL_BREAKER[0] == 0
    hooks.request(Request.GIL_DROP_REQUEST)
    hooks.request(Request.TRACE_SWITCH)
    hooks.clear(Request.GIL_DROP_REQUEST)  # one owner done: the other still asks
    assert hooks.EVAL_BREAKER[0] == 1
    assert not hooks.requested(Request.GIL_DROP_REQUEST)
    assert hooks.requested(Request.TRACE_SWITCH)
    hooks.clear(Request.TRACE_SWITCH)
    assert hooks.EVAL_BREAKER[0] == 0


def test_handlers_run_per_set_bit_lowest_first(bits):
    seen = []
    gil_handler = lambda tstate, frame: seen.append("gil")  # noqa: E731
    trace_handler = lambda tstate, frame: seen.append(("trace", frame.f_code.co_name))  # noqa: E731

    def stop(tstate, frame):
        hooks.clear(Request.GIL_DROP_REQUEST)
        hooks.clear(Request.TRACE_SWITCH)

    hooks.add_breaker_handler(Request.TRACE_SWITCH, trace_handler)
    hooks.add_breaker_handler(Request.TRACE_SWITCH, stop)
    hooks.add_breaker_handler(Request.GIL_DROP_REQUEST, gil_handler)
    hooks.request(Request.TRACE_SWITCH)
    hooks.request(Request.GIL_DROP_REQUEST)
    _run("def f():\n    for i in range(3):\n        pass\nf()\n")
    assert seen == ["gil", ("trace", "<module>")]  # at the call f(), then never again
    # A bit that is not set does not run its handlers.
    seen.clear()
    hooks.request(Request.TRACE_SWITCH)
    _run("for i in range(2):\n    pass\n")
    assert seen == [("trace", "<module>")]


def test_the_loop_tests_the_flag_it_binds():
    defaults = interpreter._run.__defaults__
    assert sum(d is hooks.EVAL_BREAKER for d in defaults) == 1
    assert sum(d is hooks.GIL_ON for d in defaults) == 1
    assert interpreter._eval_breaker is hooks.handle_requests


# -- GIL hooks ---------------------------------------------------------------------------


def test_gil_hooks_are_called_by_name_while_on():
    saved = {name: getattr(hooks.gil, name) for name in hooks.GILHooks.__slots__}
    was_on = hooks.GIL_ON[0]
    calls = []

    def native_call(tstate, func, args, kwargs):
        calls.append(("native_call", func.__name__, tuple(args), kwargs))
        return func(*args, **(kwargs or {}))

    def named(name):
        return lambda tstate: calls.append((name,))

    hooks.install_gil(
        native_call=native_call,
        enter=named("enter"),
        leave=named("leave"),
        exit_thread=named("exit_thread"),
        claim=named("claim"),
    )
    try:
        g = _run("x = abs(-3)\ny = divmod(7, b=2) if False else max(1, 2, key=None)\n")
    finally:
        hooks.uninstall_gil()
        hooks.install_gil(**saved)
        hooks.GIL_ON[0] = was_on
    assert (g["x"], g["y"]) == (3, 2)
    assert calls == [
        ("enter",),
        ("native_call", "abs", (-3,), None),
        ("native_call", "max", (1, 2), {"key": None}),
        ("leave",),
    ]


# -- overriding an opcode handler --------------------------------------------------------


def test_override_a_table_handler_and_restore_it():
    stores = []

    def counting_store_global(frame, stack, arg):
        stores.append(arg)
        override.previous(frame, stack, arg)

    override = hooks.override_handler("STORE_GLOBAL", counting_store_global)
    try:
        g = _run("def f():\n    global a\n    a = 1\nf()\n")
    finally:
        override.restore()
    assert g["a"] == 1 and stores == ["a"]
    _run("def f():\n    global a\n    a = 2\nf()\n")
    assert stores == ["a"]  # restored


def test_inline_operations_cannot_be_overridden():
    for name in ("LOAD_FAST", "CALL", "load_fast_load_fast", INLINE[-1]):
        with pytest.raises(ValueError, match="inline"):
            hooks.override_handler(name, lambda frame, stack, arg: None)
    with pytest.raises(ValueError, match="no operation"):
        hooks.override_handler("NOT_AN_OPCODE", lambda frame, stack, arg: None)


# -- where a thread's loop stands --------------------------------------------------------


def _here() -> object:
    return sys._current_frames()[threading.get_ident()]


def test_loop_runs_agrees_with_the_frame_at_a_call():
    seen = {}

    def probe():
        runs = hooks.loop_runs(_here())
        guest = threadstate.current().frame
        seen["runs"] = [(r.frame.f_code.co_name, len(r.saved)) for r in runs]
        inner = runs[0]
        seen["agree"] = (inner.frame is guest, inner.index == guest.f_lasti)
        seen["live"] = hooks.live_index(guest) == guest.f_lasti
        seen["op"] = guest.instrs[inner.index][0]

    _run("def g():\n    probe()\ndef f():\n    g()\nf()\n", probe=probe)
    # One run of the loop (run_code's): the module frame, with f and g pushed in it.
    assert seen["runs"] == [("g", 2)]
    assert seen["agree"] == (True, True)
    assert seen["live"]
    assert INLINE[seen["op"]] == "CALL"


def test_loop_runs_sees_each_nested_run():
    seen = []

    def probe():
        seen.extend(r.frame.f_code.co_name for r in hooks.loop_runs(_here()))

    # sorted() calls the guest key function from host code: a second run of the loop.
    _run("def key(x):\n    probe()\n    return x\nsorted([1], key=key)\n", probe=probe)
    assert seen == ["key", "<module>"]


def test_live_index_of_a_frame_no_loop_runs_is_its_lasti():
    frames = []
    _run("def f():\n    keep()\nf()\n", keep=lambda: frames.append(threadstate.current().frame))
    (frame,) = frames
    assert frame.f_code.co_name == "f"
    assert hooks.live_index(frame) == frame.f_lasti >= 0


def test_the_loop_still_has_the_locals_the_accessors_read():
    # Renaming one of these in _run would make loop_runs() report None silently.
    names = set(interpreter._run.__code__.co_varnames)
    assert {"frame", "pc", "saved"} <= names
