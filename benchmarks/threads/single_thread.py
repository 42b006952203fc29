"""Single-threaded loops and calls (no threads at all); print the elapsed time."""

import sys
import time


def add(a, b):
    return a + b


def work(n):
    total = 0
    for i in range(n):
        total = add(total, i & 7)
        j = 3
        while j:
            j -= 1
    return total


start = time.perf_counter()
work(int(sys.argv[1]))
print(f"elapsed {time.perf_counter() - start:.6f}")
