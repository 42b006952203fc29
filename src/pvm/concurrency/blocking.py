"""What releases pvm's GIL: blocking native calls, the lock types guest threads use, thread start.

What belongs here: the table of native calls that block (sleep, I/O, waits) and what
each does under each schedule; the lock types that `threading` and `queue` hand the
guest while a run is under the GIL (they release it only when they would block, as
CPython's locks do); the patches of the host's `threading` and `_thread` that register
new threads with the GIL, and the guest world's `_thread` view (its threading.py runs on
pvm: locks, thread start and the sentinels that Thread.join waits on).  What does not:
the GIL itself (pvm.concurrency.gil).

Under the deterministic schedule nothing that waits for another guest thread may
depend on OS timing, so a wait becomes a loop of try-once-then-yield-to-the-scheduler,
`time.sleep` becomes a yield, `Thread.join` waits for the thread's exit under the GIL,
and `Thread.start` returns once the new thread has arrived at its guest code.
"""

from __future__ import annotations

import _thread
import io
import os
import queue
import select
import socket
import subprocess
import sys
import threading
import time
import types
from collections.abc import Callable
from typing import Any

from pvm.concurrency import gil as _gilmod
from pvm.runtime import world
from pvm.vm.hooks import GIL_ON
from pvm.vm.support import unraisable_args
from pvm.vm.threadstate import current

_real_lock = _thread.allocate_lock
_RealLockType = _thread.LockType
_RealRLock = _thread.RLock
_BuiltinType = types.BuiltinFunctionType
# A method of a heap type that a multi-phase C module defines (METH_METHOD, CPython's
# PyCMethod), e.g. the guest world's own _queue.SimpleQueue.get: a subclass of the above.
_CMethodType = type(queue.SimpleQueue().get)
_MethodWrapperType = types.MethodWrapperType
_MethodType = types.MethodType
_FunctionType = types.FunctionType
_ModuleType = types.ModuleType

Handler = Callable[..., Any]


def _held_record(gil: Any) -> Any:
    """The calling thread's GIL record if it holds the GIL (stealable or not), else None."""
    if not GIL_ON[0]:
        return None
    rec = current().gil
    if rec is None or gil.holder is not rec:
        return None
    return rec


# -- waiting on a host lock ------------------------------------------------------------


def acquire_lock(lock: Any, blocking: bool = True, timeout: float = -1, detail: str = "") -> bool:
    """Acquire a host lock as a guest thread must: releasing the GIL only if it blocks."""
    if lock.acquire(False):
        return True
    if not blocking:
        return False
    gil = _gilmod._gil
    rec = _held_record(gil)
    if rec is None:
        rec = current().gil if GIL_ON[0] else None
        if rec is not None and rec.arrival is not None:
            gil._arrived(rec)  # a starting thread now waits in host code (Timer)
        return lock.acquire(True, timeout)
    detail = detail or "Lock.acquire"
    if gil.scheduler is not None:
        deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout
        while True:
            gil.yield_(rec, detail)
            if lock.acquire(False):
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
    if _thread.get_ident() == threading.main_thread().ident:
        return gil.call_released(rec, detail, _main_thread_acquire, (lock.acquire, timeout))
    return gil.call_released(rec, detail, lock.acquire, (True, timeout))


_SLICE = 0.5  # seconds: the longest a signal that arrived just before the wait can wait


def _main_thread_acquire(acquire: Any, timeout: Any) -> bool:
    """Wait for a lock in the main thread in slices, so that a signal always ends the wait.

    A signal whose C handler runs in the main thread after call_released's last look
    at tripped signals and before the lock's own wait begins (the thread preempted in
    between, on a busy host) does not interrupt that wait: the Python-level handler runs
    only when the thread next takes the host's GIL.  CPython has the same window, but
    pvm's is longer (the GIL hand-off lies inside it).  Waking every _SLICE seconds takes
    the host's GIL again, so the handler (Ctrl-C's KeyboardInterrupt) runs within a
    slice; a signal arriving during the wait interrupts it at once, as before.
    """
    if timeout is None or timeout < 0:
        while True:
            if acquire(True, _SLICE):
                return True
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= _SLICE:
            return acquire(True, max(left, 0.0))
        if acquire(True, _SLICE):
            return True


