"""pvm's Global Interpreter Lock: CPython's new GIL as a baton hand-off, plus legacy and off.

What belongs here: the GIL object and its policies, the events it emits
(docs/gil-events.md), and the hooks the interpreter calls (installed with
pvm.vm.hooks.install_gil; the eval breaker's GIL_DROP_REQUEST bit, which only this
module sets and clears).  What does not: which native calls block and the lock types that
release the GIL (pvm.concurrency.blocking), the deterministic schedule's choices
(pvm.concurrency.schedule), recording and showing events (pvm.observe).

The new GIL (policy NEW) as a baton hand-off.  Each thread has a private host lock, its
baton, kept locked while the thread is not running; the waiters form a FIFO queue:

    holder runs --- waiter times out (switch interval) ---> drop request, breaker bit on
        ^                                                         |
        |                                  holder's next check (call, backward jump)
        |                                                         v
    waiter wakes <--- holder pops the first waiter, makes it holder, releases its baton;
                      the old holder queues behind it and waits for its own baton
                      (forced switching: it cannot take the GIL back before the waiter ran)

A thread inside a native call stays the holder but is *stealable* (its ``nat`` list is
non-empty): a waiter whose switch interval expires takes the GIL from it directly
(RELEASE reason BLOCKING on the native call's behalf), so a long native call releases
the GIL after one switch interval, and costs one append and one pop when nobody waits.
Known blocking calls (sleep, I/O, lock waits, joins) release it eagerly instead.
"""

from __future__ import annotations

import _thread
import gc
import os
import signal
import sys
import threading
import time
import types
from collections import deque
from enum import Enum
from typing import Any, NamedTuple

from pvm.concurrency.schedule import Scheduler
from pvm.runtime import sysmodule, world
from pvm.vm import events, hooks
from pvm.vm.hooks import GIL_ON, Request
from pvm.vm.threadstate import ThreadState, current

_real_lock = _thread.allocate_lock
_perf_ns = time.perf_counter_ns
_perf = time.perf_counter


class GILPolicy(Enum):
    """How threads share pvm's GIL."""

    NEW = "new"  # CPython 3.2+: switch interval, drop request, forced switching
    LEGACY = "legacy"  # Python 2 / 3.1: release and re-take every N instructions
    OFF = "off"  # no pvm GIL: guest threads run under the host's GIL only


class EventKind(Enum):
    """What happened to a thread's relation with the GIL (docs/gil-events.md)."""

    THREAD_START = "thread_start"
    REQUEST = "request"
    DROP_REQUEST = "drop_request"
    ACQUIRE = "acquire"
    RELEASE = "release"
    BLOCK_START = "block_start"
    BLOCK_END = "block_end"
    THREAD_EXIT = "thread_exit"


class Reason(Enum):
    """Why a thread released the GIL."""

    DROP_REQUEST = "drop_request"
    CHECK_INTERVAL = "check_interval"
    BLOCKING = "blocking"
    THREAD_EXIT = "thread_exit"
    YIELD = "yield"


class GILEvent(NamedTuple):
    """One GIL event, as a recorder receives it."""

    kind: EventKind
    thread: int
    name: str
    t: int
    instr: int
    reason: Reason | None = None
    detail: str = ""
    where: str = ""  # the guest function that made the blocking call (RELEASE, BLOCK_START)
    on: str = ""  # what the blocking call waits for: "lock", "queue", "sleep", "I/O"...


DEFAULT_SWITCH_INTERVAL = 0.005
GC_STEP = 1000  # check points between two collections under the deterministic schedule
DEFAULT_CHECK_INTERVAL = 100


