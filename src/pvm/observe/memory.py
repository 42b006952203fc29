"""Memory snapshots of a running guest program: code segment, stacks, heap, data segment.

What belongs here: the threads' frames at a step and the snapshot document assembled
from a heap walk (docs/memory-json.md): frame records with return addresses, the code
segment, the data segment, generators.  What does not: walking the heap and counting
references (pvm.observe.heap); when snapshots are taken and where they go
(pvm.observe.memory_session, which publishes them on pvm.vm.events.Topic.MEMORY).
"""

from __future__ import annotations

import weakref
from typing import Any

from pvm.bytecode.code import INSTRUCTION_SIZE
from pvm.observe import sharedmem, tasks
from pvm.observe.heap import (
    Registry,
    Walker,
    find_unreachable,
    frame_slots,
    guest_module_dicts,
    is_dunder,
    is_library_code,
    short_value,
)
from pvm.vm import hooks
from pvm.vm.function import Function
from pvm.vm.null import NULL
from pvm.vm.threadstate import all_states

SCHEMA_VERSION = 1
DEFAULT_MAX_OBJECTS = 500
MAX_FRAMES = 100  # innermost frames shown per thread


def _arg_count(code: Any) -> int:
    flags = code.co_flags
    return code.co_argcount + code.co_kwonlyargcount + bool(flags & 0x04) + bool(flags & 0x08)


def thread_frames(
    current: Any = None, max_frames: int = MAX_FRAMES
) -> list[tuple[Any, list[tuple[Any, int]], int]]:
    """Return (thread state, [(frame, instruction index)] bottom first, frames left out).

    current is (tstate, frame, index) of the step being observed: that frame stands at
    index; other threads' innermost frames at their live position.  Only the
    innermost max_frames frames of a thread are taken (deep recursion stays cheap).
    """
    out = []
    states = sorted(all_states().values(), key=_main_first)
    for tstate in states:
        frames = []
        f = tstate.frame
        innermost = True
        while f is not None:
            if len(frames) == max_frames:
                break
            if current is not None and f is current[1]:
                index = current[2]
            elif innermost:
                index = live_lasti(f)
            else:
                index = f.f_lasti
            frames.append((f, index))
            innermost = False
            f = f.f_back
        if frames or (current is not None and tstate is current[0]):
            frames.reverse()
            left_out = max(0, tstate.depth - len(frames)) if f is not None else 0
            out.append((tstate, frames, left_out))
    return out


def live_lasti(frame: Any) -> int:
    """Return a running frame's instruction index, making no garbage (hooks.live_index)."""
    return hooks.live_index(frame)


def _main_first(tstate: Any) -> tuple:
    import threading

    main = threading.main_thread().ident
    return (tstate.thread_id != main, tstate.thread_id)


def _thread_name(ident: int) -> str:
    import threading

    from pvm.runtime import world

    guest = world.current()
    if guest is not None:
        # The guest's threading.py runs on pvm: read its table of threads and each
        # one's _name (the name property is guest code, which an observer must not run).
        active = getattr(guest.modules.get("threading"), "__dict__", {}).get("_active")
        thread = active.get(ident) if type(active) is dict else None
        name = vars(thread).get("_name") if thread is not None else None
        if isinstance(name, str):
            return name
    for t in threading.enumerate():
        if t.ident == ident:
            return t.name
    return f"thread {ident}"


