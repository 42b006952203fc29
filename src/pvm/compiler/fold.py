"""Constant folding of small, safe expressions, in the spirit of CPython's ast_opt.c."""

from __future__ import annotations

import ast
import operator
from typing import Any

_MAX_INT_BITS = 128
_MAX_COLLECTION = 256
_MAX_STR = 4096

_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}
_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
}  # fmt: skip


def _small_enough(fn: Any, a: Any, b: Any) -> bool:
    """Refuse folds whose result could be huge, as CPython's safe_multiply/power/lshift/mod."""
    if fn is operator.mod:
        return not isinstance(a, (str, bytes))  # %-formatting is left to run time
    if fn is operator.mul:
        if isinstance(b, int) and isinstance(a, (str, bytes, tuple, frozenset)):
            a, b = b, a
        if isinstance(a, int) and isinstance(b, (str, bytes, tuple, frozenset)):
            size = len(b)
            limit = _MAX_STR if isinstance(b, (str, bytes)) else _MAX_COLLECTION
            return not size or 0 <= a <= limit // size
    if not isinstance(a, int) or not isinstance(b, int) or not a or not b:
        return True
    if fn is operator.mul:
        return a.bit_length() + b.bit_length() <= _MAX_INT_BITS
    if fn is operator.pow:
        return b < 0 or a.bit_length() * b <= _MAX_INT_BITS
    if fn is operator.lshift:
        return 0 <= b <= _MAX_INT_BITS and a.bit_length() + b <= _MAX_INT_BITS
    return True


def _value(node: Any, optimize: int) -> tuple | None:
    if type(node) is ast.Constant:
        return (node.value,)
    return fold_constant(node, optimize)


def fold_constant(node: Any, optimize: int) -> tuple | None:
    """Return (value,) if node is a constant expression pvm folds, else None."""
    t = type(node)
    if t is ast.Name:
        if node.id == "__debug__" and type(node.ctx) is ast.Load:
            return (optimize <= 0,)
        return None
    if t is ast.UnaryOp:
        inner = _value(node.operand, optimize)
        if inner is None:
            return None
        if type(node.op) is ast.Not:
            return (not inner[0],)
        try:  # as ast_opt.c: any constant the operator takes (bool included), errors unfolded
            return (_UNARY[type(node.op)](inner[0]),)
        except (ArithmeticError, ValueError, TypeError):
            return None
    if t is ast.BinOp:
        fn = _BINARY.get(type(node.op))
        if fn is None:
            return None
        left = _value(node.left, optimize)
        if left is None:
            return None
        right = _value(node.right, optimize)
        if right is None:
            return None
        a, b = left[0], right[0]
        if not _small_enough(fn, a, b):
            return None
        try:
            return (fn(a, b),)
        except (ArithmeticError, ValueError, TypeError):
            return None
    if t is ast.Tuple and type(node.ctx) is ast.Load:
        elts = node.elts
        if len(elts) > _MAX_COLLECTION:
            return None
        values = []
        for e in elts:
            v = _value(e, optimize)
            if v is None:
                return None
            values.append(v[0])
        return (tuple(values),)
    return None


def fold_iterable(node: Any, optimize: int) -> tuple | None:
    """Return (tuple_or_frozenset,) for a list or set display of constants used as an iterable.

    As ast_opt.c's fold_iter and fold_compare: `x in [1, 2]` and `for x in {1, 2}` need
    no new container, so a constant tuple or frozenset stands in for the display.
    """
    t = type(node)
    if t is not ast.List and t is not ast.Set:
        return None
    if t is ast.List and type(node.ctx) is not ast.Load:
        return None
    values = []
    for e in node.elts:
        v = _value(e, optimize)
        if v is None:
            return None
        values.append(v[0])
    return (tuple(values),) if t is ast.List else (frozenset(values),)


_MAXDIGITS = 3


def _parse_spec(fmt: str, pos: int) -> tuple[str, str, int] | None:
    """Parse one %-conversion after the '%' at pos-1: return (conversion, format spec, next pos)."""
    n = len(fmt)
    ljust = False
    width = prec = -1
    if pos >= n:
        return None
    ch = fmt[pos]
    pos += 1
    while ch in "-+ #0":
        ljust = ljust or ch == "-"
        if pos >= n:
            return None
        ch = fmt[pos]
        pos += 1
    if "0" <= ch <= "9":
        width = digits = 0
        while "0" <= ch <= "9":
            width = width * 10 + ord(ch) - 48
            if pos >= n:
                return None
            ch = fmt[pos]
            pos += 1
            digits += 1
            if digits >= _MAXDIGITS:
                return None
    if ch == ".":
        if pos >= n:
            return None
        ch = fmt[pos]
        pos += 1
        prec = digits = 0
        while "0" <= ch <= "9":
            prec = prec * 10 + ord(ch) - 48
            if pos >= n:
                return None
            ch = fmt[pos]
            pos += 1
            digits += 1
            if digits >= _MAXDIGITS:
                return None
    if ch not in "sra":
        return None
    spec = ""
    if not ljust and width > 0:
        spec += ">"
    if width >= 0:
        spec += str(width)
    if prec >= 0:
        spec += f".{prec}"
    return ch, spec, pos


def format_to_joinedstr(node: ast.BinOp, fmt: str) -> ast.JoinedStr | None:
    """Rewrite `'..%s..' % (a, b)` as an f-string, as 3.11's ast_opt.c optimize_format does.

    Only %s, %r and %a with simple flags, width and precision qualify, and only when
    the tuple has exactly as many items as the format has conversions.
    """
    elts = node.right.elts
    values: list = []
    pos = cnt = 0
    n = len(fmt)
    loc = {
        "lineno": node.lineno,
        "col_offset": node.col_offset,
        "end_lineno": node.end_lineno,
        "end_col_offset": node.end_col_offset,
    }
    while True:
        start = pos
        while pos < n and (fmt[pos] != "%" or (pos + 1 < n and fmt[pos + 1] == "%")):
            pos += 2 if fmt[pos] == "%" else 1
        if pos > start:
            values.append(ast.Constant(fmt[start:pos].replace("%%", "%"), **loc))
        if pos >= n:
            break
        if cnt >= len(elts):
            return None
        parsed = _parse_spec(fmt, pos + 1)
        if parsed is None:
            return None
        conv, spec, pos = parsed
        arg = elts[cnt]
        cnt += 1
        spec_node = ast.JoinedStr([ast.Constant(spec, **loc)], **loc) if spec else None
        values.append(
            ast.FormattedValue(
                arg,
                ord(conv),
                spec_node,
                lineno=arg.lineno,
                col_offset=arg.col_offset,
                end_lineno=arg.end_lineno,
                end_col_offset=arg.end_col_offset,
            )
        )
    if cnt < len(elts):
        return None
    return ast.JoinedStr(values, **loc)
