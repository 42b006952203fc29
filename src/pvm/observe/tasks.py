"""asyncio task switches as events: the guest world's event loop, instrumented while someone listens.

What belongs here: the task event record, the instrumentation that `pvm tasks` installs in
the guest world's asyncio (which runs on pvm: its pure-Python Task and Future, since
install() withdraws pvm's own _asyncio, pvm.runtime.asynciomodule), the virtual clock of
the loop under the deterministic schedule, and the analysis that turns events into slices, states and statistics.  What
does not: drawing the tables and the Chrome trace (pvm.observe.render.tasktables and
taskchrome) or the command line (pvm.cli_tasks).

What is wrapped, and what each wrapper publishes on ``pvm.vm.events.Topic.TASK``:

    Task.__init__                 NEW: a task exists (Ready: its first step is scheduled)
    Task.__step                   RESUME before, SUSPEND after: one slice of the task, and
                                  how it ended (awaits what / yields / returns / raises)
    Future.__schedule_callbacks   READY: a future is done and a task waiting on it will be
                                  resumed (the source of an await's flow arrow)
    the loop's selector.select    IDLE: the loop had nothing to run and waited (and what
                                  woke it: a timer, a file descriptor, another thread)
    loop.call_later, _add_reader, _add_writer, run_in_executor
                                  nothing: they name the futures they are given, so that
                                  a task awaiting one is `Waiting: sleep(1.0)`, `Waiting:
                                  read on socket`, ...

A task's slice runs from a resumption (``__step``) to its next suspension: a task runs
only inside ``__step``, so the slices of one loop never overlap.

Clocks: under the os schedule events carry perf_counter_ns().  Under the deterministic
schedule the loop's own clock (``loop.time()``) becomes virtual: it advances by one
microsecond per check point of pvm's deterministic GIL (guest progress: calls and loop
back-edges) and, when the loop would sleep for a timer with nothing else that could wake
it (no file descriptor but its own wake-up pipe, no other thread), it jumps to the timer
at once instead of sleeping.  Events carry that clock, so a run gives the same events
each time.  A wait that something real could end (a socket, another thread) is waited
for in real time and its real length is added to the clock; the report says so.

Nothing is installed unless `pvm tasks` asks (install()), so `pvm run` pays nothing.
"""

from __future__ import annotations

import _thread
import math
import os
import time
import weakref
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple

from pvm.runtime import world
from pvm.vm import events

_perf_ns = time.perf_counter_ns

# One check point of the deterministic GIL, on the loop's virtual clock (ns).
TICK_NS = 1000


class TaskKind(Enum):
    """What a task event records."""

    NEW = "new"  # a task was created (it is Ready)
    RESUME = "resume"  # the loop resumed a task: its slice begins
    SUSPEND = "suspend"  # the task gave control back: its slice ends
    READY = "ready"  # what a waiting task awaited is done: it will be resumed
    IDLE = "idle"  # the loop waited in its selector with nothing to run


class TaskEvent(NamedTuple):
    """One event of an event loop.

    ``text`` and ``detail`` depend on the kind:

        NEW      text: the task's name       detail: the coroutine   other: creator task
                 library: the coroutine is asyncio's own code
        RESUME   text: the task's name       detail: ""              other: 0
        SUSPEND  text: a TaskState value     detail: what it awaits (Waiting) or how it
                                                     ended (Done): "returns", "raises E"
        READY    text: ""                    detail: what was done   other: the task that
                                                     completed it, 0 for the loop itself
        IDLE     text: ""                    detail: what ended the wait; t..end the wait
    """

    kind: TaskKind
    task: int  # pvm's number of the task (1, 2, ... in order of creation); 0 for IDLE
    t: int  # ns on the run's clock (see the module docstring)
    end: int  # IDLE: when the wait ended; else t
    loop: int  # pvm's number of the event loop (1, 2, ...)
    text: str
    detail: str
    other: int
    library: bool = False  # NEW: the coroutine is asyncio's own (asyncio.run's shutdown)


class TaskState(Enum):
    """What a task is doing, as a cell of the time-slot table says."""

    RUNNING = "Running"
    READY = "Ready"  # scheduled: the loop will resume it when its turn comes
    WAITING = "Waiting"  # suspended until what it awaits is done
    DONE = "Done"


