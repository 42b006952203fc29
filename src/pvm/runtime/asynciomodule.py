"""pvm's own ``_asyncio`` for the guest world: native Future and Task, as CPython's C accelerator.

What belongs here: what CPython's ``Modules/_asynciomodule.c`` gives asyncio (``Future``,
``Task``, the iterator ``await`` gets from a future, the running-loop functions and the
task registry), written as host code that the guest sees as native, the way
pvm.runtime.pickling stands in for ``_pickle``.  What does not: the event loop and the
rest of asyncio (the guest's own pure-Python library, run on pvm), how pvm tasks
observes tasks (pvm.observe.tasks, which hides this module to watch the pure-Python Task).

Why not the host's C ``_asyncio``: it imports the host's asyncio (its CancelledError,
its event loop policy), not the guest's.  Why not only the pure-Python classes: they are
what CPython runs without its accelerator, so a guest sees their frames (``Task.__step``,
``Future.result``) in every traceback that crosses a task, and ``_CFuture``/``_CTask``
(and CPython's tests of them) are missing.  Host frames of pvm's own files are never
shown to the guest, so a traceback through these classes reads as C's does.

Everything of the guest's that the C module imports at its start (CancelledError,
InvalidStateError, the repr helpers, the event loop policy) is looked up through the
guest world when first needed: this module is imported while the guest's asyncio is
half-loaded.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import threading
import types
import weakref
from typing import Any

from pvm.runtime import traceback as pvm_traceback
from pvm.runtime import world

_PENDING = "PENDING"
_CANCELLED = "CANCELLED"
_FINISHED = "FINISHED"


class _Guest:
    """The guest's modules and names this module uses, looked up on first use."""

    def __init__(self) -> None:
        self.ready = False

    def load(self) -> _Guest:
        """Import what C's module_init imports, through the guest world."""
        exceptions = _guest_import("asyncio.exceptions")
        self.CancelledError = exceptions.CancelledError
        self.InvalidStateError = exceptions.InvalidStateError
        self.events = _guest_import("asyncio.events")
        self.base_futures = _guest_import("asyncio.base_futures")
        self.base_tasks = _guest_import("asyncio.base_tasks")
        self.coroutines = _guest_import("asyncio.coroutines")
        self.extract_stack = _guest_import("traceback").extract_stack
        self.GeneratorType = _guest_import("types").GeneratorType
        self.ready = True
        return self


_guest = _Guest()


def _g() -> _Guest:
    return _guest if _guest.ready else _guest.load()


def _guest_import(name: str) -> Any:
    """Import a module by absolute name through the guest, as C's PyImport_ImportModule."""
    w = world.current()
    if w is None:  # not in a guest world: the host's modules are the guest's
        __import__(name)
        import sys

        return sys.modules[name]
    w.import_(name)
    return w.modules[name]


# -- the running loop ------------------------------------------------------------------
#
# C keeps the running loop in the thread state; guest threads are host threads, so a
# host thread-local does the same.  The pid check forgets a loop inherited through fork.

_running = threading.local()


def _get_running_loop() -> Any:
    """Return the running event loop or None."""
    loop, pid = getattr(_running, "loop_pid", (None, 0))
    if loop is not None and pid == os.getpid():
        return loop
    return None


def _set_running_loop(loop: Any) -> None:
    """Set the running event loop."""
    _running.loop_pid = (loop, os.getpid())


def get_running_loop() -> Any:
    """Return the running event loop.  Raise a RuntimeError if there is none."""
    loop = _get_running_loop()
    if loop is None:
        raise RuntimeError("no running event loop")
    return loop


def get_event_loop() -> Any:
    """Return an asyncio event loop: the running one, else the policy's."""
    loop = _get_running_loop()
    if loop is not None:
        return loop
    return _g().events.get_event_loop_policy().get_event_loop()


def _get_event_loop(stacklevel: int = 3) -> Any:
    """Return the running loop or the policy's (3.11's internal spelling)."""
    return get_event_loop()


# -- the task registry -----------------------------------------------------------------

_all_tasks: Any = weakref.WeakSet()
_current_tasks: dict[Any, Any] = {}


def _register_task(task: Any) -> None:
    """Register a new task in asyncio as executed by loop."""
    _all_tasks.add(task)


