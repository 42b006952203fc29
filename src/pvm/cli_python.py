"""`pvm-python`: python3's own command line, run on pvm as `pvm run` runs its own.

What belongs here: parsing python3's options (Python/getopt.c's rules and messages) and
the environment variables that match them, restarting the host interpreter with the ones
it implements, setting pvm's own configuration (pvm.config) for the ones pvm implements
itself, refusing by name any pvm cannot honour, and handing the program to `pvm run`.  What does not: running the
program (pvm.cli.cmd_run and pvm.runtime.main).  In a guest world this script is the
guest's sys.executable (pvm.runtime.world), so child processes run on pvm too.
docs/pvm-python.md says what each option does.

How a host option works: pvm runs on a host python3 whose `sys.flags`, `sys.warnoptions`,
`sys._xoptions`, C warning filters, hash seed, stdio and `sys.path` the guest shares, and
only start-up can set most of them.  So `pvm-python -X faulthandler -I -c CODE` becomes,
in the same process (os.execv keeps the PID, which a parent waiting on it relies on):

    python3 -X faulthandler -I -c _BOOT <settings> pvm-python -X faulthandler -I -c CODE

and _BOOT sets `restarted` before it calls main() again, which then runs the program.

How a pvm option works: -O, -v, -x, -X importtime, -X no_debug_ranges, -X tracemalloc
and --check-hash-based-pycs change how pvm compiles, caches, imports and reports the
guest's code, so pvm carries them itself (pvm.config), and the guest's sys.flags and
sys._xoptions show them; the host runs without them (its -O would strip pvm's asserts,
its -v and importtime would trace pvm's own imports, its tracemalloc pvm's start-up).
The matching variables (PVM_ENV) would act on the host as it starts: the host is
restarted without them, and they are put back in os.environ for the guest and its
children.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pvm import config as pvm_config
from pvm.cli import GIL_FLAGS, PROG, UsageError, _report, cmd_run, freeze_for_exit
from pvm.config import CHECK_HASH_BASED_PYCS

PYTHON_PROG = "pvm-python"
PYTHON_USAGE = f"usage: {PYTHON_PROG} [option] ... [-c cmd | -m mod | file | -] [arg] ..."
PYTHON_HINT = f"Try `{PYTHON_PROG} -h' for more information."

# -- python3's options, by what pvm does with each (docs/pvm-python.md has the table) ----

# Options without a value whose effect the host interpreter implements, at start-up or in
# C code, where the guest shares it: pvm-python restarts the host with them.
HOST_FLAGS = {
    "-d": "sys.flags.debug (a release build's parser prints nothing more)",
    "-b": "the host's C str(bytes) and bytes/str comparisons warn (-bb: raise)",
    "-B": "the host's sys.dont_write_bytecode, which pvm's cache obeys",
    "-E": "the host ignores PYTHON* variables; the guest shares its flags, path and streams",
    "-I": "as -E -P -s for the host, whose sys.path and flags the guest shares",
    "-P": "sys.flags.safe_path: pvm puts no program directory first on sys.path",
    "-q": "sys.flags.quiet: pvm's interactive session prints no banner",
    "-R": "the host's hash seed, which the guest's str and bytes hashes are",
    "-s": "the host leaves the user site directory out of sys.path, which the guest copies",
    "-S": "the host does not import site; the guest's sys.path is the host's",
    "-u": "the host's unbuffered stdio, which the guest writes to",
}
# Options `pvm run` takes itself, as python3 means them.
PVM_LETTERS = {
    "-i": "an interactive session after the program, in its __main__ (pvm.runtime.repl)",
}
# Options pvm implements itself (pvm.config), whatever the host does.
PVM_FLAGS = {
    "-O": "pvm's compiler drops assert and __debug__ code; .opt-1 cache files (-OO: "
    "docstrings too, .opt-2)",
    "-v": "the guest's import system traces the guest's imports (-vv: more)",
    "-x": "pvm skips the script's first line (line numbers stay the file's)",
}
# -X options whose effect the host implements for the guest too.  An -X name python3
# does not know also goes to the host, which records it in sys._xoptions, as python3 does.
HOST_X = {
    "dev": "the host's dev mode: sys.flags, warning filters, faulthandler, asyncio debug",
    "faulthandler": "the host's faulthandler, the guest's faulthandler module",
    "frozen_modules": "sys._xoptions and the host's own imports (the guest's are never frozen)",
    "int_max_str_digits": "the host's C int/str conversions, which the guest's are",
    "pycache_prefix": "sys.pycache_prefix, which pvm's bytecode cache obeys",
    "showrefcount": "nothing but sys._xoptions, as in python3's release build",
    "utf8": "the host's UTF-8 mode: sys.flags, stdio, locale and filesystem encodings",
    "warn_default_encoding": "the host's C io functions issue the EncodingWarning",
}
# -X options pvm implements itself (pvm.config); sys._xoptions shows them to the guest.
PVM_X = {
    "importtime": "the guest's imports timed, in python3's format on stderr",
    "no_debug_ranges": "pvm's code objects without columns: tracebacks without carets",
    "tracemalloc": "tracemalloc traces from the program's start (traces name pvm's lines)",
}
# Options pvm cannot honour, with the reason: each is refused (exit status 2, naming it)
# before the program runs, never ignored.
# None since python3 3.11's options all work; kept for a later option pvm cannot honour.
REFUSED: dict[str, str] = {}
# Later Pythons' -X options for the host's own machinery, with the version that has each:
# a host of that version is not given them (python3 3.11 records them in sys._xoptions
# and does nothing else, and so does pvm-python on a 3.11 host).
REFUSED_X = {
    "gil": ((3, 13), "the host's free-threading switch: pvm has its own GIL, see --gil"),
    "perf": ((3, 12), "perf maps for the host's functions, not the guest's"),
    "perf_jit": ((3, 13), "perf maps for the host's functions, not the guest's"),
    "presite": ((3, 13), "a module imported by the host before site, unseen by the guest"),
}
# Variables the host would act on as it starts, for options pvm carries itself (its own
# -O, -v, importtime, inspect): the host is restarted without them (see the header).
PVM_ENV = (
    "PYTHONOPTIMIZE",
    "PYTHONVERBOSE",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONINSPECT",
    "PYTHONTRACEMALLOC",
)
# python3's long help options (--help-all prints -h's help and the other two).
HELP_TOPICS = ("--help-env", "--help-xoptions", "--help-all")
# pvm's own options before the program (`pvm run -h`); the first ones take a value.
PVM_VALUE_OPTIONS = (*GIL_FLAGS, "--native")
PVM_FLAG_OPTIONS = ("--guest-world", "--native-stdlib")

PYTHON_HELP = f"""\
{PYTHON_USAGE}
Run a Python program on pvm, as `python3' would: python3's command line for whatever
starts "the Python interpreter" (in the guest world, the guest's sys.executable is
{PYTHON_PROG}, so subprocess and multiprocessing children run on pvm too).

Options (and corresponding environment variables):
-b     : issue warnings about str(bytes_instance), str(bytearray_instance)
         and comparing bytes/bytearray with str. (-bb: issue errors)
-B     : don't write .pyc files on import; also PYTHONDONTWRITEBYTECODE=x
-c cmd : program passed in as string (terminates option list)
-d     : turn on parser debugging output (for experts only, only works on
         debug builds: here it sets sys.flags.debug); also PYTHONDEBUG=x
-E     : ignore PYTHON* environment variables (such as PYTHONPATH)
-h     : print this help message and exit (also -? or --help)
-i     : inspect interactively after running script; forces a prompt even
         if stdin does not appear to be a terminal; also PYTHONINSPECT=x
-I     : isolate Python from the user's environment (implies -E, -P and -s)
-m mod : run library module as a script (terminates option list)
-O     : remove assert and __debug__-dependent statements; add .opt-1 before
         .pyc extension (pvm's cache: NAME.pvm-311.opt-1.pyc); also PYTHONOPTIMIZE=x
-OO    : do -O changes and also discard docstrings; add .opt-2 before
         .pyc extension
-P     : don't prepend a potentially unsafe path to sys.path; also PYTHONSAFEPATH
-q     : don't print version and copyright messages on interactive startup
-R     : turn on hash randomization (when PYTHONHASHSEED=0)
-s     : don't add user site directory to sys.path; also PYTHONNOUSERSITE
-S     : don't imply 'import site' on initialization
-u     : force the stdout and stderr streams to be unbuffered;
         this option has no effect on stdin; also PYTHONUNBUFFERED=x
-v     : verbose (trace the program's import statements); also PYTHONVERBOSE=x
         can be supplied multiple times to increase verbosity
-V     : print the Python version number and exit (also --version)
         when given twice, print more information about the build
-W arg : warning control; arg is action:message:category:module:lineno
         also PYTHONWARNINGS=arg
-x     : skip first line of source, allowing use of non-Unix forms of #!cmd
-X opt : set implementation-specific option: faulthandler, dev, utf8, utf8=0,
         importtime, no_debug_ranges, tracemalloc[=N], showrefcount,
         int_max_str_digits=N, warn_default_encoding, frozen_modules=on|off,
         pycache_prefix=PATH (python3's --help-xoptions has the list)
--check-hash-based-pycs always|default|never:
         control how pvm's cache checks hash-based .pyc files
--help-env, --help-xoptions, --help-all: python3's own help on these, with pvm's notes
file   : program read from script file
-      : program read from stdin (default when stdin is not a terminal)
arg ...: arguments passed to program in sys.argv[1:]

pvm's own options (see `{PROG} run -h'): --gil, --switch-interval, --check-interval,
--schedule, --seed, --guest-world, --native, --native-stdlib.