class ThreadRecord:
    """What the GIL keeps for one thread that runs guest code."""

    __slots__ = (
        "arrival", "baton", "exited", "final_name", "instr", "nat", "native", "number",
        "quantum", "thread", "ticks", "tstate", "waiting",
    )  # fmt: skip

    def __init__(self, number: int, thread: Any) -> None:
        self.number = number
        self.thread = thread  # the threading.Thread, for the guest's name (until it exits)
        self.final_name: str | None = None  # its name when it exited
        self.baton = _real_lock()
        self.baton.acquire()  # released only to hand this thread the GIL
        self.nat: list = []  # non-empty: inside a native call, the GIL may be stolen
        self.native: Any = None  # the native call in progress (for event details)
        self.instr = 0
        self.quantum = 0
        self.ticks = 0
        self.exited = False
        self.arrival: Any = None  # deterministic: a held lock released once it arrived
        self.tstate: Any = None  # the thread's ThreadState, whose frame events name
        self.waiting = False  # inside call_released's blocking call: a signal may end it

    @property
    def name(self) -> str:
        """The guest's name for the thread (Thread.name's value, read without running code)."""
        # Events are built under the GIL's mutex, where no guest code may run: in a
        # guest world Thread.name is a property of the guest's threading.py, and a guest
        # call would take the GIL (gil.enter), under the mutex it already holds.  Both
        # threading.py's (host and guest) keep the name in the instance's ``_name``.
        if self.thread is None and self.final_name is not None:
            return self.final_name
        try:
            name = vars(self.thread).get("_name")
        except TypeError:  # no thread, or no instance dict
            name = None
        return name if isinstance(name, str) else f"Thread-{self.number}"


