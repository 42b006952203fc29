"""Guest sys.settrace / sys.setprofile: CPython 3.11's trace and profile events.

What belongs here: the traced form of decoded code, the trace and profile events,
switching frames between the plain and traced forms, and the internal step observer.
What does not: the guest's sys functions that call in here (pvm.runtime.sysmodule),
recording or showing steps (pvm.observe.memory*).

Nothing here runs unless some thread traces or profiles (decision 5): the untraced
loop has no test for it.  How it works:

* While any thread has a trace or profile function, ``decode.TRACING[0]`` is true and
  the first instruction of every decoded code's ``instrs`` (the list frames start on)
  is ``trace_entry``, a table operation.  In a thread that traces, it reports 'call'
  and switches the frame to its own copy of the code's *traced form*; elsewhere it
  switches the frame to ``plain`` (the untouched decoded form): either way the frame
  then runs the original first instruction.
* The traced form has the same length and indexes as the plain one, without
  superinstructions; every instruction where an event can happen (a line may start:
  line starts, jump and handler targets; returns, yields, resumes, calls, backward
  jumps; every instruction if opcodes are traced) is ``trace_point`` carrying the
  original.  A trace point reports its events, then puts the original back in the
  frame's copy at that index and has the loop run it from there (it raises
  ``Switch``, which the loop's except clause turns into a jump); the next trace
  point the frame reaches puts the trace point back.  Between two trace points a
  frame runs at full speed.
* Switching a running frame (``f_trace`` set on it) happens at the eval breaker.
* An internal observer (``_observe``, for subscribers of ``pvm.vm.events.Topic.STEP``
  such as pvm memory's step hook) rides on the same traced form, for every thread,
  independently of the guest's own trace and profile functions: it gets 'call',
  'line', 'opcode' (when asked for) and 'return' steps with pvm's own Frame and the
  instruction index, and runs no guest code.
"""

from __future__ import annotations

import sys
import threading
import types
from typing import Any

from pvm.bytecode import opcode as _op
from pvm.bytecode.opcode import ArgKind
from pvm.vm import decode as _decode
from pvm.vm import events, hooks, jump
from pvm.vm.hooks import Request, services
from pvm.vm.threadstate import all_states, current

# Trace point kinds (bits).
LINE, RET, RESUME, CALL, BACK, OPCODE, ITER = 1, 2, 4, 8, 16, 32, 64
RETURNED = 128  # one-shot, after a call: the callee returned without being switched

_SEND = _decode.internal[_op.SEND]
_RETURN = _decode.internal[_op.RETURN_VALUE]
_YIELD = _decode.internal[_op.YIELD_VALUE]
_FOR_ITER = _decode.internal[_op.FOR_ITER]
_CALLS = {
    _decode.internal[_op.CALL],
    _decode.internal[_op.CALL_KW],
    _decode.internal[_op.CALL_FUNCTION_EX],
}
_JUMPS = {number for number, kind in enumerate(_op.argkind) if kind is ArgKind.JUMP}
_FIRST_TABLE_OP = _decode.FIRST_TABLE_OP
_TRACE_POINT = _decode.TRACE_POINT
_TRACE_ENTRY = _decode.TRACE_ENTRY
# Host callables that report c_call: builtins, and host functions (pvm's own builtins
# and sys functions, which are builtins in CPython), and the types the runtime adds
# with add_native_type (its stand-ins for builtins, such as a guest world's print).
_NATIVE = {types.BuiltinFunctionType, types.FunctionType}


def add_native_type(cls: type) -> None:
    """Make calls to instances of ``cls`` report c_call/c_return, as calls to builtins."""
    _NATIVE.add(cls)


_HANDLERS: list = []  # the loop's handler table, set by install()


class Switch(BaseException):
    """Raised by trace operations: the loop continues this frame on ``instrs`` at ``index``.

    ``index`` None (from the eval breaker) means where the loop stands: the call being
    made, or the target of the backward jump just taken.
    """

    def __init__(self, instrs: list, index: int | None) -> None:
        self.instrs = instrs
        self.index = index


