"""`pvm-python`: python3's command line on pvm, and the guest world's sys.executable."""

from __future__ import annotations

import shutil
import sysconfig

import pytest
from helpers import PYTHON, Outcome, compare, run, write_files

from pvm import cli

PVM_PYTHON = shutil.which("pvm-python", path=sysconfig.get_path("scripts")) or shutil.which(
    "pvm-python"
)
needs_script = pytest.mark.skipif(
    PVM_PYTHON is None,
    reason="the pvm-python console script is not installed (run `python3 -m pip install -e .`)",
)


def both(args, tmp_path, **kwargs) -> tuple[Outcome, Outcome]:
    """Run `python3 args` and `pvm-python args` alike; return both outcomes."""
    return run([PYTHON, *args], tmp_path, **kwargs), run([PVM_PYTHON, *args], tmp_path, **kwargs)


# -- python3's command line ------------------------------------------------------------


@needs_script
@pytest.mark.parametrize(
    "args",
    [
        ["-c", "print(1)"],
        ["-c", "import sys; print(sys.argv); raise SystemExit(3)", "a", "-B", "--x"],
        ["-Bc", "import sys; print(sys.dont_write_bytecode)"],
        ["-c", "1/0"],
        ["prog.py", "one", "-c", "two"],
        ["-B", "prog.py"],
        ["-m", "pkg.tool", "arg", "-m"],
        ["--", "prog.py"],
        ["-", "x"],
        ["-V"],
        ["--version"],
    ],
)
def test_runs_as_python3(args, tmp_path):
    files = {
        "prog.py": "import sys\nprint(__name__, sys.argv)\nraise SystemExit(sys.argv[1:2] == ['one'])\n",
        "pkg/__init__.py": "",
        "pkg/tool.py": "import sys\nprint(__name__, __package__, sys.argv[1:])\n",
    }
    write_files(tmp_path, files)
    expected, actual = both(args, tmp_path, stdin="import sys\nprint('stdin', sys.argv)\n")
    compare(expected, actual, f"pvm-python {' '.join(args)}")


@needs_script
def test_runs_on_pvm(tmp_path):
    out = run([PVM_PYTHON, "-c", "import sys; print(type(sys._getframe()).__module__)"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("pvm."), out.stdout


@needs_script
def test_gil_flags_stay_available(tmp_path):
    code = "import sys; print(sys.getswitchinterval())"
    out = run([PVM_PYTHON, "--switch-interval", "0.25", "-c", code], tmp_path)
    assert (out.stdout, out.returncode) == ("0.25\n", 0), out.stderr


# -- python3's options pvm does not implement ----------------------------------------------


@needs_script
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["-E", "-c", "print(1)"], "-E"),
        (["-Oc", "print(1)"], "-O"),
        (["-I", "prog.py"], "-I"),
        (["-Bu", "-c", "print(1)"], "-u"),
        (["-S", "-c", "print(1)"], "-S"),
        (["-W", "error", "-c", "print(1)"], "-W error"),
        (["-Wignore", "-c", "print(1)"], "-W ignore"),
        (["-X", "utf8", "-c", "print(1)"], "-X utf8"),
        (["--check-hash-based-pycs", "always", "-c", "print(1)"], "--check-hash-based-pycs"),
    ],
)
def test_unsupported_option_is_refused(args, named, tmp_path):
    out = run([PVM_PYTHON, *args], tmp_path, env={"PYTHONUNBUFFERED": ""})
    assert out.returncode == 2, out
    assert out.stdout == ""  # the program did not run
    assert out.stderr.startswith(f"pvm-python: option {named} is not supported by pvm yet")


@needs_script
def test_unknown_option_as_python3(tmp_path):
    expected, actual = both(["-Z", "-c", "print(1)"], tmp_path)
    assert actual.returncode == expected.returncode == 2
    assert actual.stderr.splitlines()[0] == expected.stderr.splitlines()[0] == "Unknown option: -Z"


@needs_script
@pytest.mark.parametrize(
    "env",
    [
        {},
        {"PYTHONDONTWRITEBYTECODE": "1"},
        {"PYTHONNOUSERSITE": "1"},
        {"PYTHONSAFEPATH": "1"},
        {"PYTHONWARNINGS": "error::DeprecationWarning"},
        {"PYTHONDEVMODE": "1"},
    ],
)
def test_accepts_what_a_parent_passes_on(env, tmp_path):
    # What multiprocessing's spawn and test harnesses put before `-c` for a child, from a
    # parent with this environment; the child inherits the environment, so the option's
    # effect is already in force under pvm-python.
    flags_code = "import subprocess; print(*subprocess._args_from_interpreter_flags())"
    flags = run([PYTHON, "-c", flags_code], tmp_path, env=env).stdout.split()
    code = "import sys; print(sys.flags.no_user_site, sys.flags.safe_path, sys.warnoptions)"
    expected, actual = both([*flags, "-c", code], tmp_path, env=env)
    compare(expected, actual, f"pvm-python {' '.join(flags)} -c ...")


@pytest.mark.parametrize(
    ("args", "run_args"),
    [
        (["-Bc", "pass", "-E"], ["-Bc", "pass", "-E"]),
        (["-B", "-m", "mod", "-O"], ["-B", "-m", "mod", "-O"]),
        (["--gil", "off", "--seed=3", "x.py", "-E"], ["--gil", "off", "--seed=3", "x.py", "-E"]),
        (["--", "-E"], ["--", "-E"]),
        (["-Bz"], ["-Bz"]),  # unknown letters are left to parse_run_args's message
    ],
)
def test_python_run_args(args, run_args):
    assert cli.python_run_args(args) == run_args


def test_python_run_args_refuses_before_the_program():
    with pytest.raises(cli.UsageError, match=r"option -O is not supported"):
        cli.python_run_args(["-BO", "x.py"])
