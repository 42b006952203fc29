"""What cannot cross, and errors that cross, by one start method.

A lambda and a local function cannot be pickled (CPython pickles functions by
reference to their module); an exception raised in a pool worker reaches the parent
with the worker's traceback as text (RemoteTraceback), naming the program's frames.
Tracebacks go to stderr as CPython prints them.
"""

import concurrent.futures
import multiprocessing as mp
import pickle
import sys
import traceback
from multiprocessing.reduction import ForkingPickler


class WorkerError(Exception):
    """A guest exception raised in a worker."""


def make_local():
    def local_function(x):
        return x

    return local_function


def inner(x):
    if x == 2:
        raise WorkerError(f"worker failed on {x}")
    return x * 10


def outer(x):
    return inner(x) + 1


def show(label, exc):
    print(label, type(exc).__module__, type(exc).__qualname__, exc, flush=True)


def show_traceback(label):
    print(label, flush=True)
    traceback.print_exc()
    sys.stderr.flush()


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    square = lambda x: x * x  # noqa: E731
    for label, func in [("lambda", square), ("local function", make_local())]:
        for name, dumps in [("pickle", pickle.dumps), ("ForkingPickler", ForkingPickler.dumps)]:
            try:
                dumps(func)
            except Exception as e:
                show(f"{label} by {name}:", e)
        try:
            ctx.Process(target=func, args=(1,)).start()
        except Exception as e:
            # fork needs no pickling: the child inherits the function.
            show(f"{label} as a Process target:", e)
        else:
            print(f"{label} as a Process target: started")
    for p in ctx.active_children():
        p.join()
    with ctx.Pool(2) as pool:
        for label, func in [("lambda", square), ("local function", make_local())]:
            try:
                pool.map(func, [1, 2])
            except Exception:
                show_traceback(f"Pool.map of a {label}:")
        print("Pool.map", pool.map(outer, [0, 1]))
        try:
            pool.map(outer, range(4))
        except WorkerError:
            show_traceback("Pool.map of a failing function:")
        result = pool.apply_async(outer, (2,))
        try:
            result.get(timeout=60)
        except WorkerError as e:
            cause = e.__cause__
            print("apply_async cause", type(cause).__module__, type(cause).__name__)
            print(
                "cause text names outer and inner:", "in outer" in cause.tb, "in inner" in cause.tb
            )
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as executor:
        future = executor.submit(outer, 2)
        try:
            future.result(timeout=60)
        except WorkerError:
            show_traceback("ProcessPoolExecutor.submit of a failing function:")
        try:
            executor.submit(square, 3).result(timeout=60)
        except Exception:
            show_traceback("ProcessPoolExecutor.submit of a lambda:")
    print("done")
