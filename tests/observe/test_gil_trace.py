"""The GIL timeline on synthetic event sequences: slots, statistics, tables, Chrome trace, JSON."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from pvm.concurrency.gil import EventKind, GILEvent, Reason
from pvm.observe import giltrace
from pvm.observe.giltrace import Clock, RunInfo, ThreadState
from pvm.observe.render import giltables

K = EventKind
MAIN, A, B = (1, "MainThread"), (2, "worker-a"), (3, "worker-b")


def ev(
    kind: EventKind, who: tuple[int, str], t: int, reason: Reason | None = None, detail: str = ""
) -> GILEvent:
    """Build one event; the instruction count is the time, as on the virtual clock."""
    return GILEvent(kind, who[0], who[1], t, t, reason, detail)


# Three threads under the new GIL on the virtual clock: main starts two workers and joins
# them; worker-b asks for a drop, takes over and exits; worker-a finishes; main ends.
THREE_THREADS = [
    ev(K.THREAD_START, MAIN, 0),
    ev(K.ACQUIRE, MAIN, 0),
    ev(K.THREAD_START, A, 10),
    ev(K.REQUEST, A, 10),
    ev(K.THREAD_START, B, 12),
    ev(K.REQUEST, B, 12),
    ev(K.RELEASE, MAIN, 20, Reason.BLOCKING, "Thread.join"),
    ev(K.BLOCK_START, MAIN, 20, None, "Thread.join"),
    ev(K.ACQUIRE, A, 21),
    ev(K.DROP_REQUEST, B, 40),
    ev(K.RELEASE, A, 45, Reason.DROP_REQUEST),
    ev(K.REQUEST, A, 45),
    ev(K.ACQUIRE, B, 46),
    ev(K.RELEASE, B, 70, Reason.THREAD_EXIT),
    ev(K.THREAD_EXIT, B, 70),
    ev(K.ACQUIRE, A, 71),
    ev(K.RELEASE, A, 80, Reason.THREAD_EXIT),
    ev(K.THREAD_EXIT, A, 80),
    ev(K.BLOCK_END, MAIN, 81),
    ev(K.ACQUIRE, MAIN, 81),
    ev(K.RELEASE, MAIN, 85, Reason.THREAD_EXIT),
    ev(K.THREAD_EXIT, MAIN, 85),
]

DETERMINISTIC = RunInfo("prog.py", schedule="deterministic", seed=1, clock=Clock.VIRTUAL)


def timeline(
    events: list[GILEvent] = THREE_THREADS, info: RunInfo = DETERMINISTIC
) -> giltrace.Timeline:
    """Analyse events with the given run settings."""
    return giltrace.analyse(events, info)


def test_slots_follow_the_holding_periods() -> None:
    """One slot per ACQUIRE..RELEASE, in order, each with its holder and why it ended."""
    slots = timeline().slots
    assert [(s.holder, s.start, s.end) for s in slots] == [
        (1, 0, 20),
        (2, 21, 45),
        (3, 46, 70),
        (2, 71, 80),
        (1, 81, 85),
    ]
    assert [s.released for s in slots] == [
        Reason.BLOCKING,
        Reason.DROP_REQUEST,
        Reason.THREAD_EXIT,
        Reason.THREAD_EXIT,
        Reason.THREAD_EXIT,
    ]
    assert slots[0].detail == "Thread.join"


def test_cells_are_the_state_each_thread_spent_most_of_the_slot_in() -> None:
    """Not started until THREAD_START, Waiting until ACQUIRE, Blocked in a join, Finished after exit."""
    cells = [[s.cells[t] for t in (1, 2, 3)] for s in timeline().slots]
    held, wait, blocked = ThreadState.HELD, ThreadState.WAITING, ThreadState.BLOCKED
    not_started, finished = ThreadState.NOT_STARTED, ThreadState.FINISHED
    assert cells == [
        # worker-a starts at 10 of 0..20 (tie: the state at the slot's start wins);
        # worker-b at 12: 12 ticks not started against 8 waiting.
        [held, not_started, not_started],
        [blocked, held, wait],
        [blocked, wait, held],
        [blocked, held, finished],
        [held, finished, finished],
    ]


def test_a_thread_that_wakes_late_in_a_slot_counts_as_blocked() -> None:
    """A thread blocked for 9 of a slot's 10 ticks shows Blocked (I/O), not Waiting."""
    events = [
        ev(K.THREAD_START, MAIN, 0),
        ev(K.ACQUIRE, MAIN, 0),
        ev(K.RELEASE, MAIN, 0, Reason.BLOCKING, "time.sleep"),
        ev(K.BLOCK_START, MAIN, 0, None, "time.sleep"),
        ev(K.THREAD_START, A, 0),
        ev(K.ACQUIRE, A, 0),
        ev(K.BLOCK_END, MAIN, 9),
        ev(K.REQUEST, MAIN, 9),
        ev(K.RELEASE, A, 10, Reason.DROP_REQUEST),
        ev(K.ACQUIRE, MAIN, 10),
    ]
    slots = timeline(events).slots
    assert slots[1].cells == {1: ThreadState.BLOCKED, 2: ThreadState.HELD}
    # The last slot was still open when recording stopped.
    assert slots[2].released is None and slots[2].cells[2] is ThreadState.WAITING


