"""Interpreter tests on hand-assembled code: calls, recursion, exceptions, generators, classes."""

from __future__ import annotations

import asyncio
import sys

import pytest

import pvm.runtime  # noqa: F401  (lends the vm its frame views: gi_frame; see pvm.vm.hooks)
from pvm.bytecode.code import CO_COROUTINE, CO_GENERATOR, CO_NEWLOCALS, CO_OPTIMIZED
from pvm.vm import threadstate
from pvm.vm.function import Function
from pvm.vm.generator import Generator
from pvm.vm.interpreter import builtins_for, get_vm, run_code

from .asm import assemble

FN = CO_OPTIMIZED | CO_NEWLOCALS


def _globals(**extra):
    g = {"__name__": "asmtest"}
    g.update(extra)
    return g


def _function(code, g):
    return Function(code, g, builtins_for(g))


RECURSE = assemble(
    [
        ("LOAD_FAST", 0), ("LOAD_CONST", 1), ("COMPARE_OP", 2), ("POP_JUMP_IF_FALSE", 6),
        ("LOAD_CONST", 1), ("RETURN_VALUE", 0),
        ("PUSH_NULL", 0), ("LOAD_GLOBAL", 0), ("LOAD_FAST", 0), ("LOAD_CONST", 2),
        ("BINARY_OP", 10), ("CALL", 1), ("LOAD_CONST", 2), ("BINARY_OP", 0), ("RETURN_VALUE", 0),
    ],
    consts=(None, 0, 1), names=("r",), varnames=("n",), argcount=1, flags=FN, name="r",
)  # fmt: skip


def test_module_level_call_and_print(capsys):
    f = assemble(
        [("LOAD_FAST", 0), ("LOAD_CONST", 1), ("BINARY_OP", 5), ("RETURN_VALUE", 0)],
        consts=(None, 2), varnames=("n",), argcount=1, flags=FN, name="f",
    )  # fmt: skip
    m = assemble(
        [
            ("LOAD_CONST", 1), ("MAKE_FUNCTION", 0), ("STORE_NAME", 0),
            ("PUSH_NULL", 0), ("LOAD_NAME", 1), ("PUSH_NULL", 0), ("LOAD_NAME", 0),
            ("LOAD_CONST", 2), ("CALL", 1), ("CALL", 1), ("POP_TOP", 0),
            ("LOAD_CONST", 0), ("RETURN_VALUE", 0),
        ],
        consts=(None, f, 21), names=("f", "print"),
    )  # fmt: skip
    g = _globals()
    run_code(m, g)
    assert capsys.readouterr().out == "42\n"
    assert repr(g["f"]).startswith("<function f at 0x")
    assert sorted([3, 1, 2], key=g["f"]) == [1, 2, 3]  # called from host code


def test_deep_recursion_without_host_recursion():
    g = _globals()
    g["r"] = _function(RECURSE, g)
    vm = get_vm()
    old = vm.recursion_limit
    host_limit = sys.getrecursionlimit()
    try:
        vm.recursion_limit = 100_000
        sys.setrecursionlimit(2000)  # the host stack must not be what allows depth
        assert g["r"](50_000) == 50_000
    finally:
        vm.recursion_limit = old
        sys.setrecursionlimit(host_limit)
    with pytest.raises(RecursionError, match="^maximum recursion depth exceeded"):
        g["r"](5000)
    assert threadstate.current().depth == 0
    assert threadstate.current().frame is None