def _unregister_task(task: Any) -> None:
    """Unregister a task."""
    _all_tasks.discard(task)


def _enter_task(loop: Any, task: Any) -> None:
    """Make task the loop's current task."""
    current = _current_tasks.get(loop)
    if current is not None:
        raise RuntimeError(
            f"Cannot enter into task {task!r} while another task {current!r} is being executed."
        )
    _current_tasks[loop] = task


def _leave_task(loop: Any, task: Any) -> None:
    """Forget the loop's current task, which must be task."""
    current = _current_tasks.get(loop)
    if current is not task:
        raise RuntimeError(f"Leaving task {task!r} does not match the current task {current!r}.")
    del _current_tasks[loop]


# -- Future ----------------------------------------------------------------------------


class Future:
    """This class is *almost* compatible with concurrent.futures.Future."""

    # The class attributes are what a Future whose __init__ never ran reads (C's
    # zero-filled object): pending, no loop.
    _state = _PENDING
    _result: Any = None
    _exception: Any = None
    _loop: Any = None
    _source_traceback: Any = None
    _cancel_message: Any = None
    _cancelled_exc: Any = None
    _pvm_callbacks: Any = None
    _pvm_exception_tb: Any = None
    _pvm_blocking = False
    _pvm_log_tb = False

    def __init__(self, *, loop: Any = None) -> None:
        if loop is None:
            loop = get_event_loop()
        self._loop = loop
        self._state = _PENDING
        self._result = self._exception = self._pvm_exception_tb = None
        self._cancel_message = self._cancelled_exc = self._source_traceback = None
        self._pvm_callbacks = []
        self._pvm_blocking = self._pvm_log_tb = False
        if loop.get_debug():
            self._source_traceback = _g().extract_stack()

    __class_getitem__ = classmethod(types.GenericAlias)

    def __repr__(self) -> str:
        return _g().base_futures._future_repr(self)

    def _repr_info(self) -> Any:
        return _g().base_futures._future_repr_info(self)

    def __del__(self) -> None:
        if not self._pvm_log_tb:
            return
        self._pvm_log_tb = False
        context = {
            "message": f"{type(self).__name__} exception was never retrieved",
            "exception": self._exception,
            "future": self,
        }
        if self._source_traceback:
            context["source_traceback"] = self._source_traceback
        self._loop.call_exception_handler(context)

    # C's getters and setters: these two refuse deletion, _log_traceback refuses True.
    @property
    def _asyncio_future_blocking(self) -> bool:
        return self._pvm_blocking

    @_asyncio_future_blocking.setter
    def _asyncio_future_blocking(self, value: Any) -> None:
        self._ensure_alive()
        self._pvm_blocking = bool(value)

    @property
    def _log_traceback(self) -> bool:
        return self._pvm_log_tb

    @_log_traceback.setter
    def _log_traceback(self, value: Any) -> None:
        if value:
            raise ValueError("_log_traceback can only be set to False")
        self._pvm_log_tb = False

    @property
    def _callbacks(self) -> Any:
        return list(self._pvm_callbacks) if self._pvm_callbacks else None

    def _ensure_alive(self) -> None:
        if self._loop is None:
            raise RuntimeError("Future object is not initialized.")

    def get_loop(self) -> Any:
        """Return the event loop the Future is bound to."""
        self._ensure_alive()
        return self._loop

    def _make_cancelled_error(self) -> BaseException:
        """Create the CancelledError to raise if the Future is cancelled."""
        exc = self._cancelled_exc
        if exc is not None:
            self._cancelled_exc = None
            return exc
        error = _g().CancelledError
        return error() if self._cancel_message is None else error(self._cancel_message)

    def cancel(self, msg: Any = None) -> bool:
        """Cancel the future and schedule callbacks."""
        self._ensure_alive()
        self._pvm_log_tb = False
        if self._state != _PENDING:
            return False
        self._state = _CANCELLED
        self._cancel_message = msg
        self._schedule_callbacks()
        return True

    def _schedule_callbacks(self) -> None:
        callbacks = self._pvm_callbacks
        if not callbacks:
            return
        self._pvm_callbacks = []
        for callback, context in callbacks:
            self._loop.call_soon(callback, self, context=context)

    def cancelled(self) -> bool:
        """Return True if the future was cancelled."""
        return self._state == _CANCELLED

    def done(self) -> bool:
        """Return True if the future is done."""
        return self._state != _PENDING

    def result(self) -> Any:
        """Return the result this future represents."""
        if self._state == _CANCELLED:
            raise self._make_cancelled_error()
        if self._state != _FINISHED:
            if self._loop is None:
                raise _g().InvalidStateError("Future object is not initialized.")
            raise _g().InvalidStateError("Result is not ready.")
        self._pvm_log_tb = False
        exc = self._exception
        if exc is not None:
            # C hands the traceback saved by set_exception() back once: a later
            # result() raises the exception with no traceback before its own frames.
            tb, self._pvm_exception_tb = self._pvm_exception_tb, None
            pvm_traceback.set_traceback(exc, tb)
            raise exc
        return self._result

    def exception(self) -> Any:
        """Return the exception that was set on this future."""
        if self._state == _CANCELLED:
            raise self._make_cancelled_error()
        if self._state != _FINISHED:
            if self._loop is None:
                raise _g().InvalidStateError("Future object is not initialized.")
            raise _g().InvalidStateError("Exception is not set.")
        self._pvm_log_tb = False
        return self._exception

    def add_done_callback(self, fn: Any, *, context: Any = None) -> None:
        """Add a callback to be run when the future becomes done."""
        self._ensure_alive()
        if context is None:
            context = contextvars.copy_context()
        if self._state != _PENDING:
            self._loop.call_soon(fn, self, context=context)
        else:
            self._pvm_callbacks.append((fn, context))

    def remove_done_callback(self, fn: Any) -> int:
        """Remove all instances of a callback from the "call when done" list."""
        self._ensure_alive()
        callbacks = self._pvm_callbacks
        kept = [(f, ctx) for (f, ctx) in callbacks if not f == fn]
        removed = len(callbacks) - len(kept)
        if removed:
            callbacks[:] = kept
        return removed

    def set_result(self, result: Any) -> None:
        """Mark the future done and set its result."""
        self._ensure_alive()
        if self._state != _PENDING:
            raise _g().InvalidStateError("invalid state")
        self._result = result
        self._state = _FINISHED
        self._schedule_callbacks()

    def set_exception(self, exception: Any) -> None:
        """Mark the future done and set an exception."""
        self._ensure_alive()
        if self._state != _PENDING:
            raise _g().InvalidStateError("invalid state")
        if isinstance(exception, type) and issubclass(exception, BaseException):
            exception = exception()
        if not isinstance(exception, BaseException):
            raise TypeError("invalid exception object")
        if type(exception) is StopIteration:
            raise TypeError(
                "StopIteration interacts badly with generators and cannot be raised into a Future"
            )
        self._exception = exception
        self._pvm_exception_tb = pvm_traceback.guest_traceback(exception)
        self._state = _FINISHED
        self._schedule_callbacks()
        self._pvm_log_tb = True

    def __await__(self) -> FutureIter:
        self._ensure_alive()
        return FutureIter(self)

    __iter__ = __await__


