"""Guest generators, coroutines and async generators, behaving like the host's.

What belongs here: the generator, coroutine and async generator types (send, throw,
close, ``gi_frame``/``cr_await`` and friends), the async generators' asend/athrow
awaitables, and their registration with collections.abc.  What does not: the
instructions that suspend and resume them (YIELD_VALUE and SEND in
pvm.vm.interpreter, the rest in pvm.vm.handlers_flow), the guest-visible frame view
(pvm.runtime.sysmodule.guest_frame, lent through pvm.vm.hooks).
"""

from __future__ import annotations

import collections.abc
import operator
import sys
import threading
import types
import weakref
from typing import Any

from pvm.bytecode.code import BUILTINS_MODULE
from pvm.vm import decode as _decode
from pvm.vm.frame import Frame
from pvm.vm.hooks import services
from pvm.vm.null import NULL
from pvm.vm.support import generator_sizeof, unraisable_args
from pvm.vm.threadstate import current

_YIELD_VALUE = _decode.INLINE.index("YIELD_VALUE")
_SEND = _decode.INLINE.index("SEND")


def _run_frame(frame: Frame, throw: BaseException | None = None) -> Any:
    """Run frame on the interpreter (bound to interpreter.run_frame on first use)."""
    global _run_frame
    from pvm.vm.interpreter import run_frame

    _run_frame = run_frame
    return run_frame(frame, throw)


def _class_of(obj: Any, cls: type, host: type) -> type:
    """``g.__class__``: the guest's ``types.GeneratorType`` (and friends).

    In a guest world the guest's ``types`` module names pvm's classes; on the host's
    library (--native-stdlib) it is the host's, whose C types the host's inspect checks
    isinstance() against, and ``__class__`` is what makes those checks true.
    """
    return cls if services.modules is not sys.modules else host


def _normalize_throw(typ: Any, val: Any, tb: Any) -> BaseException:
    """Turn throw()'s arguments into one exception instance, with CPython's errors."""
    if tb is not None and not isinstance(tb, types.TracebackType):
        raise TypeError("throw() third argument must be a traceback object")
    if isinstance(typ, type) and issubclass(typ, BaseException):
        if isinstance(val, typ):
            exc = val
        elif val is None:
            exc = typ()
        elif isinstance(val, tuple):
            exc = typ(*val)
        else:
            exc = typ(val)
    elif isinstance(typ, BaseException):
        if val is not None:
            raise TypeError("instance exception may not have a separate value")
        exc = typ
    else:
        raise TypeError(
            "exceptions must be classes or instances deriving from BaseException, "
            f"not {type(typ).__name__}"
        )
    if not isinstance(exc, BaseException):
        # As CPython's _gen_throw: a failed normalization is itself thrown in.
        return TypeError(
            f"calling {typ!r} should have returned an instance of BaseException, not {type(exc)!r}"
        )
    if tb is not None:
        if type(tb) is types.TracebackType:
            exc.__traceback__ = tb
        else:  # the guest's view of a traceback (see pvm.vm.hooks.services)
            services.set_traceback(exc, tb)
    return exc


def _frame_view(frame: Frame | None) -> Any:
    """Return the guest's view of a generator's frame (what sys._getframe() shows), or None."""
    if frame is None:
        return None
    return services.frame_view(frame)


# The gi_/cr_/ag_ attributes: the same state under each kind's CPython names.
def _frame_of(self: Any) -> Any:
    return _frame_view(self._frame)


def _running_of(self: Any) -> bool:
    return self._running


def _suspended_of(self: Any) -> bool:
    return self._frame is not None and self._frame.f_suspended


def _code_of(self: Any) -> Any:
    return self._code


def _awaiting_of(self: Any) -> Any:
    return self._yieldfrom()