TRY = assemble(
    [
        ("NOP", 0), ("LOAD_CONST", 1), ("LOAD_FAST", 0), ("BINARY_OP", 2), ("RETURN_VALUE", 0),
        ("PUSH_EXC_INFO", 0), ("LOAD_GLOBAL", 0), ("CHECK_EXC_MATCH", 0),
        ("POP_JUMP_IF_FALSE", 15), ("STORE_FAST", 1), ("POP_EXCEPT", 0),
        ("LOAD_CONST", 2), ("RETURN_VALUE", 0), ("NOP", 0), ("NOP", 0),
        ("RERAISE", 0), ("COPY", 3), ("POP_EXCEPT", 0), ("RERAISE", 1),
    ],
    consts=(None, 1, "caught"), names=("ZeroDivisionError",), varnames=("x", "e"),
    argcount=1, flags=FN, name="f",
    handlers=[(0, 5, 5, 0, False), (5, 16, 16, 1, True)],
)  # fmt: skip


def test_exception_table_handler_and_cleanup():
    g = _globals()
    f = _function(TRY, g)
    assert f(0) == "caught"
    assert threadstate.current().handled_exc is None
    with pytest.raises(TypeError) as info:
        f("a")
    # One traceback entry: where it was raised; RERAISE added nothing.
    assert [(fr.f_code.co_name, i) for fr, i in info.value.__pvm_tb__] == [("f", 3)]
    assert threadstate.current().handled_exc is None


# raise ValueError inside an except block: the new exception's context is the handled one
CHAIN = assemble(
    [
        ("LOAD_CONST", 1), ("LOAD_CONST", 2), ("BINARY_OP", 11), ("RETURN_VALUE", 0),
        ("PUSH_EXC_INFO", 0), ("LOAD_GLOBAL", 0), ("RAISE_VARARGS", 1),
        ("COPY", 3), ("POP_EXCEPT", 0), ("RERAISE", 1),
    ],
    consts=(None, 1, 0), names=("ValueError",), flags=FN, name="g",
    handlers=[(0, 4, 4, 0, False), (4, 7, 7, 1, True)],
)  # fmt: skip


def test_context_chaining():
    g = _globals()
    with pytest.raises(ValueError) as info:
        _function(CHAIN, g)()
    assert isinstance(info.value.__context__, ZeroDivisionError)
    assert info.value.__cause__ is None
    assert threadstate.current().handled_exc is None


GEN = assemble(
    [
        ("LOAD_CONST", 1), ("STORE_FAST", 1), ("LOAD_FAST", 1), ("LOAD_FAST", 0),
        ("COMPARE_OP", 0), ("POP_JUMP_IF_FALSE", 14), ("LOAD_FAST", 1), ("YIELD_VALUE", 0),
        ("POP_TOP", 0), ("LOAD_FAST", 1), ("LOAD_CONST", 2), ("BINARY_OP", 13),
        ("STORE_FAST", 1), ("JUMP_BACKWARD", 2), ("LOAD_CONST", 3), ("RETURN_VALUE", 0),
    ],
    consts=(None, 0, 1, "done"), varnames=("n", "i"), argcount=1,
    flags=FN | CO_GENERATOR, name="gen",
)  # fmt: skip


def test_generator_protocol():
    g = _globals()
    gen = _function(GEN, g)
    assert list(gen(5)) == [0, 1, 2, 3, 4]
    it = gen(2)
    assert isinstance(it, Generator)
    import collections.abc

    assert isinstance(it, collections.abc.Generator)
    assert it.gi_frame is not None and not it.gi_running
    assert next(it) == 0
    with pytest.raises(TypeError, match="can't send non-None value to a just-started generator"):
        gen(1).send(1)
    assert it.send("x") == 1
    with pytest.raises(StopIteration) as info:
        next(it)
    assert info.value.value == "done"
    assert it.gi_frame is None
    with pytest.raises(StopIteration):
        next(it)
    it = gen(3)
    next(it)
    with pytest.raises(KeyError):
        it.throw(KeyError("k"))
    with pytest.raises(StopIteration):
        next(it)
    it = gen(3)
    next(it)
    it.close()
    assert it.gi_frame is None


