"""The guest's view of sys: the host's sys, except where the guest must see pvm's state.

What belongs here: the guest's ``sys`` module (recursion limit, frames, the handled
exception, switch interval, settrace/setprofile), the guest frame view (lent to the
vm through pvm.vm.hooks), and the host patches for sys, warnings and signal
while a guest runs.  What does not: the trace machinery (pvm.vm.trace),
the switch interval's owner (the GIL, through pvm.vm.hooks), per-thread state
(pvm.vm.threadstate).
"""

# Guest code that imports sys gets guest_sys(): a module object that reads and writes
# through to the host sys (so `sys.stdout = buf` redirects the host's print, and
# sys.argv is what argparse reads), except for the names in _OVERRIDES: the recursion
# limit (pvm's VM.recursion_limit), frames (_getframe) and the handled exception
# (exc_info/exception), which live in pvm. Host modules keep the real sys; while a
# guest runs, a few host functions are patched to see guest state (see the end).

from __future__ import annotations

import _thread
import os
import signal
import sys
import threading
import types
import warnings
import weakref
from collections.abc import Iterator
from typing import Any

from pvm.bytecode.code import BUILTINS_MODULE
from pvm.config import config
from pvm.vm import generator, hooks
from pvm.vm.support import frame_sizeof


def _threadstate() -> Any:
    from pvm.vm import threadstate

    return threadstate.current()


def _vm() -> Any:
    from pvm.vm import interpreter

    return interpreter.get_vm()


class GuestFrame:
    """A guest frame as ``sys._getframe()`` shows it, with CPython's attribute names."""

    __slots__ = ("_frame", "__weakref__")

    def __init__(self, frame: Any) -> None:
        self._frame = frame

    @property
    def f_code(self) -> Any:
        return self._frame.f_code

    @property
    def f_globals(self) -> dict:
        return self._frame.f_globals

    @property
    def f_builtins(self) -> dict:
        b = self._frame.f_builtins
        return b if isinstance(b, dict) else b.__dict__

    @property
    def f_locals(self) -> Any:
        from pvm.runtime.exec import frame_locals

        return frame_locals(self._frame)

    @property
    def f_back(self) -> Any:
        # The guest caller, or the host code that called this frame (see introspect).
        from pvm.runtime.introspect import logical_back

        return logical_back(self._frame)

    @property
    def f_lasti(self) -> int:
        # In CPython's units (2-byte code units), so that host inspect/traceback code
        # that maps f_lasti // 2 to co_positions() finds this instruction.
        lasti = self._frame.live_lasti()
        if lasti >= 0:
            return lasti * 2
        # CPython has run a generator's RETURN_GENERATOR (offset 0) before anyone sees it.
        return 0 if getattr(self._frame, "f_generator", None) is not None else -1

    @property
    def __class__(self) -> type:
        # isinstance(frame, types.FrameType) holds, so inspect treats it as a frame.
        return types.FrameType

    @property
    def f_lineno(self) -> int | None:
        return self._frame.f_lineno

    @f_lineno.setter
    def f_lineno(self, value: Any) -> None:
        from pvm.vm import trace

        trace.set_lineno(self._frame, value)

    @property
    def f_trace(self) -> Any:
        return getattr(self._frame, "f_trace", None)

    @f_trace.setter
    def f_trace(self, value: Any) -> None:
        self._frame.f_trace = value
        if value is not None:
            from pvm.vm import trace

            trace.request_switch(self._frame)

    @f_trace.deleter
    def f_trace(self) -> None:
        self._frame.f_trace = None

    @property
    def f_trace_lines(self) -> bool:
        return getattr(self._frame, "f_trace_lines", True)

    @f_trace_lines.setter
    def f_trace_lines(self, value: Any) -> None:
        if type(value) is not bool:
            raise TypeError("attribute value type must be bool")
        self._frame.f_trace_lines = value

    @property
    def f_trace_opcodes(self) -> bool:
        return getattr(self._frame, "f_trace_opcodes", False)

    @f_trace_opcodes.setter
    def f_trace_opcodes(self, value: Any) -> None:
        if type(value) is not bool:
            raise TypeError("attribute value type must be bool")
        self._frame.f_trace_opcodes = value

    def clear(self) -> None:
        """Drop the frame's locals (traceback.clear_frames, unittest's assertRaises), as CPython.

        What they held is freed then, not when the traceback goes: an unawaited coroutine
        warns inside the assertWarns that expects it.
        """
        self._frame.clear()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GuestFrame) and other._frame is self._frame

    def __hash__(self) -> int:
        return id(self._frame)

    def __repr__(self) -> str:
        code = self._frame.f_code
        return (
            f"<frame at {id(self._frame):#x}, file '{code.co_filename}', "
            f"line {self.f_lineno}, code {code.co_name}>"
        )

    def __sizeof__(self) -> int:
        return frame_sizeof(self._frame.f_code)


