"""`pvm-python`: python3's command line on pvm, and the guest world's sys.executable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig

import pytest
from helpers import PVM, PYTHON, Outcome, base_env, compare, run, write_files

from pvm import cli, cli_python

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
    assert cli_python.python_run_args(args) == run_args


def test_python_run_args_refuses_before_the_program():
    with pytest.raises(cli.UsageError, match=r"option -O is not supported"):
        cli_python.python_run_args(["-BO", "x.py"])


# -- the guest world's sys.executable ------------------------------------------------------

CHILD = """\
import os, subprocess, sys
child = "import sys; print(type(sys._getframe()).__module__)"
out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True)
print(out.stdout.strip(), out.returncode, out.stderr)
env = subprocess.run([sys.executable, "-c", "import os; print(os.environ.get('PVM_GUEST_WORLD'))"],
                     capture_output=True, text=True, env=dict(os.environ))
print(env.stdout.strip())
print(sys.executable == sys._base_executable)
"""


@needs_script
@pytest.mark.parametrize("how", ["env", "flag"])
def test_guest_world_children_run_on_pvm(how, tmp_path):
    (tmp_path / "prog.py").write_text(CHILD, encoding="utf-8")
    expected = run([PYTHON, "prog.py"], tmp_path)
    assert expected.stdout.splitlines()[0] == "builtins 0 "
    if how == "env":
        actual = run([*PVM, "prog.py"], tmp_path, env={"PVM_GUEST_WORLD": "1"})
    else:
        actual = run([*PVM, "--guest-world", "prog.py"], tmp_path)
    assert actual.returncode == 0, actual.stderr
    frame_module, world, same = actual.stdout.splitlines()
    assert frame_module.startswith("pvm.") and frame_module.endswith(" 0 ")  # the child is pvm
    assert world == "1"  # ... in the guest world too
    assert same == "True"


@needs_script
def test_guest_world_sys_executable_is_pvm_python(tmp_path):
    code = "import sys; print(sys.executable)"
    out = run([*PVM, "-c", code], tmp_path, env={"PVM_GUEST_WORLD": "1"})
    assert out.stdout == f"{os.path.abspath(PVM_PYTHON)}\n", out.stderr


def test_default_mode_keeps_python3(tmp_path):
    # Outside the guest world the library runs natively, and so do children.
    env = base_env()
    env.pop("PVM_GUEST_WORLD", None)
    code = "import sys; print(sys.executable)"
    out = subprocess.run(
        [*PVM, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert out.stdout == f"{sys.executable}\n", out.stderr
