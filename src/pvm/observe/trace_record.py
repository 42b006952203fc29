"""The recorder behind `pvm trace`: every line step of a program, as a delta-encoded trace.

What belongs here: hearing the program's steps (a pvm memory Session whose snapshots
go into the trace instead of the report), the compact per-step state (frames of every
thread, the reachable heap with reference counts, globals, suspended generators), its
delta encoding, the program's stdout so far, the GIL holder per step and the document
of docs/trace-json.md.  What does not: the heap walk (pvm.observe.heap, through
memory.Snapshotter.census), the GIL's slots (pvm.observe.giltrace), rendering the
trace (trace_html, trace_pytutor) and the command line (pvm.cli_trace).
"""

# The state at a step is a flat map of keys to small JSON values; a step stores what
# changed since the step before it, so a loop that rebinds one variable costs one key.
#
#   key                value                                       changes when
#   ---                -----                                       ------------
#   T<t>               thread t: name, main, frames, gil number    a frame is pushed/popped
#   F<t>.<d>           frame d of thread t: function, code, ...    another call sits there
#   P<t>.<d>           [line, instruction] of that frame           every step of that frame
#   V<t>.<d>           its arguments, locals, cells, value stack   a variable is bound
#   G<module>:<name>   a global: the heap id it refers to          a global is (re)bound
#   H<id>              heap object: type, value, refcount, refs    its count or refs change
#   Y<id>              generator/coroutine: state, where, locals   it runs or finishes
#
# docs/trace-json.md is the contract; the page (tracepage/page.js) rebuilds the map.

from __future__ import annotations

import io
import json
import signal
import sys
import time
from typing import Any

from pvm.observe import giltrace
from pvm.observe.heap import frame_slots, short_value
from pvm.observe.memory import _arg_count
from pvm.observe.memory_session import Options, Session, TriggerKind, display_path
from pvm.vm import events
from pvm.vm.function import Function
from pvm.vm.null import NULL
from pvm.vm.threadstate import all_states

SCHEMA_VERSION = 1
DEFAULT_MAX_STEPS = 100_000
DEFAULT_MAX_OBJECTS = 200


