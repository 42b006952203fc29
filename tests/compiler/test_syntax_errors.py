"""Compile-time SyntaxErrors and SyntaxWarnings: pvm's compiler against CPython's compile()."""

from __future__ import annotations

import warnings

import pytest
from syntax_cases import CASES

from pvm.compiler import compile_source


def _outcome(fn, src: str) -> tuple:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn(src)
            result = None
        except SyntaxError as exc:
            result = (
                exc.msg,
                exc.lineno,
                exc.offset,
                exc.end_lineno,
                exc.end_offset,
                len(exc.args),
            )
    return result, [(str(w.message), w.category.__name__, w.lineno) for w in caught]


@pytest.mark.parametrize("src", CASES)
def test_same_error_as_cpython(src: str) -> None:
    # The host's compile() only tells the test what CPython answers.
    expected = _outcome(lambda s: compile(s, "<x>", "exec", dont_inherit=True), src)
    actual = _outcome(lambda s: compile_source(s, "<x>", "exec"), src)
    assert actual == expected


def test_error_text_is_read_from_the_file(tmp_path) -> None:
    path = tmp_path / "bad.py"
    path.write_text("x = 1\nreturn x\n")
    with pytest.raises(SyntaxError) as info:
        compile_source(path.read_text(), str(path), "exec")
    assert info.value.text == "return x\n"
    assert (info.value.lineno, info.value.offset) == (2, 1)


def test_parser_errors_propagate_unchanged() -> None:
    with pytest.raises(SyntaxError) as info:
        compile_source("x = (", "<x>", "exec")
    assert "never closed" in info.value.msg
