"""Run a program in its own process group: a hang fails, and no process may outlive it.

helpers.run() kills only the process it started when time runs out, and then waits for
the pipes to close: a pool worker or a resource tracker still holding them would keep
that wait going for ever.  Here the program gets a session of its own, so on a timeout
the whole group is killed, and after a normal end the group must empty by itself (a
child still there is a process left behind, reported, then killed).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import helpers

HANG = 120.0  # seconds: a run this long has hung (a normal one takes a few seconds)
# After the program ends, its helpers (resource tracker, forkserver) see their pipes
# close and exit on their own; this bounds how long they may take.
GRACE = 20.0


@dataclass(frozen=True)
class GroupOutcome:
    """What a program showed, and the processes of its group still alive after it."""

    outcome: helpers.Outcome
    left_behind: tuple[str, ...]

    @property
    def timed_out(self) -> bool:
        return "<<timed out after" in self.outcome.stderr


def group_members(pgid: int) -> list[str]:
    """Return 'pid cmdline' for each live process of the process group (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
            # Fields after the command name (which may hold spaces and parentheses).
            fields = stat[stat.rindex(")") + 2 :].split()
            if fields[0] == "Z" or int(fields[2]) != pgid:
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        found.append(f"{entry} {cmd.strip()[:200]}")
    return found


def _wait_group_empty(pgid: int, grace: float) -> tuple[str, ...]:
    """Wait until no process of the group lives (up to grace seconds); return those left."""
    deadline = time.monotonic() + grace
    while True:
        left = group_members(pgid)
        if not left or time.monotonic() >= deadline:
            return tuple(left)
        time.sleep(0.05)


def run_group(
    argv: Sequence[str],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = HANG,
    during: Callable[[subprocess.Popen], None] | None = None,
) -> GroupOutcome:
    """Run argv as the leader of a new process group; kill the whole group on a timeout.

    ``during(proc)``, if given, is called once the program started (it may read the
    program's first lines from proc.stdout and send signals); what it read is not part
    of the outcome's stdout unless it puts it back (see interrupt_after_line).
    """
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=helpers.base_env(env),
        start_new_session=True,
    )
    pgid = proc.pid
    prefix = b""
    try:
        if during is not None:
            prefix = during(proc) or b""
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        left = tuple(group_members(pgid))
        _kill_group(pgid)
        out, err = proc.communicate()
        note = f"\n<<timed out after {timeout} s; group then: {list(left)}>>"
        return GroupOutcome(
            helpers.Outcome(
                (prefix + out).decode("utf-8", "replace"),
                err.decode("utf-8", "replace") + note,
                -9,
            ),
            left,
        )
    finally:
        if proc.poll() is None:
            _kill_group(pgid)
            proc.wait()
    left = _wait_group_empty(pgid, GRACE)
    if left:
        _kill_group(pgid)
    return GroupOutcome(
        helpers.Outcome(
            (prefix + out).decode("utf-8", "replace"),
            err.decode("utf-8", "replace"),
            proc.returncode,
        ),
        left,
    )


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_both_groups(
    program: Path,
    args: Sequence[str],
    cwd: Path,
    *,
    pvm_options: Sequence[str] = (),
    during: Callable[[subprocess.Popen], bytes | None] | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[GroupOutcome, GroupOutcome]:
    """Run a program under python3 and under pvm, each in its own group; check neither hung."""
    expected = run_group([helpers.PYTHON, str(program), *args], cwd, during=during, env=env)
    assert not expected.timed_out, f"python3 itself hung on {program.name}: {expected}"
    assert not expected.left_behind, f"python3 left {expected.left_behind}"
    actual = run_group(
        [*helpers.PVM, *pvm_options, str(program), *args], cwd, during=during, env=env
    )
    assert not actual.timed_out, f"pvm hung on {program.name} {args}:\n{actual.outcome.stderr}"
    assert not actual.left_behind, f"pvm left processes behind: {actual.left_behind}"
    return expected, actual
