"""The `from __future__ import ...` checks CPython's future.c makes before compiling."""

from __future__ import annotations

import ast

from pvm.compiler.symtable import _source_line

CO_FUTURE_BARRY_AS_BDFL = 0x400000
CO_FUTURE_ANNOTATIONS = 0x1000000
_KNOWN = {
    "nested_scopes", "generators", "division", "absolute_import", "with_statement",
    "print_function", "unicode_literals", "generator_stop",
}  # fmt: skip
ERR_LATE_FUTURE = "from __future__ imports must occur at the beginning of the file"


def _error(msg: str, filename: str, lineno: int, offset: int) -> SyntaxError:
    err = SyntaxError(msg)
    err.filename = filename
    err.lineno = lineno
    err.offset = offset
    err.text = _source_line(filename, lineno)
    err.end_lineno = lineno
    err.end_offset = None
    return err


def is_docstring_body(body: list) -> bool:
    """Tell whether body starts with a docstring."""
    if not body:
        return False
    first = body[0]
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


def check_future(tree: ast.AST, filename: str) -> tuple[int, int]:
    """Return (co_flags turned on, line of the last future statement), raising CPython's errors."""
    if not isinstance(tree, (ast.Module, ast.Interactive)) or not tree.body:
        return 0, 0
    body = tree.body
    features = 0
    ff_lineno = 0
    done = False
    prev_line = 0
    i = 1 if is_docstring_body(body) else 0
    for s in body[i:]:
        if done and s.lineno > prev_line:
            break
        prev_line = s.lineno
        if isinstance(s, ast.ImportFrom) and s.module == "__future__" and s.level == 0:
            if done:
                raise _error(ERR_LATE_FUTURE, filename, s.lineno, s.col_offset)
            for alias in s.names:
                name = alias.name
                if name in _KNOWN:
                    continue
                if name == "annotations":
                    features |= CO_FUTURE_ANNOTATIONS
                elif name == "barry_as_FLUFL":
                    features |= CO_FUTURE_BARRY_AS_BDFL
                elif name == "braces":
                    raise _error("not a chance", filename, s.lineno, s.col_offset + 1)
                else:
                    raise _error(
                        f"future feature {name} is not defined",
                        filename,
                        s.lineno,
                        s.col_offset + 1,
                    )
            ff_lineno = s.lineno
        else:
            done = True
    return features, ff_lineno
