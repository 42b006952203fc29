"""Differential tests of the command line: -c, -m, stdin programs and bad input."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import (
    PVM,
    PYTHON,
    Outcome,
    assert_same_as_cpython,
    assert_same_as_cpython_c,
    assert_same_as_cpython_m,
    assert_same_as_cpython_stdin,
    compare,
    run,
    run_both,
    write_files,
)

# python3 names itself by its executable path in messages; pvm may say `pvm` or `pvm run`.
PROG_PREFIX = re.compile(r"^(?:\S*python3(?:\.\d+)?|\S*pvm(?: run)?): ", re.MULTILINE)


def normalized(outcome: Outcome) -> Outcome:
    """Return outcome with the program-name prefix of error lines replaced by PROG."""
    return Outcome(outcome.stdout, PROG_PREFIX.sub("PROG: ", outcome.stderr), outcome.returncode)


def assert_no_internal_traceback(outcome: Outcome) -> None:
    """Assert pvm printed none of its own frames (a crash inside pvm, not a guest error)."""
    assert "/pvm/" not in outcome.stderr, f"pvm internals leaked:\n{outcome.stderr}"


# ---- -c -------------------------------------------------------------------------------

C_PROGRAMS = {
    "print": "print('hello from -c')",
    "argv": "import sys; print(sys.argv)",
    "name_and_path": "import sys; print(__name__, sys.path[0] == '')",
    "multiline": "def f(x):\n    return x * 2\nprint(f(21))",
    "traceback": "def f():\n    1/0\nf()",
    "exit_code": "import sys; sys.exit(4)",
    "exit_message": "raise SystemExit('bye')",
    "keyboard_interrupt": "raise KeyboardInterrupt",
    "syntax_error": "x = (",
    "compile_error": "return 5",
    "file_dunder": "print('__file__' in globals())",
}


@pytest.mark.parametrize("name", sorted(C_PROGRAMS))
def test_dash_c(name: str, tmp_path: Path) -> None:
    """A -c program behaves the same, arguments included."""
    assert_same_as_cpython_c(C_PROGRAMS[name], tmp_path, args=["x", "--flag"])


# ---- -m -------------------------------------------------------------------------------


def test_dash_m_module(tmp_path: Path) -> None:
    """-m runs a module from the current directory as __main__ with its arguments."""
    files = {
        "tool.py": "import sys\nprint(__name__, sys.argv[1:], sys.argv[0].endswith('tool.py'))\n"
        "import helper\nprint(helper.VALUE)\n",
        "helper.py": "VALUE = 'helped'\n",
    }
    assert_same_as_cpython_m("tool", tmp_path, files=files, args=["a", "-b"])


def test_dash_m_package_main(tmp_path: Path) -> None:
    """-m on a package runs its __main__.py with relative imports working."""
    files = {
        "app/__init__.py": "print('init', __name__)\n",
        "app/__main__.py": "from . import core\nprint('main', __name__, __package__, core.run())\n",
        "app/core.py": "def run():\n    return 'core ran'\n",
    }
    assert_same_as_cpython_m("app", tmp_path, files=files)


def test_dash_m_submodule(tmp_path: Path) -> None:
    """-m on a dotted name imports the package, then runs the submodule as __main__."""
    files = {
        "pkg/__init__.py": "print('pkg init')\n",
        "pkg/cmd.py": "from .util import twice\nprint(__name__, __package__, twice(4))\n",
        "pkg/util.py": "def twice(x):\n    return 2 * x\n",
    }
    assert_same_as_cpython_m("pkg.cmd", tmp_path, files=files)


def test_dash_m_traceback(tmp_path: Path) -> None:
    """An uncaught exception in a -m module prints the same traceback."""
    files = {"boom.py": "def go():\n    raise ValueError('from -m')\ngo()\n"}
    assert_same_as_cpython_m("boom", tmp_path, files=files)


def test_dash_m_missing_module(tmp_path: Path) -> None:
    """-m of a module that does not exist gives python's message and exit code."""
    expected, actual = run_both(["-m", "no_such_mod_xyz"], ["-m", "no_such_mod_xyz"], tmp_path)
    compare(normalized(expected), normalized(actual), "-m missing module")
    assert_no_internal_traceback(actual)


# ---- stdin ----------------------------------------------------------------------------

STDIN_PROGRAMS = {
    "print": "print('from stdin')\n",
    "argv": "import sys\nprint(sys.argv)\n",
    "traceback": "x = 1\nraise RuntimeError('stdin failure')\n",
    "name": "print(__name__)\n",
}


@pytest.mark.parametrize("name", sorted(STDIN_PROGRAMS))
def test_stdin_program(name: str, tmp_path: Path) -> None:
    """A program read from stdin (`-`) behaves the same."""
    assert_same_as_cpython_stdin(STDIN_PROGRAMS[name], tmp_path, args=["arg1"])


# ---- scripts --------------------------------------------------------------------------


