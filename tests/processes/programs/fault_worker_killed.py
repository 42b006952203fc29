"""A pool worker killed by SIGKILL: Pool replaces it and the lost task times out;
ProcessPoolExecutor breaks (BrokenProcessPool) and says so to every waiter."""

import concurrent.futures as cf
import multiprocessing as mp
import os
import signal
import sys
from concurrent.futures.process import BrokenProcessPool


def square(x):
    return x * x


def die(_=None):
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    with ctx.Pool(2) as pool:
        print("before", pool.map(square, range(4)))
        r = pool.apply_async(die)
        try:
            r.get(timeout=1)
        except mp.TimeoutError:
            print("lost task: TimeoutError, ready =", r.ready())
        print("pool still works", pool.map(square, range(4)))
        # (An idle worker killed from outside may die holding the task queue's lock,
        # which hangs CPython's Pool too: not tested.)

    ex = cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx)
    print("before", list(ex.map(square, range(4))))
    f = ex.submit(die)
    try:
        f.result(timeout=60)
    except BrokenProcessPool as e:
        print("BrokenProcessPool:", e)
    try:
        ex.submit(square, 2)
    except BrokenProcessPool as e:
        print("submit after:", type(e).__name__, e)
    ex.shutdown()

    ex = cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    f = ex.submit(square, 3)
    print("outside kill: first", f.result(timeout=60))
    for p in list(ex._processes.values()):
        p.kill()
    try:
        for x in ex.map(square, range(3), timeout=60):
            print("got", x)
    except BrokenProcessPool as e:
        print("after outside kill:", type(e).__name__)
    ex.shutdown()
    print("children left:", mp.active_children())
