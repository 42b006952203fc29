"""The pvm interpreter: the dispatch loop that runs guest frames, and its entry points.

What belongs here: ``_run`` (the loop, with the hottest operations inline, frame push
for guest-to-guest calls, the eval-breaker check), ``_unwind`` (exception dispatch
through the exception table), and the host entry points ``run_frame``,
``call_function`` and ``run_code``.  What does not: decoding (pvm.vm.decode), the
handlers of table operations (pvm.vm.handlers*), frames and thread state
(pvm.vm.frame, pvm.vm.threadstate), process settings (pvm.vm.vmstate), the
eval-breaker bits, GIL hooks and handler overrides that layers above plug in
(pvm.vm.hooks), tracing (pvm.vm.trace), the GIL itself (pvm.concurrency.gil).
``loop_runs`` and ``live_index`` are here, next to the loop, because they read its
local variables by name: nothing else may (pvm.vm.hooks exposes them).
"""

from __future__ import annotations

import io as _io
import sys as _sys
import types
from enum import IntEnum
from sys import _current_frames
from typing import Any

from pvm.bytecode.code import CodeObject
from pvm.vm import decode as _decode
from pvm.vm import function as _function
from pvm.vm import guesttb as _guesttb
from pvm.vm import handlers as _handlers
from pvm.vm import hooks as _hooks
from pvm.vm import trace as _trace
from pvm.vm.decode import KIND_UNOPTIMIZED, decode
from pvm.vm.frame import Frame
from pvm.vm.function import Function, bind_arguments, make_cells
from pvm.vm.generator import Generator
from pvm.vm.null import NULL
from pvm.vm.threadstate import current
from pvm.vm.vmstate import (  # noqa: F401  (re-exported: the documented interpreter API)
    _NEST,
    HOST_MARGIN,
    VM,
    _nested_entry,
    _recursion_error,
    _shrink_host_limit,
    _vm,
    builtins_for,
    get_vm,
    set_max_nested_runs,
)

_MethodType = types.MethodType
_Switch = _trace.Switch
_NOCELLS: tuple = ()


# The eval breaker: the loop tests hooks.EVAL_BREAKER[0] at every JUMP_BACKWARD and
# every call, and when it is up runs the handlers of the request bits that are set
# (pvm.vm.hooks: one bit per reason, each with one owner).
_eval_breaker = _hooks.handle_requests
_gil = _hooks.gil
_GIL_ON = _hooks.GIL_ON

# Iterating a file is C code that may block (a pipe, a terminal): GET_ITER puts a
# _ReadIterator on the stack in the file's place, so that FOR_ITER reads each line
# through the GIL's native-call path, which releases pvm's GIL while the read waits,
# as CPython's does.
_READ_ITERS = frozenset({_io.TextIOWrapper, _io.BufferedReader, _io.BufferedRandom, _io.FileIO})


class _ReadIterator:
    """A file being iterated by a for loop (the loop's target gets the file's own lines)."""

    __slots__ = ("file",)

    def __init__(self, file: Any) -> None:
        self.file = file

    def __iter__(self) -> _ReadIterator:
        return self

    def __next__(self) -> Any:
        if _GIL_ON[0]:
            return _hooks.gil.native_call(current(), self.file.__next__, (), None)
        return self.file.__next__()


# Operation numbers the loop's cold paths name (the if-tree itself uses literals, each
# with its name in a comment: tests/vm/test_loop_constants.py checks both against
# decode.INLINE).
CALL = _decode.INLINE.index("CALL")
CALL_KW = _decode.INLINE.index("CALL_KW")
CALL_FUNCTION_EX = _decode.INLINE.index("CALL_FUNCTION_EX")


class RaiseMode(IntEnum):
    """How the loop's except clause treats the exception it caught."""

    # Raised by an instruction or the host code it called: chain it to the handled
    # exception if it is not chained yet; add a traceback entry.
    FRESH = 0
    # Re-raised (RERAISE, bare raise, END_ASYNC_FOR): no entry, and undo what the
    # host's raise changed (context, __traceback__), so that except* can tell a
    # re-raised exception by its metadata.
    RERAISED = 1
    # A guest raise statement, or thrown in: context as computed; add an entry.
    RAISED = 2


# -- exceptions ------------------------------------------------------------------------


def chain_context(exc: BaseException, handled: BaseException | None) -> None:
    """Set exc.__context__ to handled, breaking any cycle, as CPython's _PyErr_SetObject."""
    if handled is None or handled is exc:
        return
    o = handled
    for _ in range(10000):
        c = o.__context__
        if c is None:
            break
        if c is exc:
            o.__context__ = None
            break
        o = c
    exc.__context__ = handled


