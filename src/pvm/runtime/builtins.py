"""The guest's builtins: the host's, with pvm's versions of those that must see guest state.

What belongs here: the guest's builtins dict and module (``make_builtins``,
``builtins_module``): globals, locals, vars, dir, breakpoint, and the pvm versions
gathered from elsewhere (__build_class__, super, exec, eval, compile, __import__),
lent to the vm through pvm.vm.hooks.  What does not: those versions themselves
(pvm.vm.classes, pvm.runtime.exec, pvm.runtime.importer), sys (pvm.runtime.sysmodule).
"""

# globals(), locals(), vars() and dir() look at the calling guest frame (the thread's
# innermost pvm frame, since they are called from it); exec, eval and compile use pvm's
# compiler and interpreter (pvm.runtime.exec); __import__ goes through pvm's importer;
# __build_class__ and super come from pvm.vm.classes. The rest are the host's own
# functions, which keep working when host code calls them.

from __future__ import annotations

import builtins as _host_builtins
import os
import sys
import types
from typing import Any

from pvm.config import config
from pvm.runtime.exec import frame_locals as _frame_locals
from pvm.runtime.exec import guest_compile, guest_eval, guest_exec
from pvm.runtime.importer import guest_import
from pvm.vm import hooks, trace
from pvm.vm.support import tp_name

_MISSING = object()


def _caller_frame() -> Any:
    from pvm.vm import threadstate

    frame = threadstate.current().frame
    if frame is None:
        raise SystemError("no guest frame is running")
    return frame


def _no_arguments(name: str, args: tuple, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"{name}() takes no keyword arguments")
    if args:
        raise TypeError(f"{name}() takes no arguments ({len(args)} given)")


def _at_most(name: str, most: int, args: tuple, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"{name}() takes no keyword arguments")
    if len(args) > most:
        plural = "s" if most != 1 else ""
        raise TypeError(f"{name} expected at most {most} argument{plural}, got {len(args)}")


def guest_globals(*args: Any, **kwargs: Any) -> dict:
    """Return the dictionary containing the current scope's global variables."""
    if args or kwargs:
        _no_arguments("globals", args, kwargs)
    return _caller_frame().f_globals


def guest_locals(*args: Any, **kwargs: Any) -> Any:
    """Return a dictionary containing the current scope's local variables."""
    if args or kwargs:
        _no_arguments("locals", args, kwargs)
    return _frame_locals(_caller_frame())


def guest_exec_checked(*args: Any, **kwargs: Any) -> None:
    """exec() with CPython's argument errors."""
    for key in kwargs:
        if key != "closure":
            raise TypeError(f"'{key}' is an invalid keyword argument for exec()")
    if not args:
        raise TypeError("exec() takes at least 1 positional argument (0 given)")
    if len(args) > 3:
        raise TypeError(f"exec() takes at most 3 positional arguments ({len(args)} given)")
    return guest_exec(*args, **kwargs)


def guest_eval_checked(*args: Any, **kwargs: Any) -> Any:
    """eval() with CPython's argument errors."""
    _at_most("eval", 3, args, kwargs)
    if not args:
        raise TypeError("eval expected at least 1 argument, got 0")
    return guest_eval(*args)


def guest_vars(*args: Any, **kwargs: Any) -> Any:
    """Without arguments, equivalent to locals(); with an argument, object.__dict__."""
    if kwargs or len(args) > 1:
        _at_most("vars", 1, args, kwargs)
    if not args:
        return _frame_locals(_caller_frame())
    from pvm.runtime.sysmodule import GuestSys

    if isinstance(args[0], GuestSys):
        # The guest's sys forwards to the host's, so its namespace is the host's.
        return sys.__dict__
    return _host_builtins.vars(args[0])


def guest_dir(*args: Any, **kwargs: Any) -> list:
    """Without arguments, the sorted names in the current scope; else dir(object)."""
    if kwargs or len(args) > 1:
        _at_most("dir", 1, args, kwargs)
    if not args:
        names = _frame_locals(_caller_frame())
        return sorted(names.keys())
    return _host_builtins.dir(args[0])


_PDB_FILE = os.path.join(os.path.dirname(os.__file__), "pdb.py")


def _refuse_pdb() -> RuntimeError:
    return RuntimeError(
        "breakpoint() is not supported by pvm: pdb cannot debug guest frames "
        "(set PYTHONBREAKPOINT=0 to ignore breakpoints)"
    )