class GIL:
    """The GIL of this pvm process: who holds it, who waits, and the policy's settings."""

    def __init__(self) -> None:
        self.mutex = _real_lock()  # guards the fields below and orders the events
        self.policy = GILPolicy.NEW
        self.switch_interval = DEFAULT_SWITCH_INTERVAL
        self.check_interval = DEFAULT_CHECK_INTERVAL
        self.scheduler: Scheduler | None = None  # set: the deterministic schedule
        self.recorder: Any = None  # Topic.GIL's deliver (pvm.vm.events); None: nobody listens
        self.reset()

    def reset(self) -> None:
        """Forget every thread (a new run starts)."""
        self.holder: ThreadRecord | None = None
        self.waiters: deque[ThreadRecord] = deque()
        self.drop_request = False
        self.deadline = 0.0  # new GIL: when the first waiter's switch interval runs out
        self.clock_watch = False  # the holder reads the clock at its check points
        self.late = 0.0  # how late a waiter wakes from a timed wait on this host (s)
        self.counting = self.recorder is not None or self.scheduler is not None
        self.vclock = 0
        self.next_number = 1
        self.next_gc = GC_STEP  # deterministic schedule: the virtual time of the next collection
        self.handoffs = 0  # times the GIL passed from one thread to another
        self.last: ThreadRecord | None = None  # the thread that held it last
        self.by_thread_id: dict[int, ThreadRecord] = {}  # id(threading.Thread) -> record

    # -- events ----------------------------------------------------------------------

    def emit(
        self, kind: EventKind, rec: ThreadRecord, reason: Reason | None = None, detail: str = ""
    ) -> None:
        """Publish one event on Topic.GIL (callers check self.recorder first)."""
        t = self.vclock if self.scheduler is not None else _perf_ns()
        where = on = ""
        if detail and (kind is EventKind.BLOCK_START or reason is Reason.BLOCKING):
            where = _where(rec)
            on = _blocked_on(rec, detail)
        self.recorder(GILEvent(kind, rec.number, rec.name, t, rec.instr, reason, detail, where, on))

    # -- threads -----------------------------------------------------------------------

    def new_record(self, thread: Any, rec: ThreadRecord | None = None) -> ThreadRecord:
        """Number a thread that is about to run guest code (under the mutex).

        ``rec``, if given, is a record made before the mutex was taken (see _record_for).
        """
        if rec is None:
            rec = ThreadRecord(self.next_number, thread)
        else:
            rec.number = self.next_number
        self.next_number += 1
        if thread is not None:
            self.by_thread_id[id(thread)] = rec
        if self.recorder is not None:
            self.emit(EventKind.THREAD_START, rec)
        return rec

    def exit_thread(self, rec: ThreadRecord) -> None:
        """The thread's guest life is over: give the GIL up for good."""
        if rec.exited:
            return
        # Keep the name, not the Thread: in a guest world it is a guest object, which
        # must not outlive the program in pvm's tables, and freeing it may run guest
        # code (threading._dangling's WeakSet callback), which needs the GIL the thread
        # still holds here, and must not run under the mutex.
        thread, rec.final_name = rec.thread, rec.name
        rec.thread = rec.tstate = None
        del thread
        own = self._claim(rec)
        with self.mutex:
            rec.exited = True
            if own:
                if self.recorder is not None:
                    self.emit(EventKind.RELEASE, rec, Reason.THREAD_EXIT)
                self._handoff(rec)
            else:
                try:
                    self.waiters.remove(rec)
                except ValueError:
                    pass
            if self.recorder is not None:
                self.emit(EventKind.THREAD_EXIT, rec)
        if rec.arrival is not None:
            self._arrived(rec)

    def _arrived(self, rec: ThreadRecord) -> None:
        lock, rec.arrival = rec.arrival, None
        if lock is not None:
            try:
                lock.release()
            except RuntimeError:
                pass

    # -- taking and giving -------------------------------------------------------------

    def _claim(self, rec: ThreadRecord) -> bool:
        """Return True if rec holds the GIL, making it unstealable; False if it does not."""
        if rec.nat:
            try:
                rec.nat.pop()
                return True
            except IndexError:
                return False  # stolen just now
        return self.holder is rec

    def acquire(self, rec: ThreadRecord) -> None:
        """Take the GIL for rec (which does not hold it), waiting as the policy says."""
        mutex = self.mutex
        with mutex:
            if self.holder is rec:
                # Guest code ran on this thread after its GIL was taken and before this
                # call: a finalizer (__del__, a generator's close) that an allocation in
                # pvm's own code set off, whose gil.enter took the GIL back and whose
                # gil.leave left it stealable.  It holds the GIL: waiting for a hand-off
                # that already happened would block on its baton for ever, under the mutex.
                rec.nat.clear()  # under the mutex, where stealers pop it
                return
            if self.holder is None and (not self.waiters or self.policy is GILPolicy.LEGACY):
                self._set_holder(rec)
                if self.recorder is not None:
                    self.emit(EventKind.ACQUIRE, rec)
                return
            if rec not in self.waiters:
                if not self.waiters:
                    self.deadline = _perf() + self.switch_interval
                self.waiters.append(rec)
                if self.recorder is not None:
                    self.emit(EventKind.REQUEST, rec)
            if self.scheduler is None and self.policy is GILPolicy.LEGACY:
                hooks.request(_DROP)  # the holder counts ticks while some wait
        self._wait(rec)

    def _wait(self, rec: ThreadRecord) -> None:
        """Wait in the queue until rec holds the GIL; a signal is raised only after that.

        New GIL, os schedule: the waiter's switch interval ends at ``self.deadline``.  A
        thread woken from a timed wait on a busy host is late by up to milliseconds, so
        the waiter wakes ``self.late`` (its measured lateness) early and asks the holder
        to watch the clock for the rest (``clock_watch``: the holder's check points read
        the clock); at the deadline it sets the drop request itself, or steals the GIL
        from a holder that sits in a native call and cannot look.
        """
        pending: BaseException | None = None
        planned = 0.0
        timed = self.scheduler is None and self.policy is GILPolicy.NEW
        baton = rec.baton
        while True:
            try:
                if timed:
                    planned = _perf()
                    wait = self.deadline - planned
                    if wait > self.late:
                        wait -= self.late  # wake early, by the measured lateness
                    elif wait > 0.0:
                        if not self.clock_watch:  # already within it: the holder watches now
                            self.clock_watch = True
                            hooks.request(_DROP)
                    elif self.drop_request:
                        # Past the deadline and asked: the hand-off wakes this thread; wake
                        # now and then only to steal from a holder in a native call.
                        wait = max(self.switch_interval, 1e-4)
                    planned += wait
                    got = baton.acquire(True, wait) if wait > 0.0 else baton.acquire(False)
                else:
                    got = baton.acquire()
            except BaseException as e:  # noqa: BLE001 - re-raised below, once rec holds the GIL
                # Raised by host code that ran inside the wait (signals are deferred out
                # of here, see signal_deferred).  The acquire may have succeeded just
                # before it: the hand-off's state says so, under the mutex.
                pending = e
                got = False
            with self.mutex:
                if got or self.holder is rec:
                    if not got:
                        # Handed over while the wait timed out (or was cut short): the
                        # hand-off released the baton under this mutex, so it is free
                        # now, unless this thread already took it.
                        baton.acquire(False)
                    if self.holder is not rec:  # legacy: only woken to try again
                        if self.holder is None:
                            self._take(rec)
                            break
                        continue
                    break
                if self.holder is None:
                    self._take(rec)
                    break
                if not timed:
                    continue
                now = _perf()
                late = now - planned
                # Lateness rises fast and falls slowly (a loaded host stays loaded).
                self.late = (
                    (self.late + late) * 0.5 if late > self.late else self.late * 0.9 + late * 0.1
                )
                if now < self.deadline:
                    self.clock_watch = True
                    hooks.request(_DROP)
                    continue
                if self._steal(rec):
                    break
                if not self.drop_request:
                    self.drop_request = True
                    hooks.request(_DROP)
                    if self.recorder is not None:
                        self.emit(EventKind.DROP_REQUEST, rec)
        with self.mutex:
            if self.recorder is not None:
                self.emit(EventKind.ACQUIRE, rec)
        if pending is not None:
            raise pending

    def _set_holder(self, rec: ThreadRecord) -> None:
        # Under the mutex.
        self.holder = rec
        if rec is not self.last:
            self.last = rec
            self.handoffs += 1

    def _take(self, rec: ThreadRecord) -> None:
        # Under the mutex: rec takes a free GIL out of the queue.
        try:
            self.waiters.remove(rec)
        except ValueError:
            pass
        self._set_holder(rec)

    def _steal(self, rec: ThreadRecord) -> bool:
        """Take the GIL from a holder that is inside a native call (under the mutex)."""
        victim = self.holder
        try:
            victim.nat.pop()
        except IndexError:
            return False
        if self.recorder is not None:
            detail = _call_name(victim.native)
            self.emit(EventKind.RELEASE, victim, Reason.BLOCKING, detail)
            self.emit(EventKind.BLOCK_START, victim, None, detail)
        self._take(rec)
        self.drop_request = self.clock_watch = False
        self.deadline = _perf() + self.switch_interval
        return True

    def _handoff(self, rec: ThreadRecord) -> None:
        """Pass the GIL from rec to the next waiter, or leave it free (under the mutex)."""
        self.drop_request = self.clock_watch = False
        waiters = self.waiters
        if not waiters:
            self.holder = None
            return
        if self.policy is GILPolicy.LEGACY and self.scheduler is None:
            # No hand-off: wake the first waiter to compete for the free GIL.
            self.holder = None
            try:
                waiters[0].baton.release()
            except RuntimeError:
                pass
            return
        if self.scheduler is not None:
            nxt = self.scheduler.pick(waiters)
            waiters.remove(nxt)
        else:
            nxt = waiters.popleft()
        self._set_holder(nxt)
        self.deadline = _perf() + self.switch_interval
        if waiters and self.switch_interval <= self.late:
            # No waiter can wake in time for so short an interval: the holder watches.
            self.clock_watch = True
            hooks.request(_DROP)
        nxt.baton.release()

    def release(self, rec: ThreadRecord, reason: Reason, detail: str = "") -> None:
        """Give the GIL up (rec holds it and is not stealable)."""
        with self.mutex:
            if self.recorder is not None:
                self.emit(EventKind.RELEASE, rec, reason, detail)
            self._handoff(rec)

    def switch(self, rec: ThreadRecord, reason: Reason, detail: str = "") -> None:
        """Hand the GIL to a waiter and queue for it again (forced switching)."""
        with self.mutex:
            if not self.waiters or self.holder is not rec:
                return
            if self.recorder is not None:
                self.emit(EventKind.RELEASE, rec, reason, detail)
            self._handoff(rec)
            self.waiters.append(rec)
            if self.recorder is not None:
                self.emit(EventKind.REQUEST, rec)
        self._wait(rec)

    def call_released(
        self, rec: ThreadRecord, detail: str, func: Any, args: Any, kwargs: Any = None
    ) -> Any:
        """Call a blocking native function with the GIL released, then take it back.

        A signal that arrives while the GIL changes hands waits for the next check point
        (signal_deferred); one that arrives during the call itself is raised there, so
        Ctrl-C ends a wait as in CPython, and ``finally`` takes the GIL back first.
        """
        state = self.block(rec, detail)
        try:
            rec.waiting = True
            if _thread.get_ident() == _main_ident():
                # Signals that came while the GIL was given up run now, before the wait.
                if signals_pending[0]:
                    sysmodule.deliver_signals()  # deferred by signal_deferred
                # One whose C handler ran but whose Python handler the host put off: in
                # CPython 3.11 a thread that may not handle signals (any but the main
                # one) recomputes the shared eval breaker without them, and the main
                # thread would then wait for the lock before its handler ran, for ever
                # if nothing else wakes it.  pthread_sigmask that blocks nothing makes
                # the host check its tripped signals (PyErr_CheckSignals), and unlike
                # pthread_kill it raises no audit event that a guest's hook would see.
                _check_signals()
            if kwargs:
                return func(*args, **kwargs)
            return func(*args)
        finally:
            rec.waiting = False
            self.restore(rec, state, detail)

    def block(self, rec: ThreadRecord, detail: str) -> int:
        """Release the GIL before a blocking call; return what restore() must take back."""
        if rec.nat:
            try:
                rec.nat.pop()
            except IndexError:
                return 0  # stolen: the native call's return takes it back
            state = 2
        elif self.holder is rec:
            state = 1
        else:
            return 0
        with self.mutex:
            if self.recorder is not None:
                self.emit(EventKind.RELEASE, rec, Reason.BLOCKING, detail)
                self.emit(EventKind.BLOCK_START, rec, None, detail)
            self._handoff(rec)
        return state

    def restore(self, rec: ThreadRecord, state: int, detail: str = "") -> None:
        """Take the GIL back after a blocking call, in the state block() found it."""
        if not state:
            return
        if self.recorder is not None:
            with self.mutex:
                self.emit(EventKind.BLOCK_END, rec, None, detail)
        self.acquire(rec)
        if state == 2:
            rec.nat.append(None)

    def reclaim(self, rec: ThreadRecord) -> None:
        """A native call returns after its GIL was stolen: wait to get it back."""
        if self.recorder is not None:
            with self.mutex:
                self.emit(EventKind.BLOCK_END, rec, None, _call_name(rec.native))
        self.acquire(rec)

    def yield_(self, rec: ThreadRecord, detail: str) -> None:
        """Let another thread run (a blocking call under the deterministic schedule)."""
        if self.holder is rec and self.waiters:
            own_nat = bool(rec.nat)
            if own_nat and not self._claim(rec):
                return
            self.switch(rec, Reason.YIELD, detail)
            if own_nat:
                rec.nat.append(None)
        else:
            time.sleep(0.0002)  # nothing else to run: let host threads (starting, I/O) go

    def _collect(self) -> None:
        """Collect garbage at a fixed virtual time (the deterministic schedule).

        The host's automatic collections follow the host's allocations, which pvm's
        own code (observers, the scheduler's threads) makes at moments that vary from
        run to run; a collection runs guest finalizers and weakref callbacks, whose check
        points would shift every later event.  Under the deterministic schedule the
        automatic ones are off (threshold 0, see pvm.concurrency.configure) and these
        run instead: generation 0 every GC_STEP check points, 1 every tenth, 2 every
        hundredth.
        """
        step = self.vclock // GC_STEP
        self.next_gc = (step + 1) * GC_STEP
        if gc.isenabled():
            gc.collect(2 if step % 100 == 0 else 1 if step % 10 == 0 else 0)

    # -- the eval breaker --------------------------------------------------------------

    def breaker_hook(self, tstate: ThreadState, frame: Any) -> None:
        """At a check point: count, and switch threads if the policy says so."""
        rec = tstate.gil
        if rec is None or self.holder is not rec:
            return
        if self.counting:
            rec.instr += 1
            self.vclock += 1
        sched = self.scheduler
        if sched is not None:
            if self.vclock >= self.next_gc:
                self._collect()
            rec.quantum -= 1
            if rec.quantum <= 0:
                rec.quantum = sched.quantum()
                if self.waiters:
                    self.switch(rec, Reason.DROP_REQUEST)
            return
        if self.policy is GILPolicy.NEW:
            # The waiter's switch interval runs out (see _wait: the holder reads the
            # clock for a waiter that woke early).
            if self.drop_request or (self.clock_watch and _perf() >= self.deadline):
                if not self.drop_request and self.recorder is not None:
                    with self.mutex:
                        if self.waiters:
                            self.emit(EventKind.DROP_REQUEST, self.waiters[0])
                self.switch(rec, Reason.DROP_REQUEST)
        else:
            rec.ticks += 1
            if rec.ticks >= self.check_interval:
                rec.ticks = 0
                if self.waiters:
                    self.release(rec, Reason.CHECK_INTERVAL)
                    time.sleep(0)  # the host may run the woken waiter now, or not
                    self.acquire(rec)
        if not (self.counting or self.drop_request or self.clock_watch) and not (
            self.waiters and self.policy is GILPolicy.LEGACY
        ):
            hooks.clear(_DROP)
            # A waiter sets its flag, then requests, without waiting for this thread: if
            # it did so between the test above and the clear, its request was just lost.
            # Look again after the clear (a request made after it stands on its own).
            if self.drop_request or self.clock_watch:
                hooks.request(_DROP)