class FutureIter:
    """What ``await future`` iterates: yields the future while it is pending, then its result."""

    __slots__ = ("_future",)

    def __init__(self, future: Future) -> None:
        self._future = future

    def __iter__(self) -> FutureIter:
        return self

    def __next__(self) -> Any:
        fut = self._future
        if fut is None:
            raise StopIteration
        if fut._state == _PENDING:
            if not fut._pvm_blocking:
                fut._pvm_blocking = True
                return fut
            raise RuntimeError("await wasn't used with future")
        self._future = None
        raise StopIteration(fut.result())

    def send(self, value: Any) -> Any:
        """Resume: the value sent is ignored, as C's FutureIter does."""
        return self.__next__()

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        """Raise an exception where the await is, as generator.throw()."""
        if val is None:
            val = None
        if tb is not None and not isinstance(tb, types.TracebackType):
            if type(tb).__name__ != "traceback":
                raise TypeError("throw() third argument must be a traceback")
        if isinstance(typ, type) and issubclass(typ, BaseException):
            if val is None:
                exc = typ()
            elif isinstance(val, typ):
                exc = val
            else:
                exc = typ(*val) if isinstance(val, tuple) else typ(val)
        elif isinstance(typ, BaseException):
            if val is not None:
                raise TypeError("instance exception may not have a separate value")
            exc = typ
        else:
            raise TypeError(
                "exceptions must be classes deriving BaseException or instances of such a class"
            )
        self._future = None
        if tb is not None:
            pvm_traceback.set_traceback(exc, tb)
        raise exc

    def close(self) -> None:
        """Forget the future."""
        self._future = None