Every option means what it means to python3 (docs/pvm-python.md).  -O, -v, -x, -i,
-X importtime, -X no_debug_ranges, -X tracemalloc and --check-hash-based-pycs are
pvm's own: they change how pvm compiles, caches, imports and reports the program, and
its sys.flags show them.  The others (but -c, -m, -h and -V) are the host python3's:
{PYTHON_PROG} restarts it with them, in the same process, and the program shares their
effect.
"""

# Set by _BOOT in the restarted host: the host options are in force, don't restart again.
restarted = False
# Set by _BOOT: the variables of PVM_ENV held back from the restarted host (see there).
held_back: dict[str, str] = {}

# The restarted host's program (`python3 OPTIONS -c _BOOT <settings> ARGS`): make the
# host look as it did when the pvm-python script started it, then run main() again.  Only
# sys is imported before sys.path[0] is set: -c puts the current directory first, whose
# files would shadow the modules pvm imports.  pvm's own directory joins sys.path only
# while pvm is imported (-S, -s and -I may leave it out), so that the guest, whose sys.path
# is the host's, sees python3's.  The variables held back from the host (PVM_ENV) go back
# into its environment, where the guest and its children find them.
_BOOT = """\
import sys
path0, root, orig_argv, held_back = eval(sys.argv[1])
if not sys.flags.safe_path:
    sys.path[0] = path0
