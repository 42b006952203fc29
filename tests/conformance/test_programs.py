"""Differential conformance: every program under programs/ behaves the same on pvm as on python3."""

from __future__ import annotations

import shlex
from pathlib import Path

import helpers
import pytest
from helpers import assert_same_as_cpython, write_files

PROGRAMS = Path(__file__).resolve().parent / "programs"


def discover() -> list[Path]:
    """Return every program: programs/CONSTRUCT/NAME.py files and NAME/ dirs holding main.py."""
    found = []
    for construct in sorted(p for p in PROGRAMS.iterdir() if p.is_dir()):
        for entry in sorted(construct.iterdir()):
            if entry.suffix == ".py" or (entry.is_dir() and (entry / "main.py").exists()):
                found.append(entry)
    return found


def header_args(source: str) -> list[str]:
    """Return the command-line arguments named by a leading `# args: ...` comment."""
    for line in source.splitlines()[:5]:
        if line.startswith("# args:"):
            return shlex.split(line[len("# args:") :])
    return []


# Known differences from python3, listed as "partial" in the README's feature table. Strict:
# the day pvm matches python3 on one of them, its test fails until it leaves this list.
KNOWN_DIFFERENCES = {
    "recursion/unbounded_caught": "RecursionError raised through host code (repr of a "
    "self-referencing object) lacks CPython's 'while calling a Python object'",
    "introspection/traceback_objects": "types.TracebackType() does not accept pvm's frames",
}


# Known differences in the guest world only (docs/guest-world.md, "Known differences").
GUEST_WORLD_DIFFERENCES = {
    "recursion/errors_at_limit": helpers.HIDDEN_JSON,
}


def _case(path: Path) -> object:
    name = f"{path.parent.name}/{path.name.removesuffix('.py')}"
    if name in KNOWN_DIFFERENCES:
        mark = pytest.mark.xfail(reason=KNOWN_DIFFERENCES[name], strict=True)
        return pytest.param(path, id=name, marks=mark)
    if name in GUEST_WORLD_DIFFERENCES:
        mark = helpers.guest_world_difference(GUEST_WORLD_DIFFERENCES[name])
        return pytest.param(path, id=name, marks=mark)
    return pytest.param(path, id=name)


@pytest.mark.parametrize("program", [_case(p) for p in discover()])
def test_program(program: Path, tmp_path: Path) -> None:
    """Run one conformance program under both interpreters and compare everything."""
    if program.is_dir():
        # Multi-file program: copy its tree (modules, packages) next to main.py.
        files = {
            str(p.relative_to(program)): p.read_bytes()
            for p in program.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.name != "main.py"
        }
        write_files(tmp_path, files)
        source = (program / "main.py").read_text(encoding="utf-8")
        filename = "main.py"
    else:
        source = program.read_text(encoding="utf-8")
        filename = program.name
    assert_same_as_cpython(source, tmp_path, args=header_args(source), filename=filename)


def test_every_construct_has_several_programs() -> None:
    """Guard the suite's breadth: each construct directory holds at least three programs."""
    counts: dict[str, int] = {}
    for program in discover():
        counts[program.parent.name] = counts.get(program.parent.name, 0) + 1
    thin = {name: n for name, n in counts.items() if n < 3}
    assert counts and not thin, f"constructs with fewer than 3 programs: {thin}"
