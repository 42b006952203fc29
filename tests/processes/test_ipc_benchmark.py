"""The processes benchmark runner runs: every row measured at tiny sizes (no timing is checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import helpers
import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "processes" / "bench.py"
ROWS = (
    ["CPU-bound, 1 process", "CPU-bound, 2 processes", "CPU-bound, 4 processes"]
    + [f"start-up, {m}" for m in ("fork", "spawn", "forkserver")]
    + [f"IPC round trip, {m}, {s}" for m in ("pipe", "queue", "shm") for s in ("64 B", "1 MiB")]
)


@pytest.mark.slow  # about a minute: spawn start-up alone takes seconds under pvm
def test_runner_measures_every_row(tmp_path: Path) -> None:
    """bench.py --tiny --markdown prints one measured row per measurement, python3 and pvm."""
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--tiny", "--markdown", "--timeout", "120"],
        capture_output=True,
        text=True,
        env=helpers.base_env(),
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    # Exit 1 only says an expectation did not hold: tiny sizes measure mostly start-up.
    assert proc.returncode in (0, 1), proc.stderr
    table = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| measurement | python3 | pvm | pvm/python3 |")
    cells = {row.split(" | ")[0][2:]: row.split(" | ")[1:4] for row in table[1:]}
    assert list(cells) == ROWS
    for name, (python3, pvm, ratio) in cells.items():
        assert "-" not in (python3, pvm, ratio), f"{name} was not measured:\n{proc.stdout}"
