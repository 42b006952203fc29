"""`pvm gil`: run a program on pvm while recording the GIL's events, then show its time slots.

The program runs exactly as under `pvm run` (same run options, same output, same exit
status); the report goes to stderr after the program's own output, and the trace files
are written only when asked for. The recorder subscribes to the GIL's events here and
nowhere else, so a plain `pvm run` records nothing.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from pvm import cli, concurrency
from pvm.concurrency import GILOptions, Schedule, gil
from pvm.observe import giltrace
from pvm.runtime.source import PROG

DEFAULT_SLOTS = 20

GIL_USAGE = (
    f"usage: {PROG} gil [--slots N|all] [--chrome-trace FILE] [--json FILE] [run option] ... "
    "[-c cmd | -m mod | file | -] [arg] ..."
)

GIL_HELP = f"""\
{GIL_USAGE}

Run a Python program on pvm exactly as `{PROG} run' would (same options, same output, same
exit status) while recording every event of pvm's GIL: requests, acquisitions, releases
and why, blocking calls, thread start and exit. After the program ends, print to stderr:

  - the time-slot table: one row per slot (T1, T2, ...: one GIL holding period each),
    one column per thread, named as the program names them; cells are GIL Held,
    Waiting, Blocked (I/O), Not started or Finished (the state the thread spent most
    of that slot in);
  - per-thread statistics: time holding the GIL (and % of the run), waiting for it,
    blocked in I/O; acquisitions, forced drops, voluntary releases; mean and p95
    holding slice.

A program that starts processes (multiprocessing, os.fork, subprocess of sys.executable)
is followed into each pvm child: the report shows the processes side by side (which of
them held its own GIL in each window of the clock), the IPC messages between them (Pipe
and Queue, each send matched to its receive), then the tables above for each process,
labelled by name and pid (docs/processes-view.md).

Under `--schedule deterministic' times are ticks of pvm's virtual clock (guest progress,
counted where the interpreter checks its eval breaker: calls and loop back-edges), so
the same program and seed print byte-identical tables and traces.