def test_statistics_per_thread() -> None:
    """Held/waiting/blocked sums, acquisitions, forced and voluntary releases, slices."""
    stats = {s.name: s for s in timeline().threads}
    main, a, b = stats["MainThread"], stats["worker-a"], stats["worker-b"]
    assert (main.held, main.waiting, main.blocked) == (24, 0, 61)
    assert (a.held, a.waiting, a.blocked) == (33, 11 + 26, 0)
    assert (b.held, b.waiting, b.blocked) == (24, 34, 0)
    assert (a.acquisitions, a.forced, a.voluntary) == (2, 1, 1)
    assert (main.acquisitions, main.forced, main.voluntary) == (2, 0, 2)
    assert b.drop_requests == 1
    assert a.slices == [24, 9] and a.mean_slice == 16.5 and a.p95_slice == 24
    assert main.instructions == 85


def test_percentile_is_nearest_rank() -> None:
    """p95 of 1..20 is 19; of one value, that value; of none, 0."""
    assert giltrace.percentile(list(range(1, 21)), 95) == 19
    assert giltrace.percentile([7], 95) == 7
    assert giltrace.percentile([], 95) == 0


def test_legacy_check_interval_releases_are_forced() -> None:
    """The legacy GIL's periodic release counts as a forced drop, a yield as voluntary."""
    events = [
        ev(K.THREAD_START, MAIN, 0),
        ev(K.ACQUIRE, MAIN, 0),
        ev(K.RELEASE, MAIN, 100, Reason.CHECK_INTERVAL),
        ev(K.ACQUIRE, MAIN, 100),
        ev(K.RELEASE, MAIN, 150, Reason.YIELD),
    ]
    (main,) = timeline(events).threads
    assert (main.forced, main.voluntary, main.acquisitions) == (1, 1, 2)


def test_clock_readings_that_lag_the_delivery_order_are_moved_up() -> None:
    """A later event whose clock reads earlier is placed at the previous event's time."""
    events = [
        ev(K.THREAD_START, MAIN, 1000),
        ev(K.ACQUIRE, MAIN, 1000),
        ev(K.THREAD_START, A, 1500),
        ev(K.REQUEST, A, 1500),
        ev(K.RELEASE, MAIN, 2000, Reason.DROP_REQUEST),
        ev(K.ACQUIRE, A, 1990),  # read its clock just before main's release
        ev(K.RELEASE, A, 3000, Reason.THREAD_EXIT),
    ]
    tl = timeline(events, RunInfo("p.py"))
    assert [(s.start, s.end) for s in tl.slots] == [(0, 1000), (1000, 2000)]
    assert tl.span == 2000