# This module's bit of the eval breaker: set while the GIL wants the holder's check
# points; breaker_hook runs at each of them then (registered below).
_DROP = Request.GIL_DROP_REQUEST


def signal_deferred(frame: Any) -> bool:
    """Return whether a signal handler must wait: the main thread is moving the GIL.

    The host runs a Python-level signal handler between any two host bytecodes of the
    main thread; an exception raised in the middle of a hand-off would leave the GIL
    without a holder, or a thread holding it whose baton was never released.  CPython
    runs handlers only at the eval breaker; pvm does so too when the signal lands in
    the GIL's own code (sysmodule delivers it at the next check point).
    """
    for _ in range(6):
        if frame is None:
            return False
        code = frame.f_code
        if code in _CRITICAL:
            if code is _CALL_RELEASED:
                rec = current().gil
                return rec is None or not rec.waiting
            return True
        frame = frame.f_back
    return False


def _where(rec: ThreadRecord) -> str:
    """The guest function rec's thread runs now, e.g. ``Condition.wait (threading.py)``."""
    tstate = rec.tstate
    frame = getattr(tstate, "frame", None)
    if frame is None:
        return ""
    code = frame.f_code
    return f"{code.co_qualname} ({os.path.basename(code.co_filename)})"


# What a blocking call waits for, named by the library function that waits: the first
# of the thread's guest frames (innermost out) that one of these (file, qualname prefix)
# rules names.  Frames elsewhere in these files (Condition.wait) are passed over.
_WAITS = (
    ("queue.py", "", "queue"),
    ("queues.py", "", "queue"),  # multiprocessing's
    ("connection.py", "", "pipe"),  # multiprocessing's
    ("_base.py", ("Future.", "wait", "as_completed"), "future"),  # concurrent.futures
    ("threading.py", ("Thread.join", "Thread._wait_for_tstate_lock"), "join"),
    ("threading.py", "Event.", "event"),
    ("threading.py", "Barrier.", "barrier"),
    ("threading.py", ("Semaphore.", "BoundedSemaphore."), "semaphore"),
)
_LIBRARY_WAITS = frozenset(rule[0] for rule in _WAITS)