def _unwind(
    tstate: Any,
    frame: Frame,
    entry: Frame,
    exc: BaseException,
    add_tb: bool,
    saved: list,
    reraise_lasti: Any = None,
) -> Any:
    """Find the handler for exc from frame outwards (not past entry); None if there is none.

    Returns (handler frame or None, number of frames popped on the way, the exception:
    a generator resumed in the loop that raises StopIteration turns it into a
    RuntimeError, as CPython's gen_send_ex does).

    reraise_lasti: RERAISE's operand, where the first frame stands once it re-raised
    (CPython sets the frame's instruction to it before unwinding): a handler that pushes
    a lasti in that frame gets this one, so its own RERAISE restores the same line.
    """
    popped = 0
    traced = tstate.c_tracefunc is not None or tstate.c_profilefunc is not None
    while True:
        lasti = frame.f_lasti
        if add_tb:
            try:
                tb = exc.__pvm_tb__
            except AttributeError:
                tb = _guesttb.start(exc)
            tb.append((frame, lasti))
            if traced:
                try:
                    _trace.exception_event(tstate, frame, exc)
                except BaseException as e:  # the trace function's: it replaces exc
                    exc = e
                    traced = False
        add_tb = True
        for start, end, target, depth, push_lasti in frame.f_code._decoded.handlers:
            if start <= lasti < end:
                stack = frame.stack
                del stack[depth:]
                if push_lasti:
                    stack.append(lasti if reraise_lasti is None else reraise_lasti)
                stack.append(exc)
                frame.f_lasti = target - 1
                return frame, popped, exc
        if traced:
            try:
                _trace.unwind_event(tstate, frame)
            except BaseException as e:  # the trace function's: it replaces exc
                exc = e
                traced = False
        frame.finish()  # the exception left it: its traceback may keep it a while
        if frame is entry:
            return None, popped, exc
        back = frame.f_back
        tstate.frame = back
        tstate.depth -= 1
        popped += 1
        gen = saved[len(saved) - popped][8]
        if type(gen) is Generator:  # a generator FOR_ITER resumed in this loop
            frame.f_back = None
            gen._frame = None
            gen._running = False
            gen._exc = None
            tstate.exc = tstate.exc_outer.pop()
            if isinstance(exc, StopIteration):
                new = RuntimeError("generator raised StopIteration")
                new.__cause__ = new.__context__ = exc
                exc = new
        frame = back
        reraise_lasti = None


# -- the dispatch loop -----------------------------------------------------------------
#
# Why an if-tree over decoded (op, arg) pairs, and not a table of handler functions:
# on the host a Python function call costs more than the integer compares that find
# an operation in a binary tree.  Measured on CPython 3.11 (a loop of 16 one-line
# operations): the tree adds about 22 ns per instruction to the bare loop, a table
# of functions about 30 ns -- and a table handler cannot touch the loop's locals, so
# jumps, calls and returns would cost it a result to test as well.  So the hottest
# operations (decode.INLINE, numbered hottest first) are written out here:
#
#   op < 8 ... op < 16      0-15: a balanced tree, every one reached in 4 tests
#   op < 24, < 32, < 40     16-39: a range test per group of 8, then a chain of ==
#   op < 47, < 54           40-53: two groups of 7
#   else                    the rest: handlers[op](frame, stack, arg) (pvm.vm.handlers)
#
# What the loop keeps in locals while it runs a frame (written back to the frame only
# at calls, exceptions and yields; loop_runs() below reads them for introspection):
#
#   frame  the Frame being run         instrs  frame.instrs: [(op, arg), ...]
#   pc     index of the next (op, arg) fast    frame.fast (the local variables)
#   stack  frame.stack, push/pop its   cells   frame.cells
#          bound append/pop            glob, bltn  frame.f_globals, frame.f_builtins
#   saved  one tuple of these locals per caller this run pushed, innermost last:
#          (instrs, fast, stack, push, pop, cells, glob, bltn, ctor-or-generator)
#
# Scratch locals (a, b, func, args, ...): the value stack is a list, so a popped slot
# holds nothing, but a scratch local holds what it was given until it is reassigned,
# which would keep an object alive past the instruction where CPython drops it (its
# __del__ and weakref callbacks would run late).  So an operation that pops an operand
# into one clears it after (one store of None: cheaper than any test), or reads the
# stack without one (FOR_ITER, LIST_APPEND); the except clause clears them all.  The
# order matters too: CPython drops the left operand before the right.
#
# Pushing a guest frame: CALL writes Frame.__init__ out inline and switches the
# locals itself (it is the hottest call path: the constructor would add a call, and
# reloading the locals from the new frame nine attribute reads, to every call);
# CALL_KW and CALL_FUNCTION_EX share one path that builds the Frame and reloads
# (``break``); host code enters through run_frame, which call_function uses too.


