"""The guest world (pvm run --guest-world): the library runs on pvm, as python3 runs it.

Each program under world_programs/ runs under python3 and under pvm with the guest
world, and must print the same; library_frames.py also shows that without the guest
world the library's frames are the host's (so the comparison can fail).
"""

from __future__ import annotations

import re
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
    result = run([*helpers.PVM, str(prog)], tmp_path, env={"PVM_GUEST_WORLD": "0"})
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


PYTEST_PROJECT = {
    "test_sample.py": (
        "import sys\n\n\n"
        "def test_ok():\n    assert 1 + 1 == 2\n\n\n"
        "def test_fail():\n    a = [1, 2, 3]\n    b = [1, 2, 4]\n    assert a == b\n\n\n"
        "def test_where():\n"
        "    with open('where.txt', 'w') as f:\n"
        "        c = sys._getframe().f_code\n"
        "        f.write(str(len(c.co_code) // len(list(c.co_positions()))))\n"
    ),
}


def test_pytest_on_pvm_rewrites_asserts_as_python3(tmp_path: Path) -> None:
    """pytest, its assertion rewriting and the test bodies all run on pvm."""
    helpers.write_files(tmp_path, PYTEST_PROJECT)
    args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_sample.py"]
    expected, actual = helpers.run_both(args, args, tmp_path, env=WORLD, timeout=600)
    where_pvm = (tmp_path / "where.txt").read_text()  # written last, by pvm's run

    def untimed(text: str) -> str:
        return re.sub(r" in [0-9.]+s", " in Ns", text)

    assert untimed(actual.stdout) == untimed(expected.stdout)
    assert actual.returncode == expected.returncode == 1
    assert "At index 2 diff: 3 != 4" in actual.stdout  # the rewritten assertion's message
    assert where_pvm == "4", where_pvm  # pvm's 4-byte instructions, not CPython's 2


NATIVE_PROBE = (
    "import json, sys\n"
    "PROGRAM_FRAME = type(sys._getframe())\n"
    "def hook(d):\n"
    "    print('caller is a pvm frame:', type(sys._getframe(1)) is PROGRAM_FRAME)\n"
    "    return d\n"
    "json.loads('{}', object_hook=hook)\n"
)


@pytest.mark.parametrize(
    ("options", "on_pvm"),
    [([], True), (["--native", "json"], False), (["--native-stdlib"], False)],
    ids=["world", "native-json", "native-stdlib"],
)
def test_native_packages_run_on_the_host(tmp_path: Path, options: list, on_pvm: bool) -> None:
    """--native PKG hands the guest the host's package; --native-stdlib leaves the world."""
    (tmp_path / "probe.py").write_text(NATIVE_PROBE)
    result = run([*helpers.PVM, "--guest-world", *options, "probe.py"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"caller is a pvm frame: {on_pvm}\n"
