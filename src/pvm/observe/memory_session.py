"""One `pvm memory` run: the observer that takes snapshots, the --refs trace and the GC report.

The session hears the program's steps on pvm.vm.events.Topic.STEP and publishes each
snapshot it takes on Topic.MEMORY; the report keeps them through a SnapshotLog, the
subscriber that `pvm memory` (pvm.cli_memory) sets up.
"""

from __future__ import annotations

import enum
import gc
import json
import os
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pvm.observe.heap import Registry, is_library_code, mark_library_code, short_value
from pvm.observe.memory import SCHEMA_VERSION, Snapshotter, live_lasti
from pvm.vm import events
from pvm.vm.function import Function
from pvm.vm.generator import Generator


class TriggerKind(enum.Enum):
    """What made a snapshot."""

    LINE = "line"
    FUNCTION = "function"
    EVERY_LINE = "every-line"
    EVERY_INSTRUCTION = "every-instruction"
    EXIT = "exit"


@dataclass
class AtLine:
    """--at LINE[:K]: snapshot when the line is about to run (only the K-th time if K)."""

    line: int
    nth: int | None = None
    seen: int = 0
    taken: int = 0


@dataclass
class AtFunction:
    """--at FUNC: snapshot on entry to a function, by name or qualname."""

    name: str
    taken: int = 0


@dataclass
class Options:
    """What to record: the parsed command line of `pvm memory`."""

    path: str
    at_lines: list[AtLine] = field(default_factory=list)
    at_functions: list[AtFunction] = field(default_factory=list)
    every_line: bool = False
    every_instruction: bool = False
    at_exit: bool = False
    refs: bool = False
    max_snapshots: int = 100
    max_steps: int | None = None
    max_objects: int = 500
    show_all: bool = False


def display_path(path: str) -> str:
    """Return path relative to the working directory when it is under it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


class SnapshotLog:
    """Keeps the snapshots published on Topic.MEMORY, in order, for the report."""

    def __init__(self) -> None:
        # Kept as text: see Registry (the collector does not count strings).
        self.texts: list[str] = []

    def record(self, snapshot: dict) -> None:
        """Keep one snapshot (a Topic.MEMORY subscriber)."""
        self.texts.append(json.dumps(snapshot))

    def subscribe(self) -> events.Subscription:
        """Start keeping every snapshot published; close the returned subscription to stop."""
        return events.subscribe(events.Topic.MEMORY, self.record)

    def snapshots(self) -> list[dict]:
        """Return the snapshots kept so far, as the JSON document's dicts."""
        return [json.loads(text) for text in self.texts]


