"""The GIL timeline: records the GIL's events and turns them into time slots, statistics and traces.

What belongs here: the recorder `pvm gil` subscribes to `pvm.vm.events.Topic.GIL`, the
analysis of an event sequence (docs/gil-events.md is the whole interface with the GIL),
and the file exports (Chrome trace-event JSON, pvm's own JSON). What does not: printing
tables (pvm.observe.render.giltables) and the command line (pvm.cli_gil).

Each thread moves through these states; every event changes at most one thread's state:

    NOT_STARTED --THREAD_START--> WAITING --ACQUIRE--> HELD --RELEASE(BLOCKING)--> BLOCKED
                                     ^                  |  \\                         |
                                     +---RELEASE(other)-+   RELEASE(THREAD_EXIT)     |
                                     +-----------------BLOCK_END---------------------+
                                                             v
                                                         FINISHED

A slot is one GIL holding period (ACQUIRE to RELEASE of one thread). In the slot table each
other thread's cell is the state it spent most of that slot in (ties: the state it was in
when the slot began).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pvm import fileutil
from pvm.concurrency.gil import EventKind, GILEvent, Reason
from pvm.vm import events

# RELEASE reasons that the thread did not choose: the other thread asked (new GIL) or the
# legacy GIL's check-interval countdown ran out.
FORCED_REASONS = frozenset({Reason.DROP_REQUEST, Reason.CHECK_INTERVAL})


class Clock(Enum):
    """What an event's `t` counts."""

    NANOSECONDS = "ns"  # time.perf_counter_ns(): the os schedule
    VIRTUAL = "ticks"  # the deterministic schedule's virtual clock (guest progress, not time)


class ThreadState(Enum):
    """What a thread is doing with respect to the GIL; the values are the slot table's cells."""

    HELD = "GIL Held"
    WAITING = "Waiting"
    BLOCKED = "Blocked (I/O)"
    NOT_STARTED = "Not started"
    FINISHED = "Finished"


# Cells of a time-slot table with too many threads to fit (a legend follows the table);
# a blocked thread's cell names what it waits for instead when that is known.
SHORT_CELLS = {
    ThreadState.HELD: "HELD",
    ThreadState.WAITING: "wait",
    ThreadState.BLOCKED: "I/O",
    ThreadState.NOT_STARTED: "-",
    ThreadState.FINISHED: "done",
}


@dataclass(frozen=True)
class RunInfo:
    """How the recorded program was run: what the tables and traces print as their header."""

    program: str
    policy: str = "new"
    switch_interval: float = 0.005
    # What the program left it at with sys.setswitchinterval(), if it changed it.
    switch_interval_set: float | None = None
    check_interval: int = 100
    schedule: str = "os"
    seed: int | None = None
    clock: Clock = Clock.NANOSECONDS

    def as_dict(self) -> dict[str, Any]:
        """Return the run's settings as JSON-ready values."""
        return {
            "program": self.program,
            "policy": self.policy,
            "switch_interval_s": self.switch_interval,
            "switch_interval_set_by_program_s": self.switch_interval_set,
            "check_interval": self.check_interval,
            "schedule": self.schedule,
            "seed": self.seed,
            "clock": self.clock.value,
        }


class Recorder:
    """Collects GIL events in the one total order the GIL delivers them in."""

    def __init__(self) -> None:
        self.events: list[GILEvent] = []
        # The GIL calls this with its own lock held: a bound list.append is the quickest
        # thing that can be called there (docs/gil-events.md asks recorders to be quick).
        # A lone subscriber is called directly (pvm.vm.events), so nothing is in between.
        self.record = self.events.append

    def subscribe(self) -> events.Subscription:
        """Start recording every GIL event; close the returned subscription to stop."""
        return events.subscribe(events.Topic.GIL, self.record)

    def snapshot(self) -> list[GILEvent]:
        """Return the events recorded so far (daemon threads may still be adding more)."""
        return list(self.events)


@dataclass(frozen=True)
class Interval:
    """A stretch of time one thread spent in one state (a slice on its trace track)."""

    thread: int
    state: ThreadState
    start: int  # relative to the first event
    end: int
    label: str = ""  # the blocking call's name, or why the GIL was released


