"""Code objects from pvm's compiler: structure, and metadata against CPython's compile()."""

from __future__ import annotations

import types

import pytest
from snippets import SNIPPETS

from pvm.bytecode import opcode as op
from pvm.bytecode.code import CodeObject
from pvm.compiler import compile_source

META = (
    "co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_varnames", "co_cellvars",
    "co_freevars", "co_name", "co_qualname", "co_firstlineno", "co_flags",
)  # fmt: skip
STACK_MARGIN = 2


def _pairs(host: types.CodeType, mine: CodeObject, path: str = ""):
    path = f"{path}/{host.co_name}"
    yield path, host, mine
    hc = [c for c in host.co_consts if isinstance(c, types.CodeType)]
    mc = [c for c in mine.co_consts if isinstance(c, CodeObject)]
    assert [c.co_name for c in hc] == [c.co_name for c in mc], path
    for a, b in zip(hc, mc):
        yield from _pairs(a, b, path)


def _all_codes(code: CodeObject):
    yield code
    for c in code.co_consts:
        if isinstance(c, CodeObject):
            yield from _all_codes(c)


def check_structure(code: CodeObject) -> None:
    """Assert every jump and handler is a valid index and the tables line up."""
    n = len(code.co_code) // op.INSTRUCTION_SIZE
    assert len(code.co_linetable) == n
    # Artificial instructions may have no line, as CPython's (see assemble.py).
    ndefs = len(code.co_cellvars) + len(code.co_freevars)
    for i, opc, arg in code.instructions():
        assert op.opname[opc] != "<0>", (code, i, opc)
        if opc in op.JUMPS:
            assert 0 <= arg < n, (code, i)
            if opc in (op.JUMP_BACKWARD, op.JUMP_BACKWARD_NO_INTERRUPT):
                assert arg <= i
            else:
                assert arg > i, (code, i, op.opname[opc])
        kind = op.argkind[opc]
        if kind is op.ArgKind.CONST:
            assert arg < len(code.co_consts)
        elif kind is op.ArgKind.NAME:
            assert arg < len(code.co_names)
        elif kind is op.ArgKind.LOCAL:
            assert arg < len(code.co_varnames)
        elif kind is op.ArgKind.FREE:
            assert arg < ndefs
    last_end = 0
    for entry in code.co_exceptiontable:
        assert last_end <= entry.start < entry.end <= n
        assert 0 <= entry.target < n
        assert 0 <= entry.depth <= code.co_stacksize
        last_end = entry.end
    # Control never runs off the end of the code.
    assert code.co_code[-4] in op.UNCONDITIONAL


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_metadata_matches_cpython(name: str) -> None:
    src = SNIPPETS[name]
    host = compile(src, "<snippet>", "exec", dont_inherit=True)
    mine = compile_source(src, "<snippet>", "exec")
    for path, h, m in _pairs(host, mine):
        for field in META:
            assert getattr(m, field) == getattr(h, field), (path, field)
        assert set(m.co_names) == set(h.co_names), path
        assert m.co_stacksize <= h.co_stacksize + STACK_MARGIN, path


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_structure(name: str) -> None:
    for code in _all_codes(compile_source(SNIPPETS[name], "<snippet>", "exec")):
        check_structure(code)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_deterministic(name: str) -> None:
    a = compile_source(SNIPPETS[name], "<snippet>", "exec")
    b = compile_source(SNIPPETS[name], "<snippet>", "exec")
    assert a == b


def test_try_except_table_shape() -> None:
    code = compile_source("try:\n    f()\nexcept E as e:\n    g()\n", "<x>", "exec")
    rows = code.co_exceptiontable
    # body -> handler (depth 0, no lasti); handler -> cleanup (lasti); named body -> its cleanup.
    assert rows[0].depth == 0 and not rows[0].lasti
    assert all(r.lasti for r in rows[1:])
    names = [op.opname[o] for _, o, _ in code.instructions()]
    assert "PUSH_EXC_INFO" in names and "CHECK_EXC_MATCH" in names and "POP_EXCEPT" in names


def test_yield_from_uses_delegating_yield() -> None:
    code = compile_source("def g():\n    yield from x\n    yield 1\n", "<x>", "exec")
    fn = code.co_consts[0]
    ins = list(fn.instructions())
    yields = [(i, a) for i, o, a in ins if o == op.YIELD_VALUE]
    assert [a for _, a in yields] == [1, 0]
    i = yields[0][0]
    assert ins[i - 1][1] == op.SEND


def test_modes() -> None:
    ev = compile_source("1 + x", "<x>", "eval")
    assert op.opname[ev.co_code[-4]] == "RETURN_VALUE"
    single = compile_source("x\n", "<x>", "single")
    assert op.opname[single.co_code[4]] == "PRINT_EXPR"


def test_stdlib_module_compiles_with_sane_structure() -> None:
    import inspect as target

    with open(target.__file__, encoding="utf-8") as f:
        src = f.read()
    for code in _all_codes(compile_source(src, target.__file__, "exec")):
        check_structure(code)


def test_in_constant_display_is_folded() -> None:
    code = compile_source("x in [1, 2]\ny in {3}\nfor z in [4, 5]: pass\n", "<x>", "exec")
    assert (1, 2) in code.co_consts
    assert frozenset({3}) in code.co_consts
    assert (4, 5) in code.co_consts


def test_depth_limit_is_a_recursion_error() -> None:
    import sys

    depth = sys.getrecursionlimit() * 3
    compile_source("a" + "()" * (depth * 3 // 4), "<x>", "single")
    with pytest.raises(RecursionError, match="during compilation"):
        compile_source("a" + "()" * depth, "<x>", "single")


STDLIB_SAMPLE = [
    "argparse",
    "asyncio.base_events",
    "collections",
    "dataclasses",
    "enum",
    "json.decoder",
    "typing",
]


@pytest.mark.parametrize("module", STDLIB_SAMPLE)
def test_stdlib_module_matches_cpython(module: str) -> None:
    import importlib

    path = importlib.import_module(module).__file__
    with open(path, "rb") as f:
        src = f.read()
    host = compile(src, path, "exec", dont_inherit=True)
    mine = compile_source(src, path, "exec")
    for where, h, m in _pairs(host, mine):
        for field in META:
            assert getattr(m, field) == getattr(h, field), (where, field)
        assert m.co_stacksize <= h.co_stacksize + STACK_MARGIN, where
        check_structure(m)


def _broken_trees():
    import ast

    t1 = ast.parse("x = 1")
    t1.body[0].targets[0].ctx = ast.Load()
    t2 = ast.parse("del x")
    t2.body[0].targets[0].ctx = ast.Store()
    t3 = ast.parse("x = 1")
    t3.body[0].targets[0] = ast.Constant(1, lineno=1, col_offset=0)
    t4 = ast.parse("(y := 1)")
    t4.body[0].value.target = ast.Constant(1, lineno=1, col_offset=0)
    t5 = ast.Module([ast.Expr(ast.Name("x", ast.Load()))], [])
    return [t1, t2, t3, t4, t5]


@pytest.mark.parametrize("index", range(5))
def test_hand_built_tree_errors_match_cpython(index: int) -> None:
    from pvm.compiler import compile_ast

    tree = _broken_trees()[index]
    with pytest.raises((TypeError, ValueError)) as expected:
        compile(tree, "<ast>", "exec")
    with pytest.raises(type(expected.value)) as actual:
        compile_ast(_broken_trees()[index], "<ast>", "exec")
    assert str(actual.value) == str(expected.value)
