"""`pvm-python`: python3's command line on pvm, and the guest world's sys.executable."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest
from helpers import (
    IN_GUEST_WORLD,
    PVM,
    PYTHON,
    Outcome,
    base_env,
    compare,
    run,
    write_files,
)

from pvm import cli, cli_python

PVM_PYTHON = shutil.which("pvm-python", path=sysconfig.get_path("scripts")) or shutil.which(
    "pvm-python"
)
needs_script = pytest.mark.skipif(
    PVM_PYTHON is None,
    reason="the pvm-python console script is not installed (run `python3 -m pip install -e .`)",
)
# Whose instructions run a guest's code: CPython 3.11's are 2 bytes, pvm's 4.
FRAME_MODULE = "import sys; c = sys._getframe().f_code; print(len(c.co_code) // len(list(c.co_positions())), 'byte')"


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
        ["-Bc", "import sys; print(sys.dont_write_bytecode, sys.flags.dont_write_bytecode)"],
        ["-c", "1/0"],
        ["prog.py", "one", "-c", "two"],
        ["-B", "prog.py"],
        ["-m", "pkg.tool", "arg", "-m"],
        ["--", "prog.py"],
        ["-", "x"],
        ["-V"],
        ["--version"],
        ["-VV"],
        ["-O", "-V"],  # -V answers before anything runs, as in python3
        ["-V", "-x"],
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
@pytest.mark.parametrize("options", [[], ["-X", "faulthandler", "-I"], ["-IEsu", "-Wd"]])
def test_runs_on_pvm(options, tmp_path):
    out = run([PVM_PYTHON, *options, "-c", FRAME_MODULE], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("4 byte"), out.stdout


@needs_script
def test_gil_flags_stay_available(tmp_path):
    code = "import sys; print(sys.getswitchinterval(), sys.flags.isolated)"
    out = run([PVM_PYTHON, "-I", "--switch-interval", "0.25", "-c", code], tmp_path)
    assert (out.stdout, out.returncode) == ("0.25 1\n", 0), out.stderr


@needs_script
@pytest.mark.parametrize("options", [[], ["-I", "-X", "utf8"]])
def test_orig_argv_starts_at_the_command(options, tmp_path):
    """sys.orig_argv is the command line from pvm-python on, as python3's from python3."""
    code = "import sys; print(sys.orig_argv)"
    out = run([PVM_PYTHON, *options, "-c", code, "arg"], tmp_path)
    assert out.stdout == f"{[PVM_PYTHON, *options, '-c', code, 'arg']}\n", out.stderr


