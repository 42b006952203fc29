"""The interpreter's APIs for other parts: eval breaker hook, thread states, frames."""

from __future__ import annotations

import threading

from pvm.compiler import compile_source
from pvm.vm import hooks, threadstate
from pvm.vm.interpreter import run_code


def _run(source: str) -> dict:
    g = {"__name__": "__main__"}
    run_code(compile_source(source, "<test>"), g)
    return g


def test_eval_breaker_hook_runs_at_back_edges_and_calls():
    seen = []
    bit = hooks.Request.TRACE_SWITCH  # (no thread traces: tracing's own handler does nothing)

    def hook(tstate, frame):
        seen.append((frame.f_code.co_name, frame.f_lineno))
        hooks.clear(bit)  # done: stop asking

    hooks.add_breaker_handler(bit, hook)
    try:
        hooks.request(bit)
        _run("def f():\n    for i in range(3):\n        pass\nf()\n")
    finally:
        hooks.remove_breaker_handler(bit, hook)
        hooks.clear(bit)
    assert len(seen) == 1
    assert hooks.EVAL_BREAKER[0] == 0


def test_each_thread_has_its_own_frame_stack():
    depths = {}

    def probe(name):
        state = threadstate.current()
        depths[name] = (state.depth, state.frame.f_code.co_name)

    g = {"__name__": "__main__", "probe": probe}
    code = compile_source("def inner(n):\n    probe(n)\ninner(NAME)\n", "<t>")
    threads = []
    for name in ("a", "b"):
        ns = dict(g, NAME=name)
        threads.append(threading.Thread(target=run_code, args=(code, ns)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert depths == {"a": (2, "inner"), "b": (2, "inner")}
    assert threadstate.current().depth == 0


def test_frame_locals_and_lineno():
    frames = []
    g = _run(
        "import sys\n"
        "def f(a, b=2):\n"
        "    c = a + b\n"
        "    def g():\n"
        "        return c\n"
        "    return FRAMES.append(CURRENT())\n"
        "FRAMES = []\n"
        "f(1)\n".replace(
            "CURRENT()", "__import__('pvm.vm.threadstate').vm.threadstate.current().frame"
        )
    )
    frames = g["FRAMES"]
    frame = frames[0]
    assert frame.f_code.co_name == "f"
    assert frame.locals_dict() == {"a": 1, "b": 2, "c": 3, "g": frame.locals_dict()["g"]}
    assert frame.f_lineno == 6


def test_handled_exception_is_visible_to_host_code():
    seen = []
    g = {"__name__": "__main__", "look": lambda: seen.append(threadstate.current().handled_exc)}
    run_code(
        compile_source("try:\n    1/0\nexcept ZeroDivisionError:\n    look()\nlook()\n", "<t>"),
        g,
    )
    assert isinstance(seen[0], ZeroDivisionError) and seen[1] is None
