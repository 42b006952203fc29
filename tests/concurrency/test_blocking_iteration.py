"""A for loop over a file or pipe releases pvm's GIL while each read waits, as CPython's
C readline does: the read is C code reached without a call instruction."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import PVM, PYTHON, compare, run

PROGRAM = """\
import sys, threading

lines = []
def worker():
    for i in range(3):
        lines.append(i)

t = threading.Thread(target=worker)
t.start()
count = 0
for line in sys.stdin:
    count += len(line)
t.join()
with open(__file__, "rb") as f:
    raw = sum(1 for _ in f)
print(count, lines, raw)
"""


def test_reading_lines_in_a_for_loop_as_python3(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM)
    stdin = "one\ntwo\nthree\n"
    expected = run([PYTHON, "prog.py"], tmp_path, stdin=stdin)
    actual = run([*PVM, "prog.py"], tmp_path, stdin=stdin)
    compare(expected, actual, "prog.py")


def test_pvm_gil_shows_the_read_releasing_the_gil(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM)
    gil = [PYTHON, "-m", "pvm", "gil", "--json", "gil.json", "prog.py"]
    out = run(gil, tmp_path, stdin="one\ntwo\n")
    assert out.returncode == 0, out.stderr
    events = json.loads((tmp_path / "gil.json").read_text())["events"]
    reads = [
        (e["name"], e["where"])
        for e in events
        if e["kind"] == "BLOCK_START" and e["detail"] == "TextIOWrapper.__next__"
    ]
    # One release per line read and one for the end of input, all in the program.
    assert reads == [("MainThread", "<module> (prog.py)")] * 3
    binary = [e for e in events if e["detail"] == "BufferedReader.__next__"]
    assert binary, "iterating a binary file releases the GIL too"
