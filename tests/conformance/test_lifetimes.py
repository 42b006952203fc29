"""Object lifetimes as CPython's: a generated differential suite, one program per opcode family.

Each case drops an object's last reference at one construct (tests/conformance/
lifetime_programs.py); the object's ``__del__`` (or a weakref callback) prints its name
and the line its caller stands at.  pvm must print the same lines in the same order as
python3: the same object dies at the same moment.  ``pvm memory --refs`` must agree with
``pvm run`` on the moment of every ``__del__``: the same output, and each finalizer in
its report at the line that the finalizer printed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import helpers
import pytest

from conformance import lifetime_programs

FAMILIES = sorted(lifetime_programs.FAMILIES)
DEL_LINE = re.compile(r"^  del (\S+) @ (\S+)$")


def _lines_agree(expected: str, actual: str) -> bool:
    """Return True if the outputs are the same but where python3's frame had no line.

    CPython's f_lineno is None on instructions without a line (the cleanup of
    ``except*``); pvm's line table gives them the statement's line.  That is a line
    table difference, not a lifetime one: the moment is the same.
    """
    exp, act = expected.splitlines(), actual.splitlines()
    if len(exp) != len(act):
        return False
    for e, a in zip(exp, act):
        if e != a and not (e.endswith("@ None") and a.rsplit("@ ", 1)[0] == e.rsplit("@ ", 1)[0]):
            return False
    return True


def _assert_same_lifetimes(source: str, tmp_path: Path, name: str) -> helpers.Outcome:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    expected, actual = helpers.run_both([name], [name], tmp_path)
    assert expected.returncode == 0, expected.stderr
    if _lines_agree(expected.stdout, actual.stdout):
        actual = helpers.Outcome(expected.stdout, actual.stderr, actual.returncode)
    helpers.compare(expected, actual, f"lifetime program {name} (regenerate it with "
                    f"python3 tests/conformance/lifetime_programs.py DIR)")  # fmt: skip
    return actual


@pytest.mark.parametrize("family", FAMILIES)
def test_last_reference_dies_when_python3s_does(tmp_path: Path, family: str) -> None:
    """Every generated case of the family prints the same deaths, in the same order, as python3."""
    source = lifetime_programs.program(family)
    out = _assert_same_lifetimes(source, tmp_path, f"lifetime_{family}.py")
    # The suite tests something: each case's objects die inside it.
    assert out.stdout.count("  del ") >= len(lifetime_programs.cases(family, trackers=("del",)))


def test_generator_covers_every_wrapper_and_tracker() -> None:
    """Each family's program holds its snippets in every scope and with both trackers."""
    for family in FAMILIES:
        labels = [label for label, _ in lifetime_programs.cases(family)]
        assert len(labels) == len(set(labels))
        for wrapper in lifetime_programs.WRAPPERS:
            for kind in lifetime_programs.TRACKERS:
                assert any(f".{wrapper}.{kind}" in label for label in labels), (family, wrapper)


def _pvm_run(tmp_path: Path, name: str) -> str:
    out = helpers.run([*helpers.PVM, name], tmp_path)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _pvm_memory_refs(tmp_path: Path, name: str) -> tuple[str, dict]:
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "memory", "--refs", "--format", "json", "-o", str(report),
         name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=helpers.base_env(),
        timeout=600,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout, json.loads(report.read_text(encoding="utf-8"))


def _assert_memory_agrees(source: str, tmp_path: Path, name: str) -> int:
    """Assert pvm memory --refs shows each __del__ where pvm run (and python3) ran it."""
    (tmp_path / name).write_text(source, encoding="utf-8")
    run_out = _pvm_run(tmp_path, name)
    mem_out, doc = _pvm_memory_refs(tmp_path, name)
    # Same output: every finalizer ran between the same prints under both.
    assert mem_out == run_out
    printed = [m.groups() for m in map(DEL_LINE.match, run_out.splitlines()) if m]
    events = [
        (event, step["where"])
        for step in doc["refs"]
        for event in step["events"]
        if "finalizer" in event
    ]
    assert len(events) == len(printed), (len(events), len(printed))
    for (event, where), (label, line) in zip(events, printed):
        assert event["finalizer"] == "D.__del__", (label, event)
        if line == "-":
            continue  # dropped by library code (a thread's run): no line of the program's
        # The report puts the finalizer at the line the finalizer saw, in a step of the
        # frame that dropped the reference.
        assert event["at"] is not None and str(event["at"]["line"]) == line, (label, line, event)
        assert where is not None and where["function"] == event["at"]["function"], (label, where)
    return len(printed)


def test_memory_refs_agrees_with_run_on_every_del(tmp_path: Path) -> None:
    """One case of each snippet (in a function, with __del__) under pvm memory --refs."""
    source = lifetime_programs.program(FAMILIES, wrappers=("function",), trackers=("del",))
    count = _assert_memory_agrees(source, tmp_path, "lifetime_memory.py")
    assert count >= sum(len(snippets) for snippets in lifetime_programs.FAMILIES.values())


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_memory_refs_agrees_with_run_on_whole_family(tmp_path: Path, family: str) -> None:
    """Every case of the family under pvm memory --refs (the whole suite: -m slow)."""
    source = lifetime_programs.program(family, trackers=("del",))
    assert _assert_memory_agrees(source, tmp_path, f"lifetime_{family}.py") > 0