def breakpointhook(*args: Any, **kwargs: Any) -> Any:
    """A guest world's sys.breakpointhook: CPython's default (sys_breakpointhook).

    $PYTHONBREAKPOINT names the hook (default pdb.set_trace, "0" for none); it is
    imported in the guest's world, where pdb runs on pvm and debugs guest frames
    through the guest's sys.settrace.
    """
    # The guest's os.environ: its putenv() reaches C's environment, not the host's mapping.
    environ = getattr(hooks.services.modules.get("os"), "environ", os.environ)
    hookname = None if sys.flags.ignore_environment else environ.get("PYTHONBREAKPOINT")
    if not hookname:
        hookname = "pdb.set_trace"
    elif hookname == "0":
        return None
    modulepath, dot, attrname = hookname.rpartition(".")
    if not dot:
        modulepath = "builtins"
    try:
        if not modulepath:  # ".name": C warns without trying an import
            raise ImportError
        hooks.services.modules["builtins"].__import__(modulepath)
        hook = getattr(hooks.services.modules[modulepath], attrname)
    except (ImportError, AttributeError, KeyError):
        from pvm.runtime.sysmodule import guest_aware_warn

        guest_aware_warn(f'Ignoring unimportable $PYTHONBREAKPOINT: "{hookname}"', RuntimeWarning)
        return None
    return hook(*args, **kwargs)


def guest_breakpoint(*args: Any, **kwargs: Any) -> Any:
    """Call sys.breakpointhook(); with the library native, the host's pdb is refused:
    it cannot debug guest frames (in the guest world the guest's own pdb can)."""
    guest_sys = hooks.services.modules.get("sys", sys)
    try:
        hook = guest_sys.breakpointhook
    except AttributeError:
        raise RuntimeError("lost sys.breakpointhook") from None
    if hook is sys.__breakpointhook__:
        target = os.environ.get("PYTHONBREAKPOINT") or "pdb.set_trace"
        if target == "pdb.set_trace":
            import pdb

            code = getattr(pdb.set_trace, "__code__", None)
            if code is not None and code.co_filename == pdb.__file__:
                raise _refuse_pdb()
    return hook(*args, **kwargs)


class _Builtin:
    """pvm's version of a builtin function, looking like the host's to the guest.

    type(), repr(), inspect.isbuiltin() and inspect.signature() see a built-in function
    (its __class__ is types.BuiltinFunctionType, its text signature the host's).
    """

    __slots__ = ("__dict__", "__weakref__", "_fn", "_host")

    def __init__(self, fn: Any, host: Any) -> None:
        self._fn = fn
        self._host = host
        d = self.__dict__
        d["__name__"] = host.__name__
        d["__qualname__"] = host.__qualname__
        d["__doc__"] = host.__doc__
        d["__text_signature__"] = host.__text_signature__
        d["__module__"] = "builtins"

    def __call__(self, /, *args: Any, **kwargs: Any) -> Any:
        return self._fn(*args, **kwargs)

    @property
    def __class__(self) -> type:
        return types.BuiltinFunctionType

    @property
    def __self__(self) -> Any:
        return builtins_module()

    def __repr__(self) -> str:
        return f"<built-in function {self._host.__name__}>"

    def __reduce__(self) -> str:
        return self._host.__name__  # by name from builtins, as the host's

    def __rshift__(self, other: Any) -> Any:
        """`print >> f`: the right operand's __rrshift__, else CPython's Python 2 hint."""
        if self._host is not _host_builtins.print:
            return NotImplemented
        reflected = getattr(type(other), "__rrshift__", None)
        if reflected is not None:
            result = reflected(other, self)
            if result is not NotImplemented:
                return result
        raise TypeError(
            "unsupported operand type(s) for >>: 'builtin_function_or_method' and "
            f"'{tp_name(type(other))}'. Did you mean \"print(<message>, "
            'file=<output_stream>)"?'
        )


_Builtin.__name__ = _Builtin.__qualname__ = "builtin_function_or_method"
trace.add_native_type(_Builtin)  # a profiler sees c_call for it, as for the host's


