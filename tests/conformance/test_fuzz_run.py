"""Fuzzed programs that run: the same output under pvm and python3 (issue 15, item 6).

Each example is a file of generated expression-and-statement programs
(fuzz_run_programs.py); both interpreters run it and must print the same thing, warnings
and each program's exception included.  The default run checks a seeded few hundred
programs; the slow suite a few thousand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_same_as_cpython
from hypothesis import HealthCheck, Phase, given, seed, settings

from conformance.fuzz_run_programs import batches

BATCH = 60  # programs per file: one pair of processes runs them all
DEFAULT_BATCHES, SLOW_BATCHES = 5, 50


def _fuzz(tmp_path: Path, examples: int, chunk_seed: int | None) -> int:
    """Run `examples` generated files under both interpreters; return the programs run."""
    ran = []

    @settings(
        max_examples=examples,
        derandomize=chunk_seed is None,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        # Each example runs two processes: report the failing file rather than shrink it.
        phases=[Phase.explicit, Phase.generate],
    )
    @given(batches(BATCH))
    def check(source: str) -> None:
        expected = assert_same_as_cpython(source, tmp_path)
        # A file python3 cannot compile would agree without running a program.
        assert expected.returncode == 0, expected.stderr
        ran.append(expected.stdout.count("\n"))

    (check if chunk_seed is None else seed(chunk_seed)(check))()
    return len(ran) * BATCH


def test_generated_programs_run_as_on_cpython(tmp_path: Path) -> None:
    assert _fuzz(tmp_path, DEFAULT_BATCHES, None) == DEFAULT_BATCHES * BATCH


@pytest.mark.slow
def test_3000_generated_programs_run_as_on_cpython(tmp_path: Path) -> None:
    programs = sum(_fuzz(tmp_path, 10, chunk) for chunk in range(SLOW_BATCHES // 10))
    print(f"{programs} generated programs ran alike")
    assert programs == SLOW_BATCHES * BATCH