def _check_timeout(blocking: Any, timeout: Any) -> None:
    """Check acquire()'s arguments before trying, as _thread's lock_acquire_parse_args.

    A fresh host lock checks them with _thread's own errors; with valid arguments it
    is free, so acquiring it returns at once.
    """
    _real_lock().acquire(blocking, timeout)


class Lock:
    """threading.Lock for guest threads: a host lock that releases pvm's GIL while it waits."""

    __slots__ = ("__weakref__", "_lock")

    def __init__(self) -> None:
        self._lock = _real_lock()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Acquire the lock, as _thread.lock.acquire."""
        if timeout != -1:
            _check_timeout(blocking, timeout)
        if self._lock.acquire(False):
            return True
        return acquire_lock(self._lock, blocking, timeout, "Lock.acquire")

    def __enter__(self) -> bool:
        if self._lock.acquire(False):
            return True
        return acquire_lock(self._lock, True, -1, "Lock.acquire")

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    def release(self) -> None:
        """Release the lock."""
        self._lock.release()

    def locked(self) -> bool:
        """Return whether the lock is held."""
        return self._lock.locked()

    def _at_fork_reinit(self) -> None:
        self._lock._at_fork_reinit()

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError("cannot pickle '_thread.lock' object")

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def __repr__(self) -> str:
        state = "locked" if self._lock.locked() else "unlocked"
        return f"<{state} _thread.lock object at {id(self):#x}>"


# A guest world's _thread.lock (allocate_lock, LockType): the GIL-aware Lock under
# CPython's name, as type(threading.Lock()) reads there.
GuestLock = type(
    "lock", (Lock,), {"__slots__": (), "__module__": "_thread", "__doc__": Lock.__doc__}
)


def _rlock(*args: Any, **kwargs: Any) -> Any:
    """threading.RLock for guest threads: the pure-Python RLock over a GIL-aware Lock."""
    return threading._PyRLock(*args, **kwargs)


class GuestRLock(threading._PyRLock):  # type: ignore[misc, valid-type]
    """A guest world's _thread.RLock: the host's pure-Python RLock over a GIL-aware Lock,
    under CPython's name, repr and refusal to pickle (its C RLock's)."""

    __slots__ = ()

    def __repr__(self) -> str:
        owner = self._owner
        state = "locked" if owner is not None else "unlocked"
        return (
            f"<{state} _thread.RLock object owner={owner or 0} "
            f"count={self._count} at {id(self):#x}>"
        )

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError("cannot pickle '_thread.RLock' object")


GuestRLock.__name__ = GuestRLock.__qualname__ = "RLock"
GuestRLock.__module__ = "_thread"


# -- the table of blocking native calls ------------------------------------------------


def _release_around(detail: str) -> Handler:
    """A handler that releases the GIL for the whole call (real I/O, under any schedule)."""

    def handler(gil: Any, rec: Any, func: Any, args: Any, kwargs: dict) -> Any:
        return gil.call_released(rec, detail, func, args, kwargs)

    return handler


# CPython's hashlib and zlib release the GIL only for inputs this large (HASHLIB_GIL_MINSIZE).
_LONG_INPUT = 2048


def _release_if_long(detail: str) -> Handler:
    """A handler that releases the GIL around a call on a large buffer (hashing, compression)."""
    around = _release_around(detail)

    def handler(gil: Any, rec: Any, func: Any, args: Any, kwargs: dict) -> Any:
        data = args[0] if args else kwargs.get("data", kwargs.get("string", b""))
        try:
            size = memoryview(data).nbytes
        except TypeError:
            size = 0
        if size < _LONG_INPUT or gil.scheduler is not None:
            return func(*args, **kwargs)
        return around(gil, rec, func, args, kwargs)

    return handler


def _sleep(gil: Any, rec: Any, func: Any, args: Any, kwargs: dict) -> Any:
    if gil.scheduler is not None:
        if args and not isinstance(args[0], (int, float)):
            return func(*args, **kwargs)  # let time.sleep raise its TypeError
        if args and args[0] < 0:
            return func(*args, **kwargs)
        gil.yield_(rec, "time.sleep")
        return None
    return _release_around("time.sleep")(gil, rec, func, args, kwargs)


def _host_lock_acquire(gil: Any, rec: Any, func: Any, args: Any, kwargs: dict) -> Any:
    lock = func.__self__
    name = f"{type(lock).__name__}.acquire"
    if func.__name__ == "__enter__" and type(lock) in (_RealLockType, _RealRLock):
        name = "Lock.acquire"
    # _thread's locks take (blocking, timeout=-1), SemLock (block, timeout=None).
    no_timeout = -1 if type(lock) in (_RealLockType, _RealRLock) else None
    blocking = kwargs.get("blocking", kwargs.get("block", args[0] if args else True))
    timeout = kwargs.get("timeout", args[1] if len(args) > 1 else no_timeout)
    if lock.acquire(False):
        return True
    if not blocking:
        return func(*args, **kwargs)  # False, or the lock's own argument error
    if gil.scheduler is not None:
        return acquire_lock(lock, True, timeout, name)
    if _thread.get_ident() == threading.main_thread().ident and (
        timeout is None or type(timeout) in (int, float)
    ):
        if no_timeout is None and timeout is not None and timeout < 0:
            timeout = 0  # SemLock: a negative timeout means do not wait
        return gil.call_released(rec, name, _main_thread_acquire, (lock.acquire, timeout))
    return gil.call_released(rec, name, func, args, kwargs)


def _simplequeue_get(gil: Any, rec: Any, func: Any, args: Any, kwargs: dict) -> Any:
    q = func.__self__
    block = kwargs.get("block", args[0] if args else True)
    timeout = kwargs.get("timeout", args[1] if len(args) > 1 else None)
    if gil.scheduler is None or not block:
        if not block:
            return func(*args, **kwargs)
        return _release_around("SimpleQueue.get")(gil, rec, func, args, kwargs)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            return q.get(False)
        except Exception as e:  # queue.Empty, or a guest world's own _queue.Empty
            if type(e).__name__ != "Empty":
                raise
            if deadline is not None and time.monotonic() >= deadline:
                raise
        gil.yield_(rec, "SimpleQueue.get")


# Native callables that block, keyed by the callable (module functions, Python
# functions) or by (type of the bound object, method name) for builtin methods.
_FUNCS: dict[Any, Handler] = {}
_METHODS: dict[tuple[type, str], Handler] = {}


def _register_tables() -> None:
    _FUNCS[time.sleep] = _sleep
    io_call = {
        input: "input",
        select.select: "select.select",
        os.read: "os.read",
        os.write: "os.write",
        os.waitpid: "os.waitpid",
        os.wait: "os.wait",
        socket.create_connection: "socket.create_connection",
        socket.getaddrinfo: "socket.getaddrinfo",
        socket.socket.accept: "socket.accept",
        subprocess.run: "subprocess.run",
        subprocess.call: "subprocess.call",
        subprocess.check_call: "subprocess.check_call",
        subprocess.check_output: "subprocess.check_output",
        subprocess.Popen.wait: "Popen.wait",
        subprocess.Popen.communicate: "Popen.communicate",
    }
    for name in ("wait", "wait3", "wait4", "waitid"):
        if hasattr(os, name):
            io_call[getattr(os, name)] = f"os.{name}"
    for fn, detail in io_call.items():
        _FUNCS[fn] = _release_around(detail)
    for cls in (socket.socket, getattr(socket, "SocketType", socket.socket)):
        for name in (
            "recv", "recv_into", "recvfrom", "recvfrom_into", "recvmsg", "send", "sendall",
            "sendto", "sendmsg", "connect", "connect_ex",
        ):  # fmt: skip
            _METHODS[(cls, name)] = _release_around(f"socket.{name}")
    # Reads may wait (a pipe, a terminal); buffered writes mostly fill a buffer, and
    # CPython's print() releases its GIL only when a buffer is written out, so of the
    # writes only the raw ones count.
    for cls in (io.TextIOWrapper, io.BufferedReader, io.BufferedRandom, io.FileIO):
        for name in ("read", "readline", "readlines", "readinto"):
            _METHODS[(cls, name)] = _release_around(f"{cls.__name__}.{name}")
    for name in ("write", "flush"):
        _METHODS[(io.FileIO, name)] = _release_around(f"FileIO.{name}")
    # A for loop over a file (pvm.vm.interpreter._ReadIterator) calls its __next__.
    for cls in (io.TextIOWrapper, io.BufferedReader, io.BufferedRandom, io.FileIO):
        _METHODS[(cls, "__next__")] = _release_around(f"{cls.__name__}.__next__")
    for name in ("poll", "epoll", "devpoll", "kqueue"):
        maker = getattr(select, name, None)
        if maker is None:
            continue
        try:
            obj = maker()
        except OSError:
            continue
        for meth in ("poll", "control"):
            if hasattr(obj, meth):
                _METHODS[(type(obj), meth)] = _release_around(f"select.{name}.{meth}")
        if hasattr(obj, "close"):
            obj.close()
    for cls in (_RealLockType, _RealRLock):
        for name in ("acquire", "acquire_lock", "__enter__"):
            _METHODS[(cls, name)] = _host_lock_acquire
    _METHODS[(queue.SimpleQueue, "get")] = _simplequeue_get
    try:
        from _multiprocessing import SemLock
    except ImportError:  # a platform without sem_open
        pass
    else:
        # multiprocessing's Lock, Semaphore, Condition, Event and Queue wait on these.
        for name in ("acquire", "__enter__"):
            _METHODS[(SemLock, name)] = _host_lock_acquire
    _register_long_calls()


def _register_long_calls() -> None:
    """Native calls that release the host's GIL for large inputs release pvm's too."""
    import hashlib
    import zlib

    for name in hashlib.algorithms_guaranteed:
        ctor = getattr(hashlib, name, None)
        if type(ctor) is _BuiltinType:
            _FUNCS[ctor] = _release_if_long(f"hashlib.{name}")
            try:
                obj = ctor()
            except (TypeError, ValueError):
                continue
            _METHODS[(type(obj), "update")] = _release_if_long(f"{type(obj).__name__}.update")
    for fn in (zlib.compress, zlib.decompress, zlib.crc32, zlib.adler32):
        _FUNCS[fn] = _release_if_long(f"zlib.{fn.__name__}")
    for obj in (zlib.compressobj(), zlib.decompressobj()):
        for meth in ("compress", "decompress"):
            if hasattr(obj, meth):
                _METHODS[(type(obj), meth)] = _release_if_long(f"zlib.{meth}")


_register_tables()


# The same tables by name, for the guest world's own copies of C modules and types:
# importing a multi-phase C module (time, select, zlib, _queue ...) makes a new module
# object, with new function objects and new heap types, which the tables above, keyed
# by the host's objects, do not know.  (module, function) and (module, type, method).
_FUNCS_BY_NAME: dict[tuple[str, str], Handler] = {}
_METHODS_BY_NAME: dict[tuple[str, str, str], Handler] = {}
_MISSING: Any = object()
_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class made at run time, not a static C type


def _index_by_name() -> None:
    for func, handler in _FUNCS.items():
        owner = getattr(func, "__self__", None)
        if type(func) is _BuiltinType and type(owner) is _ModuleType:
            _FUNCS_BY_NAME[(owner.__name__, func.__name__)] = handler
    for (cls, name), handler in _METHODS.items():
        _METHODS_BY_NAME[(cls.__module__, cls.__qualname__, name)] = handler


_index_by_name()


def lookup(func: Any) -> Handler | None:
    """Return the handler for a blocking native call, or None for any other callable."""
    t = type(func)
    if t is _BuiltinType or t is _CMethodType:
        owner = func.__self__
        if type(owner) is _ModuleType:
            # Module functions live as long as their module: each is looked up by name
            # once, and the answer (None for most) kept.
            handler = _FUNCS.get(func, _MISSING)
            if handler is _MISSING:
                handler = _FUNCS[func] = _FUNCS_BY_NAME.get((owner.__name__, func.__name__))
            return handler
        # A bound method is made at each attribute access: the answer is kept per type,
        # for static (C) types only: keeping a guest class would keep its methods'
        # module globals alive past shutdown.
        cls = type(owner)
        key = (cls, func.__name__)
        handler = _METHODS.get(key, _MISSING)
        if handler is _MISSING:
            handler = _METHODS_BY_NAME.get(
                (getattr(cls, "__module__", ""), cls.__qualname__, key[1])
            )
            if handler is not None or not cls.__flags__ & _HEAPTYPE:
                _METHODS[key] = handler
        return handler
    if t is _MethodWrapperType:  # a slot method, e.g. a file's __next__
        return _METHODS.get((type(func.__self__), func.__name__))
    if t is _MethodType:
        inner = func.__func__
        if type(inner) is _FunctionType:
            return _FUNCS.get(inner)
        return None
    if t is _FunctionType:
        return _FUNCS.get(func)
    return None


# -- threads ---------------------------------------------------------------------------

_saved: dict[tuple[Any, str], Any] = {}
_real_start = _thread.start_new_thread
_real_join = threading.Thread.join


def start_new_thread(function: Any, args: Any, kwargs: Any = None) -> int:
    """_thread.start_new_thread for a run under the GIL: the new thread joins the GIL."""
    gil = _gilmod._gil
    tstate = current()
    if tstate.depth > 0 or tstate.gil is not None:
        _gilmod.engage()  # a guest thread starts another: the GIL manages them from now on
    owner = getattr(function, "__self__", None)
    # A host Thread, or the guest's own (its threading.py runs on pvm in a guest world).
    thread = owner if hasattr(owner, "_bootstrap_inner") else None
    rec = None
    arrival = None
    if GIL_ON[0] and gil.scheduler is not None and _held_record(gil) is not None:
        # Deterministic: the new thread is numbered and queued now, at a point of the
        # virtual clock, not whenever the OS gets it to its guest code.
        with gil.mutex:
            rec = gil.new_record(thread)
            arrival = rec.arrival = _real_lock()
            arrival.acquire()
            gil.waiters.append(rec)
            if gil.recorder is not None:
                gil.emit(_gilmod.EventKind.REQUEST, rec)

    # What the thread runs travels in a box that it empties, not as C's arguments: C
    # keeps those until the thread is gone, and the last reference to a guest Thread
    # must go while the thread still holds the GIL, for freeing one runs guest code
    # (threading._dangling's WeakSet callback, in a guest world).
    box = [function, thread, tuple(args), dict(kwargs or {})]

    def bootstrap() -> None:
        ts = current()
        if rec is not None:
            ts.gil = rec
            rec.tstate = ts
        fn, started, a, k = box
        box.clear()
        _gilmod.started_as(started)
        started = None
        _sentinels.locks = []
        try:
            fn(*a, **k)
        except SystemExit:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported as _thread's thread_run does
            _report_unraisable(exc, fn)
        finally:
            fn = a = k = None
            _gilmod.started_as(None)
            _release_sentinels()
            mine = ts.gil
            if mine is not None and GIL_ON[0]:
                gil.exit_thread(mine)  # the record lets the Thread go first, under the GIL
            ts.gil = None

    ident = _real_start(bootstrap, ())
    if arrival is not None:
        arrival.acquire()  # under the GIL, with no event: the new thread needs no GIL to get there
        arrival.release()
    return ident


# The threads pvm starts keep their sentinels (below) here, in the thread's own slot.
_sentinels = _thread._local()
_real_set_sentinel = _thread._set_sentinel


def _set_sentinel() -> Any:
    """_thread._set_sentinel for a guest world: a lock released as the thread's guest life ends.

    threading.py's Thread.join and _shutdown wait for a thread on this lock, which C
    releases when the thread's state is deleted, at an OS-chosen moment after the
    thread left the GIL.  For the threads pvm starts it is a GIL-aware lock that the
    thread releases itself once its guest code is done, before it gives the GIL up for
    good (its THREAD_EXIT): so under the deterministic schedule a join returns at the
    same point of the virtual clock on every run, and under any schedule the joiner's
    wait releases pvm's GIL.
    """
    locks = getattr(_sentinels, "locks", None)
    if locks is None:
        return _real_set_sentinel()  # not started by pvm (the main thread): C releases it
    lock = GuestLock()
    locks.append(lock)
    return lock


def _release_sentinels() -> None:
    """Release the sentinels the calling thread's threading.py acquired (its end)."""
    locks = getattr(_sentinels, "locks", None)
    _sentinels.locks = None
    for lock in locks or ():
        if lock.locked():
            lock.release()


