"""Handlers for the instructions the dispatch loop does not run inline, and their helpers."""

from __future__ import annotations

import collections.abc
import operator
import sys
import types
from typing import Any

from pvm.runtime import NULL
from pvm.runtime.function import Function
from pvm.vm import decode as _decode
from pvm.vm.frame import Frame

_run: Any = None  # the dispatch loop, installed by interpreter.py
_run_frame: Any = None


def install(run: Any, run_frame: Any) -> None:
    """Install the interpreter's loop entry points (they import this module)."""
    global _run, _run_frame
    _run, _run_frame = run, run_frame


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


def _special(obj: Any, name: str) -> Any:
    """Look name up on type(obj) and bind it, as CPython's _PyObject_LookupSpecial; or NULL."""
    for klass in type(obj).__mro__:
        d = klass.__dict__
        if name in d:
            attr = d[name]
            get = getattr(type(attr), "__get__", None)
            return attr if get is None else get(attr, obj, type(obj))
    return NULL


# -- errors and helpers the loop calls ------------------------------------------------


def unbound_local(frame: Frame, index: int) -> UnboundLocalError:
    name = frame.f_code.co_varnames[index]
    return UnboundLocalError(
        f"cannot access local variable '{name}' where it is not associated with a value"
    )


def unbound_deref(frame: Frame, index: int) -> BaseException:
    code = frame.f_code
    ncell = len(code.co_cellvars)
    if index < ncell:
        name = code.co_cellvars[index]
        return UnboundLocalError(
            f"cannot access local variable '{name}' where it is not associated with a value"
        )
    name = code.co_freevars[index - ncell]
    return NameError(
        f"cannot access free variable '{name}' where it is not associated with a value"
        " in enclosing scope",
        name=name,
    )


def load_name(frame: Frame, name: str) -> Any:
    locals = frame.f_locals
    if locals is None:
        raise SystemError(f"no locals when loading '{name}'")
    if type(locals) is dict:
        if name in locals:
            return locals[name]
    else:
        try:
            return locals[name]
        except KeyError:
            pass
    glob = frame.f_globals
    if name in glob:
        return glob[name]
    b = frame.f_builtins
    if name in b:
        return b[name]
    raise NameError(f"name '{name}' is not defined", name=name)


def unpack_sequence(seq: Any, n: int) -> list:
    """Return seq's n items reversed (for pushing), with CPython's errors."""
    it = _iter_for_unpack(seq)
    items = []
    for item in it:
        if len(items) == n:
            raise ValueError(f"too many values to unpack (expected {n})")
        items.append(item)
    if len(items) < n:
        raise ValueError(f"not enough values to unpack (expected {n}, got {len(items)})")
    items.reverse()
    return items


def _iter_for_unpack(seq: Any) -> Any:
    try:
        return iter(seq)
    except TypeError:
        t = type(seq)
        if not hasattr(t, "__iter__") and not hasattr(t, "__getitem__"):
            raise TypeError(f"cannot unpack non-iterable {tp_name(t)} object") from None
        raise


_HOST_GENERATORS = (types.GeneratorType, types.CoroutineType)


def send(recv: Any, value: Any) -> tuple[bool, Any]:
    """SEND: resume recv with value; return (True, result) if it finished, else (False, yielded)."""
    # Looked up on the type: an instance __getattr__ must not run here.
    resume = getattr(type(recv), "_pvm_send", None)
    if resume is not None:
        return resume(recv, value)
    try:
        if value is None and type(recv) not in _HOST_GENERATORS:
            return False, next(recv)
        return False, recv.send(value)
    except StopIteration as e:
        return True, e.value


def type_call_arguments(args: list, globals: dict) -> list:
    """Give type(name, bases, dict) the guest's __module__, which the host takes from its frame."""
    ns = args[2]
    if type(ns) is dict and "__module__" not in ns and "__name__" in globals:
        args[2] = {"__module__": globals["__name__"], **ns}
    return args


