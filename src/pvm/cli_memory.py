"""`pvm memory`: run a program on pvm and show snapshots of its memory."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from collections.abc import Sequence
from typing import Any

from pvm.fileutil import write_atomic
from pvm.observe.memory import DEFAULT_MAX_OBJECTS
from pvm.observe.memory_render import Format, render, render_tree
from pvm.observe.memory_session import AtFunction, AtLine, Options, Session, SnapshotLog

HELP = f"""\
usage: pvm memory FILE [options] [ARGS...] [-- ARGS...]

Run FILE on pvm (with ARGS as its sys.argv[1:]; the options may come before or
after FILE, and arguments for the program that start with '-' go after '--')
and take snapshots of its memory:
the code segment (code objects loaded), the stack of each thread (frames with
arguments, locals, cells, return address and value stack), the heap (objects
reachable from the program, with stable ids and reference counts) and the data
segment (module globals and constants).  The program's own output and exit status
are kept; the report follows on stdout after the program's output, or goes to a
file with -o.

where to take snapshots (any number of --at; default: --at-exit):
  --at LINE           each time line LINE of FILE is about to run
  --at LINE:K         only the K-th time
  --at FUNC           on entry to the function FUNC (name or qualname)
  --every-line        before every line, in every frame of the program
  --every-instruction before every instruction (slow; use with --max-steps)
  --at-exit           at exit, before module globals are cleared
  --max-snapshots N   keep at most N snapshots (default 100)
  --max-steps N       stop observing after N steps (lines, or instructions)

what to record:
  --refs              trace reference-count changes step by step, with reasons,
                      frees and finalizers (__del__)
  --max-objects N     at most N heap objects per snapshot (default {DEFAULT_MAX_OBJECTS});
                      the report says how many references it left out
  --all               also walk objects of the standard library and dunder names

output:
  --format FORMAT     text (default: rich panels and tables), json (schema in
                      docs/memory-json.md) or dot (Graphviz source of the heap);
                      a json or dot report on stdout is all stdout holds: the
                      program's own output goes to stderr
  -o FILE, --output FILE
                      write the report to FILE (atomically) instead of stdout
  --width N           width of the text rendering (default: the terminal's, or
                      100 when stdout is not a terminal)
  -h, --help          show this help

A program that starts processes (multiprocessing, os.fork, subprocess of
sys.executable) is followed into each pvm child: each takes its own snapshots with
these options, and the report shows them process by process (separate heaps), with the
shared memory blocks each process maps (docs/processes-view.md).

The garbage collector's work (collections, objects freed, finalizers run) is
reported in every format.  Exit status: the program's; 2 for bad options; 1 if an
--at LINE or --at FUNC never happened while the program itself succeeded.
"""

PROG = "pvm memory"


class _BadUsage(Exception):
    """A command-line error: printed as 'pvm memory: message', exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise _BadUsage(message)


def _parser() -> _Parser:
    p = _Parser(prog=PROG, add_help=False)
    p.add_argument("-h", "--help", action="store_true")
    p.add_argument("--at", action="append", default=[])
    p.add_argument("--every-line", action="store_true")
    p.add_argument("--every-instruction", action="store_true")
    p.add_argument("--at-exit", action="store_true")
    p.add_argument("--refs", action="store_true")
    p.add_argument("--max-snapshots", type=_positive, default=100)
    p.add_argument("--max-steps", type=_positive, default=None)
    p.add_argument("--max-objects", type=_positive, default=DEFAULT_MAX_OBJECTS)
    p.add_argument("--all", action="store_true")
    p.add_argument("--format", choices=[f.value for f in Format], default=Format.TEXT.value)
    p.add_argument("-o", "--output")
    p.add_argument("--width", type=_positive, default=None)
    p.add_argument("file", nargs="?")
    p.add_argument("args", nargs="*")
    return p


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return n


def main(args: Sequence[str]) -> int:
    """Run `pvm memory` with args; return the exit status."""
    args = list(args)
    program_args: list[str] = []
    if "--" in args:
        cut = args.index("--")
        args, program_args = args[:cut], args[cut + 1 :]
    try:
        ns, unknown = _parser().parse_known_args(args)
        if unknown and unknown[0] in ("-m", "-c", "-"):
            raise _BadUsage(
                f"{unknown[0]}: pvm memory runs a program file only (not -m MODULE, -c CODE "
                f"or stdin); use `pvm run {unknown[0]} ...' to run it without snapshots"
            )
        if unknown:
            raise _BadUsage(
                f"unknown option {unknown[0]} (arguments for the program that start "
                f"with '-' go after '--')"
            )
        ns.args = list(ns.args) + program_args
        if ns.help:
            sys.stdout.write(HELP)
            return 0
        if ns.file is None:
            raise _BadUsage("no program given (usage: pvm memory [options] FILE [ARGS...])")
        options = _options(ns)
    except _BadUsage as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        print("Try 'pvm memory --help' for more information.", file=sys.stderr)
        return 2
    return _run(options, ns)