# One view per guest frame while any view of it is alive, so that sys._getframe() is
# sys._getframe() as in CPython. Keyed by id and holding views weakly: a view holds its
# frame (so the id stays valid), and nothing here keeps a frame or a view alive.
_VIEWS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def guest_frame(frame: Any) -> GuestFrame:
    """Return the (shared) GuestFrame view of a pvm frame."""
    view = _VIEWS.get(id(frame))
    if view is None or view._frame is not frame:
        view = _VIEWS[id(frame)] = GuestFrame(frame)
    return view


def getrecursionlimit() -> int:
    """Return the guest's recursion limit."""
    return _vm().recursion_limit


def setrecursionlimit(limit: int, /) -> None:
    """Set the guest's recursion limit, with CPython's checks and messages."""
    if not isinstance(limit, int):
        index = getattr(type(limit), "__index__", None)
        if index is None:
            raise TypeError(f"'{type(limit).__name__}' object cannot be interpreted as an integer")
        limit = index(limit)
    if not -(2**31) <= limit < 2**31:
        raise OverflowError("Python int too large to convert to C int")
    if limit < 1:
        raise ValueError("recursion limit must be greater or equal than 1")
    # CPython counts the call to setrecursionlimit itself, hence the + 1; the new
    # limit must leave room for the current depth (Python/sysmodule.c).
    depth = _threadstate().depth + 1
    if depth >= limit:
        raise RecursionError(
            f"cannot set the recursion limit to {limit} at the recursion depth "
            f"{depth}: the limit is too low"
        )
    _vm().recursion_limit = limit


def _getframe(depth: int = 0, /) -> GuestFrame:
    """Return the guest frame ``depth`` calls below the caller."""
    if not isinstance(depth, int):
        index = getattr(type(depth), "__index__", None)
        if index is None:
            raise TypeError(f"'{type(depth).__name__}' object cannot be interpreted as an integer")
        depth = index(depth)
    frame = _threadstate().frame
    view = guest_frame(frame) if frame is not None else None
    while depth > 0 and view is not None:
        view = view.f_back  # host frames between guest ones count, as in CPython
        depth -= 1
    if view is None:
        raise ValueError("call stack is not deep enough")
    return view


def exception() -> BaseException | None:
    """Return the exception being handled by the guest, or None."""
    return _threadstate().handled_exc


def exc_info() -> tuple:
    """Return (type, value, traceback) of the exception being handled by the guest."""
    exc = _threadstate().handled_exc
    if exc is None:
        return (None, None, None)
    from pvm.runtime.traceback import guest_traceback

    return (type(exc), exc, guest_traceback(exc))


def _current_frames() -> dict:
    """Return the innermost guest frame of every thread that has one."""
    try:
        from pvm.vm import threadstate

        states = threadstate.all_states()
    except (ImportError, AttributeError):
        states = {}
    out = {}
    for ident, ts in dict(states).items():
        if ts.frame is not None:
            out[ident] = guest_frame(ts.frame)
    return out


def _current_exceptions() -> dict:
    """Return (type, value, traceback) of the exception each thread is handling, by id."""
    from pvm.runtime.traceback import guest_traceback
    from pvm.vm import threadstate

    out = {}
    for ident, ts in threadstate.all_states().items():
        exc = ts.handled_exc
        out[ident] = (None, None, None) if exc is None else (type(exc), exc, guest_traceback(exc))
    return out


def getswitchinterval() -> float:
    """Return the thread switch interval of pvm's GIL (the host's until pvm has one)."""
    return hooks.services.get_switch_interval()


def setswitchinterval(interval: float, /) -> None:
    """Set the thread switch interval of pvm's GIL, with CPython's checks."""
    if not isinstance(interval, (int, float)) and not hasattr(type(interval), "__float__"):
        raise TypeError(f"must be real number, not {type(interval).__name__}")
    interval = float(interval)
    if interval <= 0.0:
        raise ValueError("switch interval must be strictly positive")
    hooks.services.set_switch_interval(interval)


