"""`pvm tasks`: run a program on pvm while recording its asyncio tasks, then show their time slots.

The program runs exactly as under `pvm run` (same run options, same output, same exit
status); the report goes to stderr after the program's own output, and the Chrome trace
is written only when asked for.  The instrumentation of asyncio is installed here and
nowhere else (pvm.observe.tasks.install), so a plain `pvm run` pays nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from pvm import cli, concurrency
from pvm.concurrency import GILOptions, Schedule
from pvm.runtime.source import PROG

DEFAULT_ROWS = 50

TASKS_USAGE = (
    f"usage: {PROG} tasks [--rows N|all] [--all-tasks] [--chrome-trace FILE] [run option] ... "
    "[-c cmd | -m mod | file | -] [arg] ..."
)

TASKS_HELP = f"""\
{TASKS_USAGE}

Run a Python program on pvm exactly as `{PROG} run' would (same options, same output, same
exit status) while recording what its asyncio event loop does, then print to stderr:

  - the time-slot table: one row per slice (from a task's resumption by the event loop
    to its next suspension at an await) and per wait of the idle loop; one column per
    task, named as the program names it, with its coroutine; cells are Running, Ready
    (scheduled, its turn not yet come), Waiting: WHAT (suspended until WHAT is done:
    sleep(1.0), task NAME, gather(...), read on socket, Queue.get(), Future ...) or
    Done; and what ended the row (what the task awaited, or that it returned, raised
    or was cancelled; for an idle loop, what woke it);
  - per-task statistics: steps (slices: times the loop resumed the task), running time,
    time Ready, time Waiting, and how the task ended.

Under `--schedule deterministic' the event loop's clock is virtual: it advances one
microsecond per check point of pvm's deterministic GIL (calls and loop back-edges of
guest code) and jumps straight to the next timer when only a timer can wake the loop,
so sleeps take no real time and the same program and seed print byte-identical tables.
A wait that a socket or another thread can end is waited for in real time, and the
report says that the run's times are then not deterministic.

