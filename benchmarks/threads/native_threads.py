"""GIL-releasing native work split over N threads: sha256 of one MB-megabyte buffer, COUNT times."""

import hashlib
import sys
import threading
import time


def digest(buffer, times):
    for _ in range(times):
        hashlib.sha256(buffer).digest()


def main(threads, count, megabytes):
    buffer = b"\x5a" * (megabytes << 20)
    workers = [
        threading.Thread(target=digest, args=(buffer, count // threads)) for _ in range(threads)
    ]
    start = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    print(f"elapsed {time.perf_counter() - start:.6f}")


main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
