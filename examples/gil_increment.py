"""A bare `counter += 1` in threads: on CPython 3.10+ and on pvm no update is lost, yet it is not safe.

`counter += 1` compiles to LOAD_GLOBAL, LOAD_CONST, BINARY_OP, STORE_GLOBAL: no call and
no jump back in between. CPython 3.10+ switches threads only where it checks its eval
breaker (calls, loop back-edges), and so does pvm under both its policies (`--gil new`,
and `--gil legacy`, whose every-N rule counts those same check points), so no switch
falls between the read and the write. Python 2's GIL counted every bytecode and could
switch there; so can any interpreter without that guarantee. Use a Lock (gil_race.py).
"""

import sys
import threading

THREADS = 4
STEPS = 50_000

counter = 0


def add():
    global counter
    for _ in range(STEPS):
        counter += 1


def main():
    sys.setswitchinterval(1e-5)  # switch as often as possible
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