def _class_body(name, methods, cell=False):
    instrs = [
        ("LOAD_NAME", 0), ("STORE_NAME", 1), ("LOAD_CONST", 1), ("STORE_NAME", 2),
    ]  # fmt: skip
    consts = [None, name]
    names = ["__name__", "__module__", "__qualname__"]
    for mname, mcode in methods:
        consts.append(mcode)
        names.append(mname)
        if cell:
            instrs += [("LOAD_CLOSURE", 0), ("BUILD_TUPLE", 1)]
        instrs += [("LOAD_CONST", len(consts) - 1), ("MAKE_FUNCTION", 8 if cell else 0)]
        instrs += [("STORE_NAME", len(names) - 1)]
    if cell:
        names.append("__classcell__")
        instrs += [("LOAD_CLOSURE", 0), ("COPY", 1), ("STORE_NAME", len(names) - 1)]
        instrs += [("RETURN_VALUE", 0)]
    else:
        instrs += [("LOAD_CONST", 0), ("RETURN_VALUE", 0)]
    return assemble(
        instrs, consts=consts, names=names, cellvars=("__class__",) if cell else (),
        name=name,
    )  # fmt: skip


def test_classes_and_zero_argument_super():
    ma = assemble(
        [("LOAD_CONST", 1), ("RETURN_VALUE", 0)],
        consts=(None, "A"), varnames=("self",), argcount=1, flags=FN, name="m", qualname="A.m",
    )  # fmt: skip
    mb = assemble(
        [
            ("LOAD_CONST", 1), ("PUSH_NULL", 0), ("LOAD_GLOBAL", 0), ("CALL", 0),
            ("LOAD_METHOD", 1), ("CALL", 0), ("BINARY_OP", 0), ("RETURN_VALUE", 0),
        ],
        consts=(None, "B"), names=("super", "m"), varnames=("self",), freevars=("__class__",),
        argcount=1, flags=FN, name="m", qualname="B.m",
    )  # fmt: skip
    module = assemble(
        [
            ("PUSH_NULL", 0), ("LOAD_BUILD_CLASS", 0), ("LOAD_CONST", 1), ("MAKE_FUNCTION", 0),
            ("LOAD_CONST", 2), ("CALL", 2), ("STORE_NAME", 0),
            ("PUSH_NULL", 0), ("LOAD_BUILD_CLASS", 0), ("LOAD_CONST", 3), ("MAKE_FUNCTION", 0),
            ("LOAD_CONST", 4), ("LOAD_NAME", 0), ("CALL", 3), ("STORE_NAME", 1),
            ("LOAD_CONST", 0), ("RETURN_VALUE", 0),
        ],
        consts=(None, _class_body("A", [("m", ma)]), "A",
                _class_body("B", [("m", mb)], cell=True), "B"),
        names=("A", "B"),
    )  # fmt: skip
    g = _globals()
    run_code(module, g)
    A, B = g["A"], g["B"]
    assert isinstance(B, type) and B.__mro__ == (B, A, object)
    assert B.__module__ == "asmtest" and B.__qualname__ == "B"
    assert B().m() == "BA"
    assert "__classcell__" not in B.__dict__


CORO = assemble(
    [
        ("LOAD_GLOBAL", 0), ("LOAD_METHOD", 1), ("LOAD_CONST", 1), ("CALL", 1),
        ("GET_AWAITABLE", 0), ("LOAD_CONST", 0), ("SEND", 10), ("YIELD_VALUE", 1),
        ("JUMP_BACKWARD_NO_INTERRUPT", 6), ("NOP", 0), ("POP_TOP", 0),
        ("LOAD_CONST", 2), ("RETURN_VALUE", 0),
    ],
    consts=(None, 0, 42), names=("asyncio", "sleep"), flags=FN | CO_COROUTINE, name="main",
)  # fmt: skip


def test_asyncio_runs_guest_coroutine():
    g = _globals(asyncio=asyncio)
    main = _function(CORO, g)
    assert asyncio.run(main()) == 42