def _run(
    tstate: Any,
    frame: Frame,
    throw: BaseException | None = None,
    # Constants bound once as defaults: cheaper per run than assigning them (generators
    # enter this function at every resume).
    vm: VM = _vm,
    breaker: list = _hooks.EVAL_BREAKER,
    handlers: list = _handlers.HANDLERS,
    _getattr: Any = getattr,
    _setattr: Any = setattr,
    _next: Any = next,
    _iter: Any = iter,
    _tuple: Any = tuple,
    _Function: Any = Function,
    _Frame: Any = Frame,
    _type: Any = type,
    _FunctionType: Any = types.FunctionType,
    _StopIteration: Any = StopIteration,
    _new: Any = object.__new__,
    _Generator: Any = Generator,
    _object_new: Any = object.__new__,
    _getrefcount: Any = _sys.getrefcount,
    # The GIL's flag and the two hooks the loop calls (pvm.vm.hooks: a list slot read).
    gil_on: list = _hooks.GIL_ON,
    gil_native_call: list = _hooks.GIL_NATIVE_CALL,
    gil_claim: list = _hooks.GIL_CLAIM,
    # Names for the cold paths' numbers, bound here so that naming them costs nothing.
    _FRESH: int = RaiseMode.FRESH,
    _RERAISED: int = RaiseMode.RERAISED,
    _RAISED: int = RaiseMode.RAISED,
    _CALL_OPS: frozenset = frozenset((CALL, CALL_KW, CALL_FUNCTION_EX)),
) -> Any:
    """Run frame (already on tstate's stack) until it returns or yields; return the value.

    Guest calls to guest functions push a frame and continue in this same loop; the
    loop returns when ``frame`` itself returns (RETURN_VALUE) or yields (YIELD_VALUE,
    which sets frame.f_suspended).  If ``throw`` is given, it is raised in frame at
    its current instruction first (generator.throw()).  An exception that frame does
    not handle propagates to the caller, with frame still on the stack.
    """
    entry = frame
    ctor = NULL  # the instance a class call made, while its __init__ frame is being pushed
    mode = _FRESH  # how the except clause treats the exception (RaiseMode)
    want_ctx = want_tb = reraise_lasti = None
    # The loop's locals for each frame this run pushed, innermost last: a return
    # restores its caller's from here instead of reloading them from the frame.
    saved: list = []
    save = saved.append
    restore = saved.pop
    while True:
        instrs = frame.instrs
        stack = frame.stack
        push = stack.append
        pop = stack.pop
        fast = frame.fast
        cells = frame.cells
        glob = frame.f_globals
        bltn = frame.f_builtins
        pc = frame.f_lasti + 1
        try:
            if throw is not None:
                # Thrown in: raise at the current instruction, keeping its context.
                exc, throw = throw, None
                # As CPython's gen_send_ex: chain to the generator's own handled exception.
                if tstate.exc is not None:
                    chain_context(exc, tstate.exc)
                if tstate.c_tracefunc is not None or tstate.c_profilefunc is not None:
                    _trace.throw_entry(tstate, frame)
                want_ctx, mode = exc.__context__, _RAISED
                raise exc
            while True:
                op, arg = instrs[pc]
                pc += 1
                # The if-tree (see above the function): literals, each named in a
                # comment (tests/vm/test_loop_constants.py checks them).
                if op < 8:
                    if op < 4:
                        if op < 2:
                            if op == 0:  # LOAD_FAST
                                push(fast[arg])
                            else:  # 1: LOAD_FAST; LOAD_FAST
                                push(fast[arg[0]])
                                push(fast[arg[1]])
                                pc += 1
                        elif op == 2:  # LOAD_FAST; LOAD_CONST
                            push(fast[arg[0]])
                            push(arg[1])
                            pc += 1
                        else:  # 3: STORE_FAST
                            fast[arg] = pop()
                    elif op < 6:
                        if op == 4:  # LOAD_CONST
                            push(arg)
                        elif arg in glob:  # 5: LOAD_GLOBAL
                            push(glob[arg])
                        elif arg in bltn:
                            push(bltn[arg])
                        else:
                            push(_handlers.load_global_missing(glob, arg))
                    elif op == 6:  # BINARY_OP
                        b = pop()
                        stack[-1] = arg(stack[-1], b)
                        b = None  # (see "Scratch locals" above the function)
                    else:  # 7: LOAD_ATTR
                        stack[-1] = _getattr(stack[-1], arg)
                elif op < 16:
                    if op < 12:
                        if op < 10:
                            if op == 8:  # COMPARE_OP; POP_JUMP_IF_FALSE
                                b = pop()
                                b = arg[0](pop(), b)
                                pc += 1
                                # The result dies at the jump (its line), as in CPython.
                                if b:
                                    b = None
                                else:
                                    b = None
                                    pc = arg[1]
                                continue
                            # 9: CALL
                            if breaker[0]:
                                frame.f_lasti = pc - 1
                                _eval_breaker(tstate, frame)
                            if stack[-2 - arg] is NULL:
                                func = stack[-1 - arg]
                                args = stack[-arg:] if arg else []
                            else:
                                func = stack[-2 - arg]
                                args = stack[-1 - arg :]
                            del stack[-2 - arg :]
                            if type(func) is not _Function:
                                if type(func) is _MethodType:
                                    if type(func.__func__) is _Function:
                                        args.insert(0, func.__self__)
                                        func = func.__func__
                                elif type(func) is _type and func is not _type:
                                    # A plain class whose __init__ is a guest function:
                                    # make the instance here and run __init__ as a call
                                    # in this loop (RETURN_VALUE then pushes the instance).
                                    b = _handlers.plain_init(func)
                                    if b is not None:
                                        ctor = _object_new(func)
                                        args.insert(0, ctor)
                                        func = b
                            if type(func) is _Function:
                                if func._fastargc == len(args):
                                    f_fast = args + func._extra
                                    f_cells = func._fastcells
                                else:
                                    if func._simple == len(args):
                                        f_fast = args + func._extra
                                    else:
                                        f_fast = bind_arguments(func, args, None)
                                    if func._cells:
                                        f_cells = make_cells(func, f_fast)
                                    else:
                                        f_cells = _NOCELLS
                                    if func._kind:
                                        push(_handlers.make_generator(func, f_fast, f_cells))
                                        # (the generator's locals must die with it)
                                        f_fast = f_cells = args = func = None
                                        continue
                                if tstate.depth >= vm._recursion_limit:
                                    raise _recursion_error()
                                # Push the callee's frame and switch the loop's locals to
                                # it (Frame.__init__ written out: this is the hot path).
                                frame.f_lasti = pc - 1
                                save((instrs, fast, stack, push, pop, cells, glob, bltn, ctor))
                                ctor = NULL
                                new = _new(_Frame)
                                new.f_code = func._code
                                new.f_globals = glob = func.__globals__
                                new.f_builtins = bltn = func._builtins
                                new.f_locals = None
                                new.fast = fast = f_fast
                                new.cells = cells = f_cells
                                new.stack = stack = []
                                new.f_lasti = -1
                                new.f_back = frame
                                new.instrs = instrs = func._instrs
                                tstate.frame = frame = new
                                # Drop the scratch references: the callee's locals must
                                # die with its frame, as in CPython.
                                new = f_fast = f_cells = args = func = None
                                tstate.depth += 1
                                push = stack.append
                                pop = stack.pop
                                pc = 0
                                continue
                            frame.f_lasti = pc - 1
                            if func is _type and len(args) == 3:
                                args = _handlers.type_call_arguments(args, glob)
                            elif func is _FunctionType and args:
                                func = _handlers.function_type
                            elif args and type(args[0]) is _Function:
                                args = _handlers.host_function_arguments(func, args)
                            if gil_on[0]:
                                push(gil_native_call[0](tstate, func, args, None))
                            else:
                                push(func(*args))
                                if gil_on[0]:  # the call started a thread: the GIL is on
                                    gil_claim[0](tstate)
                            args = func = None  # the callee may expect its arguments to die
                        elif op == 10:  # PUSH_NULL
                            push(NULL)
                        else:  # 11: LOAD_METHOD
                            # No scratch local: it would keep the object alive after.
                            push(_getattr(stack[-1], arg))
                            stack[-2] = NULL
                    elif op < 14:
                        if op == 12:  # POP_TOP
                            pop()
                        else:  # 13: RETURN_VALUE
                            a = pop()
                            frame.f_lasti = pc - 1  # f_lineno of a frame kept after return
                            if frame is entry:
                                return a
                            if arg:  # (decoded: the frame has more than one local)
                                # CPython frees a returning frame's locals first to last,
                                # a list its items last to first: reverse them if only
                                # ``frame``, tstate.frame and getrefcount's argument hold
                                # the frame; else (a frame view, a generator) leave them in
                                # place for its holder (Frame.finish).
                                if _getrefcount(frame) == 3:
                                    fast.reverse()
                                else:
                                    frame.finish()
                            frame = frame.f_back
                            tstate.frame = frame
                            tstate.depth -= 1
                            # pc first: restoring drops the callee's locals, and a finalizer
                            # they set off must see the caller at its call (live_index).
                            pc = frame.f_lasti + 1
                            instrs, fast, stack, push, pop, cells, glob, bltn, b = restore()
                            if b is not NULL:
                                if type(b) is _Generator:  # a generator FOR_ITER resumed
                                    b._frame = None
                                    b._running = False
                                    b._exc = None
                                    tstate.exc = tstate.exc_outer.pop()
                                    pop()  # the iterator; the loop ends
                                    pc = instrs[frame.f_lasti][1]
                                    a = b = None
                                    continue
                                # an __init__ run for a class call
                                if a is not None:
                                    raise TypeError(
                                        f"__init__() should return None, not '{type(a).__name__}'"
                                    )
                                a = b
                            push(a)
                            a = b = None  # the caller's stack holds it; nothing else may
                    elif op == 14:  # JUMP_BACKWARD
                        pc = arg
                        if breaker[0]:
                            frame.f_lasti = pc - 1
                            _eval_breaker(tstate, frame)
                    else:  # 15: FOR_ITER
                        if type(stack[-1]) is _Generator:
                            a = stack[-1]
                            # A guest generator: run its frame in this loop, as a call
                            # that YIELD_VALUE returns from (CPython 3.12's FOR_ITER_GEN).
                            frame.f_lasti = pc - 1
                            b = a._frame
                            if b is None or a._running or tstate.depth >= vm._recursion_limit:
                                b, a = a._resume(None)  # finished, or an error to raise
                                if b:
                                    pop()
                                    pc = arg
                                else:
                                    push(a)
                                a = b = None
                                continue
                            save((instrs, fast, stack, push, pop, cells, glob, bltn, a))
                            if b.f_lasti >= 0:
                                b.stack.append(None)
                            b.f_suspended = False
                            tstate.exc_outer.append(tstate.exc)
                            tstate.exc = a._exc
                            a._running = True
                            b.f_back = frame
                            tstate.frame = frame = b
                            tstate.depth += 1
                            instrs = b.instrs
                            stack = b.stack
                            push = stack.append
                            pop = stack.pop
                            fast = b.fast
                            cells = b.cells
                            glob = b.f_globals
                            bltn = b.f_builtins
                            pc = b.f_lasti + 1
                            a = b = None
                        else:
                            # (no scratch local: the iterator dies when the loop pops it)
                            try:
                                push(_next(stack[-1]))
                            except _StopIteration:
                                pop()
                                pc = arg
                elif op < 24:
                    if op == 16:  # STORE_FAST; LOAD_FAST
                        fast[arg[0]] = pop()
                        push(fast[arg[1]])
                        pc += 1
                    elif op == 17:  # POP_JUMP_IF_FALSE
                        if not pop():
                            pc = arg
                    elif op == 18:  # POP_JUMP_IF_TRUE
                        if pop():
                            pc = arg
                    elif op == 19:  # COMPARE_OP
                        b = pop()
                        stack[-1] = arg(stack[-1], b)
                        b = None
                    elif op == 20:  # JUMP_FORWARD
                        pc = arg
                    elif op == 21:  # STORE_ATTR (arguments evaluate left to right)
                        _setattr(pop(), arg, pop())
                    elif op == 22:  # BINARY_SUBSCR
                        b = pop()
                        stack[-1] = stack[-1][b]
                        b = None
                    else:  # 23: LOAD_DEREF
                        try:
                            push(cells[arg].cell_contents)
                        except ValueError:
                            raise _handlers.unbound_deref(frame, arg) from None
                elif op < 32:
                    if op == 24:  # IS_OP
                        b = pop()
                        if arg:
                            stack[-1] = stack[-1] is not b
                        else:
                            stack[-1] = stack[-1] is b
                        b = None
                    elif op == 25:  # CONTAINS_OP
                        b = pop()
                        if arg:
                            stack[-1] = stack[-1] not in b
                        else:
                            stack[-1] = stack[-1] in b
                        b = None
                    elif op == 26:  # LOAD_NAME
                        a = frame.f_locals
                        if type(a) is dict and arg in a:
                            push(a[arg])
                        elif arg in glob and type(a) is dict:
                            push(glob[arg])
                        else:
                            push(_handlers.load_name(frame, arg))
                    elif op < 29:  # 27: CALL_FUNCTION_EX, 28: CALL_KW (one path)
                        if breaker[0]:
                            frame.f_lasti = pc - 1
                            _eval_breaker(tstate, frame)
                        if op == 28:  # CALL_KW
                            kwnames = pop()
                            if stack[-2 - arg] is NULL:
                                func = stack[-1 - arg]
                                args = stack[-arg:] if arg else []
                            else:
                                func = stack[-2 - arg]
                                args = stack[-1 - arg :]
                            del stack[-2 - arg :]
                            nkw = len(kwnames)
                            kwargs = dict(zip(kwnames, args[len(args) - nkw :]))
                            del args[len(args) - nkw :]
                        else:  # 27: CALL_FUNCTION_EX
                            kwargs = pop() if arg & 1 else None
                            args = pop()
                            func = pop()
                            a = pop()
                            if a is not NULL:
                                args = (func, *args)
                                func = a
                            args, kwargs = _handlers.call_ex_arguments(func, args, kwargs)
                        if type(func) is _MethodType and type(func.__func__) is _Function:
                            args.insert(0, func.__self__)
                            func = func.__func__
                        if type(func) is _Function:
                            f_fast = bind_arguments(func, args, kwargs)
                            f_cells = make_cells(func, f_fast) if func._cells else _NOCELLS
                            if func._kind:
                                push(_handlers.make_generator(func, f_fast, f_cells))
                                f_fast = f_cells = args = func = kwargs = None
                                continue
                            if tstate.depth >= vm._recursion_limit:
                                raise _recursion_error()
                            new = _Frame(
                                func._code, func.__globals__, func._builtins, None,
                                f_fast, f_cells, frame,
                            )  # fmt: skip
                            frame.f_lasti = pc - 1
                            save((instrs, fast, stack, push, pop, cells, glob, bltn, NULL))
                            tstate.frame = frame = new
                            tstate.depth += 1
                            new = f_fast = f_cells = args = func = kwargs = None
                            break
                        frame.f_lasti = pc - 1
                        if gil_on[0]:
                            push(gil_native_call[0](tstate, func, args, kwargs))
                        else:
                            if kwargs:
                                push(func(*args, **kwargs))
                            else:
                                push(func(*args))
                            if gil_on[0]:  # the call started a thread: the GIL is on
                                gil_claim[0](tstate)
                        args = kwargs = func = None
                    elif op == 29:  # COPY
                        push(stack[-arg])
                    elif op == 30:  # SWAP
                        stack[-1], stack[-arg] = stack[-arg], stack[-1]
                    else:  # 31: STORE_SUBSCR
                        stack[-2][stack[-1]] = stack[-3]
                        del stack[-3:]
                elif op < 40:
                    if op == 32:  # BUILD_TUPLE
                        if arg:
                            stack[-arg:] = (_tuple(stack[-arg:]),)
                        else:
                            push(())
                    elif op == 33:  # LOAD_FAST_CHECK
                        if fast[arg] is NULL:
                            raise _handlers.unbound_local(frame, arg)
                        push(fast[arg])
                    elif op == 34:  # STORE_DEREF
                        cells[arg].cell_contents = pop()
                    elif op == 35:  # UNPACK_SEQUENCE
                        a = pop()
                        if (type(a) is tuple or type(a) is list) and len(a) == arg:
                            stack.extend(a[::-1])
                        else:
                            stack.extend(_handlers.unpack_sequence(a, arg))
                        a = None
                    elif op == 36:  # COMPARE_OP; POP_JUMP_IF_TRUE
                        b = pop()
                        b = arg[0](pop(), b)
                        pc += 1
                        if b:
                            b = None
                            pc = arg[1]
                        else:
                            b = None
                    elif op == 37:  # POP_JUMP_IF_NONE
                        if pop() is None:
                            pc = arg
                    elif op == 38:  # POP_JUMP_IF_NOT_NONE
                        if pop() is not None:
                            pc = arg
                    else:  # 39: GET_ITER
                        a = _iter(stack[-1])
                        if type(a) in _READ_ITERS:
                            a = _ReadIterator(a)
                        stack[-1] = a
                        a = None
                elif op < 47:
                    if op == 40:  # JUMP_IF_FALSE_OR_POP
                        if stack[-1]:
                            pop()
                        else:
                            pc = arg
                    elif op == 41:  # JUMP_IF_TRUE_OR_POP
                        if stack[-1]:
                            pc = arg
                        else:
                            pop()
                    elif op == 42:  # LIST_APPEND
                        stack[-1 - arg].append(pop())
                    elif op == 43:  # YIELD_VALUE
                        a = pop()
                        frame.f_lasti = pc - 1
                        frame.f_suspended = True
                        if frame is entry:
                            return a
                        # Not the entry: a generator FOR_ITER resumed in this loop.
                        instrs, fast, stack, push, pop, cells, glob, bltn, b = restore()
                        b._running = False
                        b._exc = tstate.exc
                        tstate.exc = tstate.exc_outer.pop()
                        b = frame.f_back
                        frame.f_back = None
                        tstate.frame = frame = b
                        tstate.depth -= 1
                        pc = frame.f_lasti + 1
                        push(a)
                        a = b = None
                    elif op == 44:  # SEND
                        frame.f_lasti = pc - 1
                        done, a = _handlers.send(stack[-2], pop())
                        if done:
                            stack[-1] = a
                            pc = arg
                        else:
                            push(a)
                        a = None
                    elif op == 45:  # RAISE_VARARGS
                        if arg == 0:
                            a = tstate.handled_exc
                            if a is None:
                                raise RuntimeError("No active exception to reraise")
                            want_ctx, want_tb, mode = a.__context__, a.__traceback__, _RERAISED
                            raise a
                        b = pop() if arg == 2 else NULL
                        a = _handlers.make_exception(pop(), b)
                        chain_context(a, tstate.handled_exc)
                        want_ctx, mode = a.__context__, _RAISED
                        raise a
                    else:  # 46: RERAISE
                        a = pop()
                        # The handler search starts from this instruction, as in CPython;
                        # the lasti operand is where the frame stands (f_lineno) if the
                        # exception leaves it.
                        if arg:
                            reraise_lasti = stack[-arg]
                        want_ctx, want_tb, mode = a.__context__, a.__traceback__, _RERAISED
                        raise a
                elif op < 54:
                    if op == 47:  # PUSH_EXC_INFO (no scratch local: it would outlive the
                        # handler and keep the exception alive)
                        push(stack[-1])
                        stack[-2] = tstate.exc
                        tstate.exc = stack[-1]
                    elif op == 48:  # POP_EXCEPT
                        tstate.exc = pop()
                    elif op == 49:  # STORE_NAME
                        frame.f_locals[arg] = pop()
                    elif op == 50:  # JUMP_BACKWARD_NO_INTERRUPT
                        pc = arg
                    elif op == 51:  # NOP
                        pass
                    elif op == 52:  # END_ASYNC_FOR
                        a = pop()
                        pop()
                        if not isinstance(a, StopAsyncIteration):
                            want_ctx, want_tb, mode = a.__context__, a.__traceback__, _RERAISED
                            raise a
                        a = None  # (its traceback holds frames)
                    else:  # 53: BUILD_LIST
                        if arg:
                            stack[-arg:] = (stack[-arg:],)
                        else:
                            push([])
                else:
                    frame.f_lasti = pc - 1
                    handlers[op](frame, stack, arg)
        except BaseException as exc:
            if type(exc) is _Switch:
                # A trace operation (pvm.vm.trace): continue this frame on other
                # instructions, at an index or (from the eval breaker) where it stands.
                frame.instrs = exc.instrs
                b = exc.index
                if b is None:
                    b = pc - 1 if op in _CALL_OPS else pc
                frame.f_lasti = b - 1
                b = None
                continue
            # mode (RaiseMode): FRESH from an instruction or host code, RERAISED, or
            # RAISED by the guest; see RaiseMode for what each means here.
            frame.f_lasti = pc - 1
            # Scratch locals may hold the exception or what it was raised from; a
            # live reference here would keep them alive after the guest drops them.
            a = b = func = args = None
            ctor = NULL
            if mode == _FRESH:
                # Chain only an exception fresh from host code: one that already
                # passed through a guest frame got its context where it was raised.
                if exc.__context__ is None and not hasattr(exc, "__pvm_tb__"):
                    chain_context(exc, tstate.handled_exc)
            else:
                exc.__context__ = want_ctx
                if mode == _RERAISED:
                    exc.__traceback__ = want_tb
                want_ctx = want_tb = None
            if type(reraise_lasti) is int:
                # While the handler search pops the stack, the frame stands where
                # RERAISE's operand says (CPython sets prev_instr first): a finalizer
                # that runs then sees that line (live_index reads pc).
                pc = reraise_lasti + 1
            handler, popped, a = _unwind(
                tstate, frame, entry, exc, mode != _RERAISED, saved, reraise_lasti
            )
            if reraise_lasti is not None:
                if handler is not frame and type(reraise_lasti) is int:
                    frame.f_lasti = reraise_lasti
                reraise_lasti = None
            mode = _FRESH
            if popped:
                del saved[len(saved) - popped :]
            if handler is None:
                if a is exc:
                    # No local may keep the exception: it would make a cycle through
                    # its traceback, and what the frames held would wait for the GC.
                    a = None
                    raise
                raise a  # noqa: B904  (a generator's StopIteration, now a RuntimeError)
            a = None
            frame = handler
            handler = None  # a frame that returns must not stay referenced from here


