"""Reading `pvm gil --json` records: each worker thread's GIL shares, worker processes holding a GIL at once."""

from __future__ import annotations

from pvm.compare import gilshares


def _thread(name, held, waiting, blocked):
    return {
        "name": name,
        "held": held,
        "waiting": waiting,
        "blocked": blocked,
        "acquisitions": 3,
        "forced_drops": 2,
    }


def test_only_worker_threads_count_and_shares_add_up() -> None:
    doc = {
        "threads": [
            _thread("MainThread", 900, 0, 100),
            _thread("worker-0", 50, 50, 0),
            _thread("worker-1", 10, 0, 30),
        ]
    }
    shares = gilshares.thread_shares(doc)
    assert [s["name"] for s in shares] == ["worker-0", "worker-1"]
    assert shares[0]["held"] == 0.5 and shares[0]["waiting"] == 0.5
    assert shares[1]["released"] == 0.75
    for s in shares:
        assert abs(s["held"] + s["waiting"] + s["released"] - 1) < 1e-9


def _process(name, t0, spans):
    return {
        "name": name,
        "events": [{"t": t0}],
        "slots": [{"start": a, "end": b} for a, b in spans],
    }


def test_processes_holding_at_once_on_the_machine_clock() -> None:
    # Two workers whose holdings overlap from 150 to 200 (their clocks start at 100 and
    # 150), and a parent that holds the GIL meanwhile: the parent is not counted.
    root = {"events": [{"t": 0}], "slots": [{"start": 0, "end": 1000}], "threads": []}
    docs = [
        root,
        _process("worker-0", 100, [(0, 100)]),  # 100..200
        _process("worker-1", 150, [(0, 100)]),  # 150..250
    ]
    found = gilshares.processes_at_once(docs)
    assert found["worker_processes"] == 2
    assert found["max_at_once"] == 2
    assert abs(found["share_two_or_more"] - 50 / 150) < 1e-9


def test_one_at_a_time() -> None:
    docs = [_process("worker-0", 0, [(0, 10), (20, 30)]), _process("worker-1", 10, [(0, 10)])]
    found = gilshares.processes_at_once(docs)
    assert found["max_at_once"] == 1
    assert found["share_two_or_more"] == 0


def test_summarise_a_tree_and_a_single_process() -> None:
    single = {"threads": [_thread("worker-0", 1, 1, 0)]}
    assert "processes" not in gilshares.summarise(single)
    tree = {**single, "events": [], "slots": [], "processes": [_process("worker-0", 0, [(0, 5)])]}
    assert gilshares.summarise(tree)["processes"]["max_at_once"] == 1