def _options(ns: argparse.Namespace) -> Options:
    """Check the options against the program's source; raise _BadUsage on a bad one."""
    path = ns.file
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise _BadUsage(f"can't open file {path!r}: {exc.strerror or exc}") from None
    if os.path.isdir(path):
        raise _BadUsage(f"{path!r} is a directory; give the program's .py file")
    opts = Options(
        path=path,
        every_line=ns.every_line,
        every_instruction=ns.every_instruction,
        at_exit=ns.at_exit,
        refs=ns.refs,
        max_snapshots=ns.max_snapshots,
        max_steps=ns.max_steps,
        max_objects=ns.max_objects,
        show_all=ns.all,
    )
    codes = _code_objects(data, path)
    nlines = len(data.splitlines())
    for spec in ns.at:
        head, _, nth = spec.partition(":")
        if head.strip().isdigit():
            line = int(head)
            k = None
            if nth:
                if not nth.isdigit() or int(nth) < 1:
                    raise _BadUsage(f"--at {spec}: K in LINE:K must be a positive integer")
                k = int(nth)
            if line < 1 or line > nlines:
                raise _BadUsage(
                    f"--at {spec}: line {line} is beyond the end of {path} ({nlines} lines)"
                )
            if codes is not None and not any(line in lines for _c, lines in codes):
                raise _BadUsage(
                    f"--at {spec}: line {line} of {path} has no code that runs "
                    f"(blank, a comment, or inside a statement that starts on another line)"
                )
            opts.at_lines.append(AtLine(line, k))
        else:
            if (
                nth
                or not spec
                or not all(part.isidentifier() or part == "<locals>" for part in spec.split("."))
            ):
                raise _BadUsage(f"--at {spec}: expected LINE, LINE:K or a function name")
            if codes is not None and not any(spec in (c.co_name, c.co_qualname) for c, _l in codes):
                raise _BadUsage(f"--at {spec}: no function named {spec!r} in {path}")
            opts.at_functions.append(AtFunction(spec))
    if not (
        opts.at_lines or opts.at_functions or opts.every_line or opts.every_instruction or opts.refs
    ):
        opts.at_exit = True
    return opts


def _code_objects(data: bytes, path: str) -> list | None:
    """Return (code object, its lines) for the program's code; None if it does not compile."""
    from pvm.compiler import compile_source

    try:
        top = compile_source(data, path, "exec")
    except (SyntaxError, ValueError):
        return None  # the run reports it as python3 would
    out = []
    todo = [top]
    while todo:
        code = todo.pop()
        n = len(code.co_code) // 4
        out.append((code, {code.line_of(i) for i in range(n)}))
        todo.extend(
            k for k in code.co_consts if hasattr(k, "co_code") and hasattr(k, "co_qualname")
        )
    return out


def _divert_stdout() -> int | None:
    """Point descriptor 1 at stderr; return a copy of the old one (None if that fails)."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
        os.dup2(2, 1)
    except (OSError, ValueError, AttributeError):
        return None
    return saved


def _restore_stdout(saved: int) -> None:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    os.dup2(saved, 1)
    os.close(saved)


def _run(options: Options, ns: argparse.Namespace) -> int:
    from pvm.observe import processes
    from pvm.runtime import main as runtime

    argv = [options.path, *ns.args]
    session = Session(options)
    log = SnapshotLog()
    # Every pvm process the program starts takes its own snapshots (processes.py).
    tree = processes.Tree.open(processes.Kind.MEMORY, processes.memory_settings(options))
    plog = processes.ProcessLog(processes.Kind.MEMORY, tree.directory, tree.root, argv)
    # The session publishes its snapshots on Topic.MEMORY; the log keeps them.
    processes.attach_session(plog, session, log, argv)
    atexit.register(session.at_exit)  # runs after the program's own atexit handlers
    fmt = Format(ns.format)
    # A JSON or dot report on stdout must stay parseable: the program's own output (its
    # children's and C code's too) goes to stderr meanwhile, at the descriptor.
    keep_stdout = _divert_stdout() if fmt is not Format.TEXT and ns.output is None else None
    plog.start()
    session.start()
    try:
        status = runtime.run_path(options.path, argv)
    finally:
        session.stop()
        atexit.unregister(session.at_exit)
        plog.stop()
        if keep_stdout is not None:
            _restore_stdout(keep_stdout)
    if plog.is_child:
        # A fork of this process (os.fork in the program) that returned here: its
        # snapshots go to the root, which shows them.
        plog.note_name()
        plog.finish(status)
        return status
    children = tree.records()
    missing = tree.missing
    tree.close()
    processes.merge_at_counts(options, children)
    doc = session.result(status, argv, log.snapshots())
    to_terminal = ns.output is None and _isatty(sys.stdout)
    width = ns.width or (_terminal_width() if to_terminal else 100)
    color = to_terminal and fmt is Format.TEXT
    if children or missing:
        text = render_tree(doc, plog, children, missing, fmt, width, color)
    else:
        text = render(doc, fmt, width=width, color=color)
    if ns.output is not None:
        try:
            write_atomic(ns.output, text)
        except OSError as exc:
            print(f"{PROG}: cannot write {ns.output!r}: {exc.strerror or exc}", file=sys.stderr)
            return status or 1
    else:
        try:
            sys.stdout.flush()
            sys.stdout.write(text)
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
    missed = _never_happened(options)
    for message in missed:
        print(f"{PROG}: {message}", file=sys.stderr)
    if missed and status == 0:
        return 1
    if runtime.interrupted:
        runtime.exit_process(status)  # by SIGINT, as `pvm run` and python3 end
    return status


def _never_happened(options: Options) -> list[str]:
    out = []
    for spec in options.at_lines:
        if spec.taken == 0:
            if spec.nth is not None and spec.seen:
                out.append(
                    f"--at {spec.line}:{spec.nth}: line {spec.line} of {options.path} ran only "
                    f"{spec.seen} time(s), no snapshot taken"
                )
            else:
                out.append(f"--at {spec.line}: line {spec.line} of {options.path} never ran")
    for fspec in options.at_functions:
        if fspec.taken == 0:
            out.append(f"--at {fspec.name}: function {fspec.name} was never called")
    return out


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _terminal_width() -> int:
    try:
        return max(60, os.get_terminal_size().columns)
    except OSError:
        return 100
