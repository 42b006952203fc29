"""The `pvm` command line: run, compile and dis, behaving like `python3` where they overlap.

Arguments are parsed by hand, not with argparse, because everything after the program
(FILE, -c CMD, -m MOD or -) belongs to the guest and must reach its sys.argv untouched,
as with `python3`. Running is delegated to pvm.runtime.main; this module only turns a
command line into one call and turns a user's mistake into CPython's message and exit
status, never into a pvm traceback.

Guest sys.argv handed to the runtime, as `python3` sets it before running:
``run_path(FILE, [FILE, *args])``, ``run_module(MOD, ["-m", *args])``,
``run_source(CMD, ["-c", *args], filename="<string>")`` and
``run_source(text, ["-", *args], filename="<stdin>")`` (``[""]`` when no program is
named and stdin is not a terminal).
"""

from __future__ import annotations

import enum
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import pvm
from pvm.config import config
from pvm.runtime import source
from pvm.runtime.source import PROG

MAIN_USAGE = f"usage: {PROG} [--version] [-h] <command> [<args>]"
RUN_USAGE = f"usage: {PROG} run [option] ... [-c cmd | -m mod | file | -] [arg] ..."
COMPILE_USAGE = f"usage: {PROG} compile [-h] [--no-write] [-q] file ..."
DIS_USAGE = f"usage: {PROG} dis [-h] [file | -c cmd | -]"

MAIN_HELP = f"""\
{MAIN_USAGE}

pvm: a Python virtual machine written in Python. It compiles Python source to its own
bytecode, caches it in __pycache__, and runs it on its own interpreter.

commands:
  run      run a program on pvm, like python3:
             {PROG} run [option] ... [-c cmd | -m mod | file | -] [arg] ...
  compile  compile source files to pvm bytecode in __pycache__:
             {PROG} compile [--no-write] [-q] file ...
  dis      disassemble a file or a string, like python3 -m dis:
             {PROG} dis [file | -c cmd | -]
  gil      run a program and show its GIL time-slot table and per-thread statistics:
             {PROG} gil [--slots N] [--chrome-trace FILE] [--json FILE] [run option] ... file
  memory   run a program and show its memory: code segment, stacks, heap, data segment:
             {PROG} memory FILE [--at LINE | --at FUNC | --every-line] [--refs] ...
  tasks    run a program and show its asyncio tasks' time-slot table and statistics:
             {PROG} tasks [--rows N] [--chrome-trace FILE] [run option] ... file
  compare  measure a workload in threads, processes and asyncio, under python3 and pvm:
             {PROG} compare TARGET [--workers 1,2,4] [--format text|json|markdown] ...
  trace    run a program recording every line step; write a page to step through it:
             {PROG} trace FILE [-o OUT] [--format html|json|pytutor] [--max-steps N] ...

options:
  -h, --help  show this help message and exit
  --version   show pvm's version and exit

`{PROG} <command> --help' shows a command's options.
"""