@needs_script
def test_host_options_keep_the_process(tmp_path):
    # The host restarts by exec, in the same process: a parent waiting on the PID it
    # started (subprocess, multiprocessing) waits on the program, and no child is left.
    proc = subprocess.run(
        [PVM_PYTHON, "-I", "-X", "faulthandler", "-c", "import os; print(os.getpid())"],
        cwd=tmp_path,
        env=base_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    # subprocess.run hides the PID: ask a parent that records it.
    parent = (
        "import subprocess, sys\n"
        "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True)\n"
        "out, _ = p.communicate()\n"
        "print(int(out) == p.pid, p.returncode)\n"
    )
    out = run(
        [PYTHON, "-c", parent, PVM_PYTHON, "-I", "-Wd", "-c", "import os; print(os.getpid())"],
        tmp_path,
    )
    assert out.stdout == "True 0\n", out.stderr


# -- options the host implements: honoured ---------------------------------------------

FLAGS = (
    "import sys; f = sys.flags; print(f.isolated, f.ignore_environment, f.no_user_site,"
    " f.safe_path, f.no_site, f.bytes_warning, f.quiet, f.hash_randomization,"
    " f.dont_write_bytecode, sys.dont_write_bytecode, f.dev_mode, f.utf8_mode,"
    " f.warn_default_encoding, f.int_max_str_digits, sys.warnoptions, sys._xoptions)"
)
WARN = "import warnings; warnings.warn('x'); print('after')"
FILTERS = (
    "import sys, warnings; print(sys.warnoptions, warnings.filters[:4]);"
    " warnings.warn('d', DeprecationWarning); warnings.warn('u')"
)
FAULTHANDLER = "import faulthandler; print(faulthandler.is_enabled())"
ENCODINGS = (
    "import locale, sys; print(sys.flags.utf8_mode, sys.stdout.encoding,"
    " sys.getfilesystemencoding(), locale.getpreferredencoding(False))"
)
STREAMS = "import sys; print(sys.stdout.write_through, sys.stderr.write_through)"


@needs_script
@pytest.mark.parametrize(
    "args",
    [
        ["-I", "-c", FLAGS],
        ["-E", "-c", FLAGS],
        ["-s", "-c", FLAGS],
        ["-S", "-c", FLAGS + "; import site; print(site.ENABLE_USER_SITE)"],
        ["-P", "-c", FLAGS],
        ["-IEs", "-c", FLAGS],
        ["-q", "-c", FLAGS],
        ["-R", "-c", FLAGS],
        ["-B", "-c", FLAGS],
        ["-b", "-c", FLAGS],
        ["-bb", "-c", FLAGS + "; str(b'x')"],  # BytesWarning raised at the guest's line
        ["-u", "-c", STREAMS],
        ["-W", "error", "-c", WARN],
        ["-Werror", "-W", "ignore::UserWarning", "-c", WARN],
        ["-Wd", "-c", FILTERS],
        ["-W", "ignore", "-W", "always::DeprecationWarning", "-c", FILTERS],
        ["-W", "nonsense", "-c", FILTERS],
        ["-X", "faulthandler", "-c", FAULTHANDLER],
        ["-X", "faulthandler", "-I", "-c", "import sys; print(sys.argv)", "a", "-I"],
        ["-Xdev", "-c", FLAGS + "; " + FAULTHANDLER + "; " + FILTERS],
        ["-X", "utf8", "-c", ENCODINGS],
        ["-X", "utf8=0", "-c", ENCODINGS],
        ["-X", "utf8=1", "-c", ENCODINGS],
        ["-X", "int_max_str_digits=640", "-c", FLAGS + "; int('1' * 641)"],
        ["-X", "int_max_str_digits=0", "-c", "print(len(str(10 ** 5000)))"],
        ["-X", "int_max_str_digits=1", "-c", "pass"],  # the host's own fatal error
        ["-X", "utf8=2", "-c", "pass"],
        ["-X", "warn_default_encoding", "-c", FLAGS],
        ["-X", "frozen_modules=off", "-c", FLAGS],
        ["-X", "frozen_modules=on", "-c", FLAGS],
        ["-X", "frozen_modules=maybe", "-c", "pass"],
        ["-X", "no_such_option", "-Xanother=1", "-c", FLAGS],  # python3 only records them
        ["-I", "-c", "raise SystemExit(3)"],
        ["-I", "-c", "raise KeyboardInterrupt"],
        ["-I", "-c", "import sys; sys.exit('bye')"],
        ["-I", "prog.py", "arg"],
        ["-Is", "-m", "pkg.tool", "arg"],
    ],
)
def test_host_option_as_python3(args, tmp_path):
    files = {
        "prog.py": "import sys\nprint(__name__, sys.argv)\n",
        "pkg/__init__.py": "",
        "pkg/tool.py": "import sys\nprint(__name__, __package__, sys.argv[1:])\n",
    }
    write_files(tmp_path, files)
    expected, actual = both(args, tmp_path)
    compare(expected, actual, f"pvm-python {' '.join(args)}")


@needs_script
@pytest.mark.parametrize("buffering", [[], ["-u"]])
def test_unbuffered_streams_interleave_as_python3(buffering, tmp_path):
    # One pipe for both streams: -u writes each line as it is printed.
    code = "import sys; print('out 1'); print('err', file=sys.stderr); print('out 2')"
    env = base_env()
    env.pop("PYTHONUNBUFFERED", None)
    outputs = [
        subprocess.run(
            [exe, *buffering, "-c", code],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        ).stdout
        for exe in (PYTHON, PVM_PYTHON)
    ]
    assert outputs[1] == outputs[0]


C_WARNING_PLACE = (
    "a warning issued by C code that guest code called is located in pvm's interpreter, "
    "not at the guest's line (also without options: bool(NotImplemented))"
)


@needs_script
@pytest.mark.xfail(strict=True, reason=C_WARNING_PLACE)
@pytest.mark.parametrize(
    "args",
    [
        ["-b", "-c", "str(b'x'); b'x' == 'x'"],
        ["-X", "warn_default_encoding", "-c", "import os; open(os.devnull).close()"],
    ],
)
def test_warning_from_c_code_as_python3(args, tmp_path):
    expected, actual = both(args, tmp_path)
    compare(expected, actual, f"pvm-python {' '.join(args)}")


@needs_script
def test_pycache_prefix(tmp_path):
    files = {"src/mod.py": "X = 1\n", "src/prog.py": "import sys, mod\nprint(sys.pycache_prefix)\n"}
    write_files(tmp_path, files)
    prefix = tmp_path / "prefix"
    args = ["-X", f"pycache_prefix={prefix}", "src/prog.py"]
    expected, actual = both(args, tmp_path)
    compare(expected, actual, "pvm-python -X pycache_prefix=... prog.py")
    # Both wrote their caches under the prefix (each its own: cpython-311, pvm-311).
    assert not (tmp_path / "src" / "__pycache__").exists()
    cached = sorted(p.name for p in prefix.rglob("mod.*.pyc"))
    assert len(cached) == 2 and any(".pvm-" in name for name in cached), cached


# -- sys.path: the program's directory, the current one, the user site -----------------

PATH_PROBE = """\
import os, sys
here = os.getcwd()
print([p for p in sys.path if p in ('', here) or p.startswith(here + os.sep)])
try:
    import sibling
    print('sibling', sibling.WHERE)
except ImportError as exc:
    print(type(exc).__name__, exc)
"""


@needs_script
@pytest.mark.parametrize("options", [[], ["-I"], ["-P"], ["-E"], ["-s"], ["-S"], ["-IS"]])
@pytest.mark.parametrize("how", ["file", "-c", "-m", "stdin"])
def test_program_directory_on_sys_path(options, how, tmp_path):
    files = {
        "sibling.py": "WHERE = 'cwd'\n",
        "sub/sibling.py": "WHERE = 'sub'\n",
        "sub/probe.py": PATH_PROBE,
    }
    write_files(tmp_path, files)
    args = {
        "file": ["sub/probe.py"],
        "-c": ["-c", PATH_PROBE],
        "-m": ["-m", "sub.probe"],
        "stdin": ["-"],
    }[how]
    expected, actual = both([*options, *args], tmp_path, stdin=PATH_PROBE)
    compare(expected, actual, f"pvm-python {' '.join(options)} {how}")


@needs_script
@pytest.mark.parametrize(
    "options",
    [
        [],
        ["-s"],
        ["-S"],
        ["-E"],
        ["-I"],
        ["-P"],
    ],
)
def test_whole_sys_path_as_python3(options, tmp_path):
    expected, actual = both([*options, "-c", "import sys; print(sys.path)"], tmp_path)
    compare(expected, actual, f"pvm-python {' '.join(options)} -c 'print(sys.path)'")


# -- environment variables, with and without -E / -I -----------------------------------

ENV_PROBE = (
    "import sys, warnings; f = sys.flags; print(f.ignore_environment, f.hash_randomization,"
    " f.no_user_site, f.safe_path, f.dev_mode, f.dont_write_bytecode, sys.warnoptions,"
    " sys.stdout.write_through, warnings.filters[:3]); warnings.warn('u')"
)


@needs_script
@pytest.mark.parametrize(
    ("env", "options"),
    [
        ({"PYTHONWARNINGS": "error::UserWarning"}, []),
        ({"PYTHONWARNINGS": "error::UserWarning"}, ["-E"]),
        ({"PYTHONWARNINGS": "error::UserWarning"}, ["-I"]),
        ({"PYTHONWARNINGS": "error::UserWarning"}, ["-W", "ignore"]),
        ({"PYTHONWARNINGS": "always"}, ["-W", "error::DeprecationWarning", "-s"]),
        ({"PYTHONHASHSEED": "0"}, ["-s"]),
        ({"PYTHONHASHSEED": "0"}, ["-E"]),
        ({"PYTHONHASHSEED": "0"}, ["-R"]),
        ({"PYTHONUNBUFFERED": "1"}, ["-s"]),
        ({"PYTHONUNBUFFERED": "1"}, ["-I"]),
        ({"PYTHONDEVMODE": "1"}, ["-s"]),
        ({"PYTHONDEVMODE": "1"}, ["-E"]),
        ({"PYTHONNOUSERSITE": "1", "PYTHONSAFEPATH": "1"}, ["-E"]),
        ({"PYTHONDONTWRITEBYTECODE": "1"}, ["-I"]),
    ],
)
def test_environment_as_python3(env, options, tmp_path):
    env = {"PYTHONUNBUFFERED": "", **env}
    expected, actual = both([*options, "-c", ENV_PROBE], tmp_path, env=env)
    compare(expected, actual, f"{env} pvm-python {' '.join(options)}")


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
        {"PYTHONHASHSEED": "0"},
    ],
)
def test_accepts_what_a_parent_passes_on(env, tmp_path):
    # What multiprocessing's spawn and test harnesses put before `-c` for a child, from a
    # parent with this environment.
    flags_code = "import subprocess; print(*subprocess._args_from_interpreter_flags())"
    flags = run([PYTHON, "-c", flags_code], tmp_path, env=env).stdout.split()
    code = "import sys; print(sys.flags.no_user_site, sys.flags.safe_path, sys.warnoptions)"
    expected, actual = both([*flags, "-c", code], tmp_path, env=env)
    compare(expected, actual, f"pvm-python {' '.join(flags)} -c ...")


