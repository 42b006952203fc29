"""Scope analysis against the host's symtable module: same scopes, same classification of names."""

from __future__ import annotations

import ast
import symtable as host_symtable

import pytest
from snippets import SNIPPETS
from syntax_cases import CASES

from pvm.compiler import symtable as st

EXTRA = [
    "def f():\n    x = 1\n    def g():\n        def h():\n            return x\n        return h\n    return g",
    "class C:\n    x = 1\n    def f(self):\n        return x, __class__\n    def g(self):\n        super()",
    "def f():\n    class C:\n        y = z\n        def m(self):\n            return y\n    z = 1",
    "def f(a, *b, c, **d):\n    global g\n    g = [a for a in b if (w := a)]\n    return w",
    "x = 1\ndef f():\n    global x\n    del x\n    import os.path\n    from m import y as z",
    "def f():\n    try:\n        pass\n    except E as e:\n        lambda: e",
    "def f():\n    match v:\n        case [a, *b] | {'k': a, **b}:\n            return lambda: (a, b)",
    "class A:\n    class B:\n        def f(self):\n            nonlocal_ = 1\n            return __x",
]


def _host_scope(sym: host_symtable.Symbol) -> int:
    # The resolved scope (LOCAL, GLOBAL_EXPLICIT, GLOBAL_IMPLICIT, FREE, CELL), which
    # the public predicates blur at module level.
    return sym._Symbol__scope


def _compare(host: host_symtable.SymbolTable, mine: st.Scope, path: str) -> None:
    names = sorted(host.get_identifiers())
    assert names == sorted(mine.symbols), path
    for name in names:
        assert _host_scope(host.lookup(name)) == mine.scopes.get(name, 0), (path, name)
    children = host.get_children()
    # The host does not list the scopes of future-annotations annotations.
    mine_children = [c for c in mine.children if c.kind != st.ANNOTATION]
    assert [c.get_name() for c in children] == [c.name.strip("<>") for c in mine_children], path
    for h, m in zip(children, mine_children):
        _compare(h, m, f"{path}/{m.name}")


def _valid(src: str) -> bool:
    try:
        compile(src, "<x>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


def _host_symtable_agrees(src: str) -> bool:
    # The symtable module skips the AST optimizer, which folds `__debug__` before
    # CPython's compiler builds its table: there the module and the compiler differ.
    try:
        host_symtable.symtable(src, "<x>", "exec")
    except SyntaxError:
        return False
    return True


SOURCES = (
    list(SNIPPETS.values()) + EXTRA + [c for c in CASES if _valid(c) and _host_symtable_agrees(c)]
)


@pytest.mark.parametrize("src", SOURCES)
def test_same_scopes_as_host_symtable(src: str) -> None:
    tree = ast.parse(src)
    future = any(isinstance(s, ast.ImportFrom) and s.module == "__future__" for s in tree.body)
    mine = st.SymbolTable("<x>", future).build(tree)
    # The host symtable module only tells the test what CPython's analysis says.
    _compare(host_symtable.symtable(src, "<x>", "exec"), mine, "top")
