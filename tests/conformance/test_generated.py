"""Differential tests over generated expressions and statements (hypothesis, derandomized)."""

from __future__ import annotations

from pathlib import Path

from helpers import assert_same_as_cpython
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ATOMS = st.sampled_from(
    [
        "0",
        "1",
        "-3",
        "7",
        "2.5",
        "-0.5",
        "True",
        "None",
        "'ab'",
        "''",
        "[1, 2]",
        "(3,)",
        "{1: 2}",
        "{4, 5}",
        "x",
        "y",
        "s",
        "lst",
    ]
)
BINOPS = st.sampled_from(
    ["+", "-", "*", "/", "//", "%", "<", "<=", "==", "!=", "and", "or", "&", "|", "^", "in", "is"]
)


def expressions() -> st.SearchStrategy[str]:
    """Return a strategy for small, side-effect-free Python expressions."""
    return st.recursive(
        ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, BINOPS, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"(not {e})"),
            inner.map(lambda e: f"(-{e})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            inner.map(lambda e: f"[v for v in (1, 2, 3) if {e}]"),
            # Slice a list display: subscripting a literal int would (rightly) warn at compile time.
            st.tuples(inner, st.integers(-3, 3), st.integers(-3, 3)).map(
                lambda t: f"[{t[0]}, 1, {t[0]}][{t[1]}:{t[2]}]"
            ),
            inner.map(lambda e: f"({e}) ** 2"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} < {t[1]} < 3)"),
            inner.map(lambda e: f"(lambda q: q)({e})"),
        ),
        max_leaves=6,
    )


PRELUDE = """\
x, y, s, lst = 4, -2.0, 'text', [9, 8, 7]
def show(src, thunk):
    try:
        print(src, '->', repr(thunk()))
    except Exception as exc:
        print(src, '->', type(exc).__name__, exc)
"""


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(expressions(), min_size=15, max_size=25))
def test_generated_expressions(tmp_path: Path, exprs: list[str]) -> None:
    """Generated expressions print the same value or the same exception on pvm as on python3."""
    body = "".join(f"show({e!r}, lambda: {e})\n" for e in exprs)
    assert_same_as_cpython(PRELUDE + body, tmp_path)


STATEMENTS = st.sampled_from(
    [
        "acc += i",
        "acc -= 1",
        "acc = acc * 2 % 1000",
        "items.append(acc)",
        "if acc % 3 == 0:\n        continue",
        "if acc > 500:\n        break",
        "try:\n        acc //= (i - 2)\n    except ZeroDivisionError:\n        acc += 7",
        "acc, i2 = i2 if 'i2' in dir() else 0, acc",
        "items[-1:] = [acc, i]",
        "with_ = [a for a in items if a % 2]",
        "del items[:1]",
        "assert acc < 10 ** 6",
    ]
)


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(STATEMENTS, min_size=3, max_size=8))
def test_generated_loops(tmp_path: Path, stmts: list[str]) -> None:
    """Generated loop bodies leave the same state (or raise the same error) on both interpreters."""
    body = "".join(f"    {s}\n" for s in stmts)
    program = f"acc, items, i2 = 1, [0], 0\nfor i in range(12):\n{body}print(acc, items)\n"
    assert_same_as_cpython(program, tmp_path)