RUN_HELP = f"""\
{RUN_USAGE}
Run a Python program on pvm, as `python3' would run it.

Options (and corresponding environment variables):
-B     : don't write .pyc files on import; also PYTHONDONTWRITEBYTECODE=x
-c cmd : program passed in as string (terminates option list)
-h     : print this help message and exit (also -? or --help)
-i     : inspect interactively after running the program (as python3 -i)
-m mod : run library module as a script (terminates option list)
-O     : remove assert and __debug__-dependent statements; .opt-1 cache files
-OO    : do -O changes and also discard docstrings; .opt-2 cache files
-v     : verbose (trace the program's imports); can be given twice
-x     : skip first line of source, allowing use of non-Unix forms of #!cmd
file   : program read from script file
-      : program read from stdin (default when stdin is not a terminal; on a
         terminal, with no program, an interactive session)
arg ...: arguments passed to program in sys.argv[1:]

GIL and thread options (before the program: `--gil legacy' or `--gil=legacy'):
--gil new|legacy|off : pvm's GIL policy (default: new). new: CPython 3.2+'s GIL (a
         waiting thread asks the holder to drop it after the switch interval; forced
         switching). legacy: Python 2's GIL (release and re-take every N instructions).
         off: no pvm GIL; guest threads run under the host's GIL only
--switch-interval SECONDS : the new GIL's switch interval (default: 0.005; the guest's
         sys.getswitchinterval())
--check-interval N : the legacy GIL's check interval, in instructions (default: 100);
         also the mean slice of the deterministic schedule
--schedule os|deterministic : os (default): real timing. deterministic: threads switch
         on instruction counts, at points and in an order a seeded RNG chooses, so the
         same program and seed give the same interleaving
--seed N : the deterministic schedule's seed (default: 0)

--guest-world : (the default) run the standard library and installed packages on pvm
         too, in a module namespace of the guest's own, as CPython runs all Python code
         on its one VM; only C code runs natively (also PVM_GUEST_WORLD=1; see
         docs/guest-world.md)
--native PKG[,PKG...] : in the guest world, import these packages (and their
         submodules) with the host and run them natively (also PVM_NATIVE=PKG,...):
         faster, less faithful (docs/guest-world.md)
--native-stdlib : the whole library natively, on the host, sharing its modules:
         faster, less faithful (PVM_GUEST_WORLD=0; docs/guest-world.md)

pvm-python (docs/pvm-python.md) takes every option of python3, and its variables.

Other environment variables:
PYTHONPATH       : ':'-separated list of directories prefixed to the module search path
PYTHONPYCACHEPREFIX: root directory for bytecode cache (pyc) files
PVMVERBOSE       : report each bytecode cache hit, miss and write on stderr
"""

COMPILE_HELP = f"""\
{COMPILE_USAGE}

Compile each file to pvm bytecode and write it to the __pycache__ cache, like
`python3 -m py_compile': also under -B or PYTHONDONTWRITEBYTECODE, which govern what
importing writes. Errors are reported as py_compile reports them; every file is tried,
and the exit status is 1 if any of them failed.

positional arguments:
  file        files to compile ('-' alone: read the file names from stdin)

options:
  -h, --help  show this help message and exit
  --no-write  compile and report errors only; write nothing
  -q, --quiet suppress error output
"""

DIS_HELP = f"""\
{DIS_USAGE}

Disassemble every code object of a program, recursively, in the layout of
`python3 -m dis'. FILE may also be a pvm cache file (__pycache__/NAME.pvm-XY.pyc).

positional arguments:
  file        the source file (default: read the source from stdin)

options:
  -h, --help  show this help message and exit
  -c cmd      disassemble the program passed in as string
"""


