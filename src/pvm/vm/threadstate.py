"""Per-thread interpreter state: the frame stack top, handled exception and depth.

What belongs here: ``ThreadState`` (innermost frame, the handled-exception chain,
depth, nesting, trace and profile functions, the GIL's record) and ``current()`` /
``all_states()``.  What does not: the frames themselves (pvm.vm.frame), process-wide
settings (pvm.vm.vmstate), the GIL's per-thread logic (pvm.concurrency.gil).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any


class ThreadState:
    """What the interpreter keeps for one host thread running guest code."""

    __slots__ = (
        "__weakref__", "c_profilefunc", "c_tracefunc", "depth", "exc", "exc_outer", "frame",
        "gil", "nested", "thread_id", "tr_pending", "tracing",
    )  # fmt: skip

    def __init__(self, thread_id: int) -> None:
        self.frame: Any = None  # innermost guest Frame, or None
        # As CPython's exc_info chain: ``exc`` is the exception being handled by the
        # innermost owner (the thread, or a running generator: PUSH_EXC_INFO saves and
        # POP_EXCEPT restores it); ``exc_outer`` holds the outer owners' values, innermost
        # last, consulted when ``exc`` is None.
        self.exc: BaseException | None = None
        self.exc_outer: list = []
        self.depth = 0  # guest frames on this thread's stack
        self.nested = 0  # runs of the dispatch loop nested on the host stack
        self.thread_id = thread_id
        # The guest's sys.settrace/sys.setprofile functions (see pvm.vm.trace); tracing
        # counts calls to them in progress (no events are reported meanwhile).
        self.c_tracefunc: Any = None
        self.c_profilefunc: Any = None
        self.tracing = 0
        self.tr_pending: Any = None
        self.gil: Any = None  # the thread's record in pvm's GIL (pvm.concurrency.gil)

    @property
    def handled_exc(self) -> BaseException | None:
        """The exception being handled (what sys.exception() returns), or None."""
        exc = self.exc
        if exc is None:
            for outer in reversed(self.exc_outer):
                if outer is not None:
                    return outer
        return exc

    @handled_exc.setter
    def handled_exc(self, value: BaseException | None) -> None:
        self.exc = value

    def __repr__(self) -> str:
        return f"<ThreadState thread={self.thread_id} depth={self.depth}>"


# A thread's state lives as long as the thread: its slot in this thread-local is
# dropped when the host thread ends, and with it the entry in _states.
_local = threading.local()
# The thread state of every live thread that ran guest code, by thread id, for
# sys._current_frames() and observers.  Weak, so that it holds the threads that
# threading.enumerate() never lists too (those a guest world's threading.py starts
# through _thread, or native code starts) and only while they live.
_states: weakref.WeakValueDictionary[int, ThreadState] = weakref.WeakValueDictionary()


def current() -> ThreadState:
    """Return the calling host thread's ThreadState, making it on first use."""
    try:
        return _local.state
    except AttributeError:
        ident = threading.get_ident()
        state = _local.state = ThreadState(ident)
        _states[ident] = state
        return state


def all_states() -> dict[int, ThreadState]:
    """Return a snapshot of the thread states of live threads, by thread id."""
    return dict(_states.items())