class Session:
    """The observer of one run (a Topic.STEP subscriber) and what it recorded."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.registry = Registry()
        self.snapper = Snapshotter(self.registry, options.max_objects, options.show_all)
        self.main_file = os.path.realpath(options.path)
        self.snapshots_taken = 0  # published on Topic.MEMORY
        self.snapshots_dropped = 0
        self._steps: events.Subscription | None = None
        self.steps = 0
        self.stopped_at_max_steps = False
        self.refs: list[dict] = []
        self.collections: list[dict] = []
        self._lock = threading.RLock()
        self._busy = False
        self._started = False
        self._file_ok: dict[str, bool] = {}
        self._census: dict | None = None
        self._step_events: list = []
        self._last_where: dict | None = None
        self._collecting: dict | None = None
        self._lines: dict[str, list[str]] = {}
        self._candidates: dict = {}
        self._weak_candidates: dict = {}
        self.gc_errors: list[str] = []  # failures of the GC report (not the program's)
        self.quiet_collections = [0, 0, 0]  # collections that freed nothing shown

    # -- installing ----------------------------------------------------------------

    def start(self) -> None:
        """Start observing every thread, and the collector."""
        opts = self.options
        lines = bool(opts.refs or opts.every_line or opts.every_instruction or opts.at_lines)
        self._steps = events.subscribe(
            events.Topic.STEP, self.event, opcodes=opts.every_instruction, lines=lines
        )
        gc.callbacks.append(self._gc_callback)

    def stop(self) -> None:
        """Stop observing."""
        self._stop_steps()
        if self._gc_callback in gc.callbacks:
            gc.callbacks.remove(self._gc_callback)

    def at_exit(self) -> None:
        """Take the exit snapshot and the last --refs step (run by atexit, after the program)."""
        with self._lock:
            self._busy = True
            enabled = gc.isenabled()
            gc.disable()
            try:
                if self.options.refs:
                    self._refs_step(None)
                if self.options.at_exit:
                    self._take({"kind": TriggerKind.EXIT.value}, None)
            finally:
                self._busy = False
                if enabled:
                    gc.enable()
        self.stop()

    def _stop_steps(self) -> None:
        if self._steps is not None:
            self._steps.close()
            self._steps = None

    # -- the observer ----------------------------------------------------------------

    def event(self, tstate: Any, frame: Any, event: str, index: int) -> bool | None:
        """A step of the guest program: see events.Topic.STEP (False: not this code again)."""
        if self._busy:
            return None
        with self._lock:
            self._busy = True
            enabled = gc.isenabled()
            gc.disable()  # our own allocations must not trigger the guest's collections
            try:
                return self._event(tstate, frame, event, index)
            finally:
                self._busy = False
                if enabled:
                    gc.enable()

    def _event(self, tstate: Any, frame: Any, event: str, index: int) -> bool | None:
        code = frame.f_code
        if event == "call" and index == 0 and code.co_filename.startswith("<"):
            back = frame.f_back
            if back is not None and is_library_code(back.f_code):
                mark_library_code(code)  # exec'd or eval'd by the library
        if is_library_code(code):
            # The library's steps are not the program's (natively they were host code):
            # what they change shows at the program's next step.
            return False if event == "call" else None
        if event == "call":
            if index != 0:
                return None  # a generator resuming
            if code.co_name == "<module>":
                self.snapper.load_code(code)
                if not self._started:
                    # The garbage pvm made while starting (compiling, importing) is
                    # not the program's: collect it so that the guest's gc.collect()
                    # counts what python3's would.
                    self._started = True
                    gc.collect()
            if code.co_name == "__del__":
                self._finalizer(frame)
            wanted = code.co_name in ("<module>", "__del__")
            for spec in self.options.at_functions:
                if spec.name in (code.co_name, code.co_qualname):
                    wanted = True
                    spec.taken += 1
                    trigger = {"kind": TriggerKind.FUNCTION.value, "function": spec.name}
                    self._take(self._where(trigger, tstate, frame, index), (tstate, frame, index))
            return wanted  # False: this code's calls need not be reported again
        if event == "return":
            back = frame.f_back
            if self.options.refs and back is not None and not is_library_code(back.f_code):
                # What the return does (frame exit, the caller storing the result)
                # belongs to the caller's line: where the caller stands now (its
                # f_lasti is stale while its loop runs, e.g. under a host-called
                # __add__ or __del__).
                self._refs_step((tstate, back, live_lasti(back)))
            return None
        opts = self.options
        step = event == ("opcode" if opts.every_instruction else "line")
        if step:
            self.steps += 1
            if opts.max_steps is not None and self.steps > opts.max_steps:
                self.stopped_at_max_steps = True
                self._stop_steps()
                return None
            if opts.refs:
                self._refs_step((tstate, frame, index))
        if event == "line" and opts.at_lines and self._in_main(code):
            line = code.line_of(index)
            for spec in opts.at_lines:
                if spec.line == line:
                    spec.seen += 1
                    if spec.nth is None or spec.nth == spec.seen:
                        spec.taken += 1
                        trigger = {"kind": TriggerKind.LINE.value, "line": line, "count": spec.seen}
                        self._take(
                            self._where(trigger, tstate, frame, index), (tstate, frame, index)
                        )
        if step and (opts.every_line or opts.every_instruction):
            kind = (
                TriggerKind.EVERY_INSTRUCTION if opts.every_instruction else TriggerKind.EVERY_LINE
            )
            trigger = self._where({"kind": kind.value}, tstate, frame, index)
            self._take(trigger, (tstate, frame, index))

    def _in_main(self, code: Any) -> bool:
        filename = code.co_filename
        ok = self._file_ok.get(filename)
        if ok is None:
            ok = self._file_ok[filename] = os.path.realpath(filename) == self.main_file
        return ok

    def _where(self, trigger: dict, tstate: Any, frame: Any, index: int) -> dict:
        code = frame.f_code
        trigger.update(
            {
                "thread_id": tstate.thread_id,
                "function": code.co_qualname,
                "file": display_path(code.co_filename),
                "line": code.line_of(index) if index >= 0 else code.co_firstlineno,
                "instruction": index,
                "step": self.steps,
            }
        )
        return trigger

    def _take(self, trigger: dict, current: Any) -> None:
        if self.snapshots_taken >= self.options.max_snapshots:
            self.snapshots_dropped += 1
            return
        snap = self.snapper.snapshot(trigger, current)
        snap["index"] = self.snapshots_taken
        self.snapshots_taken += 1
        for thread in snap["threads"]:
            for f in thread["frames"]:
                f["file"] = display_path(f["file"])
                f.pop("_key", None)
        for c in snap["code_segment"]:
            c["file"] = display_path(c["file"])
        events.publish(events.Topic.MEMORY, snap)

    # -- the --refs trace ------------------------------------------------------------

    def _refs_step(self, current: Any) -> None:
        """Diff the census with the previous step's: the changes belong to the code that ran."""
        w, threads, data = self.snapper.census(current)
        try:
            census = _census(w, threads, data)
        finally:
            w.objects.clear()
        prev = self._census
        where = None
        if current is not None:
            tstate, frame, index = current
            where = self._where({}, tstate, frame, index)
            where["source"] = self._source(frame.f_code.co_filename, where["line"])
        if prev is not None:
            changes = _diff(prev, census)
            if changes or self._step_events:
                record = {
                    "step": self.steps - (1 if current is not None else 0),
                    "where": self._last_where,
                    "changes": changes,
                    "events": self._step_events,
                }
                self.refs.append(json.dumps(record))
        self._step_events = []
        self._census = census
        self._last_where = where

    def _source(self, filename: str, line: int | None) -> str:
        lines = self._lines.get(filename)
        if lines is None:
            try:
                with open(filename, encoding="utf-8", errors="replace") as f:
                    lines = f.read().splitlines()
            except OSError:
                lines = []
            self._lines[filename] = lines
        if line is None or not 0 < line <= len(lines):
            return ""
        return lines[line - 1].strip()

    def _finalizer(self, frame: Any) -> None:
        target = frame.fast[0] if frame.fast else None
        sid = self.registry.lookup(target) if target is not None else None
        record = {
            "finalizer": frame.f_code.co_qualname,
            "object": sid,
            "type": type(target).__qualname__,
            # Where the program stands as it runs: the instruction that dropped the
            # last reference (finalizers run inside an instruction, between steps).
            "at": self._position(frame.f_back),
        }
        self._step_events.append(record)
        if self._collecting is not None:
            self._collecting["finalizers"].append(record)

    # -- the GC report -----------------------------------------------------------------

    def _gc_callback(self, phase: str, info: dict) -> None:
        # Runs inside the collector: records ids, weak references and short values,
        # never a strong reference to an object.
        if self._busy or not self._started:
            return  # ours, or pvm's before the program starts: not the program's
        try:
            self._gc_event(phase, info)
        except Exception as exc:  # noqa: BLE001 - the program must not see our failure
            self.gc_errors.append(f"{type(exc).__name__}: {exc}")
            self._collecting = None

    def _gc_event(self, phase: str, info: dict) -> None:
        generation = info["generation"]
        if phase == "start":
            # Read first: the bookkeeping below allocates too (as the collector counts).
            counts_before = list(gc.get_count())
            guest = self._guest_modules()
            weak = {}
            for g in range(generation + 1):
                for obj in gc.get_objects(g):
                    t = type(obj)
                    if t.__module__ in guest or (
                        (t is Function or t is Generator) and not _library_callable(obj)
                    ):
                        try:
                            ref = weakref.ref(obj)
                        except TypeError:
                            continue
                        weak[id(obj)] = (
                            ref,
                            self.registry.lookup(obj),
                            t.__qualname__,
                            short_value(obj, guest),
                        )
            self._weak_candidates = weak
            # Objects the last census found alive but unreachable (no weak references
            # to lists and dicts: they are looked for among the survivors instead).
            self._candidates = {
                k: v for k, v in self.snapper.last_unreachable.items() if k not in weak
            }
            self._collecting = {
                "generation": generation,
                "thresholds": list(gc.get_threshold()),
                "counts_before": counts_before,
                "where": self._now_where(),
                "finalizers": [],
            }
            self._step_events.append({"gc": "start", "generation": generation})
            return
        record = self._collecting
        self._collecting = None
        if record is None:
            return
        freed = [
            {"id": sid, "type": t, "value": v}
            for ref, sid, t, v in self._weak_candidates.values()
            if ref() is None
        ]
        if self._candidates:
            survivors = {id(o) for o in gc.get_objects(min(generation + 1, 2))}
            freed += [
                {"id": sid, "type": t, "value": v}
                for k, (sid, t, v) in self._candidates.items()
                if k not in survivors
            ]
        self._candidates = {}
        self._weak_candidates = {}
        record["collected"] = info["collected"]
        record["uncollectable"] = info["uncollectable"]
        record["counts_after"] = list(gc.get_count())
        record["freed"] = sorted(freed, key=_by_id)
        if record["freed"] or record["finalizers"] or info["collected"] or generation == 2:
            self.collections.append(record)
        else:
            self.quiet_collections[generation] += 1
        self._step_events.append(
            {"gc": "stop", "generation": generation, "collected": info["collected"]}
        )

    def _guest_modules(self) -> frozenset:
        from pvm.observe.heap import guest_module_dicts

        return frozenset(name for name, _d in guest_module_dicts())

    def _sid_for(self, obj: Any) -> int | None:
        return self.registry.lookup(obj)

    def _now_where(self) -> dict | None:
        from pvm.vm.threadstate import current

        return self._position(current().frame)

    def _position(self, frame: Any) -> dict | None:
        """Return where frame (or, in library code, the program's frame below) stands now."""
        while frame is not None and is_library_code(frame.f_code):
            frame = frame.f_back  # a collection in library code: at the program's call
        if frame is None:
            return None
        code = frame.f_code
        index = live_lasti(frame)
        return {
            "function": code.co_qualname,
            "file": display_path(code.co_filename),
            "line": code.line_of(index),
        }

    # -- the report ------------------------------------------------------------------

    def result(self, status: int, argv: list[str], snapshots: list[dict]) -> dict:
        """Return everything recorded, with snapshots, as the document of docs/memory-json.md."""
        opts = self.options
        doc: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "tool": "pvm memory",
            "program": display_path(opts.path),
            "argv": list(argv),
            "exit_status": status,
            "settings": {
                "max_objects": opts.max_objects,
                "max_snapshots": opts.max_snapshots,
                "max_steps": opts.max_steps,
                "step": "instruction" if opts.every_instruction else "line",
                "all": opts.show_all,
            },
            "snapshots": snapshots,
            "snapshots_left_out": self.snapshots_dropped,
            "steps": self.steps,
            "stopped_at_max_steps": self.stopped_at_max_steps,
            "gc": {
                "thresholds": list(gc.get_threshold()),
                "collections": self.collections,
                "quiet_collections": {str(g): n for g, n in enumerate(self.quiet_collections)},
                "report_errors": self.gc_errors,
            },
        }
        if opts.refs:
            doc["refs"] = [json.loads(text) for text in self.refs]
        return doc