class _Base:
    """What generators, coroutines and async generators share: running their frame."""

    __slots__ = ("__name__", "__qualname__", "__weakref__", "_code", "_exc", "_frame", "_running")
    _kind = "generator"

    def __init__(self, func: Any, frame: Frame) -> None:
        # A weak reference: a strong one would make a cycle, and the generator would
        # outlive its last reference (its finally blocks would run late).
        frame.f_generator = weakref.ref(self)
        frame.f_suspended = False
        self._frame: Frame | None = frame
        self._code = frame.f_code
        self._running = False
        self._exc: BaseException | None = None  # handled exception while suspended
        self.__name__ = func.__name__
        self.__qualname__ = func.__qualname__

    def __reduce__(self) -> Any:
        raise TypeError(f"cannot pickle '{type(self).__name__}' object")

    def __sizeof__(self) -> int:
        return generator_sizeof(self._code)

    def __del__(self) -> None:
        self._gen_finalize()

    def _gen_finalize(self) -> None:
        # As CPython's _PyGen_Finalize (also what frame.clear() does to a generator's
        # frame): a started, unfinished generator is closed, so its finally blocks
        # run; an unstarted coroutine warns; errors go to sys.unraisablehook.
        frame = self._frame
        if frame is None or self._running:
            return
        if frame.f_lasti < 0:
            if self._kind == "coroutine":
                _warn_never_awaited(self)
            return
        try:
            self._finalize()
        except BaseException as e:  # noqa: BLE001  (re-raised or handed on)
            import sys

            sys.unraisablehook(_unraisable(e, self))

    def _finalize(self) -> None:
        self._close()

    def _yieldfrom(self) -> Any:
        """Return the receiver this generator is delegating to (yield from / await), or None."""
        frame = self._frame
        if frame is None or self._running or frame.f_lasti < 0:
            return None
        op, arg = frame.f_code._decoded.plain[frame.f_lasti]
        if op == _YIELD_VALUE and arg == 1 and frame.f_suspended:
            return frame.stack[-1]
        return None

    def _resume(self, value: Any, exc: BaseException | None = None) -> tuple[bool, Any]:
        """Run the frame with value sent (or exc thrown); return (finished, value)."""
        frame = self._frame
        kind = self._kind
        if self._running:
            raise ValueError(f"{kind} already executing")
        if frame is None:
            if kind == "coroutine":
                raise RuntimeError("cannot reuse already awaited coroutine")
            if exc is not None:
                raise exc
            return True, None
        if frame.f_lasti < 0:
            if value is not None and exc is None:
                raise TypeError(f"can't send non-None value to a just-started {kind}")
        elif exc is None:
            frame.stack.append(value)
        frame.f_suspended = False
        tstate = current()
        # The generator owns its handled-exception state while it runs (CPython's
        # gi_exc_state pushed on the thread's exc_info chain).
        outer = tstate.exc_outer
        outer.append(tstate.exc)
        tstate.exc = self._exc
        self._running = True
        try:
            result = _run_frame(frame, exc)
        except BaseException as e:
            # This host frame stays in e's traceback: holding e in a local would make
            # a cycle, and the generator (and its locals) would wait for the collector.
            exc = None
            frame.f_back = None
            self._running = False
            self._frame = None
            self._exc = None
            tstate.exc = outer.pop()
            if isinstance(e, StopIteration):
                raise RuntimeError(f"{kind} raised StopIteration") from e  # noqa: TRY004
            if isinstance(e, StopAsyncIteration) and kind == "async generator":
                raise RuntimeError("async generator raised StopAsyncIteration") from e
            raise
        # A suspended generator's frame has no caller (CPython's f_back is None then);
        # keeping it would keep the resumer's frame, and its locals, alive.
        frame.f_back = None
        self._running = False
        handled = tstate.exc
        tstate.exc = outer.pop()
        if frame.f_suspended:
            self._exc = handled
            return False, result
        frame.finish()
        self._frame = None
        self._exc = None
        return True, result

    def _pvm_send(self, value: Any) -> tuple[bool, Any]:
        # SEND's fast path: no StopIteration raised and caught per finished delegation.
        return self._resume(value)

    def _throw(self, exc: BaseException) -> tuple[bool, Any]:
        """Throw exc in, delegating to a yield-from receiver as CPython's _gen_throw."""
        try:
            return self._throw_in(exc)
        finally:
            exc = None  # see _resume: no cycle through the traceback

    def _throw_in(self, exc: BaseException) -> tuple[bool, Any]:
        yf = self._yieldfrom()
        if yf is not None:
            frame = self._frame
            assert frame is not None
            if isinstance(exc, GeneratorExit):
                self._running = True
                try:
                    _close_iter(yf)
                except BaseException as e:  # noqa: BLE001  (re-raised or handed on)
                    failure: BaseException | None = e
                else:
                    failure = None
                finally:
                    self._running = False
                return self._resume(None, failure or exc)
            if isinstance(yf, _Base):
                thrower: Any = yf._throw
            else:
                meth = getattr(yf, "throw", None)
                if meth is None:
                    return self._resume(None, exc)

                def thrower(e: BaseException, meth: Any = meth) -> tuple[bool, Any]:
                    return False, meth(e)

            self._running = True
            tstate = current()
            frame.f_back = tstate.frame
            tstate.frame = frame  # the delegate's frame links to ours, as in CPython
            try:
                done, value = thrower(exc)
            except BaseException as e:  # noqa: BLE001  (re-raised or handed on)
                failure = e
                done = value = None
            else:
                failure = None
            finally:
                self._running = False
                tstate.frame = frame.f_back
                frame.f_back = None
            if failure is None and not done:
                return False, value
            if failure is None or isinstance(failure, StopIteration):
                # The receiver finished: resume at SEND's target with its value.
                result = value if failure is None else failure.value
                frame.stack.pop()
                frame.f_lasti = frame.f_code._decoded.plain[frame.f_lasti - 1][1] - 1
                frame.stack.append(result)
                return self._resume_pushed()
            return self._resume(None, failure)
        try:
            return self._resume(None, exc)
        finally:
            exc = None

    def _resume_pushed(self) -> tuple[bool, Any]:
        # The value to resume with is already on the stack; _resume must not push.
        frame = self._frame
        assert frame is not None
        value = frame.stack.pop()
        return self._resume(value)

    def _close(self) -> None:
        """Close as CPython's gen_close: throw GeneratorExit in; complain if it yields."""
        if self._frame is None:
            return
        if self._frame.f_lasti < 0:
            self._frame = None  # never started: nothing to clean up
            return
        try:
            done, _value = self._throw(GeneratorExit())
        except (GeneratorExit, StopIteration):
            return
        if not done:
            raise RuntimeError(f"{self._kind} ignored GeneratorExit")

    def __repr__(self) -> str:
        # The host type's name, as CPython: "<async_generator object ...>".
        return f"<{self.__class__.__name__} object {self.__qualname__} at {id(self):#x}>"