import os
os.environ.update(held_back)
added = root not in sys.path
if added:
    sys.path.append(root)
import pvm.cli_python
if added:
    sys.path.remove(root)
del sys.argv[:2]
sys.orig_argv = orig_argv
pvm.cli_python.restarted = True
pvm.cli_python.held_back = held_back
sys.exit(pvm.cli_python.main())
"""


class Show(Enum):
    """What pvm-python prints instead of running a program, named by its option."""

    HELP = "-h"
    VERSION = "-V"
    FULL_VERSION = "-VV"
    HELP_ENV = "--help-env"
    HELP_XOPTIONS = "--help-xoptions"
    HELP_ALL = "--help-all"


@dataclass
class PythonCommand:
    """python3's command line, sorted: the host's options, `pvm run`'s arguments."""

    host_options: list[str] = field(default_factory=list)
    run_args: list[str] = field(default_factory=list)
    refused: UsageError | None = None  # the first option pvm cannot honour
    show: Show | None = None  # print this, run nothing
    # What pvm carries itself (pvm.config), from the options alone.
    optimize: int = 0  # one per -O
    verbose: int = 0  # one per -v
    skip_first_line: bool = False  # -x
    inspect: bool = False  # -i
    check_hash_based_pycs: str = "default"
    xoptions: dict[str, str | bool] = field(default_factory=dict)  # pvm's -X options
    ignore_environment: bool = False  # -E or -I


