"""What the benchmark programs under benchmarks/*/bench.py share.

Each of them runs small programs under python3 and under this checkout's pvm, reads the
time a program reports on its `elapsed SECONDS` line, keeps the best of several runs,
and prints a table whose rows are `Row`s.  (benchmarks/run.py, the core benchmarks,
times whole processes instead.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = [sys.executable]
PVM_RUN = [sys.executable, "-m", "pvm", "run"]


@dataclass
class Row:
    """One line of the table: a measurement under python3 and pvm and what was expected."""

    name: str
    python3: str
    pvm: str
    ratio: str
    expected: str = ""
    holds: bool | None = None  # None: nothing expected, or not measured


def checkout_env() -> dict[str, str]:
    """Return the environment that makes children use this checkout's pvm."""
    env = dict(os.environ)
    # Use this checkout's pvm whether or not it is pip-installed.
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def elapsed(cmd: list[str], timeout: float, *, cwd: Path) -> float:
    """Run cmd once in cwd and return the time it reports on its `elapsed SECONDS` line."""
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=checkout_env(),
        timeout=timeout,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("elapsed "):
            return float(line.split()[1])
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise RuntimeError(f"{' '.join(cmd[-4:])}: {tail}")


def best(cmd: list[str], repeat: int, timeout: float, *, cwd: Path) -> float:
    """Return the smallest elapsed time over repeat runs."""
    return min(elapsed(cmd, timeout, cwd=cwd) for _ in range(repeat))
