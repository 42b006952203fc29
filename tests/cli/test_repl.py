"""The interactive interpreter, driven in a pseudo-terminal, against python3's.

Each session is typed one line at a time, each line only once the interpreter has
printed its prompt (as a person types), so the echo and the prompts interleave the same
way under both; the whole transcript and the exit status must be python3's.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import time
from pathlib import Path

import pytest
from helpers import PVM, PVM_PYTHON, PYTHON, base_env, compare, run_both

WAIT = 120.0  # seconds for one prompt (a loaded machine starts pvm slowly)
PROMPTS = (b">>> ", b"... ")


class Terminal:
    """A program in a pseudo-terminal, typed at prompt by prompt."""

    def __init__(
        self,
        argv: list[str],
        cwd: Path,
        prompts: tuple[bytes, ...] = PROMPTS,
        env: dict[str, str] | None = None,
    ) -> None:
        self.prompts = prompts
        env = base_env({"HOME": str(cwd), "TERM": "dumb", "PYTHONSTARTUP": "", **(env or {})})
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            try:
                os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.out = b""

    def read_until_prompt(self) -> bool:
        """Read until the output ends with a prompt (True) or the program ends (False)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if not ready:
                if self.out.endswith(self.prompts):
                    return True
                continue
            try:
                data = os.read(self.fd, 4096)
            except OSError:  # EIO: the program closed the terminal
                return False
            if not data:
                return False
            self.out += data
        self.kill()
        pytest.fail(f"no prompt after {WAIT} s; output so far: {self.out!r}")

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def finish(self) -> int:
        """Read what is left, reap the program, return its exit status."""
        self.read_until_prompt()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        self.kill()
        pytest.fail(f"the program did not exit; output: {self.out!r}")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def session(
    argv: list[str],
    lines: list[str],
    cwd: Path,
    prompts: tuple[bytes, ...] = PROMPTS,
    env: dict[str, str] | None = None,
) -> tuple[str, int]:
    """Type lines at argv's prompts; return the transcript and the exit status."""
    term = Terminal(argv, cwd, prompts, env)
    try:
        for line in lines:
            if not term.read_until_prompt():
                break
            term.type(line)
        status = term.finish()
    finally:
        term.kill()
    return term.out.decode("utf-8", "replace"), status


def both(
    options: list[str], lines: list[str], tmp_path: Path, env: dict[str, str] | None = None
) -> tuple[str, int]:
    """Run the session under python3 and pvm-python with options; assert they agree."""
    (tmp_path / "py").mkdir()
    (tmp_path / "pvm").mkdir()
    expected = session([PYTHON, *options], lines, tmp_path / "py", env=env)
    actual = session([PVM_PYTHON, *options], lines, tmp_path / "pvm", env=env)
    assert actual == expected
    return expected


SESSION = [
    "1 + 1\n",
    "_ * 3\n",
    "def f(x):\n",
    "    return x * 5\n",
    "\n",
    "f(2)\n",
    "for i in range(2):\n",
    "    print(i)\n",
    "\n",
    "1 / 0\n",
    "f(\n",
    "   3)\n",
    "x = [1, 2]\n",
    "x\n",
    "None\n",
    "import sys; sys.ps1\n",
    "exit()\n",
]


def test_session_is_python3s(tmp_path: Path) -> None:
    """Blocks, `_`, a traceback, a continued call, a value, then exit(): as python3."""
    out, status = both(["-q"], SESSION, tmp_path)
    assert status == 0
    assert "ZeroDivisionError: division by zero" in out and "\r\n15\r\n" in out


def test_syntax_errors_and_exit_status(tmp_path: Path) -> None:
    lines = ["x = = 1\n", "def g(:\n", "  1\n", "raise SystemExit(3)\n"]
    out, status = both(["-q"], lines, tmp_path)
    assert status == 3 and "SyntaxError" in out and "IndentationError" in out


def test_ctrl_c_and_ctrl_d(tmp_path: Path) -> None:
    """Ctrl-C drops the lines typed so far; Ctrl-D ends the session with status 0."""
    lines = ["if True:\n", "\x03", "'after'\n", "\x04"]
    out, status = both(["-q"], lines, tmp_path)
    assert status == 0 and "KeyboardInterrupt" in out and "'after'" in out


def test_tab_completion_from_the_sessions_names(tmp_path: Path) -> None:
    """site's hook: readline completes names of the guest's __main__ (and history is kept)."""
    out, status = both(["-q"], ["abc_value = 5\n", "abc_v\t + 1\n", "exit()\n"], tmp_path)
    assert "abc_value + 1\r\n6\r\n" in out
    history = (tmp_path / "pvm" / ".python_history").read_text()
    assert "abc_value + 1" in history


def test_inspect_after_a_program(tmp_path: Path) -> None:
    """-i: the program's names in the session, even after its uncaught exception."""
    out, status = both(
        ["-q", "-i", "-c", "x = 21; raise SystemExit(4)"], ["x * 2\n", "exit(5)\n"], tmp_path
    )
    assert status == 5 and "SystemExit: 4" in out and "\r\n42\r\n" in out


def test_pvm_run_banner_names_pvm(tmp_path: Path) -> None:
    """With no program on a terminal `pvm run` starts a session; its banner says pvm runs it."""
    out, status = session([*PVM], ["import sys\n", "sys.version_info[:2]\n", "\x04"], tmp_path)
    assert status == 0
    assert out.startswith("Python 3.") and "pvm" in out.splitlines()[1]
    assert "(3, 11)" in out


def test_inspect_with_stdin_not_a_terminal(tmp_path: Path) -> None:
    """-i reading a pipe: prompts on stderr, statements from stdin, as python3."""
    lines = "x * 2\nfor i in range(2):\n  i\n\n1 / 0\nx + 1\n"
    expected, actual = run_both(["-i", "-c", "x = 4"], ["-i", "-c", "x = 4"], tmp_path, stdin=lines)
    compare(expected, actual, "-i with a pipe")
    assert expected.stderr.startswith(">>> ") and "ZeroDivisionError" in expected.stderr


@pytest.mark.parametrize(
    ("options", "startup"),
    [
        (["-q"], "startup.py"),  # run before the first prompt, in __main__
        (["-q", "-E"], "startup.py"),  # -E: not run
        (["-q", "-i", "-c", "pass"], "startup.py"),  # -i after a program: not run
        (["-q"], "missing.py"),  # "Could not open PYTHONSTARTUP", then the session
    ],
)
def test_pythonstartup(options, startup, tmp_path: Path) -> None:
    """PYTHONSTARTUP, as python3 runs it (and does not) in an interactive session."""
    script = tmp_path / "startup.py"
    script.write_text("print('startup ran')\ngreeting = 'hi'\n")
    lines = ["greeting\n", "exit()\n"]
    both(options, lines, tmp_path, env={"PYTHONSTARTUP": str(tmp_path / startup)})
