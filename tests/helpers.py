"""Differential test helpers: run a program under python3 and under pvm and compare."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

# The reference interpreter is the one running the tests, so both sides share one host.
PYTHON = sys.executable
PVM = (sys.executable, "-m", "pvm", "run")
TIMEOUT = 60.0
# The suite runs in the guest world (pvm.runtime.world, the default) unless
# PVM_GUEST_WORLD=0 is set (pvm run --native-stdlib).
IN_GUEST_WORLD = os.environ.get("PVM_GUEST_WORLD", "1") != "0"
# The guest world's sys.executable (pvm.runtime.world.World._pvm_python), if installed.
PVM_PYTHON = shutil.which("pvm-python", path=sysconfig.get_path("scripts")) or shutil.which(
    "pvm-python"
)
if PVM_PYTHON is not None:
    PVM_PYTHON = os.path.abspath(PVM_PYTHON)


# The guest world's documented differences (docs/guest-world.md, "Known differences").
HIDDEN_JSON = "hidden C _json: json's pure-Python scanner and encoder frames and messages show"


def guest_world_difference(reason: str) -> pytest.MarkDecorator:
    """Mark a test that fails in the guest world by a documented difference (docs/guest-world.md)."""
    return pytest.mark.xfail(IN_GUEST_WORLD, reason=f"guest world: {reason}", strict=True)


def world_param(name: str, differences: Mapping[str, str]) -> object:
    """Return name as a test parameter, marked when differences lists it for the guest world."""
    if name in differences:
        return pytest.param(name, marks=guest_world_difference(differences[name]))
    return name


@dataclass(frozen=True)
class Outcome:
    """What a finished program showed the outside world."""

    stdout: str
    stderr: str
    returncode: int


def base_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment both interpreters run with (fixed hash seed, no colour)."""
    env = dict(os.environ)
    # Same hash seed on both sides so set/dict-of-str orders agree between them.
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("PYTHONSTARTUP", None)
    env.pop("PYTHONINSPECT", None)
    env.pop("PYTHONWARNINGS", None)
    # Exercise pvm's bytecode cache as on a fresh machine, even if the caller disabled writes.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if extra:
        env.update(extra)
    return env