def function_type(code: Any, globals: Any, name: Any = None, argdefs: Any = None,
                  closure: Any = None) -> Any:
    """types.FunctionType(...) called by guest code: a pvm Function for a pvm code object."""
    from pvm.bytecode.code import CodeObject

    if not isinstance(code, CodeObject):
        return types.FunctionType(code, globals, name, argdefs, closure)
    from pvm.vm.interpreter import builtins_for

    func = Function(code, globals, builtins_for(globals), argdefs, None, closure)
    if name is not None:
        func.__name__ = name
    return func


def host_function_arguments(func: Any, args: list) -> list:
    """Wrap a guest function for host methods that insist on a real function."""
    # BaseExceptionGroup.split/subgroup test PyFunction_Check on their argument.
    if getattr(func, "__name__", None) in ("split", "subgroup") and isinstance(
        getattr(func, "__self__", None), BaseExceptionGroup
    ):
        guest = args[0]
        args[0] = lambda exc: guest(exc)
    return args


def make_exception(exc: Any, cause: Any) -> BaseException:
    """Return the exception a RAISE_VARARGS raises, with __cause__ set if given."""
    if isinstance(exc, type) and issubclass(exc, BaseException):
        value = exc()
        if not isinstance(value, BaseException):
            raise TypeError(
                f"calling {exc!r} should have returned an instance of BaseException, "
                f"not {type(value)!r}"
            )
        exc = value
    elif not isinstance(exc, BaseException):
        raise TypeError("exceptions must derive from BaseException")
    if cause is not NULL:
        if isinstance(cause, type) and issubclass(cause, BaseException):
            fixed = cause()
            if not isinstance(fixed, BaseException):
                raise TypeError(
                    f"calling {cause!r} should have returned an instance of BaseException, "
                    f"not {type(fixed)!r}"
                )
            cause = fixed
        elif cause is not None and not isinstance(cause, BaseException):
            raise TypeError("exception causes must derive from BaseException")
        exc.__cause__ = cause
    return exc


def call_ex_arguments(func: Any, args: Any, kwargs: Any) -> tuple[list, dict | None]:
    """Check and convert CALL_FUNCTION_EX's operands, with CPython's errors."""
    if type(args) is not tuple:
        try:
            args = tuple(args)
        except TypeError:
            if not hasattr(type(args), "__iter__") and not hasattr(type(args), "__getitem__"):
                raise TypeError(
                    f"{function_str(func)} argument after * must be an iterable, "
                    f"not {tp_name(type(args))}"
                ) from None
            raise
    if kwargs is not None and type(kwargs) is not dict:
        if not hasattr(type(kwargs), "keys"):
            raise TypeError(
                f"{function_str(func)} argument after ** must be a mapping, "
                f"not {tp_name(type(kwargs))}"
            )
        kwargs = dict(kwargs)
    return list(args), kwargs


def make_generator(func: Function, fast: list, cells: Any) -> Any:
    """Call a function of a special kind: make its generator, coroutine or async generator,
    or run unoptimized code with its globals as locals."""
    from pvm.runtime import generator

    code = func._code
    locals = None if code.co_flags & 0x0001 else func.__globals__
    frame = Frame(code, func.__globals__, func._builtins, locals, fast, cells)
    if func._kind == _decode.KIND_UNOPTIMIZED:
        return _run_frame(frame)
    return generator.new(func, frame)


# -- table handlers: handler(frame, stack, arg), named by opcode --------------------------


def DELETE_FAST(frame: Frame, stack: list, arg: int) -> None:
    if frame.fast[arg] is NULL:
        raise unbound_local(frame, arg)
    frame.fast[arg] = NULL


def DELETE_NAME(frame: Frame, stack: list, arg: str) -> None:
    try:
        del frame.f_locals[arg]
    except KeyError:
        raise NameError(f"name '{arg}' is not defined", name=arg) from None


def STORE_GLOBAL(frame: Frame, stack: list, arg: str) -> None:
    frame.f_globals[arg] = stack.pop()