FutureIter.__name__ = FutureIter.__qualname__ = "FutureIter"


# -- Task ------------------------------------------------------------------------------

_task_name_counter = itertools.count(1).__next__


class Task(Future):
    """A coroutine wrapped in a Future."""

    _coro: Any = None
    _context: Any = None
    _fut_waiter: Any = None
    _must_cancel = False
    _pvm_log_destroy = False
    _num_cancels_requested = 0
    _name: Any = None

    def __init__(
        self, coro: Any, *, loop: Any = None, name: Any = None, context: Any = None
    ) -> None:
        super().__init__(loop=loop)
        g = _g()
        if not g.coroutines.iscoroutine(coro):
            self._pvm_log_destroy = False
            raise TypeError(f"a coroutine was expected, got {coro!r}")
        self._context = contextvars.copy_context() if context is None else context
        self._fut_waiter = None
        self._must_cancel = False
        self._pvm_log_destroy = True
        self._num_cancels_requested = 0
        self._coro = coro
        if name is None:
            name = f"Task-{_task_name_counter()}"
        elif type(name) is not str:
            name = str(name)
        self._name = name
        self._loop.call_soon(TaskStepMethWrapper(self, None), context=self._context)
        _register_task(self)

    def __del__(self) -> None:
        if self._state == _PENDING and self._pvm_log_destroy and self._loop is not None:
            context = {"task": self, "message": "Task was destroyed but it is pending!"}
            if self._source_traceback:
                context["source_traceback"] = self._source_traceback
            self._loop.call_exception_handler(context)
        super().__del__()

    def __repr__(self) -> str:
        return _g().base_tasks._task_repr(self)

    @property
    def _log_destroy_pending(self) -> bool:
        return self._pvm_log_destroy

    @_log_destroy_pending.setter
    def _log_destroy_pending(self, value: Any) -> None:
        self._pvm_log_destroy = bool(value)

    def _repr_info(self) -> Any:
        return _g().base_tasks._task_repr_info(self)

    def get_coro(self) -> Any:
        """Return the coroutine the task wraps."""
        return self._coro

    def get_name(self) -> Any:
        """Return the task's name."""
        return self._name

    def set_name(self, value: Any) -> None:
        """Set the task's name."""
        self._name = value if type(value) is str else str(value)

    def set_result(self, result: Any) -> None:
        raise RuntimeError("Task does not support set_result operation")

    def set_exception(self, exception: Any) -> None:
        raise RuntimeError("Task does not support set_exception operation")

    def get_stack(self, *, limit: Any = None) -> Any:
        """Return the list of stack frames for this task's coroutine."""
        return _g().base_tasks._task_get_stack(self, limit)

    def print_stack(self, *, limit: Any = None, file: Any = None) -> Any:
        """Print the stack or traceback for this task's coroutine."""
        return _g().base_tasks._task_print_stack(self, limit, file)

    def cancel(self, msg: Any = None) -> bool:
        """Request that this task cancel itself."""
        self._pvm_log_tb = False
        if self.done():
            return False
        self._num_cancels_requested += 1
        if self._fut_waiter is not None:
            if self._fut_waiter.cancel(msg=msg):
                return True
        self._must_cancel = True
        self._cancel_message = msg
        return True

    def cancelling(self) -> int:
        """Return the count of the task's cancellation requests."""
        return self._num_cancels_requested

    def uncancel(self) -> int:
        """Decrement the task's count of cancellation requests."""
        if self._num_cancels_requested > 0:
            self._num_cancels_requested -= 1
        return self._num_cancels_requested

    def _pvm_step(self, exc: Any = None) -> None:
        """Run the coroutine to its next suspension (C's task_step)."""
        g = _g()
        if self._state != _PENDING:
            raise g.InvalidStateError(f"_step(): already done: {self!r}, {exc!r}")
        if self._must_cancel:
            if not isinstance(exc, g.CancelledError):
                exc = self._make_cancelled_error()
            self._must_cancel = False
        coro = self._coro
        self._fut_waiter = None
        loop = self._loop
        _enter_task(loop, self)
        try:
            self._pvm_step_run(g, coro, exc)
        finally:
            _leave_task(loop, self)

    def _pvm_step_run(self, g: _Guest, coro: Any, exc: Any) -> None:
        try:
            result = coro.send(None) if exc is None else coro.throw(exc)
        except StopIteration as e:
            if self._must_cancel:
                self._must_cancel = False
                Future.cancel(self, msg=self._cancel_message)
            else:
                Future.set_result(self, e.value)
            return
        except g.CancelledError as e:
            self._cancelled_exc = e
            Future.cancel(self)
            return
        except (KeyboardInterrupt, SystemExit) as e:
            Future.set_exception(self, e)
            raise
        except BaseException as e:
            Future.set_exception(self, e)
            return
        loop = self._loop
        blocking = getattr(result, "_asyncio_future_blocking", None)
        if blocking is not None:
            if _future_loop(result) is not loop:
                problem = RuntimeError(
                    f"Task {self!r} got Future {result!r} attached to a different loop"
                )
            elif blocking:
                if result is self:
                    problem = RuntimeError(f"Task cannot await on itself: {self!r}")
                else:
                    result._asyncio_future_blocking = False
                    result.add_done_callback(
                        types.MethodType(task_wakeup, self), context=self._context
                    )
                    self._fut_waiter = result
                    if self._must_cancel and result.cancel(msg=self._cancel_message):
                        self._must_cancel = False
                    return
            else:
                problem = RuntimeError(
                    f"yield was used instead of yield from in task {self!r} with {result!r}"
                )
        elif result is None:
            loop.call_soon(TaskStepMethWrapper(self, None), context=self._context)
            return
        elif type(result) is g.GeneratorType:
            problem = RuntimeError(
                f"yield was used instead of yield from for generator in task {self!r} "
                f"with {result!r}"
            )
        else:
            problem = RuntimeError(f"Task got bad yield: {result!r}")
        loop.call_soon(TaskStepMethWrapper(self, problem), context=self._context)