class Snapshotter:
    """Takes snapshots (plain dicts, the JSON schema of docs/memory-json.md) and censuses."""

    def __init__(self, registry: Registry, max_objects: int, show_all: bool) -> None:
        self.registry = registry
        self.max_objects = max_objects
        self.show_all = show_all
        self.codes: list = []  # the code segment: code objects in load order
        self._code_seen: set = set()
        self._attr_set: set = set()
        self._frames: dict[int, tuple] = {}  # id(frame) -> (weak reference, serial)
        self._frame_count = 0
        self.attr_names: tuple = ()
        self._heap_referrers: dict[int, set[int]] = {}  # of the last census
        # host id -> (stable id, type name, short value) of the objects the last census
        # found alive but unreachable (what the cycle collector may free next).
        self.last_unreachable: dict[int, tuple] = {}

    def load_code(self, code: Any) -> None:
        """Add a module's code object and the code objects nested in it to the code segment."""
        todo = [code]
        while todo:
            c = todo.pop(0)
            if id(c) in self._code_seen:
                continue
            self._code_seen.add(id(c))
            self.codes.append(c)
            self.registry.code_ids[id(c)] = f"c{len(self.codes)}"
            fresh = [n for n in c.co_names if n not in self._attr_set]
            self._attr_set.update(fresh)
            self.attr_names += tuple(fresh)
            todo.extend(
                k for k in c.co_consts if hasattr(k, "co_code") and hasattr(k, "co_qualname")
            )

    def code_id(self, code: Any) -> str | None:
        """Return the code segment id ("c1", ...) of a loaded code object, or None."""
        return self.registry.code_ids.get(id(code))

    # -- the census ----------------------------------------------------------------

    def census(self, current: Any = None) -> tuple[Walker, list, list]:
        """Walk the heap from the roots; return (walker, threads' frame records, globals)."""
        w = Walker(self.registry, self.max_objects, self.show_all)
        modules = guest_module_dicts()
        w.guest_modules = frozenset(name for name, _d in modules)
        w.attr_names = self.attr_names
        data = []
        for mod_name, d in modules:
            names = []
            for name, value in list(d.items()):
                if is_dunder(name) and not self.show_all:
                    continue
                names.append({"name": name, "ref": w.ref(value, f"global {name}")})
            data.append({"module": mod_name, "globals": names})
        # Suspended asyncio tasks: only the event loop holds them (library objects), so
        # their coroutines and frames are roots of their own (docs/tasks.md).
        for label, coro in tasks.suspended_coroutines():
            w.ref(coro, label)
        w.walk()
        threads = []
        main_ident = __import__("threading").main_thread().ident
        for tstate, frames, left_out in thread_frames(current):
            records = []
            for depth, (frame, index) in enumerate(frames):
                caller = frames[depth - 1][0] if depth else frame.f_back
                records.append(self._frame_record(w, frame, index, caller))
                w.walk()
            threads.append(
                {
                    "thread_id": tstate.thread_id,
                    "name": _thread_name(tstate.thread_id),
                    "main": tstate.thread_id == main_ident,
                    "frames": records,
                    "frames_left_out": left_out,
                }
            )
        self._find_unreachable(w)
        return w, threads, data

    def _frame_record(self, w: Walker, frame: Any, index: int, caller: Any) -> dict:
        code = frame.f_code
        where = f"{code.co_qualname}()"
        nargs = _arg_count(code)
        args, local_vars, cells, stack = [], [], [], []
        library = is_library_code(code)
        # A library frame (a guest world runs threading.py, importlib on pvm) is shown
        # where it is on the stack; its variables are the library's, walked and
        # counted only with --all, as natively, where the library had no frames.
        walked = self.show_all or not library
        for i, (name, value) in enumerate(zip(code.co_varnames, frame.fast)):
            if not walked:
                break
            if value is NULL:
                continue
            entry = {"name": name, "ref": w.ref(value, f"{where}.{name}")}
            (args if i < nargs else local_vars).append(entry)
        ncell = len(code.co_cellvars)
        for i, (name, cell) in enumerate(zip(code.co_cellvars + code.co_freevars, frame.cells)):
            if not walked:
                break
            kind = "cell" if i < ncell else "free"
            cells.append({"name": name, "kind": kind, "ref": w.ref(cell, f"{where}.{name}")})
        if walked and frame.f_locals is not None and frame.f_locals is not frame.f_globals:
            for name, value in list(frame.f_locals.items()):
                if is_dunder(name) and not self.show_all:
                    continue
                local_vars.append({"name": name, "ref": w.ref(value, f"{where}.{name}")})
        for i, value in enumerate(list(frame.stack) if walked else ()):
            if value is NULL:
                stack.append({"null": True})
            else:
                stack.append({"ref": w.ref(value, f"{where} stack[{i}]")})
        record = {
            "function": code.co_qualname,
            "code": self.code_id(code),
            "file": code.co_filename,
            "instruction": index,
            "offset": max(index, 0) * INSTRUCTION_SIZE,
            "line": code.line_of(index) if index >= 0 else code.co_firstlineno,
            "module_level": frame.f_locals is frame.f_globals,
            "args": args,
            "locals": local_vars,
            "cells": cells,
            "stack": stack,
            "return_address": None,
            "_key": self._frame_serial(frame),  # which frame (for --refs; not reported)
        }
        if caller is not None:
            back = caller.f_lasti
            record["return_address"] = {
                "function": caller.f_code.co_qualname,
                "code": self.code_id(caller.f_code),
                "instruction": back + 1,
                "offset": (back + 1) * INSTRUCTION_SIZE,
                "line": caller.f_code.line_of(back),
            }
        if getattr(frame, "f_generator", None) is not None:
            record["generator"] = True
        if library:
            record["library"] = True
        return record

    def _frame_serial(self, frame: Any) -> int:
        """Return a number that tells this frame from any other of the run."""
        entry = self._frames.get(id(frame))
        if entry is not None and entry[0]() is frame:
            return entry[1]
        for key in [k for k, (ref, _n) in self._frames.items() if ref() is None]:
            del self._frames[key]
        self._frame_count += 1
        self._frames[id(frame)] = (weakref.ref(frame), self._frame_count)
        return self._frame_count

    def _find_unreachable(self, w: Walker) -> None:
        """Find the objects of earlier walks that are alive but no longer reachable."""
        last, self._heap_referrers = self._heap_referrers, w.heap_referrers
        self.last_unreachable = find_unreachable(w, self.registry, last)

    # -- snapshots -----------------------------------------------------------------

    def snapshot(self, trigger: dict, current: Any = None) -> dict:
        """Return one snapshot: see docs/memory-json.md."""
        w, threads, data = self.census(current)
        try:
            return self._build(w, trigger, threads, data)
        finally:
            w.objects.clear()

    def _build(self, w: Walker, trigger: dict, threads: list, data: list) -> dict:
        heap = []
        for sid in w.order:
            obj = w.objects[sid]
            entry = {
                "id": sid,
                "type": type(obj).__qualname__,
                "value": short_value(obj, w.guest_modules),
                "refcount": len(w.referrers[sid]),
                "referrers": list(w.referrers[sid]),
                "refs": [{"label": lb, "to": t} for lb, t in w.edges.get(sid, [])],
                "reachable": sid not in w.unreachable,
            }
            if sid in w.truncated:
                entry["truncated"] = True
            if type(obj) is Function:
                entry["code"] = self.code_id(obj.__code__)
            elif sharedmem.is_shared_memory(obj):
                entry["shared_memory"] = sharedmem.describe(obj)
            heap.append(entry)
        generators = []
        for sid in w.generators:
            gen = w.objects[sid]
            frame = gen._frame
            state = "finished" if frame is None else ("running" if gen._running else "suspended")
            rec = {"id": sid, "kind": gen._kind, "function": gen.__qualname__, "state": state}
            if frame is not None:
                rec["line"] = (
                    frame.f_code.line_of(frame.f_lasti)
                    if frame.f_lasti >= 0
                    else frame.f_code.co_firstlineno
                )
                rec["instruction"] = frame.f_lasti
                rec["locals"] = [
                    {"name": name, "ref": _sid_of(w, v)} for name, v in frame_slots(frame)
                ]
                rec["stack"] = [{"ref": _sid_of(w, v)} for v in frame.stack if v is not NULL]
            generators.append(rec)
        constants = []
        for code in self.codes:
            constants.append(
                {"code": self.code_id(code), "consts": [_const(self, c) for c in code.co_consts]}
            )
        snap = {
            "trigger": trigger,
            "code_segment": [self._code_record(c) for c in self.codes],
            "threads": threads,
            "generators": generators,
            "heap": {
                "objects": heap,
                "max_objects": self.max_objects,
                "left_out": w.left_out,
                "shared_by_threads": len(threads) > 1,
            },
            "data_segment": {"modules": data, "constants": constants},
        }
        shared = self._shared_memory(heap)
        if shared:  # only when the process maps a block: other snapshots stay as they were
            snap["shared_memory"] = shared
        return snap

    def _shared_memory(self, heap: list[dict]) -> list[dict]:
        """Return the shared memory blocks mapped now, each with the objects that hold it."""
        blocks = sharedmem.mapped_blocks()
        holders: dict[str, list[int]] = {}
        for entry in heap:
            name = entry.get("shared_memory", {}).get("name")
            if name is not None:
                key = name if name.startswith("/") else "/" + name
                holders.setdefault(key, []).append(entry["id"])
        for block in blocks:
            block["objects"] = holders.get(block["name"], [])
        return blocks

    def _code_record(self, code: Any) -> dict:
        return {
            "id": self.code_id(code),
            "qualname": code.co_qualname,
            "file": code.co_filename,
            "first_line": code.co_firstlineno,
            "instructions": len(code.co_code) // INSTRUCTION_SIZE,
            "bytes": len(code.co_code),
            "consts": [_const(self, c) for c in code.co_consts],
            "names": list(code.co_names),
            "varnames": list(code.co_varnames),
        }


def _sid_of(w: Walker, value: Any) -> int | None:
    return w._by_host.get(id(value))


def _const(snap: Snapshotter, value: Any) -> str:
    code_id = snap.code_id(value)
    if code_id is not None:
        return f"<code {value.co_qualname} {code_id}>"
    if type(value) is tuple:
        return (
            "(" + ", ".join(_const(snap, v) for v in value) + ("," if len(value) == 1 else "") + ")"
        )
    return short_value(value)
