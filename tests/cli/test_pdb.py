"""pdb on pvm: it runs in the guest world and debugs guest frames through sys.settrace.

Differential: the same debugger commands, typed at each `(Pdb)` prompt in a
pseudo-terminal (and piped), give python3's transcript.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PVM, PYTHON, compare, run_both
from test_repl import session

PROGRAM = """\
def add(a, b):
    result = a + b
    return result


def main():
    x = 10
    {stop}
    y = add(x, 20)
    print("y =", y)


main()
"""
PDB_PROMPT = (b"(Pdb) ",)


@pytest.mark.parametrize("stop", ["breakpoint()", "import pdb; pdb.set_trace()"])
def test_breakpoint_steps_into_a_guest_function(tmp_path: Path, stop: str) -> None:
    """Stop at the guest line after the breakpoint, step into add(), print a local, where."""
    (tmp_path / "prog.py").write_text(PROGRAM.format(stop=stop))
    lines = ["p x\n", "s\n", "n\n", "n\n", "p result\n", "where\n", "up\n", "p x\n", "c\n"]
    runs = {
        name: session([*argv, "prog.py"], lines, tmp_path, PDB_PROMPT)
        for name, argv in (("python3", [PYTHON]), ("pvm", [*PVM]))
    }
    assert runs["pvm"] == runs["python3"]
    out, status = runs["pvm"]
    assert status == 0 and "(Pdb) p result\r\n30\r\n" in out and "y = 30" in out
    assert "-> result = a + b" in out


def test_pdb_module_with_a_breakpoint_by_name(tmp_path: Path) -> None:
    """python3 -m pdb prog.py: break at a guest function, continue, step, args, as python3."""
    (tmp_path / "prog.py").write_text(PROGRAM.format(stop="pass"))
    commands = "b add\nc\nargs\nn\np a + b\nwhere\nc\nq\n"
    expected, actual = run_both(
        ["-m", "pdb", "prog.py"], ["-m", "pdb", "prog.py"], tmp_path, stdin=commands
    )
    compare(expected, actual, "python3 -m pdb prog.py")
    assert "a = 10\nb = 20" in expected.stdout and "(Pdb) 30" in expected.stdout
