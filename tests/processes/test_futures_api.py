"""concurrent.futures with processes, against python3: the APIs test_process_routes's
pool program leaves out (cancel, shutdown(cancel_futures=True), wait's return_when,
result timeouts, initializer, Future states) and loop.run_in_executor with a thread and
a process pool.  Run in a process group of its own (a hang or a process left behind
fails)."""

from __future__ import annotations

from pathlib import Path

import helpers
import pytest
from process_group import run_both_groups

PROGRAM = Path(__file__).resolve().parent / "programs" / "futures_api.py"


@pytest.mark.parametrize(
    "method", ["fork", pytest.param("spawn", marks=pytest.mark.slow), "forkserver"]
)
def test_futures_api_as_python3(method: str, tmp_path: Path) -> None:
    expected, actual = run_both_groups(PROGRAM, [method], tmp_path)
    helpers.compare(expected.outcome, actual.outcome, f"futures_api.py {method}")
