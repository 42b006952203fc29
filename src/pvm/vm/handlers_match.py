"""Instruction handlers for imports and pattern matching.

What belongs here: IMPORT_NAME, IMPORT_FROM, IMPORT_STAR and the MATCH_* / GET_LEN
handlers.  What does not: finding and loading modules (the guest's ``__import__``,
pvm.runtime.importer), the rest of the table (pvm.vm.handlers).
"""

from __future__ import annotations

from typing import Any

from pvm.vm.frame import Frame
from pvm.vm.hooks import GIL_ON, services
from pvm.vm.hooks import gil as _gil
from pvm.vm.null import NULL

# -- imports ---------------------------------------------------------------------------


def IMPORT_NAME(frame: Frame, stack: list, arg: str) -> None:
    fromlist = stack.pop()
    level = stack[-1]
    imp = frame.f_builtins.get("__import__", NULL)
    if imp is NULL:
        raise ImportError("__import__ not found")
    if GIL_ON[0]:  # an import may wait on another thread's import lock
        from pvm.vm.threadstate import current

        args = (arg, frame.f_globals, frame.f_locals, fromlist, level)
        stack[-1] = _gil.native_call(current(), imp, args, None)
    else:
        stack[-1] = imp(arg, frame.f_globals, frame.f_locals, fromlist, level)
        if GIL_ON[0]:  # the import started a thread: the GIL is on
            from pvm.vm.threadstate import current

            _gil.claim(current())


def IMPORT_FROM(frame: Frame, stack: list, arg: str) -> None:
    m = stack[-1]
    try:
        stack.append(getattr(m, arg))
        return
    except AttributeError:
        pass
    pkgname = getattr(m, "__name__", None)
    if isinstance(pkgname, str):
        try:
            stack.append(services.modules[f"{pkgname}.{arg}"])
            return
        except KeyError:
            pass
    else:
        pkgname = "<unknown module name>"
    path = getattr(m, "__file__", None)
    spec = getattr(m, "__spec__", None)
    if spec is not None and getattr(spec, "_initializing", False):
        msg = (
            f"cannot import name '{arg}' from partially initialized module '{pkgname}' "
            f"(most likely due to a circular import) ({path or 'unknown location'})"
        )
    else:
        msg = f"cannot import name '{arg}' from '{pkgname}' ({path or 'unknown location'})"
    raise ImportError(msg, name=pkgname, path=path)


def IMPORT_STAR(frame: Frame, stack: list, arg: int) -> None:
    m = stack.pop()
    locals = frame.f_locals
    try:
        names = m.__all__
        check = True
    except AttributeError:
        names = [n for n in m.__dict__ if not n.startswith("_")]
        check = False
    for name in names:
        if check and not isinstance(name, str):
            raise TypeError(f"Item in {m.__name__}.__all__ must be str, not {type(name).__name__}")
        locals[name] = getattr(m, name)


# -- pattern matching ------------------------------------------------------------------

_MATCH_SELF = (bool, bytearray, bytes, dict, float, frozenset, int, list, set, str, tuple)


def GET_LEN(frame: Frame, stack: list, arg: int) -> None:
    stack.append(len(stack[-1]))


_TPFLAGS_SEQUENCE = 1 << 5
_TPFLAGS_MAPPING = 1 << 6


def MATCH_MAPPING(frame: Frame, stack: list, arg: int) -> None:
    # CPython tests the type's flags (inherited along the MRO, set by ABC registration).
    stack.append(bool(type(stack[-1]).__flags__ & _TPFLAGS_MAPPING))


def MATCH_SEQUENCE(frame: Frame, stack: list, arg: int) -> None:
    stack.append(bool(type(stack[-1]).__flags__ & _TPFLAGS_SEQUENCE))


def MATCH_KEYS(frame: Frame, stack: list, arg: int) -> None:
    keys = stack[-1]
    subject = stack[-2]
    if not keys:
        stack.append(())
        return
    get = subject.get
    dummy = object()
    seen: list = []
    values = []
    for key in keys:
        if key in seen:
            raise ValueError(f"mapping pattern checks duplicate key ({key!r})")
        seen.append(key)
        v = get(key, dummy)
        if v is dummy:
            stack.append(None)
            return
        values.append(v)
    stack.append(tuple(values))


def MATCH_CLASS(frame: Frame, stack: list, arg: int) -> None:
    names = stack.pop()
    cls = stack.pop()
    subject = stack[-1]
    stack[-1] = _match_class(subject, cls, arg, names)


def _match_class(subject: Any, cls: Any, nargs: int, kwnames: tuple) -> Any:
    if not isinstance(cls, type):
        raise TypeError("called match pattern must be a type")
    if not isinstance(subject, cls):
        return None
    seen: set = set()
    attrs = []

    def attr(name: str) -> Any:
        if name in seen:
            raise TypeError(f"{cls.__name__}() got multiple sub-patterns for attribute {name!r}")
        seen.add(name)
        return getattr(subject, name, NULL)

    if nargs:
        match_self = False
        try:
            match_args = cls.__match_args__
        except AttributeError:
            match_args = ()
            match_self = issubclass(cls, _MATCH_SELF)
        else:
            if not isinstance(match_args, tuple):
                raise TypeError(
                    f"{cls.__name__}.__match_args__ must be a tuple "
                    f"(got {type(match_args).__name__})"
                )
        allowed = 1 if match_self else len(match_args)
        if allowed < nargs:
            plural = "" if allowed == 1 else "s"
            raise TypeError(
                f"{cls.__name__}() accepts {allowed} positional sub-pattern{plural} ({nargs} given)"
            )
        if match_self:
            attrs.append(subject)
        else:
            for i in range(nargs):
                name = match_args[i]
                if not isinstance(name, str):
                    raise TypeError(
                        f"__match_args__ elements must be strings (got {type(name).__name__})"
                    )
                v = attr(name)
                if v is NULL:
                    return None
                attrs.append(v)
    for name in kwnames:
        v = attr(name)
        if v is NULL:
            return None
        attrs.append(v)
    return tuple(attrs)
