"""The examples behave the same on pvm as on python3, and the demo script runs to the end."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import base_env, compare, run_both

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_example_matches_python3(example: str) -> None:
    """Each example program gives python3's stdout, stderr and exit code on pvm."""
    path = str(EXAMPLES / example)
    expected, actual = run_both([path], [path], EXAMPLES)
    compare(expected, actual, f"examples/{example}")


def test_demo_script_runs() -> None:
    """examples/demo.sh (the README's first quick-start command) finishes successfully."""
    proc = subprocess.run(
        ["bash", str(EXAMPLES / "demo.sh")],
        capture_output=True,
        text=True,
        env=base_env(),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "LOAD_FAST" in proc.stdout, "the demo shows no disassembly"
    assert proc.stdout.count("LookupError: no 'pears' in stock") == 0  # tracebacks go to stderr
    assert proc.stderr.count("LookupError: no 'pears' in stock") == 2, proc.stderr[-3000:]