class UsageError(Exception):
    """A malformed command line; reported with a usage line and exit status 2."""

    def __init__(self, message: str, usage: str = MAIN_USAGE, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage
        self.hint = hint or f"Try `{PROG} -h' for more information."


class Kind(enum.Enum):
    """What `pvm run` was asked to run."""

    FILE = "file"
    MODULE = "module"
    CODE = "code"
    STDIN = "stdin"
    INTERACTIVE = "interactive"  # no program and stdin a terminal: the REPL


@dataclass
class RunRequest:
    """A parsed `pvm run` command line."""

    kind: Kind
    target: str  # the file, module name or source text; "" for stdin
    argv: list[str]  # the guest's sys.argv
    dont_write_bytecode: bool = False
    show_help: bool = False
    # A pvm.concurrency.GILOptions: the GIL flags (--gil, --switch-interval, ...);
    # parse_run_args always sets it.
    gil_options: Any = None
    guest_world: bool = False  # --guest-world: the library on pvm (pvm.runtime.world)
    native_stdlib: bool = False  # --native-stdlib: the library natively (no guest world)
    native: list[str] = field(default_factory=list)  # --native PKG: these packages natively
    inspect: bool = False  # -i: an interactive session after the program, as python3 -i
    optimize: int = 0  # -O, -OO: as python3's (pvm.config)
    verbose: int = 0  # -v: the guest's imports traced, as python3's
    skip_first_line: bool = False  # -x: as python3's


@dataclass
class CompileRequest:
    """A parsed `pvm compile` command line."""

    files: list[str] = field(default_factory=list)
    write: bool = True
    quiet: bool = False
    show_help: bool = False


@dataclass
class DisRequest:
    """A parsed `pvm dis` command line."""

    kind: Kind = Kind.STDIN  # FILE, CODE or STDIN
    target: str = ""
    show_help: bool = False


# -- parsing ----------------------------------------------------------------------


GIL_FLAGS = ("--gil", "--switch-interval", "--check-interval", "--schedule", "--seed")


def _gil_value(flag: str, value: str, gil: dict, hint: str) -> None:
    """Check one GIL flag's value and store it in gil (the GILOptions fields)."""
    from pvm.concurrency import GILPolicy, Schedule

    def bad(what: str) -> UsageError:
        return UsageError(f"{PROG} run: {flag}: {what}, not {value!r}", RUN_USAGE, hint)

    if flag == "--gil":
        choices = [p.value for p in GILPolicy]
        if value not in choices:
            raise bad(f"the policy must be one of {', '.join(choices)}")
        gil["policy"] = GILPolicy(value)
    elif flag == "--schedule":
        choices = [p.value for p in Schedule]
        if value not in choices:
            raise bad(f"the schedule must be one of {', '.join(choices)}")
        gil["schedule"] = Schedule(value)
    elif flag == "--switch-interval":
        try:
            seconds = float(value)
        except ValueError:
            seconds = float("nan")
        if not (0.0 < seconds < float("inf")):
            raise bad("the switch interval must be a positive number of seconds")
        gil["switch_interval"] = seconds
    elif flag == "--check-interval":
        try:
            n = int(value)
        except ValueError:
            n = 0
        if n < 1:
            raise bad("the check interval must be a positive whole number of instructions")
        gil["check_interval"] = n
    else:  # --seed
        try:
            gil["seed"] = int(value)
        except ValueError:
            raise bad("the seed must be a whole number") from None


def _gil_options(gil: dict) -> Any:
    from pvm.concurrency import GILOptions

    return GILOptions(**gil)


def parse_run_args(args: Sequence[str], stdin_is_tty: bool = False) -> RunRequest:
    """Parse the arguments after `pvm run`, the way `python3` parses its own.

    The GIL flags (GIL_FLAGS, each with a value, as ``--gil new`` or ``--gil=new``) go
    before the program, like python3's own options; they end up in ``gil_options``
    (a pvm.concurrency.GILOptions, always set).
    """
    run_hint = f"Try `{PROG} run -h' for more information."
    dont_write = False
    guest_world = False
    native_stdlib = False
    native: list[str] = []
    gil: dict = {}
    i = 0

    inspect = False
    counts = {"O": 0, "v": 0, "x": 0}  # python3's options pvm implements itself

    def made(request: RunRequest) -> RunRequest:
        request.inspect = inspect
        request.optimize, request.verbose = counts["O"], counts["v"]
        request.skip_first_line = bool(counts["x"])
        request.gil_options = _gil_options(gil)
        request.guest_world = guest_world
        request.native_stdlib = native_stdlib
        request.native = list(native)
        return request

    while i < len(args):
        arg = args[i]
        if arg == "--":
            i += 1
            break
        if arg in ("--help", "-?"):
            return made(RunRequest(Kind.STDIN, "", [], show_help=True))
        if arg == "--guest-world":
            guest_world = True
            i += 1
            continue
        if arg == "--native-stdlib":
            native_stdlib = True
            i += 1
            continue
        if arg == "--native" or arg.startswith("--native="):
            if arg == "--native":
                if i + 1 >= len(args):
                    raise UsageError(
                        "Argument expected for the --native option", RUN_USAGE, run_hint
                    )
                i += 1
                value = args[i]
            else:
                value = arg.partition("=")[2]
            native.extend(p for p in value.split(",") if p)
            i += 1
            continue
        flag, eq, value = arg.partition("=")
        if flag in GIL_FLAGS:
            if not eq:
                if i + 1 >= len(args):
                    raise UsageError(
                        f"Argument expected for the {flag} option", RUN_USAGE, run_hint
                    )
                value = args[i + 1]
                i += 1
            _gil_value(flag, value, gil, run_hint)
            i += 1
            continue
        if arg.startswith("--"):
            raise UsageError(f"unknown option {arg}", RUN_USAGE, run_hint)
        if not arg.startswith("-") or arg == "-":
            break
        # A cluster of one-letter options, as in `-Bc CMD` or `-cCMD`.
        for j in range(1, len(arg)):
            letter = arg[j]
            if letter in "cm":
                value = arg[j + 1 :]
                rest_start = i + 1
                if not value:
                    if i + 1 >= len(args):
                        raise UsageError(
                            f"Argument expected for the -{letter} option", RUN_USAGE, run_hint
                        )
                    value = args[i + 1]
                    rest_start = i + 2
                rest = list(args[rest_start:])
                if letter == "c":
                    return made(RunRequest(Kind.CODE, value, ["-c", *rest], dont_write))
                return made(RunRequest(Kind.MODULE, value, ["-m", *rest], dont_write))
            if letter == "B":
                dont_write = True
            elif letter == "i":
                inspect = True
            elif letter in counts:
                counts[letter] += 1
            elif letter in "h?":
                return made(RunRequest(Kind.STDIN, "", [], show_help=True))
            else:
                raise UsageError(f"Unknown option: -{letter}", RUN_USAGE, run_hint)
        i += 1
    if i >= len(args):
        if stdin_is_tty:  # as python3: an interactive session
            return made(RunRequest(Kind.INTERACTIVE, "", [""], dont_write))
        return made(RunRequest(Kind.STDIN, "", [""], dont_write))
    program = args[i]
    rest = list(args[i + 1 :])
    if program == "-":
        return made(RunRequest(Kind.STDIN, "", ["-", *rest], dont_write))
    return made(RunRequest(Kind.FILE, program, [program, *rest], dont_write))


def parse_compile_args(args: Sequence[str]) -> CompileRequest:
    """Parse the arguments after `pvm compile`."""
    request = CompileRequest()
    hint = f"Try `{PROG} compile -h' for more information."
    options_done = False
    for arg in args:
        if options_done or not arg.startswith("-") or arg == "-":
            request.files.append(arg)
        elif arg == "--":
            options_done = True
        elif arg in ("-h", "--help"):
            request.show_help = True
        elif arg == "--no-write":
            request.write = False
        elif arg in ("-q", "--quiet"):
            request.quiet = True
        else:
            raise UsageError(f"unknown option {arg}", COMPILE_USAGE, hint)
    if not request.files and not request.show_help:
        raise UsageError(f"{PROG} compile: no files given", COMPILE_USAGE, hint)
    return request


def parse_dis_args(args: Sequence[str]) -> DisRequest:
    """Parse the arguments after `pvm dis`."""
    hint = f"Try `{PROG} dis -h' for more information."
    request = DisRequest()
    i = 0
    given = False
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            request.show_help = True
        elif arg == "-c" or (arg.startswith("-c") and not arg.startswith("--")):
            value = arg[2:]
            if not value:
                if i + 1 >= len(args):
                    raise UsageError("Argument expected for the -c option", DIS_USAGE, hint)
                i += 1
                value = args[i]
            request.kind, request.target = Kind.CODE, value
            given = True
        elif arg == "-" or not arg.startswith("-"):
            if given:
                raise UsageError(f"unexpected argument {arg}", DIS_USAGE, hint)
            request.kind = Kind.STDIN if arg == "-" else Kind.FILE
            request.target = arg
            given = True
        else:
            raise UsageError(f"unknown option {arg}", DIS_USAGE, hint)
        i += 1
    return request


# -- source checks ------------------------------------------------------------------


def format_syntax_error(exc: SyntaxError) -> str:
    """Return a SyntaxError as CPython reports it: file, line, source, caret, message."""
    return "".join(traceback.format_exception_only(type(exc), exc))


# -- running --------------------------------------------------------------------


class PartMissing(Exception):
    """A part of pvm the command needs cannot be imported (a broken or partial install)."""


def _runtime() -> Any:
    try:
        from pvm.runtime import main as runtime_main  # the cli is the one place that wires parts
    except ImportError as exc:
        raise PartMissing(f"the runtime (pvm.runtime.main) is not available: {exc}") from exc
    return runtime_main


def _compile_fn() -> Callable[[str | bytes, str], Any]:
    try:
        from pvm.compiler import compile_source
    except ImportError as exc:
        raise PartMissing(f"the compiler (pvm.compiler) is not available: {exc}") from exc

    def compile_fn(source: str | bytes, path: str) -> Any:
        return compile_source(source, path, "exec")

    return compile_fn


def _cant_open(path: str, exc: OSError) -> int:
    print(
        f"{PROG}: can't open file '{os.path.abspath(path)}': [Errno {exc.errno}] {exc.strerror}",
        file=sys.stderr,
    )
    return 2


def cmd_run(args: Sequence[str]) -> int:
    """Run a program on pvm and return its exit status."""
    request = parse_run_args(args, stdin_is_tty=_stdin_is_tty())
    if request.show_help:
        sys.stdout.write(RUN_HELP)
        return 0
    if request.dont_write_bytecode:
        sys.dont_write_bytecode = True
    if request.guest_world:
        os.environ["PVM_GUEST_WORLD"] = "1"  # (read by pvm.runtime.main; children inherit it)
    if request.native_stdlib:
        os.environ["PVM_GUEST_WORLD"] = "0"
    if request.native:
        native = [p for p in os.environ.get("PVM_NATIVE", "").split(",") if p]
        os.environ["PVM_NATIVE"] = ",".join(native + request.native)
    runtime = _runtime()
    # PYTHONINSPECT (pvm-python's config.inspect) enters a session only on a terminal;
    # -i (interactive too) always, as pymain_repl.
    runtime.inspect = request.inspect or (config.inspect and _stdin_is_tty())
    # What python3's -i, -O, -v and -x set, for this run (pvm-python sets them before).
    before = (
        config.inspect,
        config.interactive,
        config.optimize,
        config.verbose,
        config.skip_first_line,
    )
    if request.inspect:
        config.inspect = config.interactive = True
    # The host's own level counts too (python3 -O -m pvm run, PYTHONOPTIMIZE for `pvm`):
    # the guest's sys.flags shows it, so the compiler must follow it.
    config.optimize = max(config.optimize, request.optimize, sys.flags.optimize)
    config.verbose = max(config.verbose, request.verbose, sys.flags.verbose)
    config.skip_first_line = config.skip_first_line or request.skip_first_line
    try:
        return _run_configured(runtime, request)
    finally:
        (
            config.inspect,
            config.interactive,
            config.optimize,
            config.verbose,
            config.skip_first_line,
        ) = before


def _run_configured(runtime: Any, request: RunRequest) -> int:
    # A child of `pvm gil` or `pvm memory` records itself for its root (first: configuring
    # the GIL engages it when a recorder listens).
    log = _observed_child(request)
    configure_gil(request)
    try:
        status = _run(runtime, request)
    except BaseException:
        if log is not None:
            log.finish(None)
        raise
    if log is not None:
        log.finish(status)
    return _finish_run(runtime, status)


def _observed_child(request: RunRequest) -> Any:
    """Start this process's record if `pvm gil`/`pvm memory` started it, else return None."""
    if not os.environ.get("PVM_OBSERVE_DIR"):
        return None
    from pvm.cli_gil import run_info
    from pvm.concurrency import GILOptions
    from pvm.observe import processes

    if processes.child_kind() is None:
        return None
    return processes.child_log(
        list(request.argv), run_info(request, request.gil_options or GILOptions())
    )


def configure_gil(request: RunRequest) -> None:
    """Set pvm's GIL up as the run's flags say, before the program starts."""
    from pvm import concurrency

    concurrency.configure(request.gil_options)


def _run(runtime: Any, request: RunRequest) -> int:
    if request.kind is Kind.CODE:
        return runtime.run_source(request.target, request.argv, filename="<string>")
    if request.kind is Kind.MODULE:
        return runtime.run_module(request.target, request.argv)
    if request.kind is Kind.INTERACTIVE:
        return runtime.run_interactive(request.argv)
    if request.kind is Kind.STDIN:
        data = sys.stdin.buffer.read()
        problem = source.check_script_source(data, "<stdin>")
        if problem is not None:
            sys.stderr.write(format_syntax_error(problem))
            return 1
        return runtime.run_source(source.decode_source(data), request.argv, filename="<stdin>")
    return runtime.run_path(request.target, request.argv)


def _finish_run(runtime: Any, status: int) -> int:
    # After a KeyboardInterrupt the runtime ends the process by SIGINT, as CPython does.
    if getattr(runtime, "interrupted", False) and hasattr(runtime, "exit_process"):
        runtime.exit_process(status)
    return status


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


# -- compiling ------------------------------------------------------------------


def cmd_compile(args: Sequence[str]) -> int:
    """Compile files to the cache (or only check them) and return 0 if all compiled."""
    request = parse_compile_args(args)
    if request.show_help:
        sys.stdout.write(COMPILE_HELP)
        return 0
    files = request.files
    if files == ["-"]:
        files = [line.rstrip("\n") for line in sys.stdin.readlines()]
    compile_fn = _compile_fn()
    status = 0
    for filename in files:
        message = compile_one(filename, compile_fn, write=request.write)
        if message is not None:
            status = 1
            if not request.quiet:
                sys.stderr.write(message)
    return status


def compile_one(filename: str, compile_fn: Callable, *, write: bool = True) -> str | None:
    """Compile one file (writing its cache if ``write``); return py_compile's error text or None."""
    from pvm.bytecode import cache

    try:
        cache.compile_file(filename, compile_fn, write=write)
    except SyntaxError as exc:
        if type(exc) is SyntaxError:
            return format_syntax_error(exc)
        # py_compile formats only SyntaxError itself so; its subclasses (TabError,
        # IndentationError) get the "Sorry:" line, as below.
        return f"Sorry: {type(exc).__name__}: {exc}\n"
    except OSError as exc:
        return f"{exc}\n"
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - py_compile reports any other failure so, too
        return f"Sorry: {type(exc).__name__}: {exc}\n"
    return None


# -- disassembling --------------------------------------------------------------


def cmd_dis(args: Sequence[str], out: TextIO | None = None) -> int:
    """Disassemble a file, a string or stdin, like `python3 -m dis`."""
    from pvm.bytecode import dis

    request = parse_dis_args(args)
    out = sys.stdout if out is None else out
    if request.show_help:
        out.write(DIS_HELP)
        return 0
    if request.kind is Kind.FILE and request.target.endswith(".pyc"):
        return _dis_cache_file(request.target, out)
    if request.kind is Kind.CODE:
        source: str | bytes = request.target
        filename = "<dis>"
    elif request.kind is Kind.STDIN:
        source = sys.stdin.buffer.read()
        filename = "<stdin>"
    else:
        filename = request.target
        try:
            with open(filename, "rb") as f:
                source = f.read()
        except OSError as exc:
            return _cant_open(filename, exc)
    try:
        code = _compile_fn()(source, filename)
    except SyntaxError as exc:
        sys.stderr.write(format_syntax_error(exc))
        return 1
    dis.dis(code, file=out)
    return 0


def _dis_cache_file(path: str, out: TextIO) -> int:
    from pvm.bytecode import cache, dis, serialize

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return _cant_open(path, exc)
    if len(data) < cache.HEADER_SIZE or data[:4] != cache.MAGIC:
        print(f"{PROG}: {path} is not a cache file of this pvm (bad magic number)", file=sys.stderr)
        return 1
    try:
        code = serialize.loads(data[cache.HEADER_SIZE :])
    except ValueError as exc:
        print(f"{PROG}: {path}: {exc}", file=sys.stderr)
        return 1
    dis.dis(code, file=out)
    return 0


# -- entry point ----------------------------------------------------------------


def _command_module(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise PartMissing(f"{name} is not available: {exc}") from exc


def cmd_gil(args: Sequence[str]) -> int:
    """Run a program recording the GIL's events, then show its time-slot table."""
    return _command_module("pvm.cli_gil").main(args)


def cmd_memory(args: Sequence[str]) -> int:
    """Run a program taking snapshots of its memory: code, stack, heap, data."""
    return _command_module("pvm.cli_memory").main(args)


def cmd_trace(args: Sequence[str]) -> int:
    """Run a program recording every line step, then write a page to step through it."""
    return _command_module("pvm.cli_trace").main(args)


def cmd_compare(args: Sequence[str]) -> int:
    """Measure a workload in threads, processes and asyncio under python3 and pvm."""
    return _command_module("pvm.cli_compare").main(args)


def cmd_tasks(args: Sequence[str]) -> int:
    """Run a program recording its asyncio tasks, then show their time-slot table."""
    return _command_module("pvm.cli_tasks").main(args)


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "run": cmd_run,
    "compile": cmd_compile,
    "dis": cmd_dis,
    "gil": cmd_gil,
    "memory": cmd_memory,
    "tasks": cmd_tasks,
    "compare": cmd_compare,
    "trace": cmd_trace,
}


def dispatch(args: Sequence[str]) -> int:
    """Run the command named by the first argument and return the exit status."""
    if not args:
        sys.stderr.write(MAIN_HELP)
        return 2
    first = args[0]
    if first in ("-h", "--help", "-?"):
        sys.stdout.write(MAIN_HELP)
        return 0
    if first in ("--version", "-V"):
        print(f"{PROG} {pvm.__version__} (Python {sys.version.split()[0]})")
        return 0
    if first.startswith("-"):
        raise UsageError(f"unknown option {first}")
    command = COMMANDS.get(first)
    if command is None:
        raise UsageError(
            f"{PROG}: unknown command '{first}' (choose from {', '.join(COMMANDS)}; "
            f"to run a file: {PROG} run {first})"
        )
    return command(args[1:])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the pvm command line and return the exit status."""
    if argv is None:  # the command itself: the process ends after this
        return freeze_for_exit(_report(dispatch, sys.argv[1:]))
    return _report(dispatch, list(argv))


def freeze_for_exit(status: int) -> int:
    """Move the host's heap out of the collector's reach, as the process is about to end.

    The host's own finalization runs several full collections, each walking every object
    pvm holds (decoded code, the guest's library): about 0.7 s of CPU after a program that
    imported distributed, where python3 exits at once (a Dask nanny gives its worker 4 s
    to exit).  The guest's modules are gone by now (World.finalize_modules collected
    them), and objects are still freed when their last reference goes, so only the
    host's final collections are skipped.
    """
    import gc

    gc.freeze()
    return status


def _report(command: Callable[[Sequence[str]], int], args: list[str]) -> int:
    """Run a command line, turning a user's mistake into a message and an exit status."""
    try:
        return command(args)
    except UsageError as exc:
        print(exc.message, file=sys.stderr)
        print(exc.usage, file=sys.stderr)
        print(exc.hint, file=sys.stderr)
        return 2
    except PartMissing as exc:
        print(f"{PROG}: internal error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("KeyboardInterrupt", file=sys.stderr)
        return 130


def report_width(stream: TextIO, default: int) -> int:
    """Return the width for a report's tables: the terminal's, or default when not one."""
    import shutil

    try:
        if stream.isatty():
            return shutil.get_terminal_size((default, 24)).columns
    except (AttributeError, ValueError, OSError):
        pass
    return default


def say(command: str, message: str, stream: TextIO) -> None:
    """Write one `pvm COMMAND: message` line to stream (a report command's notes)."""
    try:
        stream.write(f"{PROG} {command}: {message}\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def split_command_args(
    args: Sequence[str],
    value_options: Any,
    take: Callable[[str, str | None], None],
    missing_value: Callable[[str], Exception],
    flags: Any = (),
) -> tuple[bool, list[str]]:
    """Split the arguments of a report command (`pvm gil`, `pvm tasks`) from `pvm run`'s.

    Each of the command's own options is handed to take(name, value): those in
    value_options with their value (``--opt=V`` or ``--opt V``; a missing one raises
    missing_value(name)), those in flags with None.  Returns (help asked for, the
    arguments for `pvm run`): its options with their values, then the program and its
    arguments, which start at the first non-option, ``-``, ``--``, or ``-c``/``-m``.
    """
    run_args: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=")
        if arg in ("-h", "--help"):
            return True, run_args
        if arg in flags:
            take(arg, None)
            i += 1
            continue
        if name in value_options:
            if eq:
                value = inline
            elif i + 1 < len(args):
                i += 1
                value = args[i]
            else:
                raise missing_value(name)
            take(name, value)
            i += 1
            continue
        if arg == "--" or arg == "-" or not arg.startswith("-"):
            break  # the program: everything from here on is the guest's
        if not arg.startswith("--") and any(letter in "cm" for letter in arg[1:]):
            break  # -c CMD / -m MOD (maybe in a cluster such as -Bc) ends the options
        run_args.append(arg)
        if (arg == "--native" or arg in GIL_FLAGS) and i + 1 < len(args):
            run_args.append(args[i + 1])  # the option's value
            i += 2
            continue
        i += 1
    run_args.extend(args[i:])
    return False, run_args