_LOCK = threading.Lock()
_ACTIVE: set = set()  # thread states with a trace or profile function
# The internal observer: observer(tstate, frame, event, index), or None; and whether
# it wants a step per instruction (OBSERVE_OPCODES[0]) rather than per line.
OBSERVER: list = [None]
OBSERVE_OPCODES = [False]
OBSERVE_LINES = [True]  # False: the observer wants only 'call' (frames then run untraced)


# -- the traced form ---------------------------------------------------------------------


def traced_form(code: Any, opcodes: bool) -> list:
    """Return (and cache) the traced form of code: see the module docstring."""
    dec = code._decoded or _decode.decode(code)
    forms = dec.traced
    if forms is None:
        forms = dec.traced = [None, None]
    form = forms[opcodes]
    if form is not None:
        return form
    instrs = _decode.unfused(code)
    n = len(instrs)
    kinds = [0] * n
    if n:
        kinds[0] |= LINE
    raw = [(op, arg) for _i, op, arg in code.instructions()]
    for i, (op, arg) in enumerate(raw):
        if i and code.line_of(i) != code.line_of(i - 1):
            kinds[i] |= LINE
        if op in _JUMPS and 0 <= arg < n:
            kinds[arg] |= LINE
            if arg <= i:
                kinds[i] |= BACK
        internal = instrs[i][0]
        if internal == _RETURN:
            kinds[i] |= RET
        elif internal == _YIELD:
            kinds[i] |= RET
            if i + 1 < n:
                kinds[i + 1] |= RESUME
        elif internal in _CALLS:
            kinds[i] |= CALL
        elif internal == _SEND or internal == _FOR_ITER:
            kinds[i] |= ITER
        if opcodes:
            kinds[i] |= OPCODE | LINE
    for entry in dec.handlers:
        if 0 <= entry[2] < n:
            kinds[entry[2]] |= LINE
    form = [(_TRACE_POINT, (k, op, arg)) if k else (op, arg) for k, (op, arg) in zip(kinds, instrs)]
    forms[opcodes] = form
    return form


def _enter_traced(frame: Any, line: Any) -> list:
    """Give frame its own copy of its code's traced form; return it."""
    opcodes = bool(getattr(frame, "f_trace_opcodes", False)) or OBSERVE_OPCODES[0]
    form = traced_form(frame.f_code, opcodes)
    mine = list(form)
    frame.tr_list = mine
    frame.tr_form = form
    frame.tr_opcodes = opcodes
    frame.tr_seen = True
    frame.tr_armed = -1
    frame.tr_line = line
    frame.tr_last = -1
    return mine


# -- calling the trace and profile functions ----------------------------------------------


def _call(tstate: Any, func: Any, frame: Any, event: str, arg: Any, lineno: Any = None) -> Any:
    tstate.tracing += 1
    if lineno is not None:
        frame.tr_lineno = lineno
    optimized = frame.f_locals is None
    if optimized and services.locals_dict(frame) is not None:
        services.frame_locals(frame)  # as PyFrame_FastToLocals: the tracer's dict is fresh
    try:
        return func(services.frame_view(frame), event, arg)
    finally:
        tstate.tracing -= 1
        if lineno is not None:
            frame.tr_lineno = None
        if optimized:
            d = services.locals_dict(frame)
            if d is not None:
                _locals_to_fast(frame, d)


def _locals_to_fast(frame: Any, d: dict) -> None:
    """Write the tracer's changes to frame.f_locals back, as PyFrame_LocalsToFast(f, 1)."""
    from pvm.vm.null import NULL

    code = frame.f_code
    fast = frame.fast
    for i, name in enumerate(code.co_varnames[: len(fast)]):
        fast[i] = d.get(name, NULL)
    for name, cell in zip(code.co_cellvars + code.co_freevars, frame.cells):
        try:
            old = cell.cell_contents
        except ValueError:
            old = NULL
        new = d.get(name, NULL)
        if new is not old:
            if new is NULL:
                del cell.cell_contents
            else:
                cell.cell_contents = new


