"""Memory snapshots of a running guest program: code segment, stacks, heap, data segment."""

# The heap is a graph walk over host objects (guest values are host objects) from the
# program's roots, never a call into guest code: values are shown by pvm's own short
# rendering, not by the guest's __repr__.
#
#   roots                          heap (stable ids, discovery order)
#   -----                          ----------------------------------
#   module globals (data segment)  #1 int 10      <- global x, add().a
#   frame fast locals, cells  ---> #2 function    <- global add
#   frame value stacks             #3 list        <- global a, #4[0], #4[1]
#   suspended generator frames     #4 list [#3, #3]
#
# A reference count is the number of references the program holds to an object: one
# per binding of a global name, per frame slot (argument, local, cell/free variable
# slot, value-stack entry) and per outgoing reference of another heap object (container
# element, dict key and value, attribute, closure cell, cell contents, bound method
# parts, an instance's guest class).  Constants held by code objects and the
# interpreter's own references are not counted.  docs/memory.md says it for users.

from __future__ import annotations

import gc
import itertools
import sys
import types
import weakref
from typing import Any

from pvm.bytecode.code import INSTRUCTION_SIZE
from pvm.vm.null import NULL
from pvm.vm.function import Function
from pvm.vm.generator import AsyncGenerator, Coroutine, Generator
from pvm.vm.threadstate import all_states

SCHEMA_VERSION = 1
DEFAULT_MAX_OBJECTS = 500
MAX_FRAMES = 100  # innermost frames shown per thread

# Types shown by value and never walked (no outgoing references).
_SCALARS = (int, float, complex, bool, str, bytes, type(None), type(...), type(NotImplemented))
_SCALAR_TYPES = frozenset(_SCALARS)
_GENERATORS = (Generator, Coroutine, AsyncGenerator)
_CONTAINERS = frozenset((list, tuple, dict, set, frozenset))
_VALUE_WIDTH = 40


def short_value(obj: Any, guest_modules: frozenset = frozenset()) -> str:
    """Return pvm's own short rendering of obj, without running guest code."""
    t = type(obj)
    if t in _SCALAR_TYPES:
        text = repr(obj)
        if len(text) > _VALUE_WIDTH:
            text = text[: _VALUE_WIDTH - 3] + "..."
        return text
    if t is list or t is tuple or t is dict or t is set or t is frozenset:
        return f"{t.__name__} len={len(obj)}"
    if t is Function:
        return f"<function {getattr(obj, '__qualname__', '?')}>"
    if t in _GENERATORS:
        return f"<{obj._kind} {getattr(obj, '__qualname__', '?')}>"
    if t is types.CellType:
        return "<cell>"
    if t is types.ModuleType:
        return f"<module {getattr(obj, '__name__', '?')!r}>"
    if t is types.MethodType:
        return f"<bound method {getattr(obj.__func__, '__qualname__', '?')}>"
    if isinstance(obj, type):
        return f"<class {getattr(obj, '__qualname__', '?')!r}>"
    if isinstance(obj, (types.BuiltinFunctionType, types.FunctionType)):
        return f"<built-in function {getattr(obj, '__name__', '?')}>"
    if isinstance(obj, BaseException) and t.__module__ == "builtins":
        return f"{t.__name__}({', '.join(short_value(a) for a in obj.args[:3])})"
    return f"<{t.__qualname__} object>"


class Registry:
    """Stable object ids for one run: numbered in discovery order, kept while they live.

    Holds no reference to the objects (that would change when they are freed): it maps
    the host id() and type to the stable id, and forgets objects that a walk no longer
    finds, so an address reused by a new object within one step is the one confusion.
    """

    def __init__(self) -> None:
        # Two flat maps, not a map of tuples: what pvm memory keeps between steps
        # must not add to the collector's allocation count (it would move the
        # guest's automatic collections).
        self._sids: dict[int, int] = {}
        self._types: dict[int, type] = {}
        self._next = 1
        self.code_ids: dict[int, str] = {}

    def sid(self, obj: Any) -> int:
        """Return obj's stable id, giving it the next one if it has none."""
        key = id(obj)
        n = self._sids.get(key)
        if n is not None and self._types[key] is type(obj):
            return n
        n = self._next
        self._next = n + 1
        self._sids[key] = n
        self._types[key] = type(obj)
        return n

    def lookup(self, obj: Any) -> int | None:
        """Return obj's stable id, or None if it has none."""
        key = id(obj)
        n = self._sids.get(key)
        return n if n is not None and self._types[key] is type(obj) else None

    def known(self) -> dict[int, tuple[int, type]]:
        """Return the id() -> (stable id, type) map (a new dict)."""
        types_ = self._types
        return {k: (n, types_[k]) for k, n in self._sids.items()}

    def forget(self, keys: Any) -> None:
        """Forget the objects with these host ids."""
        for key in keys:
            self._sids.pop(key, None)
            self._types.pop(key, None)