# -- options pvm cannot honour: refused (none on a 3.11 host; tests/cli/test_options_table.py) --


def _usage_named(stderr: str, program: str) -> str:
    """Return stderr with the program python3's usage line names replaced by PROG."""
    return re.sub(rf"^usage: {re.escape(program)} ", "usage: PROG ", stderr, flags=re.M)


@needs_script
@pytest.mark.parametrize(
    "args",
    [
        ["-Z", "-c", "print(1)"],
        ["-BZ", "-c", "print(1)"],
        ["-O", "-Z", "-c", "print(1)"],
        ["-Z", "-O"],
        ["-I", "-Z"],
        ["--foo", "-c", "print(1)"],
        ["--help=x"],
        ["--check-hash-based-pycs=always", "-c", "print(1)"],
        ["--check-hash-based-pycs"],
        ["-J"],
        ["-X"],
        ["-W"],
        ["-c"],
        ["-Bm"],
        ["-V", "-Z"],
    ],
)
def test_usage_error_as_python3(args, tmp_path):
    expected, actual = both(args, tmp_path)
    assert actual.returncode == expected.returncode == 2
    assert actual.stdout == expected.stdout == ""
    assert _usage_named(actual.stderr, PVM_PYTHON) == _usage_named(expected.stderr, PYTHON)


