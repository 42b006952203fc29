"""concurrent.futures.ProcessPoolExecutor by one start method."""

import concurrent.futures as cf
import multiprocessing as mp
import os
import sys


def square(x):
    return x * x


def fails(x):
    raise KeyError(x)


def where(_):
    code = sys._getframe().f_code  # pvm's instructions are 4 bytes, CPython 3.11's 2
    return f"ran on {len(code.co_code) // len(list(code.co_positions()))}-byte instructions"


def pid(_):
    return os.getpid()


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        print("map", list(ex.map(square, range(10))))
        print("map chunks", list(ex.map(square, range(10), chunksize=4)))
        f = ex.submit(square, 12)
        print("submit", f.result(timeout=30), f.done(), f.exception())
        g = ex.submit(fails, "k")
        print("exception", repr(g.exception(timeout=30)))
        try:
            g.result()
        except KeyError as e:
            print("result raised", repr(e))
        done = []
        h = ex.submit(square, 3)
        h.add_done_callback(lambda fut: done.append(fut.result()))
        futs = [ex.submit(square, i) for i in range(5)]
        print("as_completed", sorted(x.result() for x in cf.as_completed(futs, timeout=30)))
        d, nd = cf.wait(futs, timeout=30)
        print("wait", len(d), len(nd))
        h.result()
        print("done callback", done)
        print("where", sorted(set(ex.map(where, range(4)))))
    print("after with: shutdown")
    try:
        ex = cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx, max_tasks_per_child=1)
    except ValueError as e:
        print("max_tasks_per_child refused:", e)
        ex = cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    else:
        print("max_tasks_per_child", len(set(ex.map(pid, range(3)))))
    ex.shutdown(wait=True)
    try:
        ex.submit(square, 1)
    except RuntimeError as e:
        print("after shutdown:", e)
    print("children left:", mp.active_children())