def guest_module_dicts() -> list[tuple[str, dict]]:
    """Return (name, globals) of the modules that run on pvm: __main__ and the program's own."""
    from pvm.runtime.importer import PvmLoader

    out = []
    seen = set()
    modules = sys.modules
    # By name, not items(): a tuple per host module would add to the collector's count
    # (freed tuples go to a free list uncounted), which the guest's gc.get_count() sees.
    for name in ["__main__", *sorted(modules, key=str)]:
        d = getattr(modules.get(name), "__dict__", None)
        if type(d) is not dict or id(d) in seen:
            continue
        if name != "__main__" and not isinstance(d.get("__loader__"), PvmLoader):
            continue
        seen.add(id(d))
        out.append((d.get("__name__", name), d))
    return out


def _is_dunder(name: Any) -> bool:
    return type(name) is str and name.startswith("__") and name.endswith("__")


class Walker:
    """One census of the heap: which objects the program reaches and who refers to them."""

    def __init__(self, registry: Registry, max_objects: int, show_all: bool) -> None:
        self.registry = registry
        self.max_objects = max_objects
        self.show_all = show_all
        self.objects: dict[int, Any] = {}  # stable id -> object (only during the walk)
        self.order: list[int] = []
        self.edges: dict[int, list] = {}  # stable id -> [(label, target stable id)]
        self.referrers: dict[int, list[str]] = {}  # stable id -> referrer labels
        self.unreachable: set[int] = set()
        self.left_out = 0
        self.generators: list[int] = []
        self.truncated: set[int] = set()
        self._by_host: dict[int, int] = {}  # id() -> stable id, for this walk
        self.heap_referrers: dict[int, set[int]] = {}  # stable id -> referring heap ids
        self._from: int | None = None
        self._pending: list = []
        self.guest_modules: frozenset = frozenset()
        self.attr_names: tuple = ()  # attribute names the program's code uses

    # -- discovering objects -------------------------------------------------------

    def ref(self, obj: Any, referrer: str) -> int | None:
        """Count one reference to obj from referrer; return its stable id (None if left out)."""
        key = id(obj)
        sid = self._by_host.get(key)
        if sid is None:
            if len(self.order) >= self.max_objects:
                self.left_out += 1
                return None
            sid = self.registry.sid(obj)
            self._by_host[key] = sid
            self.objects[sid] = obj
            self.order.append(sid)
            self.referrers[sid] = []
            self._pending.append(sid)
        self.referrers[sid].append(referrer)
        if self._from is not None:
            self.heap_referrers.setdefault(sid, set()).add(self._from)
        return sid

    def walk(self) -> None:
        """Follow outgoing references from every discovered object until none is new."""
        pending = self._pending
        i = 0
        while i < len(pending):
            sid = pending[i]
            i += 1
            obj = self.objects[sid]
            out = []
            refs = self.referents(obj)
            size = len(obj) if type(obj) in _CONTAINERS else 0
            if size > self.max_objects:
                # A huge container: the part past the limit is left out (and its
                # references are not counted).
                self.left_out += size - self.max_objects
                self.truncated.add(sid)
            self._from = sid
            for label, value in refs:
                target = self.ref(value, f"#{sid}{label}")
                out.append((label, target))
            self._from = None
            self.edges[sid] = out
        pending.clear()

    def referents(self, obj: Any) -> list:
        """Return obj's outgoing references as (label, value) pairs: see the module comment."""
        t = type(obj)
        if t in _SCALAR_TYPES:
            return []
        cap = self.max_objects
        if t is list or t is tuple:
            return [(f"[{i}]", v) for i, v in enumerate(obj[:cap])]
        if t is dict:
            out = []
            for k, v in list(itertools.islice(obj.items(), cap)):
                out.append((" key", k))
                out.append((f"[{short_value(k)}]", v))
            return out
        if t is set or t is frozenset:
            return [(" member", v) for v in list(itertools.islice(obj, cap))]
        if t is types.CellType:
            try:
                return [(".cell_contents", obj.cell_contents)]
            except ValueError:
                return []
        if t is Function:
            return self._function_refs(obj)
        if t is types.MethodType:
            return [(".__self__", obj.__self__), (".__func__", obj.__func__)]
        if t in _GENERATORS:
            self.generators.append(self._by_host[id(obj)])
            frame = obj._frame
            if frame is None:
                return []
            return [(f".{name}", v) for name, v in frame_slots(frame)] + [
                (f".stack[{i}]", v) for i, v in enumerate(frame.stack) if v is not NULL
            ]
        if isinstance(obj, type):
            if obj.__module__ not in self.guest_modules and not self.show_all:
                return []
            out = [
                (f".{name}", v)
                for name, v in list(obj.__dict__.items())
                if not _is_dunder(name) or type(v) is Function
            ]
            out += [
                (f".__bases__[{i}]", b)
                for i, b in enumerate(obj.__bases__)
                if b.__module__ in self.guest_modules
            ]
            return out
        if t.__module__ in self.guest_modules:
            return self._instance_refs(obj, t)
        if self.show_all:
            if t is types.ModuleType:
                return []
            return [(" ref", v) for v in gc.get_referents(obj) if type(v) is not dict or v]
        return []

    def _function_refs(self, fn: Function) -> list:
        out: list = []
        for i, v in enumerate(fn.__defaults__ or ()):
            out.append((f".__defaults__[{i}]", v))
        for k, v in (fn.__kwdefaults__ or {}).items():
            out.append((f".__kwdefaults__[{k!r}]", v))
        for i, cell in enumerate(fn.__closure__ or ()):
            out.append((f".__closure__[{i}]", cell))
        d = fn.__dict__
        if d:
            out += [(f".{k}", v) for k, v in d.items()]
        return out

    def _instance_refs(self, obj: Any, t: type) -> list:
        """An instance's class and attributes, read without running guest code.

        Reading ``obj.__dict__`` would make CPython 3.11 build a dict for an instance
        whose attributes are stored inline, and the guest's gc.collect() would then
        count it: the attributes are found by name (the program's attribute names,
        from its code objects) with object.__getattribute__ instead, and checked
        against gc.get_referents.
        """
        out: list = [(".__class__", t)]
        referents = [r for r in gc.get_referents(obj) if r is not t]
        found: list = []
        class_attrs: dict = {}
        for klass in reversed(t.__mro__):
            class_attrs.update(klass.__dict__)
        slots = set()
        for klass in t.__mro__:
            for slot in klass.__dict__.get("__slots__", ()):
                if slot in ("__dict__", "__weakref__") or slot in slots:
                    continue
                slots.add(slot)
                try:
                    found.append((slot, object.__getattribute__(obj, slot)))
                except AttributeError:
                    pass
        for name in self.attr_names:
            if name in slots:
                continue
            missing = object()
            attr = class_attrs.get(name, missing)
            if attr is not missing and hasattr(type(attr), "__get__"):
                continue  # a descriptor: reading it could run guest code
            try:
                value = object.__getattribute__(obj, name)
            except AttributeError:
                continue
            if value is attr:
                continue  # the class attribute, not the instance's
            found.append((name, value))
        ids = {id(r) for r in referents}
        if all(id(v) in ids for _n, v in found):
            # Attributes stored inline (or slots): label each referent by its name.
            by_id: dict = {}
            for name, value in found:
                by_id.setdefault(id(value), []).append(name)
            for value in referents:
                names = by_id.get(id(value))
                label = names.pop(0) if names else "?"
                out.append((f".{label}", value))
            return out
        for value in referents:
            if type(value) is dict and not (slots and any(v is value for _n, v in found)):
                # The instance's own __dict__ (already made): its items.
                out += [(f".{k}", v) for k, v in list(value.items())]
            else:
                names = [n for n, v in found if v is value]
                out.append((f".{names[0] if names else '?'}", value))
        return out


