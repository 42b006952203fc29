"""Whole programs exercising the compiler, run under python3 and pvm with identical results."""

from __future__ import annotations

from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parent / "programs"


@pytest.mark.parametrize("name", sorted(p.name for p in PROGRAMS.glob("*.py")))
def test_program_same_as_cpython(name: str, same_as_cpython) -> None:
    same_as_cpython((PROGRAMS / name).read_text(encoding="utf-8"), filename=name)


ERRORS = {
    "return_outside": "x = 1\nreturn x\n",
    "break_outside": "def f():\n    break\n",
    "nonlocal_module": "nonlocal x\n",
    "match_unreachable": "match 1:\n    case x:\n        pass\n    case 2:\n        pass\n",
    "starred_target": "*a = [1]\n",
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_compile_error_same_as_cpython(name: str, same_as_cpython) -> None:
    same_as_cpython(ERRORS[name])
