"""asyncio under pvm against python3: pvm's native _asyncio (Future, Task) answers as CPython's C one.

Found by CPython's test_asyncio (scripts/cpython_tests.py test_asyncio); each program runs
under python3 and under pvm and must print the same, tracebacks included.
"""

from __future__ import annotations

import sys
from pathlib import Path

import helpers
import pytest
from helpers import assert_same_as_cpython

pytestmark = pytest.mark.skipif(
    not helpers.IN_GUEST_WORLD, reason="pvm's _asyncio is the guest world's"
)

# An uncaught exception in a task: C's Task and Future add no frames of their own, so
# the traceback goes from run_until_complete straight to the coroutines.
UNCAUGHT_IN_TASK = """\
import asyncio

async def boom():
    await asyncio.sleep(0)
    raise ValueError("bad")

async def main():
    t = asyncio.create_task(boom())
    await t

asyncio.run(main())
"""

# The same exception re-raised by a future's result() keeps the traceback it was set with.
RESULT_KEEPS_TRACEBACK = """\
import asyncio, traceback

async def fail():
    raise KeyError("k")

async def main():
    t = asyncio.ensure_future(fail())
    await asyncio.sleep(0)
    for _ in range(2):
        try:
            t.result()
        except KeyError as e:
            print([f.name for f in traceback.extract_tb(e.__traceback__)])
    try:
        await asyncio.gather(t, asyncio.sleep(0))
    except KeyError:
        traceback.print_exc()

asyncio.run(main())
"""

# C's result() gives back the traceback set_exception() saved only once; exception()
# leaves it alone.
RESULT_TRACEBACK_ONCE = """\
import asyncio, traceback

def names(e):
    return [f.name for f in traceback.extract_tb(e.__traceback__)]

def raiser():
    raise KeyError(1)

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    try:
        raiser()
    except KeyError as e:
        f.set_exception(e)
    print("exception()", names(f.exception()))
    for i in range(3):
        try:
            f.result()
        except KeyError as e:
            print("result", names(e))
    try:
        await f
    except KeyError as e:
        print("await", names(e))

asyncio.run(main())
"""

# What the guest sees of the classes: C's names, the FutureIter type, the callbacks a task
# schedules (a Handle's repr shows them), and the attributes C refuses to delete.
C_SHAPES = """\
import asyncio, sys

async def sleeper():
    await asyncio.sleep(0.01)

async def main():
    loop = asyncio.get_running_loop()
    print(asyncio.Task, asyncio.Future, type(iter(loop.create_future())).__name__)
    print(asyncio.tasks._CTask is asyncio.Task, asyncio.futures._CFuture is asyncio.Future)
    t = asyncio.create_task(sleeper(), name="T")
    print(repr(loop._ready[-1]).split(" object at")[0])
    await asyncio.sleep(0)
    print(repr(t))
    f = loop.create_future()
    for name in ("_asyncio_future_blocking", "_log_traceback"):
        try:
            delattr(f, name)
        except AttributeError as e:
            print(type(e).__name__, name)
    try:
        f._log_traceback = True
    except ValueError as e:
        print(e)
    await t
    try:
        del t._log_destroy_pending
    except AttributeError:
        print("AttributeError _log_destroy_pending")
    f.set_result(1)
    try:
        f.set_result(2)
    except asyncio.InvalidStateError as e:
        print(repr(e))
    g = loop.create_future()
    try:
        g.set_exception(StopIteration)
    except TypeError as e:
        print(e)
    print(asyncio.current_task().get_name(), len(asyncio.all_tasks()))

asyncio.run(main())
"""

# A Future made with __new__ alone (C's zero-filled object) is pending and refuses use.
UNINITIALIZED = """\
import asyncio

loop = asyncio.new_event_loop()
fut = asyncio.Future.__new__(asyncio.Future, loop=loop)
print(fut.done(), fut.cancelled())
for call in (fut.result, fut.exception):
    try:
        call()
    except asyncio.InvalidStateError as e:
        print("InvalidStateError", e)
for call in (lambda: fut.set_result(1), fut.cancel, fut.get_loop):
    try:
        call()
    except RuntimeError as e:
        print("RuntimeError", e)
loop.close()
"""

# Cancellation through a task, its message, and a task that awaits another's cancellation.
CANCELLATION = """\
import asyncio

async def forever():
    await asyncio.sleep(3600)

async def main():
    t = asyncio.create_task(forever())
    await asyncio.sleep(0)
    print(t.cancel("stop"), t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancelled", e.args, t.cancelled())
    u = asyncio.create_task(forever())
    await asyncio.sleep(0)
    u.cancel()
    print(u.uncancel(), u.cancelling())
    u.cancel()
    res = await asyncio.gather(u, return_exceptions=True)
    print([type(r).__name__ for r in res])

asyncio.run(main())
"""