def _tracing(name: str) -> Any:
    from pvm.vm import trace

    return getattr(trace, name)


# -- sys.flags and sys._xoptions: the host's, with what pvm carries itself (pvm.config) ---


class _FlagsBase(tuple):
    """A struct sequence like the host's ``sys.flags``: a tuple whose items have names."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    n_sequence_fields = n_fields = 0
    n_unnamed_fields = 0

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("cannot create 'sys.flags' instances")  # as CPython's

    def __repr__(self) -> str:
        items = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"sys.flags({items})"

    def __reduce__(self) -> tuple:
        return tuple, (tuple(self),)


def _flags_type() -> type:
    """Return the guest's ``sys.flags`` type: the host's fields, read-only, by name."""
    fields = tuple(type(sys.flags).__match_args__)
    namespace: dict[str, Any] = {
        "__slots__": (),
        "_fields": fields,
        "__match_args__": fields,
        "n_fields": len(fields),
        "n_sequence_fields": len(fields),
        "__module__": "sys",
        "__doc__": type(sys.flags).__doc__,
    }
    for index, name in enumerate(fields):
        namespace[name] = property(lambda self, i=index: tuple.__getitem__(self, i))
    return type("flags", (_FlagsBase,), namespace)


_FLAGS_TYPE: type | None = None


def guest_flags() -> Any:
    """Return the guest's ``sys.flags``: python3's for the options pvm carries itself.

    -O, -v and -i change how pvm compiles, imports and ends, not the host, whose own
    flags stay 0 (its -O would strip pvm's asserts, its -v trace pvm's own imports).
    """
    global _FLAGS_TYPE
    if _FLAGS_TYPE is None:
        _FLAGS_TYPE = _flags_type()
    values = dict(zip(_FLAGS_TYPE._fields, sys.flags))
    values["optimize"] = max(values["optimize"], config.optimize)
    values["verbose"] = max(values["verbose"], config.verbose)
    values["inspect"] = max(values["inspect"], int(config.inspect))
    values["interactive"] = max(values["interactive"], int(config.interactive))
    return tuple.__new__(_FLAGS_TYPE, tuple(values[name] for name in _FLAGS_TYPE._fields))


def guest_xoptions() -> dict:
    """Return the guest's ``sys._xoptions``: the host's, and the -X options pvm takes."""
    return {**sys._xoptions, **config.xoptions}


_OVERRIDES: dict[str, Any] = {
    "getrecursionlimit": getrecursionlimit,
    "setrecursionlimit": setrecursionlimit,
    "_getframe": _getframe,
    "exception": exception,
    "exc_info": exc_info,
    "_current_frames": _current_frames,
    "_current_exceptions": _current_exceptions,
    "getswitchinterval": getswitchinterval,
    "setswitchinterval": setswitchinterval,
    "settrace": _tracing("settrace"),
    "setprofile": _tracing("setprofile"),
    "gettrace": _tracing("gettrace"),
    "getprofile": _tracing("getprofile"),
    "set_coroutine_origin_tracking_depth": generator.set_coroutine_origin_tracking_depth,
    "get_coroutine_origin_tracking_depth": generator.get_coroutine_origin_tracking_depth,
}


class GuestSys(types.ModuleType):
    """The ``sys`` module object guest code sees; see the module docstring."""

    def __getattr__(self, name: str) -> Any:
        if name == "excepthook" and sys.excepthook is sys.__excepthook__:
            return _guest_excepthook()
        try:
            return getattr(sys, name)
        except AttributeError:
            raise AttributeError(f"module 'sys' has no attribute '{name}'") from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _OVERRIDES or name.startswith("__"):
            object.__setattr__(self, name, value)
        else:
            setattr(sys, name, value)

    def __delattr__(self, name: str) -> None:
        if name in self.__dict__ and (name in _OVERRIDES or name.startswith("__")):
            object.__delattr__(self, name)
        else:
            delattr(sys, name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(sys)) | set(self.__dict__))


# type(sys).__name__ is "module" in CPython; keep it so for the guest.
GuestSys.__name__ = GuestSys.__qualname__ = "module"
# type(sys._getframe()) prints <class 'frame'>, as CPython's builtin frame type.
GuestFrame.__name__ = GuestFrame.__qualname__ = "frame"
GuestFrame.__module__ = BUILTINS_MODULE  # the type's, not its instances' (as CPython's)


def _guest_excepthook() -> Any:
    from pvm.runtime.traceback import excepthook

    return excepthook


def _guest_unraisablehook() -> Any:
    from pvm.runtime.traceback import unraisablehook

    return unraisablehook


_GUEST_SYS: GuestSys | None = None


def guest_overrides() -> dict[str, Any]:
    """Return what a guest sys module holds of pvm's own (frames, exceptions, hooks)."""
    d = dict(_OVERRIDES)
    d["excepthook"] = d["__excepthook__"] = _guest_excepthook()
    d["unraisablehook"] = d["__unraisablehook__"] = _guest_unraisablehook()
    from pvm.runtime.builtins import breakpointhook

    d["breakpointhook"] = d["__breakpointhook__"] = breakpointhook
    d["flags"] = guest_flags()
    d["_xoptions"] = guest_xoptions()
    return d


