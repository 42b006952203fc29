"""The interactive interpreter: read a statement, compile it on pvm, run it, print, again.

What belongs here: the read-eval-print loop that `pvm run` (and `pvm-python`) start
when there is no program and stdin is a terminal, or after the program under ``-i``;
deciding when the lines typed so far make a whole statement.  What does not: setting
up the process, ``__main__`` and shutdown (pvm.runtime.main), printing tracebacks
(pvm.runtime.traceback).

As CPython's ``PyRun_InteractiveLoop``: the banner on stderr (not under ``-q``), then
``sys.__interactivehook__`` (site's: readline editing, tab completion from the guest's
``__main__``, ~/.python_history); each prompt is the guest's ``sys.ps1``/``sys.ps2``,
read through the guest's ``input`` on a terminal (GNU readline edits the line), else
written to stderr before a plain read of stdin;
each statement is compiled from ``<stdin>`` in ``single`` mode, so an expression's
value goes to ``sys.displayhook`` (which sets ``_``), and runs in ``__main__``'s
namespace; an exception is printed through ``sys.excepthook`` and the loop goes on;
``exit()``/``SystemExit`` ends it with its status; Ctrl-D ends it with 0; Ctrl-C
drops the lines typed so far and prints ``KeyboardInterrupt``.

A statement is complete as ``codeop`` decides (the rule CPython's own tokenizer
applies in interactive mode): it compiles; or it does not, and neither does it with one
more newline, and the parser does not call it incomplete input.  ``__future__`` imports
typed at the prompt do not carry over to later statements (``codeop.Compile`` would).
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

import pvm
from pvm.compiler import compile_source

# Include/cpython/compile.h
_PYCF_DONT_IMPLY_DEDENT = 0x0200
_PYCF_ALLOW_INCOMPLETE_INPUT = 0x4000
FILENAME = "<stdin>"


def banner() -> str:
    """Return the start-up banner: python3's, and which VM runs it."""
    return (
        f"Python {sys.version} on {sys.platform}\n"
        f"(pvm {pvm.__version__}: a Python virtual machine written in Python runs this session)\n"
        'Type "help", "copyright", "credits" or "license" for more information.\n'
    )


def compile_statement(source: str) -> Any:
    """Return the code of the statement in source, None if more lines are needed.

    Raises SyntaxError (or ValueError, OverflowError) for input that no further line
    could complete, as codeop.compile_command does.
    """
    if all(not line.strip() or line.strip().startswith("#") for line in source.split("\n")):
        source = "pass"  # blank lines and comments only: run nothing
    flags = _PYCF_DONT_IMPLY_DEDENT | _PYCF_ALLOW_INCOMPLETE_INPUT
    try:
        return compile_source(source, FILENAME, "single", flags)
    except SyntaxError:
        try:
            compile_source(source + "\n", FILENAME, "single", flags)
            return None
        except SyntaxError as e:
            if "incomplete input" in str(e):
                return None
    # The error the statement really has, without the incomplete-input allowance.
    return compile_source(source, FILENAME, "single", _PYCF_DONT_IMPLY_DEDENT)


