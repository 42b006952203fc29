"""A CPU-bound dask.bag map on N worker processes (scheduler="processes"); prints elapsed.

argv: WORKERS TOTAL [cold].  Eight partitions each count down TOTAL // 8.  By default
the pool (Dask's default start method, spawn) is started and warmed first, so the time
is the computation's; with "cold" the compute starts its own pool, as a plain
dask.compute(..., scheduler="processes") does, and the time includes the workers'
start-up (a spawned worker imports the program and Dask).
"""

import concurrent.futures
import multiprocessing
import sys
import time

import dask.bag as db

PARTITIONS = 8


def count(n):
    while n:
        n -= 1
    return 1


def ready(_):
    return 1


if __name__ == "__main__":
    workers, total = int(sys.argv[1]), int(sys.argv[2])
    cold = sys.argv[3:] == ["cold"]
    options = {"scheduler": "processes", "num_workers": workers, "chunksize": 1}
    bag = db.from_sequence([total // PARTITIONS] * PARTITIONS, npartitions=PARTITIONS)
    work = bag.map(count).sum()
    if cold:
        started = time.perf_counter()
        done = work.compute(**options)
    else:
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            # Every worker started and has run a task (unpickled Dask's task code) before timing.
            warm = db.from_sequence(range(4 * workers), npartitions=4 * workers).map(ready)
            assert warm.sum().compute(pool=pool, **options) == 4 * workers
            started = time.perf_counter()
            done = work.compute(pool=pool, **options)
    elapsed = time.perf_counter() - started
    assert done == PARTITIONS, done
    print(f"elapsed {elapsed:.6f}")
