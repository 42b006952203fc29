"""pvm memory snapshots: the seed's example (acceptance 1), golden text and JSON, dot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "memory_golden"
EXAMPLE = "examples/add_memory.py"
RETURN_LINE = 8  # 'return result' in examples/add_memory.py


def pvm_memory(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Run `pvm memory ARGS` in a fresh process and return what it did."""
    env = dict(os.environ, PYTHONHASHSEED="0", COLUMNS="100")
    return subprocess.run(
        [sys.executable, "-m", "pvm", "memory", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def memory_json(*args: str, cwd: Path = REPO, tmp: Path) -> dict:
    """Run `pvm memory --format json -o FILE ARGS` and return the parsed report."""
    out = tmp / "report.json"
    proc = pvm_memory("--format", "json", "-o", str(out), *args, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text())


def normalized(doc: dict) -> dict:
    """Drop what differs between runs (thread ids)."""
    for snap in doc["snapshots"]:
        snap["trigger"].pop("thread_id", None)
        for thread in snap["threads"]:
            thread.pop("thread_id", None)
    doc["gc"].pop("quiet_collections", None)
    doc["gc"]["collections"] = []
    return doc


def test_example_line_8_is_return_result() -> None:
    lines = (REPO / EXAMPLE).read_text().splitlines()
    assert lines[RETURN_LINE - 1].strip() == "return result"


def test_seed_example_at_return_result(tmp_path: Path) -> None:
    doc = memory_json(EXAMPLE, "--at", str(RETURN_LINE), tmp=tmp_path)
    assert doc["schema_version"] == 1
    (snap,) = doc["snapshots"]
    assert [c["qualname"] for c in snap["code_segment"]] == ["<module>", "add"]
    heap = {o["id"]: o for o in snap["heap"]["objects"]}
    value = {o["id"]: o["value"] for o in heap.values()}
    (thread,) = snap["threads"]
    module, add = thread["frames"]
    assert module["function"] == "<module>" and add["function"] == "add"
    assert [(a["name"], value[a["ref"]]) for a in add["args"]] == [("a", "10"), ("b", "20")]
    assert [(a["name"], value[a["ref"]]) for a in add["locals"]] == [("result", "30")]
    ra = add["return_address"]
    assert ra["function"] == "<module>" and ra["line"] == 11
    assert module["return_address"] is None
    assert {"10", "20", "30", "<function add>"} <= set(value.values())
    (main,) = snap["data_segment"]["modules"]
    assert [g["name"] for g in main["globals"]] == ["x", "add"]  # no y yet
    assert heap[main["globals"][0]["ref"]]["refcount"] == 2  # global x and add's a


def test_golden_text() -> None:
    proc = pvm_memory(EXAMPLE, "--at", str(RETURN_LINE))
    assert proc.returncode == 0, proc.stderr
    golden = GOLDEN / "add_memory_at_8.txt"
    if os.environ.get("PVM_UPDATE_GOLDEN"):
        golden.write_text(proc.stdout)
    assert proc.stdout == golden.read_text()


def test_golden_json(tmp_path: Path) -> None:
    doc = normalized(memory_json(EXAMPLE, "--at", str(RETURN_LINE), tmp=tmp_path))
    golden = GOLDEN / "add_memory_at_8.json"
    if os.environ.get("PVM_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(doc, indent=2) + "\n")
    assert doc == json.loads(golden.read_text())


def test_program_output_comes_first_then_report() -> None:
    proc = pvm_memory(EXAMPLE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("30\npvm memory: examples/add_memory.py")
    assert "at exit" in proc.stdout


def test_at_exit_has_y_and_no_frames(tmp_path: Path) -> None:
    doc = memory_json(EXAMPLE, tmp=tmp_path)
    (snap,) = doc["snapshots"]
    assert snap["trigger"]["kind"] == "exit"
    assert all(not t["frames"] for t in snap["threads"])
    names = [g["name"] for g in snap["data_segment"]["modules"][0]["globals"]]
    assert names == ["x", "add", "y"]


def test_at_function_entry(tmp_path: Path) -> None:
    doc = memory_json(EXAMPLE, "--at", "add", tmp=tmp_path)
    (snap,) = doc["snapshots"]
    assert snap["trigger"] == {**snap["trigger"], "kind": "function", "function": "add"}
    frames = snap["threads"][0]["frames"]
    assert frames[-1]["function"] == "add"
    assert frames[-1]["locals"] == []  # result not bound yet


def test_every_line_ids_stable_across_snapshots(tmp_path: Path) -> None:
    doc = memory_json(EXAMPLE, "--every-line", tmp=tmp_path)
    ids_of_x = set()
    for snap in doc["snapshots"]:
        for g in snap["data_segment"]["modules"][0]["globals"]:
            if g["name"] == "x":
                ids_of_x.add(g["ref"])
    assert len(doc["snapshots"]) >= 6
    assert ids_of_x == {1}


def test_every_instruction_shows_value_stack(tmp_path: Path) -> None:
    doc = memory_json(EXAMPLE, "--every-instruction", tmp=tmp_path)
    stacks = [
        f["stack"]
        for snap in doc["snapshots"]
        for t in snap["threads"]
        for f in t["frames"]
        if f["function"] == "add"
    ]
    assert any(len(s) == 2 for s in stacks)  # a and b pushed before BINARY_OP


def test_dot_format(tmp_path: Path) -> None:
    out = tmp_path / "heap.dot"
    proc = pvm_memory("--format", "dot", "-o", str(out), EXAMPLE, "--at", str(RETURN_LINE))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert text.startswith("digraph snapshot_1 {")
    assert '"g___main___x" -> o1;' in text
    assert 't0_f1 -> o4 [label="result"];' in text
    assert text.rstrip().endswith("}")
