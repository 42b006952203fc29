"""Shared pytest setup: make tests/helpers.py importable and offer differential fixtures."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

import helpers  # noqa: E402  (importable only once TESTS_DIR is on sys.path)


@pytest.fixture
def same_as_cpython(tmp_path: Path) -> Callable[..., helpers.Outcome]:
    """Return assert_same_as_cpython bound to this test's tmp_path."""

    def check(source: str, **kwargs: object) -> helpers.Outcome:
        return helpers.assert_same_as_cpython(source, tmp_path, **kwargs)  # type: ignore[arg-type]

    return check