@dataclass(frozen=True)
class Slot:
    """One GIL holding period and what every thread was doing during it."""

    index: int  # 1-based: T1, T2, ...
    holder: int
    start: int
    end: int
    released: Reason | None  # None: still held when recording stopped
    cells: dict[int, ThreadState]  # thread number -> state; holder -> HELD
    detail: str = ""  # the blocking call the holder released the GIL for
    # For each BLOCKED cell, what the thread waited for ("lock", "queue", "sleep", "I/O"...).
    blocked_on: dict[int, str] = dataclasses.field(default_factory=dict)

    def cell(self, thread: int, compact: bool = False) -> str:
        """Return a thread's cell as the table shows it: ``Blocked (queue)``, or ``queue``."""
        state = self.cells.get(thread, ThreadState.NOT_STARTED)
        on = self.blocked_on.get(thread) if state is ThreadState.BLOCKED else None
        if on:
            return on if compact else f"Blocked ({on})"
        return SHORT_CELLS[state] if compact else state.value


@dataclass
class ThreadStats:
    """Per-thread totals over the whole recording."""

    thread: int
    name: str
    held: int = 0
    waiting: int = 0
    blocked: int = 0
    acquisitions: int = 0
    forced: int = 0
    voluntary: int = 0
    drop_requests: int = 0
    instructions: int = 0
    slices: list[int] = field(default_factory=list)

    @property
    def mean_slice(self) -> float:
        """Return the mean holding slice, 0 if the thread never held the GIL."""
        return sum(self.slices) / len(self.slices) if self.slices else 0.0

    @property
    def p95_slice(self) -> int:
        """Return the 95th-percentile holding slice (nearest rank), 0 if there is none."""
        return percentile(self.slices, 95)


@dataclass
class Timeline:
    """Everything computed from one event sequence."""

    info: RunInfo
    threads: list[ThreadStats]  # by thread number
    slots: list[Slot]
    intervals: list[Interval]  # ordered by start, then thread
    drop_requests: list[tuple[int, int]]  # (thread that asked, when)
    span: int  # last event's time minus the first's
    t0: int  # the first event's raw time
    events: list[GILEvent]

    def names(self) -> dict[int, str]:
        """Return each thread's display name; duplicates get their thread number appended."""
        counts: dict[str, int] = {}
        for s in self.threads:
            counts[s.name] = counts.get(s.name, 0) + 1
        return {
            s.thread: s.name if counts[s.name] == 1 else f"{s.name} #{s.thread}"
            for s in self.threads
        }


def percentile(values: Sequence[int], pct: int) -> int:
    """Return the nearest-rank percentile of values (0 for none)."""
    if not values:
        return 0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