# -- where a thread's loop stands (pvm.vm.hooks.loop_runs, hooks.live_index) -------------
#
# The only code that reads _run's local variables by name (``frame``, ``pc``,
# ``saved``): tests/vm/test_hooks.py fails if they are renamed.  CPython 3.11 keeps the
# f_locals snapshot of a host frame on it: it is cleared after reading, so that it
# keeps no guest object alive (__del__ timing, the guest's gc counts).
_RUN_CODE = _run.__code__


def loop_runs(host: Any) -> list:
    """Return a LoopState for each run of the loop on host's stack, innermost first."""
    runs = []
    while host is not None:
        if host.f_code is _RUN_CODE:
            local = host.f_locals
            inner, pc, saved = local.get("frame"), local.get("pc"), local.get("saved")
            if type(local) is dict:
                local.clear()
            runs.append(_hooks.LoopState(host, inner, pc - 1 if type(pc) is int else None, saved))
        host = host.f_back
    return runs


def live_index(frame: Frame) -> int:
    """Return the index of frame's current instruction: the loop's, if a loop runs it.

    Makes nothing but one dict (the threads' host frames, cleared before returning, as
    it holds this host frame), so that the guest's gc counts do not see it.
    """
    threads = _current_frames()
    try:
        for host in threads.values():
            while host is not None:
                if host.f_code is _RUN_CODE:
                    local = host.f_locals
                    inner, pc = local.get("frame"), local.get("pc")
                    if type(local) is dict:
                        local.clear()
                    if inner is frame and type(pc) is int:
                        return pc - 1
                host = host.f_back
        return frame.f_lasti
    finally:
        threads.clear()
        host = local = inner = None


