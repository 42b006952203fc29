"""The command line over the real compiler and interpreter: caching, bad input, dis layout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = """\
def add(a, b):
    result = a + b
    return result

class Greeter:
    def __init__(self, name):
        self.name = name

    def greet(self):
        return f"hello, {self.name}!"

try:
    total = sum(add(i, 1) for i in range(10))
except ValueError as e:
    total = None
print(total, Greeter("pvm").greet())
"""


def env_for(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PVMVERBOSE"):
        env.pop(name, None)
    env.update(extra or {})
    return env


def pvm(args, cwd, extra_env=None, stdin=b""):
    return subprocess.run(
        [sys.executable, "-m", "pvm", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env_for(extra_env),
        timeout=120,
        check=False,
    )


def python3(args, cwd):
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        env=env_for(),
        timeout=120,
        check=False,
    )


@pytest.fixture
def prog(tmp_path: Path) -> Path:
    path = tmp_path / "prog.py"
    path.write_text(PROGRAM)
    return path


def cache_file(path: Path) -> Path:
    from pvm.bytecode import cache

    return Path(cache.cache_path(str(path)))


def test_second_run_loads_the_cache_without_compiling(prog):
    first = pvm(["run", "prog.py"], prog.parent, {"PVMVERBOSE": "1"})
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout == b"55 hello, pvm!\n"
    assert b"# wrote" in first.stderr
    pyc = cache_file(prog)
    before = pyc.stat()
    second = pvm(["run", "prog.py"], prog.parent, {"PVMVERBOSE": "1"})
    assert second.stdout == first.stdout
    assert b"# code object from" in second.stderr and b"# wrote" not in second.stderr
    after = pyc.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_edited_source_recompiles(prog):
    pvm(["run", "prog.py"], prog.parent)
    prog.write_text(PROGRAM.replace("range(10)", "range(3)"))
    result = pvm(["run", "prog.py"], prog.parent, {"PVMVERBOSE": "1"})
    assert result.stdout == b"6 hello, pvm!\n"
    assert b"stale" in result.stderr and b"# wrote" in result.stderr


@pytest.mark.parametrize(
    "damage",
    [lambda d: d[:20], lambda d: b"JUNK" + d[4:], lambda d: d[:-1] + bytes([d[-1] ^ 1]), bytes],
    ids=["truncated", "wrong-magic", "corrupt", "empty"],
)
def test_invalid_cache_is_recompiled_silently(prog, damage):
    pvm(["run", "prog.py"], prog.parent)
    pyc = cache_file(prog)
    pyc.write_bytes(damage(pyc.read_bytes()))
    result = pvm(["run", "prog.py"], prog.parent)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"55 hello, pvm!\n", b"")
    again = pvm(["run", "prog.py"], prog.parent, {"PVMVERBOSE": "1"})
    assert b"# code object from" in again.stderr


def test_unwritable_cache_location_runs_without_caching(prog):
    (prog.parent / "__pycache__").write_text("a file where the directory should be")
    result = pvm(["run", "prog.py"], prog.parent)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"55 hello, pvm!\n", b"")


def test_dont_write_bytecode(prog):
    result = pvm(["run", "prog.py"], prog.parent, {"PYTHONDONTWRITEBYTECODE": "1"})
    assert result.stdout == b"55 hello, pvm!\n"
    assert not (prog.parent / "__pycache__").exists()
    result = pvm(["run", "-B", "prog.py"], prog.parent)
    assert not (prog.parent / "__pycache__").exists()


def test_pycache_prefix(prog, tmp_path):
    prefix = tmp_path / "prefix"
    pvm(["run", "prog.py"], prog.parent, {"PYTHONPYCACHEPREFIX": str(prefix)})
    assert not (prog.parent / "__pycache__").exists()
    assert list(prefix.rglob("prog.pvm-*.pyc"))


def test_compile_then_run_hits_the_cache(prog):
    result = pvm(["compile", "prog.py"], prog.parent)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    assert cache_file(prog).exists()
    run = pvm(["run", "prog.py"], prog.parent, {"PVMVERBOSE": "1"})
    assert b"# code object from" in run.stderr


def test_compile_no_write_writes_nothing(prog):
    result = pvm(["compile", "--no-write", "prog.py"], prog.parent)
    assert result.returncode == 0
    assert not (prog.parent / "__pycache__").exists()


@pytest.mark.parametrize(
    "source",
    [
        "def f(:\n    pass\n",
        "x = (1,\n",
        "return 5\n",
        "def f():\n    nonlocal x\n",
        "class C:\n  def f(self):\n\tpass\n",
        "print 'hello'\n",
        "def f():\nreturn 1\n",
    ],
)
def test_syntax_errors_match_python3(tmp_path, source):
    (tmp_path / "bad.py").write_text(source)
    expected = python3(["bad.py"], tmp_path)
    actual = pvm(["run", "bad.py"], tmp_path)
    assert (actual.returncode, actual.stdout, actual.stderr.decode()) == (
        expected.returncode,
        expected.stdout,
        expected.stderr.decode(),
    )
    expected = python3(["-m", "py_compile", "bad.py"], tmp_path)
    actual = pvm(["compile", "bad.py"], tmp_path)
    assert actual.returncode == expected.returncode == 1
    # py_compile stops at its first error and so ends a "Sorry:" line without a newline;
    # pvm compile goes on to the next file, so its lines always end with one.
    assert actual.stderr.decode() == expected.stderr.decode().rstrip("\n") + "\n"


LINE = re.compile(
    r"^(?:(?P<line>[ \d]{3,}) {4}(?:>>|  ) +\d+ [A-Z_]+(?: +\d+(?: \(.*\))?)?"
    r"|Disassembly of <code object \S+ at 0x[0-9a-f]+, file \".*\", line \d+>:"
    r"|ExceptionTable:"
    r"|  \d+ to \d+ -> \d+ \[\d+\]( lasti)?"
    r"|)$"
)


def test_dis_layout_matches_python3(prog):
    ours = pvm(["dis", "prog.py"], prog.parent)
    assert ours.returncode == 0, ours.stderr.decode()
    theirs = python3(["-m", "dis", "prog.py"], prog.parent)
    ours_lines = ours.stdout.decode().splitlines()
    for line in ours_lines:
        assert LINE.match(line), f"not in python3 -m dis layout: {line!r}"

    def headers(text: str) -> list[str]:
        return sorted(
            re.sub(r" at 0x[0-9a-f]+", "", h)
            for h in text.splitlines()
            if h.startswith("Disassembly of")
        )

    assert headers(ours.stdout.decode()) == headers(theirs.stdout.decode())


def test_dis_c(tmp_path):
    result = pvm(["dis", "-c", "x = 1"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode().splitlines()[0].startswith("  1           0 ")


def test_run_c_m_and_stdin(tmp_path):
    (tmp_path / "mod.py").write_text("import sys\nprint('mod', sys.argv[1:])\n")
    assert pvm(["run", "-c", "import sys; print(sys.argv)", "a"], tmp_path).stdout == (
        b"['-c', 'a']\n"
    )
    assert pvm(["run", "-m", "mod", "x"], tmp_path).stdout == b"mod ['x']\n"
    result = pvm(["run", "-", "q"], tmp_path, stdin=b"import sys\nprint(sys.argv)\n")
    assert result.stdout == b"['-', 'q']\n"