def frame_slots(frame: Any) -> list[tuple[str, Any]]:
    """Return (name, value) of a frame's bound fast locals and cell/free variable slots."""
    code = frame.f_code
    out = [(name, v) for name, v in zip(code.co_varnames, frame.fast) if v is not NULL]
    out += list(zip(code.co_cellvars + code.co_freevars, frame.cells))
    return out


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
    """Return a running frame's instruction index (Frame.live_lasti), making no garbage.

    sys._current_frames() in a function makes a cycle (this host frame -> the dict ->
    this host frame): the dict is cleared before returning, so that the guest's
    gc.collect() finds nothing of ours.
    """
    from pvm.vm import interpreter

    run_code = interpreter._run.__code__
    threads = sys._current_frames()
    try:
        for host in threads.values():
            while host is not None:
                if host.f_code is run_code:
                    local = host.f_locals  # a snapshot CPython 3.11 keeps on the frame:
                    inner, pc = local.get("frame"), local.get("pc")
                    local.clear()  # cleared, it keeps no guest object alive
                    if inner is frame and isinstance(pc, int):
                        return pc - 1
                host = host.f_back
        return frame.f_lasti
    finally:
        threads.clear()
        host = local = inner = None


def _main_first(tstate: Any) -> tuple:
    import threading

    main = threading.main_thread().ident
    return (tstate.thread_id != main, tstate.thread_id)