# -- the clock ------------------------------------------------------------------------


class Clock:
    """The run's clock for task events: real nanoseconds, or the loop's virtual clock."""

    def __init__(self, virtual: bool) -> None:
        self.virtual = virtual
        self.jumped = 0  # ns the virtual clock jumped over timers (and real waits)
        self.real_waits = 0  # waits whose real length went into the virtual clock
        self._gil: Any = None
        if virtual:
            from pvm.concurrency import gil

            self._gil = gil.get_gil()

    def now(self) -> int:
        """Return the time now, in ns."""
        if self._gil is None:
            return _perf_ns()
        return self.jumped + self._gil.vclock * TICK_NS

    def loop_time(self) -> float:
        """Return the virtual loop.time(), in seconds."""
        return self.now() / 1e9


# -- naming what a task waits for -----------------------------------------------------

# The loop callback a selector registration runs -> what the task awaiting its future
# waits for (selector_events.py: sock_recv registers _sock_recv with the future, ...).
_IO_CALLBACKS = {
    "_sock_recv": "read on socket",
    "_sock_recv_into": "read on socket",
    "_sock_recvfrom": "read on socket",
    "_sock_recvfrom_into": "read on socket",
    "_sock_accept": "accept on socket",
    "_sock_sendall": "write on socket",
    "_sock_sendto": "write on socket",
    "_sock_connect_cb": "connect on socket",
    "_sock_write_done": "write on socket",
}

# The innermost library coroutine a task is suspended in -> what it waits for, when the
# future it awaits was not named where it was made.
_WAITS_IN = {
    "StreamReader._wait_for_data": "read on {transport}",
    "FlowControlMixin._drain_helper": "drain (write on {transport})",
    "Queue.get": "Queue.get()",
    "Queue.put": "Queue.put()",
    "Queue.join": "Queue.join()",
    "Event.wait": "Event.wait()",
    "Lock.acquire": "Lock.acquire()",
    "Condition.wait": "Condition.wait()",
    "Semaphore.acquire": "Semaphore.acquire()",
    "Barrier.wait": "Barrier.wait()",
    "_wait": "asyncio.wait()",
    "Process.wait": "subprocess wait()",
}

_MAX_NAMED = 3  # a gather names at most this many of its children


class Instrument:
    """The state of the instrumentation in this process: numbers, names, the clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.numbers: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        self.loops: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        self.labels: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self.next_task = 1
        self.next_loop = 1
        self.running: dict[int, int] = {}  # host thread id -> the task running its step
        self.task_class: Any = None
        self.gathering_class: Any = None
        self.wakeup: Any = None  # Task.__wakeup (the guest function)
        self.problems: list[str] = []

    def number(self, task: Any) -> int:
        """Return the task's number, giving it the next one if it has none."""
        n = self.numbers.get(task)
        if n is None:
            n = self.numbers[task] = self.next_task
            self.next_task += 1
        return n

    def loop_number(self, loop: Any) -> int:
        """Return the event loop's number (0 for none)."""
        if loop is None:
            return 0
        n = self.loops.get(loop)
        if n is None:
            n = self.loops[loop] = self.next_loop
            self.next_loop += 1
        return n

    def describe(self, fut: Any, task: Any = None) -> str:
        """Return what a task awaiting fut waits for, in the table's words."""
        try:
            label = self.labels.get(fut)
        except TypeError:
            label = None
        if label:
            return label
        if self.task_class is not None and isinstance(fut, self.task_class):
            return f"task {getattr(fut, '_name', '?')}"
        if self.gathering_class is not None and isinstance(fut, self.gathering_class):
            children = list(getattr(fut, "_children", ()) or ())
            names = [self._child_name(c) for c in children[:_MAX_NAMED]]
            more = ", ..." if len(children) > _MAX_NAMED else ""
            return f"gather({', '.join(names)}{more})"
        if task is not None:
            inner = _innermost(getattr(task, "_coro", None))
            if inner is not None:
                template = _WAITS_IN.get(getattr(inner, "__qualname__", ""))
                if template is not None:
                    return template.format(transport=_transport_kind(inner))
        return "Future"

    def _child_name(self, child: Any) -> str:
        if self.task_class is not None and isinstance(child, self.task_class):
            return str(getattr(child, "_name", "?"))
        return self.describe(child)