def python_error(message: str) -> UsageError:
    """Return python3's own usage error (Python/getopt.c, Modules/main.c) for message."""
    program = sys.argv[0] if sys.argv and sys.argv[0] else PYTHON_PROG
    usage = f"usage: {program} [option] ... [-c cmd | -m mod | file | -] [arg] ..."
    return UsageError(message, usage, "Try `python -h' for more information.")


def _refusal(shown: str, why: str) -> UsageError:
    message = f"{PYTHON_PROG}: option {shown} is not supported by pvm ({why})"
    return UsageError(message, PYTHON_USAGE, PYTHON_HINT)


def parse_python_args(args: Sequence[str]) -> PythonCommand:
    """Sort python3's command line as python3 reads it: options up to the program.

    A malformed command line raises python3's own UsageError at its first mistake; -h
    stops reading at once, as in python3.  An option pvm cannot honour is kept in
    `refused`, for after -h and -V had their say.
    """
    command = PythonCommand()
    host = command.host_options
    pvm_options: list[str] = []
    program: list[str] = []
    versions = 0

    def refuse(shown: str, why: str) -> None:
        if command.refused is None:
            command.refused = _refusal(shown, why)

    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--" or arg == "-" or not arg.startswith("-"):
            program = list(args[i + 1 :] if arg == "--" else args[i:])
            if program:  # `pvm run`'s own parser must not read a file named -E as -E
                program.insert(0, "--")
            break
        if arg.startswith("--"):
            name = arg.partition("=")[0]
            if name in PVM_VALUE_OPTIONS:
                pvm_options.append(arg)  # parse_run_args checks the value
                if "=" not in arg and i + 1 < len(args):
                    i += 1
                    pvm_options.append(args[i])
            elif arg in PVM_FLAG_OPTIONS:
                pvm_options.append(arg)
            elif arg == "--help":
                command.show = Show.HELP
                return command
            elif arg in HELP_TOPICS:
                command.show = Show(arg)
                return command
            elif arg == "--version":
                versions += 1
            elif arg == "--check-hash-based-pycs":
                if i + 1 >= len(args):  # sic: python3 says "options"
                    raise python_error(f"Argument expected for the {arg} options")
                i += 1
                if args[i] not in CHECK_HASH_BASED_PYCS:
                    raise python_error(
                        "--check-hash-based-pycs must be one of 'default', 'always', or 'never'"
                    )
                command.check_hash_based_pycs = args[i]
            else:
                raise python_error(f"unknown option {arg}")
            i += 1
            continue
        for j in range(1, len(arg)):
            letter = arg[j]
            option = "-" + letter
            if letter in "cmWX":  # the option's value: the cluster's rest, or the next arg
                value = arg[j + 1 :]
                if not value:
                    if i + 1 >= len(args):
                        raise python_error(f"Argument expected for the {option} option")
                    i += 1
                    value = args[i]
                name = value.partition("=")[0]
                if letter in "cm":  # the rest belongs to the program
                    program = [option, value, *args[i + 1 :]]
                    i = len(args)
                elif letter == "X" and name == "tracemalloc" and not _frames(value):
                    host += [option, value]  # python3's own fatal error, from the host
                elif letter == "X" and name in PVM_X:
                    key, eq, setting = value.partition("=")
                    command.xoptions[key] = setting if eq else True
                elif letter == "X" and name in REFUSED_X:
                    since, why = REFUSED_X[name]
                    if sys.version_info >= since:
                        refuse(f"-X {value}", why)
                    else:
                        host += [option, value]
                else:
                    host += [option, value]
                break
            if letter in "h?":
                command.show = Show.HELP
                return command
            if letter == "V":
                versions += 1
            elif option in HOST_FLAGS:
                host.append(option)
                if letter in "EI":
                    command.ignore_environment = True
            elif letter == "O":
                command.optimize += 1
            elif letter == "v":
                command.verbose += 1
            elif letter == "x":
                command.skip_first_line = True
            elif option in PVM_LETTERS:
                pvm_options.append(option)
                command.inspect = True
            elif option in REFUSED:
                refuse(option, REFUSED[option])
            elif letter == "J":
                raise python_error("-J is reserved for Jython")
            else:
                raise python_error(f"Unknown option: {option}")
        i += 1
    if versions:
        command.show = Show.VERSION if versions == 1 else Show.FULL_VERSION
    command.run_args = pvm_options + program
    return command


