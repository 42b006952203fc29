"""Process start-up by one start method: start and join N empty processes in turn; prints elapsed per process."""

import multiprocessing as mp
import sys
import time


def nothing():
    pass


if __name__ == "__main__":
    method, n = sys.argv[1], int(sys.argv[2])
    ctx = mp.get_context(method)
    if method == "forkserver":
        # The server itself starts once per program; time the processes it forks.
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
    started = time.perf_counter()
    for _ in range(n):
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
        assert p.exitcode == 0
    print(f"elapsed {(time.perf_counter() - started) / n:.6f}")