class StdoutTee(io.TextIOBase):
    """The program's sys.stdout (or stderr): writes go through to the real one and are kept."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.parts: list[str] = []
        self.length = 0

    def write(self, text: str) -> int:
        """Write text to the real stdout and keep it."""
        n = self._stream.write(text)
        if type(text) is str:
            self.parts.append(text)
            self.length += len(text)
        return n

    def flush(self) -> None:
        self._stream.flush()

    def text(self) -> str:
        """Return everything written so far."""
        return "".join(self.parts)

    def __getattr__(self, name: str) -> Any:
        # encoding, buffer, fileno, isatty ...: the real stream's.
        return getattr(self._stream, name)


class TraceSession(Session):
    """A pvm memory Session whose every-line snapshots become the steps of a trace."""

    def __init__(
        self,
        options: Options,
        stdout: StdoutTee | None = None,
        stderr: StdoutTee | None = None,
        record_gil: bool = True,
    ) -> None:
        options.every_line = not options.every_instruction
        options.at_exit = True
        options.max_snapshots = sys.maxsize
        super().__init__(options)
        self.stdout = stdout
        self.stderr = stderr
        self.last_stderr = 0
        self.steps_out: list[dict] = []
        self.state: dict[str, Any] = {}
        self.threads: dict[tuple[int, int | None], int] = {}  # (ident, GIL number) -> index
        self.thread_info: list[dict] = []
        self.files: dict[str, int] = {}
        self.file_names: list[str] = []
        self.gil = giltrace.Recorder()
        # False: the caller subscribes self.gil itself (a processes.ProcessLog does).
        self.record_gil = record_gil
        self.step_ns: list[int] = []  # the machine clock at each step (processes' lanes)
        self._gil_sub: events.Subscription | None = None
        self._gc_seen = 0
        self._last: dict | None = None
        self.stopped: dict | None = None
        self.last_stdout = 0
        self.last_codes = 0
        # --stop-at-max-steps: end the program there, as Ctrl-C would.
        self.stop_program = False
        self._interrupted = False

    # -- installing ----------------------------------------------------------------

    def start(self) -> None:
        """Start recording the GIL's events, then every step of every thread."""
        if self.record_gil:
            self._gil_sub = self.gil.subscribe()
        super().start()

    def finish(self) -> None:
        """Stop recording steps and the GIL's events, after the run."""
        # The exit step (at_exit) stops only the steps: the GIL's last slot then ends
        # where `pvm gil` ends it, at the main thread's exit.
        self.stop()
        if self._gil_sub is not None:
            self._gil_sub.close()
            self._gil_sub = None

    def event(self, tstate: Any, frame: Any, event: str, index: int) -> bool | None:
        """A step of the program (see Session.event); past --max-steps, maybe stop it."""
        result = super().event(tstate, frame, event, index)
        if self.stopped_at_max_steps and self.stop_program and not self._interrupted:
            self._interrupted = True
            if self.stopped is None:
                self.stopped = self._stop_record()
            self.stopped["program_stopped"] = True
            # pvm's SIGINT handler raises KeyboardInterrupt in the main thread at its
            # next check point, as Ctrl-C does (a program that never ends ends here).
            signal.raise_signal(signal.SIGINT)
        return result

    # -- one step ------------------------------------------------------------------

    def _take(self, trigger: dict, current: Any) -> None:
        if self.stopped_at_max_steps and self.stopped is None:
            self.stopped = self._stop_record()
        if current is None and self.stopped is not None:
            return  # the exit state after an unrecorded tail would be a jump
        w, threads, data = self.snapper.census(current)
        try:
            state = self._state(w, threads, data)
        finally:
            w.objects.clear()
        step = self._delta(state)
        if current is None:
            step["event"] = TriggerKind.EXIT.value
        else:
            tstate, frame, index = current
            rec = getattr(tstate, "gil", None)
            step["t"] = self._thread_index(tstate.thread_id, rec.number if rec else None)
            step["f"] = self._file_index(frame.f_code.co_filename)
            step["l"] = trigger["line"]
            if self.options.every_instruction:
                step["n"] = index
            step["gil_events"] = len(self.gil.events)
            if rec is not None:
                self.thread_info[step["t"]]["gil"] = rec.number
        if self.stdout is not None and self.stdout.length != self.last_stdout:
            self.last_stdout = step["o"] = self.stdout.length
        if self.stderr is not None and self.stderr.length != self.last_stderr:
            self.last_stderr = step["e"] = self.stderr.length
        if len(self.snapper.codes) != self.last_codes:
            self.last_codes = step["c"] = len(self.snapper.codes)
        if len(self.collections) != self._gc_seen:
            # Only the collections that freed the program's objects, ran its finalizers or
            # were of the oldest generation (gc.collect()): the others freed pvm's own
            # garbage, which varies from run to run.
            shown = [
                _gc_record(c)
                for c in self.collections[self._gc_seen :]
                if c.get("freed") or c.get("finalizers") or c["generation"] == 2
            ]
            if shown:
                step["gc"] = shown
            self._gc_seen = len(self.collections)
        self.steps_out.append(step)
        self.step_ns.append(time.perf_counter_ns())
        self._last = step

    def _stop_record(self) -> dict:
        last = self._last or {}
        return {
            "reason": "max-steps",
            "max_steps": self.options.max_steps,
            "after_step": len(self.steps_out) - 1,
            "file": last.get("f"),
            "line": last.get("l"),
        }

    def _thread_index(self, ident: int, gil_number: int | None) -> int:
        # A thread is its host ident and its GIL number together: the host reuses the
        # ident of a thread that ended for the next one it starts.
        key = (ident, gil_number)
        index = self.threads.get(key)
        if index is None:
            index = self.threads[key] = len(self.thread_info)
            self.thread_info.append({"index": index, "name": f"thread {ident}", "gil": None})
        return index

    def _file_index(self, filename: str) -> int:
        index = self.files.get(filename)
        if index is None:
            index = self.files[filename] = len(self.file_names)
            self.file_names.append(filename)
        return index

    def _state(self, w: Any, threads: list, data: list) -> dict[str, Any]:
        """Return the flat state map of one census (see the table at the top)."""
        state: dict[str, Any] = {}
        gil_numbers = _gil_numbers()
        for thread in threads:
            t = self._thread_index(thread["thread_id"], gil_numbers.get(thread["thread_id"]))
            info = self.thread_info[t]
            info["name"] = thread["name"]
            info["main"] = thread["main"]
            number = gil_numbers.get(thread["thread_id"])
            if number is not None:
                info["gil"] = number
            frames = thread["frames"]
            state[f"T{t}"] = {"frames": len(frames), "left_out": thread["frames_left_out"]}
            for d, f in enumerate(frames):
                ret = f["return_address"]
                static = {
                    "fn": f["function"],
                    "code": f["code"],
                    "file": self._file_index(f["file"]),
                    "key": f["_key"],
                }
                if f["module_level"]:
                    static["module"] = True
                if ret is not None:
                    static["ret"] = [ret["function"], ret["line"], ret["instruction"]]
                if f.get("generator"):
                    static["gen"] = True
                if f.get("library"):
                    static["lib"] = True
                state[f"F{t}.{d}"] = static
                state[f"P{t}.{d}"] = [f["line"], f["instruction"]]
                state[f"V{t}.{d}"] = {
                    "args": [[s["name"], s["ref"]] for s in f["args"]],
                    "locals": [[s["name"], s["ref"]] for s in f["locals"]],
                    "cells": [[c["name"], c["kind"], c["ref"]] for c in f["cells"]],
                    "stack": [s.get("ref") for s in f["stack"]],
                }
        for module in data:
            mod = module["module"]
            for entry in module["globals"]:
                state[f"G{mod}:{entry['name']}"] = entry["ref"]
        guest = w.guest_modules
        for sid in w.order:
            obj = w.objects[sid]
            rec: dict[str, Any] = {
                "type": type(obj).__qualname__,
                "value": short_value(obj, guest),
                "rc": len(w.referrers[sid]),
            }
            edges = w.edges.get(sid)
            if edges:
                rec["refs"] = [[label, to] for label, to in edges]
            if sid in w.unreachable:
                rec["unreachable"] = True
            if sid in w.truncated:
                rec["truncated"] = True
            if type(obj) is Function:
                code = obj.__code__
                rec["code"] = self.snapper.code_id(code)
                rec["params"] = list(code.co_varnames[: _arg_count(code)])
            state[f"H{sid}"] = rec
        for sid in w.generators:
            gen = w.objects[sid]
            frame = gen._frame
            if frame is None:
                how = "finished"
            elif gen._running:
                how = "running"
            else:  # not yet started (inspect's GEN_CREATED), or paused at a yield / await
                how = "created" if frame.f_lasti < 0 else "suspended"
            rec = {"kind": gen._kind, "fn": gen.__qualname__, "state": how}
            if frame is not None:
                lasti = frame.f_lasti
                rec["line"] = (
                    frame.f_code.line_of(lasti) if lasti >= 0 else frame.f_code.co_firstlineno
                )
                rec["instruction"] = lasti
                by_host = w._by_host
                rec["locals"] = [[name, by_host.get(id(v))] for name, v in frame_slots(frame)]
                rec["stack"] = [by_host.get(id(v)) for v in frame.stack if v is not NULL]
            state[f"Y{sid}"] = rec
        return state

    def _delta(self, state: dict[str, Any]) -> dict:
        """Return the step's changes against the previous state, and keep the new one."""
        old = self.state
        changed = {k: v for k, v in state.items() if old.get(k, _MISSING) != v}
        gone = [k for k in old if k not in state]
        self.state = state
        step: dict[str, Any] = {}
        if changed:
            step["set"] = changed
        if gone:
            step["del"] = gone
        return step

    # -- the document ----------------------------------------------------------------

    def document(
        self, status: int, argv: list[str], gil_info: giltrace.RunInfo, tree: Any = None
    ) -> dict:
        """Return the whole trace: docs/trace-json.md (tree: a proctrace.TreeView, or None)."""
        if self.stopped_at_max_steps and self.stopped is None:
            self.stopped = self._stop_record()
        timeline = giltrace.analyse(self.gil.snapshot(), gil_info)
        acquires = _acquire_counts(self.gil.events)
        slot = None
        for step in self.steps_out:
            n = step.pop("gil_events", None)
            if n is None:
                continue
            now = acquires[n] if n < len(acquires) else acquires[-1]
            if now != slot:
                step["slot"] = slot = now
        names = timeline.names()
        codes = [self.snapper._code_record(c) for c in self.snapper.codes]
        for c, code in zip(codes, self.snapper.codes):
            c["file"] = display_path(c["file"])
            if self.options.every_instruction:
                c["dis"] = _disassembly(code)
        sources = {}
        for name in self.file_names:
            sources[display_path(name)] = _read_source(name)
        doc = {
            "schema_version": SCHEMA_VERSION,
            "tool": "pvm trace",
            "program": display_path(self.options.path),
            "argv": list(argv),
            "exit_status": status,
            "settings": {
                "step": "instruction" if self.options.every_instruction else "line",
                "max_steps": self.options.max_steps,
                "max_objects": self.options.max_objects,
            },
            "files": [display_path(n) for n in self.file_names],
            "sources": sources,
            "threads": self.thread_info,
            "code_segment": codes,
            "stdout": self.stdout.text() if self.stdout is not None else "",
            "stderr": self.stderr.text() if self.stderr is not None else "",
            "steps": self.steps_out,
            "stopped": self.stopped,
            "gil": {
                "run": gil_info.as_dict(),
                "threads": [
                    {"number": s.thread, "name": names[s.thread]} for s in timeline.threads
                ],
                "slots": [
                    {
                        "slot": s.index,
                        "holder": s.holder,
                        "start": s.start,
                        "end": s.end,
                        "released": s.released.name.lower() if s.released is not None else None,
                        "detail": s.detail,
                        "cells": {str(t): st.value for t, st in sorted(s.cells.items())},
                    }
                    for s in timeline.slots
                ],
            },
        }
        if tree is not None and len(tree.processes) > 1:
            doc["processes"] = _processes(tree)
            for step, ns in zip(self.steps_out, self.step_ns):
                step["us"] = (ns - tree.t0) // 1000
        return doc