def _blocked_on(rec: ThreadRecord, detail: str) -> str:
    """Name what a blocking call waits for: ``sleep``, ``lock``, ``queue``, ``event``, ``I/O``..."""
    if detail.startswith("time.sleep"):
        return "sleep"
    frame = getattr(rec.tstate, "frame", None)
    condition = False
    for _ in range(8):  # the library's waits are a few frames deep at most
        if frame is None:
            break
        code = frame.f_code
        base = os.path.basename(code.co_filename)
        if base not in _LIBRARY_WAITS:
            break  # the program's own code: nothing further names the wait
        for file, prefix, name in _WAITS:
            if file == base and code.co_qualname.startswith(prefix):
                return name
        condition = condition or code.co_qualname.startswith("Condition.wait")
        frame = frame.f_back
    if condition:
        return "condition"
    if "acquire" in detail:
        return "lock"
    return "I/O"


def _call_name(func: Any) -> str:
    """A native call's name for event details, e.g. ``time.sleep`` or ``Lock.acquire``."""
    if func is None:
        return "native call"
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if not isinstance(name, str):
        return type(func).__name__
    owner = getattr(func, "__self__", None)
    if owner is not None and "." not in name:
        if isinstance(owner, type(time)):
            return f"{owner.__name__}.{name}"
        return f"{type(owner).__name__}.{name}"
    return name


