"""The pvm compare document on recorded measurements: its schema, the verdict's rules, the tables, the chart.

tests/compare/fixtures/{cpu,io}.json are real `pvm compare cpu|io --quick --start-methods
fork --format json` documents (their `machine` entry says when and at which load: a
heavily loaded machine, so cpu's speed-ups are noise and its verdict is "sequential").
Their `verdict` entries are derived from the numbers, and were recomputed when the
rules changed.  The verdict tests recompute verdicts from those numbers, and from copies
with numbers changed on purpose; no test here times anything.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from compare_minischema import errors

from pvm.compare import render, verdict

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE.parents[1] / "docs" / "compare.schema.json").read_text())


def load(name: str) -> dict:
    return json.loads((HERE / "fixtures" / f"{name}.json").read_text())


def entry(doc: dict, name: str) -> dict:
    return next(e for e in doc["interpreters"] if e["name"] == name)


def set_speedups(e: dict, family: str, speedup: float) -> None:
    """Give every run of a family the same speed-up (times to match)."""
    for m in e["models"]:
        if m["family"] == family:
            for run in m["runs"]:
                run["speedup"] = speedup
                run["seconds"] = e["sequential_s"] / speedup
                run["efficiency"] = speedup / run["workers"]


# -- schema ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cpu", "io"])
def test_recorded_documents_match_the_schema(name: str) -> None:
    assert errors(load(name), SCHEMA, SCHEMA) == []


@pytest.mark.parametrize("name", ["cpu", "io"])
def test_recorded_documents_match_the_schema_by_jsonschema(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(load(name), SCHEMA)


def test_the_schema_catches_a_broken_document() -> None:
    doc = load("io")
    del doc["interpreters"][0]["models"][0]["runs"][0]["speedup"]
    doc["interpreters"][1]["communication"][0]["channel"] = "carrier pigeon"
    doc["verdict"]["extra"] = 1
    found = errors(doc, SCHEMA, SCHEMA)
    assert any("'speedup' is missing" in e for e in found)
    assert any("carrier pigeon" in e for e in found)
    assert any("'extra' is not allowed" in e for e in found)


# -- verdict ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cpu", "io"])
def test_verdicts_follow_from_the_recorded_numbers(name: str) -> None:
    doc = load(name)
    for e in doc["interpreters"]:
        assert verdict.decide(e) == e["verdict"]
    assert verdict.overall(doc["interpreters"]) == doc["verdict"]


def test_io_bound_work_goes_to_threads_or_asyncio() -> None:
    doc = load("io")
    v = doc["verdict"]
    assert v["model"] == "threads" and v["agreed"]
    assert v["label"] == "threads / asyncio"
    pvm = entry(doc, "pvm")["verdict"]
    assert pvm["bound"].startswith("I/O-bound")
    assert "released the GIL for blocking calls" in pvm["reason"]
    assert "a thread starts in" in pvm["reason"]  # the lower overhead, measured


def test_cpu_bound_work_goes_to_processes_with_the_gil_as_reason() -> None:
    doc = load("cpu")
    for e in doc["interpreters"]:
        set_speedups(e, "threads", 1.0)
        set_speedups(e, "processes", 1.8)
    pvm = verdict.decide(entry(doc, "pvm"))
    assert pvm["model"] == "processes"
    assert pvm["ratio"] == pytest.approx(1.8)
    assert pvm["bound"].startswith("CPU-bound")
    assert "held the GIL 4" in pvm["reason"] and "one at a time" in pvm["reason"]
    assert "2 worker processes held their own GILs, 2 at once" in pvm["reason"]
    py = verdict.decide(entry(doc, "python3"))
    assert py["model"] == "processes"
    assert "GIL trace" not in py["reason"]  # python3 has none
    for e in doc["interpreters"]:
        e["verdict"] = verdict.decide(e)
    assert verdict.overall(doc["interpreters"])["label"] == "processes"


def test_processes_must_win_by_the_margin() -> None:
    doc = load("cpu")
    e = entry(doc, "pvm")
    set_speedups(e, "threads", 1.5)
    set_speedups(e, "processes", 1.5 * verdict.MARGIN * 0.99)
    assert verdict.decide(e)["model"] == "threads"
    set_speedups(e, "processes", 1.5 * verdict.MARGIN * 1.01)
    assert verdict.decide(e)["model"] == "processes"


def test_nothing_faster_means_sequential() -> None:
    doc = load("cpu")
    e = entry(doc, "python3")
    set_speedups(e, "threads", 1.05)
    set_speedups(e, "processes", 1.1)
    v = verdict.decide(e)
    assert v["model"] == "sequential"
    assert "no model ran 1.2x faster" in v["reason"]


def test_one_worker_is_not_concurrency() -> None:
    doc = load("cpu")
    e = entry(doc, "python3")
    set_speedups(e, "threads", 1.0)
    set_speedups(e, "processes", 1.0)
    e["models"][0]["runs"][0]["speedup"] = 5.0  # threads, N=1: noise, not a win
    assert verdict.decide(e)["model"] == "sequential"


def test_interpreters_that_disagree_are_both_reported() -> None:
    doc = load("cpu")
    set_speedups(entry(doc, "python3"), "processes", 1.9)
    set_speedups(entry(doc, "python3"), "threads", 1.0)
    set_speedups(entry(doc, "pvm"), "processes", 1.0)
    set_speedups(entry(doc, "pvm"), "threads", 1.0)
    for e in doc["interpreters"]:
        e["verdict"] = verdict.decide(e)
    v = verdict.overall(doc["interpreters"])
    assert not v["agreed"]
    assert v["label"] == "depends on the interpreter"
    assert v["per_interpreter"] == {"python3": "processes", "pvm": "sequential"}


# -- tables -----------------------------------------------------------------------------


def test_the_seed_table_has_every_aspect_for_both_models() -> None:
    doc = load("io")
    rows = render.seed_rows(doc)
    assert [r[0] for r in rows] == list(render.ASPECTS)
    for _aspect, threads, processes in rows:
        assert [line.split(":")[0] for line in threads] == ["python3", "pvm"]
        assert [line.split(":")[0] for line in processes] == ["python3", "pvm"]
    memory = dict((r[0], r) for r in rows)["Memory space"]
    assert all("write seen by the parent" in line for line in memory[1])
    assert all("write NOT seen by the parent" in line for line in memory[2])
    comms = dict((r[0], r) for r in rows)["Communication"]
    for line in comms[2]:
        for channel in ("Pipe", "Queue", "shared_memory"):
            assert f"{channel}: 64 B" in line and "1 MiB" in line


def test_speedup_rows_cover_each_model_and_worker_count() -> None:
    doc = load("cpu")
    rows = render.speedup_rows(doc)
    models = doc["interpreters"][0]["models"]
    skipped = sum(1 for m in models if m["status"] != "ok")
    assert len(rows) == 1 + (len(models) - skipped) * len(doc["workers"]) + skipped
    assert rows[0][0] == "sequential"
    assert any(r[0].startswith("asyncio: skipped (not a coroutine function") for r in rows)
    assert all(len(r) == 2 + 3 * len(doc["interpreters"]) for r in rows)


def test_terminal_and_markdown_reports() -> None:
    doc = load("io")
    text = render.rich_text(doc, 140)
    for aspect in render.ASPECTS:
        assert aspect in text
    assert "Verdict: threads / asyncio" in text
    md = render.markdown(doc)
    assert md.count("| **") == len(render.ASPECTS)
    assert "**Verdict: threads / asyncio**" in md


# -- chart ------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_chart_files(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    from pvm.compare import chart

    path = tmp_path / f"chart{suffix}"
    chart.write(load("cpu"), str(path))
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data[:2000]


def test_chart_refuses_other_file_types(tmp_path: Path) -> None:
    from pvm.compare import chart

    with pytest.raises(chart.ChartUnavailable, match=".png or .svg"):
        chart.write(load("cpu"), str(tmp_path / "chart.pdf"))


def test_speedups_divide_the_baseline_timed_beside_the_model() -> None:
    from pvm.compare import document

    raw = {
        "sequential": {"runs": [{"workers": 1, "seconds": 3.0, "rss_kib": [1]}]},
        "threads": {"runs": [{"workers": 2, "seconds": 2.0, "rss_kib": [1]}], "baseline_s": 2.2},
        "processes/fork": {"runs": [{"workers": 2, "seconds": 1.5, "rss_kib": [1, 1]}]},
    }
    e = document.interpreter_entry("python3", raw, ["fork"])
    threads, processes = e["models"][0], e["models"][1]
    assert threads["baseline_s"] == 2.2
    assert threads["runs"][0]["speedup"] == pytest.approx(1.1)  # 2.2 / 2.0, not 3.0 / 2.0
    assert processes["baseline_s"] is None  # an older result: the sequential step's time
    assert processes["runs"][0]["speedup"] == pytest.approx(2.0)
    assert errors(threads, SCHEMA["$defs"]["model"], SCHEMA) == []