def _innermost(coro: Any) -> Any:
    """Return the innermost coroutine of a chain of awaits (cr_await), or None."""
    last = None
    for _ in range(200):  # a chain is as deep as the awaits; never loop forever
        if coro is None:
            break
        if hasattr(coro, "cr_await"):
            last = coro
            coro = coro.cr_await
        else:
            coro = getattr(coro, "gi_yieldfrom", None)
    return last


def _transport_kind(coro: Any) -> str:
    """Return 'socket' or 'pipe' for a stream coroutine suspended in its reader or writer."""
    frame = getattr(coro, "cr_frame", None)
    try:
        owner = frame.locals_dict().get("self") if frame is not None else None
        transport = getattr(owner, "_transport", None)
        if transport is not None and transport.get_extra_info("socket") is None:
            return "pipe"
    except Exception:  # noqa: BLE001 - a name is all this is for; never break the program
        pass
    return "socket"


def _outcome(task: Any) -> tuple[TaskState, str]:
    """Return how a task stands after a step: its state and its wait or its end."""
    state = getattr(task, "_state", "PENDING")
    # The attributes, not .exception(): that would mark the exception retrieved and
    # silence asyncio's "Task exception was never retrieved".
    if state == "CANCELLED":
        return TaskState.DONE, "cancelled"
    if state == "FINISHED":
        exc = getattr(task, "_exception", None)
        if exc is not None:
            return TaskState.DONE, f"raises {type(exc).__name__}"
        return TaskState.DONE, "returns"
    if getattr(task, "_fut_waiter", None) is not None:
        return TaskState.WAITING, ""
    return TaskState.READY, "yields to the loop"


# -- the instrumentation ---------------------------------------------------------------

_instrument: list[Instrument | None] = [None]


def _publish(kind: TaskKind, task: int, t: int, loop: int, text: str = "", detail: str = "",
             other: int = 0, end: int | None = None, library: bool = False) -> None:  # fmt: skip
    events.publish(
        events.Topic.TASK,
        TaskEvent(kind, task, t, t if end is None else end, loop, text, detail, other, library),
    )


def _instrument_futures(module: Any) -> None:
    """Wrap Future.__schedule_callbacks (an after_load fix of asyncio.futures)."""
    inst = _instrument[0]
    cls = getattr(module, "Future", None)
    if inst is None or cls is None or cls.__dict__.get("_pvm_tasks_observed", False):
        return
    if getattr(module, "_PyFuture", None) is not cls:
        inst.problems.append("asyncio.Future is the C accelerator's (_asyncio)")
        return
    schedule = cls._Future__schedule_callbacks

    def _Future__schedule_callbacks(self: Any) -> None:  # noqa: N802 - the mangled name
        wakeup = inst.wakeup
        if wakeup is not None:
            label = ""
            for callback, _context in list(getattr(self, "_callbacks", ()) or ()):
                if getattr(callback, "__func__", None) is wakeup:
                    task = callback.__self__
                    if not label:
                        label = inst.describe(self)
                    _publish(
                        TaskKind.READY, inst.number(task), inst.clock.now(),
                        inst.loop_number(getattr(task, "_loop", None)), "", label,
                        inst.running.get(_thread.get_ident(), 0),
                    )  # fmt: skip
        schedule(self)

    _Future__schedule_callbacks.__qualname__ = "Future.__schedule_callbacks"
    cls._Future__schedule_callbacks = _Future__schedule_callbacks
    cls._pvm_tasks_observed = True


