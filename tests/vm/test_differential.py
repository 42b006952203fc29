"""Differential tests: each snippet runs under python3 and on pvm with the same results."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_same_as_cpython

SNIPPETS = sorted((Path(__file__).parent / "snippets").glob("*.py"))


@pytest.mark.parametrize("path", SNIPPETS, ids=[p.stem for p in SNIPPETS])
def test_snippet_matches_cpython(path: Path, tmp_path: Path) -> None:
    """Same stdout, stderr (tracebacks included) and exit code; the disassembly on failure."""
    assert_same_as_cpython(path.read_text(encoding="utf-8"), tmp_path, filename=path.name)
