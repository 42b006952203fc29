"""Run a snippet under python3 and under pvm (compiler + interpreter) and compare."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# The pvm side: compile with pvm's compiler, run on pvm's interpreter, and report an
# uncaught exception as its last traceback line, as python3 prints it.
_PVM_RUNNER = r"""
import sys
from pvm.compiler import compile_source
from pvm.vm.interpreter import run_code
source = sys.stdin.read()
code = compile_source(source, "<snippet>")
try:
    run_code(code, {"__name__": "__main__", "__builtins__": None} and {"__name__": "__main__"})
except SystemExit:
    raise
except BaseException as e:
    sys.stdout.flush()
    msg = str(e)
    name = type(e).__qualname__
    if type(e).__module__ not in ("builtins", "__main__"):
        name = type(e).__module__ + "." + name
    print(f"{name}: {msg}" if msg else name, file=sys.stderr)
    sys.exit(1)
"""

_HOST_RUNNER = r"""
import sys, traceback
source = sys.stdin.read()
try:
    exec(compile(source, "<snippet>", "exec"), {"__name__": "__main__"})
except SystemExit:
    raise
except BaseException as e:
    sys.stdout.flush()
    msg = str(e)
    name = type(e).__qualname__
    if type(e).__module__ not in ("builtins", "__main__"):
        name = type(e).__module__ + "." + name
    print(f"{name}: {msg}" if msg else name, file=sys.stderr)
    sys.exit(1)
"""


def run_both(source: str, timeout: float = 60) -> tuple[tuple, tuple]:
    """Return (stdout, last stderr line, exit code) for python3 and for pvm."""
    source = textwrap.dedent(source)
    out = []
    # The reference side is CPython itself running the snippet (this is the oracle, not pvm).
    for runner in (_HOST_RUNNER, _PVM_RUNNER):
        proc = subprocess.run(
            [sys.executable, "-c", runner],
            input=source.encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
            env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
        )
        err = proc.stderr.decode(errors="replace").strip().splitlines()
        out.append((proc.stdout.decode(errors="replace"), err[-1] if err else "", proc.returncode))
    return out[0], out[1]
