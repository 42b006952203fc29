"""I/O-bound threads: each releases the GIL while it waits, so their waits overlap.

Four threads each make five blocking calls of 50 ms (time.sleep stands in for a network
or disk wait). One after the other that is 1 s; in threads about 0.25 s. Add --timings
to print the measured times.
"""

import sys
import threading
import time

CALLS = 5
WAIT = 0.05
THREADS = 4


def fetch(results, index):
    for _ in range(CALLS):
        time.sleep(WAIT)  # the GIL is released for the whole wait
    results[index] = CALLS


def main():
    results = [0] * THREADS
    start = time.perf_counter()
    for i in range(THREADS):
        fetch(results, i)
    sequential = time.perf_counter() - start

    results = [0] * THREADS
    threads = [
        threading.Thread(target=fetch, args=(results, i), name=f"io-{i + 1}")
        for i in range(THREADS)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threaded = time.perf_counter() - start

    print(f"{THREADS} threads x {CALLS} waits of {WAIT * 1000:.0f} ms: {sum(results)} calls done")
    if "--timings" in sys.argv:
        print(
            f"sequential {sequential:.3f} s, threaded {threaded:.3f} s: "
            f"speedup {sequential / threaded:.1f}x (the waits overlap)"
        )


main()
