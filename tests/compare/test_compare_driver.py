"""The driver under pvm: a threads run recorded by `pvm gil --json`, a fork-processes run, the probe.

The default suite's one look at the pvm half (a whole comparison under pvm is slow:
test_compare_run.py).  Nothing here is timed: the checks are on the structure.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pvm.compare import gilshares, runner


def drive(tmp_path: Path, mode: str, gil: bool, **extra: object) -> tuple[dict, dict | None]:
    spec = {
        "target": {"kind": "builtin", "name": "cpu"},
        "items": [3000, 3000, 3000, 3000],
        "args": [],
        "mode": mode,
        "start_method": "fork",
        "workers": [2],
        "overhead": False,
        "result": str(tmp_path / f"{mode}.result.json"),
        **extra,
    }
    (tmp_path / f"{mode}.spec.json").write_text(json.dumps(spec))
    step = runner.Step("pvm", mode, "fork", [2], gil_trace=gil)
    gil_json = str(tmp_path / f"{mode}.gil.json") if gil else None
    cmd = runner.command(step, str(tmp_path / f"{mode}.spec.json"), gil_json)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / f"{mode}.result.json").read_text())
    assert result["ok"], result
    return result, json.loads(Path(gil_json).read_text()) if gil_json else None


def test_threads_under_pvm_gil(tmp_path: Path) -> None:
    result, gil = drive(tmp_path, "threads", gil=True)
    assert result["probe_visible"] is True  # a thread's write is the parent's
    assert [r["workers"] for r in result["runs"]] == [2]
    assert len(result["runs"][0]["rss_kib"]) == 1  # one process for both threads
    shares = gilshares.thread_shares(gil)
    assert sorted(s["name"] for s in shares) == ["worker-0", "worker-1"]
    for s in shares:
        assert abs(s["held"] + s["waiting"] + s["released"] - 1) < 1e-9


def test_fork_processes_under_pvm(tmp_path: Path) -> None:
    result, _ = drive(tmp_path, "processes", gil=False)
    assert result["probe_visible"] is False  # a child's write stays in the child
    assert len(result["runs"][0]["rss_kib"]) == 2  # one resident size per worker process
    assert all(kib > 0 for kib in result["runs"][0]["rss_kib"])


def test_a_raising_target_is_reported_not_crashed(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("def f(x):\n    return 1 / 0\n")
    spec_target = {"kind": "file", "name": str(tmp_path / "bad.py"), "function": "f"}
    spec = {
        "target": spec_target,
        "items": [1],
        "args": [],
        "mode": "threads",
        "workers": [1],
        "result": str(tmp_path / "r.json"),
    }
    (tmp_path / "s.json").write_text(json.dumps(spec))
    cmd = runner.command(runner.Step("pvm", "threads"), str(tmp_path / "s.json"), None)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["ok"] is False and result["error"]["kind"] == "raised"
    assert result["error"]["traceback"].endswith("ZeroDivisionError: division by zero\n")
