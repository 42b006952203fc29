"""CPU-bound work split among N processes (fork): each counts down TOTAL // N; prints elapsed."""

import multiprocessing as mp
import sys
import time


def count(n):
    while n:
        n -= 1


if __name__ == "__main__":
    procs, total = int(sys.argv[1]), int(sys.argv[2])
    ctx = mp.get_context("fork")  # start-up is measured apart (startup.py)
    workers = [ctx.Process(target=count, args=(total // procs,)) for _ in range(procs)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    assert all(w.exitcode == 0 for w in workers)
    print(f"elapsed {elapsed:.6f}")
