"""pvm's __build_class__ and the zero-argument super() that reads the guest frame.

What belongs here: ``__build_class__`` for guest class bodies (bases, metaclass,
``__prepare__``, ``__classcell__``) and the zero-argument ``super()`` that finds its
arguments in the calling guest frame.  What does not: guest functions (pvm.vm.function),
the guest's builtins dict that lends them out (pvm.runtime.builtins).
"""

from __future__ import annotations

import builtins
import types
from typing import Any

from pvm.vm.frame import Frame
from pvm.vm.function import Function, make_cells
from pvm.vm.null import NULL
from pvm.vm.threadstate import current

_host_super = builtins.super


def _update_bases(bases: tuple) -> tuple:
    """Resolve __mro_entries__ of non-class bases (PEP 560), as CPython's update_bases."""
    new: list | None = None
    for i, base in enumerate(bases):
        if isinstance(base, type):
            if new is not None:
                new.append(base)
            continue
        meth = getattr(base, "__mro_entries__", None)
        if meth is None:
            if new is not None:
                new.append(base)
            continue
        entries = meth(bases)
        if not isinstance(entries, tuple):
            raise TypeError("__mro_entries__ must return a tuple")
        if new is None:
            new = list(bases[:i])
        new.extend(entries)
    return bases if new is None else tuple(new)


def _calculate_metaclass(meta: type, bases: tuple) -> type:
    winner = meta
    for base in bases:
        t = type(base)
        if issubclass(winner, t):
            continue
        if issubclass(t, winner):
            winner = t
            continue
        raise TypeError(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) "
            "subclass of the metaclasses of all its bases"
        )
    return winner


def _wrap_implicit_methods(ns: Any) -> None:
    """Do what type.__new__ does for plain functions, which it cannot see in a Function."""
    for key, wrapper in _IMPLICIT:
        try:
            value = ns[key]
        except KeyError:
            continue
        if type(value) is Function:
            ns[key] = wrapper(value)


_IMPLICIT = (
    ("__new__", staticmethod),
    ("__init_subclass__", classmethod),
    ("__class_getitem__", classmethod),
)


def build_class(func: Any, name: Any, /, *bases: Any, metaclass: Any = None, **kwds: Any) -> Any:
    """Create a class as CPython's builtins.__build_class__, running the body on pvm."""
    if not isinstance(func, Function):
        raise TypeError("__build_class__: func must be a function")
    if not isinstance(name, str):
        raise TypeError("__build_class__: name is not a string")
    orig_bases = bases
    bases = _update_bases(bases)
    if metaclass is None:
        meta: Any = type(bases[0]) if bases else type
        isclass = True
    else:
        meta = metaclass
        isclass = isinstance(meta, type)
    if isclass:
        meta = _calculate_metaclass(meta, bases)
    prepare = getattr(meta, "__prepare__", None)
    ns = {} if prepare is None else prepare(name, bases, **kwds)
    if not hasattr(type(ns), "__getitem__") or not hasattr(type(ns), "keys"):
        meta_name = meta.__name__ if isclass else "<metaclass>"
        raise TypeError(f"{meta_name}.__prepare__() must return a mapping, not {type(ns).__name__}")
    from pvm.vm.interpreter import run_frame

    code = func.__code__
    fast = [NULL] * len(code.co_varnames)
    cells = make_cells(func, fast)
    frame = Frame(code, func.__globals__, func._builtins, ns, fast, cells)
    cell = run_frame(frame)
    if bases is not orig_bases:
        ns["__orig_bases__"] = orig_bases
    _wrap_implicit_methods(ns)
    cls = meta(name, bases, ns, **kwds)
    if isinstance(cls, type) and isinstance(cell, types.CellType):
        try:
            cell_cls = cell.cell_contents
        except ValueError:
            cell_cls = NULL
        if cell_cls is not cls:
            if cell_cls is NULL:
                raise RuntimeError(
                    f"__class__ not set defining {name!r} as {cls!r}. "
                    "Was __classcell__ propagated to type.__new__?"
                )
            raise TypeError(f"__class__ set to {cell_cls!r} defining {name!r} as {cls!r}")
    return cls


def _super_arguments() -> tuple[type, Any]:
    """Find super()'s (__class__, first argument) in the calling guest frame."""
    frame = current().frame
    if frame is None:
        raise RuntimeError("super(): no current frame")
    code = frame.f_code
    if code.co_argcount == 0:
        raise RuntimeError("super(): no arguments")
    obj = frame.fast[0] if frame.fast else NULL
    dec = code._decoded
    if 0 in dec.cell2arg:
        try:
            obj = frame.cells[dec.cell2arg.index(0)].cell_contents
        except ValueError:
            obj = NULL
    if obj is NULL:
        raise RuntimeError("super(): arg[0] deleted")
    try:
        index = code.co_freevars.index("__class__")
    except ValueError:
        raise RuntimeError("super(): __class__ cell not found") from None
    try:
        klass = frame.cells[len(code.co_cellvars) + index].cell_contents
    except ValueError:
        raise RuntimeError("super(): empty __class__ cell") from None
    if not isinstance(klass, type):
        raise RuntimeError(f"super(): __class__ is not a type ({type(klass).__name__})")  # noqa: TRY004  (CPython raises RuntimeError)
    return klass, obj


class super_(_host_super):
    """The guest's super: the host's, with zero-argument calls resolved from the guest frame."""

    __slots__ = ()  # as CPython's: no __dict__ (and sys.getsizeof its size)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs:
            raise TypeError("super() takes no keyword arguments")
        if not args:
            args = _super_arguments()
        elif len(args) > 2:
            # The messages of CPython's vectorcall path, which plain super() calls take.
            raise TypeError(f"super() expected at most 2 arguments, got {len(args)}")
        elif not isinstance(args[0], type):
            raise TypeError(f"super() argument 1 must be a type, not {type(args[0]).__name__}")
        _host_super.__init__(self, *args)


super_.__name__ = super_.__qualname__ = "super"
super_.__module__ = "builtins"