def DELETE_GLOBAL(frame: Frame, stack: list, arg: str) -> None:
    try:
        del frame.f_globals[arg]
    except KeyError:
        raise NameError(f"name '{arg}' is not defined", name=arg) from None


def DELETE_DEREF(frame: Frame, stack: list, arg: int) -> None:
    cell = frame.cells[arg]
    try:
        del cell.cell_contents
    except ValueError:
        raise unbound_deref(frame, arg) from None


def LOAD_CLASSDEREF(frame: Frame, stack: list, arg: int) -> None:
    code = frame.f_code
    name = (code.co_cellvars + code.co_freevars)[arg]
    locals = frame.f_locals
    try:
        stack.append(locals[name])
        return
    except KeyError:
        pass
    try:
        stack.append(frame.cells[arg].cell_contents)
    except ValueError:
        raise unbound_deref(frame, arg) from None


def LOAD_CLOSURE(frame: Frame, stack: list, arg: int) -> None:
    stack.append(frame.cells[arg])


def DELETE_ATTR(frame: Frame, stack: list, arg: str) -> None:
    delattr(stack.pop(), arg)


def DELETE_SUBSCR(frame: Frame, stack: list, arg: int) -> None:
    key = stack.pop()
    del stack.pop()[key]


def BUILD_SLICE(frame: Frame, stack: list, arg: int) -> None:
    if arg == 3:
        step = stack.pop()
        stop = stack.pop()
        stack[-1] = slice(stack[-1], stop, step)
    else:
        stop = stack.pop()
        stack[-1] = slice(stack[-1], stop)


def LOAD_ASSERTION_ERROR(frame: Frame, stack: list, arg: int) -> None:
    stack.append(AssertionError)


def LOAD_BUILD_CLASS(frame: Frame, stack: list, arg: int) -> None:
    from pvm.runtime.classes import build_class

    bc = frame.f_builtins.get("__build_class__", NULL)
    if bc is NULL:
        raise NameError("__build_class__ not found")
    if bc is getattr(__builtins__, "__build_class__", None) or bc is _host_build_class:
        bc = build_class  # the host's cannot run pvm class bodies
    stack.append(bc)


_host_build_class = __import__("builtins").__build_class__


def SETUP_ANNOTATIONS(frame: Frame, stack: list, arg: int) -> None:
    locals = frame.f_locals
    try:
        locals["__annotations__"]
    except KeyError:
        locals["__annotations__"] = {}


def LOAD_LOCALS(frame: Frame, stack: list, arg: int) -> None:
    if frame.f_locals is None:
        raise SystemError("no locals found")
    stack.append(frame.f_locals)


def UNARY_POSITIVE(frame: Frame, stack: list, arg: int) -> None:
    stack[-1] = +stack[-1]


def UNARY_NEGATIVE(frame: Frame, stack: list, arg: int) -> None:
    stack[-1] = -stack[-1]


def UNARY_NOT(frame: Frame, stack: list, arg: int) -> None:
    stack[-1] = not stack[-1]


def UNARY_INVERT(frame: Frame, stack: list, arg: int) -> None:
    stack[-1] = ~stack[-1]


def BUILD_SET(frame: Frame, stack: list, arg: int) -> None:
    if arg:
        items = set(stack[-arg:])
        del stack[-arg:]
        stack.append(items)
    else:
        stack.append(set())


def BUILD_MAP(frame: Frame, stack: list, arg: int) -> None:
    d = {}
    if arg:
        items = stack[-2 * arg :]
        del stack[-2 * arg :]
        for i in range(0, 2 * arg, 2):
            d[items[i]] = items[i + 1]
    stack.append(d)


def BUILD_CONST_KEY_MAP(frame: Frame, stack: list, arg: int) -> None:
    keys = stack.pop()
    values = stack[len(stack) - arg :]
    del stack[len(stack) - arg :]
    stack.append(dict(zip(keys, values)))


def BUILD_STRING(frame: Frame, stack: list, arg: int) -> None:
    if arg:
        s = "".join(stack[-arg:])
        del stack[-arg:]
        stack.append(s)
    else:
        stack.append("")


