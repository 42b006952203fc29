"""Library locks under pvm's GIL, pickling guest objects, executors left open."""

import functools
import pickle
import queue
import threading
from concurrent.futures import ThreadPoolExecutor


class Lazy:
    def __init__(self):
        self.calls = 0

    @functools.cached_property
    def value(self):
        self.calls += 1
        return sum(range(10000))


lazy = Lazy()
threads = [threading.Thread(target=lambda: lazy.value) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(lazy.value, lazy.calls)

q = queue.Queue()


def worker(k):
    for i in range(50):
        q.put((k, i))


ts = [threading.Thread(target=worker, args=(k,)) for k in range(16)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(q.qsize())


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)


p = pickle.loads(pickle.dumps(Point(1, 2)))
print(type(p).__name__, p == Point(1, 2))
try:
    pickle.dumps(lambda: 0)
except pickle.PicklingError as e:
    # (the message is the pure-Python pickler's: docs/guest-world.md)
    print(type(e).__name__, "<lambda>" in str(e))

ex = ThreadPoolExecutor(2)
print(ex.submit(pow, 2, 10).result())
