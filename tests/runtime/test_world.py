"""The guest world (pvm run --guest-world): the library runs on pvm, as python3 runs it.

Each program under world_programs/ runs under python3 and under pvm with the guest
world, and must print the same; library_frames.py also shows that without the guest
world the library's frames are the host's (so the comparison can fail).
"""

from __future__ import annotations

from pathlib import Path

import helpers
import pytest
from helpers import assert_same_as_cpython, run

PROGRAMS = Path(__file__).resolve().parent / "world_programs"
WORLD = {"PVM_GUEST_WORLD": "1"}


@pytest.mark.parametrize("name", sorted(p.name for p in PROGRAMS.glob("*.py")))
def test_program_same_as_python3(name: str, tmp_path: Path) -> None:
    source = (PROGRAMS / name).read_text()
    assert_same_as_cpython(source, tmp_path, filename=name, env=WORLD)


def test_without_the_world_library_frames_are_the_hosts(tmp_path: Path) -> None:
    prog = tmp_path / "library_frames.py"
    prog.write_text((PROGRAMS / "library_frames.py").read_text())
    result = run([*helpers.PVM, str(prog)], tmp_path)
    first = result.stdout.splitlines()[0]
    assert "merge:heapq.py:False" in first, result.stdout


def test_dash_m_runs_the_guests_runpy(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "bad.py").write_text("import sys\nprint(sys.argv)\nraise ValueError(1)\n")
    expected, actual = helpers.run_both(
        ["-m", "pkg.bad", "x"], ["-m", "pkg.bad", "x"], tmp_path, env=WORLD
    )
    helpers.compare(expected, actual, "-m pkg.bad")