class _CallIterator:
    """iter(callable, sentinel) for guest code: each call goes through the GIL's native-call path.

    The host's callable_iterator calls a C callable from C, past pvm's GIL: a blocking
    one (``iter(queue.get, None)`` in multiprocessing.pool's task handler) would wait
    holding the GIL and stop every other guest thread.  This one calls it as a guest
    call does, so a blocking call releases the GIL, as CPython's releases its own.
    """

    __slots__ = ("_callable", "_sentinel")

    def __init__(self, fn: Any, sentinel: Any) -> None:
        self._callable = fn
        self._sentinel = sentinel

    def __iter__(self) -> _CallIterator:
        return self

    def __next__(self) -> Any:
        fn = self._callable
        if fn is None:
            raise StopIteration
        try:
            if hooks.GIL_ON[0]:
                from pvm.vm.threadstate import current

                value = hooks.gil.native_call(current(), fn, (), None)
            else:
                value = fn()
        except StopIteration:
            self._callable = None  # as calliter_iternext: the iterator is exhausted
            raise
        if value == self._sentinel:
            self._callable = None
            raise StopIteration
        return value

    def __reduce__(self) -> Any:
        if self._callable is None:
            return (_host_builtins.iter, ((),))
        return (_host_builtins.iter, (self._callable, self._sentinel))


_CallIterator.__name__ = _CallIterator.__qualname__ = "callable_iterator"
_CallIterator.__module__ = "builtins"


def guest_iter(*args: Any, **kwargs: Any) -> Any:
    """iter(): the host's, except that iter(callable, sentinel) of native code releases the GIL."""
    if len(args) == 2 and not kwargs:
        from pvm.vm.function import Function

        fn = args[0]
        if type(fn) is not Function:
            if not callable(fn):
                raise TypeError("iter(v, w): v must be callable")
            return _CallIterator(fn, args[1])
    return _host_builtins.iter(*args, **kwargs)


def _with_host_names(fn: Any, host: Any) -> Any:
    """Return pvm's replacement fn for the host builtin, looking like it."""
    return _Builtin(fn, host)


def _classes() -> dict:
    try:
        from pvm.vm import classes
    except ImportError:
        return {}
    out = {}
    for name, attrs in (("__build_class__", ("build_class",)), ("super", ("super_", "super"))):
        for attr in attrs:
            value = getattr(classes, attr, None)
            if value is not None:
                out[name] = value
                break
    return out


def make_builtins() -> dict:
    """Return a fresh builtins dict for guest code."""
    d = dict(_host_builtins.__dict__)
    d.update(
        {
            "exec": _with_host_names(guest_exec_checked, _host_builtins.exec),
            "eval": _with_host_names(guest_eval_checked, _host_builtins.eval),
            "compile": _with_host_names(guest_compile, _host_builtins.compile),
            "globals": _with_host_names(guest_globals, _host_builtins.globals),
            "locals": _with_host_names(guest_locals, _host_builtins.locals),
            "vars": _with_host_names(guest_vars, _host_builtins.vars),
            "dir": _with_host_names(guest_dir, _host_builtins.dir),
            "__import__": _with_host_names(guest_import, _host_builtins.__import__),
            "breakpoint": _with_host_names(guest_breakpoint, _host_builtins.breakpoint),
            "iter": _with_host_names(guest_iter, _host_builtins.iter),
        }
    )
    d.update(_classes())
    return d


_MODULE: types.ModuleType | None = None


def builtins_module() -> types.ModuleType:
    """Return the guest's ``builtins`` module; its __dict__ is the VM's builtins dict.

    Host code reads a module's namespace directly (host exec() with a globals dict whose
    ``__builtins__`` is this module, as dataclasses and namedtuple do), so the module
    must really own the dict: the first call moves the VM's builtins into a module's
    own dict and makes that dict the VM's. Call it before guest code runs.
    """
    global _MODULE
    from pvm.vm.interpreter import get_vm

    vm = get_vm()
    current = vm.builtins
    if _MODULE is not None and _MODULE.__dict__ is current:
        return _MODULE
    module = types.ModuleType("builtins")
    namespace = module.__dict__
    namespace.update(current)
    namespace["__spec__"] = _host_builtins.__spec__
    namespace["__loader__"] = _host_builtins.__loader__
    namespace["__package__"] = ""
    namespace["__debug__"] = config.optimize == 0  # -O: False, as python3's builtins
    vm.builtins = namespace
    _MODULE = module
    return module


hooks.provide(make_builtins=make_builtins)
