"""The guest function type, and binding call arguments to a frame's fast locals.

What belongs here: ``Function`` (CPython's attributes, host-callable, binds as a
method), binding positional and keyword arguments to fast locals with CPython's error
messages, and the cells a call starts with.  What does not: pushing the frame and
running it (pvm.vm.interpreter), MAKE_FUNCTION (pvm.vm.handlers), generators
(pvm.vm.generator).
"""

from __future__ import annotations

import struct
import types
from typing import Any

from pvm.bytecode.code import CO_VARARGS, CO_VARKEYWORDS, CodeObject
from pvm.vm.decode import KIND_PLAIN, decode
from pvm.vm.null import NULL

_CellType = types.CellType
_FUNCTION_SIZE = types.FunctionType.__basicsize__
_POINTER = struct.calcsize("P")
_MethodType = types.MethodType


class Function:
    """A guest function: a code object plus globals, defaults and closure."""

    __slots__ = (
        "_code",
        "__globals__",
        "__name__",
        "__qualname__",
        "_module",
        "_doc",
        "_defaults",
        "_kwdefaults",
        "_closure",
        "_annotations",
        "__dict__",
        "__weakref__",
        # Precomputed for the interpreter's call path (see _prepare):
        "_builtins",  # the builtins dict frames of this function use
        "_simple",  # co_argcount if only plain positional parameters, else -1
        "_extra",  # [NULL] * (nlocals - co_argcount), appended to the arguments
        "_kind",  # KIND_PLAIN / GENERATOR / COROUTINE / ASYNC_GENERATOR
        "_cells",  # True if frames need cells (cell variables or a closure)
        "_instrs",  # the code's decoded instructions
        "_fastcells",  # the cells of frames on the fast path: the closure, or ()
        "_fastargc",  # co_argcount if a call with that many arguments needs no binding
        # work at all (plain positional parameters, no cells, not a generator); else -1
    )

    def __init__(
        self,
        code: CodeObject,
        globals: dict,
        builtins: dict,
        defaults: tuple | None = None,
        kwdefaults: dict | None = None,
        closure: tuple | None = None,
        annotations: dict | None = None,
    ) -> None:
        self.__globals__ = globals
        self._builtins = builtins
        self.__name__ = code.co_name
        self.__qualname__ = code.co_qualname
        self._module = globals.get("__name__")
        consts = code.co_consts
        # As CPython 3.11: the compiler makes co_consts[0] the docstring (or None).
        self._doc = consts[0] if consts and isinstance(consts[0], str) else None
        self._defaults = defaults or None
        self._kwdefaults = kwdefaults or None
        self._closure = closure or None
        self._annotations = annotations
        self._code = code
        self._prepare()

    def _prepare(self) -> None:
        """Recompute the call-path shortcuts after the code or defaults change."""
        code = self._code
        dec = decode(code)
        simple = not (code.co_flags & (CO_VARARGS | CO_VARKEYWORDS)) and not code.co_kwonlyargcount
        self._simple = code.co_argcount if simple else -1
        self._extra = [NULL] * (dec.nlocals - code.co_argcount)
        self._kind = dec.kind
        self._instrs = dec.instrs
        self._cells = bool(code.co_cellvars or self._closure)
        plain = not code.co_cellvars and self._kind == KIND_PLAIN
        self._fastargc = self._simple if plain else -1
        # With no cell variables of its own, a frame's cells are just the closure.
        self._fastcells = self._closure or ()

    # -- attributes with CPython's behaviour -------------------------------------

    @property
    def __code__(self) -> CodeObject:
        return self._code

    @__code__.setter
    def __code__(self, code: CodeObject) -> None:
        if not isinstance(code, CodeObject):
            raise TypeError("__code__ must be set to a code object")
        nclosure = len(self._closure or ())
        if len(code.co_freevars) != nclosure:
            raise ValueError(
                f"{self.__name__}() requires a code object with {nclosure} free vars, "
                f"not {len(code.co_freevars)}"
            )
        self._code = code
        self._prepare()

    @property
    def __closure__(self) -> tuple | None:
        return self._closure

    @property
    def __defaults__(self) -> tuple | None:
        return self._defaults

    @__defaults__.setter
    def __defaults__(self, value: tuple | None) -> None:
        if value is not None and not isinstance(value, tuple):
            raise TypeError("__defaults__ must be set to a tuple object")
        self._defaults = value or None

    @__defaults__.deleter
    def __defaults__(self) -> None:
        self._defaults = None

    @property
    def __kwdefaults__(self) -> dict | None:
        return self._kwdefaults

    @__kwdefaults__.setter
    def __kwdefaults__(self, value: dict | None) -> None:
        if value is not None and not isinstance(value, dict):
            raise TypeError("__kwdefaults__ must be set to a dict object")
        self._kwdefaults = value or None

    @__kwdefaults__.deleter
    def __kwdefaults__(self) -> None:
        self._kwdefaults = None

    @property
    def __annotations__(self) -> dict:
        if self._annotations is None:
            self._annotations = {}
        return self._annotations

    @__annotations__.setter
    def __annotations__(self, value: dict | None) -> None:
        if value is not None and not isinstance(value, dict):
            raise TypeError("__annotations__ must be set to a dict object")
        self._annotations = value

    @property
    def __doc__(self) -> Any:
        return self._doc

    @__doc__.setter
    def __doc__(self, value: Any) -> None:
        self._doc = value

    @__doc__.deleter
    def __doc__(self) -> None:
        self._doc = None

    @property
    def __builtins__(self) -> dict:
        return self._builtins

    @property
    def __class__(self) -> type:
        # isinstance(f, types.FunctionType) is then true, so the host's inspect,
        # unittest, functools and asyncio treat guest functions as functions.
        return types.FunctionType

    # -- behaviour -----------------------------------------------------------------

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        return _MethodType(self, obj)

    def __call__(self, /, *args: Any, **kwargs: Any) -> Any:
        return _call_function(self, list(args), kwargs)

    def __repr__(self) -> str:
        # A collection may have cleared this function's slots (the host's tp_clear of a
        # cycle a finalizer then revived): CPython's func_clear leaves an empty name.
        return f"<function {getattr(self, '__qualname__', '')} at {id(self):#x}>"

    def __sizeof__(self) -> int:
        # CPython's PyFunctionObject; sys.getsizeof adds the GC header and, as this type
        # keeps its __dict__ as the host's managed dict, that dict's pre-header, which
        # CPython's function does not have.
        return _FUNCTION_SIZE - _MANAGED_DICT_PREHEADER

    def __reduce__(self) -> str:
        # Pickled by reference, as CPython pickles module-level functions.
        return self.__qualname__