def _print_help_topic(topic: str) -> None:
    """Print python3's own help on topic (the host's), with what pvm-python does otherwise."""
    import subprocess

    if topic == "--help-all":
        sys.stdout.write(PYTHON_HELP + "\n")
        topics = ["--help-env", "--help-xoptions"]
    else:
        topics = [topic]
    for each in topics:
        sys.stdout.flush()
        subprocess.run([sys.executable, each], check=False)
        if each == "--help-env":
            sys.stdout.write(
                f"\n{PYTHON_PROG}: each variable means what it means to python3; pvm reads"
                " PYTHONOPTIMIZE, PYTHONVERBOSE, PYTHONINSPECT, PYTHONPROFILEIMPORTTIME,"
                " PYTHONNODEBUGRANGES and PYTHONSTARTUP itself, the host python3 the others"
                " (docs/pvm-python.md).\n"
            )
        else:
            own = ", ".join(f"-X {name}" for name in PVM_X)
            later = ", ".join(f"-X {name}" for name in REFUSED_X)
            sys.stdout.write(
                f"\n{PYTHON_PROG}: {own} are pvm's own; the others are the host's.  Later"
                f" Pythons' {later} are refused on a host that has them.\n"
            )


def _restart_host(host_options: list[str], args: Sequence[str]) -> None:
    """Replace this process by the host interpreter started with host_options (same PID).

    The variables of PVM_ENV are held back from the new host and given back to it once
    it has started (_BOOT).
    """
    import pvm

    root = os.path.dirname(os.path.dirname(os.path.abspath(pvm.__file__)))
    script = sys.argv[0]
    # The host's own options, if any started this script (python3 -X dev pvm-python ...).
    own = sys.orig_argv[1 : len(sys.orig_argv) - len(sys.argv)]
    if sys.flags.safe_path or not sys.path:  # no program entry: the script's directory
        path0 = os.path.dirname(os.path.realpath(script))
    else:
        path0 = sys.path[0]
    environ = dict(os.environ)
    held_back = {name: environ.pop(name) for name in PVM_ENV if name in environ}
    settings = repr((path0, root, list(sys.orig_argv), held_back))
    argv = [sys.executable, *own, *host_options, "-c", _BOOT, settings, script, *args]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, argv, environ)


def _frames(xoption: str) -> bool:
    """Return whether -X tracemalloc[=N] has a number of frames python3 accepts."""
    _, eq, value = xoption.partition("=")
    return not eq or (value.isdigit() and int(value) <= 65535)


def _env_level(environ: Any, name: str) -> int:
    """Return a variable's level as python3 reads it: a number, else 1 if set (get_env_flag)."""
    value = environ.get(name)
    if not value:
        return 0
    try:
        level = int(value)
    except ValueError:
        return 1
    return level if level >= 0 else 1


