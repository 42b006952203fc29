"""pvm trace's recorder: what each step holds (acceptance 1-4 on the trace's JSON)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from trace_helpers import EXAMPLES, pvm_trace, states, trace_json

PROGRAMS = Path(__file__).resolve().parent / "trace_programs"


def _frames(state: dict, t: int = 0) -> list[str]:
    n = state.get(f"T{t}", {}).get("frames", 0)
    return [state[f"F{t}.{d}"]["fn"] for d in range(n)]


def _value(state: dict, ref: int) -> str:
    return state[f"H{ref}"]["value"]


def _globals(state: dict, module: str = "__main__") -> dict[str, str]:
    prefix = f"G{module}:"
    return {k[len(prefix) :]: _value(state, v) for k, v in state.items() if k.startswith(prefix)}


def test_add_example(tmp_path: Path) -> None:
    doc = trace_json(tmp_path, EXAMPLES / "add_memory.py")
    assert doc["schema_version"] == 1 and doc["exit_status"] == 0
    assert doc["stdout"] == "30\n"
    all_states = states(doc)
    at = [i for i, s in enumerate(doc["steps"]) if s.get("l") == 8]
    assert len(at) == 1
    state = all_states[at[0]]
    assert _frames(state) == ["<module>", "add"]
    v = state["V0.1"]
    assert [(n, _value(state, r)) for n, r in v["args"]] == [("a", "10"), ("b", "20")]
    assert [(n, _value(state, r)) for n, r in v["locals"]] == [("result", "30")]
    assert state["F0.1"]["ret"] == ["<module>", 11, 12]  # the return address
    counts = {o["value"]: o["rc"] for k, o in state.items() if k[0] == "H" and o["type"] == "int"}
    assert counts == {"10": 2, "20": 1, "30": 1}
    assert set(_globals(state)) == {"x", "add"}
    after = all_states[at[0] + 1]
    assert _frames(after) == ["<module>"]
    assert _globals(after)["y"] == "30"
    # Delta encoding: the step after `return result` names only what changed.
    step = doc["steps"][at[0] + 1]
    assert "F0.1" in step["del"] and "F0.0" not in step.get("set", {})
    # The exit step: no frames, the output complete.
    assert doc["steps"][-1]["event"] == "exit" and doc["steps"][-1]["o"] == 3
    assert [c["qualname"] for c in doc["code_segment"]] == ["<module>", "add"]


def _gil_json(tmp: Path, program: Path, seed: int) -> dict:
    out = tmp / "gil.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "gil", "--schedule", "deterministic", "--seed", str(seed)]
        + ["--json", str(out), str(program)],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text())


@pytest.mark.parametrize(
    "program, threads",
    [(EXAMPLES / "threading_example.py", 2), (PROGRAMS / "producer_consumer.py", 3)],
    ids=["threading_example", "producer_consumer"],
)
def test_threads_and_gil_slots_match_pvm_gil(tmp_path: Path, program: Path, threads: int) -> None:
    doc = trace_json(tmp_path, program, "--schedule", "deterministic", "--seed", "3")
    gil = _gil_json(tmp_path, program, 3)
    ours = [(s["holder"], s["start"], s["end"], s["released"]) for s in doc["gil"]["slots"]]
    theirs = [
        (s["holder"], s["start"], s["end"], s["released"] and s["released"].lower())
        for s in gil["slots"]
    ]
    assert ours == theirs
    assert len(doc["threads"]) == threads
    # Every thread steps and has a column of frames; threads alive together have a column
    # each (whether the producer ends before the consumer starts is the schedule's choice,
    # and the host may then give the consumer the producer's old thread ident).
    stepping = {s["t"] for s in doc["steps"] if "t" in s}
    assert stepping == set(range(threads))
    all_states = states(doc)
    assert all(any(f"T{i}" in st for st in all_states) for i in range(threads))
    assert max(sum(k[0] == "T" for k in st) for st in all_states) >= 2
    # The GIL holder of each step is the thread that stepped, in the slot it held.
    slot = None
    slots = {s["slot"]: s for s in doc["gil"]["slots"]}
    for step in doc["steps"]:
        slot = step.get("slot", slot)
        if "t" in step:
            assert slots[slot]["holder"] == doc["threads"][step["t"]]["gil"]


def test_generator_closure_and_collection(tmp_path: Path) -> None:
    doc = trace_json(tmp_path, PROGRAMS / "generator_closure_gc.py")
    assert doc["stdout"] == "3 2 True\n"
    all_states = states(doc)
    lines = [s.get("l") for s in doc["steps"]]
    # After `first = next(gen)`: the generator is suspended at its yield (line 8).
    state = all_states[lines.index(31)]
    gens = [v for k, v in state.items() if k[0] == "Y"]
    assert [(g["fn"], g["state"], g["line"]) for g in gens] == [("countdown", "suspended", 8)]
    assert [(n, _value(state, r)) for n, r in gens[0]["locals"]] == [("n", "3")]
    # Inside bump(): its free variable is a cell whose contents is the count.
    state = all_states[lines.index(18)]
    (name, kind, cell), *_ = state["V0.1"]["cells"]
    assert (name, kind, state[f"H{cell}"]["type"]) == ("count", "free", "cell")
    (label, to), *_ = state[f"H{cell}"]["refs"]
    assert (label, _value(state, to)) == (".cell_contents", "1")
    # `del a, b` leaves the two Nodes alive in a cycle; gc.collect() frees them.
    before = all_states[lines.index(38)]  # gc.collect() about to run
    nodes = {int(k[1:]) for k, v in before.items() if k[0] == "H" and v["type"] == "Node"}
    assert len(nodes) == 2 and all(before[f"H{n}"].get("unreachable") for n in nodes)
    collected = [s for s in doc["steps"] if "gc" in s]
    assert len(collected) == 1
    (gc_record,) = collected[0]["gc"]
    assert gc_record["generation"] == 2 and nodes <= set(gc_record["freed"])
    after = all_states[doc["steps"].index(collected[0])]
    assert not any(f"H{n}" in after for n in nodes)


def test_max_steps_says_where(tmp_path: Path) -> None:
    (tmp_path / "loop.py").write_text(
        "total = 0\nfor i in range(100):\n    total += i\nprint(total)\n"
    )
    out = tmp_path / "loop.json"
    proc = pvm_trace(tmp_path, "--format", "json", "--max-steps", "10", "-o", str(out), "loop.py")
    assert proc.returncode == 0
    assert proc.stdout == "4950\n"  # the program runs on to its end
    assert "stopped recording at --max-steps 10" in proc.stderr
    doc = json.loads(out.read_text())
    assert len(doc["steps"]) == 10
    assert doc["stopped"] == {
        "reason": "max-steps",
        "max_steps": 10,
        "after_step": 9,
        "file": 0,
        "line": doc["steps"][-1]["l"],
    }


def test_stop_at_max_steps_ends_a_program_that_never_ends(tmp_path: Path) -> None:
    (tmp_path / "forever.py").write_text("n = 0\nwhile True:\n    n += 1\n")
    out = tmp_path / "forever.json"
    proc = pvm_trace(
        tmp_path,
        "--format",
        "json",
        "--max-steps",
        "20",
        "--stop-at-max-steps",
        "-o",
        str(out),
        "forever.py",
        timeout=120,
    )
    assert proc.returncode in (-2, 130)  # as python3 ends on Ctrl-C
    assert proc.stderr.rstrip().splitlines()[-2] == "KeyboardInterrupt"
    doc = json.loads(out.read_text())
    assert len(doc["steps"]) == 20
    assert doc["stopped"]["program_stopped"] is True


def test_arguments_exit_status_and_bad_usage(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text("import sys\nprint(sys.argv[1:])\nsys.exit(3)\n")
    proc = pvm_trace(tmp_path, "prog.py", "a", "--max-steps", "50", "c", "--", "-b")
    assert proc.returncode == 3
    assert proc.stdout == "['a', 'c', '-b']\n"  # pvm trace's options may come between
    assert (tmp_path / "prog.py.trace.html").exists()
    proc = pvm_trace(tmp_path, "missing.py")
    assert proc.returncode == 2 and "can't open file" in proc.stderr
    proc = pvm_trace(tmp_path, "--format", "svg", "prog.py")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_every_instruction(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text("x = 1\ny = x + 2\n")
    doc = trace_json(tmp_path, tmp_path / "prog.py", "--every-instruction")
    assert doc["settings"]["step"] == "instruction"
    indexes = [s["n"] for s in doc["steps"] if "n" in s]
    assert len(indexes) > 4 and indexes == sorted(indexes)
    # Each code object comes with its disassembly; the steps walk through it.
    dis = doc["code_segment"][0]["dis"]
    assert [name for _k, name, _a, _l in dis][:3] == ["LOAD_CONST", "STORE_NAME", "LOAD_NAME"]
    assert [d[1] for d in dis if d[1] == "BINARY_OP"] and dis[indexes[-1]][3] == 2
    # The value stack shows the operands of x + 2 as they are pushed.
    assert any(len(st.get("V0.0", {}).get("stack", [])) == 2 for st in states(doc))


@pytest.mark.slow
def test_a_lane_per_process(tmp_path: Path) -> None:
    program = Path(__file__).resolve().parent / "process_programs" / "producer_consumer.py"
    out = tmp_path / "trace.json"
    proc = pvm_trace(
        tmp_path, "--format", "json", "-o", str(out), str(program), "--", "fork", "4", "600"
    )
    assert proc.returncode == 0, proc.stderr
    assert "producer exit code 0" in proc.stdout
    doc = json.loads(out.read_text())
    lanes = doc["processes"]["lanes"]
    assert [(lane["name"], lane["how"]) for lane in lanes] == [
        ("MainProcess", "root"),
        ("producer", "fork"),
    ]
    assert all(lane["held"] and lane["exit_status"] == 0 for lane in lanes)
    pids = {lane["pid"] for lane in lanes}
    messages = doc["processes"]["messages"]
    assert messages and all({m["from"], m["to"]} == pids for m in messages)
    assert all(m["sent_us"] <= m["received_us"] for m in messages)
    # Steps carry the machine clock, so that the page can put its cursor on the lanes.
    times = [s["us"] for s in doc["steps"]]
    assert times == sorted(times)


def test_page_is_self_contained(tmp_path: Path) -> None:
    import re

    proc = pvm_trace(tmp_path, "-o", "add.html", str(EXAMPLES / "add_memory.py"))
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "add.html").read_text()
    # Scripts and styles inline: nothing for the browser to fetch.
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*\bstylesheet", page)
    for ref in re.findall(r'\b(?:href|src)="([^"]*)"', page):
        assert ref.startswith(("#", "data:")), ref
    assert "var dagre=" in page  # the vendored layout, inlined
    assert page.count("<script") == 3  # dagre, the trace (JSON), the page's own


def test_deterministic_schedule_gives_the_same_trace(tmp_path: Path) -> None:
    program = PROGRAMS / "producer_consumer.py"
    texts = []
    for k in (1, 2):
        out = tmp_path / f"run{k}.json"
        args = ["--schedule", "deterministic", "--seed", "5", "--format", "json"]
        proc = pvm_trace(tmp_path, *args, "-o", str(out), str(program))
        assert proc.returncode == 0, proc.stderr
        texts.append(out.read_text())
    assert texts[0] == texts[1]
