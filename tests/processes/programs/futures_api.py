"""concurrent.futures with processes or threads: every executor API (submit, map with
chunksize, as_completed, wait's return_when, result timeouts, cancel,
shutdown(cancel_futures=True), initializer, Future states, an exception with its
traceback) and run_in_executor.  Usage: futures_api.py METHOD, a start method or
"threads" (a ThreadPoolExecutor throughout)."""

import asyncio
import concurrent.futures as cf
import multiprocessing as mp
import sys
import time
import traceback

_greeting = None


def init(greeting):
    global _greeting
    _greeting = greeting


def greet(name):
    return f"{_greeting}, {name}"


def slow(x, delay=0.4):
    time.sleep(delay)
    return x


def fail(x):
    raise KeyError(x)


def square(x):
    return x * x


def states(f):
    return f.done(), f.cancelled(), f.running()


def executor(kind, n, **kwargs):
    if kind == "threads":
        return cf.ThreadPoolExecutor(n, **kwargs)
    return cf.ProcessPoolExecutor(n, mp_context=mp.get_context(kind), **kwargs)


def pool(kind):
    with executor(kind, 1, initializer=init, initargs=("hello",)) as ex:
        print("initializer:", ex.submit(greet, "pvm").result())
        # One worker: the first job runs, one more waits in the call queue, the rest
        # stay pending in the executor, where they can still be cancelled.
        jobs = [ex.submit(slow, k) for k in range(5)]
        last = jobs[-1]
        print("cancel pending:", last.cancel(), states(last))
        try:
            jobs[0].result(timeout=0.01)
        except cf.TimeoutError:
            print("result timeout: TimeoutError")
        done, not_done = cf.wait(jobs[:-1], return_when=cf.FIRST_COMPLETED)
        print("first completed:", sorted(f.result() for f in done), len(done) + len(not_done))
        print("all:", [f.result() for f in jobs[:-1]])
        try:
            last.result()
        except cf.CancelledError:
            print("cancelled result: CancelledError")
        bad = [ex.submit(fail, "k"), ex.submit(slow, 9, 0.2)]
        done, not_done = cf.wait(bad, return_when=cf.FIRST_EXCEPTION)
        print("first exception:", [repr(f.exception()) for f in done if f.exception()])
        try:
            bad[0].result()
        except KeyError as e:
            print("".join(traceback.format_exception(e)), end="")
        print(
            "as_completed:",
            sorted(f.result() for f in cf.as_completed(ex.submit(square, k) for k in range(4))),
        )
        print("map chunksize:", list(ex.map(square, range(7), chunksize=3)))
    ex = executor(kind, 1)
    queued = [ex.submit(slow, k, 0.3) for k in range(4)]
    ex.shutdown(wait=True, cancel_futures=True)
    print("cancel_futures:", [f.cancelled() for f in queued][-1], queued[0].result())
    try:
        ex.submit(square, 2)
    except RuntimeError as e:
        print("after shutdown:", e)


async def in_executor(kind):
    loop = asyncio.get_running_loop()
    print("run_in_executor default:", await loop.run_in_executor(None, square, 5))
    with cf.ThreadPoolExecutor(2) as tex:
        print("run_in_executor threads:", await loop.run_in_executor(tex, square, 6))
    with executor(kind, 2) as pex:
        results = await asyncio.gather(*(loop.run_in_executor(pex, square, k) for k in range(3)))
        print(f"run_in_executor {kind}:", results)
        try:
            await loop.run_in_executor(pex, fail, "z")
        except KeyError as e:
            print("run_in_executor error:", repr(e))


if __name__ == "__main__":
    pool(sys.argv[1])
    asyncio.run(in_executor(sys.argv[1]))