def _library_callable(obj: Any) -> bool:
    code = obj.__code__ if type(obj) is Function else obj._code
    return is_library_code(code)


def _by_id(entry: dict) -> tuple:
    return (entry["id"] is None, entry["id"] or 0, entry["type"])


def _census(w: Any, threads: list, data: list) -> dict:
    """Return what a --refs diff needs from a walk: counts, referrers, bound names, frames."""
    objects = {}
    for sid in w.order:
        obj = w.objects[sid]
        objects[sid] = (
            type(obj).__qualname__,
            short_value(obj, w.guest_modules),
            tuple(w.referrers[sid]),
            sid in w.unreachable,
        )
    frames: dict[str, set] = {}
    bound = set()
    args = {}
    for thread in threads:
        for f in thread["frames"]:
            name = f"{f['function']}()"
            frames.setdefault(name, set()).add(f.pop("_key", None))
            for entry in f["args"]:
                args.setdefault(name, set()).add(entry["name"])
            for group in ("args", "locals", "cells"):
                for entry in f[group]:
                    bound.add(f"{name}.{entry['name']}")
    for module in data:
        for entry in module["globals"]:
            bound.add(f"global {entry['name']}")
    unreachable = [(sid, v[0], v[1]) for sid, v in objects.items() if v[3]]
    return {
        "objects": objects,
        "frames": frames,
        "bound": bound,
        "args": args,
        "unreachable": unreachable,
    }