class _Event(threading.local):
    """The trace event this thread's trace function is handling, for f_lineno's setter.

    As CPython's tstate->tracing_what, ``what`` is the last event traced (at first
    'call'), also after the trace function returned.
    """

    what: str = "call"
    frame: Any = None
    jump: tuple | None = None  # (index, kinds popped) that f_lineno asked for


_EVENT = _Event()


def trace_event(tstate: Any, frame: Any, event: str, arg: Any, lineno: Any = None) -> None:
    """Call the thread's trace function as CPython's trace_trampoline does."""
    if event == "call":
        callback = tstate.c_tracefunc
    else:
        callback = getattr(frame, "f_trace", None)
    if callback is None:
        return
    _EVENT.what, _EVENT.frame, _EVENT.jump = event, frame, None
    try:
        result = _call(tstate, callback, frame, event, arg, lineno)
    except BaseException:
        set_trace(tstate, None)
        frame.f_trace = None
        _EVENT.jump = None  # as CPython, a tracer that raises after jumping does not jump
        raise
    finally:
        _EVENT.frame = None
    if result is not None:
        frame.f_trace = result


def profile_event(tstate: Any, frame: Any, event: str, arg: Any, lineno: Any = None) -> None:
    """Call the thread's profile function as CPython's profile_trampoline does."""
    func = tstate.c_profilefunc
    if func is None:
        return
    try:
        _call(tstate, func, frame, event, arg, lineno)
    except BaseException:
        set_profile(tstate, None)
        raise


def _both(tstate: Any, frame: Any, event: str, arg: Any, lineno: Any = None) -> None:
    if tstate.c_tracefunc is not None:
        trace_event(tstate, frame, event, arg, lineno)
    if tstate.c_profilefunc is not None:
        profile_event(tstate, frame, event, arg, lineno)


# -- the operations ------------------------------------------------------------------------


def decode_entry(frame: Any, stack: list, arg: Any) -> None:
    """First instruction of code that has not run yet: decode it, start it over."""
    code = frame.f_code
    dec = code._decoded
    dec.fill(code)
    raise Switch(dec.instrs, 0)


def trace_entry(frame: Any, stack: list, arg: Any) -> None:
    """First instruction of a frame while some thread traces: report 'call', switch."""
    tstate = current()
    dec = frame.f_code._decoded
    observer = OBSERVER[0]
    if (
        tstate.tracing
        or (tstate.c_tracefunc is None and tstate.c_profilefunc is None and observer is None)
        or getattr(frame, "tr_seen", False)
    ):
        raise Switch(dec.plain, 0)
    if observer is not None:
        if not OBSERVE_LINES[0] and tstate.c_tracefunc is None and tstate.c_profilefunc is None:
            if observer(tstate, frame, "call", 0) is False and not _ACTIVE:
                # The observer never needs this code's calls: its frames start plain
                # from now on (until some thread traces: see _update).
                dec.instrs[0] = dec.plain[0]
            raise Switch(dec.plain, 0)
        mine = _enter_traced(frame, -2)
        observer(tstate, frame, "call", 0)
    else:
        mine = _enter_traced(frame, -2)
    _both(tstate, frame, "call", None, frame.f_code.co_firstlineno)
    raise Switch(mine, 0)


