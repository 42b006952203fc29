"""`pvm compare` on bad input: a clear message and a non-zero exit, never a traceback of pvm's.

These run the python3 half only (`--interpreters python3`), so each takes a second or
two; the pvm half of a whole comparison is in test_compare_run.py (slow).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FAST = ["--interpreters", "python3", "--workers", "1,2", "--start-methods", "fork", "--quick"]
FAST += ["--no-gil", "--no-progress"]


def compare(tmp_path: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pvm", "compare", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def no_pvm_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "src/pvm/" not in proc.stderr.replace(os.sep, "/"), proc.stderr


@pytest.fixture
def module(tmp_path: Path) -> Path:
    (tmp_path / "work.py").write_text(
        "import time\n"
        "NOT_A_FUNCTION = 42\n"
        "square = lambda x: x * x\n"
        "def ok(x):\n"
        "    return x * x\n"
        "def fails(x):\n"
        "    raise ValueError(f'bad item {x}')\n"
        "def forever(x):\n"
        "    import os\n"
        "    open(f'pid-{os.getpid()}', 'w').close()\n"
        "    time.sleep(60)\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing"], "TARGET is MODULE:FUNCTION"),
        (["work:ok", "--items", "[]"], "non-empty JSON list"),
        (["cpu", "--workers", "0"], "--workers: expected positive whole numbers"),
        (["cpu", "--start-methods", "thread"], "--start-methods: thread"),
        (["cpu", "--interpreters", "pypy"], "--interpreters: pypy"),
        (["cpu", "--repeat", "0"], "--repeat"),
    ],
)
def test_usage_errors(module: Path, args: list[str], message: str) -> None:
    proc = compare(module, *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    no_pvm_traceback(proc)


def test_chart_file_type_and_output_directory(module: Path) -> None:
    proc = compare(module, "cpu", "--chart", "chart.pdf")
    assert proc.returncode == 2
    assert "the chart is written as .png or .svg" in proc.stderr
    proc = compare(module, "cpu", "-o", "no/such/dir/out.json")
    assert proc.returncode == 2
    assert "cannot write no/such/dir/out.json" in proc.stderr


def test_module_that_cannot_be_imported(module: Path) -> None:
    proc = compare(module, "no_such_module:f", *FAST)
    assert proc.returncode == 1
    assert "cannot load no_such_module:f under python3" in proc.stderr
    assert "ModuleNotFoundError: No module named 'no_such_module'" in proc.stderr
    proc = compare(module, "work:missing", *FAST)
    assert proc.returncode == 1
    assert "has no attribute 'missing'" in proc.stderr


def test_target_that_is_not_callable(module: Path) -> None:
    proc = compare(module, "work:NOT_A_FUNCTION", *FAST)
    assert proc.returncode == 1
    assert "work:NOT_A_FUNCTION is not callable under python3" in proc.stderr
    assert "an object of type int" in proc.stderr
    no_pvm_traceback(proc)


def test_target_that_raises(module: Path) -> None:
    proc = compare(module, "work.py:fails", "--items", "[1, 2]", *FAST)
    assert proc.returncode == 1
    assert "work.py:fails raised under python3 (sequential): ValueError: bad item 1" in proc.stderr
    assert "in fails\n    raise ValueError" in proc.stderr  # the target's own traceback


def test_timeout_stops_the_run_and_its_workers(module: Path) -> None:
    proc = compare(module, "work:forever", "--items", "[1]", "--timeout", "5", *FAST)
    assert proc.returncode == 1
    assert "took longer than --timeout 5 s; stopped it and its workers" in proc.stderr
    # Nothing of the killed run is left: no process still sleeps in forever().
    pids = [int(p.name[4:]) for p in module.glob("pid-*")]
    assert pids  # it did start
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists(), f"process {pid} outlived the timeout"


def test_ctrl_c_stops_the_run_and_its_workers(module: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pvm", "compare", "work:forever", "--items", "[1]", *FAST],
        cwd=module,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(module.glob("pid-*")) and time.monotonic() < deadline:
            time.sleep(0.1)  # until the target runs in its child (a file says so)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "KeyboardInterrupt" in err
    pids = [int(p.name[4:]) for p in module.glob("pid-*")]
    assert pids
    for pid in pids:  # the child has a process group of its own: the host ends it
        assert not Path(f"/proc/{pid}").exists(), f"process {pid} outlived Ctrl-C"


def test_not_picklable_skips_process_rows_but_fills_the_others(module: Path) -> None:
    args = [*FAST, "--start-methods", "fork,spawn", "--format", "json", "--items", "[1, 2, 3, 4]"]
    proc = compare(module, "work:square", *args)
    assert proc.returncode == 0, proc.stderr
    assert "work:square is not picklable under python3" in proc.stderr
    doc = json.loads(proc.stdout)
    models = {m["label"]: m for m in doc["interpreters"][0]["models"]}
    assert models["threads"]["status"] == "ok"
    assert models["ThreadPoolExecutor"]["status"] == "ok"
    assert models["processes (fork)"]["status"] == "ok"  # fork inherits, pickles nothing
    for label in ("processes (spawn)", "ProcessPoolExecutor (fork)"):
        assert models[label]["status"] == "skipped"
        assert "not picklable" in models[label]["reason"]
    assert doc["target"]["picklable"] is False


def test_a_whole_comparison_under_python3(module: Path) -> None:
    proc = compare(module, "work:ok", "--items", "[1, 2, 3, 4]", *FAST, "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    for aspect in ("Memory space", "Overhead", "Concurrency", "Communication", "Use case"):
        assert f"| **{aspect}** |" in text
    assert "worker's write seen by the parent" in text
    assert "worker's write NOT seen by the parent" in text
    assert "**Verdict:" in text