options:
  -h, --help           show this help message and exit
  --slots N|all        show at most N rows of the time-slot table (default {DEFAULT_SLOTS});
                       a line says how many were left out
  --chrome-trace FILE  write a Chrome trace-event JSON file (open it in
                       https://ui.perfetto.dev or chrome://tracing): one track per
                       thread, slices for GIL held / waiting / blocked; with several
                       processes one trace: a track per pid, and a flow arrow from
                       each IPC message's send to its receive
  --json FILE          write the raw events and the computed tables as JSON

Every other option before the program is a `{PROG} run' option (see `{PROG} run -h').
"""


@dataclass
class GilRequest:
    """A parsed `pvm gil` command line: its own options and the `pvm run` arguments."""

    slots: int | None = DEFAULT_SLOTS  # None: show every slot
    chrome_trace: str | None = None
    json_path: str | None = None
    run_args: list[str] = field(default_factory=list)
    show_help: bool = False


_OWN_OPTIONS = ("--slots", "--chrome-trace", "--json")


def _usage(message: str) -> cli.UsageError:
    return cli.UsageError(message, GIL_USAGE, f"Try `{PROG} gil -h' for more information.")


def parse_slots(value: str) -> int | None:
    """Return the --slots limit (None for all), or raise UsageError."""
    if value == "all":
        return None
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1 or not value.strip().isdigit():
        raise _usage(f"{PROG} gil: --slots expects a positive number or 'all', not {value!r}")
    return n


def parse_gil_args(args: Sequence[str]) -> GilRequest:
    """Split the arguments after `pvm gil` into its own options and the `pvm run` ones."""
    request = GilRequest()

    def take(name: str, value: str | None) -> None:
        if name == "--slots":
            request.slots = parse_slots(value or "")
        elif not value:
            raise _usage(f"{PROG} gil: {name} expects a file name")
        elif name == "--chrome-trace":
            request.chrome_trace = value
        else:
            request.json_path = value

    request.show_help, request.run_args = cli.split_command_args(
        args, _OWN_OPTIONS, take, lambda name: _usage(f"{PROG} gil: {name} expects a value")
    )
    return request


def program_name(run: cli.RunRequest) -> str:
    """Return how the report names the program: its file, `-m MOD`, `-c` or `<stdin>`."""
    if run.kind is cli.Kind.FILE:
        return run.target
    if run.kind is cli.Kind.MODULE:
        return f"-m {run.target}"
    if run.kind is cli.Kind.CODE:
        return "-c"
    return "<stdin>"


def _report_width(stream: TextIO) -> int:
    from pvm.observe.render.giltables import TABLE_WIDTH

    return cli.report_width(stream, TABLE_WIDTH)


def _say(message: str, stream: TextIO) -> None:
    cli.say("gil", message, stream)


def run_info(run: cli.RunRequest, options: GILOptions) -> giltrace.RunInfo:
    """Return what the report says about the run's GIL settings."""
    deterministic = options.schedule is Schedule.DETERMINISTIC
    return giltrace.RunInfo(
        program=program_name(run),
        policy=options.policy.value,
        switch_interval=options.switch_interval,
        check_interval=options.check_interval,
        schedule=options.schedule.value,
        seed=options.seed if deterministic else None,
        clock=giltrace.Clock.VIRTUAL if deterministic else giltrace.Clock.NANOSECONDS,
    )


def main(args: Sequence[str]) -> int:
    """Run `pvm gil` with the arguments after `gil` and return the exit status."""
    request = parse_gil_args(args)
    if request.show_help:
        sys.stdout.write(GIL_HELP)
        return 0
    # The guest may replace or close sys.stderr; the report goes to the one we started with.
    err = sys.stderr
    outputs = [p for p in (request.chrome_trace, request.json_path) if p is not None]
    # Resolved now: the program may change the working directory before they are written.
    where = {path: os.path.abspath(path) for path in outputs}
    for path in outputs:
        try:
            giltrace.check_writable(path)
        except OSError as exc:
            _say(f"cannot write {path}: {exc}", err)
            return 2
    try:
        run = cli.parse_run_args(request.run_args, stdin_is_tty=cli._stdin_is_tty())
    except cli.UsageError as exc:
        raise _usage(exc.message.replace(f"{PROG} run:", f"{PROG} gil:")) from None
    if run.show_help:
        sys.stdout.write(GIL_HELP)
        return 0
    if run.dont_write_bytecode:
        sys.dont_write_bytecode = True
    # Everything the report needs is imported before the guest runs: the guest's run
    # replaces import hooks and builtins, which host imports afterwards should not meet.
    from pvm.observe import processes, proctrace
    from pvm.observe.render import giltables, proctables

    options = run.gil_options or GILOptions()
    info = run_info(run, options)
    recorder = giltrace.Recorder()
    runtime = cli._runtime()
    # Every pvm process the program starts records itself for this one (processes.py).
    tree = processes.Tree.open(processes.Kind.GIL)
    log = processes.ProcessLog(
        processes.Kind.GIL, tree.directory, tree.root, list(run.argv), recorder, info
    )
    # The recorder first: configure() engages the GIL at once when someone listens.
    log.start()
    interrupted: KeyboardInterrupt | None = None
    try:
        concurrency.configure(options)
        status = cli._run(runtime, run)
    except KeyboardInterrupt as exc:
        # A Ctrl-C the runtime did not handle (e.g. a second one while shutdown waits
        # for threads): still show what was recorded, then let it end the command.
        interrupted, status = exc, 130
    finally:
        log.stop()
    if log.is_child:
        # A fork of this process (os.fork in the program) that returned here: its
        # record is its report, which the root shows.
        log.note_name()
        log.finish(status)
        if interrupted is not None:
            raise interrupted
        return cli._finish_run(runtime, status)
    if gil.get_switch_interval() != options.switch_interval:
        info = dataclasses.replace(info, switch_interval_set=gil.get_switch_interval())
    children = tree.records()
    missing = tree.missing
    tree.close()
    timeline = giltrace.analyse(recorder.snapshot(), info)
    view = None
    if children or missing:
        root_record = log.record(status)
        view = proctrace.build(root_record, children, info, missing)
    for stream in (sys.stdout, sys.__stdout__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    try:
        if view is not None:
            err.write(proctables.report_text(view, request.slots, _report_width(err)))
        else:
            err.write(giltables.report_text(timeline, request.slots, _report_width(err)))
        err.flush()
    except (OSError, ValueError):
        pass
    exports = []
    if request.chrome_trace is not None:
        trace = giltrace.chrome_trace(timeline) if view is None else proctrace.chrome_trace(view)
        exports.append((request.chrome_trace, trace))
    if request.json_path is not None:
        doc = giltrace.timeline_json(timeline) if view is None else proctrace.tree_json(view)
        exports.append((request.json_path, doc))
    for path, document in exports:
        try:
            giltrace.write_atomic(where[path], giltrace.dumps(document))
        except OSError as exc:
            _say(f"cannot write {path}: {exc}", err)
            status = status or 1
        else:
            _say(f"wrote {path}", err)
    if interrupted is not None:
        raise interrupted
    return cli._finish_run(runtime, status)
