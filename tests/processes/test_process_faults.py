"""Faults with processes: a killed worker, Ctrl-C, resource_tracker's warnings; none hangs.

Every run has a process group of its own (process_group.run_group): a hang is killed
and fails, and a process still alive after the program ended fails the test.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import helpers
import pytest
from process_group import run_both_groups

PROGRAMS = Path(__file__).resolve().parent / "programs"
METHODS = ("fork", "spawn", "forkserver")


def methods(*in_default_run: str) -> list:
    """The start methods as parameters; those not named run only under -m slow.

    A pvm child started by spawn or forkserver imports its library anew on pvm, which
    takes seconds: the default run keeps one of each kind, -m slow runs them all.
    """
    return [m if m in in_default_run else pytest.param(m, marks=pytest.mark.slow) for m in METHODS]


@pytest.mark.parametrize("method", methods("fork"))
def test_worker_killed_by_sigkill(method: str, tmp_path: Path) -> None:
    """Pool: the task is lost and the worker replaced; ProcessPoolExecutor: BrokenProcessPool."""
    program = PROGRAMS / "fault_worker_killed.py"
    expected, actual = run_both_groups(program, [method], tmp_path)
    helpers.compare(expected.outcome, actual.outcome, f"{program.name} {method}")


def ctrl_c(to_group: bool):
    """Return a `during` for run_group: after two lines, SIGINT to the parent or its group."""

    def during(proc: subprocess.Popen) -> bytes:
        seen = proc.stdout.readline() + proc.stdout.readline()  # the map's result, "ready"
        if to_group:
            os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
        else:
            proc.send_signal(signal.SIGINT)
        return seen

    return during


PARENT_TRACEBACK = [
    "Traceback (most recent call last):",
    f'  File "{PROGRAMS / "fault_ctrl_c.py"}", line 50, in <module>',
    "    raise e",
    "KeyboardInterrupt",
]


@pytest.mark.parametrize("method", methods("fork", "spawn"))
def test_ctrl_c_to_the_parent_ends_the_children(method: str, tmp_path: Path) -> None:
    """SIGINT to the parent only: KeyboardInterrupt there; its pool and daemon end with it."""
    program = PROGRAMS / "fault_ctrl_c.py"
    expected, actual = run_both_groups(program, [method, "pool"], tmp_path, during=ctrl_c(False))
    helpers.compare(expected.outcome, actual.outcome, f"{program.name} {method}")


@pytest.mark.parametrize("method", methods("fork", "forkserver"))
def test_ctrl_c_to_the_group(method: str, tmp_path: Path) -> None:
    """SIGINT to every process (a terminal's Ctrl-C): all end, the parent with its traceback.

    The children's own KeyboardInterrupt tracebacks would interleave with the parent's
    (split lines: 1 run in about 30 at forkserver), and race with the parent's exit,
    which terminates the daemon: the children write theirs to /dev/null, and only the
    parent's lines are compared.
    """
    program = PROGRAMS / "fault_ctrl_c.py"
    expected, actual = run_both_groups(
        program, [method, "processes"], tmp_path, during=ctrl_c(True)
    )
    for got in (expected.outcome, actual.outcome):
        lines = got.stderr.splitlines()
        assert all(line in lines for line in PARENT_TRACEBACK), got.stderr
    assert actual.outcome.stdout == expected.outcome.stdout
    assert actual.outcome.returncode == expected.outcome.returncode == -signal.SIGINT


@pytest.mark.parametrize("leak", ["shm", "semaphores"])
def test_resource_tracker_warnings(leak: str, tmp_path: Path) -> None:
    """A shared memory block never unlinked, semaphores after os._exit: python3's warnings."""
    program = PROGRAMS / "fault_resource_tracker.py"
    expected, actual = run_both_groups(program, [leak], tmp_path)
    helpers.compare(expected.outcome, actual.outcome, f"{program.name} {leak}")