def _instrument_tasks(module: Any) -> None:
    """Wrap Task.__init__ and Task.__step (an after_load fix of asyncio.tasks)."""
    inst = _instrument[0]
    cls = getattr(module, "Task", None)
    if inst is None or cls is None or cls.__dict__.get("_pvm_tasks_observed", False):
        return
    if getattr(module, "_PyTask", None) is not cls:
        inst.problems.append("asyncio.Task is the C accelerator's (_asyncio)")
        return
    inst.task_class = cls
    inst.gathering_class = getattr(module, "_GatheringFuture", None)
    inst.wakeup = cls.__dict__.get("_Task__wakeup")
    init = cls.__init__
    step = cls._Task__step
    running = inst.running
    clock = inst.clock
    library = os.path.dirname(getattr(module, "__file__", "") or "") + os.sep

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        init(self, *args, **kwargs)
        coro = getattr(self, "_coro", None)
        code = getattr(coro, "cr_code", None)
        own = library != os.sep and getattr(code, "co_filename", "").startswith(library)
        _publish(
            TaskKind.NEW, inst.number(self), clock.now(),
            inst.loop_number(getattr(self, "_loop", None)), str(getattr(self, "_name", "")),
            str(getattr(coro, "__qualname__", type(coro).__name__)),
            running.get(_thread.get_ident(), 0), library=own,
        )  # fmt: skip

    def _Task__step(self: Any, exc: Any = None) -> None:  # noqa: N802 - the mangled name
        n = inst.number(self)
        loop = inst.loop_number(getattr(self, "_loop", None))
        ident = _thread.get_ident()
        outer = running.get(ident)
        running[ident] = n
        _publish(TaskKind.RESUME, n, clock.now(), loop, str(getattr(self, "_name", "")))
        try:
            step(self, exc)
        finally:
            if outer is None:
                running.pop(ident, None)
            else:
                running[ident] = outer
            state, detail = _outcome(self)
            if state is TaskState.WAITING:
                detail = inst.describe(self._fut_waiter, self)
            _publish(TaskKind.SUSPEND, n, clock.now(), loop, state.value, detail)

    __init__.__qualname__ = "Task.__init__"
    __init__.__doc__ = init.__doc__
    _Task__step.__qualname__ = "Task.__step"
    cls.__init__ = __init__
    cls._Task__step = _Task__step
    cls._pvm_tasks_observed = True


def _instrument_base_events(module: Any) -> None:
    """Name sleep's and run_in_executor's futures; the virtual loop.time() (asyncio.base_events)."""
    inst = _instrument[0]
    cls = getattr(module, "BaseEventLoop", None)
    if inst is None or cls is None or cls.__dict__.get("_pvm_tasks_observed", False):
        return
    call_later = cls.call_later
    run_in_executor = cls.run_in_executor
    labels = inst.labels

    def call_later_(self: Any, delay: Any, callback: Any, *args: Any, context: Any = None) -> Any:
        # asyncio.sleep: call_later(delay, futures._set_result_unless_cancelled, future, result)
        if args and getattr(callback, "__name__", "") == "_set_result_unless_cancelled":
            try:
                labels[args[0]] = f"sleep({float(delay)!r})"
            except (TypeError, ValueError):
                pass
        return call_later(self, delay, callback, *args, context=context)

    def run_in_executor_(self: Any, executor: Any, func: Any, *args: Any) -> Any:
        fut = run_in_executor(self, executor, func, *args)
        name = getattr(func, "__qualname__", None) or type(func).__name__
        try:
            labels[fut] = f"run_in_executor({name})"
        except TypeError:
            pass
        return fut

    call_later_.__qualname__ = call_later_.__name__ = "BaseEventLoop.call_later"
    call_later_.__doc__ = call_later.__doc__
    run_in_executor_.__qualname__ = run_in_executor_.__name__ = "BaseEventLoop.run_in_executor"
    cls.call_later = call_later_
    cls.run_in_executor = run_in_executor_
    if inst.clock.virtual:
        clock = inst.clock

        def time_(self: Any) -> float:
            """Return the time according to the event loop's (virtual) clock."""
            return clock.loop_time()

        time_.__qualname__ = "BaseEventLoop.time"
        cls.time = time_
    cls._pvm_tasks_observed = True


