"""Instruction handlers for generators, coroutines, exceptions and with statements.

What belongs here: the table handlers for await and async iteration, exception
matching (``except``, ``except*``), ``with``/``async with``, and the decoder-only
``__traceback__`` operations.  What does not: raising and unwinding (pvm.vm.interpreter),
the generator objects (pvm.vm.generator), the rest of the table (pvm.vm.handlers).
"""

from __future__ import annotations

import types
from typing import Any

from pvm.vm import guesttb as _guesttb
from pvm.vm.frame import Frame
from pvm.vm.hooks import GIL_ON, services
from pvm.vm.hooks import gil as _gil
from pvm.vm.null import NULL
from pvm.vm.support import lookup_special, tp_name

# -- generators and coroutines ---------------------------------------------------------


def GET_YIELD_FROM_ITER(frame: Frame, stack: list, arg: int) -> None:
    from pvm.vm.generator import Coroutine, Generator

    o = stack[-1]
    if type(o) is Coroutine or type(o) is types.CoroutineType:
        if not frame.f_code.co_flags & 0x180:  # CO_COROUTINE | CO_ITERABLE_COROUTINE
            raise TypeError("cannot 'yield from' a coroutine object in a non-coroutine generator")
    elif type(o) is not Generator and type(o) is not types.GeneratorType:
        stack[-1] = iter(o)


def get_awaitable(o: Any, where: int) -> Any:
    """Return the iterator that awaiting o drives, as CPython's _PyCoro_GetAwaitableIter."""
    from pvm.vm.generator import Coroutine, Generator

    t = type(o)
    if t is Coroutine or t is types.CoroutineType:
        return o
    if (t is Generator or t is types.GeneratorType) and o.gi_code.co_flags & 0x100:
        # CO_ITERABLE_COROUTINE: a generator that types.coroutine marked (asyncio.sleep(0))
        return o
    await_ = getattr(t, "__await__", None)
    if await_ is None:
        if where == 1:
            raise TypeError(
                "'async with' received an object from __aenter__ that does not implement "
                f"__await__: {tp_name(t)}"
            )
        if where == 2:
            raise TypeError(
                "'async with' received an object from __aexit__ that does not implement "
                f"__await__: {tp_name(t)}"
            )
        raise TypeError(f"object {tp_name(t)} can't be used in 'await' expression")
    it = await_(o)
    if type(it) is Coroutine or type(it) is types.CoroutineType:
        raise TypeError("__await__() returned a coroutine")
    if not hasattr(type(it), "__next__"):
        raise TypeError(f"__await__() returned non-iterator of type '{tp_name(type(it))}'")
    return it


def GET_AWAITABLE(frame: Frame, stack: list, arg: int) -> None:
    from pvm.vm.generator import Coroutine

    it = get_awaitable(stack[-1], arg)
    if type(it) is Coroutine and it._yieldfrom() is not None:
        raise RuntimeError("coroutine is being awaited already")
    stack[-1] = it


def GET_AITER(frame: Frame, stack: list, arg: int) -> None:
    o = stack[-1]
    aiter = getattr(type(o), "__aiter__", None)
    if aiter is None:
        raise TypeError(
            f"'async for' requires an object with __aiter__ method, got {tp_name(type(o))}"
        )
    it = aiter(o)
    if getattr(type(it), "__anext__", None) is None:
        raise TypeError(
            "'async for' received an object from __aiter__ that does not implement "
            f"__anext__: {tp_name(type(it))}"
        )
    stack[-1] = it


def GET_ANEXT(frame: Frame, stack: list, arg: int) -> None:
    ai = stack[-1]
    anext = getattr(type(ai), "__anext__", None)
    if anext is None:
        raise TypeError(
            f"'async for' requires an iterator with __anext__ method, got {tp_name(type(ai))}"
        )
    r = anext(ai)
    try:
        it = get_awaitable(r, 0)
    except Exception as e:
        raise TypeError(
            f"'async for' received an invalid object from __anext__: {tp_name(type(r))}"
        ) from e
    stack.append(it)


def BEFORE_ASYNC_WITH(frame: Frame, stack: list, arg: int) -> None:
    m = stack.pop()
    enter = lookup_special(m, "__aenter__")
    if enter is NULL:
        raise TypeError(
            f"'{tp_name(type(m))}' object does not support the asynchronous context "
            "manager protocol"
        )
    exit = lookup_special(m, "__aexit__")
    if exit is NULL:
        raise TypeError(
            f"'{tp_name(type(m))}' object does not support the asynchronous context "
            "manager protocol (missed __aexit__ method)"
        )
    stack.append(exit)
    # As CPython 3.11: the compiler follows this with GET_AWAITABLE 1.
    stack.append(enter())


def ASYNC_GEN_WRAP(frame: Frame, stack: list, arg: int) -> None:
    from pvm.vm.generator import AsyncGenWrapped

    stack[-1] = AsyncGenWrapped(stack[-1])


# -- exceptions and with ---------------------------------------------------------------


def load_attr_traceback(frame: Frame, stack: list, arg: str) -> None:
    """LOAD_ATTR __traceback__: an exception's traceback walks the guest's frames."""
    o = stack[-1]
    if isinstance(o, BaseException):
        stack[-1] = services.traceback_view(o)  # built by the runtime layer
    else:
        stack[-1] = getattr(o, arg)


def load_attr_with_traceback(frame: Frame, stack: list, arg: str) -> None:
    """LOAD_ATTR with_traceback: an exception's method also accepts a guest traceback."""
    o = stack[-1]
    stack[-1] = services.with_traceback(o) if isinstance(o, BaseException) else getattr(o, arg)