class _Analysis:
    """One pass over the events, in delivery order, tracking each thread's state."""

    def __init__(self, info: RunInfo) -> None:
        self.info = info
        self.t_first = 0
        self.stats: dict[int, ThreadStats] = {}
        self.state: dict[int, ThreadState] = {}
        self.since: dict[int, int] = {}
        self.label: dict[int, str] = {}
        self.on: dict[int, str] = {}  # what each thread last blocked on (GILEvent.on)
        self.intervals: list[Interval] = []
        self.slots: list[Slot] = []
        self.drop_requests: list[tuple[int, int]] = []
        # The open slot: holder, start, each thread's state when it began, time per state.
        self.slot: tuple[int, int] | None = None
        self.slot_initial: dict[int, ThreadState] = {}
        self.slot_time: dict[int, dict[ThreadState, int]] = {}

    def thread(self, event: GILEvent) -> ThreadStats:
        """Return the thread's statistics record, starting to track it if new."""
        stats = self.stats.get(event.thread)
        if stats is None:
            stats = self.stats[event.thread] = ThreadStats(event.thread, event.name)
            self.state[event.thread] = ThreadState.NOT_STARTED
            self.since[event.thread] = 0
            if self.slot is not None:
                self.slot_initial[event.thread] = ThreadState.NOT_STARTED
        # The latest name wins: a program may rename a thread after starting it.
        stats.name = event.name
        stats.instructions = max(stats.instructions, event.instr)
        return stats

    def change(self, thread: int, new: ThreadState, t: int, label: str = "") -> None:
        """Move a thread to a new state at time t, closing its previous interval."""
        old = self.state[thread]
        if old is new:
            return
        start = self.since[thread]
        if self.slot is not None:
            spent = self.slot_time.setdefault(thread, {})
            spent[old] = spent.get(old, 0) + t - max(start, self.slot[1])
        self.close(thread, old, start, t)
        self.state[thread] = new
        self.since[thread] = t
        self.label[thread] = label

    def close(self, thread: int, state: ThreadState, start: int, end: int) -> None:
        """Account for a finished interval in the thread's totals and the trace."""
        stats = self.stats[thread]
        length = end - start
        if state is ThreadState.HELD:
            stats.held += length
            stats.slices.append(length)
        elif state is ThreadState.WAITING:
            stats.waiting += length
        elif state is ThreadState.BLOCKED:
            stats.blocked += length
        else:
            return  # not started / finished: nothing to show on the track
        if length == 0 and state is not ThreadState.HELD:
            return  # an instant of waiting is no slice; a zero-length hold is still a slot
        self.intervals.append(Interval(thread, state, start, end, self.label.get(thread, "")))

    def open_slot(self, holder: int, t: int) -> None:
        """Begin a slot: remember every thread's state at its start."""
        self.slot = (holder, t)
        self.slot_initial = dict(self.state)
        self.slot_time = {}

    def close_slot(self, t: int, released: Reason | None, detail: str = "") -> None:
        """End the open slot at time t and decide each thread's cell."""
        assert self.slot is not None
        holder, start = self.slot
        cells: dict[int, ThreadState] = {}
        for thread, initial in self.slot_initial.items():
            spent = dict(self.slot_time.get(thread, {}))
            current = self.state[thread]
            spent[current] = spent.get(current, 0) + t - max(self.since[thread], start)
            best = initial
            for state, length in spent.items():
                if length > spent.get(best, 0):
                    best = state
            cells[thread] = best
        cells[holder] = ThreadState.HELD
        blocked_on = {
            thread: self.on[thread]
            for thread, state in cells.items()
            if state is ThreadState.BLOCKED and self.on.get(thread)
        }
        self.slots.append(
            Slot(len(self.slots) + 1, holder, start, t, released, cells, detail, blocked_on)
        )
        self.slot = None

    def run(self, events: Sequence[GILEvent]) -> Timeline:
        """Analyse the events and return the timeline."""
        self.t_first = events[0].t if events else 0
        now = self.t_first
        for event in events:
            # Timestamps are read by different threads; the delivery order is the truth,
            # so a clock reading that lags an earlier event's is moved up to it.
            now = max(now, event.t)
            t = now - self.t_first
            stats = self.thread(event)
            kind = event.kind
            tid = event.thread
            if kind is EventKind.THREAD_START or kind is EventKind.REQUEST:
                if self.state[tid] is not ThreadState.WAITING:
                    self.change(tid, ThreadState.WAITING, t)
            elif kind is EventKind.ACQUIRE:
                if self.slot is not None:  # the contract forbids this; don't lose the slot
                    self.close_slot(t, None)
                stats.acquisitions += 1
                self.change(tid, ThreadState.HELD, t)
                self.open_slot(tid, t)
            elif kind is EventKind.RELEASE:
                if self.slot is not None and self.slot[0] == tid:
                    self.close_slot(t, event.reason, _described(event))
                if event.reason in FORCED_REASONS:
                    stats.forced += 1
                else:
                    stats.voluntary += 1
                reason = event.reason.name.lower() if event.reason else ""
                self.relabel(tid, reason)
                if event.reason is Reason.BLOCKING:
                    self.on[tid] = event.on
                    self.change(tid, ThreadState.BLOCKED, t, _described(event))
                elif event.reason is Reason.THREAD_EXIT:
                    self.change(tid, ThreadState.FINISHED, t)
                else:
                    self.change(tid, ThreadState.WAITING, t)
            elif kind is EventKind.BLOCK_START:
                last = self.slots[-1] if self.slots else None
                if (
                    last is not None
                    and last.holder == tid
                    and last.released is Reason.BLOCKING
                    and not last.detail
                ):
                    self.slots[-1] = dataclasses.replace(last, detail=_described(event))
                self.on[tid] = event.on or self.on.get(tid, "")
                if self.state[tid] is ThreadState.BLOCKED:
                    self.label[tid] = _described(event)
                else:
                    self.change(tid, ThreadState.BLOCKED, t, _described(event))
            elif kind is EventKind.BLOCK_END:
                self.change(tid, ThreadState.WAITING, t)
            elif kind is EventKind.DROP_REQUEST:
                stats.drop_requests += 1
                self.drop_requests.append((tid, t))
            elif kind is EventKind.THREAD_EXIT:
                if self.slot is not None and self.slot[0] == tid:
                    self.close_slot(t, Reason.THREAD_EXIT)
                self.change(tid, ThreadState.FINISHED, t)
        end = now - self.t_first
        if self.slot is not None:
            self.close_slot(end, None)
        for tid, state in self.state.items():
            self.close(tid, state, self.since[tid], end)
        self.intervals.sort(key=lambda iv: (iv.start, iv.end, iv.thread))
        return Timeline(
            self.info,
            [self.stats[k] for k in sorted(self.stats)],
            self.slots,
            self.intervals,
            self.drop_requests,
            end,
            self.t_first,
            list(events),
        )

    def relabel(self, thread: int, label: str) -> None:
        """Name why the thread's current (held) interval ends, for the trace."""
        self.label[thread] = label


