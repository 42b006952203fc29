"""The guest world's _pickle: pickle.py's Pickler and Unpickler, run natively, with C's messages.

What belongs here: the Pickler and Unpickler the guest's ``pickle`` gets from ``_pickle``
(and so multiprocessing's ForkingPickler, which subclasses it), and their dump(s) and
load(s).  What does not: how pvm's functions, generators and exceptions reduce
(pvm.vm.function, pvm.vm.generator, pvm.vm.guesttb), the guest world's module table
(pvm.runtime.world).

CPython's C ``_pickle`` cannot serve the guest: it imports the module of each global it
pickles or loads through the interpreter's sys.modules, which is the host's, where the
program's ``__main__`` and the library the guest imported are not.  The pure-Python
pickler that runs when ``_pickle`` is missing finds them, but it is not what CPython
shows: its frames (``save``, ``save_tuple``, ``save_global``...) appear in every
traceback that passes through a pickling error, and its messages differ ("it's not
found as __main__.<lambda>" where C says "attribute lookup <lambda> on __main__
failed"; C refuses a local object with AttributeError).  So the guest's ``_pickle`` is
the host's pure-Python pickler run natively, as C code is (its frames are not guest
frames), with the two places that look modules up, ``save_global`` and
``find_class``, going to the guest's modules and saying what ``Modules/_pickle.c``
says.  The exception classes are C's own, so ``except pickle.PicklingError`` catches
both.
"""

from __future__ import annotations

import _compat_pickle
import _pickle as _c_pickle
import io
import os
import pickle as _host_pickle
import types
from struct import pack
from typing import Any

from pvm.runtime import world

PickleError = _c_pickle.PickleError
PicklingError = _c_pickle.PicklingError
UnpicklingError = _c_pickle.UnpicklingError

_MISSING = object()

# pickle.py's methods run here as native code, as _pickle.c's do in CPython: copies of
# them whose frames carry a file name inside pvm's package, which tracebacks and stacks
# shown to the guest leave out as pvm's own frames (pvm.runtime.traceback).
_NATIVE_FILENAME = os.path.join(os.path.dirname(os.path.abspath(__file__)), "<native pickle.py>")