options:
  -h, --help           show this help message and exit
  --rows N|all         show at most N rows of the time-slot table (default {DEFAULT_ROWS});
                       a line says how many were left out
  --all-tasks          also show asyncio's own tasks (the two that asyncio.run makes
                       to shut the loop down: shutdown_asyncgens and
                       shutdown_default_executor), hidden by default
  --chrome-trace FILE  write a Chrome trace-event JSON file (open it in
                       https://ui.perfetto.dev or chrome://tracing): a track per task
                       (Running, Ready, Waiting spans), a track for the event loop
                       (its idle waits), and a flow arrow for each await: from where
                       the awaited task or future was done to the task it resumed

Every other option before the program is a `{PROG} run' option (see `{PROG} run -h').
The standard library must run on pvm (the default guest world): --native-stdlib and
--native asyncio are refused.  Tasks in child processes are not shown.
"""


@dataclass
class TasksRequest:
    """A parsed `pvm tasks` command line: its own options and the `pvm run` arguments."""

    rows: int | None = DEFAULT_ROWS  # None: show every row
    all_tasks: bool = False  # also asyncio's own tasks (asyncio.run's shutdown steps)
    chrome_trace: str | None = None
    run_args: list[str] = field(default_factory=list)
    show_help: bool = False


_OWN_OPTIONS = ("--rows", "--chrome-trace")


def _usage(message: str) -> cli.UsageError:
    return cli.UsageError(message, TASKS_USAGE, f"Try `{PROG} tasks -h' for more information.")


def parse_rows(value: str) -> int | None:
    """Return the --rows limit (None for all), or raise UsageError."""
    if value == "all":
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise _usage(f"{PROG} tasks: --rows expects a positive number or 'all', not {value!r}")
    return int(value)


def parse_tasks_args(args: Sequence[str]) -> TasksRequest:
    """Split the arguments after `pvm tasks` into its own options and the `pvm run` ones."""
    request = TasksRequest()

    def take(name: str, value: str | None) -> None:
        if name == "--all-tasks":
            request.all_tasks = True
        elif name == "--rows":
            request.rows = parse_rows(value or "")
        elif not value:
            raise _usage(f"{PROG} tasks: {name} expects a file name")
        else:
            request.chrome_trace = value

    request.show_help, request.run_args = cli.split_command_args(
        args,
        _OWN_OPTIONS,
        take,
        lambda name: _usage(f"{PROG} tasks: {name} expects a value"),
        flags=("--all-tasks",),
    )
    return request


def _report_width(stream: TextIO) -> int:
    from pvm.observe.render.tasktables import TABLE_WIDTH

    return cli.report_width(stream, TABLE_WIDTH)


def _say(message: str, stream: TextIO) -> None:
    cli.say("tasks", message, stream)


def _unsupported(run: cli.RunRequest) -> str | None:
    """Return why this run cannot be observed (asyncio would run natively), or None."""
    native = list(run.native) + [p for p in os.environ.get("PVM_NATIVE", "").split(",") if p]
    if run.native_stdlib or (not run.guest_world and os.environ.get("PVM_GUEST_WORLD", "") == "0"):
        return (
            "the standard library runs natively (--native-stdlib or PVM_GUEST_WORLD=0), "
            "so asyncio's tasks cannot be observed; run it on pvm (the default)"
        )
    if any(p == "asyncio" or p.startswith("asyncio.") for p in native):
        return "asyncio runs natively (--native asyncio), so its tasks cannot be observed"
    return None


def main(args: Sequence[str]) -> int:
    """Run `pvm tasks` with the arguments after `tasks` and return the exit status."""
    request = parse_tasks_args(args)
    if request.show_help:
        sys.stdout.write(TASKS_HELP)
        return 0
    err = sys.stderr  # the guest may replace or close sys.stderr
    # Everything the report needs is imported before the guest runs: the guest's run
    # replaces import hooks and builtins, which host imports afterwards should not meet.
    from pvm.observe import giltrace, tasks
    from pvm.observe.render import taskchrome, tasktables

    where = None
    if request.chrome_trace is not None:
        where = os.path.abspath(request.chrome_trace)  # before the program can chdir
        try:
            giltrace.check_writable(request.chrome_trace)
        except OSError as exc:
            _say(f"cannot write {request.chrome_trace}: {exc}", err)
            return 2
    try:
        run = cli.parse_run_args(request.run_args, stdin_is_tty=cli._stdin_is_tty())
    except cli.UsageError as exc:
        raise _usage(exc.message.replace(f"{PROG} run:", f"{PROG} tasks:")) from None
    if run.show_help:
        sys.stdout.write(TASKS_HELP)
        return 0
    problem = _unsupported(run)
    if problem is not None:
        _say(problem, err)
        return 2
    if run.dont_write_bytecode:
        sys.dont_write_bytecode = True
    if run.native:
        native = [p for p in os.environ.get("PVM_NATIVE", "").split(",") if p]
        os.environ["PVM_NATIVE"] = ",".join(native + run.native)
    options = run.gil_options or GILOptions()
    deterministic = options.schedule is Schedule.DETERMINISTIC
    instrument = tasks.install(virtual_clock=deterministic)
    recorder = tasks.Recorder()
    runtime = cli._runtime()
    recorder.start()
    interrupted: KeyboardInterrupt | None = None
    try:
        concurrency.configure(options)
        status = cli._run(runtime, run)
    except KeyboardInterrupt as exc:
        # A Ctrl-C the runtime did not handle: still show what was recorded.
        interrupted, status = exc, 130
    finally:
        recorder.stop()
    timeline = tasks.analyse(
        recorder.events,
        deterministic,
        instrument.clock.real_waits,
        instrument.problems,
        all_tasks=request.all_tasks,
    )
    for stream in (sys.stdout, sys.__stdout__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    info = tasktables.RunInfo(
        program=_program_name(run),
        schedule=options.schedule.value,
        seed=options.seed if deterministic else None,
    )
    # A program that failed before any task (a missing file, a syntax error) has said
    # so in CPython's words; a report of nothing would only bury that.
    if recorder.events or status == 0 or instrument.problems:
        try:
            err.write(tasktables.report_text(timeline, info, request.rows, _report_width(err)))
            err.flush()
        except (OSError, ValueError):
            pass
    if request.chrome_trace is not None and where is not None:
        try:
            giltrace.write_atomic(where, giltrace.dumps(taskchrome.chrome_trace(timeline)))
        except OSError as exc:
            _say(f"cannot write {request.chrome_trace}: {exc}", err)
            status = status or 1
        else:
            _say(f"wrote {request.chrome_trace}", err)
    if interrupted is not None:
        raise interrupted
    return cli._finish_run(runtime, status)


def _program_name(run: cli.RunRequest) -> str:
    """Return how the report names the program: its file, `-m MOD`, `-c` or `<stdin>`."""
    if run.kind is cli.Kind.FILE:
        return run.target
    if run.kind is cli.Kind.MODULE:
        return f"-m {run.target}"
    if run.kind is cli.Kind.CODE:
        return "-c"
    return "<stdin>"