def test_relative_script_path(tmp_path: Path) -> None:
    """A script given by a relative path sees the same __file__, argv and tracebacks."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "rel.py").write_text(
        "import sys\nprint(__file__, sys.argv, sys.path[0].endswith('sub'))\nraise KeyError(1)\n"
    )
    expected, actual = run_both(["sub/rel.py", "q"], ["sub/rel.py", "q"], tmp_path)
    compare(expected, actual, "relative script path")


def test_pythonpath(tmp_path: Path) -> None:
    """PYTHONPATH directories come before the rest of the search path."""
    files = {"lib/extra_mod.py": "print('extra imported')\nVALUE = 5\n"}
    source = "import extra_mod\nprint(extra_mod.VALUE)\n"
    assert_same_as_cpython(source, tmp_path, files=files, env={"PYTHONPATH": str(tmp_path / "lib")})


def test_stdin_reading_script(tmp_path: Path) -> None:
    """A script reading its stdin gets the same bytes."""
    source = "import sys\nfor line in sys.stdin:\n    print(line.rstrip()[::-1])\n"
    assert_same_as_cpython(source, tmp_path, stdin="abc\ndef\n")


def test_directory_with_main(tmp_path: Path) -> None:
    """A directory holding __main__.py runs like python runs it."""
    write_files(tmp_path, {"appdir/__main__.py": "import sys\nprint('dir main', __name__)\n"})
    expected, actual = run_both(["appdir"], ["appdir"], tmp_path)
    compare(expected, actual, "directory with __main__.py")


# ---- bad input ------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    """A missing script: python's message (modulo program name) and exit code 2."""
    expected, actual = run_both(["missing.py"], ["missing.py"], tmp_path)
    compare(normalized(expected), normalized(actual), "missing file")
    assert_no_internal_traceback(actual)


def test_directory_without_main(tmp_path: Path) -> None:
    """A directory without __main__.py: python's message and exit code."""
    (tmp_path / "empty_dir").mkdir()
    expected, actual = run_both(["empty_dir"], ["empty_dir"], tmp_path)
    compare(normalized(expected), normalized(actual), "directory")
    assert_no_internal_traceback(actual)


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01\x02binary\xff\xfe", b"print('ok')\n\xff\xfe\xfd\n", b"\x89PNG\r\n\x1a\n\x00\x00"],
    ids=["nulls", "bad-utf8", "png"],
)
def test_binary_file(content: bytes, tmp_path: Path) -> None:
    """A binary file as the script gives the same SyntaxError as python."""
    (tmp_path / "bin.py").write_bytes(content)
    expected, actual = run_both([str(tmp_path / "bin.py")], [str(tmp_path / "bin.py")], tmp_path)
    compare(expected, actual, "binary file")
    assert_no_internal_traceback(actual)


def test_syntax_error_file(tmp_path: Path) -> None:
    """A script with a syntax error: same message, caret, exit code."""
    assert_same_as_cpython("print('x')\nif True\n    pass\n", tmp_path)


@pytest.mark.parametrize("option", ["--bogus", "-Z"])
def test_unknown_option(option: str, tmp_path: Path) -> None:
    """An unknown option: python's complaint on the first line and exit code 2."""
    expected, actual = run_both([option], [option], tmp_path)
    assert actual.returncode == expected.returncode == 2

    def first(o) -> list[str]:
        return PROG_PREFIX.sub("PROG: ", o.stderr).splitlines()[:1]

    assert first(actual) == first(expected), actual.stderr
    assert_no_internal_traceback(actual)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "wrong-magic", "empty"])
def test_invalid_cache_file(damage: str, tmp_path: Path) -> None:
    """A damaged cache file of an imported module is ignored and rewritten, never fatal."""
    write_files(tmp_path, {"mod.py": "def f():\n    return 'mod works'\n"})
    source = "import mod\nprint(mod.f())\n"
    prog = tmp_path / "prog.py"
    prog.write_text(source)
    first = run([*PVM, str(prog)], tmp_path)
    caches = list((tmp_path / "__pycache__").glob("mod.pvm-*.pyc"))
    assert first.returncode == 0 and len(caches) == 1, (first, caches)
    cache = caches[0]
    data = cache.read_bytes()
    if damage == "truncate":
        cache.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        cache.write_bytes(data[:16] + bytes(reversed(data[16:])))
    elif damage == "wrong-magic":
        cache.write_bytes(b"XXXX" + data[4:])
    else:
        cache.write_bytes(b"")
    again = run([*PVM, str(prog)], tmp_path)
    reference = run([PYTHON, str(prog)], tmp_path)
    compare(reference, again, f"run with a {damage} cache file")
    rewritten = cache.read_bytes()
    assert rewritten == data, "the damaged cache file was not rewritten with a good one"


def test_cache_reused_then_invalidated_by_edit(tmp_path: Path) -> None:
    """A second run uses the cache and agrees; editing the module makes pvm see the new code."""
    mod = tmp_path / "mod.py"
    mod.write_text("VALUE = 'first'\n")
    prog = tmp_path / "prog.py"
    prog.write_text("import mod\nprint(mod.VALUE)\n")
    for _ in range(2):
        expected, actual = run_both([str(prog)], [str(prog)], tmp_path)
        compare(expected, actual, "run with the module's cache")
    assert list((tmp_path / "__pycache__").glob("mod.pvm-*.pyc")), "no cache file written"
    mod.write_text("VALUE = 'second, edited'\n")
    stat = mod.stat()
    # A later mtime, as an edit a few seconds later would leave.
    os.utime(mod, (stat.st_atime + 10, stat.st_mtime + 10))
    expected, actual = run_both([str(prog)], [str(prog)], tmp_path)
    assert "second, edited" in expected.stdout
    compare(expected, actual, "run after editing the module")


def test_input_with_prompt(tmp_path: Path) -> None:
    """input() prints its prompt and reads lines from stdin; EOF raises EOFError as in python."""
    source = (
        "name = input('name? ')\nage = int(input('age? '))\nprint(f'{name} is {age}')\n"
        "try:\n    input('more? ')\nexcept EOFError as e:\n    print('EOF', repr(e))\n"
    )
    assert_same_as_cpython(source, tmp_path, stdin="Ada\n36\n")
