"""A race: `counter = counter + step()` in four threads loses updates; a Lock fixes it.

The thread reads `counter`, then calls step(). A call is one of the places where the
interpreter checks whether another thread asked for the GIL (CPython 3.10+ switches
threads only at such checks: calls and loop back-edges). If it switches there, another
thread's updates are overwritten when this thread writes back its stale sum.
Add --timings to print the counts.
"""

import sys
import threading

THREADS = 4
STEPS = 20_000
ROUNDS = 20

counter = 0
lock = threading.Lock()


def step():
    return 1


def unsafe():
    global counter
    for _ in range(STEPS):
        counter = counter + step()


def safe():
    global counter
    for _ in range(STEPS):
        with lock:
            counter = counter + step()


def run(worker):
    global counter
    counter = 0
    threads = [threading.Thread(target=worker, name=f"adder-{i + 1}") for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counter


def main():
    # Switch often, so the race shows in a short run.
    sys.setswitchinterval(5e-4)
    expected = THREADS * STEPS
    for rounds in range(1, ROUNDS + 1):  # noqa: B007  (read after the loop)
        got = run(unsafe)
        if got != expected:
            break
    if got != expected:
        print(f"without a lock: updates were lost (expected {expected:,})")
    else:
        print(f"without a lock: no update lost in {ROUNDS} rounds (expected {expected:,})")
    locked = run(safe)
    print(f"with a Lock:    counter = {locked:,}, no update lost: {locked == expected}")
    if "--timings" in sys.argv:
        print(
            f"without a lock the counter was {got:,} after {rounds} round(s): "
            f"{expected - got:,} updates lost"
        )


main()