def trace_point(frame: Any, stack: list, arg: Any) -> None:
    """An instruction of the traced form where events may happen: see the module doc."""
    kinds, op, oparg = arg
    k = frame.f_lasti
    mine = frame.tr_list
    armed = frame.tr_armed
    if armed >= 0:
        mine[armed] = frame.tr_form[armed]
        frame.tr_armed = -1
    tstate = current()
    if kinds & RETURNED:
        mine[k] = frame.tr_form[k]
        callee, frame.tr_returned = frame.tr_returned, None
        if callee is not None and getattr(callee, "tr_list", None) is None and not tstate.tracing:
            _both(tstate, callee, "return", stack[-1])
    observer = OBSERVER[0]
    if tstate.c_tracefunc is None and tstate.c_profilefunc is None and observer is None:
        frame.tr_list = None
        raise Switch(frame.f_code._decoded.plain, k)
    opcodes = bool(getattr(frame, "f_trace_opcodes", False))
    if (opcodes or OBSERVE_OPCODES[0]) is not frame.tr_opcodes:
        line, last = frame.tr_line, frame.tr_last
        mine = _enter_traced(frame, line)
        frame.tr_last = last
    if not tstate.tracing:
        if kinds & RESUME:
            if observer is not None:
                observer(tstate, frame, "call", k)
            _both(tstate, frame, "call", None)
        if kinds & LINE:
            code = frame.f_code
            line = code.line_of(k)
            new_line = line is not None and (
                line != frame.tr_line or (k <= frame.tr_last and op != _SEND)
            )
            if observer is not None:
                if new_line:
                    observer(tstate, frame, "line", k)
                if kinds & OPCODE and OBSERVE_OPCODES[0]:
                    observer(tstate, frame, "opcode", k)
            if getattr(frame, "f_trace", None) is not None:
                if new_line and getattr(frame, "f_trace_lines", True):
                    trace_event(tstate, frame, "line", None)
                    if _EVENT.jump is not None:
                        _jump(tstate, frame, stack, mine)
                if kinds & OPCODE and opcodes and getattr(frame, "f_trace", None) is not None:
                    trace_event(tstate, frame, "opcode", None)
            frame.tr_line = line
        if kinds & RET:
            if observer is not None:
                observer(tstate, frame, "return", k)
            _both(tstate, frame, "return", stack[-1])
        if (
            kinds & CALL
            and tstate.c_profilefunc is not None
            and _profiled_call(tstate, frame, stack, op, oparg)
        ):
            frame.tr_last = k
            return
        if (
            kinds & ITER
            and tstate.c_tracefunc is not None
            and getattr(frame, "f_trace", None) is not None
        ):
            frame.tr_last = k
            _iterate(tstate, frame, stack, op, oparg, mine)
            return
    frame.tr_last = k
    if op >= _FIRST_TABLE_OP:
        _HANDLERS[op](frame, stack, oparg)
        return
    mine[k] = (op, oparg)
    frame.tr_armed = k
    raise Switch(mine, k)


# -- jumping: frame.f_lineno = N from a 'line' event (the analysis is pvm.vm.jump's) -------


def set_lineno(frame: Any, lineno: Any) -> None:
    """Ask to continue frame at line lineno after its trace function returns, with
    CPython's checks (frame_setlineno); the jump happens in trace_point."""
    if type(lineno) is not int:
        raise ValueError("lineno must be an integer")
    what = _EVENT.what
    if what == "call":
        raise ValueError("can't jump from the 'call' trace event of a new frame")
    yielding = what == "return" and frame.f_code._decoded.plain[frame.f_lasti][0] == _YIELD
    if what != "line" and not yielding:
        raise ValueError("can only jump from a 'line' trace event")
    if getattr(frame, "f_trace", None) is None:
        raise ValueError("f_lineno can only be set by a trace function")
    if frame is not _EVENT.frame:
        raise NotImplementedError("pvm can set f_lineno only of the frame being traced")
    index, pops = jump.target(frame.f_code, frame.f_lasti, lineno)
    if yielding:
        raise NotImplementedError("pvm does not support jumping from a yield's 'return' event")
    _EVENT.jump = (index, pops)


def _jump(tstate: Any, frame: Any, stack: list, mine: list) -> None:
    """Continue frame at the instruction f_lineno asked for, popping what the jump leaves."""
    index, pops = _EVENT.jump
    _EVENT.jump = None
    for kind in pops:
        value = stack.pop()
        if kind == jump.EXCEPT:
            tstate.exc = value  # leaving an except block restores what it saved
    entry = frame.tr_form[index]
    if entry[0] == _TRACE_POINT:
        entry = entry[1][1:]
    # The target runs untraced (CPython dispatches it directly): no second 'line' event.
    mine[index] = entry
    frame.tr_armed = index
    frame.tr_line = frame.f_code.line_of(index)
    frame.tr_last = index
    raise Switch(mine, index)


