"""multiprocessing.Pool by one start method: every way to hand it work, callbacks, errors."""

import multiprocessing as mp
import os
import sys


def square(x):
    return x * x


def add(a, b):
    return a + b


def fails(x):
    if x == 3:
        raise ValueError(f"bad {x}")
    return x


def where(_):
    code = sys._getframe().f_code  # pvm's instructions are 4 bytes, CPython 3.11's 2
    return f"ran on {len(code.co_code) // len(list(code.co_positions()))}-byte instructions"


def pid(_):
    return os.getpid()


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    with ctx.Pool(2) as pool:
        print("map", pool.map(square, range(10)))
        print("map chunks", pool.map(square, range(10), chunksize=3))
        print("imap", list(pool.imap(square, range(8))))
        print("imap_unordered", sorted(pool.imap_unordered(square, range(8), chunksize=2)))
        print("starmap", pool.starmap(add, [(1, 2), (3, 4), (5, 6)]))
        print("apply", pool.apply(add, (20, 22)))
        got = []
        r = pool.apply_async(square, (7,), callback=got.append)
        print("apply_async", r.get(timeout=30), r.ready(), r.successful())
        r.wait()
        errors = []
        r = pool.apply_async(fails, (3,), callback=got.append, error_callback=errors.append)
        try:
            r.get(timeout=30)
        except ValueError as e:
            print("apply_async raised", repr(e))
        print("callbacks", got, [repr(e) for e in errors])
        m = pool.map_async(square, range(4), callback=got.append)
        print("map_async", m.get(timeout=30), got[-1])
        try:
            pool.map(fails, range(5))
        except ValueError as e:
            print("map raised", repr(e))
        it = pool.imap(fails, range(5))
        out = []
        try:
            for v in it:
                out.append(v)
        except ValueError as e:
            print("imap raised after", out, repr(e))
        print("where", sorted(set(pool.map(where, range(4)))))
    print("after with: state", pool._state)
    pool.join()

    with ctx.Pool(2, maxtasksperchild=1) as pool:
        pids = pool.map(pid, range(6), chunksize=1)
        print("maxtasksperchild=1: distinct workers", len(set(pids)))
    pool.join()

    pool = ctx.Pool(processes=1, initializer=print, initargs=("initializer ran",))
    print("close/join", pool.map(square, [5]))
    pool.close()
    pool.join()
    print("children left:", mp.active_children())