class Session:
    """One interactive session in a guest process (pvm.runtime.main._GuestProcess)."""

    def __init__(self, proc: Any) -> None:
        self.proc = proc
        world = proc.world
        self.sys = world.sys if world is not None else sys
        self.modules = world.modules if world is not None else sys.modules
        builtins = self.modules["builtins"]
        self.input = builtins.__dict__["input"]

    def write_err(self, text: str) -> None:
        stream = getattr(self.sys, "stderr", None) or sys.__stderr__
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass

    def write_out(self, text: str) -> None:
        stream = getattr(self.sys, "stdout", None) or sys.__stdout__
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass

    def console(self) -> bool:
        """Return whether the guest's stdin and stdout are both a terminal."""
        try:
            return bool(self.sys.stdin.isatty() and self.sys.stdout.isatty())
        except (AttributeError, OSError, ValueError):
            return False

    def read(self, prompt: str) -> str:
        """Read one line, as PyOS_Readline: on a terminal through input() (GNU readline
        edits it, the prompt on stdout); else the prompt on stderr and a plain read."""
        if self.console():
            return self.input(prompt)
        self.write_err(prompt)
        line = self.sys.stdin.readline()
        if not line:
            raise EOFError
        return line[:-1] if line.endswith("\n") else line

    def start(self, show_banner: bool, startup: bool = False) -> None:
        """Set the prompts, print the banner, run PYTHONSTARTUP (if startup) and
        sys.__interactivehook__, as python3."""
        gsys = self.sys
        if not hasattr(gsys, "ps1"):
            gsys.ps1 = ">>> "
        if not hasattr(gsys, "ps2"):
            gsys.ps2 = "... "
        if show_banner:
            self.write_err(banner())
        if startup:
            self._run_startup()
        self._interactive_hook()

    def _run_startup(self) -> None:
        """Run the PYTHONSTARTUP file in __main__, as pymain_run_startup (not under -E)."""
        path = "" if sys.flags.ignore_environment else os.environ.get("PYTHONSTARTUP", "")
        if not path:
            return
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            self.write_err("Could not open PYTHONSTARTUP\n")
            self.proc.report_uncaught(e, finish=False)
            return
        try:
            code = compile_source(data, path, "exec")
        except (SyntaxError, ValueError) as e:
            self.proc.report_uncaught(e, finish=False)
            return
        self.run(code)

    def _interactive_hook(self) -> None:
        gsys = self.sys
        hook = getattr(gsys, "__interactivehook__", None)
        world = self.proc.world
        if world is not None and isinstance(hook, types.FunctionType):
            # The host's site set the host's hook, whose completer would look names up
            # in the host's __main__: the guest's own site sets the guest's.  (With the
            # library native, the host's __main__ is the guest's and its hook serves.)
            try:
                world.import_("site").enablerlcompleter()
                hook = getattr(gsys, "__interactivehook__", None)
            except Exception:  # noqa: BLE001 - no hook is what python3 has without site
                hook = None
        if hook is None:
            return
        try:
            hook()
        except BaseException as e:  # noqa: BLE001 - reported, as pymain_run_interactive_hook
            self.write_err("Failed calling sys.__interactivehook__\n")
            self.proc.report_uncaught(e, finish=False)

    def loop(self) -> int:
        """Read, compile, run and print until exit() or end of input; return the status."""
        lines: list[str] = []
        while True:
            prompt = self.sys.ps2 if lines else self.sys.ps1
            try:
                line = self.read(str(prompt))
            except EOFError:
                (self.write_out if self.console() else self.write_err)("\n")
                return 0
            except KeyboardInterrupt:
                self.write_err("\nKeyboardInterrupt\n")
                lines = []
                continue
            lines.append(line)
            try:
                code = compile_statement("\n".join(lines))
            except (SyntaxError, ValueError, OverflowError) as e:
                lines = []
                self.proc.report_uncaught(e, finish=False)
                continue
            if code is None:
                continue
            lines = []
            status = self.run(code)
            if status is not None:
                return status

    def run(self, code: Any) -> int | None:
        """Run one statement in __main__; return an exit status if it ended the session."""
        from pvm.runtime.main import _system_exit_status
        from pvm.vm.interpreter import run_code

        main = self.modules.get("__main__")
        namespace = main.__dict__ if main is not None else self.proc.new_main().__dict__
        try:
            run_code(code, namespace)
        except SystemExit as e:
            return _system_exit_status(e)
        except BaseException as e:  # noqa: BLE001 - printed, and the session goes on
            self.proc.report_uncaught(e, finish=False)
        return None


def interact(proc: Any, show_banner: bool) -> int:
    """Run an interactive session in proc; return the exit status it ended with."""
    session = Session(proc)
    session.start(show_banner, startup=proc.interactive)
    return session.loop()