def _iterate(tstate: Any, frame: Any, stack: list, op: int, oparg: Any, mine: list) -> None:
    """SEND or FOR_ITER in a traced frame: a generator that returns a value (or is sent
    one) reports its StopIteration as an 'exception' event, as in CPython 3.11."""
    from pvm.vm.generator import Generator
    from pvm.vm.handlers import send

    if op == _FOR_ITER:
        it = stack[-1]
        if type(it) is not Generator:
            try:
                stack.append(next(it))
            except StopIteration:
                stack.pop()
                raise Switch(mine, oparg) from None
            return
        done, value = it._resume(None)
        sent = None
        if not done:
            stack.append(value)
            return
        stack.pop()
    else:
        sent = stack.pop()
        done, value = send(stack[-1], sent)
        if not done:
            stack.append(value)
            return
        stack[-1] = value
    if sent is not None or value is not None:
        stop = StopIteration(value)
        trace_event(tstate, frame, "exception", (StopIteration, stop, None))
    raise Switch(mine, oparg)


_CALL = _decode.internal[_op.CALL]
_CALL_KW = _decode.internal[_op.CALL_KW]


def _profiled_call(tstate: Any, frame: Any, stack: list, op: int, oparg: Any) -> bool:
    """Make a call to a builtin with c_call/c_return/c_exception; False if not one."""
    from pvm.vm.null import NULL

    if op == _CALL:
        nargs = oparg
        kw: Any = ()
        extra = 0
    elif op == _CALL_KW:
        kw = stack[-1]
        nargs = oparg
        extra = 1
    else:  # CALL_FUNCTION_EX
        extra = 2 if oparg & 1 else 1
        func = stack[-1 - extra]
        if type(func) not in _NATIVE or stack[-2 - extra] is not NULL:
            return False
        kwargs = stack[-1] if oparg & 1 else None
        args = stack[-extra]
        if not isinstance(args, tuple):
            return False
        if kwargs is not None and type(kwargs) is not dict:
            return False
        del stack[-2 - extra :]
        stack.append(_c_call(tstate, frame, func, args, kwargs or {}))
        return True
    top = len(stack) - extra
    if stack[top - 2 - nargs] is NULL:
        func = stack[top - 1 - nargs]
        args = stack[top - nargs : top]
    else:
        func = stack[top - 2 - nargs]
        args = stack[top - 1 - nargs : top]
    if type(func) not in _NATIVE:
        return False
    kwargs = {}
    if kw:
        nkw = len(kw)
        kwargs = dict(zip(kw, args[len(args) - nkw :]))
        del args[len(args) - nkw :]
    del stack[top - 2 - nargs :]
    if args and not kwargs:
        from pvm.vm.function import Function

        if type(args[0]) is Function:
            from pvm.vm.handlers import host_function_arguments

            args = host_function_arguments(func, args)
    stack.append(_c_call(tstate, frame, func, args, kwargs))
    return True


def _c_call(tstate: Any, frame: Any, func: Any, args: Any, kwargs: dict) -> Any:
    profile_event(tstate, frame, "c_call", func)
    try:
        result = func(*args, **kwargs)
    except BaseException:
        if tstate.c_profilefunc is not None:
            profile_event(tstate, frame, "c_exception", func)
        raise
    if tstate.c_profilefunc is not None:
        profile_event(tstate, frame, "c_return", func)
    return result


def exception_event(tstate: Any, frame: Any, exc: BaseException) -> None:
    """Report 'exception' in a traced frame (an exception raised in or into it)."""
    if getattr(frame, "tr_returned", None) is not None:
        # The callee it expected a return from raised instead (see switch_callers).
        frame.tr_returned = None
        index = frame.f_lasti + 1
        if index < len(frame.tr_list):
            frame.tr_list[index] = frame.tr_form[index]
    if tstate.tracing:
        return
    if tstate.c_tracefunc is None or getattr(frame, "f_trace", None) is None:
        return
    trace_event(tstate, frame, "exception", (type(exc), exc, services.traceback_view(exc)))


def unwind_event(tstate: Any, frame: Any) -> None:
    """Report 'return' None for a frame an exception leaves."""
    if tstate.tracing:
        return
    _both(tstate, frame, "return", None)


# -- the eval breaker: switching a running frame -----------------------------------------


