"""`pvm trace`: run a program on pvm recording every line step, and write a page to step through."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from collections.abc import Sequence
from typing import Any

from pvm.fileutil import write_atomic
from pvm.observe.trace_record import DEFAULT_MAX_OBJECTS, DEFAULT_MAX_STEPS

PROG = "pvm trace"

HELP = f"""\
usage: pvm trace [options] FILE [ARGS...] [-- ARGS...]

Run FILE on pvm as `pvm run FILE' would (same output, same exit status) and record
every line step of the program's own code, on every thread: the frames of each
thread (arguments, locals, cells, return address; suspended generators), the heap
reachable from them with reference counts, the globals (data segment), the code
objects loaded (code segment), the program's output (stdout and stderr) so far and
which thread held the GIL.  Then write the trace:

  html     (default: FILE.trace.html) one self-contained page to step through in
           any browser: source, output, frames per thread, the heap as a graph,
           the four segments, a GIL strip (docs/trace.md)
  json     (FILE.trace.json) the delta-encoded trace (docs/trace-json.md)
  pytutor  (FILE.pytutor.json) Python Tutor's trace format, pvm's extra facts
           (thread, reference counts, GIL holder) in extra fields

options (before or after FILE; arguments for the program that start with '-' go
after '--'):
  -o FILE, --output FILE   where to write the trace
  --format FORMAT          html (default), json or pytutor
  --max-steps N            stop recording after N steps (default {DEFAULT_MAX_STEPS});
                           the program runs on, and the trace says where it stopped
  --stop-at-max-steps      at --max-steps, stop the program as Ctrl-C would
                           (KeyboardInterrupt): for a program that never ends
  --every-instruction      a step per instruction instead of per line
  --max-objects N          at most N heap objects per step (default {DEFAULT_MAX_OBJECTS})
  --gil new|legacy|off, --switch-interval S, --check-interval N,
  --schedule os|deterministic, --seed N
                           pvm's GIL, as for `pvm run' (a deterministic schedule
                           gives the same trace on every run)
  -h, --help               show this help
"""


class _BadUsage(Exception):
    """A command-line error: printed as 'pvm trace: message', exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise _BadUsage(message)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return n


_GIL_FLAGS = ("--gil", "--switch-interval", "--check-interval", "--schedule", "--seed")


def _parser() -> _Parser:
    p = _Parser(prog=PROG, add_help=False)
    p.add_argument("-h", "--help", action="store_true")
    p.add_argument("-o", "--output")
    p.add_argument("--format", choices=["html", "json", "pytutor"], default="html")
    p.add_argument("--max-steps", type=_positive, default=DEFAULT_MAX_STEPS)
    p.add_argument("--every-instruction", action="store_true")
    p.add_argument("--stop-at-max-steps", action="store_true")
    p.add_argument("--max-objects", type=_positive, default=DEFAULT_MAX_OBJECTS)
    for flag in _GIL_FLAGS:
        p.add_argument(flag)
    p.add_argument("file", nargs="?")
    p.add_argument("args", nargs="*")
    return p


_SUFFIX = {"html": ".trace.html", "json": ".trace.json", "pytutor": ".pytutor.json"}


def main(args: Sequence[str]) -> int:
    """Run `pvm trace` with args; return the program's exit status (2 for bad options)."""
    from pvm import cli

    args = list(args)
    program_args: list[str] = []
    if "--" in args:
        cut = args.index("--")
        args, program_args = args[:cut], args[cut + 1 :]
    try:
        ns, unknown = _parser().parse_known_intermixed_args(args)
        if ns.help:
            sys.stdout.write(HELP)
            return 0
        if unknown:
            raise _BadUsage(
                f"unknown option {unknown[0]} (arguments for the program that start "
                f"with '-' go after '--'; pvm trace runs a program file, not -m or -c)"
            )
        if ns.file is None:
            raise _BadUsage("no program given (usage: pvm trace [options] FILE [ARGS...])")
        if os.path.isdir(ns.file) or not os.path.isfile(ns.file):
            raise _BadUsage(f"can't open file {ns.file!r}: not a program file")
        run_args = []
        for flag in _GIL_FLAGS:
            value = getattr(ns, flag[2:].replace("-", "_"))
            if value is not None:
                run_args += [flag, value]
        run = cli.parse_run_args([*run_args, ns.file, *ns.args, *program_args])
    except cli.UsageError as exc:
        print(exc.message.replace(f"{cli.PROG} run:", f"{PROG}:"), file=sys.stderr)
        return 2
    except _BadUsage as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        print("Try 'pvm trace --help' for more information.", file=sys.stderr)
        return 2
    output = ns.output or ns.file + _SUFFIX[ns.format]
    return _run(run, ns, os.path.abspath(output))


