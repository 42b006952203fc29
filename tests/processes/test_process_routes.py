"""Children run on pvm by every route: multiprocessing's start methods, pools, exec, fork.

Each program runs under python3 and under pvm (tests/processes/programs), in a process
group of its own so that a hang fails and a process left behind is seen, and the two
must print the same.  Each process also says where it runs guest code ("ran on " and
the width of its own code's instructions): python3 3.11's are 2 bytes, pvm's 4, and
every process that says it under python3 must say pvm's under pvm -- so each child ran
the program's code on pvm, not on the host.
"""

from __future__ import annotations

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


ON_HOST = "ran on 2-byte instructions"
ON_PVM = "ran on 4-byte instructions"


def compare_on_pvm(program: str, args: list[str], tmp_path: Path) -> None:
    """Run a program both ways; outputs agree once pvm's instruction width reads as python3's."""
    expected, actual = run_both_groups(PROGRAMS / program, args, tmp_path)
    out = actual.outcome
    assert ON_HOST not in out.stdout, f"a process ran on the host under pvm:\n{out.stdout}"
    assert out.stdout.count(ON_PVM) == expected.outcome.stdout.count(ON_HOST) > 0
    helpers.compare(
        expected.outcome,
        helpers.Outcome(out.stdout.replace(ON_PVM, ON_HOST), out.stderr, out.returncode),
        f"{program} {' '.join(args)}",
    )


@pytest.mark.parametrize("method", methods("fork", "spawn", "forkserver"))
def test_processes(method: str, tmp_path: Path) -> None:
    """Process targets and a subclass, daemons, exit codes, terminate/kill, parent_process."""
    compare_on_pvm("mp_process.py", [method], tmp_path)


@pytest.mark.parametrize("method", methods("fork", "forkserver"))
def test_pool(method: str, tmp_path: Path) -> None:
    """Pool: map, imap, imap_unordered, starmap, apply_async's callbacks, maxtasksperchild."""
    compare_on_pvm("mp_pool.py", [method], tmp_path)


@pytest.mark.parametrize("method", methods("fork", "spawn"))
def test_process_pool_executor(method: str, tmp_path: Path) -> None:
    """concurrent.futures.ProcessPoolExecutor: map, submit, exceptions, callbacks, shutdown."""
    compare_on_pvm("futures_pool.py", [method], tmp_path)


def test_subprocess_spawn_and_exec_of_sys_executable(tmp_path: Path) -> None:
    """subprocess, os.spawn* and os.exec* of sys.executable start pvm."""
    compare_on_pvm("exec_routes.py", [], tmp_path)


def test_bare_fork(tmp_path: Path) -> None:
    """os.fork: the child goes on running the program on pvm, with a heap of its own."""
    compare_on_pvm("bare_fork.py", [], tmp_path)


def test_callable_iterator_over_a_blocking_call(tmp_path: Path) -> None:
    """iter(queue.get, None) in a thread (Pool's task handler) lets the GIL go while it waits."""
    program = PROGRAMS.parent.parent / "concurrency" / "programs" / "callable_iterator.py"
    expected, actual = run_both_groups(program, [], tmp_path)
    helpers.compare(expected.outcome, actual.outcome, program.name)
