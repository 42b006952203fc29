"""The convoy effect: a CPU-bound thread slows an I/O-bound thread's every operation.

The I/O thread makes short blocking calls. Each time one returns, the thread needs the
GIL back, but the CPU-bound thread holds it: under the new GIL (CPython 3.2+, pvm's
default) it waits up to one switch interval (5 ms), asks for a drop and only then runs,
so each operation takes about a switch interval longer than alone. Under pvm's
`--gil legacy` the CPU thread lets go every 100 instructions instead. Add --timings to
print the response times.
"""

import sys
import threading
import time

OPS = 40
WAIT = 0.0005  # each blocking call: half a millisecond

done = False


def io_worker(times):
    for _ in range(OPS):
        start = time.perf_counter()
        time.sleep(WAIT)  # releases the GIL; getting it back is the problem
        times.append(time.perf_counter() - start)


def spin():
    n = 0
    while not done:
        n += 1


def main():
    global done
    alone = []
    io_worker(alone)

    busy = []
    cpu = threading.Thread(target=spin, name="cpu")
    io = threading.Thread(target=io_worker, args=(busy,), name="io")
    cpu.start()
    io.start()
    io.join()
    done = True
    cpu.join()

    print(f"I/O thread: {OPS} blocking calls alone, then {len(busy)} beside a CPU-bound thread")
    if "--timings" in sys.argv:
        mean_alone = sum(alone) / len(alone) * 1000
        mean_busy = sum(busy) / len(busy) * 1000
        interval = sys.getswitchinterval() * 1000
        print(
            f"mean response: alone {mean_alone:.2f} ms, beside the CPU thread "
            f"{mean_busy:.2f} ms (+{mean_busy - mean_alone:.2f} ms; switch interval "
            f"{interval:g} ms)"
        )


main()
