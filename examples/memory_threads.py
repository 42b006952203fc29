"""One stack per thread, one shared heap: try `pvm memory examples/memory_threads.py --at 27`."""

import threading

ready = threading.Event()
go = threading.Event()


def worker(n):
    items = [n] * 3
    ready.set()
    go.wait()
    return items


def countdown(n):
    while n:
        yield n
        n -= 1


t = threading.Thread(target=worker, args=(7,), name="worker-1")
t.start()
ready.wait()
gen = countdown(3)
first = next(gen)
print("both threads are running; the generator is paused at its yield")
go.set()
t.join()
print(first, list(gen))