def run(
    argv: Sequence[str],
    cwd: Path,
    *,
    stdin: str | bytes | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> Outcome:
    """Run argv in cwd and return its outcome; a timeout becomes returncode -9 with a note."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    try:
        proc = subprocess.run(
            list(argv),
            cwd=cwd,
            input=data if data is not None else b"",
            capture_output=True,
            check=False,
            env=base_env(env),
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace")
        err = (exc.stderr or b"").decode("utf-8", "replace")
        return Outcome(out, err + f"\n<<timed out after {timeout} s>>", -9)
    return Outcome(
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        proc.returncode,
    )


def write_files(root: Path, files: Mapping[str, str | bytes] | None) -> None:
    """Write extra files (relative path -> text or bytes) under root, making directories."""
    for rel, content in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _diff(label: str, expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"python3 {label}",
        tofile=f"pvm {label}",
    )
    return "".join(lines)


def _name_program(stderr: str, prog: str) -> str:
    # python3 names itself by its executable's path where pvm says "pvm" (e.g. "can't open
    # file", "No module named"); only that leading name may differ.
    return "".join(
        "PROG: " + line[len(prog) + 2 :] if line.startswith(prog + ": ") else line
        for line in stderr.splitlines(keepends=True)
    )


def compare(expected: Outcome, actual: Outcome, what: str) -> None:
    """Assert two outcomes are identical but for the program's name, with a readable diff."""
    expected = Outcome(expected.stdout, _name_program(expected.stderr, PYTHON), expected.returncode)
    actual_stderr = _name_program(actual.stderr, "pvm")
    if PVM_PYTHON is not None:
        # In the guest world runpy's messages name the guest's sys.executable, pvm-python.
        actual_stderr = _name_program(actual_stderr, PVM_PYTHON)
    actual = Outcome(actual.stdout, actual_stderr, actual.returncode)
    problems = []
    if expected.returncode != actual.returncode:
        problems.append(f"exit code: python3={expected.returncode} pvm={actual.returncode}")
    if expected.stdout != actual.stdout:
        problems.append(_diff("stdout", expected.stdout, actual.stdout))
    if expected.stderr != actual.stderr:
        problems.append(_diff("stderr", expected.stderr, actual.stderr))
    if problems:
        report = "\n".join(problems)
        if actual.stderr and expected.stderr != actual.stderr:
            report += "\n--- full pvm stderr ---\n" + actual.stderr[-4000:]
        raise AssertionError(f"pvm differs from python3 for {what}:\n{report}")


def run_both(
    py_args: Sequence[str],
    pvm_args: Sequence[str],
    cwd: Path,
    *,
    stdin: str | bytes | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> tuple[Outcome, Outcome]:
    """Run `python3 py_args` and `python3 -m pvm run pvm_args` alike; return both outcomes."""
    expected = run([PYTHON, *py_args], cwd, stdin=stdin, env=env, timeout=timeout)
    # Two hung runs would compare equal; a reference that hangs is a broken test, not a pass.
    assert "<<timed out after" not in expected.stderr, f"python3 itself timed out on {py_args}"
    actual = run([*PVM, *pvm_args], cwd, stdin=stdin, env=env, timeout=timeout)
    return expected, actual


def assert_same_as_cpython(
    source: str,
    tmp_path: Path,
    *,
    args: Iterable[str] = (),
    stdin: str | bytes | None = None,
    files: Mapping[str, str | bytes] | None = None,
    filename: str = "prog.py",
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> Outcome:
    """Run source as a script under python3 and pvm; assert identical stdout, stderr, exit code."""
    write_files(tmp_path, files)
    path = tmp_path / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    argv = [str(path), *args]
    expected, actual = run_both(argv, argv, tmp_path, stdin=stdin, env=env, timeout=timeout)
    try:
        compare(expected, actual, f"script {filename}")
    except AssertionError as exc:
        # As byterun does: show the bytecode pvm ran, so the failure can be read from here.
        raise AssertionError(f"{exc}\n{_disassembly(path, tmp_path)}") from None
    return expected


DIS_LIMIT = 8000


def _disassembly(path: Path, cwd: Path) -> str:
    """Return pvm's disassembly of the program at path (truncated) for a failure report."""
    out = run([*PVM[:-1], "dis", str(path)], cwd)
    text = out.stdout if out.returncode == 0 else out.stdout + out.stderr
    if len(text) > DIS_LIMIT:
        text = text[:DIS_LIMIT] + f"\n... ({len(text) - DIS_LIMIT} more characters)\n"
    return f"--- pvm dis {path.name} ---\n{text}"


def assert_same_as_cpython_c(
    code: str,
    tmp_path: Path,
    *,
    args: Iterable[str] = (),
    stdin: str | bytes | None = None,
    files: Mapping[str, str | bytes] | None = None,
    env: Mapping[str, str] | None = None,
) -> Outcome:
    """Run `-c code` under python3 and pvm; assert identical stdout, stderr, exit code."""
    write_files(tmp_path, files)
    argv = ["-c", code, *args]
    expected, actual = run_both(argv, argv, tmp_path, stdin=stdin, env=env)
    compare(expected, actual, "-c program")
    return expected


def assert_same_as_cpython_m(
    module: str,
    tmp_path: Path,
    *,
    files: Mapping[str, str | bytes],
    args: Iterable[str] = (),
    stdin: str | bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> Outcome:
    """Run `-m module` (from files written in tmp_path) under both; assert identical results."""
    write_files(tmp_path, files)
    argv = ["-m", module, *args]
    expected, actual = run_both(argv, argv, tmp_path, stdin=stdin, env=env)
    compare(expected, actual, f"-m {module}")
    return expected


def assert_same_as_cpython_stdin(
    source: str,
    tmp_path: Path,
    *,
    args: Iterable[str] = (),
    files: Mapping[str, str | bytes] | None = None,
    env: Mapping[str, str] | None = None,
) -> Outcome:
    """Feed source as the program on stdin (`-`) to both; assert identical results."""
    write_files(tmp_path, files)
    argv = ["-", *args]
    expected, actual = run_both(argv, argv, tmp_path, stdin=source, env=env)
    compare(expected, actual, "stdin program")
    return expected