def _warn_never_awaited(coro: Any) -> None:
    """Warn that a coroutine was never awaited, as CPython's _PyErr_WarnUnawaitedCoroutine:
    through the guest's warnings._warn_unawaited_coroutine (which shows cr_origin), else
    (missing or broken: reported as unraisable) a plain RuntimeWarning."""
    import warnings as host_warnings

    guest_sys = services.modules.get("sys", sys)
    warnings = services.modules.get("warnings") or host_warnings
    warned = False
    warn = getattr(warnings, "_warn_unawaited_coroutine", None)
    if warn is not None:
        try:
            warn(coro)
            warned = True
        except BaseException as e:  # noqa: BLE001  (reported as unraisable)
            warned = isinstance(e, RuntimeWarning)
            guest_sys.unraisablehook(_unraisable(e, coro))
    if not warned:
        try:
            warnings.warn(f"coroutine '{coro.__qualname__}' was never awaited", RuntimeWarning, 2)
        except BaseException as e:  # noqa: BLE001  (reported as unraisable)
            guest_sys.unraisablehook(_unraisable(e, coro))


# sys.set_coroutine_origin_tracking_depth(): per thread, as CPython's; _TRACKING[0] says
# whether any thread tracks, so that making a coroutine costs nothing when none does.
_TRACKING = [False]
_DEPTH = threading.local()


