"""pvm's compiler: host ast.parse, then our own scope analysis, code generation and assembly."""

from __future__ import annotations

import ast
import sys

from pvm.bytecode.code import CodeObject

__all__ = ["compile_ast", "compile_source"]

_COMPILE_RECURSION_LIMIT = 20000
_MODE_NODES = {"exec": ast.Module, "eval": ast.Expression, "single": ast.Interactive}


def compile_source(
    source: str | bytes,
    filename: str = "<string>",
    mode: str = "exec",
    flags: int = 0,
    dont_inherit: bool = True,
    optimize: int = -1,
) -> CodeObject:
    """Parse source with the host's ast.parse and compile it to a pvm CodeObject."""
    if mode not in _MODE_NODES:
        raise ValueError("compile() mode must be 'exec', 'eval' or 'single'")
    feature_version = None
    try:
        tree = ast.parse(
            source, filename, mode, type_comments=False, feature_version=feature_version
        )
    except RecursionError:
        # Converting a very deep tree to Python objects trips the host's check; CPython,
        # which never makes those objects, reports the same depth limit at compile time.
        raise RecursionError("maximum recursion depth exceeded during compilation") from None
    return _compile(tree, filename, mode, flags, optimize)


def compile_ast(
    tree: ast.AST, filename: str, mode: str, flags: int = 0, optimize: int = -1
) -> CodeObject:
    """Compile a parsed tree (Module, Expression or Interactive) to a pvm CodeObject."""
    _check_locations(tree)
    return _compile(tree, filename, mode, flags, optimize)


_LOCATED = (ast.stmt, ast.expr, ast.excepthandler, ast.arg, ast.keyword, ast.alias, ast.pattern)


def _check_locations(tree: ast.AST) -> None:
    """Reject a hand-built tree without positions, with CPython's TypeError."""
    for node in ast.walk(tree):
        if isinstance(node, _LOCATED):
            for field in ("lineno", "col_offset"):
                if getattr(node, field, None) is None:
                    base = next(b for b in _LOCATED if isinstance(node, b))
                    raise TypeError(f'required field "{field}" missing from {base.__name__}')


def _compile(tree: ast.AST, filename: str, mode: str, flags: int, optimize: int) -> CodeObject:
    from pvm.compiler import symtable
    from pvm.compiler.codegen import compile_tree

    optimize = max(optimize, 0)
    # The code generator recurses over the tree; deeply nested expressions need room.
    # (scope analysis bounds the depth at 3 levels per guest recursion level, as CPython).
    limit = sys.getrecursionlimit()
    needed = max(_COMPILE_RECURSION_LIMIT, symtable.recursion_limit() * 12)
    if limit < needed:
        sys.setrecursionlimit(needed)
    try:
        return compile_tree(tree, filename, mode, flags, optimize)
    finally:
        if limit < needed:
            sys.setrecursionlimit(limit)