def configure(command: PythonCommand, environ: Any = None) -> None:
    """Set what pvm carries itself (pvm.config) from the options and, unless -E, the variables."""
    environ = os.environ if environ is None else environ
    if command.ignore_environment or sys.flags.ignore_environment:
        environ = {}
    config = pvm_config.config
    config.optimize = max(command.optimize, _env_level(environ, "PYTHONOPTIMIZE"))
    config.verbose = max(command.verbose, _env_level(environ, "PYTHONVERBOSE"))
    config.inspect = command.inspect or _env_level(environ, "PYTHONINSPECT") > 0
    config.interactive = command.inspect
    config.skip_first_line = command.skip_first_line
    config.check_hash_based_pycs = command.check_hash_based_pycs
    config.xoptions = dict(command.xoptions)
    config.import_time = "importtime" in command.xoptions or bool(
        environ.get("PYTHONPROFILEIMPORTTIME")
    )
    # A host started with PYTHONPROFILEIMPORTTIME (then restarted without it) has printed
    # the header, once for the process, as python3 does.
    config.import_time_header = not (held_back and "PYTHONPROFILEIMPORTTIME" in held_back)
    frames = command.xoptions.get("tracemalloc")
    if frames is None:
        config.tracemalloc = _env_level(environ, "PYTHONTRACEMALLOC")
    else:
        config.tracemalloc = 1 if frames is True else int(frames)
    config.code_debug_ranges = not (
        "no_debug_ranges" in command.xoptions or environ.get("PYTHONNODEBUGRANGES")
    )


def _host_saw_pvm_env() -> bool:
    """Return whether the host started with a variable of PVM_ENV (and acts on it)."""
    return not sys.flags.ignore_environment and any(os.environ.get(n) for n in PVM_ENV)


def cmd_python(args: Sequence[str], restart: bool = False) -> int:
    """Run python3's command line on pvm, as `pvm run` runs its own.

    With host options, restart (if allowed, and not done yet) replaces this process.
    """
    command = parse_python_args(args)
    if command.show is Show.HELP:
        sys.stdout.write(PYTHON_HELP)
        return 0
    if command.show is not None and command.show.value in HELP_TOPICS:
        _print_help_topic(command.show.value)
        return 0
    if command.show is Show.VERSION:
        print(f"Python {sys.version.split()[0]}")
        return 0
    if command.show is Show.FULL_VERSION:
        print(f"Python {sys.version}")
        return 0
    if command.refused is not None:
        raise command.refused
    if restart and not restarted and not command.host_options and _host_saw_pvm_env():
        try:
            _restart_host([], args)
        except OSError as exc:
            print(f"{PYTHON_PROG}: cannot restart {sys.executable}: {exc}", file=sys.stderr)
            return 1
    if command.host_options and not restarted:
        if not restart:
            raise UsageError(
                f"{PYTHON_PROG}: option {command.host_options[0]} needs a process of its own"
                f" (run {PYTHON_PROG} as a command)",
                PYTHON_USAGE,
                PYTHON_HINT,
            )
        try:
            _restart_host(command.host_options, args)
        except OSError as exc:
            print(f"{PYTHON_PROG}: cannot restart {sys.executable}: {exc}", file=sys.stderr)
            return 1
    configure(command)
    if restart and sys.orig_argv[1:] == sys.argv:
        # Started through the script's #! line (the host, then the script): the command
        # line as typed starts at pvm-python, as python3's starts at python3.
        sys.orig_argv = sys.orig_argv[1:]
    try:
        return cmd_run(command.run_args)
    except UsageError as exc:  # parse_run_args's message, with pvm-python's usage
        raise UsageError(exc.message, PYTHON_USAGE, PYTHON_HINT) from None
    finally:
        if not restart:  # an in-process caller: the next run starts from python3's defaults
            pvm_config.reset()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `pvm-python` command line (python3's) and return the exit status."""
    if argv is None:  # the command itself: host options restart this process
        status = _report(lambda args: cmd_python(args, restart=True), sys.argv[1:])
        return freeze_for_exit(status)
    return _report(cmd_python, list(argv))