_MISSING = object()


def _processes(tree: Any) -> dict:
    """Return the processes' lanes: each one's GIL holdings and the messages between them."""
    from pvm.observe.giltrace import ThreadState

    lanes = []
    for v in tree.processes:
        held: list[list[int]] = []
        for iv in v.timeline.intervals:
            if iv.state is not ThreadState.HELD:
                continue
            a, b = (v.absolute(iv.start) - tree.t0) // 1000, (v.absolute(iv.end) - tree.t0) // 1000
            if held and a <= held[-1][1]:
                held[-1][1] = max(held[-1][1], b)  # merged: a lane shows the process's GIL
            else:
                held.append([a, b])
        lanes.append(
            {
                "pid": v.pid,
                "name": v.name,
                "how": v.how,
                "exit_status": v.exit_status,
                "clock": v.timeline.info.clock.value,
                "alive": [(v.started - tree.t0) // 1000, (v.ended - tree.t0) // 1000],
                "held": held,
            }
        )
    return {
        "span_us": (tree.end - tree.t0) // 1000,
        "lanes": lanes,
        "messages": [
            {
                "from": m.sender,
                "to": m.receiver,
                "bytes": m.nbytes,
                "sent_us": (m.send.t0 - tree.t0) // 1000,
                "received_us": (m.recv.t1 - tree.t0) // 1000,
            }
            for m in tree.messages
        ],
        "missing": len(tree.missing),
    }


def _disassembly(code: Any) -> list[list]:
    """Return [index, opname, argument shown, line] for each instruction of one code object."""
    from pvm.bytecode.dis import get_instructions

    out = []
    for k, ins in enumerate(get_instructions(code)):
        out.append([k, ins.opname, ins.argrepr, code.line_of(k)])
    return out


def _gil_numbers() -> dict[int, int]:
    """Return host thread id -> the GIL's number for each thread that has one."""
    out = {}
    for tstate in list(all_states().values()):
        rec = getattr(tstate, "gil", None)
        if rec is not None:
            out[tstate.thread_id] = rec.number
    return out


def _acquire_counts(events_: list) -> list[int]:
    """Return, for n = 0..len(events), how many ACQUIRE events the first n hold (= slot)."""
    from pvm.concurrency.gil import EventKind

    out = [0]
    count = 0
    for event in list(events_):
        if event.kind is EventKind.ACQUIRE:
            count += 1
        out.append(count)
    return out


def _gc_record(collection: dict) -> dict:
    return {
        "generation": collection["generation"],
        "collected": collection.get("collected"),
        "freed": [f["id"] for f in collection.get("freed", []) if f["id"] is not None],
        "finalizers": [f["finalizer"] for f in collection.get("finalizers", [])],
    }


def _read_source(filename: str) -> str | None:
    try:
        with open(filename, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def dumps(document: dict) -> str:
    """Return document as compact JSON, one step per line (diffable, and quick to write)."""
    steps = document["steps"]
    head = dict(document, steps=None)
    text = json.dumps(head, separators=(",", ":"))
    marker = '"steps":null'
    body = ",\n".join(json.dumps(s, separators=(",", ":")) for s in steps)
    return text.replace(marker, '"steps":[\n' + body + "\n]", 1) + "\n"