def SET_ADD(frame: Frame, stack: list, arg: int) -> None:
    v = stack.pop()
    stack[-arg].add(v)


def MAP_ADD(frame: Frame, stack: list, arg: int) -> None:
    v = stack.pop()
    k = stack.pop()
    stack[-arg][k] = v


def LIST_EXTEND(frame: Frame, stack: list, arg: int) -> None:
    it = stack.pop()
    try:
        stack[-arg].extend(it)
    except TypeError:
        t = type(it)
        if not hasattr(t, "__iter__") and not hasattr(t, "__getitem__"):
            raise TypeError(f"Value after * must be an iterable, not {tp_name(t)}") from None
        raise


def SET_UPDATE(frame: Frame, stack: list, arg: int) -> None:
    it = stack.pop()
    stack[-arg].update(it)


def DICT_UPDATE(frame: Frame, stack: list, arg: int) -> None:
    m = stack.pop()
    try:
        stack[-arg].update(m)
    except AttributeError:
        if not hasattr(type(m), "keys"):
            raise TypeError(f"'{tp_name(type(m))}' object is not a mapping") from None
        raise


def DICT_MERGE(frame: Frame, stack: list, arg: int) -> None:
    m = stack.pop()
    d = stack[-arg]
    if not hasattr(type(m), "keys"):
        func = stack[-arg - 2]
        raise TypeError(
            f"{function_str(func)} argument after ** must be a mapping, not {tp_name(type(m))}"
        )
    for k in m.keys():
        if k in d:
            func = stack[-arg - 2]
            raise TypeError(f"{function_str(func)} got multiple values for keyword argument '{k}'")
        d[k] = m[k]


def LIST_TO_TUPLE(frame: Frame, stack: list, arg: int) -> None:
    stack[-1] = tuple(stack[-1])


def UNPACK_EX(frame: Frame, stack: list, arg: int) -> None:
    lo, hi = arg & 0xFF, arg >> 8
    seq = stack.pop()
    items = list(_iter_for_unpack(seq))
    if len(items) < lo + hi:
        raise ValueError(
            f"not enough values to unpack (expected at least {lo + hi}, got {len(items)})"
        )
    after = items[len(items) - hi :] if hi else []
    middle = items[lo : len(items) - hi]
    stack.extend(reversed(after))
    stack.append(middle)
    stack.extend(reversed(items[:lo]))


def FORMAT_VALUE(frame: Frame, stack: list, arg: int) -> None:
    spec = stack.pop() if arg & 4 else ""
    value = stack[-1]
    conv = arg & 3
    if conv == 1:
        value = str(value)
    elif conv == 2:
        value = repr(value)
    elif conv == 3:
        value = ascii(value)
    if spec == "" and type(value) is str:
        stack[-1] = value
    else:
        stack[-1] = format(value, spec)


def MAKE_FUNCTION(frame: Frame, stack: list, arg: int) -> None:
    code = stack.pop()
    closure = stack.pop() if arg & 8 else None
    annotations = stack.pop() if arg & 4 else None
    kwdefaults = stack.pop() if arg & 2 else None
    defaults = stack.pop() if arg & 1 else None
    if type(annotations) is tuple:
        annotations = dict(zip(annotations[::2], annotations[1::2]))
    stack.append(
        Function(
            code, frame.f_globals, frame.f_builtins, defaults, kwdefaults, closure, annotations
        )
    )


# -- generators and coroutines ---------------------------------------------------------


def GET_YIELD_FROM_ITER(frame: Frame, stack: list, arg: int) -> None:
    from pvm.runtime.generator import Coroutine, Generator

    o = stack[-1]
    if type(o) is Coroutine or type(o) is types.CoroutineType:
        if not frame.f_code.co_flags & 0x180:  # CO_COROUTINE | CO_ITERABLE_COROUTINE
            raise TypeError("cannot 'yield from' a coroutine object in a non-coroutine generator")
    elif type(o) is not Generator and type(o) is not types.GeneratorType:
        stack[-1] = iter(o)


