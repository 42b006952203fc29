"""iter(callable, sentinel) over a blocking C call in a thread lets the other threads run."""

import queue
import threading

q = queue.SimpleQueue()
got = []


def consume():
    for item in iter(q.get, None):  # waits in C: the GIL must be let go meanwhile
        got.append(item)


t = threading.Thread(target=consume)
t.start()
for i in range(5):
    q.put(i)
q.put(None)
t.join()
print("consumed", got)

it = iter([3, 2, 1, 0, 5].pop, 1)
print(type(it).__name__, list(it), list(it))
it = iter({}.popitem, None)
try:
    next(it)
except KeyError as e:
    print("KeyError passes through", repr(e))


class Stopper:
    n = 0

    def __call__(self):
        self.n += 1
        if self.n == 3:
            raise StopIteration
        return self.n


it = iter(Stopper(), "never")
print("StopIteration ends it", list(it), list(it))
it = iter(iter([1.0, 2.0, 3.0]).__next__, 2)
print("equal, not identical", list(it))
try:
    iter(5, None)
except TypeError as e:
    print(e)
