"""A bare `counter += 1` in threads: no update is lost under the new GIL, but it races under the old one.

`counter += 1` compiles to LOAD_GLOBAL, LOAD_CONST, BINARY_OP, STORE_GLOBAL: no call and
no jump back in between. CPython 3.10+ switches threads only where it checks its eval
breaker (calls, loop back-edges), and so does pvm's new GIL, so no switch falls between
the read and the write. Python 2's GIL could switch between any two bytecodes; pvm's
`--gil legacy` models that with the store to the global as one more switch point, and
there this program loses updates. It is not safe either way: use a Lock (gil_race.py).
"""

import threading

THREADS = 4
STEPS = 20_000

counter = 0


def add():
    global counter
    for _ in range(STEPS):
        counter += 1


def main():
    threads = [threading.Thread(target=add, name=f"adder-{i + 1}") for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = THREADS * STEPS
    lost = expected - counter
    print(
        f"counter = {counter:,} (expected {expected:,}): "
        + ("no update lost" if not lost else f"{lost:,} updates lost")
    )


main()
