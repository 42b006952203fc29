"""CPython's own multiprocessing tests under pvm, by forkserver and by spawn (-m slow).

The drivers (tests/processes/cpython) are CPython's test_multiprocessing_<method>.py,
which this host's 3.11 does not ship; scripts/cpython_tests.py runs each under python3
and under pvm and matches the passing tests by id.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
spec = importlib.util.spec_from_file_location("cpython_tests", SCRIPTS / "cpython_tests.py")
assert spec and spec.loader
cpython_tests = sys.modules.get("cpython_tests") or importlib.util.module_from_spec(spec)
if "cpython_tests" not in sys.modules:
    sys.modules["cpython_tests"] = cpython_tests  # dataclasses look their module up there
    spec.loader.exec_module(cpython_tests)

SHARE = 90.0  # percent of python3's passing tests that must pass under pvm


@pytest.mark.slow
@pytest.mark.parametrize("module", cpython_tests.MULTIPROCESSING)
def test_cpython_multiprocessing(module: str) -> None:
    """At least 90% of what python3 passes in test._test_multiprocessing passes under pvm."""
    row = cpython_tests.compare_module(module, cpython_tests.testdir(), timeout=7200.0)
    ref, got = row.python, row.pvm
    assert ref.passed, f"python3 passed nothing in {module}:\n{ref.tail}"
    missing = sorted(ref.passed - got.passed)
    assert row.percent >= SHARE, (
        f"{module}: {row.percent:.1f}% ({got.status}); not passing under pvm: "
        f"{missing[:30]}\n{got.tail}"
    )