def analyse(events: Iterable[GILEvent], info: RunInfo) -> Timeline:
    """Return the time slots, statistics and trace intervals of an event sequence."""
    return _Analysis(info).run(list(events))


# -- exports ------------------------------------------------------------------------

_TRACE_NAMES = {
    ThreadState.HELD: "GIL held",
    ThreadState.WAITING: "waiting for the GIL",
    ThreadState.BLOCKED: "blocked",
}
TRACE_PID = 1  # fixed, so that deterministic runs give byte-identical traces


def _micros(timeline: Timeline, t: int) -> int:
    """Return a timeline time on the trace's microsecond axis (whole microseconds)."""
    if timeline.info.clock is Clock.VIRTUAL:
        return t  # one tick of the virtual clock is drawn as one microsecond
    # Floor to whole microseconds: exact integers keep slices that touch from overlapping.
    return t // 1000


def chrome_trace(timeline: Timeline) -> dict[str, Any]:
    """Return the timeline as Chrome trace-event JSON (the JSON Object Format)."""
    info = timeline.info
    names = timeline.names()
    interval = f"{info.switch_interval * 1000:g} ms"
    labels = f"policy {info.policy}, switch interval {interval}, schedule {info.schedule}"
    if info.seed is not None:
        labels += f", seed {info.seed}"
    events: list[dict[str, Any]] = [
        _meta("process_name", 0, name=f"pvm gil: {info.program}"),
        _meta("process_labels", 0, labels=labels),
    ]
    for stats in timeline.threads:
        events.append(_meta("thread_name", stats.thread, name=names[stats.thread]))
        events.append(_meta("thread_sort_index", stats.thread, sort_index=stats.thread))
    timed: list[dict[str, Any]] = []
    for iv in timeline.intervals:
        name = _TRACE_NAMES[iv.state]
        args: dict[str, Any] = {}
        if iv.state is ThreadState.BLOCKED and iv.label:
            name = f"blocked: {iv.label}"
        elif iv.state is ThreadState.HELD and iv.label:
            args["released"] = iv.label
        start = _micros(timeline, iv.start)
        timed.append(
            {
                "name": name,
                "cat": "gil",
                "ph": "X",
                "ts": start,
                "dur": _micros(timeline, iv.end) - start,
                "pid": TRACE_PID,
                "tid": iv.thread,
                "args": args,
            }
        )
    for thread, t in timeline.drop_requests:
        timed.append(
            {
                "name": "drop request",
                "cat": "gil",
                "ph": "i",
                "s": "t",
                "ts": _micros(timeline, t),
                "pid": TRACE_PID,
                "tid": thread,
            }
        )
    timed.sort(key=lambda e: (e["ts"], e["tid"], e["ph"] != "X"))
    return {
        "traceEvents": events + timed,
        "displayTimeUnit": "ms",
        "otherData": {
            **info.as_dict(),
            "time_axis": (
                "ticks of the virtual clock (1 tick drawn as 1 us)"
                if info.clock is Clock.VIRTUAL
                else "microseconds"
            ),
        },
    }


