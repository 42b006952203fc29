"""Differential tests: each snippet runs under python3 and on pvm with the same results."""

from __future__ import annotations

from pathlib import Path

import pytest

from .difftool import run_both

SNIPPETS = sorted((Path(__file__).parent / "snippets").glob("*.py"))


@pytest.mark.parametrize("path", SNIPPETS, ids=[p.stem for p in SNIPPETS])
def test_snippet_matches_cpython(path):
    host, pvm = run_both(path.read_text())
    assert pvm == host
