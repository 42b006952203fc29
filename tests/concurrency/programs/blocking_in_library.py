"""Library code that blocks inside attribute access and handlers, shared by many threads.

functools.cached_property takes a lock inside an attribute access (in 3.11), logging
handlers take theirs around emit, and queue.Queue waits on conditions: under a GIL
each of these must let the GIL go while it waits, or the program deadlocks.
"""

import functools
import io
import logging
import queue
import sys
import threading

SWITCHES = int(sys.argv[1]) if len(sys.argv) > 1 else 3


class Expensive:
    calls = 0

    @functools.cached_property
    def value(self):
        # Let the other threads run into the property's lock while this one holds it.
        for _ in range(SWITCHES):
            threading.Event().wait(0.0001)
        Expensive.calls += 1
        return 42


def cached_property_in_threads():
    item = Expensive()
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(item.value)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("cached_property", seen, Expensive.calls)


def logging_from_threads():
    stream = io.StringIO()
    log = logging.getLogger("shared")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(threadName)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    def work(k):
        for i in range(50):
            log.info("line %d", i)

    threads = [threading.Thread(target=work, args=(k,), name=f"t{k}") for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = stream.getvalue().splitlines()
    print("logging", len(lines), sorted({line.split()[0] for line in lines}) == sorted(f"t{k}" for k in range(8)))


def queue_shared_by_16_threads():
    jobs = queue.Queue(maxsize=4)  # producers block on put, consumers on get
    done = queue.Queue()

    def producer(k):
        for i in range(40):
            jobs.put((k, i))

    def consumer():
        while True:
            item = jobs.get()
            if item is None:
                break
            done.put(item)

    producers = [threading.Thread(target=producer, args=(k,)) for k in range(8)]
    consumers = [threading.Thread(target=consumer) for _ in range(8)]
    for t in producers + consumers:
        t.start()
    for t in producers:
        t.join()
    for _ in consumers:
        jobs.put(None)
    for t in consumers:
        t.join()
    items = sorted(done.get() for _ in range(done.qsize()))
    print("queue", len(items), items == sorted((k, i) for k in range(8) for i in range(40)))


cached_property_in_threads()
logging_from_threads()
queue_shared_by_16_threads()