def _rehome_code(code: types.CodeType) -> types.CodeType:
    consts = tuple(_rehome_code(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=_NATIVE_FILENAME, co_consts=consts)


def _rehomed(func: types.FunctionType) -> types.FunctionType:
    new = types.FunctionType(
        _rehome_code(func.__code__),
        func.__globals__,
        func.__name__,
        func.__defaults__,
        func.__closure__,
    )
    new.__kwdefaults__ = func.__kwdefaults__
    new.__qualname__ = func.__qualname__
    new.__doc__ = func.__doc__
    return new


def _native_copy(cls: type) -> type:
    """Return a copy of one of pickle.py's classes whose methods' frames are pvm's."""
    copies: dict = {}

    def copy(value: Any) -> Any:
        if isinstance(value, types.FunctionType):
            if value not in copies:
                copies[value] = _rehomed(value)
            return copies[value]
        return value

    namespace = {}
    for key, value in cls.__dict__.items():
        if key in ("__dict__", "__weakref__"):
            continue
        if key == "dispatch":
            value = {k: copy(f) for k, f in value.items()}
        namespace[key] = copy(value)
    return type(cls.__name__, cls.__bases__, namespace)


def _guest_modules() -> Any:
    w = world.current()
    if w is None:  # the library runs natively: the host's modules are the guest's
        import sys

        return sys.modules
    return w.modules


def _guest_import(name: str) -> Any:
    """Import a module by absolute name through the guest, as C's PyImport_Import."""
    w = world.current()
    if w is None:
        __import__(name, level=0)
        return _guest_modules()[name]
    w.import_(name)
    return w.modules[name]


def _stands_for(found: Any, obj: Any) -> bool:
    """Return whether found is pvm's version of the host builtin obj (e.g. guest iter).

    A C type's __reduce__ names the host's builtin (an iterator reduces to builtins.iter);
    the guest's builtins hold pvm's version of a few, which loads back as that version.
    """
    from pvm.runtime.builtins import _Builtin

    return type(found) is _Builtin and found._host is obj


def _dotted_path(name: str) -> list[str]:
    """Split a qualified name, refusing a local object as C's get_dotted_path does."""
    path = name.split(".")
    if "<locals>" in path:
        raise AttributeError(f"Can't pickle local object {name!r}")
    return path


def _deep_getattr(obj: Any, path: list[str]) -> tuple[Any, Any]:
    """Return (attribute, its parent) along path, or (_MISSING, None)."""
    parent = None
    for part in path:
        parent = obj
        obj = getattr(obj, part, _MISSING)
        if obj is _MISSING:
            return _MISSING, None
    return obj, parent


def _which_module(obj: Any, path: list[str]) -> str:
    """The module a global lives in: its __module__, else the module that has it."""
    module_name = getattr(obj, "__module__", None)
    if module_name is not None:
        return module_name
    for module_name, module in list(_guest_modules().items()):
        if module_name == "__main__" or module_name == "__mp_main__" or module is None:
            continue
        try:
            if _deep_getattr(module, path)[0] is obj:
                return module_name
        except Exception:
            pass
    return "__main__"


_NativePickler = _native_copy(_host_pickle._Pickler)
_NativeUnpickler = _native_copy(_host_pickle._Unpickler)


class Pickler(_NativePickler):  # type: ignore[misc,valid-type]
    """_pickle.Pickler for the guest: pickle.py's, with C's global lookup and messages."""

    def save_global(self, obj: Any, name: Any = None) -> None:
        """Write a reference to a global (class, function), as _pickle.c's save_global."""
        write = self.write
        if name is None:
            name = getattr(obj, "__qualname__", None)
            if name is None:
                name = obj.__name__
        path = _dotted_path(name)
        module_name = _which_module(obj, path)
        try:
            module = _guest_import(module_name)
        except Exception:
            raise PicklingError(
                f"Can't pickle {obj!r}: import of module {module_name!r} failed"
            ) from None
        found, parent = _deep_getattr(module, path)
        if found is _MISSING:
            raise PicklingError(
                f"Can't pickle {obj!r}: attribute lookup {name} on {module_name} failed"
            )
        if found is not obj and not _stands_for(found, obj):
            raise PicklingError(
                f"Can't pickle {obj!r}: it's not the same object as {module_name}.{name}"
            )
        if self.proto >= 2:
            code = _host_pickle._extension_registry.get((module_name, name))
            if code:
                if code <= 0xFF:
                    write(_host_pickle.EXT1 + pack("<B", code))
                elif code <= 0xFFFF:
                    write(_host_pickle.EXT2 + pack("<H", code))
                else:
                    write(_host_pickle.EXT4 + pack("<i", code))
                return
        lastname = path[-1]
        if parent is module:
            name = lastname
        if self.proto >= 4:
            self.save(module_name)
            self.save(name)
            write(_host_pickle.STACK_GLOBAL)
        elif parent is not module:
            self.save_reduce(getattr, (parent, lastname))
        elif self.proto >= 3:
            write(
                _host_pickle.GLOBAL
                + bytes(module_name, "utf-8")
                + b"\n"
                + bytes(name, "utf-8")
                + b"\n"
            )
        else:
            if self.fix_imports:
                r_name_mapping = _compat_pickle.REVERSE_NAME_MAPPING
                r_import_mapping = _compat_pickle.REVERSE_IMPORT_MAPPING
                if (module_name, name) in r_name_mapping:
                    module_name, name = r_name_mapping[(module_name, name)]
                elif module_name in r_import_mapping:
                    module_name = r_import_mapping[module_name]
            try:
                write(
                    _host_pickle.GLOBAL
                    + bytes(module_name, "ascii")
                    + b"\n"
                    + bytes(name, "ascii")
                    + b"\n"
                )
            except UnicodeEncodeError:
                raise PicklingError(
                    f"can't pickle global identifier '{module_name}.{name}' "
                    f"using pickle protocol {self.proto}"
                ) from None
        self.memoize(obj)


# pickle.py's dispatch table holds its own save_global for functions: send them to C's.
Pickler.dispatch = {
    t: Pickler.save_global if f is _NativePickler.save_global else f
    for t, f in _NativePickler.dispatch.items()
}


class Unpickler(_NativeUnpickler):  # type: ignore[misc,valid-type]
    """_pickle.Unpickler for the guest: globals are found in the guest's modules."""

    def find_class(self, module: str, name: str) -> Any:
        """Return the global module.name, importing the module through the guest."""
        if self.proto < 3 and self.fix_imports:
            if (module, name) in _compat_pickle.NAME_MAPPING:
                module, name = _compat_pickle.NAME_MAPPING[(module, name)]
            elif module in _compat_pickle.IMPORT_MAPPING:
                module = _compat_pickle.IMPORT_MAPPING[module]
        mod = _guest_import(module)
        if self.proto >= 4:
            return _host_pickle._getattribute(mod, name)[0]
        return getattr(mod, name)


for _cls in (Pickler, Unpickler):
    _cls.__module__ = "_pickle"
    _cls.__qualname__ = _cls.__name__
del _cls


def dump(
    obj: Any,
    file: Any,
    protocol: Any = None,
    *,
    fix_imports: bool = True,
    buffer_callback: Any = None,
) -> None:
    """Write a pickled representation of obj to the open file object file."""
    Pickler(file, protocol, fix_imports=fix_imports, buffer_callback=buffer_callback).dump(obj)


def dumps(
    obj: Any, protocol: Any = None, *, fix_imports: bool = True, buffer_callback: Any = None
) -> bytes:
    """Return the pickled representation of the object as a bytes object."""
    f = io.BytesIO()
    Pickler(f, protocol, fix_imports=fix_imports, buffer_callback=buffer_callback).dump(obj)
    return f.getvalue()


def load(
    file: Any,
    *,
    fix_imports: bool = True,
    encoding: str = "ASCII",
    errors: str = "strict",
    buffers: Any = (),
) -> Any:
    """Read and return an object from the pickle data stored in a file."""
    return Unpickler(
        file, fix_imports=fix_imports, buffers=buffers, encoding=encoding, errors=errors
    ).load()


def loads(
    data: Any,
    /,
    *,
    fix_imports: bool = True,
    encoding: str = "ASCII",
    errors: str = "strict",
    buffers: Any = (),
) -> Any:
    """Read and return an object from the given pickle data."""
    if isinstance(data, str):
        raise TypeError("Can't load pickle from unicode string")
    file = io.BytesIO(data)
    return Unpickler(
        file, fix_imports=fix_imports, buffers=buffers, encoding=encoding, errors=errors
    ).load()


for _f in (dump, dumps, load, loads):
    _f.__module__ = "_pickle"
del _f

world.provide_module(
    "_pickle",
    {
        "Pickler": Pickler,
        "Unpickler": Unpickler,
        "dump": dump,
        "dumps": dumps,
        "load": load,
        "loads": loads,
    },
)