class Reason(enum.Enum):
    """Why a reference appeared or went away (the --refs trace)."""

    ASSIGNMENT = "assignment"
    CALL_ARGUMENT = "call argument"
    CONTAINER_INSERT = "container insert"
    ATTRIBUTE = "attribute set"
    VALUE_STACK_PUSH = "pushed on the value stack"
    REFERENCE = "new reference"
    DEL = "del"
    REASSIGNMENT = "reassignment"
    FRAME_EXIT = "frame exit"
    VALUE_STACK_POP = "popped from the value stack"
    CONTAINER_REMOVE = "container remove"
    REFERRER_FREED = "referrer freed"


def _frame_of(label: str) -> str | None:
    if label.startswith(("#", "global ")) or "()" not in label:
        return None
    return label[: label.index("()") + 2]


def _gain_reason(label: str, prev: dict, cur: dict) -> Reason:
    if label.startswith("global "):
        return Reason.ASSIGNMENT
    if label.startswith("#"):
        if "[" in label or " key" in label or " member" in label:
            return Reason.CONTAINER_INSERT
        return Reason.ATTRIBUTE if "." in label else Reason.REFERENCE
    frame = _frame_of(label)
    if frame is not None:
        if " stack[" in label:
            return Reason.VALUE_STACK_PUSH
        name = label[len(frame) + 1 :]
        new_frame = bool(cur["frames"].get(frame, set()) - prev["frames"].get(frame, set()))
        if new_frame and name in cur["args"].get(frame, ()):
            return Reason.CALL_ARGUMENT
        return Reason.ASSIGNMENT
    return Reason.REFERENCE