def _meta(kind: str, tid: int, **args: Any) -> dict[str, Any]:
    return {"name": kind, "ph": "M", "pid": TRACE_PID, "tid": tid, "args": args}


def _described(event: GILEvent) -> str:
    """The blocking call and the guest function that made it: ``Lock.acquire in
    Condition.wait (threading.py)``."""
    if event.where and event.detail:
        return f"{event.detail} in {event.where}"
    return event.detail


def event_dict(event: GILEvent) -> dict[str, Any]:
    """Return one raw event as JSON-ready values."""
    return {
        "kind": event.kind.name,
        "thread": event.thread,
        "name": event.name,
        "t": event.t,
        "instr": event.instr,
        "reason": event.reason.name if event.reason is not None else None,
        "detail": event.detail,
        "where": event.where,
        "on": event.on,
    }


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """Return the raw events and the computed tables as one JSON document."""
    names = timeline.names()
    return {
        "format": "pvm-gil",
        "version": 1,
        "run": timeline.info.as_dict(),
        "span": timeline.span,
        "threads": [
            {
                "thread": s.thread,
                "name": names[s.thread],
                "held": s.held,
                "waiting": s.waiting,
                "blocked": s.blocked,
                "acquisitions": s.acquisitions,
                "forced_drops": s.forced,
                "voluntary_releases": s.voluntary,
                "drop_requests": s.drop_requests,
                "instructions": s.instructions,
                "mean_slice": s.mean_slice,
                "p95_slice": s.p95_slice,
            }
            for s in timeline.threads
        ],
        "slots": [
            {
                "slot": f"T{slot.index}",
                "holder": slot.holder,
                "start": slot.start,
                "end": slot.end,
                "released": slot.released.name if slot.released is not None else None,
                "cells": {names[t]: slot.cell(t) for t in names},
            }
            for slot in timeline.slots
        ],
        "events": [event_dict(e) for e in timeline.events],
    }


# The long lists of a document, written one item per line (a run can have a million events).
_LONG_LISTS = ("traceEvents", "events", "slots")


def dumps(document: dict[str, Any]) -> str:
    """Return a document as the JSON text pvm writes: stable key order, one event per line."""
    parts = []
    for key, value in document.items():
        if key in _LONG_LISTS and isinstance(value, list):
            items = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            text = f"[\n{items}\n ]" if value else "[]"
        else:
            text = json.dumps(value, indent=1, ensure_ascii=False).replace("\n", "\n ")
        parts.append(f" {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def check_writable(path: str) -> None:
    """Raise OSError with a clear message if a file cannot be written at path."""
    if os.path.isdir(path):
        raise OSError(f"{path} is a directory")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OSError(f"directory {directory} does not exist")
    # Permissions alone do not tell (read-only mounts, /proc): try making the temporary.
    os.unlink(_temporary(path)[1])


def _temporary(path: str) -> tuple[int, str]:
    """Create the temporary file a write of path goes through; return its fd and name."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".pvm-gil-", dir=directory)
    except OSError as exc:
        raise OSError(f"{exc.strerror or exc} (in {directory})") from None
    return fd, tmp


def write_atomic(path: str, text: str) -> None:
    """Write text to path through a temporary file and a rename, so no half file is left."""
    check_writable(path)
    fileutil.write_atomic(path, text)