def set_coroutine_origin_tracking_depth(depth: int) -> None:
    """sys.set_coroutine_origin_tracking_depth() for guest coroutines."""
    depth = operator.index(depth)
    if depth < 0:
        raise ValueError("depth must be >= 0")
    _DEPTH.depth = depth
    if depth:
        _TRACKING[0] = True


def get_coroutine_origin_tracking_depth() -> int:
    """sys.get_coroutine_origin_tracking_depth() for guest coroutines."""
    return getattr(_DEPTH, "depth", 0)


def _origin() -> tuple | None:
    """cr_origin of a coroutine made now: (file, line, function) of its callers, innermost
    first, as many as the thread's tracking depth."""
    depth = getattr(_DEPTH, "depth", 0)
    if not depth:
        return None
    frame = current().frame
    view = services.frame_view(frame) if frame is not None else None
    origin = []
    while view is not None and len(origin) < depth:
        code = view.f_code
        origin.append((code.co_filename, view.f_lineno, code.co_name))
        view = view.f_back
    return tuple(origin)


def _unraisable(exc: BaseException, obj: Any) -> Any:
    """Return sys.unraisablehook's argument for exc ignored in obj, as PyErr_WriteUnraisable."""
    return unraisable_args(type(exc), exc, exc.__traceback__, None, obj)


def _close_iter(yf: Any) -> None:
    if isinstance(yf, _Base):
        yf._close()
        return
    try:
        meth = getattr(yf, "close", None)
    except Exception as e:  # noqa: BLE001  (as CPython's gen_close_iter: reported, not raised)
        import sys

        sys.unraisablehook(_unraisable(e, yf))
        meth = None
    if meth is not None:
        meth()


class _Resumable(_Base):
    """What generators and coroutines share: send(), throw() and close()."""

    __slots__ = ()

    def send(self, value: Any) -> Any:
        done, value = self._resume(value)
        if done:
            raise StopIteration if value is None else StopIteration(value)
        return value

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        try:
            done, value = self._throw(_normalize_throw(typ, val, tb))
        finally:
            typ = val = tb = None  # see _resume: no cycle through the traceback
        if done:
            raise StopIteration if value is None else StopIteration(value)
        return value

    def close(self) -> None:
        self._close()


class Generator(_Resumable):
    """A guest generator."""

    __slots__ = ()

    def __iter__(self) -> Generator:
        return self

    def __next__(self) -> Any:
        done, value = self._resume(None)
        if done:
            raise StopIteration if value is None else StopIteration(value)
        return value

    gi_frame = property(_frame_of)

    __class__ = property(lambda self: _class_of(self, Generator, types.GeneratorType))

    gi_running = property(_running_of)
    gi_suspended = property(_suspended_of)
    gi_code = property(_code_of)
    gi_yieldfrom = property(_awaiting_of)


class Coroutine(_Resumable):
    """A guest coroutine (async def)."""

    __slots__ = ("_origin",)
    _kind = "coroutine"

    def __init__(self, func: Any, frame: Frame) -> None:
        super().__init__(func, frame)
        self._origin = _origin() if _TRACKING[0] else None

    def __await__(self) -> _CoroutineWrapper:
        return _CoroutineWrapper(self)

    cr_frame = property(_frame_of)

    __class__ = property(lambda self: _class_of(self, Coroutine, types.CoroutineType))

    cr_running = property(_running_of)
    cr_suspended = property(_suspended_of)
    cr_code = property(_code_of)
    cr_await = property(_awaiting_of)

    @property
    def cr_origin(self) -> tuple | None:
        return self._origin


class _CoroutineWrapper:
    """What coroutine.__await__() returns: an iterator driving the coroutine."""

    __slots__ = ("_coro",)

    def __init__(self, coro: Coroutine) -> None:
        self._coro = coro

    def __iter__(self) -> _CoroutineWrapper:
        return self

    def __next__(self) -> Any:
        return self._coro.send(None)

    def send(self, value: Any) -> Any:
        return self._coro.send(value)

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        return self._coro.throw(typ, val, tb)

    def close(self) -> None:
        self._coro.close()

    def __reduce__(self) -> Any:
        raise TypeError("cannot pickle 'coroutine_wrapper' object")