@needs_script
@pytest.mark.parametrize("args", [["-h"], ["-?"], ["--help"], ["-h", "-Z"], ["-O", "-h"]])
def test_help_stops_reading_options(args, tmp_path):
    out = run([PVM_PYTHON, *args], tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout.startswith("usage: pvm-python [option] ...")
    assert "-X opt" in out.stdout and "pvm's own" in out.stdout


@needs_script
@pytest.mark.parametrize("topic", ["--help-env", "--help-xoptions"])
def test_help_topics_are_python3s(topic, tmp_path):
    expected, actual = both([topic], tmp_path)
    assert actual.returncode == expected.returncode == 0
    assert actual.stdout.startswith(expected.stdout)
    assert "pvm-python:" in actual.stdout[len(expected.stdout) :]


# -- parsing, in process -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "host", "run_args"),
    [
        (["-Bc", "pass", "-E"], ["-B"], ["-c", "pass", "-E"]),
        (["-IEs", "-c", "x", "-O"], ["-I", "-E", "-s"], ["-c", "x", "-O"]),
        (
            ["-Wd", "-Xdev", "-bb", "x.py", "-E"],
            ["-W", "d", "-X", "dev", "-b", "-b"],
            ["--", "x.py", "-E"],
        ),
        (["-W", "-c", "-X", "-m", "mod"], ["-W", "-c", "-X", "-m"], ["--", "mod"]),
        (
            ["--gil", "off", "--seed=3", "-u", "x.py"],
            ["-u"],
            ["--gil", "off", "--seed=3", "--", "x.py"],
        ),
        (["--guest-world", "-mpkg", "a"], [], ["--guest-world", "-m", "pkg", "a"]),
        (["--", "-E"], [], ["--", "-E"]),
        (["-", "-E"], [], ["--", "-", "-E"]),
        (["-X", "faulthandler", "-I", "-c", "pass"], ["-X", "faulthandler", "-I"], ["-c", "pass"]),
        ([], [], []),
    ],
)
def test_parse_python_args(args, host, run_args):
    command = cli_python.parse_python_args(args)
    assert (command.host_options, command.run_args) == (host, run_args)
    assert command.refused is None and command.show is None


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [
        (["-BO", "x.py"], "optimize", 1),
        (["-OO", "-c", "x"], "optimize", 2),
        (["-O", "-O", "-c", "x"], "optimize", 2),
        (["-vv", "x.py"], "verbose", 2),
        (["-x", "x.py"], "skip_first_line", True),
        (["-Ximporttime", "-I", "x.py"], "xoptions", {"importtime": True}),
        (["-X", "no_debug_ranges", "x.py"], "xoptions", {"no_debug_ranges": True}),
        (["--check-hash-based-pycs", "never", "x.py"], "check_hash_based_pycs", "never"),
        (["-c", "pass", "-O"], "optimize", 0),  # the program's argument, not an option
    ],
)
def test_parse_python_args_pvms_own(args, field, value):
    """The options pvm carries itself (pvm.config) are sorted out, not given to the host."""
    command = cli_python.parse_python_args(args)
    assert getattr(command, field) == value
    assert command.refused is None
    assert not any(option in ("-O", "-v", "-x", "importtime") for option in command.host_options)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-Z"], "Unknown option: -Z"),
        (["-O", "-Z"], "Unknown option: -Z"),
        (["--bogus"], "unknown option --bogus"),
        (["-W"], "Argument expected for the -W option"),
        (["-J"], "-J is reserved for Jython"),
    ],
)
def test_parse_python_args_errors(args, message):
    with pytest.raises(cli.UsageError) as info:
        cli_python.parse_python_args(args)
    assert info.value.message == message
    assert info.value.hint == "Try `python -h' for more information."