def guest_sys() -> GuestSys:
    """Return the one guest ``sys`` module of this process."""
    global _GUEST_SYS
    if _GUEST_SYS is None:
        mod = GuestSys("sys", sys.__doc__)
        d = mod.__dict__
        d.update(_OVERRIDES)
        # The default hooks print guest frames, as the host's print host frames.
        d["__excepthook__"] = _guest_excepthook()
        d["__unraisablehook__"] = _guest_unraisablehook()
        d["flags"] = guest_flags()
        d["_xoptions"] = guest_xoptions()
        for key in ("__spec__", "__loader__", "__package__"):
            d[key] = getattr(sys, key, None)
        _GUEST_SYS = mod
    return _GUEST_SYS


# -- the host's sys.exc_info, as host code called from guest code sees it ---------------
#
# In CPython, library code called from inside an ``except`` block sees that exception
# through sys.exc_info() (traceback.print_exc(), logging.exception()). Guest handlers
# run in pvm's loop, outside any host ``except`` block, so while a guest program runs
# the host's sys.exc_info()/sys.exception() fall back to the guest's handled exception.

_HOST_EXC_INFO = sys.exc_info
_HOST_EXCEPTION = sys.exception


def _merged_exc_info() -> tuple:
    info = _HOST_EXC_INFO()
    if info[0] is None:
        return exc_info()
    return info


def _merged_exception() -> BaseException | None:
    exc = _HOST_EXCEPTION()
    if exc is None:
        return exception()
    return exc


_merged_exc_info.__doc__ = _HOST_EXC_INFO.__doc__
_merged_exc_info.__name__ = "exc_info"
_merged_exception.__doc__ = _HOST_EXCEPTION.__doc__
_merged_exception.__name__ = "exception"


# warnings.warn() finds the warning's location by walking host frames, which would
# name pvm's dispatch loop; this version continues into guest frames where the host
# stack reaches pvm, as CPython's frames would.

_HOST_WARN = warnings.warn
_PVM_DIR = os.path.dirname(os.path.abspath(__file__)).rpartition(os.sep)[0] + os.sep


class HostFrame:
    """A host frame whose ``f_back`` continues into guest frames where pvm called it."""

    __slots__ = ("_frame", "_guest")

    def __init__(self, frame: Any, guest: Any) -> None:
        self._frame = frame
        self._guest = guest

    def __getattr__(self, name: str) -> Any:
        return getattr(self._frame, name)

    @property
    def f_back(self) -> Any:
        return _logical_frame(self._frame.f_back, self._guest)

    @property
    def __class__(self) -> type:
        return types.FrameType

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HostFrame) and other._frame is self._frame

    def __hash__(self) -> int:
        return id(self._frame)

    def __repr__(self) -> str:
        return repr(self._frame)


def _logical_frame(f: Any, guest: Any) -> Any:
    """Return host frame f as the guest sees it: itself, or the guest frame pvm ran."""
    if f is None:
        return None
    if f.f_code.co_filename.startswith(_PVM_DIR):
        return guest_frame(guest) if guest is not None else None
    return HostFrame(f, guest)


def _logical_frames(start: Any) -> Iterator[Any]:
    """Yield host frames from ``start`` outwards, then guest frames once pvm is reached."""
    frame = _logical_frame(start, _threadstate().frame)
    while frame is not None:
        yield frame
        frame = frame.f_back


def _is_internal(frame: Any) -> bool:
    filename = frame.f_code.co_filename
    return "importlib" in filename and "_bootstrap" in filename