def _instrument_selector_events(module: Any) -> None:
    """Name sockets' futures and watch the selector's waits (asyncio.selector_events)."""
    inst = _instrument[0]
    cls = getattr(module, "BaseSelectorEventLoop", None)
    if inst is None or cls is None or cls.__dict__.get("_pvm_tasks_observed", False):
        return
    init = cls.__init__
    labels = inst.labels

    def naming(original: Any, what: str) -> Any:
        def add(self: Any, fd: Any, callback: Any, *args: Any) -> Any:
            if args:
                label = _IO_CALLBACKS.get(getattr(callback, "__name__", ""))
                if label is not None:
                    try:
                        labels[args[0]] = label
                    except TypeError:
                        pass
            return original(self, fd, callback, *args)

        add.__qualname__ = f"BaseSelectorEventLoop.{what}"
        add.__name__ = what
        return add

    def __init__(self: Any, selector: Any = None) -> None:  # noqa: N807
        init(self, selector)
        _watch_selector(inst, self)

    __init__.__qualname__ = "BaseSelectorEventLoop.__init__"
    cls.__init__ = __init__
    cls._add_reader = naming(cls._add_reader, "_add_reader")
    cls._add_writer = naming(cls._add_writer, "_add_writer")
    cls._pvm_tasks_observed = True


def _watch_selector(inst: Instrument, loop: Any) -> None:
    """Give the loop's selector a select() that publishes the loop's idle waits."""
    selector = getattr(loop, "_selector", None)
    if selector is None:
        return
    real_select = selector.select
    clock = inst.clock
    number = inst.loop_number(loop)

    def select(timeout: Any = None) -> Any:
        # The loop passes 0 while callbacks are ready: only a non-zero timeout is a wait.
        if timeout is not None and timeout <= 0:
            return real_select(timeout)
        t0 = clock.now()
        if not clock.virtual:
            ready = real_select(timeout)
        else:
            ready = real_select(0)
            if not ready:
                if timeout is not None and _nothing_else_can_wake(loop):
                    clock.jumped += math.ceil(timeout * 1e9)  # straight to the timer
                else:
                    r0 = _perf_ns()
                    ready = real_select(timeout)
                    clock.jumped += _perf_ns() - r0
                    clock.real_waits += 1
        t1 = clock.now()
        _publish(TaskKind.IDLE, 0, t0, number, "", _woken_by(inst, loop, ready), 0, end=t1)
        return ready

    select.__qualname__ = f"{type(selector).__qualname__}.select"
    selector.select = select


def _nothing_else_can_wake(loop: Any) -> bool:
    """Return whether only a timer can end the loop's wait (no fd but its own, no thread)."""
    try:
        registered = len(loop._selector.get_map())
    except Exception:  # noqa: BLE001 - a closed or odd selector: wait for real
        return False
    # The loop's own wake-up pipe (_ssock) is always registered; the main thread is not
    # counted by _thread._count().
    return registered <= 1 and _thread._count() == 0


def _woken_by(inst: Instrument, loop: Any, ready: Any) -> str:
    """Return what ended a wait of the loop: a timer, file descriptors, another thread."""
    if not ready:
        scheduled = getattr(loop, "_scheduled", None) or []
        for handle in sorted(scheduled, key=lambda h: getattr(h, "_when", 0))[:1]:
            callback = getattr(handle, "_callback", None)
            args = getattr(handle, "_args", None) or ()
            if getattr(callback, "__name__", "") == "_set_result_unless_cancelled" and args:
                return f"timer: {inst.describe(args[0])}"
            name = getattr(callback, "__qualname__", None) or type(callback).__name__
            return f"timer: call_later({name})"
        return "timeout"
    words = []
    ssock = getattr(loop, "_ssock", None)
    own = ssock.fileno() if ssock is not None else -1
    for key, mask in ready:
        if key.fd == own:
            words.append("another thread (call_soon_threadsafe)")
            continue
        reader, writer = key.data if isinstance(key.data, tuple) else (None, None)
        handle = reader if mask & 1 and reader is not None else writer
        callback = getattr(handle, "_callback", None)
        args = getattr(handle, "_args", None) or ()
        label = _IO_CALLBACKS.get(getattr(callback, "__name__", ""))
        if label is None:
            label = ("read" if mask & 1 else "write") + " ready"
        words.append(f"{label} (fd {key.fd})")
    return "I/O: " + ", ".join(dict.fromkeys(words))


def install(virtual_clock: bool) -> Instrument:
    """Instrument the guest world's asyncio from its next load on; return the instrument."""
    inst = _instrument[0]
    if inst is None:
        inst = _instrument[0] = Instrument(Clock(virtual_clock))
        # The wrappers below are the pure-Python Task's and Future's: the native ones
        # that pvm gives the guest world otherwise (as CPython's C _asyncio) step
        # tasks in host code, where nothing can be wrapped.
        world.withdraw_module("_asyncio")
        world.after_load("asyncio.futures", _instrument_futures)
        world.after_load("asyncio.tasks", _instrument_tasks)
        world.after_load("asyncio.base_events", _instrument_base_events)
        world.after_load("asyncio.selector_events", _instrument_selector_events)
    return inst