def test_host_options_need_the_command(capsys):
    # In process (main(argv)), pvm-python cannot restart its host: it says so.
    assert cli_python.main(["-I", "-c", "pass"]) == 2
    assert "option -I needs a process of its own" in capsys.readouterr().err


# -- CPython's test harness: script_helper runs sys.executable -X faulthandler -I ---------

SCRIPT_HELPER = """\
import sys
from test.support import script_helper

def show(result):
    rc, out, err = result
    print(rc, out, err.decode().splitlines()[-1:])

show(script_helper.assert_python_ok('-c', 'import sys; print(sys.flags.isolated, sys.argv)'))
show(script_helper.assert_python_ok('-c', 'print(1)', PYTHONWARNINGS='error'))
show(script_helper.assert_python_failure('-c', 'raise SystemExit(3)'))
show(script_helper.assert_python_failure('-c', '1/0'))
show(script_helper.assert_python_failure('-W', 'error', '-c', 'import warnings; warnings.warn("x")'))
show(script_helper.assert_python_ok('-W', 'ignore', '-c', 'import warnings; warnings.warn("x")'))
show(script_helper.assert_python_ok('-c', 'import faulthandler; print(faulthandler.is_enabled())'))
show(script_helper.assert_python_failure('-c', 'import warnings; warnings.warn("y")',
                                         PYTHONWARNINGS='error'))
print(script_helper.run_python_until_end('-c', 'print(2)', __isolated=False)[0].rc)
"""


@needs_script
def test_script_helper_under_pvm_run(tmp_path):
    (tmp_path / "harness.py").write_text(SCRIPT_HELPER, encoding="utf-8")
    expected = run([PYTHON, "harness.py"], tmp_path)
    assert expected.returncode == 0, expected.stderr
    actual = run([*PVM, "harness.py"], tmp_path)
    compare(expected, actual, "script_helper under pvm run")


@needs_script
@pytest.mark.skipif(not IN_GUEST_WORLD, reason="outside the guest world children are python3")
def test_script_helper_children_run_on_pvm(tmp_path):
    code = (
        "from test.support import script_helper\n"
        f"print(script_helper.assert_python_ok('-c', {FRAME_MODULE!r}).out.decode())\n"
    )
    out = run([*PVM, "-c", code], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("4 byte"), out.stdout


# -- the guest world's sys.executable ------------------------------------------------------

CHILD = """\
import os, subprocess, sys
child = "import sys; c = sys._getframe().f_code; print(len(c.co_code) // len(list(c.co_positions())), 'byte')"
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
    assert expected.stdout.splitlines()[0] == "2 byte 0 "
    if how == "env":
        actual = run([*PVM, "prog.py"], tmp_path, env={"PVM_GUEST_WORLD": "1"})
    else:
        actual = run([*PVM, "--guest-world", "prog.py"], tmp_path)
    assert actual.returncode == 0, actual.stderr
    frame_module, world, same = actual.stdout.splitlines()
    assert frame_module == "4 byte 0 "  # the child is pvm
    assert world == "1"  # ... in the guest world too
    assert same == "True"


@needs_script
def test_guest_world_sys_executable_is_pvm_python(tmp_path):
    code = "import sys; print(sys.executable)"
    out = run([*PVM, "-c", code], tmp_path, env={"PVM_GUEST_WORLD": "1"})
    assert out.stdout == f"{os.path.abspath(PVM_PYTHON)}\n", out.stderr


def test_native_stdlib_keeps_python3(tmp_path):
    # With the library on the host (PVM_GUEST_WORLD=0), children run on python3 too.
    env = base_env({"PVM_GUEST_WORLD": "0"})
    code = "import sys; print(sys.executable)"
    out = subprocess.run(
        [*PVM, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert out.stdout == f"{sys.executable}\n", out.stderr