# -- entry points from host code -------------------------------------------------------


def run_frame(frame: Frame, throw: BaseException | None = None) -> Any:
    """Push frame on the current thread's stack, run it until it returns or yields, pop it."""
    tstate = current()
    if tstate.depth >= _vm._recursion_limit:
        raise _recursion_error()
    nested = tstate.nested + 1
    if nested >= _NEST[0]:
        _nested_entry(nested)
    frame.f_back = tstate.frame
    tstate.frame = frame
    tstate.depth += 1
    tstate.nested = nested
    try:
        if _GIL_ON[0]:
            _gil.enter(tstate)
        return _run(tstate, frame, throw)
    finally:
        throw = None  # this host frame may stay in its traceback: no cycle
        tstate.frame = frame.f_back
        tstate.depth -= 1
        tstate.nested = nested - 1
        if nested <= _NEST[1]:
            _shrink_host_limit()
        if _GIL_ON[0]:  # (also when a thread started inside: back to host code)
            _gil.leave(tstate)


def call_function(func: Function, args: list, kwargs: dict | None) -> Any:
    """Call a guest function from host code, running it in a nested loop."""
    if not kwargs and func._simple == len(args):
        fast = args + func._extra
    else:
        fast = bind_arguments(func, args, kwargs)
    cells = make_cells(func, fast) if func._cells else _NOCELLS
    if func._kind:
        return _handlers.make_generator(func, fast, cells)
    frame = Frame(func._code, func.__globals__, func._builtins, None, fast, cells)
    result = run_frame(frame)
    if len(fast) > 1:  # its locals die first to last (see RETURN_VALUE in _run)
        if _sys.getrefcount(frame) == 2:  # (only this local and the argument)
            fast.reverse()
        else:
            frame.finish()
    # The frame first (this local holds its locals and cells): then the locals die
    # at the return, and the cells after them, as in CPython.
    frame = None
    return result


def run_code(code: CodeObject, globals: dict, locals: Any = None) -> Any:
    """Run a module-, class- or exec-level code object to completion and return its value."""
    if locals is None:
        locals = globals
    decode(code)
    fast = [NULL] * len(code.co_varnames)
    cells = [types.CellType() for _ in code.co_cellvars]
    if code.co_freevars:
        raise TypeError("code object passed to exec() may not contain free variables")
    frame = Frame(code, globals, builtins_for(globals), locals, fast, cells)
    kind = code._decoded.kind
    if kind and kind != KIND_UNOPTIMIZED:
        # Top-level await code (PyCF_ALLOW_TOP_LEVEL_AWAIT): evaluating it makes a
        # coroutine, as CPython's RETURN_GENERATOR at the start of such code does.
        from pvm.vm import generator

        return generator.new_from_frame(kind, code.co_name, code.co_qualname, frame)
    return run_frame(frame)


_function.install_call(call_function)
_hooks.install_loop(loop_runs, live_index)
_handlers.install(_run, run_frame)
