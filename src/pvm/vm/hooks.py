"""The one seam between the interpreter and the layers above it (runtime, concurrency, observe).

What belongs here: every way a higher layer plugs into the vm, each named and
documented in one place --
  * services: what the runtime lends the vm (guest views of frames and tracebacks,
    locals() dicts, the default builtins, the GIL's switch interval), registered
    with provide() when the providing module is imported;
and the interpreter's own plug-in points (eval-breaker request bits, GIL hooks,
opcode handler overrides, where a thread's loop stands), documented where they are
defined below.

What does not: the implementations.  The vm calls what is registered here and
imports nothing above itself (tests/test_layering.py holds that order).
"""

from __future__ import annotations

import sys
from enum import IntFlag
from typing import Any, NamedTuple

from pvm.vm.decode import INLINE, names

# -- services the layers above provide ---------------------------------------------------
#
# The vm hands guest code views of its own objects (a frame as sys._getframe() shows
# it, an exception's __traceback__), and those views need runtime services (locals(),
# the logical f_back through host code).  The runtime module that makes each view
# registers it here at import; the vm only calls it, on cold paths.


def _host_traceback(exc: BaseException) -> Any:
    return exc.__traceback__


def _missing(name: str) -> Any:
    def missing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"pvm: no provider for the vm service {name!r} (import pvm.runtime)")

    missing.__name__ = name
    return missing


class Services:
    """What the layers above lend the vm; each slot is set once, by its provider."""

    __slots__ = (
        "frame_view", "traceback_view", "with_traceback", "set_traceback",
        "frame_locals", "locals_dict", "make_builtins",
        "get_switch_interval", "set_switch_interval", "modules", "handed_traceback",
    )  # fmt: skip

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, _missing(name))
        # No runtime (the vm used alone, as some tests do): vmstate's minimal builtins.
        self.make_builtins = None
        # Until pvm's GIL provides its own, the switch interval is the host's.
        self.get_switch_interval = sys.getswitchinterval
        self.set_switch_interval = sys.setswitchinterval
        # The guest's sys.modules: the host's, unless a guest world has its own.
        self.modules = sys.modules
        # The traceback handed to __exit__: the host's, which host library code can
        # store back; a guest world, whose library is guest code, hands the view.
        self.handed_traceback = _host_traceback


# frame_view(frame) -> the guest's view of a pvm frame        (pvm.runtime.sysmodule)
# traceback_view(exc) -> exc.__traceback__ as the guest sees it (pvm.runtime.traceback)
# with_traceback(exc) -> exc.with_traceback, guest-aware       (pvm.runtime.traceback)
# set_traceback(exc, tb): exc.__traceback__ = tb, guest-aware   (pvm.runtime.traceback)
# frame_locals(frame) -> locals() of a frame                   (pvm.runtime.exec)
# locals_dict(frame) -> the frame's locals() dict if one was made, else None
# make_builtins() -> the guest's builtins dict, or None         (pvm.runtime.builtins)
# get_switch_interval() / set_switch_interval(s)                (pvm.concurrency.gil)
# modules: the guest's sys.modules dict (not a function)        (pvm.runtime.world)
# handed_traceback(exc) -> the traceback __exit__ receives      (pvm.runtime.world)
services = Services()


def provide(**makers: Any) -> None:
    """Register the named services (a provider calls this when it is imported)."""
    for name, maker in makers.items():
        if name not in Services.__slots__:
            raise TypeError(f"unknown vm service {name!r}")
        setattr(services, name, maker)


# -- the eval breaker: one request bit per reason ----------------------------------------
#
# The dispatch loop tests one flag, EVAL_BREAKER[0], at every backward jump and every call
# (and at nothing else: decision 5).  Each reason to stop a running thread at its next
# check point has its own request bit, set and cleared only by the bit's owner; the flag
# is their OR, recomputed in one place (_compute_eval_breaker), as CPython's ceval.c keeps
# SET_GIL_DROP_REQUEST / COMPUTE_EVAL_BREAKER.  When the flag is up, the loop calls
# handle_requests(), which runs the handlers of each set bit, lowest bit first.
#
#     owner --request(bit)--> _requests[bit] = True --> EVAL_BREAKER[0] = 1
#     owner --clear(bit)----> _requests[bit] = False --> _compute_eval_breaker()
#     loop: if breaker[0]: handle_requests(tstate, frame) --> handler(tstate, frame)
#                                                             for each set bit's handlers
#
# The flag and the bits are process-wide: a handler runs on whichever thread reaches a
# check point, and decides for itself whether that thread is the one it wants.