class AsyncGenWrapped:
    """A value yielded by an async generator (ASYNC_GEN_WRAP), as opposed to an await."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class AsyncGenerator(_Base):
    """A guest async generator."""

    __slots__ = ("_closed", "_finalizer", "_hooks_inited", "_running_async")
    _kind = "async generator"

    def __init__(self, func: Any, frame: Frame) -> None:
        super().__init__(func, frame)
        self._running_async = False
        self._closed = False
        self._finalizer: Any = None
        self._hooks_inited = False

    def _init_hooks(self) -> None:
        """Call sys.get_asyncgen_hooks().firstiter once, as CPython's async_gen_init_hooks."""
        if self._hooks_inited:
            return
        self._hooks_inited = True
        import sys

        firstiter, finalizer = sys.get_asyncgen_hooks()
        self._finalizer = finalizer
        if firstiter is not None:
            firstiter(self)

    def _finalize(self) -> None:
        if self._finalizer is not None:
            self._finalizer(self)  # e.g. asyncio schedules aclose() on its loop
            return
        self._close()

    def __aiter__(self) -> AsyncGenerator:
        return self

    def __anext__(self) -> _ASend:
        self._init_hooks()
        return _ASend(self, None)

    def asend(self, value: Any) -> _ASend:
        self._init_hooks()
        return _ASend(self, value)

    def athrow(self, typ: Any, val: Any = None, tb: Any = None) -> _AThrow:
        self._init_hooks()
        return _AThrow(self, (typ, val, tb))

    def aclose(self) -> _AThrow:
        self._init_hooks()
        return _AThrow(self, None)

    def _unwrap(self, step: Any) -> Any:
        """Run one step of the frame; turn a wrapped yield into StopIteration(value)."""
        try:
            done, value = step()
        except (StopAsyncIteration, GeneratorExit):
            self._closed = True
            self._running_async = False
            raise
        except BaseException:
            self._running_async = False
            raise
        if done:
            self._closed = True
            self._running_async = False
            raise StopAsyncIteration
        if type(value) is AsyncGenWrapped:
            self._running_async = False
            raise StopIteration(value.value)
        return value

    ag_frame = property(_frame_of)

    __class__ = property(lambda self: _class_of(self, AsyncGenerator, types.AsyncGeneratorType))

    @property
    def ag_running(self) -> bool:
        return self._running_async

    ag_code = property(_code_of)
    ag_await = property(_awaiting_of)


_INIT, _ITER, _CLOSED = 0, 1, 2


class _ASend:
    """The awaitable of asend() / __anext__()."""

    __slots__ = ("_gen", "_state", "_value")

    def __init__(self, gen: AsyncGenerator, value: Any) -> None:
        self._gen = gen
        self._value = value
        self._state = _INIT

    def __await__(self) -> _ASend:
        return self

    def __iter__(self) -> _ASend:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def send(self, value: Any) -> Any:
        gen = self._gen
        if self._state == _CLOSED:
            raise RuntimeError("cannot reuse already awaited __anext__()/asend()")
        if self._state == _INIT:
            if gen._running_async:
                self._state = _CLOSED
                raise RuntimeError("anext(): asynchronous generator is already running")
            if value is None:
                value = self._value
            self._state = _ITER
        gen._running_async = True
        try:
            return gen._unwrap(lambda: gen._resume(value))
        except BaseException:
            self._state = _CLOSED
            raise

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        if self._state == _CLOSED:
            raise RuntimeError("cannot reuse already awaited __anext__()/asend()")
        gen = self._gen
        exc = _normalize_throw(typ, val, tb)
        try:
            return gen._unwrap(lambda: gen._throw(exc))
        except BaseException:
            self._state = _CLOSED
            raise

    def close(self) -> None:
        self._state = _CLOSED


