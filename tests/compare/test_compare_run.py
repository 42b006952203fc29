"""A whole `pvm compare` under python3 and pvm (slow): a coroutine target, every model, the JSON and the chart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from compare_minischema import errors

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "compare.schema.json").read_text()
)


@pytest.mark.slow
def test_whole_comparison_of_a_coroutine_target(tmp_path: Path) -> None:
    (tmp_path / "fetcher.py").write_text(
        "import asyncio\n"
        "async def fetch(delay):\n"
        "    await asyncio.sleep(delay)\n"
        "    return delay\n"
    )
    args = ["fetcher.py:fetch", "--items", json.dumps([0.02] * 4), "--workers", "1,2"]
    args += ["--start-methods", "fork", "--format", "json", "--no-progress"]
    chart = tmp_path / "chart.png"
    if _has_matplotlib():
        args += ["--chart", str(chart)]
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "compare", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert errors(doc, SCHEMA, SCHEMA) == []
    assert [e["name"] for e in doc["interpreters"]] == ["python3", "pvm"]
    for e in doc["interpreters"]:
        assert e["check"]["coroutine"] is True
        statuses = {m["label"]: m["status"] for m in e["models"]}
        assert set(statuses.values()) == {"ok"}, statuses  # asyncio too
        probes = {m["family"]: m["probe_visible"] for m in e["models"]}
        assert probes == {"threads": True, "processes": False}
        assert {c["channel"] for c in e["communication"]} == {
            "lock",
            "pipe",
            "queue",
            "shared_memory",
        }
    pvm = doc["interpreters"][1]
    assert sorted(t["name"] for t in pvm["gil"]["threads"]) == ["worker-0", "worker-1"]
    assert pvm["gil"]["processes"]["worker_processes"] == 2
    if _has_matplotlib():
        assert chart.read_bytes().startswith(b"\x89PNG")


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True
