"""The heap walk behind pvm memory: which objects the program reaches, who refers to them.

What belongs here: stable object ids (Registry), the walk over the object graph from
the program's roots and the reference counts it finds (Walker), pvm's own short
rendering of a value, and finding the objects that are alive but no longer reachable.
What does not: which frames and threads there are, and assembling a snapshot from a
walk (pvm.observe.memory); taking snapshots during a run (pvm.observe.memory_session).
"""

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
import os
import types
import weakref
from typing import Any

from pvm.vm import hooks
from pvm.vm.function import Function
from pvm.vm.generator import AsyncGenerator, Coroutine, Generator
from pvm.vm.null import NULL

# Types shown by value and never walked (no outgoing references).
_SCALARS = (int, float, complex, bool, str, bytes, type(None), type(...), type(NotImplemented))
_SCALAR_TYPES = frozenset(_SCALARS)
_SCALAR_TYPE_IDS = frozenset(id(t) for t in _SCALARS)
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

    Holds no reference to the objects (that would change when they are freed), nor to
    their classes (a guest class keeps its methods' module globals alive, which would
    outlive the program's shutdown): it maps the host id() and the id() of the type to
    the stable id, and forgets objects that a walk no longer finds, so an address reused
    by a new object within one step is the one confusion.
    """

    def __init__(self) -> None:
        # Two flat maps, not a map of tuples: what pvm memory keeps between steps
        # must not add to the collector's allocation count (it would move the
        # guest's automatic collections).
        self._sids: dict[int, int] = {}
        self._types: dict[int, int] = {}  # id(obj) -> id(type(obj))
        self._next = 1
        self.code_ids: dict[int, str] = {}

    def sid(self, obj: Any) -> int:
        """Return obj's stable id, giving it the next one if it has none."""
        key = id(obj)
        n = self._sids.get(key)
        if n is not None and self._types[key] == id(type(obj)):
            return n
        n = self._next
        self._next = n + 1
        self._sids[key] = n
        self._types[key] = id(type(obj))
        return n

    def lookup(self, obj: Any) -> int | None:
        """Return obj's stable id, or None if it has none."""
        key = id(obj)
        n = self._sids.get(key)
        return n if n is not None and self._types[key] == id(type(obj)) else None

    def known(self) -> dict[int, tuple[int, int]]:
        """Return the id() -> (stable id, id() of the type) map (a new dict)."""
        types_ = self._types
        return {k: (n, types_[k]) for k, n in self._sids.items()}

    def forget(self, keys: Any) -> None:
        """Forget the objects with these host ids."""
        for key in keys:
            self._sids.pop(key, None)
            self._types.pop(key, None)


# Which code and modules are the program's (its own files, and __main__) and which are the
# library's: the standard library and installed packages.  Natively (PVM_GUEST_WORLD=0)
# only the program's code runs on pvm, loaded by PvmLoader; in a guest world the library
# runs on pvm too, and the same line is drawn by where its source file lives
# (pvm.runtime.importer.is_guest_dir), so that pvm memory shows the same program.
_LIBRARY_FILES: dict[str, bool] = {}


def is_library_file(filename: str) -> bool:
    """Return True if code from this file is the library's rather than the program's."""
    library = _LIBRARY_FILES.get(filename)
    if library is None:
        from pvm.runtime.importer import is_guest_dir

        if filename.startswith("<frozen "):
            library = True  # importlib and the modules CPython freezes
        elif filename.startswith("<"):
            library = False  # <string>, <stdin>: code the program made
        else:
            library = not is_guest_dir(os.path.dirname(os.path.abspath(filename)))
        _LIBRARY_FILES[filename] = library
    return library


# Code the library made at run time (namedtuple's eval, dataclasses' exec) has a file
# name like the program's exec'd code ("<string>"): it is told apart by who ran it
# (mark_library_code).  id() -> weak reference, so that a freed code object's id reused
# by the program's own code is not taken for the library's.
_LIBRARY_CODES: dict[int, weakref.ref] = {}


def is_library_code(code: Any) -> bool:
    """Return True if a code object is the library's (see is_library_file)."""
    if is_library_file(code.co_filename):
        return True
    ref = _LIBRARY_CODES.get(id(code))
    return ref is not None and ref() is code


def mark_library_code(code: Any) -> None:
    """Take code, made at run time by the library's exec or eval, and its nested code as the library's."""
    todo = [code]
    while todo:
        c = todo.pop()
        _LIBRARY_CODES[id(c)] = weakref.ref(c)
        todo.extend(k for k in c.co_consts if hasattr(k, "co_code") and hasattr(k, "co_qualname"))


def _is_program_module(d: dict) -> bool:
    from pvm.runtime import world
    from pvm.runtime.importer import PvmLoader

    if isinstance(d.get("__loader__"), PvmLoader):
        return True
    if world.current() is None:
        return False  # natively, only PvmLoader's modules run on pvm
    filename = d.get("__file__")
    return type(filename) is str and filename.endswith(".py") and not is_library_file(filename)


def guest_module_dicts() -> list[tuple[str, dict]]:
    """Return (name, globals) of the program's modules: __main__ and its own imports."""
    out = []
    seen = set()
    # The guest's sys.modules: a guest world's own, else the host's.
    modules = hooks.services.modules
    # By name, not items(): a tuple per module would add to the collector's count
    # (freed tuples go to a free list uncounted), which the guest's gc.get_count() sees.
    for name in ["__main__", *sorted(modules, key=str)]:
        d = getattr(modules.get(name), "__dict__", None)
        if type(d) is not dict or id(d) in seen:
            continue
        if name != "__main__" and not _is_program_module(d):
            continue
        seen.add(id(d))
        out.append((d.get("__name__", name), d))
    return out


def is_dunder(name: Any) -> bool:
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
            if not self.show_all and is_library_code(obj.__code__):
                return []  # the library's, as a host function was natively
            return self._function_refs(obj)
        if t is types.MethodType:
            return [(".__self__", obj.__self__), (".__func__", obj.__func__)]
        if t in _GENERATORS:
            if not self.show_all and is_library_code(obj._code):
                return []
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
                if not is_dunder(name) or type(v) is Function
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


def find_unreachable(w: Walker, registry: Registry, last: dict) -> dict[int, tuple]:
    """Add to w the objects of earlier walks that are alive but no longer reachable.

    last is the previous walk's heap_referrers.  Return host id -> (stable id, type
    name, short value) of those objects: what the cycle collector may free next.
    """
    found = {id(o) for o in w.objects.values()}
    missing = {k: v for k, v in registry.known().items() if k not in found}
    if not missing:
        return {}
    # Only an object that another now-missing object (or itself) referred to can be
    # alive without being reachable (a cycle); one that only roots referred to is
    # gone.  (Looking only for these keeps a new object at a freed one's address
    # from being taken for it.)
    missing_sids = {sid for sid, _t in missing.values()}
    suspects = {
        k: v
        for k, v in missing.items()
        if v[1] not in _SCALAR_TYPE_IDS and last.get(v[0], set()) & missing_sids
    }
    alive = []
    if suspects:
        for obj in gc.get_objects():
            entry = suspects.get(id(obj))
            if entry is not None and entry[1] == id(type(obj)):
                alive.append(obj)
    alive = _held_by_each_other(alive)
    for obj in alive:
        if id(obj) not in w._by_host:
            w._by_host[id(obj)] = sid = registry.sid(obj)
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
    registry.forget(k for k in missing if k not in w._by_host)
    return {
        id(w.objects[sid]): (
            sid,
            type(w.objects[sid]).__qualname__,
            short_value(w.objects[sid], w.guest_modules),
        )
        for sid in w.unreachable
    }