def _run(run: Any, ns: argparse.Namespace, output: str) -> int:
    from pvm import cli, concurrency
    from pvm.cli_gil import run_info
    from pvm.concurrency import GILOptions
    from pvm.observe import processes, proctrace, trace_html, trace_pytutor, trace_record
    from pvm.observe.trace_record import Options, StdoutTee, TraceSession

    options = Options(
        path=ns.file,
        every_instruction=ns.every_instruction,
        max_steps=ns.max_steps,
        max_objects=ns.max_objects,
    )
    gil_options = run.gil_options or GILOptions()
    info = run_info(run, gil_options)
    runtime = cli._runtime()
    real_stdout, real_stderr = sys.stdout, sys.stderr
    tee, tee_err = StdoutTee(real_stdout), StdoutTee(real_stderr)
    session = TraceSession(options, tee, tee_err, record_gil=False)
    session.stop_program = ns.stop_at_max_steps
    # Every pvm process the program starts records its GIL for this one, as under
    # `pvm gil` (pvm.observe.processes): the page shows a lane per process.
    tree = processes.Tree.open(processes.Kind.GIL)
    log = processes.ProcessLog(
        processes.Kind.GIL, tree.directory, tree.root, list(run.argv), session.gil, info
    )
    # Before the guest's sys is made from the host's: the guest writes through these.
    sys.stdout, sys.stderr = tee, tee_err
    atexit.register(session.at_exit)  # after the program's own atexit handlers
    # Subscribed first: configure() engages the GIL at once when someone listens.
    log.start()
    session.start()
    try:
        concurrency.configure(gil_options)
        status = cli._run(runtime, run)
    finally:
        session.finish()
        log.stop()
        atexit.unregister(session.at_exit)
        if sys.stdout is tee:
            sys.stdout = real_stdout
        if sys.stderr is tee_err:
            sys.stderr = real_stderr
    if log.is_child:
        # A fork of this process (os.fork in the program) that returned here: its
        # record goes to the root, which shows it as a lane; it writes no trace.
        log.note_name()
        log.finish(status)
        return status
    children = tree.records()
    view = None
    if children or tree.missing:
        view = proctrace.build(log.record(status), children, info, tree.missing)
    tree.close()
    doc = session.document(status, list(run.argv), info, view)
    if ns.format == "json":
        text = trace_record.dumps(doc)
    elif ns.format == "pytutor":
        text = trace_pytutor.dumps_compact(trace_pytutor.convert(doc))
    else:
        text = trace_html.render(doc)
    try:
        real_stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        write_atomic(output, text)
    except OSError as exc:
        print(f"{PROG}: cannot write {output!r}: {exc.strerror or exc}", file=sys.stderr)
        return status or 1
    steps = len(doc["steps"])
    where = os.path.relpath(output) if not os.path.relpath(output).startswith("..") else output
    note = f"{PROG}: wrote {where} ({steps} steps"
    if doc["stopped"] is not None:
        note += f"; stopped recording at --max-steps {doc['stopped']['max_steps']}"
        if doc["stopped"].get("program_stopped"):
            note += ", and the program"
    print(note + ")", file=sys.stderr)
    return cli._finish_run(runtime, status)