def _thread_name(ident: int) -> str:
    import threading

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
                if _is_dunder(name) and not self.show_all:
                    continue
                names.append({"name": name, "ref": w.ref(value, f"global {name}")})
            data.append({"module": mod_name, "globals": names})
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
        args, local_vars, cells = [], [], []
        for i, (name, value) in enumerate(zip(code.co_varnames, frame.fast)):
            if value is NULL:
                continue
            entry = {"name": name, "ref": w.ref(value, f"{where}.{name}")}
            (args if i < nargs else local_vars).append(entry)
        ncell = len(code.co_cellvars)
        for i, (name, cell) in enumerate(zip(code.co_cellvars + code.co_freevars, frame.cells)):
            kind = "cell" if i < ncell else "free"
            cells.append({"name": name, "kind": kind, "ref": w.ref(cell, f"{where}.{name}")})
        if frame.f_locals is not None and frame.f_locals is not frame.f_globals:
            for name, value in list(frame.f_locals.items()):
                if _is_dunder(name) and not self.show_all:
                    continue
                local_vars.append({"name": name, "ref": w.ref(value, f"{where}.{name}")})
        stack = []
        for i, value in enumerate(list(frame.stack)):
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
        found = {id(o) for o in w.objects.values()}
        missing = {k: v for k, v in self.registry.known().items() if k not in found}
        last = self._heap_referrers
        self._heap_referrers = w.heap_referrers
        self.last_unreachable = {}
        if not missing:
            return
        # Only an object that another now-missing object (or itself) referred to can be
        # alive without being reachable (a cycle); one that only roots referred to is
        # gone.  (Looking only for these keeps a new object at a freed one's address
        # from being taken for it.)
        missing_sids = {sid for sid, _t in missing.values()}
        suspects = {
            k: v
            for k, v in missing.items()
            if v[1] not in _SCALAR_TYPES and last.get(v[0], set()) & missing_sids
        }
        alive = []
        if suspects:
            for obj in gc.get_objects():
                entry = suspects.get(id(obj))
                if entry is not None and entry[1] is type(obj):
                    alive.append(obj)
        alive = _held_by_each_other(alive)
        for obj in alive:
            if id(obj) not in w._by_host:
                w._by_host[id(obj)] = sid = self.registry.sid(obj)
                w.objects[sid] = obj
                w.order.append(sid)
                w.referrers[sid] = []
                w._pending.append(sid)
                w.unreachable.add(sid)
        del alive
        before = set(w.order)
        w.walk()
        w.unreachable.update(sid for sid in w.order if sid not in before)
        # Gone: what neither the roots nor the unreachable objects lead to.
        self.registry.forget(k for k in missing if k not in w._by_host)
        self.last_unreachable = {
            id(w.objects[sid]): (
                sid,
                type(w.objects[sid]).__qualname__,
                short_value(w.objects[sid], w.guest_modules),
            )
            for sid in w.unreachable
        }

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
        return {
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


def _held_by_each_other(objects: list) -> list:
    """Keep the objects that one of the kept ones refers to (a cycle or what it holds).

    A new object at a freed object's address is referred to by none of them.
    """
    kept = list(objects)
    while True:
        held = set()
        for obj in kept:
            held.update(id(r) for r in gc.get_referents(obj))
        now = [obj for obj in kept if id(obj) in held]
        if len(now) == len(kept):
            return now
        kept = now


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