def _loss_reason(label: str, prev: dict, cur: dict) -> Reason:
    if label.startswith("#"):
        sid = int(label[1:].split("[", 1)[0].split(".", 1)[0].split(" ", 1)[0])
        if sid not in cur["objects"]:
            return Reason.REFERRER_FREED
        if "[" in label or " key" in label or " member" in label:
            return Reason.CONTAINER_REMOVE
        return Reason.REASSIGNMENT
    frame = _frame_of(label)
    if frame is not None and prev["frames"].get(frame, set()) - cur["frames"].get(frame, set()):
        return Reason.FRAME_EXIT
    if " stack[" in label:
        return Reason.VALUE_STACK_POP
    return Reason.REASSIGNMENT if label in cur["bound"] else Reason.DEL


def _diff(prev: dict, cur: dict) -> list[dict]:
    """Return the reference-count changes between two censuses, by object."""
    out = []
    old_objects, new_objects = prev["objects"], cur["objects"]
    for sid in sorted(set(old_objects) | set(new_objects)):
        old = old_objects.get(sid)
        new = new_objects.get(sid)
        before = Counter(old[2]) if old else Counter()
        after = Counter(new[2]) if new else Counter()
        if before == after and (old is None or new is None or old[3] == new[3]):
            continue
        gained = after - before
        lost = before - after
        changes = [
            {"sign": "+", "referrer": label, "reason": _gain_reason(label, prev, cur).value}
            for label in gained.elements()
        ]
        changes += [
            {"sign": "-", "referrer": label, "reason": _loss_reason(label, prev, cur).value}
            for label in lost.elements()
        ]
        info = new or old
        entry = {
            "id": sid,
            "type": info[0],
            "value": info[1],
            "before": sum(before.values()),
            "after": sum(after.values()),
            "changes": changes,
        }
        if new is None:
            entry["freed"] = True
        elif new[3]:
            entry["unreachable"] = True
        elif old is not None and old[3]:
            entry["reachable_again"] = True
        out.append(entry)
    return out