_gil = GIL()
_host_interval = [sys.getswitchinterval()]


def _after_fork_in_child() -> None:
    """In a forked child only the forking thread exists: it holds the GIL, nobody waits."""
    g = _gil
    g.mutex = _real_lock()
    g.waiters.clear()
    g.drop_request = g.clock_watch = False
    rec = current().gil
    g.holder = g.last = rec
    if rec is not None:
        # The fork was a native call (os.fork, subprocess, multiprocessing): the thread
        # is inside it, so its GIL is in the stealable state that the call's return ends.
        rec.nat[:] = [None]
        rec.arrival = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def get_gil() -> GIL:
    """Return this process's GIL."""
    return _gil


# -- module interface (docs/gil-events.md) ---------------------------------------------


def get_switch_interval() -> float:
    """Return the switch interval in seconds (the guest's sys.getswitchinterval())."""
    return _gil.switch_interval


def set_switch_interval(interval: float) -> None:
    """Set the switch interval in seconds; it must be positive."""
    interval = float(interval)
    if not interval > 0.0:
        raise ValueError("switch interval must be strictly positive")
    _gil.switch_interval = interval
    if GIL_ON[0]:
        sys.setswitchinterval(min(_host_interval[0], max(1e-5, interval / 20)))


def _gil_subscribers(deliver: Any) -> None:
    """Topic.GIL's subscribers changed (pvm.vm.events): events go to deliver, or nowhere."""
    _gil.recorder = deliver
    _gil.counting = deliver is not None or _gil.scheduler is not None


