"""The pvm command line: argument parsing, dispatch to the runtime, and bad input."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pvm
from pvm import cli

PVM = [sys.executable, "-m", "pvm"]


# -- parsing `pvm run` --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kind", "target", "argv", "dont_write"),
    [
        (["x.py"], cli.Kind.FILE, "x.py", ["x.py"], False),
        (
            ["x.py", "-c", "--help", "-m"],
            cli.Kind.FILE,
            "x.py",
            ["x.py", "-c", "--help", "-m"],
            False,
        ),
        (["-c", "print(1)", "a", "-B"], cli.Kind.CODE, "print(1)", ["-c", "a", "-B"], False),
        (["-cprint(1)", "a"], cli.Kind.CODE, "print(1)", ["-c", "a"], False),
        (["-Bc", "pass"], cli.Kind.CODE, "pass", ["-c"], True),
        (["-B", "-m", "pkg.mod", "x", "-y"], cli.Kind.MODULE, "pkg.mod", ["-m", "x", "-y"], True),
        (["-mpkg"], cli.Kind.MODULE, "pkg", ["-m"], False),
        (["-", "a", "b"], cli.Kind.STDIN, "", ["-", "a", "b"], False),
        ([], cli.Kind.STDIN, "", [""], False),
        (["--", "-weird.py", "a"], cli.Kind.FILE, "-weird.py", ["-weird.py", "a"], False),
        (["-B", "--", "x.py"], cli.Kind.FILE, "x.py", ["x.py"], True),
    ],
)
def test_parse_run_args(args, kind, target, argv, dont_write):
    request = cli.parse_run_args(args)
    assert (request.kind, request.target, request.argv) == (kind, target, argv)
    assert request.dont_write_bytecode is dont_write


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "unknown option --bogus"),
        (["-z"], "Unknown option: -z"),
        (["-Bz", "x.py"], "Unknown option: -z"),
        (["-c"], "Argument expected for the -c option"),
        (["-B", "-m"], "Argument expected for the -m option"),
    ],
)
def test_parse_run_errors(args, message):
    with pytest.raises(cli.UsageError) as info:
        cli.parse_run_args(args)
    assert info.value.message == message


def test_run_on_a_terminal_without_program():
    """As python3: no program and stdin a terminal is an interactive session (test_repl.py)."""
    assert cli.parse_run_args([], stdin_is_tty=True).kind is cli.Kind.INTERACTIVE
    assert cli.parse_run_args([], stdin_is_tty=False).kind is cli.Kind.STDIN
    assert cli.parse_run_args(["-i", "prog.py"]).inspect


@pytest.mark.parametrize("flag", ["-h", "--help", "-?", "-Bh"])
def test_run_help_flags(flag):
    assert cli.parse_run_args([flag]).show_help


def test_parse_run_args_pythons_own_options():
    request = cli.parse_run_args(["-OOvx", "-B", "prog.py", "-O"])
    assert (request.optimize, request.verbose, request.skip_first_line) == (2, 1, True)
    assert request.argv == ["prog.py", "-O"]


def test_parse_compile_args():
    request = cli.parse_compile_args(["--no-write", "-q", "a.py", "--", "--b.py"])
    assert (request.files, request.write, request.quiet) == (["a.py", "--b.py"], False, True)
    with pytest.raises(cli.UsageError, match="no files"):
        cli.parse_compile_args(["--no-write"])
    with pytest.raises(cli.UsageError, match="unknown option --frob"):
        cli.parse_compile_args(["--frob", "a.py"])


def test_parse_dis_args():
    assert cli.parse_dis_args(["f.py"]).kind is cli.Kind.FILE
    request = cli.parse_dis_args(["-c", "x = 1"])
    assert (request.kind, request.target) == (cli.Kind.CODE, "x = 1")
    assert cli.parse_dis_args([]).kind is cli.Kind.STDIN
    with pytest.raises(cli.UsageError):
        cli.parse_dis_args(["-c"])
    with pytest.raises(cli.UsageError):
        cli.parse_dis_args(["a.py", "b.py"])


# -- dispatch to a stub runtime -------------------------------------------------------


class FakeRuntime:
    """Records what the cli asked the runtime to run."""

    interrupted = False

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def run_path(self, path, argv):
        self.calls.append(("path", path, argv))
        return 3

    def run_module(self, name, argv):
        self.calls.append(("module", name, argv))
        return 4

    def run_source(self, source, argv, filename="<string>"):
        self.calls.append(("source", source, argv, filename))
        return 5


@pytest.fixture
def runtime(monkeypatch):
    fake = FakeRuntime()
    monkeypatch.setattr(cli, "_runtime", lambda: fake)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return fake


def test_run_file_passes_path_as_given_and_argv(runtime, tmp_path, monkeypatch):
    (tmp_path / "prog.py").write_text("print(1)\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "prog.py", "a", "--b"]) == 3
    # As given: the runtime makes it absolute without normalising, as python3 does.
    assert runtime.calls == [("path", "prog.py", ["prog.py", "a", "--b"])]


def test_run_directory_with_main(runtime, tmp_path, monkeypatch):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__main__.py").write_text("print(1)\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "app", "x"]) == 3
    assert runtime.calls == [("path", "app", ["app", "x"])]


def test_run_module_and_code(runtime):
    assert cli.main(["run", "-m", "pkg", "x"]) == 4
    assert cli.main(["run", "-c", "pass", "y"]) == 5
    assert runtime.calls == [
        ("module", "pkg", ["-m", "x"]),
        ("source", "pass", ["-c", "y"], "<string>"),
    ]


def test_run_stdin(runtime, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(b"# coding: latin-1\nprint('\xe9')\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert cli.main(["run", "-", "z"]) == 5
    assert runtime.calls == [
        ("source", "# coding: latin-1\nprint('\u00e9')\n", ["-", "z"], "<stdin>")
    ]


def test_run_B_sets_dont_write_bytecode(runtime, tmp_path):
    path = tmp_path / "p.py"
    path.write_text("pass\n")
    cli.main(["run", "-B", str(path)])
    assert sys.dont_write_bytecode is True


def test_version_and_help(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"pvm {pvm.__version__} (Python {sys.version.split()[0]})\n"
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: pvm") and "compile" in out and "dis" in out
    assert cli.main(["run", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: pvm run [option] ...")
    assert cli.main(["compile", "--help"]) == 0
    assert "--no-write" in capsys.readouterr().out
    assert cli.main(["dis", "--help"]) == 0
    assert "python3 -m dis" in capsys.readouterr().out


def test_no_arguments_prints_help_and_fails(capsys):
    assert cli.main([]) == 2
    assert capsys.readouterr().err.startswith("usage: pvm")


def test_unknown_command(capsys):
    assert cli.main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'frobnicate'" in err and "usage: pvm" in err


# -- bad input, end to end (none of these reach the compiler or the interpreter) -------


def run_pvm(args, cwd, stdin=b""):
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return subprocess.run(
        [*PVM, *args], cwd=cwd, input=stdin, capture_output=True, env=env, timeout=60, check=False
    )


def test_missing_file(tmp_path):
    proc = run_pvm(["run", "nope.py"], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        f"pvm: can't open file '{tmp_path / 'nope.py'}': [Errno 2] No such file or directory\n"
    )
    assert proc.stdout == b""


def test_directory_without_main(tmp_path):
    (tmp_path / "d").mkdir()
    proc = run_pvm(["run", "d"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.decode() == f"pvm: can't find '__main__' module in '{tmp_path / 'd'}'\n"


def test_binary_file(tmp_path):
    (tmp_path / "blob").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00junk\n")
    proc = run_pvm(["run", "blob"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.decode() == (
        f'  File "{tmp_path / "blob"}", line 1\n'
        "    \x7fELF\x02\x01\x01\n"
        "SyntaxError: source code cannot contain null bytes\n"
    )


def test_binary_file_matches_python3(tmp_path):
    (tmp_path / "b.py").write_bytes(b"x = 1\ny = '\xc3\xa9'\x00\n")
    (tmp_path / "n.py").write_bytes(b"x = 1\n\xff\n")
    (tmp_path / "k.py").write_bytes(b"# coding: bogus\nx = 1\n")
    for name in ("b.py", "n.py", "k.py"):
        expected = subprocess.run(
            [sys.executable, name], cwd=tmp_path, capture_output=True, timeout=60, check=False
        )
        actual = run_pvm(["run", name], tmp_path)
        assert (actual.returncode, actual.stderr) == (expected.returncode, expected.stderr)


def test_null_bytes_on_stdin(tmp_path):
    proc = run_pvm(["run", "-"], tmp_path, stdin=b"x\x00\n")
    assert proc.returncode == 1
    assert proc.stderr.decode() == (
        '  File "<stdin>", line 1\n    x\nSyntaxError: source code cannot contain null bytes\n'
    )


@pytest.mark.parametrize(
    ("args", "first_line", "usage"),
    [
        (["--bogus"], "unknown option --bogus", "usage: pvm [--version]"),
        (["run", "--bogus"], "unknown option --bogus", "usage: pvm run [option]"),
        (["run", "-z", "x.py"], "Unknown option: -z", "usage: pvm run [option]"),
        (["run", "-c"], "Argument expected for the -c option", "usage: pvm run [option]"),
        (["compile", "--bogus", "x.py"], "unknown option --bogus", "usage: pvm compile"),
        (["dis", "--bogus"], "unknown option --bogus", "usage: pvm dis"),
    ],
)
def test_usage_errors(tmp_path, args, first_line, usage):
    proc = run_pvm(args, tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.decode().splitlines()
    assert lines[0] == first_line
    assert lines[1].startswith(usage)
    assert "Traceback" not in proc.stderr.decode()


def test_version_subprocess(tmp_path):
    proc = run_pvm(["--version"], tmp_path)
    assert proc.returncode == 0 and proc.stdout.decode().startswith("pvm ")


# -- compile and dis with a stub compiler ---------------------------------------------


@pytest.fixture
def stub_compiler(monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bytecode"))
    try:
        from bytecode_samples import sample_module
    finally:
        sys.path.pop(0)

    def compile_fn(source, path):
        if isinstance(source, str):
            source = source.encode()
        if b"error" in source:
            raise SyntaxError("invalid syntax", (path, 1, 3, source.decode(), 1, 4))
        if b"crash" in source:
            raise RuntimeError("compiler bug")
        return sample_module().replace(co_filename=path)

    monkeypatch.setattr(cli, "_compile_fn", lambda: compile_fn)
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return compile_fn


def test_compile_writes_cache(stub_compiler, tmp_path, monkeypatch, capsys):
    from pvm.bytecode import cache

    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.py").write_text("x = 1\n")
    assert cli.main(["compile", "good.py"]) == 0
    assert os.path.exists(cache.cache_path("good.py"))
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("how", ["PYTHONDONTWRITEBYTECODE", "-B"])
def test_compile_writes_cache_whatever_dont_write_bytecode_says(
    how, stub_compiler, tmp_path, monkeypatch
):
    """As py_compile and compileall: -B and PYTHONDONTWRITEBYTECODE govern imports only."""
    from pvm.bytecode import cache

    monkeypatch.chdir(tmp_path)
    if how == "-B":
        monkeypatch.setattr(sys, "dont_write_bytecode", True)
    else:
        monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    (tmp_path / "good.py").write_text("x = 1\n")
    assert cli.main(["compile", "good.py"]) == 0
    assert os.path.exists(cache.cache_path("good.py"))


def test_compile_no_write(stub_compiler, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.py").write_text("x = 1\n")
    assert cli.main(["compile", "--no-write", "good.py"]) == 0
    assert not (tmp_path / "__pycache__").exists()


def test_compile_reports_every_failure(stub_compiler, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.py").write_text("x = 1\n")
    (tmp_path / "bad.py").write_text("a error\n")
    (tmp_path / "bug.py").write_text("crash\n")
    (tmp_path / "sub").mkdir()
    status = cli.main(["compile", "bad.py", "nope.py", "sub", "bug.py", "good.py"])
    assert status == 1
    assert capsys.readouterr().err == (
        '  File "bad.py", line 1\n'
        "    a error\n"
        "      ^\n"
        "SyntaxError: invalid syntax\n"
        "[Errno 2] No such file or directory: 'nope.py'\n"
        "[Errno 21] Is a directory: 'sub'\n"
        "Sorry: RuntimeError: compiler bug\n"
    )
    assert (tmp_path / "__pycache__").exists()  # good.py was still compiled


def test_compile_quiet(stub_compiler, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.py").write_text("a error\n")
    assert cli.main(["compile", "-q", "bad.py"]) == 1
    assert capsys.readouterr().err == ""


def test_dis_file_and_string(stub_compiler, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text("x = 1\n")
    assert cli.main(["dis", "m.py"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("  1           0 LOAD_CONST")
    assert "Disassembly of <code object f at 0x" in out
    assert cli.main(["dis", "-c", "x = 1"]) == 0
    assert capsys.readouterr().out.startswith("  1           0 LOAD_CONST")


def test_dis_syntax_error_and_missing_file(stub_compiler, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["dis", "-c", "an error"]) == 1
    assert capsys.readouterr().err.endswith("SyntaxError: invalid syntax\n")
    assert cli.main(["dis", "nope.py"]) == 2
    assert "can't open file" in capsys.readouterr().err


def test_dis_cache_file(stub_compiler, tmp_path, monkeypatch, capsys):
    from pvm.bytecode import cache

    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text("x = 1\n")
    cli.main(["compile", "m.py"])
    assert cli.main(["dis", cache.cache_path("m.py")]) == 0
    assert "LOAD_CONST" in capsys.readouterr().out
    bad = tmp_path / "bad.pyc"
    bad.write_bytes(b"garbage garbage garbage")
    assert cli.main(["dis", str(bad)]) == 1
    assert "bad magic number" in capsys.readouterr().err