def _report_unraisable(exc: BaseException, function: Any) -> None:
    """Report an exception escaping a thread's function as _thread does."""
    args = unraisable_args(
        type(exc), exc, exc.__traceback__, "Exception ignored in thread started by", function
    )
    guest_sys = world.current().sys if world.current() is not None else sys
    try:
        guest_sys.unraisablehook(args)
    except BaseException:  # noqa: BLE001 - a failing hook must not kill the report
        sys.__unraisablehook__(args)


def join(self: threading.Thread, timeout: float | None = None) -> None:
    """threading.Thread.join for a run under the GIL."""
    gil = _gilmod._gil
    rec = _held_record(gil)
    if rec is None:
        return _real_join(self, timeout)
    if gil.scheduler is not None:
        target = gil.by_thread_id.get(id(self))
        deadline = None if timeout is None else time.monotonic() + timeout
        if target is not None and target is not rec:
            while not target.exited:
                if deadline is not None and time.monotonic() >= deadline:
                    return None
                gil.yield_(rec, "Thread.join")
            return _real_join(
                self, None if deadline is None else max(0.0, deadline - time.monotonic())
            )
    return gil.call_released(rec, "Thread.join", _real_join, (self, timeout))


join.__wrapped__ = _real_join  # type: ignore[attr-defined]


def _patch(obj: Any, name: str, value: Any) -> None:
    key = (obj, name)
    if key not in _saved:
        _saved[key] = getattr(obj, name)
    setattr(obj, name, value)


def install() -> None:
    """Make threading, _thread and queue hand guest threads GIL-aware locks and threads."""
    # A guest world's own threading.py gets them through its _thread.
    world.provide_module(
        "_thread",
        {
            "allocate_lock": GuestLock,
            "allocate": GuestLock,
            "LockType": GuestLock,
            "RLock": GuestRLock,
            "start_new_thread": start_new_thread,
            "start_new": start_new_thread,
            "_set_sentinel": _set_sentinel,
        },
    )
    _patch(threading, "Lock", Lock)
    _patch(threading, "_allocate_lock", Lock)
    _patch(threading, "RLock", _rlock)
    _patch(threading, "_start_new_thread", start_new_thread)
    _patch(_thread, "start_new_thread", start_new_thread)
    _patch(_thread, "start_new", start_new_thread)
    _patch(threading.Thread, "join", join)


def uninstall() -> None:
    """Put back what install() replaced."""
    world.provide_module("_thread", {})
    for (obj, name), value in _saved.items():
        setattr(obj, name, value)
    _saved.clear()
