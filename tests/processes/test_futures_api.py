"""concurrent.futures against python3, with a ThreadPoolExecutor and with a
ProcessPoolExecutor by each start method: every executor API (submit, map with chunksize,
as_completed, wait's return_when, result timeouts, cancel, shutdown(cancel_futures=True),
initializer, Future states, an exception's traceback, RemoteTraceback included) and
loop.run_in_executor with the default, a thread and a process pool.  Run in a process
group of its own (a hang or a process left behind fails)."""

from __future__ import annotations

from pathlib import Path

import helpers
import pytest
from process_group import run_both_groups

PROGRAM = Path(__file__).resolve().parent / "programs" / "futures_api.py"


@pytest.mark.parametrize(
    "method", ["threads", "fork", pytest.param("spawn", marks=pytest.mark.slow), "forkserver"]
)
def test_futures_api_as_python3(method: str, tmp_path: Path) -> None:
    expected, actual = run_both_groups(PROGRAM, [method], tmp_path)
    helpers.compare(expected.outcome, actual.outcome, f"futures_api.py {method}")