def load_method_with_traceback(frame: Frame, stack: list, arg: str) -> None:
    """LOAD_METHOD with_traceback: as load_attr_with_traceback, in the method form."""
    o = stack[-1]
    stack.append(services.with_traceback(o) if isinstance(o, BaseException) else getattr(o, arg))
    stack[-2] = NULL


def store_attr_traceback(frame: Frame, stack: list, arg: str) -> None:
    """STORE_ATTR __traceback__: an exception's traceback is replaced, guest frames too."""
    o = stack.pop()
    value = stack.pop()
    if isinstance(o, BaseException):
        services.set_traceback(o, value)
    else:
        setattr(o, arg, value)


def _check_except_type(t: Any) -> None:
    if isinstance(t, tuple):
        for item in t:
            if not (isinstance(item, type) and issubclass(item, BaseException)):
                raise TypeError(
                    "catching classes that do not inherit from BaseException is not allowed"
                )
    elif not (isinstance(t, type) and issubclass(t, BaseException)):
        raise TypeError("catching classes that do not inherit from BaseException is not allowed")


def exception_matches(exc: BaseException, t: Any) -> bool:
    """Match as PyErr_GivenExceptionMatches: by the MRO, never __subclasscheck__."""
    if isinstance(t, tuple):
        return any(exception_matches(exc, item) for item in t)
    return t in type(exc).__mro__


def CHECK_EXC_MATCH(frame: Frame, stack: list, arg: int) -> None:
    t = stack.pop()
    _check_except_type(t)
    stack.append(exception_matches(stack[-1], t))


def CHECK_EG_MATCH(frame: Frame, stack: list, arg: int) -> None:
    from pvm.vm.threadstate import current

    t = stack.pop()
    _check_except_type(t)
    types_ = t if isinstance(t, tuple) else (t,)
    if any(issubclass(x, BaseExceptionGroup) for x in types_):
        raise TypeError("catching ExceptionGroup with except* is not allowed. Use except instead.")
    exc = stack[-1]
    if exc is None:
        match, rest = None, None
    elif exception_matches(exc, t):
        if isinstance(exc, BaseExceptionGroup):
            match = exc
        else:
            match = BaseExceptionGroup("", [exc])
            match.__traceback__ = exc.__traceback__
            _copy_tb(exc, match)
        rest = None
    elif isinstance(exc, BaseExceptionGroup):
        match, rest = exc.split(t)
        _copy_tb(exc, match)
        _copy_tb(exc, rest)
    else:
        match, rest = None, None
    if match is None:
        stack.append(None)
    else:
        stack[-1] = rest
        stack.append(match)
        current().exc = match


def _copy_tb(src: Any, dst: Any) -> None:
    tb = getattr(src, "__pvm_tb__", None)
    if dst is not None and tb is not None and dst is not src:
        _guesttb.start(dst).extend(tb)
        services.traceback_view(src)  # made now, so that the parts share it
        _guesttb.share_view(src, dst)


def _same_metadata(a: BaseException, b: BaseException) -> bool:
    return (
        getattr(a, "__notes__", None) is getattr(b, "__notes__", None)
        and a.__traceback__ is b.__traceback__
        and a.__cause__ is b.__cause__
        and a.__context__ is b.__context__
    )


def _leaf_ids(exc: BaseException, out: set) -> None:
    if isinstance(exc, BaseExceptionGroup):
        for e in exc.exceptions:
            _leaf_ids(e, out)
    else:
        out.add(id(exc))


def PREP_RERAISE_STAR(frame: Frame, stack: list, arg: int) -> None:
    excs = stack.pop()
    orig = stack[-1]
    if not excs:
        stack[-1] = None
        return
    if not isinstance(orig, BaseExceptionGroup):
        # A naked exception was caught and wrapped: at most one clause ran.
        stack[-1] = next((e for e in excs if e is not None), None)
        return
    raised, reraised = [], []
    for e in excs:
        if e is not None:
            (reraised if _same_metadata(e, orig) else raised).append(e)
    ids: set = set()
    for e in reraised:
        _leaf_ids(e, ids)
    reraised_eg = orig.split(lambda e: id(e) in ids)[0] if ids else None
    _copy_tb(orig, reraised_eg)
    if raised:
        if reraised_eg is not None:
            raised.append(reraised_eg)
        result = raised[0] if len(raised) == 1 else BaseExceptionGroup("", raised)
    else:
        result = reraised_eg
    stack[-1] = result


def BEFORE_WITH(frame: Frame, stack: list, arg: int) -> None:
    m = stack.pop()
    enter = lookup_special(m, "__enter__")
    if enter is NULL:
        raise TypeError(
            f"'{tp_name(type(m))}' object does not support the context manager protocol"
        )
    exit = lookup_special(m, "__exit__")
    if exit is NULL:
        raise TypeError(
            f"'{tp_name(type(m))}' object does not support the context manager protocol "
            "(missed __exit__ method)"
        )
    stack.append(exit)
    if GIL_ON[0]:  # entering may block (a lock): the GIL's native-call path
        from pvm.vm.threadstate import current

        stack.append(_gil.native_call(current(), enter, (), None))
    else:
        stack.append(enter())
        if GIL_ON[0]:  # entering started a thread: the GIL is on
            from pvm.vm.threadstate import current

            _gil.claim(current())


def WITH_EXCEPT_START(frame: Frame, stack: list, arg: int) -> None:
    exc = stack[-1]
    exit = stack[-4]
    stack.append(exit(type(exc), exc, services.handed_traceback(exc)))
