"""Running `pvm memory` (JSON report) and python3 on a test program, for tests/observe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def pvm_memory(tmp: Path, source: str, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    """Run `pvm memory --format json -o report.json ARGS prog.py`; return the run and report."""
    prog = tmp / "prog.py"
    prog.write_text(source)
    report = tmp / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "memory", "--format", "json", "-o", str(report), *args,
         "prog.py"],
        cwd=tmp,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        timeout=120,
        check=False,
    )  # fmt: skip
    doc = json.loads(report.read_text()) if report.exists() else {}
    return proc, doc


def python3(tmp: Path, source: str) -> subprocess.CompletedProcess:
    """Run the same program under python3."""
    prog = tmp / "prog.py"
    prog.write_text(source)
    return subprocess.run(
        [sys.executable, "prog.py"],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
