"""Two CPU-bound threads: under the GIL they take turns, so together they are no faster than one after the other.

Run it under `pvm gil` to see them alternate in the time-slot table; add --timings to
print the measured times (they vary from run to run, so they are not printed by default).
"""

import sys
import threading
import time

N = 200_000


def count(n):
    while n:
        n -= 1


def main():
    start = time.perf_counter()
    count(N)
    count(N)
    sequential = time.perf_counter() - start

    threads = [threading.Thread(target=count, args=(N,), name=f"cpu-{i}") for i in (1, 2)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threaded = time.perf_counter() - start

    print(f"one after the other: count({N:,}) twice")
    print(f"in two threads:      count({N:,}) in cpu-1 and cpu-2 at the same time")
    if "--timings" in sys.argv:
        print(
            f"sequential {sequential:.3f} s, threaded {threaded:.3f} s: "
            f"speedup {sequential / threaded:.2f}x (the GIL lets one thread run at a time)"
        )


main()