class Request(IntFlag):
    """Why the loop should stop at its next check point; each bit has one owner."""

    # pvm.concurrency.gil: the GIL wants the holder's check points (a drop request, the
    # clock watched for a waiter, ticks counted for events or the legacy policy).
    GIL_DROP_REQUEST = 1
    # pvm.vm.trace: a running frame must switch to its traced form (f_trace was set, or
    # its thread started tracing or profiling).  After the GIL: its handler may raise
    # Switch (a later bit's handler then runs at the next check point).
    TRACE_SWITCH = 2
    # pvm.runtime.world: interpreter shutdown began; every other thread stops for good
    # at its next check point (its handler never returns there).
    FINALIZING = 4
    # pvm.runtime.sysmodule: a signal arrived while the main thread moved the GIL; its
    # handler runs at the main thread's next check point.  It may raise.
    SIGNALS = 8
    # Later reasons (asyncio wake-ups, process events) take the next bits; a handler
    # that raises goes last.


EVAL_BREAKER = [0]  # the loop binds this list: one truthiness test of a list slot
# Indexed by bit number (bit.bit_length() - 1): lists, as an enum member's hash is a
# Python-level call.
_requests: list[bool] = [False] * len(Request)
_handlers: list[list] = [[] for _ in Request]


def request(bit: Request) -> None:
    """Ask every thread to stop at its next check point for bit (the bit's owner only)."""
    _requests[bit.bit_length() - 1] = True
    EVAL_BREAKER[0] = 1


def clear(bit: Request) -> None:
    """Withdraw bit's request (the bit's owner only); the flag drops when no bit is set."""
    _requests[bit.bit_length() - 1] = False
    _compute_eval_breaker()


def requested(bit: Request) -> bool:
    """Return whether bit is set."""
    return _requests[bit.bit_length() - 1]


def _compute_eval_breaker() -> None:
    """Recompute EVAL_BREAKER[0] as the OR of the request bits (CPython's COMPUTE_EVAL_BREAKER).

    No lock: a request() on another thread sets its bit before the flag, so reading
    the bits again after lowering the flag sees it, or its own write comes after ours.
    """
    if any(_requests):
        EVAL_BREAKER[0] = 1
        return
    EVAL_BREAKER[0] = 0
    if any(_requests):
        EVAL_BREAKER[0] = 1


def add_breaker_handler(bit: Request, handler: Any) -> None:
    """Run handler(tstate, frame) at check points while bit is set (after those added before)."""
    handlers = _handlers[bit.bit_length() - 1]
    if handler not in handlers:
        handlers.append(handler)


def remove_breaker_handler(bit: Request, handler: Any) -> None:
    """Stop running handler for bit (no error if it was not added)."""
    try:
        _handlers[bit.bit_length() - 1].remove(handler)
    except ValueError:
        pass


def handle_requests(tstate: Any, frame: Any) -> None:
    """Run the handlers of every set bit (the loop calls this when EVAL_BREAKER[0] is up).

    frame.f_lasti is the check point's instruction (the call, or the jump's target - 1).
    """
    for wanted, handlers in zip(_requests, _handlers):
        if wanted:
            for handler in handlers:
                handler(tstate, frame)


# -- GIL hooks ---------------------------------------------------------------------------
#
# GIL_ON[0] is true while pvm's GIL manages threads (once a second thread starts, or for
# a whole run that is observed or scheduled deterministically); until then native calls
# and entries from host code pay one list test and nothing else.  pvm.concurrency.gil
# installs its hooks with install_gil() and turns them off with uninstall_gil(); while
# GIL_ON[0] is true the vm calls (all take the thread's ThreadState):
#   gil.native_call(tstate, func, args, kwargs) makes a native (non-guest) call, with the
#       GIL released around it if it blocks, and stealable by a waiter while it runs;
#   gil.enter(tstate) makes the thread hold the GIL before host code runs guest code;
#   gil.leave(tstate) marks the thread as back in host code (after gil.enter);
#   gil.exit_thread(tstate) ends the thread's life under the GIL (the main thread at exit);
#   gil.claim(tstate) is called when a native call made while GIL_ON was off returns with
#       it on (the call started the second thread): the thread takes its GIL back from
#       the stealable state that turning the GIL on left it in.
# The dispatch loop binds GIL_ON and its two hooks' one-slot lists (GIL_NATIVE_CALL,
# GIL_CLAIM) as default arguments: a list slot read there costs what an index did
# before, where an attribute read would cost more.