# The callbacks a task schedules are C's objects: its step a TaskStepMethWrapper, whose
# repr a Handle shows, its wakeup a function bound to the task, "Task.task_wakeup".


class TaskStepMethWrapper:
    """Run a task's next step (with an exception to throw in, or None)."""

    __slots__ = ("_task", "_arg")

    def __init__(self, task: Task, arg: Any) -> None:
        self._task = task
        self._arg = arg

    def __call__(self) -> None:
        self._task._pvm_step(self._arg)

    @property
    def __self__(self) -> Task:
        # The loop's slow-callback warning names the task by it (base_events._format_handle).
        return self._task


TaskStepMethWrapper.__module__ = "builtins"  # repr <TaskStepMethWrapper object at ...>


def task_wakeup(task: Task, future: Any) -> None:
    """Resume the task once the future it waits for is done."""
    try:
        future.result()
    except BaseException as exc:
        task._pvm_step(exc)
    else:
        task._pvm_step()


task_wakeup.__qualname__ = "Task.task_wakeup"


def _future_loop(fut: Any) -> Any:
    """Return the loop a future-like object is bound to, as futures._get_loop."""
    get_loop = getattr(fut, "get_loop", None)
    if get_loop is not None:
        return get_loop()
    return fut._loop


for _obj in (Future, Task, FutureIter):
    _obj.__module__ = "_asyncio"
for _f in (
    _get_running_loop,
    _set_running_loop,
    get_running_loop,
    get_event_loop,
    _get_event_loop,
    _register_task,
    _unregister_task,
    _enter_task,
    _leave_task,
):
    _f.__module__ = "_asyncio"
del _obj, _f

world.provide_fresh_module(
    "_asyncio",
    {
        "__doc__": "Accelerator module for asyncio",
        "Future": Future,
        "Task": Task,
        "get_running_loop": get_running_loop,
        "_get_running_loop": _get_running_loop,
        "_set_running_loop": _set_running_loop,
        "get_event_loop": get_event_loop,
        "_get_event_loop": _get_event_loop,
        "_register_task": _register_task,
        "_unregister_task": _unregister_task,
        "_enter_task": _enter_task,
        "_leave_task": _leave_task,
        "_all_tasks": _all_tasks,
        "_current_tasks": _current_tasks,
    },
)
