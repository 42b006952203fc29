"""Dask's local schedulers run guest tasks as under python3 (tests/dask/programs).

One program per scheduler (synchronous, threads, processes) computes dask.delayed and
dask.bag graphs of module-level functions, lambdas and closures, and ends with a task
that raises: stdout, the traceback and the exit code must be python3's.  Under
"processes" every task says how wide its bytecode's instructions were (pvm's are 4
bytes, CPython's 2), and must have run pvm's bytecode in a worker process; a worker killed by SIGKILL mid-computation breaks the pool as under
python3.  Each run has a process group of its own: a hang fails, and a worker left
behind fails.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import helpers
import pytest

pytest.importorskip("dask")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "processes"))
from process_group import run_both_groups  # noqa: E402  (tests/processes holds it)

PROGRAMS = Path(__file__).resolve().parent / "programs"
# Each task says how wide its instructions were: CPython 3.11's are 2 bytes, pvm's 4.
ON_HOST = "ran on 2-byte instructions"
ON_PVM = "ran on 4-byte instructions"


# The threaded scheduler's default-run test is the `pvm gil` one below (its output is
# compared with python3's too); this program under "threads" runs under -m slow.
@pytest.mark.parametrize(
    "scheduler", ["synchronous", pytest.param("threads", marks=pytest.mark.slow), "processes"]
)
def test_scheduler_prints_what_python3_prints(scheduler: str, tmp_path: Path) -> None:
    """delayed and bag results, the task bodies' whereabouts, a raising task's traceback."""
    expected, actual = run_both_groups(PROGRAMS / "local_schedulers.py", [scheduler], tmp_path)
    out = actual.outcome
    assert ON_HOST not in out.stdout, f"a task ran on the host under pvm:\n{out.stdout}"
    assert f"where: ['{ON_PVM}']" in out.stdout, out.stdout
    where = "workers" if scheduler == "processes" else "this process"
    assert f"pids: {where}\n" in out.stdout
    assert "ValueError: bad value 3" in out.stderr
    if scheduler == "processes":
        assert "killed worker: concurrent.futures.process.BrokenProcessPool" in out.stdout
    helpers.compare(
        expected.outcome,
        helpers.Outcome(out.stdout.replace(ON_PVM, ON_HOST), out.stderr, out.returncode),
        f"local_schedulers.py {scheduler}",
    )


def test_pvm_gil_shows_the_threaded_schedulers_workers(tmp_path: Path) -> None:
    """`pvm gil` of CPU-bound tasks on the threaded scheduler: both workers hold the GIL in turn."""
    program = PROGRAMS / "threads_gil.py"
    expected = helpers.run([helpers.PYTHON, str(program)], tmp_path)
    data = tmp_path / "gil.json"
    argv = [helpers.PYTHON, "-m", "pvm", "gil", "--schedule", "deterministic", "--seed", "3"]
    out = helpers.run([*argv, "--json", str(data), str(program)], tmp_path, env={"COLUMNS": "120"})
    assert out.returncode == 0, out.stderr
    assert out.stdout == expected.stdout
    doc = json.loads(data.read_text())
    workers = {t["thread"]: t for t in doc["threads"] if t["name"].startswith("ThreadPoolExecutor")}
    assert len(workers) == 2, doc["threads"]
    holders = [slot["holder"] for slot in doc["slots"]]
    for tid, stats in workers.items():
        # Each worker held the GIL in many slots, and had it taken away to let the other run.
        assert holders.count(tid) > 10 and stats["held"] > 0 and stats["forced_drops"] > 0, stats
        assert f"| {stats['name']} " in out.stderr  # its row in the statistics table
    assert "Time slots" in out.stderr
