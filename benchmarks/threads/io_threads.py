"""I/O-bound work split over N threads: OPS blocking waits of WAIT seconds; print the elapsed time."""

import sys
import threading
import time


def wait(ops, seconds):
    for _ in range(ops):
        time.sleep(seconds)


def main(threads, ops, seconds):
    workers = [
        threading.Thread(target=wait, args=(ops // threads, seconds)) for _ in range(threads)
    ]
    start = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    print(f"elapsed {time.perf_counter() - start:.6f}")


main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
