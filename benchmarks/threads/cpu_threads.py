"""CPU-bound work split over N threads: count down TOTAL in N equal parts; print the elapsed time."""

import sys
import threading
import time


def count(n):
    while n:
        n -= 1


def main(threads, total):
    part = total // threads
    workers = [threading.Thread(target=count, args=(part,)) for _ in range(threads)]
    start = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    print(f"elapsed {time.perf_counter() - start:.6f}")


main(int(sys.argv[1]), int(sys.argv[2]))