# -- recording --------------------------------------------------------------------------


class Recorder:
    """Collects task events while subscribed (a bound list.append is its callback)."""

    def __init__(self) -> None:
        self.events: list[TaskEvent] = []
        self._sub: events.Subscription | None = None

    def start(self) -> None:
        """Subscribe to Topic.TASK."""
        if self._sub is None:
            self._sub = events.subscribe(events.Topic.TASK, self.events.append)

    def stop(self) -> None:
        """Unsubscribe."""
        if self._sub is not None:
            self._sub.close()
            self._sub = None


# -- analysis ---------------------------------------------------------------------------


@dataclass
class TaskInfo:
    """One task of the run, with its statistics."""

    number: int
    name: str
    coro: str
    created: int
    creator: int
    library: bool = False  # asyncio's own task (asyncio.run's shutdown steps)
    steps: int = 0
    running: int = 0  # ns in its slices
    ready: int = 0  # ns scheduled but not yet resumed
    waiting: int = 0  # ns suspended on something not yet done
    end: str = ""  # "returns", "raises E", "cancelled"; "" while not done

    @property
    def title(self) -> str:
        """Return the column title: the task's name and its coroutine."""
        return f"{self.name} ({self.coro})" if self.coro else self.name


@dataclass
class Row:
    """One row of the time-slot table: a task's slice, or a wait of the idle loop."""

    start: int
    end: int
    task: int  # the running task; 0 for an idle wait
    cells: dict[int, str]  # task number -> its state during the row ("" before it exists)
    ended_by: str
    loop: int = 1


@dataclass
class Flow:
    """An await resolved: from where the awaited thing was done to the resumed task."""

    source: int  # the task that completed it; 0: the loop (a timer, I/O, another thread)
    t: int  # when it was done
    target: int  # the task resumed
    resumed: int  # when it was resumed
    what: str  # what it had awaited


@dataclass
class TaskTimeline:
    """A run's task events made into rows, tasks and flows."""

    tasks: dict[int, TaskInfo]
    rows: list[Row]
    flows: list[Flow]
    start: int  # the clock at the first event
    end: int  # the clock at the last event
    virtual: bool
    loops: int
    real_waits: int = 0
    problems: list[str] = field(default_factory=list)
    hidden: int = 0  # asyncio's own tasks left out (analyse(all_tasks=False))


def cell_text(state: TaskState, label: str) -> str:
    """Return a table cell: the state, and what it waits for."""
    if state is TaskState.WAITING:
        return f"Waiting: {label}"
    return state.value


def ended_text(state: TaskState, detail: str) -> str:
    """Return what ended a slice, in words."""
    if state is TaskState.WAITING:
        return f"awaits {detail}"
    return detail