class _FunctionModule(str):
    """``function.__module__``: "builtins" on the type, each function's own module on it.

    CPython's function type says ``builtins``, while a function's ``__module__`` is its
    own (settable) attribute.  A class's ``__module__`` is the object in its ``__dict__``,
    read as is by ``type.__module__``: this one is a string there and a data descriptor
    for instances.
    """

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        return obj._module

    def __set__(self, obj: Any, value: Any) -> None:
        obj._module = value

    def __delete__(self, obj: Any) -> None:
        obj._module = None  # CPython's member then reads None


_MANAGED_DICT_PREHEADER = 2 * _POINTER if Function.__flags__ & (1 << 4) else 0  # MANAGED_DICT

# Guest code sees the type by CPython's name: type(f).__name__ == "function".
Function.__name__ = Function.__qualname__ = "function"
Function.__module__ = _FunctionModule("builtins")


def _call_function(func: Function, args: list, kwargs: dict | None) -> Any:
    """Stand-in until the interpreter installs the real host-to-guest call path."""
    import pvm.vm.interpreter  # noqa: F401  (installs the real _call_function)

    return _call_function(func, args, kwargs)


def install_call(call: Any) -> None:
    """Install the interpreter's host-to-guest call entry point."""
    global _call_function
    _call_function = call


# -- argument binding, as CPython 3.11's initialize_locals ------------------------------


def bind_arguments(func: Function, args: list, kwargs: dict | None) -> list:
    """Return the fast-locals list for calling func, or raise CPython's TypeError."""
    simple = func._simple
    if simple >= 0 and len(args) <= simple:
        # Plain positional parameters: fill the rest from keywords and defaults, and
        # leave anything unusual (errors included) to the general path below.
        fast = _bind_simple(func, args, kwargs, simple)
        if fast is not None:
            return fast
    code = func._code
    argcount = code.co_argcount
    total = argcount + code.co_kwonlyargcount
    flags = code.co_flags
    fast = [NULL] * len(code.co_varnames)
    qualname = func.__qualname__
    kwdict = None
    if flags & CO_VARKEYWORDS:
        kwdict = {}
        fast[total + (1 if flags & CO_VARARGS else 0)] = kwdict
    given = len(args)
    n = min(given, argcount)
    fast[:n] = args[:n]
    if flags & CO_VARARGS:
        fast[total] = tuple(args[n:])
    if kwargs:
        varnames = code.co_varnames
        posonly = code.co_posonlyargcount
        for name, value in kwargs.items():
            if type(name) is not str and not isinstance(name, str):
                raise TypeError("keywords must be strings")
            try:
                j = varnames.index(name, posonly, total)
            except ValueError:
                if kwdict is None:
                    if posonly:
                        _check_positional_only(code, kwargs, qualname)
                    raise TypeError(
                        f"{qualname}() got an unexpected keyword argument '{name}'"
                    ) from None
                kwdict[name] = value
                continue
            if fast[j] is not NULL:
                raise TypeError(f"{qualname}() got multiple values for argument '{name}'")
            fast[j] = value
    if given > argcount and not flags & CO_VARARGS:
        _too_many_positional(func, fast, given)
    if given < argcount:
        defaults = func._defaults or ()
        m = argcount - len(defaults)
        missing = [code.co_varnames[i] for i in range(given, m) if fast[i] is NULL]
        if missing:
            _missing_arguments(qualname, missing, "positional")
        for i in range(max(given, m), argcount):
            if fast[i] is NULL:
                fast[i] = defaults[i - m]
    if total > argcount:
        kwdefaults = func._kwdefaults
        missing = []
        for i in range(argcount, total):
            if fast[i] is not NULL:
                continue
            name = code.co_varnames[i]
            if kwdefaults is not None and name in kwdefaults:
                fast[i] = kwdefaults[name]
            else:
                missing.append(name)
        if missing:
            _missing_arguments(qualname, missing, "keyword-only")
    return fast


