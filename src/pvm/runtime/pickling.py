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
both.  ``save`` follows C's order, not pickle.py's: exact built-in types first, then
``reducer_override``, then the ``dispatch_table``; C's pickler has no ``dispatch``
attribute, and a subclass's (cloudpickle's holds its reducers) must not be read as
pickle.py's table of savers.  An exception's pvm traceback entries
(pvm.vm.guesttb.PVM_KEYS) never travel.
"""

from __future__ import annotations

import _compat_pickle
import _pickle as _c_pickle
import copyreg
import io
import os
import pickle as _host_pickle
import types
from struct import pack
from typing import Any

from pvm.runtime import world
from pvm.vm.function import Function
from pvm.vm.guesttb import PVM_KEYS

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

    def save(self, obj: Any, save_persistent_id: bool = True) -> None:
        """Write obj, in the order of _pickle.c's save(), not pickle.py's."""
        # C looks at the exact type first: atoms and the built-in containers never
        # reach reducer_override (which cloudpickle's Pickler defines) or a subclass's
        # ``dispatch`` attribute (cloudpickle's is its ChainMap of reducers; read as
        # pickle.py's type table it sent str to __reduce_ex__ for ever).
        self.framer.commit_frame()
        if save_persistent_id:
            pid = self.persistent_id(obj)
            if pid is not None:
                self.save_pers(pid)
                return
        t = type(obj)
        if t in _ATOMS:
            _SAVERS[t](self, obj)
            return
        x = self.memo.get(id(obj))
        if x is not None:
            self.write(self.get(x[0]))
            return
        saver = _BUILTIN_SAVERS.get(t)
        if saver is not None:
            saver(self, obj)
            return
        rv: Any = NotImplemented
        override = getattr(self, "reducer_override", None)
        if override is not None:
            rv = override(obj)
        if rv is NotImplemented:
            if t is type:
                self.save_type(obj)
                return
            if t is Function or t is types.FunctionType:
                self.save_global(obj)
                return
            table = getattr(self, "dispatch_table", None)
            if table is None:
                table = copyreg.dispatch_table
            try:
                reduce = table[t]
            except KeyError:
                reduce = None
            if reduce is not None:
                rv = reduce(obj)
            elif issubclass(t, type):
                self.save_global(obj)
                return
            else:
                rv = obj.__reduce_ex__(self.proto)
        if isinstance(rv, str):
            self.save_global(obj, rv)
            return
        if not isinstance(rv, tuple):
            raise PicklingError("__reduce__ must return a string or tuple")
        if not 2 <= len(rv) <= 6:
            raise PicklingError("tuple returned by __reduce__ must contain 2 through 6 elements")
        self.save_reduce(*rv, obj=obj)

    def save_dict(self, obj: dict) -> None:
        """Write a dict; an exception's __dict__ leaves pvm's traceback entries out."""
        # BaseException.__reduce__ (and tblib, which Dask uses, reading __dict__) hand
        # over the exception's own __dict__, where pvm keeps its guest frames.
        if "__pvm_tb__" in obj or "_pvm_tb_view" in obj or "_pvm_tb_tail" in obj:
            self.write(
                _host_pickle.EMPTY_DICT if self.bin else _host_pickle.MARK + _host_pickle.DICT
            )
            self.memoize(obj)
            self._batch_setitems(iter([(k, v) for k, v in obj.items() if k not in PVM_KEYS]))
            return
        _SAVERS[dict](self, obj)


# pickle.py's type table, which save() reads instead of ``self.dispatch``; its own
# save_global for functions goes to C's.  Pickler has no ``dispatch``, as C's has none.
_SAVERS = {
    t: Pickler.save_global if f is _NativePickler.save_global else f
    for t, f in _NativePickler.dispatch.items()
}
del _NativePickler.dispatch
_ATOMS = frozenset({type(None), bool, int, float})
_BUILTIN_SAVERS = {
    t: _SAVERS[t]
    for t in (bytes, str, set, frozenset, list, tuple, bytearray, _host_pickle.PickleBuffer)
    if t in _SAVERS
}
_BUILTIN_SAVERS[dict] = Pickler.save_dict


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
