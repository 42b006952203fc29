"""Native code that releases the GIL runs in parallel: hashlib.sha256 over big buffers in two threads.

hashlib releases the GIL while it hashes more than a couple of kilobytes, so two threads
hashing at once use two cores. pvm releases its own GIL around such native calls too.
Add --timings to print the speedup (at most about the number of free cores).
"""

import hashlib
import sys
import threading
import time

BUFFERS = 4
SIZE = 16 * 1024 * 1024  # 16 MB each

data = [bytes([i]) * SIZE for i in range(BUFFERS)]


def digest_all(items, out):
    for i in items:
        out[i] = hashlib.sha256(data[i]).hexdigest()


def main():
    sequential_out = {}
    start = time.perf_counter()
    digest_all(range(BUFFERS), sequential_out)
    sequential = time.perf_counter() - start

    threaded_out = {}
    halves = [range(0, BUFFERS, 2), range(1, BUFFERS, 2)]
    threads = [
        threading.Thread(target=digest_all, args=(h, threaded_out), name=f"hasher-{n + 1}")
        for n, h in enumerate(halves)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threaded = time.perf_counter() - start

    print(f"sha256 of {BUFFERS} buffers of {SIZE // 2**20} MB, in one thread and in two")
    for i in range(BUFFERS):
        print(f"  buffer {i}: {sequential_out[i][:16]}...")
    print(f"the two runs agree: {sequential_out == threaded_out}")
    if "--timings" in sys.argv:
        print(
            f"one thread {sequential:.3f} s, two threads {threaded:.3f} s: "
            f"speedup {sequential / threaded:.2f}x"
        )


main()
