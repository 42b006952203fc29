"""Two CPU-bound threads, each counting down N: what `pvm gil` measures holding slices on."""

import sys
import threading


def count(n):
    while n:
        n -= 1


n = int(sys.argv[1])
threads = [threading.Thread(target=count, args=(n,), name=f"cpu-{i}") for i in (1, 2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