def guest_aware_warn(
    message: Any, category: Any = None, stacklevel: int = 1, source: Any = None
) -> None:
    """Issue a warning like warnings.warn(), locating it in guest code where it is."""
    if isinstance(message, Warning):
        category = message.__class__
    if category is None:
        category = UserWarning
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError(f"category must be a Warning subclass, not '{type(category).__name__:s}'")
    frames = _logical_frames(_HOST_GETFRAME(1))
    frame = next(frames, None)
    if frame is not None and stacklevel > 1 and not _is_internal(frame):
        for _ in range(stacklevel - 1):
            frame = next(frames, None)
            while frame is not None and _is_internal(frame):
                frame = next(frames, None)
            if frame is None:
                break
    else:
        for _ in range(stacklevel - 1):
            frame = next(frames, None)
            if frame is None:
                break
    if frame is None:
        globals_, filename, lineno = sys.__dict__, "sys", 1
    else:
        globals_, filename, lineno = frame.f_globals, frame.f_code.co_filename, frame.f_lineno
    module = globals_.get("__name__", "<string>")
    registry = globals_.setdefault("__warningregistry__", {})
    warnings.warn_explicit(message, category, filename, lineno, module, registry, None, source)


# Host library code that looks at its caller's frame (collections.namedtuple and
# typing take the caller's module name from it; logging finds the calling line;
# traceback.print_stack walks it) must see the guest frame that called it, not pvm's
# dispatch loop.

_HOST_GETFRAME = sys._getframe


def _merged_getframe(depth: int = 0, /) -> Any:
    """Return the frame ``depth`` calls up, continuing into guest frames below pvm."""
    frames = _logical_frames(_HOST_GETFRAME(1))
    frame = next(frames, None)
    for _ in range(depth):
        if frame is None:
            break
        frame = next(frames, None)
    if frame is None:
        raise ValueError("call stack is not deep enough")
    return frame


_merged_getframe.__name__ = "_getframe"
_merged_getframe.__doc__ = _HOST_GETFRAME.__doc__


# A signal handler gets the frame that was running when the signal arrived: for guest
# code that is pvm's dispatch loop, so guest handlers get the guest frame instead.

_HOST_SIGNAL = signal.signal
_HOST_GETSIGNAL = signal.getsignal
_GUEST_HANDLERS: dict[int, tuple[Any, Any]] = {}  # signum -> (wrapper, guest handler)

# Every Python-level handler runs behind a _Delivery while a guest runs.  The host calls
# a handler between any two host bytecodes of the main thread; most places in pvm take
# an exception there as the guest would (at the instruction that runs), but not the code
# that hands the GIL from thread to thread.  Its owner (pvm.concurrency.gil) adds a guard
# to signal_guards that recognizes it by the interrupted frame; a signal landing there
# waits in _pending, and the main thread's next check point (Request.SIGNALS) or the
# next blocking call it makes (deliver_signals) runs the handler, as CPython's eval
# breaker runs handlers.
signal_guards: list = []  # guard(frame) -> True: the handler must wait
SIGNALS_PENDING = [0]  # 1 while _pending holds a deferred signal (a list slot: cheap test)
_pending: list[tuple[int, Any]] = []  # (signum, handler), oldest first


class _Delivery:
    """A host signal handler that defers the real one while pvm must not be interrupted."""

    __slots__ = ("handler",)

    def __init__(self, handler: Any) -> None:
        self.handler = handler

    def __call__(self, signum: int, frame: Any) -> Any:
        for guard in signal_guards:
            if guard(frame):
                _pending.append((signum, self.handler))
                SIGNALS_PENDING[0] = 1
                hooks.request(hooks.Request.SIGNALS)
                return None
        return self.handler(signum, frame)


def deliver_signals() -> None:
    """Run the handlers of deferred signals (the main thread, at a safe point)."""
    if _thread.get_ident() != threading.main_thread().ident or not _pending:
        return
    frame = _HOST_GETFRAME(1)  # sys._getframe is the guest's view while a run goes on
    try:
        while _pending:
            signum, handler = _pending.pop(0)
            handler(signum, frame)
    finally:
        if not _pending:
            SIGNALS_PENDING[0] = 0
            hooks.clear(hooks.Request.SIGNALS)


def _signals_at_check_point(tstate: Any, frame: Any) -> None:
    deliver_signals()


hooks.add_breaker_handler(hooks.Request.SIGNALS, _signals_at_check_point)


def _host_signal(signalnum: Any, handler: Any) -> Any:
    """The host's signal.signal() behind a _Delivery; returns the previous unwrapped handler."""
    if callable(handler) and not isinstance(handler, _Delivery):
        handler = _Delivery(handler)
    previous = _HOST_SIGNAL(signalnum, handler)
    return previous.handler if isinstance(previous, _Delivery) else previous