def test_names_are_the_latest_and_duplicates_are_told_apart() -> None:
    """A thread renamed after starting shows its new name; two threads named alike get #N."""
    events = [
        ev(K.THREAD_START, (1, "MainThread"), 0),
        ev(K.ACQUIRE, (1, "MainThread"), 0),
        ev(K.THREAD_START, (2, "Thread-1"), 1),
        ev(K.THREAD_START, (3, "job"), 2),
        ev(K.RELEASE, (1, "MainThread"), 3, Reason.YIELD),
        ev(K.ACQUIRE, (2, "job"), 3),
    ]
    assert timeline(events).names() == {1: "MainThread", 2: "job #2", 3: "job #3"}


GOLDEN_REPORT = """\
pvm gil: prog.py: policy new, schedule deterministic (seed 1, mean slice 100 checks)
3 threads, 5 slots, 22 events over 85 ticks of the virtual clock
Time slots (one row per GIL holding period):
| Time Slot | MainThread    | worker-a    | worker-b    | Start ticks | Held ticks | Released              |
|-----------|---------------|-------------|-------------|-------------|------------|-----------------------|
| T1        | GIL Held      | Not started | Not started |           0 |         20 | blocking: Thread.join |
| T2        | Blocked (I/O) | GIL Held    | Waiting     |          21 |         24 | drop request          |
| T3        | Blocked (I/O) | Waiting     | GIL Held    |          46 |         24 | thread exit           |
... 2 more slots not shown (--slots all shows every slot)
Per-thread GIL statistics (times and the mean and p95 holding slice in ticks of the virtual clock):
| Thread     | Held | Held % | Waiting | Blocked | Acquired | Forced | Voluntary | Mean | p95 |
|------------|------|--------|---------|---------|----------|--------|-----------|------|-----|
| MainThread |   24 |   28.2 |       0 |      61 |        2 |      0 |         2 |   12 |  20 |
| worker-a   |   33 |   38.8 |      37 |       0 |        2 |      1 |         1 |   16 |  24 |
| worker-b   |   24 |   28.2 |      34 |       0 |        1 |      0 |         1 |   24 |  24 |
Forced drops: the GIL was taken away (another thread asked for it, or the legacy
check interval ran out); voluntary: blocking calls, thread exit, yields.
"""


def test_report_golden_text_on_the_virtual_clock() -> None:
    """The whole report at the fixed width, with three of five slots shown."""
    assert giltables.report_text(timeline(), 3) == GOLDEN_REPORT


GOLDEN_WALL_STATS = """\
Per-thread GIL statistics (times in s; mean and p95 holding slice in ms):
| Thread     |  Held | Held % | Waiting | Blocked | Acquired | Forced | Voluntary |  Mean |   p95 |
|------------|-------|--------|---------|---------|----------|--------|-----------|-------|-------|
| MainThread | 0.010 |   50.0 |   0.010 |   0.000 |        1 |      1 |         0 | 10.00 | 10.00 |
| worker-a   | 0.010 |   50.0 |   0.005 |   0.000 |        1 |      0 |         1 | 10.00 | 10.00 |
Forced drops: the GIL was taken away (another thread asked for it, or the legacy
check interval ran out); voluntary: blocking calls, thread exit, yields.
"""


def test_statistics_golden_text_on_the_wall_clock() -> None:
    """On perf_counter_ns times are seconds and slices milliseconds."""
    ms = 1_000_000
    events = [
        ev(K.THREAD_START, MAIN, 0),
        ev(K.ACQUIRE, MAIN, 0),
        ev(K.THREAD_START, A, 5 * ms),
        ev(K.REQUEST, A, 5 * ms),
        ev(K.DROP_REQUEST, A, 10 * ms),
        ev(K.RELEASE, MAIN, 10 * ms, Reason.DROP_REQUEST),
        ev(K.ACQUIRE, A, 10 * ms),
        ev(K.RELEASE, A, 20 * ms, Reason.THREAD_EXIT),
    ]
    assert giltables.stats_table_text(timeline(events, RunInfo("p.py"))) == GOLDEN_WALL_STATS


