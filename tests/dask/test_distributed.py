"""Dask distributed on pvm: Client() and a scheduler and workers started as processes.

Each client program (tests/dask/distributed_programs) runs under python3 and under
pvm, in a process group of its own (a hang fails, a process left behind fails), and
the two must print the same.  The tasks say which bytecode ran them ("ran on N-byte
instructions": CPython 3.11's are 2 bytes, pvm's 4), so a task that says 4 under pvm
ran on pvm in its worker.  For a cluster started apart, the scheduler and the workers
are pvm processes too (python3 ones for the reference run), started as a user starts
them (``pvm run -m dask scheduler`` / ``dask worker``).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import helpers
import pytest

pytest.importorskip("distributed")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "processes"))
from process_group import group_members, run_group  # noqa: E402

PROGRAMS = Path(__file__).resolve().parent / "distributed_programs"
ON_HOST = "ran on 2-byte instructions"
ON_PVM = "ran on 4-byte instructions"
# A cluster of pvm processes takes a while to start on a loaded machine (each imports
# distributed on pvm); a run this long has hung.
HANG = 400.0


def normalized(stderr: str) -> str:
    """Leave out what differs between any two runs: log times, task keys, ports."""
    stderr = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - ", "", stderr, flags=re.M)
    stderr = re.sub(r"-[0-9a-f]{32}\b", "-KEY", stderr)
    return re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", stderr)


def compare_on_pvm(expected: helpers.Outcome, actual: helpers.Outcome, what: str) -> None:
    """The outputs agree once pvm's frame type reads as python3's; the tasks ran on pvm."""
    assert ON_HOST not in actual.stdout, f"a task ran on the host under pvm:\n{actual.stdout}"
    assert actual.stdout.count(ON_PVM) == expected.stdout.count(ON_HOST) > 0
    helpers.compare(
        helpers.Outcome(expected.stdout, normalized(expected.stderr), expected.returncode),
        helpers.Outcome(
            actual.stdout.replace(ON_PVM, ON_HOST), normalized(actual.stderr), actual.returncode
        ),
        what,
    )


def run_client(interpreter: Sequence[str], args: Sequence[str], cwd: Path) -> helpers.Outcome:
    """Run the client program in a group of its own; it must end, and leave nothing behind."""
    ran = run_group([*interpreter, str(PROGRAMS / "client_program.py"), *args], cwd, timeout=HANG)
    assert not ran.timed_out, f"{interpreter[-1]} hung:\n{ran.outcome.stderr}"
    assert not ran.left_behind, f"{interpreter[-1]} left {ran.left_behind}"
    return ran.outcome


def test_client_with_worker_threads(tmp_path: Path) -> None:
    """Client(processes=False): submit, map, gather, as_completed, dask.compute, dask.bag."""
    expected = run_client([helpers.PYTHON], ["threads"], tmp_path)
    actual = run_client(helpers.PVM, ["threads"], tmp_path)
    compare_on_pvm(expected, actual, "Client(processes=False)")


@pytest.mark.slow
def test_client_with_a_local_cluster_of_processes(tmp_path: Path) -> None:
    """Client(): the LocalCluster's worker processes are pvm's (sys.executable is pvm-python)."""
    expected = run_client([helpers.PYTHON], ["processes"], tmp_path)
    actual = run_client(helpers.PVM, ["processes"], tmp_path)
    compare_on_pvm(expected, actual, "Client() with worker processes")


class Cluster:
    """A scheduler and one `dask worker` command, each the leader of a process group."""

    def __init__(self, interpreter: Sequence[str], cwd: Path, nworkers: int) -> None:
        self.interpreter = list(interpreter)
        self.cwd = cwd
        self.nworkers = nworkers
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self, name: str, args: Sequence[str]) -> subprocess.Popen:
        log = self.cwd / f"{name}.log"
        self.logs.append(log)
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [*self.interpreter, "-m", "dask", *args],
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=helpers.base_env(),
                start_new_session=True,
            )
        self.procs.append(proc)
        return proc

    def __enter__(self) -> str:
        address_file = self.cwd / "scheduler.json"
        scheduler = self.start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
            + ["--scheduler-file", str(address_file)],
        )
        deadline = time.monotonic() + HANG
        while not address_file.exists() or not address_file.read_text().strip():
            assert scheduler.poll() is None, f"the scheduler ended:\n{self.report()}"
            assert time.monotonic() < deadline, f"the scheduler never started:\n{self.report()}"
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:"), address
        self.start(
            "worker",
            ["worker", address, "--nthreads", "1", "--nworkers", str(self.nworkers)]
            + ["--host", "127.0.0.1", "--no-dashboard"],
        )
        return address

    def report(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in self.logs)

    def __exit__(self, *exc: object) -> None:
        """Stop the workers, then the scheduler, as Ctrl-C would; nothing may stay behind."""
        left = []
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=HANG / 4)
            except subprocess.TimeoutExpired:
                pass
            deadline = time.monotonic() + 30
            while group_members(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            members = group_members(proc.pid)
            if members or proc.poll() is None:
                left.extend(members)
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        assert not left, f"processes left behind: {left}\n{self.report()}"


def run_against_cluster(interpreter: Sequence[str], cwd: Path, nworkers: int) -> helpers.Outcome:
    cwd.mkdir()
    with Cluster(interpreter, cwd, nworkers) as address:
        outcome = run_client(interpreter, [address, str(nworkers)], cwd)
    return outcome


@pytest.mark.slow  # about 2 minutes on a loaded 2-core machine: six pvm processes start
@pytest.mark.parametrize("nworkers", [1, 2])
def test_a_scheduler_and_workers_started_apart(nworkers: int, tmp_path: Path) -> None:
    """`dask scheduler` and `dask worker` on pvm, a pvm client on tcp://127.0.0.1."""
    expected = run_against_cluster([helpers.PYTHON], tmp_path / "python3", nworkers)
    actual = run_against_cluster(helpers.PVM, tmp_path / "pvm", nworkers)
    compare_on_pvm(expected, actual, f"a cluster of {nworkers} workers started apart")


@pytest.mark.slow  # worker processes restart on pvm after each kill: minutes when loaded
def test_a_worker_killed_mid_task(tmp_path: Path) -> None:
    """SIGKILL to a worker running a task: recomputed elsewhere, then KilledWorker, as python3."""
    outcomes = []
    for name, interpreter in (("python3", [helpers.PYTHON]), ("pvm", helpers.PVM)):
        folder = tmp_path / name
        folder.mkdir()
        ran = run_group(
            [*interpreter, str(PROGRAMS / "worker_killed.py"), str(folder)], tmp_path, timeout=HANG
        )
        assert not ran.timed_out, f"{name} hung:\n{ran.outcome.stdout}\n{ran.outcome.stderr}"
        assert not ran.left_behind, f"{name} left {ran.left_behind}"
        outcomes.append(ran.outcome)
    expected, actual = outcomes
    # The logs (which worker restarted when, which results were lost) follow timing.
    assert (actual.stdout, actual.returncode) == (expected.stdout, expected.returncode), (
        f"python3:\n{expected.stdout}\npvm:\n{actual.stdout}\n{actual.stderr[-3000:]}"
    )
