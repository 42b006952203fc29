"""Blocking methods of a multi-phase C module's heap types (METH_METHOD, type
`builtin_method`), such as the guest world's own `_queue.SimpleQueue.get`, release pvm's
GIL as other blocking calls do: ThreadPoolExecutor's workers wait on one."""

from __future__ import annotations

from pathlib import Path

from helpers import PYTHON, compare, run

PROGRAM = """\
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(2) as ex:
    print(list(ex.map(pow, [2, 3, 4], [5, 5, 5])))
"""


def test_thread_pool_under_the_deterministic_schedule_as_python3(tmp_path: Path) -> None:
    # Under the deterministic schedule nothing steals the GIL: a worker that waited in
    # SimpleQueue.get holding it stopped the program for ever (killed after 30 s).
    (tmp_path / "prog.py").write_text(PROGRAM)
    expected = run([PYTHON, "prog.py"], tmp_path)
    actual = run([PYTHON, "-m", "pvm", "run", "--schedule", "deterministic", "prog.py"], tmp_path)
    compare(expected, actual, "prog.py")