# Subscribe to events.Topic.GIL to receive every GIL event (docs/events.md).
events.on_change(events.Topic.GIL, _gil_subscribers)


# -- hooks the interpreter calls (pvm.vm.hooks.gil, installed by engage) ----------------


# The Thread object of each thread pvm started (blocking.start_new_thread sets it
# before the thread's first guest code runs).
_started = _thread._local()


def started_as(thread: Any) -> None:
    """Note the Thread object the calling thread runs for (a thread pvm has just started)."""
    _started.thread = thread


def _current_thread() -> Any:
    """Return the calling thread's Thread object, the guest's in a guest world.

    No guest code may run here (it is called on the way into guest code): a thread pvm
    started is known by started_as(); any other is looked up in the guest threading's
    ``_active`` dict, or the host threading's when the library runs natively.
    """
    thread = getattr(_started, "thread", None)
    if thread is not None:
        return thread
    w = world.current()
    if w is not None:
        guest_threading = w.modules.get("threading")
        active = getattr(guest_threading, "__dict__", {}).get("_active")
        ident = _thread.get_ident()
        if type(active) is dict:
            thread = active.get(ident)
        if thread is None and ident == threading.main_thread().ident:
            thread = threading.main_thread()  # before the guest imports threading
        return thread  # None: named Thread-N, not after a host _DummyThread
    return threading.current_thread()


def _record_for(tstate: ThreadState) -> ThreadRecord:
    rec = tstate.gil
    if rec is None or rec.exited:
        thread = _current_thread()
        # The record is made before the mutex is taken: making it allocates, which may
        # set a collection off, whose finalizers (weakref.finalize callbacks, __del__)
        # run guest code on this thread, and their gil.enter comes back here.  Under the
        # mutex, that nested call waited for the mutex its own thread held, for ever
        # (a Dask worker's thread did, and then every thread).
        fresh = ThreadRecord(-1, thread)
        rec = tstate.gil
        if rec is not None and not rec.exited:
            return rec  # a finalizer's gil.enter made this thread's record meanwhile
        with _gil.mutex:
            rec = tstate.gil = _gil.new_record(thread, fresh)
            rec.tstate = tstate
    return rec


def enter(tstate: ThreadState) -> None:
    """Host code is about to run guest code on this thread: hold the GIL (hooks.gil.enter)."""
    rec = tstate.gil
    if rec is None or rec.exited:
        rec = _record_for(tstate)
    elif rec.nat:
        try:
            rec.nat.pop()
            return
        except IndexError:
            _gil.reclaim(rec)
            return
    if rec.arrival is not None:
        _gil._arrived(rec)
    if _gil.holder is not rec:
        _gil.acquire(rec)


def leave(tstate: ThreadState) -> None:
    """The thread returns to host code: its GIL may be stolen while there (gil.leave)."""
    rec = tstate.gil
    if rec is not None and _gil.holder is rec and not rec.nat:
        rec.native = None
        rec.nat.append(None)


def exit_thread(tstate: ThreadState) -> None:
    """The thread will run no more guest code (hooks.gil.exit_thread)."""
    rec = tstate.gil
    if rec is not None:
        _gil.exit_thread(rec)


def claim(tstate: ThreadState) -> None:
    """A native call that turned the GIL on returns to guest code: hold it (hooks.gil.claim)."""
    rec = tstate.gil
    if rec is not None and rec.nat:
        try:
            rec.nat.pop()
        except IndexError:
            _gil.reclaim(rec)


def native_call(tstate: ThreadState, func: Any, args: Any, kwargs: Any) -> Any:
    """Call a native callable from guest code (hooks.gil.native_call)."""
    rec = tstate.gil
    if rec is None:
        return func(*args, **kwargs) if kwargs else func(*args)
    handler = blocking.lookup(func)
    if handler is not None:
        return handler(_gil, rec, func, args, kwargs or {})
    nat = rec.nat
    rec.native = func
    nat.append(None)
    try:
        if kwargs:
            return func(*args, **kwargs)
        return func(*args)
    finally:
        try:
            nat.pop()
        except IndexError:
            _gil.reclaim(rec)