class _AThrow:
    """The awaitable of athrow() / aclose() (args None)."""

    __slots__ = ("_args", "_gen", "_state")

    def __init__(self, gen: AsyncGenerator, args: tuple | None) -> None:
        self._gen = gen
        self._args = args
        self._state = _INIT

    def __await__(self) -> _AThrow:
        return self

    def __iter__(self) -> _AThrow:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def _finish(self, step: Any) -> Any:
        gen = self._gen
        try:
            if self._args is not None:
                return gen._unwrap(step)
            done, value = step()
            if not done and type(value) is AsyncGenWrapped:
                gen._running_async = False
                self._state = _CLOSED
                raise RuntimeError("async generator ignored GeneratorExit")
            if done:
                raise StopAsyncIteration
            return value
        except (StopAsyncIteration, GeneratorExit):
            gen._running_async = False
            self._state = _CLOSED
            if self._args is None:
                raise StopIteration from None
            raise
        except BaseException:
            gen._running_async = False
            self._state = _CLOSED
            raise

    def send(self, value: Any) -> Any:
        gen = self._gen
        if self._state == _CLOSED:
            raise RuntimeError("cannot reuse already awaited aclose()/athrow()")
        if gen._frame is None:
            self._state = _CLOSED
            raise StopIteration
        if self._state == _INIT:
            if gen._running_async:
                self._state = _CLOSED
                what = "aclose" if self._args is None else "athrow"
                raise RuntimeError(f"{what}(): asynchronous generator is already running")
            if gen._closed:
                self._state = _CLOSED
                raise StopAsyncIteration
            if value is not None:
                raise RuntimeError("can't send non-None value to a just-started coroutine")
            self._state = _ITER
            gen._running_async = True
            if self._args is None:
                gen._closed = True
                exc: BaseException = GeneratorExit()
            else:
                exc = _normalize_throw(*self._args)
            if gen._frame.f_lasti < 0 and self._args is None:
                gen._frame = None
                gen._running_async = False
                self._state = _CLOSED
                raise StopIteration
            return self._finish(lambda: gen._throw(exc))
        return self._finish(lambda: gen._resume(value))

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        if self._state == _CLOSED:
            raise RuntimeError("cannot reuse already awaited aclose()/athrow()")
        gen = self._gen
        exc = _normalize_throw(typ, val, tb)
        return self._finish(lambda: gen._throw(exc))

    def close(self) -> None:
        self._state = _CLOSED


# Guest code sees CPython's types: type(g) prints <class 'generator'>, a builtin type.
for _cls, _name in (
    (Generator, "generator"),
    (Coroutine, "coroutine"),
    (AsyncGenerator, "async_generator"),
    (_CoroutineWrapper, "coroutine_wrapper"),
    (_ASend, "async_generator_asend"),
    (_AThrow, "async_generator_athrow"),
):
    _cls.__name__ = _cls.__qualname__ = _name
    _cls.__module__ = BUILTINS_MODULE  # as CPython's: the type's, not its instances'

collections.abc.Generator.register(Generator)
collections.abc.Coroutine.register(Coroutine)
collections.abc.AsyncGenerator.register(AsyncGenerator)
collections.abc.Iterator.register(_CoroutineWrapper)
collections.abc.Awaitable.register(_ASend)
collections.abc.Awaitable.register(_AThrow)

_KINDS = {
    _decode.KIND_GENERATOR: Generator,
    _decode.KIND_COROUTINE: Coroutine,
    _decode.KIND_ASYNC_GENERATOR: AsyncGenerator,
}


def new(func: Any, frame: Frame) -> _Base:
    """Return the generator, coroutine or async generator object that runs frame."""
    return _KINDS[func._kind](func, frame)


class _Names:
    __slots__ = ("__name__", "__qualname__")


def new_from_frame(kind: int, name: str, qualname: str, frame: Frame) -> _Base:
    """Return the generator object of a kind (decode.KIND_*) for a frame not made by a call."""
    names = _Names()
    names.__name__, names.__qualname__ = name, qualname
    return _KINDS[kind](names, frame)


__all__ = ["NULL", "AsyncGenWrapped", "AsyncGenerator", "Coroutine", "Generator", "new"]