def analyse(events_: list[TaskEvent], virtual: bool, real_waits: int = 0,
            problems: list[str] | None = None, all_tasks: bool = False) -> TaskTimeline:  # fmt: skip
    """Return the rows, tasks, flows and statistics that a list of task events tells.

    Unless all_tasks, asyncio's own tasks (those asyncio.run makes to shut the loop
    down) are left out: their slices, columns and statistics; ``hidden`` counts them.
    """
    tasks: dict[int, TaskInfo] = {}
    # task -> (state, label, since); READY's wake source kept until the resume.
    state: dict[int, tuple[TaskState, str, int]] = {}
    woken: dict[int, tuple[int, int, str]] = {}
    current: dict[int, tuple[int, int, dict[int, str]]] = {}  # loop -> (task, start, cells)
    rows: list[Row] = []
    flows: list[Flow] = []
    loops: set[int] = set()

    def cells() -> dict[int, str]:
        return {n: cell_text(s, label) for n, (s, label, _t) in state.items()}

    def charge(n: int, t: int) -> None:
        s, _label, since = state[n]
        info = tasks[n]
        if s is TaskState.READY:
            info.ready += t - since
        elif s is TaskState.WAITING:
            info.waiting += t - since

    for e in events_:
        loops.add(e.loop)
        n = e.task
        if e.kind is TaskKind.NEW:
            tasks[n] = TaskInfo(n, e.text, e.detail, e.t, e.other, e.library)
            state[n] = (TaskState.READY, "", e.t)
        elif n not in tasks and e.kind is not TaskKind.IDLE:
            # A task made before the observer started: known from now on.
            tasks[n] = TaskInfo(n, e.text or f"task {n}", "", e.t, 0)
            state[n] = (TaskState.READY, "", e.t)
        if e.kind is TaskKind.RESUME:
            charge(n, e.t)
            if e.text:
                tasks[n].name = e.text
            row_cells = cells()
            row_cells[n] = TaskState.RUNNING.value
            state[n] = (TaskState.RUNNING, "", e.t)
            current[e.loop] = (n, e.t, row_cells)
            if n in woken:
                source, t, what = woken.pop(n)
                flows.append(Flow(source, t, n, e.t, what))
        elif e.kind is TaskKind.SUSPEND:
            info = tasks[n]
            s = TaskState(e.text)
            begun = current.pop(e.loop, None)
            start, row_cells = (begun[1], begun[2]) if begun and begun[0] == n else (e.t, cells())
            info.steps += 1
            info.running += e.t - start
            if s is TaskState.DONE:
                info.end = e.detail
            rows.append(Row(start, e.t, n, row_cells, ended_text(s, e.detail), e.loop))
            state[n] = (s, e.detail if s is TaskState.WAITING else "", e.t)
        elif e.kind is TaskKind.READY:
            s, _label, _since = state[n]
            if s is TaskState.WAITING:
                charge(n, e.t)
                state[n] = (TaskState.READY, "", e.t)
                woken[n] = (e.other, e.t, e.detail)
        elif e.kind is TaskKind.IDLE:
            rows.append(Row(e.t, e.end, 0, cells(), e.detail, e.loop))
    end = max((e.end for e in events_), default=0)
    start = min((e.t for e in events_), default=0)
    for n, (s, _label, _since) in state.items():
        if s is not TaskState.DONE:
            charge(n, end)
    hidden = set() if all_tasks else {n for n, info in tasks.items() if info.library}
    if hidden:
        for row in rows:
            for n in hidden:
                row.cells.pop(n, None)
        rows = [row for row in rows if row.task not in hidden]
        tasks = {n: info for n, info in tasks.items() if n not in hidden}
        flows = [f for f in flows if f.target not in hidden]
        for f in flows:
            if f.source in hidden:
                f.source = 0
        end = max((r.end for r in rows), default=start)
    return TaskTimeline(
        tasks, rows, flows, start, end, virtual, len(loops - {0}), real_waits,
        list(problems or []), len(hidden),
    )  # fmt: skip


# -- suspended tasks, for pvm memory ----------------------------------------------------


def suspended_coroutines() -> list[tuple[str, Any]]:
    """Return (label, coroutine) for each pending asyncio task whose coroutine is suspended.

    Only the event loop holds a suspended task (its ready queue, a timer, a future's
    callbacks), all library objects, so a census that starts from the program's globals
    and stacks never meets these coroutines and their frames: pvm memory can take them
    as roots with these labels ("task Task-1 (suspended)").  Sorted by label, so that a
    report does not depend on the order of asyncio's WeakSet.  Needs no instrumentation.
    """
    from pvm.vm import hooks

    modules = getattr(hooks.services, "modules", None) or {}
    mod = modules.get("asyncio.tasks")
    # The WeakSet's own set of weak references: iterating the WeakSet itself would run
    # guest code (_weakrefset.py) in the middle of a census.
    refs = getattr(getattr(mod, "_all_tasks", None), "data", None)
    if not refs:
        return []
    out = []
    for ref in list(refs):
        task = ref()
        if getattr(task, "_state", None) != "PENDING":
            continue
        coro = getattr(task, "_coro", None)
        if coro is None or getattr(coro, "cr_running", False):
            continue
        if getattr(coro, "cr_frame", None) is None:
            continue
        out.append((f"task {getattr(task, '_name', '?')} (suspended)", coro))
    out.sort(key=lambda pair: (len(pair[0]), pair[0]))
    return out