def breaker_hook(tstate: Any, frame: Any) -> None:
    """Switch this thread's running frame to its traced form if it now needs one.

    Frames that were running when the thread started profiling (or that had f_trace
    set while running) switch at their next check point (a call or a backward jump).
    """
    if not tstate.tr_pending or tstate.tracing:
        return
    if getattr(frame, "tr_list", None) is not None:
        return
    if tstate.c_profilefunc is None and (
        tstate.c_tracefunc is None or getattr(frame, "f_trace", None) is None
    ):
        return
    code = frame.f_code
    lasti = frame.f_lasti
    before = getattr(frame, "tr_line", None)  # where f_trace was set (request_switch)
    line = code.line_of(lasti)
    mine = _enter_traced(frame, line)
    if code._decoded.plain[lasti][0] in _CALLS:
        frame.tr_last = lasti - 1  # the call is made again, from the traced form
        if line != before and line is not None and getattr(frame, "f_trace_lines", True):
            # The line started since f_trace was set: report it now.
            trace_event(tstate, frame, "line", None)
    else:
        frame.tr_last = 1 << 30  # a backward jump was taken
    raise Switch(mine, None)


# This module's bit of the eval breaker: set while some thread has a frame to switch
# (tstate.tr_pending); breaker_hook runs at every check point then.
hooks.add_breaker_handler(Request.TRACE_SWITCH, breaker_hook)


def _request(tstate: Any) -> None:
    tstate.tr_pending = True
    hooks.request(Request.TRACE_SWITCH)


def _unrequest(tstate: Any) -> None:
    tstate.tr_pending = None
    if not any(s.tr_pending for s in all_states().values()):
        hooks.clear(Request.TRACE_SWITCH)
        if any(s.tr_pending for s in all_states().values()):  # one came in meanwhile
            hooks.request(Request.TRACE_SWITCH)


def request_switch(frame: Any) -> None:
    """Ask the thread running frame to switch it to its traced form (f_trace was set)."""
    if getattr(frame, "tr_list", None) is None:
        frame.tr_line = frame.f_lineno
        tstate = current()
        _request(tstate)
        if tstate.c_tracefunc is not None:
            switch_callers(tstate)


def _needs_switch(tstate: Any, frame: Any) -> bool:
    if getattr(frame, "tr_list", None) is not None:
        return False
    if tstate.c_profilefunc is not None:
        return True
    return tstate.c_tracefunc is not None and getattr(frame, "f_trace", None) is not None


def switch_callers(tstate: Any) -> None:
    """Switch the waiting callers on this thread's stack that need tracing now.

    A caller's loop state waits in the ``saved`` list of the dispatch loop's run that
    pushed its callee (hooks.loop_runs): the traced copy goes there, so that the caller
    continues on it when the call returns (and reports its 'return').  The innermost
    frame of each run switches at its next eval breaker check instead.
    """
    from pvm.vm.null import NULL

    # (the host's sys._getframe is patched to see guest frames while a guest runs)
    host = sys._current_frames().get(threading.get_ident())
    innermost = True
    for run in hooks.loop_runs(host):
        inner, saved = run.frame, run.saved
        if inner is not None and type(saved) is list:
            f = inner.f_back
            j = len(saved) - 1
            while j >= 0 and f is not None:
                entry = saved[j]
                if entry[0] is f.instrs and _needs_switch(tstate, f):
                    mine = _enter_traced(f, f.f_code.line_of(f.f_lasti))
                    f.tr_last = f.f_lasti
                    f.instrs = mine
                    saved[j] = entry = (mine, *entry[1:])
                if (
                    innermost
                    and f is inner.f_back
                    and entry[0] is getattr(f, "tr_list", None)
                    and entry[8] is NULL
                    and _needs_switch(tstate, inner)
                ):
                    # The running frame switches at its next check point; if it
                    # returns first, its caller reports the return for it.
                    _expect_return(f, inner)
                f = f.f_back
                j -= 1
        innermost = False


def _expect_return(caller: Any, callee: Any) -> None:
    index = caller.f_lasti + 1
    mine = caller.tr_list
    if index >= len(mine):
        return
    op, arg = caller.tr_form[index]
    if op == _TRACE_POINT:
        kinds, op, arg = arg
    else:
        kinds = 0
    mine[index] = (_TRACE_POINT, (kinds | RETURNED, op, arg))
    caller.tr_returned = callee