@pytest.mark.parametrize(
    "source",
    [
        UNCAUGHT_IN_TASK,
        RESULT_KEEPS_TRACEBACK,
        RESULT_TRACEBACK_ONCE,
        C_SHAPES,
        UNINITIALIZED,
        CANCELLATION,
    ],
    ids=[
        "uncaught_in_task",
        "result_keeps_traceback",
        "result_traceback_once",
        "c_shapes",
        "uninitialized",
        "cancel",
    ],
)
def test_same_as_python3(source: str, tmp_path: Path) -> None:
    assert_same_as_cpython(source, tmp_path)


def test_pvm_tasks_withdraws_the_native_task(tmp_path: Path) -> None:
    """pvm tasks observes the pure-Python Task: there asyncio.Task is asyncio.tasks._PyTask."""
    prog = tmp_path / "which.py"
    prog.write_text("import asyncio.tasks as t\nprint(t.Task is t._PyTask)\n")
    plain = helpers.run([*helpers.PVM, str(prog)], tmp_path)
    observed = helpers.run([sys.executable, "-m", "pvm", "tasks", str(prog)], tmp_path)
    assert plain.stdout == "False\n", plain
    assert observed.stdout == "True\n", observed


# frame.clear() drops the locals (it did nothing): unittest's assertRaises clears the
# traceback's frames, so test_events' test_run_until_complete_nesting expects the
# unawaited coroutine an argument held to warn at once.
FRAME_CLEAR = """\
import sys, traceback, warnings

try:
    sys._getframe().clear()
except RuntimeError as e:
    print("RuntimeError", e)

def gen():
    try:
        yield 1
    finally:
        print("closed")

g = gen()
next(g)
g.gi_frame.clear()
print(g.gi_frame)

async def c():
    pass

def f(a):
    b = a
    raise ValueError(b)

with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    try:
        f(c())
    except ValueError as e:
        tb = e.__traceback__
        traceback.clear_frames(tb)
        print(tb.tb_next.tb_frame.f_locals)
    print([str(i.message) for i in w])
"""


def test_frame_clear_drops_locals(tmp_path: Path) -> None:
    assert_same_as_cpython(FRAME_CLEAR, tmp_path)


# A task's step callback knows its task (C's TaskStepMethWrapper.__self__): the loop's
# slow-callback warning in debug mode names the task through it, not the wrapper.
STEP_CALLBACK_SELF = """\
import asyncio
from asyncio import base_events

async def work():
    pass

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(work(), name="slow")
    handle = loop._ready[-1]
    await t
    print(handle._callback.__self__ is t)
    print(base_events._format_handle(handle))

asyncio.run(main())
"""


def test_step_callback_names_its_task(tmp_path: Path) -> None:
    assert_same_as_cpython(STEP_CALLBACK_SELF, tmp_path)


# bytes pickle at protocols 0-2 through _codecs.encode (test_streams'
# IncompleteReadError pickling): the guest's _codecs is the host's module, whose
# encode bytes.__reduce_ex__ names.
PICKLE_BYTES = """\
import asyncio, pickle

for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    print(proto, pickle.loads(pickle.dumps(b"ab\\\\xff", protocol=proto)))
e = pickle.loads(pickle.dumps(asyncio.IncompleteReadError(b"abc", 10), protocol=2))
print(str(e), e.partial, e.expected)
"""


def test_bytes_pickle_through_codecs_encode(tmp_path: Path) -> None:
    assert_same_as_cpython(PICKLE_BYTES, tmp_path)


# unittest.mock's AsyncMock specs a code object by dir(types.CodeType), which must name
# every co_ attribute (test_asyncio's test_iscoroutinefunction cases made AsyncMocks).
ASYNC_MOCK = """\
import asyncio, inspect, types
from unittest.mock import AsyncMock

m = AsyncMock(return_value=3)
print(asyncio.run(m()), inspect.iscoroutinefunction(m), asyncio.iscoroutinefunction(m))
print([n for n in dir(types.CodeType) if n.startswith("co_") and n != "co_lnotab"])
"""


def test_async_mock_and_code_type_dir(tmp_path: Path) -> None:
    assert_same_as_cpython(ASYNC_MOCK, tmp_path)
