"""Constant folding of small, safe expressions, in the spirit of CPython's ast_opt.c."""

from __future__ import annotations

import ast
import operator
from typing import Any

_MAX_INT_BITS = 128
_MAX_COLLECTION = 256
_MAX_STR = 4096
_NUMBER = (int, float, complex)

_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}
_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
}  # fmt: skip
_INT_ONLY = (operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift)


def _small_enough(fn: Any, a: Any, b: Any) -> bool:
    """Refuse folds whose result could be huge (CPython's safe_multiply/power/lshift)."""
    if type(a) is not int or type(b) is not int:
        return True
    if fn is operator.mul:
        return a.bit_length() + b.bit_length() <= _MAX_INT_BITS
    if fn is operator.pow:
        return b <= 0 or a.bit_length() * b <= _MAX_INT_BITS
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
        fn = _UNARY.get(type(node.op))
        if fn is None:
            return None
        inner = _value(node.operand, optimize)
        if inner is None or type(inner[0]) not in _NUMBER:
            return None
        if fn is operator.invert and type(inner[0]) is not int:
            return None
        return (fn(inner[0]),)
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
        ta, tb = type(a), type(b)
        if ta in _NUMBER and tb in _NUMBER:
            if fn in _INT_ONLY and (ta is not int or tb is not int):
                return None
            if not _small_enough(fn, a, b):
                return None
            try:
                result = fn(a, b)
            except (ArithmeticError, ValueError, TypeError):
                return None
            return (result,)
        if fn is operator.add and ta is str and tb is str and len(a) + len(b) <= _MAX_STR:
            return (a + b,)
        if fn is operator.mul and ta is str and tb is int and 0 <= b and len(a) * b <= _MAX_STR:
            return (a * b,)
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
