"""Handlers for the instructions the dispatch loop does not run inline, and their helpers.

What belongs here: one function per table operation, named by its opcode
(``handler(frame, stack, arg)``), the helpers they and the loop share (unbound-local
errors, unpacking, exception construction), and ``HANDLERS``, the table built from
this module, handlers_flow, handlers_match and trace.  What does not: the operations
the loop runs inline (pvm.vm.interpreter ``_run``), the numbering (pvm.vm.decode).
"""

from __future__ import annotations

import types
from typing import Any

from pvm.vm import decode as _decode
from pvm.vm.frame import Frame
from pvm.vm.function import Function
from pvm.vm.hooks import services
from pvm.vm.null import NULL
from pvm.vm.support import function_str, lookup_special, tp_name

_run: Any = None  # the dispatch loop, installed by interpreter.py
_run_frame: Any = None


def install(run: Any, run_frame: Any) -> None:
    """Install the interpreter's loop entry points (they import this module)."""
    global _run, _run_frame
    _run, _run_frame = run, run_frame


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


def load_global_missing(glob: Any, name: str) -> Any:
    """LOAD_GLOBAL of a name in neither the globals nor the builtins (the cold path).

    A dict subclass's __missing__ may still answer, as CPython's PyObject_GetItem on
    globals that are not an exact dict (the loop asks ``in`` first, which does not).
    """
    if type(glob) is not dict:
        try:
            return glob[name]
        except KeyError:
            pass
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


_object_new = object.__new__


def plain_init(cls: type) -> Any:
    """Return cls's __init__ if calling cls is just object.__new__ then a guest __init__."""
    if cls.__new__ is not _object_new:
        return None
    # The class's own __init__ is the common case; its dict is cheaper than getattr,
    # which would run Function.__get__.  An explicit __new__ = object.__new__ makes
    # CPython's type call pass the arguments on (and fail): leave that to it.
    d = cls.__dict__
    if "__new__" in d:
        return None
    init = d.get("__init__")
    if init is None:
        init = cls.__init__
    if type(init) is not Function or init._kind:
        return None
    return init


def type_call_arguments(args: list, globals: dict) -> list:
    """Give type(name, bases, dict) the guest's __module__, which the host takes from its frame."""
    ns = args[2]
    if type(ns) is dict and "__module__" not in ns and "__name__" in globals:
        args[2] = {"__module__": globals["__name__"], **ns}
    return args


def function_type(
    code: Any, globals: Any, name: Any = None, argdefs: Any = None, closure: Any = None
) -> Any:
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
    from pvm.vm import generator

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
    try:  # deleting an empty host cell's contents raises nothing: look first
        cell.cell_contents  # noqa: B018 - the read is the check
    except ValueError:
        raise unbound_deref(frame, arg) from None
    del cell.cell_contents


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
    from pvm.vm.classes import build_class

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


def PRINT_EXPR(frame: Frame, stack: list, arg: int) -> None:
    value = stack.pop()
    # As CPython: sys.displayhook from the sys module's own dict, whatever sys.modules holds.
    hook = getattr(services.modules.get("sys"), "__dict__", {}).get("displayhook")
    if hook is None:
        raise RuntimeError("lost sys.displayhook")
    hook(value)


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
    # PyDict_Update: a mapping only (dict.update would also take pairs).
    if type(m) is not dict and not hasattr(type(m), "keys"):
        raise TypeError(f"'{tp_name(type(m))}' object is not a mapping")
    stack[-arg].update(m)


def DICT_MERGE(frame: Frame, stack: list, arg: int) -> None:
    m = stack.pop()
    d = stack[-arg]
    if not hasattr(type(m), "keys"):
        func = stack[-arg - 2]
        raise TypeError(
            f"{function_str(func)} argument after ** must be a mapping, not {tp_name(type(m))}"
        )
    for k in m.keys():  # noqa: SIM118  (the mapping protocol: keys() is what is called)
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


def _not_implemented(frame: Frame, stack: list, arg: int) -> None:
    raise SystemError("pvm: unknown internal opcode")


# The rest of the handlers live in handlers_flow (generators, exceptions, with) and
# handlers_match (imports, pattern matching); the table is built from all three.
# Has to come after the handlers above: those modules import this one (a tolerated cycle).
from pvm.vm import handlers_flow, handlers_match, trace  # noqa: E402

HANDLERS: list = [_not_implemented] * _decode.TABLE_SIZE
for _number, _name in _decode.names.items():
    if _number >= _decode.FIRST_TABLE_OP:
        for _module in (globals(), vars(handlers_flow), vars(handlers_match), vars(trace)):
            if _name in _module:
                HANDLERS[_number] = _module[_name]
                break
        else:
            raise ImportError(f"no handler for {_name}")

trace.install(HANDLERS)

__all__ = ["HANDLERS", "function_str", "install", "lookup_special", "tp_name"]