def throw_entry(tstate: Any, frame: Any) -> None:
    """An exception thrown into a traced generator frame: it reports 'call' first."""
    if getattr(frame, "tr_list", None) is not None and not tstate.tracing:
        _both(tstate, frame, "call", None)


# -- sys.settrace and friends ------------------------------------------------------------


def _update(tstate: Any) -> None:
    with _LOCK:
        was = bool(_ACTIVE)
        if tstate.c_tracefunc is not None or tstate.c_profilefunc is not None:
            if tstate not in _ACTIVE:
                _ACTIVE.add(tstate)
                # Frames running now started untraced: their first instruction, if
                # jumped back to, is no entry.
                f = tstate.frame
                while f is not None:
                    f.tr_seen = True
                    f = f.f_back
        else:
            _ACTIVE.discard(tstate)
        now = bool(_ACTIVE)
        if now == was:
            return
        # (force: codes the observer dropped need their entry back while tracing)
        _set_tracing(now or OBSERVER[0] is not None, force=now)


def _set_tracing(now: bool, force: bool = False) -> None:
    """Make every decoded code start with trace_entry (now true) or not."""
    if _decode.TRACING[0] is not now or force:
        # (code not yet decoded is left alone: decoding consults TRACING)
        with _decode._FILLING:
            _decode.TRACING[0] = now
            for dec in list(_decode.ALL):
                instrs = dec.instrs
                if instrs and dec.filled:
                    instrs[0] = (_TRACE_ENTRY, dec.plain[0]) if now else dec.plain[0]


def set_trace(tstate: Any, func: Any) -> None:
    tstate.c_tracefunc = func
    _update(tstate)
    if func is None and tstate.c_profilefunc is None:
        _unrequest(tstate)


def set_profile(tstate: Any, func: Any) -> None:
    tstate.c_profilefunc = func
    _update(tstate)
    if func is not None:
        _request(tstate)  # every running frame reports its calls and returns
        switch_callers(tstate)
    elif tstate.c_tracefunc is None:
        _unrequest(tstate)


def settrace(function: Any, /) -> None:
    """Set the guest trace function of the calling thread (sys.settrace)."""
    set_trace(current(), function)


def setprofile(function: Any, /) -> None:
    """Set the guest profile function of the calling thread (sys.setprofile)."""
    set_profile(current(), function)


def gettrace() -> Any:
    """Return the calling thread's guest trace function (sys.gettrace)."""
    return current().c_tracefunc


def getprofile() -> Any:
    """Return the calling thread's guest profile function (sys.getprofile)."""
    return current().c_profilefunc


def _observe(observer: Any, opcodes: bool = False, lines: bool = True) -> None:
    """Install the internal observer (None removes it): see the module docstring.

    With lines false it gets only 'call' events and frames run their plain form; an
    observer that returns False from a 'call' is not called for that code again.
    Frames that are running when it is installed are not observed (install it before
    the program starts); frames started afterwards, on any thread, are.
    """
    with _LOCK:
        OBSERVER[0] = observer
        OBSERVE_OPCODES[0] = bool(opcodes) and observer is not None
        OBSERVE_LINES[0] = bool(lines or opcodes)
        _set_tracing(observer is not None or bool(_ACTIVE), force=True)


def _step_subscribers(deliver: Any) -> None:
    """Topic.STEP's subscribers changed (pvm.vm.events): observe for them, or stop."""
    subs = events.subscriptions(events.Topic.STEP)
    _observe(
        deliver,
        opcodes=any(s.options.get("opcodes", False) for s in subs),
        lines=any(s.options.get("lines", True) for s in subs),
    )


# Observers subscribe to events.Topic.STEP (options opcodes=, lines=: see _observe).
events.on_change(events.Topic.STEP, _step_subscribers)


def install(handlers: list) -> None:
    """Called by pvm.vm.handlers with the loop's handler table."""
    global _HANDLERS
    _HANDLERS = handlers