def get_awaitable(o: Any, where: int) -> Any:
    """Return the iterator that awaiting o drives, as CPython's _PyCoro_GetAwaitableIter."""
    from pvm.runtime.generator import Coroutine

    t = type(o)
    if t is Coroutine or t is types.CoroutineType:
        return o
    if t is types.GeneratorType and o.gi_code.co_flags & 0x100:
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
    from pvm.runtime.generator import Coroutine

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
    enter = _special(m, "__aenter__")
    if enter is NULL:
        raise TypeError(
            f"'{tp_name(type(m))}' object does not support the asynchronous context "
            "manager protocol"
        )
    exit = _special(m, "__aexit__")
    if exit is NULL:
        raise TypeError(
            f"'{tp_name(type(m))}' object does not support the asynchronous context "
            "manager protocol (missed __aexit__ method)"
        )
    stack.append(exit)
    # As CPython 3.11: the compiler follows this with GET_AWAITABLE 1.
    stack.append(enter())


def ASYNC_GEN_WRAP(frame: Frame, stack: list, arg: int) -> None:
    from pvm.runtime.generator import AsyncGenWrapped

    stack[-1] = AsyncGenWrapped(stack[-1])


# -- exceptions and with ---------------------------------------------------------------


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
        raise TypeError(
            "catching ExceptionGroup with except* is not allowed. Use except instead."
        )
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
        dst.__pvm_tb__ = list(tb)


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
    enter = _special(m, "__enter__")
    if enter is NULL:
        raise TypeError(
            f"'{tp_name(type(m))}' object does not support the context manager protocol"
        )
    exit = _special(m, "__exit__")
    if exit is NULL:
        raise TypeError(
            f"'{tp_name(type(m))}' object does not support the context manager protocol "
            "(missed __exit__ method)"
        )
    stack.append(exit)
    stack.append(enter())


def WITH_EXCEPT_START(frame: Frame, stack: list, arg: int) -> None:
    exc = stack[-1]
    exit = stack[-4]
    stack.append(exit(type(exc), exc, exc.__traceback__))


# -- imports ---------------------------------------------------------------------------


def IMPORT_NAME(frame: Frame, stack: list, arg: str) -> None:
    fromlist = stack.pop()
    level = stack[-1]
    imp = frame.f_builtins.get("__import__", NULL)
    if imp is NULL:
        raise ImportError("__import__ not found")
    stack[-1] = imp(arg, frame.f_globals, frame.f_locals, fromlist, level)


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
            stack.append(sys.modules[f"{pkgname}.{arg}"])
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
            raise TypeError(
                f"Item in {m.__name__}.__all__ must be str, not {type(name).__name__}"
            )
        locals[name] = getattr(m, name)


# -- pattern matching ------------------------------------------------------------------

_MATCH_SELF = (bool, bytearray, bytes, dict, float, frozenset, int, list, set, str, tuple)


def GET_LEN(frame: Frame, stack: list, arg: int) -> None:
    stack.append(len(stack[-1]))


def MATCH_MAPPING(frame: Frame, stack: list, arg: int) -> None:
    stack.append(isinstance(stack[-1], collections.abc.Mapping))


def MATCH_SEQUENCE(frame: Frame, stack: list, arg: int) -> None:
    o = stack[-1]
    stack.append(
        isinstance(o, collections.abc.Sequence) and not isinstance(o, (str, bytes, bytearray))
    )


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
                f"{cls.__name__}() accepts {allowed} positional sub-pattern{plural} "
                f"({nargs} given)"
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


def _not_implemented(frame: Frame, stack: list, arg: int) -> None:
    raise SystemError("pvm: unknown internal opcode")


HANDLERS: list = [_not_implemented] * _decode.TABLE_SIZE
for _number, _name in _decode.names.items():
    if _number >= _decode.FIRST_TABLE_OP:
        HANDLERS[_number] = globals()[_name]

__all__ = ["HANDLERS", "install", "operator"]
