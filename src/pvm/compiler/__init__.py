"""pvm's compiler: host ast.parse, then our own scope analysis, code generation and assembly.

The pipeline, in the order a tree goes through it (as CPython's compile.c), with the
file to read for each step:

  0. parsing        the host's ast.parse; _check_locations (here) for hand-built trees
  1. future         future.py       check_future: `from __future__` rules and flags
  2. symbol table   symtable.py     SymbolTable.build, analyze: local/global/free/cell
  3. code gen       codegen.py      compile_tree, CodeGen: units, names, scopes; the
                                    mixins codegen_stmt.py, codegen_expr.py,
                                    codegen_scopes.py, codegen_try.py, codegen_match.py;
                                    unit.py (per-code-object state, block kinds),
                                    fold.py (constant folding, as ast_opt.c)
  4. assembly       assemble.py     assemble: blocks, exception table, stack depth,
                                    jumps, line table (its header maps its own passes)

What belongs here: the entry points compile_source and compile_ast.  What does not:
the instruction set and CodeObject (pvm.bytecode.opcode, pvm.bytecode.code), the
bytecode cache (pvm.bytecode.cache), the guest's compile/exec/eval (pvm.runtime.exec).
"""

from __future__ import annotations

import ast
import sys

from pvm.bytecode.code import CodeObject
from pvm.config import config

__all__ = ["compile_ast", "compile_source"]

_COMPILE_RECURSION_LIMIT = 20000
_MODE_NODES = {"exec": ast.Module, "eval": ast.Expression, "single": ast.Interactive}


# PyCF_DONT_IMPLY_DEDENT, PyCF_ALLOW_INCOMPLETE_INPUT, CO_FUTURE_BARRY_AS_BDFL: the flags
# CPython's parser reads (Include/cpython/compile.h, Include/cpython/code.h).
_PARSER_FLAGS = 0x0200 | 0x4000 | 0x400000
_host_compile = compile  # parsing only (PyCF_ONLY_AST): no host code object is made


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
    try:
        # ast.parse with the flags that change parsing passed on, as compile() hands them
        # to CPython's parser (codeop's incomplete-input check needs the first two).
        tree = _host_compile(
            source, filename, mode, ast.PyCF_ONLY_AST | (flags & _PARSER_FLAGS), True
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


_STORE_FIELDS = {
    ast.Assign: ("targets",),
    ast.AugAssign: ("target",),
    ast.AnnAssign: ("target",),
    ast.For: ("target",),
    ast.AsyncFor: ("target",),
    ast.comprehension: ("target",),
    ast.withitem: ("optional_vars",),
    ast.NamedExpr: ("target",),
}
_CTX_NAMES = {ast.Load: "Load", ast.Store: "Store", ast.Del: "Del"}


def _check_locations(tree: ast.AST) -> None:
    """Reject a hand-built tree without positions or with wrong contexts, as CPython's validator."""
    expected: dict[int, type] = {}
    for node in ast.walk(tree):
        if isinstance(node, _LOCATED):
            for field in ("lineno", "col_offset"):
                if getattr(node, field, None) is None:
                    base = next(b for b in _LOCATED if isinstance(node, b))
                    raise TypeError(f'required field "{field}" missing from {base.__name__}')
        if isinstance(node, ast.NamedExpr) and not isinstance(node.target, ast.Name):
            raise TypeError("NamedExpr target must be a Name")
        if isinstance(node, ast.expr):
            want = expected.get(id(node), ast.Load)
            ctx = getattr(node, "ctx", None)
            if ctx is None:
                if want is not ast.Load:
                    raise ValueError(
                        f"expression which can't be assigned to in {_CTX_NAMES[want]} context"
                    )
            elif type(ctx) is not want:
                raise ValueError(
                    f"expression must have {_CTX_NAMES[want]} context but has "
                    f"{_CTX_NAMES.get(type(ctx), type(ctx).__name__)} instead"
                )
            if isinstance(node, (ast.List, ast.Tuple)):
                for elt in node.elts:
                    expected[id(elt)] = want
            elif isinstance(node, ast.Starred):
                expected[id(node.value)] = want
        store = _STORE_FIELDS.get(type(node))
        if store:
            for field in store:
                value = getattr(node, field, None)
                for target in value if isinstance(value, list) else [value]:
                    if target is not None:
                        expected[id(target)] = ast.Store
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                expected[id(target)] = ast.Del


def _compile(tree: ast.AST, filename: str, mode: str, flags: int, optimize: int) -> CodeObject:
    from pvm.compiler import symtable
    from pvm.compiler.codegen import compile_tree

    if optimize < 0:  # compile()'s -1: the interpreter's level (-O, -OO, PYTHONOPTIMIZE)
        optimize = config.optimize
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