def _bind_simple(func: Function, args: list, kwargs: dict | None, argcount: int) -> list | None:
    n = len(args)
    if kwargs:
        fast = args + [NULL] * (argcount - n)
        code = func._code
        varnames, posonly = code.co_varnames, code.co_posonlyargcount
        for name, value in kwargs.items():
            if type(name) is not str or name not in varnames:
                return None
            j = varnames.index(name)
            if j < posonly or j >= argcount or fast[j] is not NULL:
                return None
            fast[j] = value
        defaults = func._defaults or ()
        first_default = argcount - len(defaults)
        for i in range(n, argcount):
            if fast[i] is NULL:
                if i < first_default:
                    return None
                fast[i] = defaults[i - first_default]
        fast.extend(func._extra)
        return fast
    missing = argcount - n
    if not missing:
        args.extend(func._extra)
        return args
    defaults = func._defaults
    if defaults is None:
        return None
    if missing > len(defaults):
        return None
    args.extend(defaults[len(defaults) - missing :])
    args.extend(func._extra)
    return args


def _check_positional_only(code: CodeObject, kwargs: dict, qualname: str) -> None:
    names = [n for n in code.co_varnames[: code.co_posonlyargcount] if n in kwargs]
    if names:
        raise TypeError(
            f"{qualname}() got some positional-only arguments passed as keyword "
            f"arguments: '{', '.join(names)}'"
        )


def _missing_arguments(qualname: str, missing: list, kind: str) -> None:
    quoted = [f"'{name}'" for name in missing]
    if len(quoted) == 1:
        names = quoted[0]
    elif len(quoted) == 2:
        names = f"{quoted[0]} and {quoted[1]}"
    else:
        names = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    s = "s" if len(missing) > 1 else ""
    raise TypeError(f"{qualname}() missing {len(missing)} required {kind} argument{s}: {names}")


def _too_many_positional(func: Function, fast: list, given: int) -> None:
    code = func._code
    argcount = code.co_argcount
    kwonly_given = sum(
        1 for i in range(argcount, argcount + code.co_kwonlyargcount) if fast[i] is not NULL
    )
    defcount = len(func._defaults or ())
    if defcount:
        plural = True
        sig = f"from {argcount - defcount} to {argcount}"
    else:
        plural = argcount != 1
        sig = str(argcount)
    if kwonly_given:
        kwonly_sig = (
            f" positional argument{'s' if given != 1 else ''} (and {kwonly_given} "
            f"keyword-only argument{'s' if kwonly_given != 1 else ''})"
        )
    else:
        kwonly_sig = ""
    was = "was" if given == 1 and not kwonly_given else "were"
    raise TypeError(
        f"{func.__qualname__}() takes {sig} positional argument{'s' if plural else ''} "
        f"but {given}{kwonly_sig} {was} given"
    )


def make_cells(func: Function, fast: list) -> list:
    """Return the cells list of a new frame of func: fresh cell variables, then the closure."""
    dec = func._code._decoded
    cells = [_CellType() for _ in range(dec.ncellvars)]
    for i, a in enumerate(dec.cell2arg):
        if a >= 0 and fast[a] is not NULL:
            # The cell replaces the argument's slot, as CPython's MAKE_CELL: nothing
            # else may keep the value alive once the function rebinds the name.
            cells[i].cell_contents = fast[a]
            fast[a] = NULL
    if func._closure:
        cells.extend(func._closure)
    return cells


__all__ = ["KIND_PLAIN", "Function", "bind_arguments", "install_call", "make_cells"]