def test_slots_all_shows_every_row() -> None:
    """No limit: every slot is shown and nothing is said to be left out."""
    headers, rows, left_out = giltables.slot_rows(timeline(), None)
    assert len(rows) == 5 and left_out == 0
    assert headers[:4] == ["Time Slot", "MainThread", "worker-a", "worker-b"]
    assert "more slots not shown" not in giltables.slot_table_text(timeline(), None)


def test_no_events_says_so() -> None:
    """A run that recorded nothing (e.g. --gil off) prints a clear line, not an empty table."""
    assert "No GIL events were recorded." in giltables.report_text(timeline([]), 20)


# -- Chrome trace -------------------------------------------------------------------------


def validate_chrome_trace(doc: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """Check a document is trace-event JSON as pvm gil writes it; return the X slices per tid."""
    assert set(doc) >= {"traceEvents", "displayTimeUnit", "otherData"}
    assert doc["displayTimeUnit"] in ("ms", "ns")
    events = doc["traceEvents"]
    assert isinstance(events, list) and events
    named: dict[int, str] = {}
    slices: dict[int, list[dict[str, Any]]] = {}
    last_ts = None
    for e in events:
        assert e["ph"] in ("M", "X", "i"), e
        assert isinstance(e["pid"], int) and isinstance(e["tid"], int)
        if e["ph"] == "M":
            assert last_ts is None, "metadata events come first"
            if e["name"] == "thread_name":
                named[e["tid"]] = e["args"]["name"]
            continue
        assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0
        assert last_ts is None or e["ts"] >= last_ts, "timed events are ordered by ts"
        last_ts = e["ts"]
        assert e["tid"] in named, f"track {e['tid']} has no thread_name"
        if e["ph"] == "X":
            assert isinstance(e["dur"], (int, float)) and e["dur"] >= 0
            assert e["name"] == "GIL held" or e["name"].startswith(("waiting", "blocked"))
            slices.setdefault(e["tid"], []).append(e)
    held = sorted(
        (e for own in slices.values() for e in own if e["name"] == "GIL held"),
        key=lambda e: e["ts"],
    )
    for before, after in itertools.pairwise(held):
        assert before["ts"] + before["dur"] <= after["ts"], "two threads held the GIL at once"
    for tid, own in slices.items():
        for before, after in itertools.pairwise(own):
            assert before["ts"] + before["dur"] <= after["ts"], f"slices overlap on track {tid}"
    other = doc["otherData"]
    assert {"policy", "switch_interval_s", "schedule"} <= set(other)
    return slices


def test_chrome_trace_is_valid_trace_event_json() -> None:
    """Tracks named per thread, ordered non-overlapping slices, policy and interval in metadata."""
    doc = json.loads(giltrace.dumps(giltrace.chrome_trace(timeline())))
    slices = validate_chrome_trace(doc)
    names = {e["tid"]: e["args"]["name"] for e in doc["traceEvents"] if e["name"] == "thread_name"}
    assert names == {1: "MainThread", 2: "worker-a", 3: "worker-b"}
    held = [
        (e["tid"], e["ts"], e["dur"]) for s in slices.values() for e in s if e["name"] == "GIL held"
    ]
    assert sorted(held, key=lambda h: h[1]) == [
        (1, 0, 20),
        (2, 21, 24),
        (3, 46, 24),
        (2, 71, 9),
        (1, 81, 4),
    ]
    blocked = [e for e in slices[1] if e["name"].startswith("blocked")]
    assert [(e["name"], e["ts"], e["dur"]) for e in blocked] == [("blocked: Thread.join", 20, 61)]
    assert doc["otherData"]["policy"] == "new" and doc["otherData"]["seed"] == 1
    drops = [e for e in doc["traceEvents"] if e["name"] == "drop request"]
    assert [(e["tid"], e["ts"]) for e in drops] == [(3, 40)]


def test_validator_rejects_overlapping_held_slices() -> None:
    """The check above can fail: two threads holding the GIL at once is caught."""
    doc = giltrace.chrome_trace(timeline())
    for e in doc["traceEvents"]:
        if e.get("name") == "GIL held" and e["tid"] == 2 and e["ts"] == 21:
            e["dur"] = 40
    with pytest.raises(AssertionError, match="held the GIL at once"):
        validate_chrome_trace(doc)


def test_chrome_trace_wall_clock_is_in_microseconds() -> None:
    """perf_counter_ns times become whole microseconds from the first event."""
    events = [
        ev(K.THREAD_START, MAIN, 5_000_000),
        ev(K.ACQUIRE, MAIN, 5_000_000),
        ev(K.RELEASE, MAIN, 5_002_500, Reason.THREAD_EXIT),
    ]
    doc = giltrace.chrome_trace(timeline(events, RunInfo("p.py")))
    (held,) = [e for e in doc["traceEvents"] if e["ph"] == "X"]
    assert (held["ts"], held["dur"]) == (0, 2)


# -- JSON and files -----------------------------------------------------------------------


def test_json_export_has_events_and_tables() -> None:
    """The JSON document holds the run settings, every raw event, the slots and statistics."""
    doc = json.loads(giltrace.dumps(giltrace.timeline_json(timeline())))
    assert doc["format"] == "pvm-gil" and doc["run"]["clock"] == "ticks"
    assert len(doc["events"]) == len(THREE_THREADS)
    assert doc["events"][6] == {
        "kind": "RELEASE",
        "thread": 1,
        "name": "MainThread",
        "t": 20,
        "instr": 20,
        "reason": "BLOCKING",
        "detail": "Thread.join",
        "where": "",
        "on": "",
    }
    assert doc["slots"][1]["cells"] == {
        "MainThread": "Blocked (I/O)",
        "worker-a": "GIL Held",
        "worker-b": "Waiting",
    }
    assert [t["held"] for t in doc["threads"]] == [24, 33, 24]


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    """The file appears whole; no .pvm-gil-* temporary remains."""
    target = tmp_path / "trace.json"
    target.write_text("old")
    giltrace.write_atomic(str(target), "new\n")
    assert target.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["trace.json"]


@pytest.mark.parametrize("where", ["missing/dir/t.json", "."])
def test_write_atomic_refuses_a_path_it_cannot_write(tmp_path: Path, where: str) -> None:
    """A missing directory or a directory path is an OSError with a clear message."""
    with pytest.raises(OSError, match="does not exist|is a directory"):
        giltrace.write_atomic(str(tmp_path / where), "x")


def test_a_table_too_wide_for_the_page_gets_short_cells_and_never_wraps() -> None:
    """Nine threads with long names: short cell codes, a legend, every row one line."""
    events = [ev(K.THREAD_START, MAIN, 0), ev(K.ACQUIRE, MAIN, 0)]
    events += [ev(K.THREAD_START, (n, f"Thread-{n} (worker)"), n) for n in range(2, 10)]
    events.append(ev(K.RELEASE, MAIN, 20, Reason.BLOCKING, "Thread.join"))
    text = giltables.slot_table_text(timeline(events), None)
    lines = text.splitlines()
    assert lines[1].startswith("| Time Slot | MainThread | Thread-2 (worker) |")
    assert lines[3].startswith("| T1        | HELD       | wait              |")
    assert lines[4] == (
        "Cells: HELD = GIL Held, wait = Waiting, I/O = Blocked (I/O), - = Not started, "
        "done = Finished"
    )
    assert len({len(line) for line in lines[1:4]}) == 1  # header, rule and row align


def test_files_hold_one_event_per_line() -> None:
    """Long event lists are written one item per line, and the text is valid JSON."""
    for document, key in (
        (giltrace.chrome_trace(timeline()), "traceEvents"),
        (giltrace.timeline_json(timeline()), "events"),
    ):
        text = giltrace.dumps(document)
        assert json.loads(text) == document
        lines = text.splitlines()
        start = lines.index(f' "{key}": [')
        assert json.loads(lines[start + 1].rstrip(",")) == document[key][0]
        assert len(lines) < 4 * len(document[key]) + 100
