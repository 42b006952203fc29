"""Helpers the instruction handlers share: CPython's type names and special lookups.

What belongs here: small lookups as CPython's C code does them (``tp_name``,
``function_str`` for messages, ``lookup_special`` on the type, ``unraisable_args``).
What does not: any handler (pvm.vm.handlers*), anything that needs a frame or the runtime.
"""

from __future__ import annotations

import struct
from typing import Any

from pvm.vm.null import NULL


def tp_name(t: type) -> str:
    """Return CPython's tp_name for a type: qualified by module for static types."""
    if t.__flags__ & (1 << 9) or t.__module__ == "builtins":  # heap type or builtin
        return t.__name__
    return f"{t.__module__}.{t.__name__}"


def function_str(func: Any) -> str:
    """Describe a callable as CPython's _PyObject_FunctionStr does."""
    try:
        qualname = func.__qualname__
    except AttributeError:
        return f"{type(func).__name__} object"
    module = getattr(func, "__module__", None)
    if module is not None and module != "builtins":
        return f"{module}.{qualname}()"
    return f"{qualname}()"


def lookup_special(obj: Any, name: str) -> Any:
    """Look name up on type(obj) and bind it, as CPython's _PyObject_LookupSpecial; or NULL."""
    for klass in type(obj).__mro__:
        d = klass.__dict__
        if name in d:
            attr = d[name]
            get = getattr(type(attr), "__get__", None)
            return attr if get is None else get(attr, obj, type(obj))
    return NULL


_UNRAISABLE_ARGS: list = []


def unraisable_args_type() -> type:
    """Return C's UnraisableHookArgs, sys.unraisablehook's argument type, which sys never names."""
    if not _UNRAISABLE_ARGS:
        import sys

        seen: list = []
        saved = sys.unraisablehook
        sys.unraisablehook = seen.append

        class Finalizer:
            def __del__(self) -> None:
                raise RuntimeError

        try:
            Finalizer()  # its __del__ raises: C hands the report to sys.unraisablehook
        finally:
            sys.unraisablehook = saved
        _UNRAISABLE_ARGS.append(type(seen[0]))
    return _UNRAISABLE_ARGS[0]


def unraisable_args(exc_type: Any, exc: Any, tb: Any, err_msg: Any, obj: Any) -> Any:
    """Return sys.unraisablehook's argument, as C's PyErr_WriteUnraisable makes it."""
    return unraisable_args_type()((exc_type, exc, tb, err_msg, obj))


# -- sys.getsizeof of pvm's frames and generators, as CPython 3.11's frame_sizeof and
# gen_sizeof: a fixed part (read off the host's own), then a pointer per local, cell,
# free variable and value-stack slot of the code.


def _localsplus(code: Any) -> int:
    return len(code.co_varnames) + len(code.co_cellvars) + len(code.co_freevars) + code.co_stacksize


def _host_frame() -> Any:
    import sys

    return sys._getframe()


def _host_generator() -> Any:
    yield


_POINTER = struct.calcsize("P")
_FRAME_BASE = _host_frame().__sizeof__() - _POINTER * _localsplus(_host_frame.__code__)
_GEN_BASE = _host_generator().__sizeof__() - _POINTER * _localsplus(_host_generator.__code__)


def frame_sizeof(code: Any) -> int:
    """Return what CPython's sys.getsizeof would say (less the GC header) of code's frame."""
    return _FRAME_BASE + _POINTER * _localsplus(code)


def generator_sizeof(code: Any) -> int:
    """Return what CPython's sys.getsizeof would say (less the GC header) of a generator."""
    return _GEN_BASE + _POINTER * _localsplus(code)