# -- the legacy GIL's extra check points -----------------------------------------------
#
# Python 2 counted ticks at every instruction boundary, so it could switch threads
# between the read and the write of `counter += 1`.  pvm's check points are calls and
# backward jumps only; under the legacy policy a store to a global is one too, so that
# the classic lost update shows (the value to store is computed, the thread switches,
# another thread stores, then this one overwrites it).  The override is in force while
# the legacy GIL is engaged (pvm.vm.hooks.override_handler).
_store_global: list = [None]  # the HandlerOverride, while engaged


def _legacy_store_global(frame: Any, stack: list, arg: str) -> None:
    if hooks.requested(_DROP):
        _gil.breaker_hook(current(), frame)
    _store_global[0].previous(frame, stack, arg)


def engage(thread: Any = None) -> None:
    """Start managing threads with the GIL: the calling thread holds it (idempotent)."""
    if GIL_ON[0] or _gil.policy is GILPolicy.OFF:
        return
    tstate = current()
    rec = tstate.gil
    if thread is None and (rec is None or rec.exited):
        thread = _current_thread()
    # Made outside the mutex, as in _record_for (a collection may run guest code here).
    fresh = ThreadRecord(-1, thread) if rec is None or rec.exited else None
    with _gil.mutex:
        rec = tstate.gil
        if rec is None or rec.exited:
            rec = tstate.gil = _gil.new_record(thread, fresh)
            rec.tstate = tstate
        if _gil.holder is None:
            _gil.holder = rec
            if _gil.recorder is not None:
                _gil.emit(EventKind.ACQUIRE, rec)
        if _gil.holder is rec and not rec.nat:
            # The caller is in native code (it starts a thread, or guest code has not
            # begun): stealable until it returns to guest code (gil.claim or gil.enter).
            rec.native = None
            rec.nat.append(None)
    hooks.add_breaker_handler(_DROP, _gil.breaker_hook)
    if _gil.counting:
        hooks.request(_DROP)
    if _gil.policy is GILPolicy.LEGACY and _gil.scheduler is None:
        _store_global[0] = hooks.override_handler("STORE_GLOBAL", _legacy_store_global)
    # A waiter whose switch interval expires needs the host's GIL to set its drop
    # request; with the host's own 5 ms interval it would wait up to that much longer.
    _host_interval[0] = sys.getswitchinterval()
    sys.setswitchinterval(min(_host_interval[0], max(1e-5, _gil.switch_interval / 20)))
    hooks.install_gil(
        native_call=native_call, enter=enter, leave=leave, exit_thread=exit_thread, claim=claim
    )


def disengage() -> None:
    """Stop managing threads (the run is over) and forget them."""
    if GIL_ON[0]:
        sys.setswitchinterval(_host_interval[0])
    hooks.uninstall_gil()
    if _store_global[0] is not None:
        _store_global[0].restore()
        _store_global[0] = None
    hooks.remove_breaker_handler(_DROP, _gil.breaker_hook)
    hooks.clear(_DROP)
    _gil.reset()
    for state in list(_states_snapshot()):
        state.gil = None


def _states_snapshot() -> list:
    from pvm.vm.threadstate import _states

    return list(_states.values())


hooks.provide(get_switch_interval=get_switch_interval, set_switch_interval=set_switch_interval)


def _check_signals() -> None:
    if _sigmask is not None:
        _sigmask(signal.SIG_BLOCK, ())


_sigmask = getattr(signal, "pthread_sigmask", None)


def _main_ident() -> int | None:
    return threading.main_thread().ident


# The code of every function that moves the GIL: a signal landing there is deferred.
_CALL_RELEASED = GIL.call_released.__code__
_CRITICAL = frozenset(
    [f.__code__ for f in vars(GIL).values() if isinstance(f, types.FunctionType)]
    + [f.__code__ for f in (enter, leave, claim, exit_thread, engage, _record_for)]
)
sysmodule.signal_guards.append(signal_deferred)
signals_pending = sysmodule.SIGNALS_PENDING

# Last: pvm.concurrency.blocking imports this module.
from pvm.concurrency import blocking  # noqa: E402