class GILHooks:
    """The GIL's entry points that the vm calls while GIL_ON[0] is true."""

    __slots__ = ("claim", "enter", "exit_thread", "leave", "native_call")

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, _missing(f"gil.{name}"))


GIL_ON = [0]
gil = GILHooks()
GIL_NATIVE_CALL: list = [gil.native_call]
GIL_CLAIM: list = [gil.claim]


def install_gil(*, native_call: Any, enter: Any, leave: Any, exit_thread: Any, claim: Any) -> None:
    """Install the GIL's hooks and turn the GIL on (pvm.concurrency.gil only)."""
    gil.native_call = GIL_NATIVE_CALL[0] = native_call
    gil.enter = enter
    gil.leave = leave
    gil.exit_thread = exit_thread
    gil.claim = GIL_CLAIM[0] = claim
    GIL_ON[0] = 1


def uninstall_gil() -> None:
    """Turn the GIL off: native calls and entries from host code go straight through again."""
    GIL_ON[0] = 0


# -- overriding an opcode handler --------------------------------------------------------


class HandlerOverride:
    """One override_handler() in force: ``previous`` is the handler it replaced."""

    __slots__ = ("handler", "number", "previous")

    def __init__(self, number: int, handler: Any, previous: Any) -> None:
        self.number = number
        self.handler = handler
        self.previous = previous

    def restore(self) -> None:
        """Put the replaced handler back (idempotent)."""
        from pvm.vm.handlers import HANDLERS  # (see override_handler)

        if HANDLERS[self.number] is self.handler:
            HANDLERS[self.number] = self.previous


def override_handler(opname: str, handler: Any) -> HandlerOverride:
    """Make the loop run handler for opname until the returned override's restore().

    The contract of a table handler: ``handler(frame, stack, arg) -> None``, where frame
    is the running Frame (its f_lasti is this instruction's index), stack its value
    stack (a list, changed in place), and arg the decoded argument (a name, a constant,
    a number).  It may raise; it must not push frames.  Only operations the loop runs
    through its handler table can be overridden: the hot ones it runs inline
    (decode.INLINE) raise ValueError, since the loop never looks them up.
    """
    if opname in INLINE:
        raise ValueError(f"{opname} runs inline in the dispatch loop: it cannot be overridden")
    numbers = [n for n, name in names.items() if name == opname]
    if not numbers:
        raise ValueError(f"no operation named {opname!r}")
    # Here, not at the top: pvm.vm.handlers imports this module (through handlers_flow).
    from pvm.vm.handlers import HANDLERS

    number = numbers[0]
    previous = HANDLERS[number]
    HANDLERS[number] = handler
    return HandlerOverride(number, handler, previous)


# -- where a thread's loop stands --------------------------------------------------------


class LoopState(NamedTuple):
    """One run of the dispatch loop on a host stack, as loop_runs() finds it."""

    host: Any  # the host frame executing the run
    frame: Any  # the guest frame it is running (the innermost it pushed)
    index: int | None  # that frame's current instruction; None before the loop read it
    saved: list  # the loop states of the callers this run pushed, innermost last


# Both are implemented next to the loop (pvm.vm.interpreter), the one place that knows
# its local variables, and are meant for introspection, not hot paths.


def loop_runs(host_frame: Any) -> list[LoopState]:
    """Return each run of the dispatch loop on the host stack from host_frame outwards.

    Innermost first; for each, where it stands (see LoopState).
    """
    return _loop[0](host_frame)


def live_index(frame: Any) -> int:
    """Return the index of a guest frame's current instruction, even while a loop runs it.

    The loop writes f_lasti only at calls, exceptions and yields; this asks the loop
    running frame (on any thread), and falls back to f_lasti.  It makes no garbage.
    """
    return _loop[1](frame)


_loop: list = [_missing("loop_runs"), _missing("live_index")]


def install_loop(loop_runs: Any, live_index: Any) -> None:
    """Register the loop's accessors (pvm.vm.interpreter, at import)."""
    _loop[:] = [loop_runs, live_index]