def _wrap_installed_handlers() -> None:
    """Put each Python-level handler already installed (SIGINT's) behind a _Delivery."""
    if _thread.get_ident() != threading.main_thread().ident:
        return
    for signum in _CATCHABLE:
        current = _HOST_GETSIGNAL(signum)
        if callable(current) and not isinstance(current, _Delivery):
            _HOST_SIGNAL(signum, _Delivery(current))


def _unwrap_installed_handlers() -> None:
    if _thread.get_ident() != threading.main_thread().ident:
        return
    for signum in _CATCHABLE:
        current = _HOST_GETSIGNAL(signum)
        if isinstance(current, _Delivery):
            _HOST_SIGNAL(signum, current.handler)
    del _pending[:]
    SIGNALS_PENDING[0] = 0
    hooks.clear(hooks.Request.SIGNALS)


_CATCHABLE = sorted(set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP})


def _is_guest_callable(func: Any) -> bool:
    """Return whether func is a guest function, or a method bound to one.

    Those get the guest's view of frames (a signal handler's frame, a trace function's
    events); any other callable is host code and gets the host's.
    """
    from pvm.vm.function import Function

    if isinstance(func, types.MethodType):
        func = func.__func__
    return type(func) is Function


def _unwrap_handler(handler: Any) -> Any:
    if isinstance(handler, _Delivery):
        handler = handler.handler
    for wrapper, guest in _GUEST_HANDLERS.values():
        if handler is wrapper:
            return guest
    return handler


def guest_aware_signal(signalnum: Any, handler: Any) -> Any:
    """signal.signal(), handing guest handlers the guest frame the signal interrupted."""
    if _is_guest_callable(handler):
        guest = handler

        def handler(signum: int, frame: Any) -> Any:
            return guest(signum, _logical_frame(frame, _threadstate().frame))

        previous = _unwrap_handler(_host_signal(signalnum, handler))
        _GUEST_HANDLERS[int(signalnum)] = (handler, guest)
    else:
        previous = _unwrap_handler(_host_signal(signalnum, handler))
        _GUEST_HANDLERS.pop(int(signalnum), None)
    return previous


def guest_aware_getsignal(signalnum: Any) -> Any:
    """signal.getsignal(), answering with the guest's handler rather than its wrapper."""
    return _unwrap_handler(_HOST_GETSIGNAL(signalnum))


# threading.settrace()/setprofile() keep the function for new threads, which install it
# with the host's sys.settrace()/setprofile() as they start: a guest function given to
# those becomes the thread's guest trace (profile) function instead.

_HOST_SETTRACE = sys.settrace
_HOST_SETPROFILE = sys.setprofile


def guest_aware_settrace(function: Any, /) -> None:
    """sys.settrace() for host code: a guest function traces the thread's guest frames."""
    from pvm.vm import trace

    if function is None or _is_guest_callable(function):
        trace.settrace(function)
        if function is not None:
            return
    _HOST_SETTRACE(function)


def guest_aware_setprofile(function: Any, /) -> None:
    """sys.setprofile() for host code: a guest function profiles the thread's guest frames."""
    from pvm.vm import trace

    if function is None or _is_guest_callable(function):
        trace.setprofile(function)
        if function is not None:
            return
    _HOST_SETPROFILE(function)


def install_host_patch() -> None:
    """Let host code see guest state: sys.exc_info(), sys._getframe(), warnings, signals."""
    sys.settrace = guest_aware_settrace
    sys.setprofile = guest_aware_setprofile
    sys.exc_info = _merged_exc_info
    sys.exception = _merged_exception
    sys._getframe = _merged_getframe
    warnings.warn = guest_aware_warn
    signal.signal = guest_aware_signal
    signal.getsignal = guest_aware_getsignal
    _wrap_installed_handlers()


def uninstall_host_patch() -> None:
    """Undo install_host_patch()."""
    sys.settrace = _HOST_SETTRACE
    sys.setprofile = _HOST_SETPROFILE
    sys.exc_info = _HOST_EXC_INFO
    sys.exception = _HOST_EXCEPTION
    sys._getframe = _HOST_GETFRAME
    warnings.warn = _HOST_WARN
    signal.signal = _HOST_SIGNAL
    signal.getsignal = _HOST_GETSIGNAL
    _unwrap_installed_handlers()


hooks.provide(frame_view=guest_frame)
