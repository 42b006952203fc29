"""Slow acceptance suites: CPython's own regression tests and the stdlib compile sweep (-m slow)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def load_script(name: str) -> ModuleType:
    """Import a script from scripts/ by path (it is not a package)."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


cpython_tests = load_script("cpython_tests")


@pytest.mark.slow
@pytest.mark.parametrize("module", cpython_tests.MODULES)
def test_cpython_regression_module(module: str) -> None:
    """At least 95% of the tests python3 passes in this CPython test module pass under pvm."""
    row = cpython_tests.compare_module(module, cpython_tests.testdir(), timeout=1800.0)
    ref, got = row.python, row.pvm
    assert ref.passed, f"python3 passed nothing in {module}:\n{ref.tail}"
    missing = sorted(ref.passed - got.passed)
    percent = 100.0 * (len(ref.passed) - len(missing)) / len(ref.passed)
    assert percent >= 95.0, (
        f"{module}: {percent:.1f}% ({got.status}); not passing under pvm: {missing[:20]}\n{got.tail}"
    )


@pytest.mark.slow
def test_stdlib_compile_sweep() -> None:
    """Every stdlib file compiles under pvm or raises CPython's SyntaxError; nothing else escapes."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "compile_stdlib.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]


def test_parse_verbose_unittest_output() -> None:
    """The runner's parser counts only `ok` verdicts, including ones after printed output."""
    output = (
        "test_a (__main__.T.test_a) ... ok\n"
        "test_b (__main__.T.test_b) ... FAIL\n"
        "test_c (__main__.T.test_c)\nA docstring. ... ok\n"
        "test_d (__main__.T.test_d) ... printed by the test\nok\n"
        "test_e (__main__.T.test_e) ... skipped 'no'\n"
        "test_f (__main__.T.test_f) ... ok\n"
        "\n======\nFAIL: test_f (__main__.T.test_f) [sub]\n"
        "----------------------------------------------------------------------\n"
        "Ran 6 tests in 0.001s\n"
    )
    passed, ran = cpython_tests.parse(output)
    assert passed == {"__main__.T.test_a", "__main__.T.test_c", "__main__.T.test_d"}
    assert ran == 6
