"""`pvm-python`: python3's own command line, run on pvm as `pvm run` runs its own.

What belongs here: parsing python3's options (which pvm honours, which it refuses by
name) and handing the rest to `pvm run`.  What does not: running the program
(pvm.cli.cmd_run and pvm.runtime.main).  In a guest world this script is the guest's
sys.executable (pvm.runtime.world), so child processes run on pvm too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from pvm.cli import GIL_FLAGS, PROG, UsageError, _report, cmd_run

PYTHON_PROG = "pvm-python"
PYTHON_USAGE = f"usage: {PYTHON_PROG} [option] ... [-c cmd | -m mod | file | -] [arg] ..."
PYTHON_HINT = f"Try `{PYTHON_PROG} -h' for more information."

# python3's options that pvm does not implement yet, with what python3 does for each.
# One is refused (exit status 2, naming it), never ignored, unless _in_force() finds
# this process already runs with its effect.
NOT_YET = {
    "-b": "warn about str(bytes) and bytes/str comparisons",
    "-d": "parser debugging output",
    "-E": "ignore PYTHON* environment variables",
    "-i": "inspect interactively after running the script",
    "-I": "isolate Python from the user's environment",
    "-O": "remove assert and __debug__-dependent statements",
    "-P": "don't prepend a potentially unsafe path to sys.path",
    "-q": "don't print version and copyright messages on interactive startup",
    "-R": "turn on hash randomization",
    "-s": "don't add the user site directory to sys.path",
    "-S": "don't imply 'import site' on initialization",
    "-u": "force the stdout and stderr streams to be unbuffered",
    "-v": "trace import statements",
    "-W": "warning control",
    "-x": "skip the first line of source",
    "-X": "set an implementation-specific option",
    "--check-hash-based-pycs": "control how hash-based .pyc files are invalidated",
    "--help-env": "print help about Python environment variables",
    "--help-xoptions": "print help about -X options",
    "--help-all": "print complete help information",
}
# The environment variable that can put each refused option in force (see _in_force).
IN_FORCE_BY = {
    "-P": "PYTHONSAFEPATH",
    "-s": "PYTHONNOUSERSITE",
    "-u": "PYTHONUNBUFFERED",
    "-W": "PYTHONWARNINGS",
    "-X": "PYTHONDEVMODE (for -X dev only)",
}

PYTHON_HELP = f"""\
{PYTHON_USAGE}
Run a Python program on pvm, as `python3' would: python3's command line for whatever
starts "the Python interpreter" (in the guest world, the guest's sys.executable is
{PYTHON_PROG}, so subprocess and multiprocessing children run on pvm too).

Options:
-B     : don't write .pyc files on import; also PYTHONDONTWRITEBYTECODE=x
-c cmd : program passed in as string (terminates option list)
-h     : print this help message and exit (also -? or --help)
-m mod : run library module as a script (terminates option list)
-V     : print the Python version number and exit (also --version)
file   : program read from script file
-      : program read from stdin (default when stdin is not a terminal)
arg ...: arguments passed to program in sys.argv[1:]

pvm's own options (see `{PROG} run -h'): --gil, --switch-interval, --check-interval,
--schedule, --seed, --guest-world.

python3's other options are not supported by pvm yet: each exits with status 2, naming
it. Only -s, -P, -u, -W arg and -X dev are accepted, and only when this process already
runs with their effect (PYTHONNOUSERSITE, PYTHONSAFEPATH, PYTHONUNBUFFERED,
PYTHONWARNINGS, PYTHONDEVMODE in the environment), as when a parent passes its own settings on to a child
(subprocess._args_from_interpreter_flags()).
"""


def _in_force(option: str, value: str = "") -> bool:
    """Say whether this process already runs with the effect of python3's option.

    A parent whose environment sets PYTHONNOUSERSITE (say) passes `-s` to its children
    (subprocess._args_from_interpreter_flags()); the child inherits that environment, so
    the host interpreter under pvm already runs as `-s` asks, and pvm shares its sys.path,
    streams, warning filters and flags.
    """
    if option == "-s":
        return bool(sys.flags.no_user_site)
    if option == "-P":
        return bool(sys.flags.safe_path)  # pvm.runtime.main reads it for sys.path[0]
    if option == "-u":
        return bool(os.environ.get("PYTHONUNBUFFERED")) and not sys.flags.ignore_environment
    if option == "-W":
        return value in sys.warnoptions
    if option == "-X":
        return value == "dev" and bool(sys.flags.dev_mode)
    return False


def _not_yet(option: str, value: str = "") -> UsageError:
    shown = f"{option} {value}" if value else option
    message = f"{PYTHON_PROG}: option {shown} is not supported by pvm yet ({NOT_YET[option]})"
    if option in IN_FORCE_BY:
        message += f"; it is accepted only when {IN_FORCE_BY[option]} already has its effect"
    return UsageError(message, PYTHON_USAGE, PYTHON_HINT)


def python_run_args(args: Sequence[str]) -> list[str] | None:
    """Check python3's options in args and return `pvm run`'s arguments (None: -h/-V done)."""
    kept: list[str] = []
    versions = 0
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-", "--") or not arg.startswith("-"):
            break
        if arg.startswith("--"):
            flag = arg.partition("=")[0]
            if arg == "--help":
                sys.stdout.write(PYTHON_HELP)
                return None
            if arg == "--version":
                versions += 1
            elif flag in NOT_YET:
                raise _not_yet(flag)
            else:  # pvm's own (--gil new ...), or an unknown one: parse_run_args decides
                kept.append(arg)
                if flag in GIL_FLAGS and "=" not in arg and i + 1 < len(args):
                    i += 1
                    kept.append(args[i])
            i += 1
            continue
        letters = ""  # the cluster's letters left for parse_run_args (-B, unknown ones)
        ended = False  # -c or -m: the rest belongs to the program, as in python3
        for j in range(1, len(arg)):
            option = "-" + arg[j]
            if option in ("-c", "-m"):
                letters += arg[j:]
                ended = True
                break
            if option in ("-h", "-?"):
                sys.stdout.write(PYTHON_HELP)
                return None
            if option == "-V":
                versions += 1
            elif option in ("-W", "-X"):
                value = arg[j + 1 :]
                if not value:
                    if i + 1 >= len(args):
                        raise UsageError(
                            f"Argument expected for the {option} option", PYTHON_USAGE, PYTHON_HINT
                        )
                    i += 1
                    value = args[i]
                if not _in_force(option, value):
                    raise _not_yet(option, value)
                break
            elif option in NOT_YET:
                if not _in_force(option):
                    raise _not_yet(option)
            else:
                letters += arg[j]
        if letters:
            kept.append("-" + letters)
        i += 1
        if ended:
            break
    if versions:
        print(f"Python {sys.version}" if versions > 1 else f"Python {sys.version.split()[0]}")
        return None
    return kept + list(args[i:])


def cmd_python(args: Sequence[str]) -> int:
    """Run python3's command line on pvm, as `pvm run` runs its own."""
    run_args = python_run_args(args)
    if run_args is None:
        return 0
    try:
        return cmd_run(run_args)
    except UsageError as exc:  # parse_run_args's message, with pvm-python's usage
        raise UsageError(exc.message, PYTHON_USAGE, PYTHON_HINT) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `pvm-python` command line (python3's) and return the exit status."""
    return _report(cmd_python, sys.argv[1:] if argv is None else list(argv))
