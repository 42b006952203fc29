"""A program that ends with a live ThreadPoolExecutor exits, as python3's shutdown wakes its workers."""

import atexit
from concurrent.futures import ThreadPoolExecutor

ex = ThreadPoolExecutor(2)
print(ex.submit(pow, 2, 10).result())
print(list(ex.map(abs, [-1, -2, -3])))


def late():
    # After shutdown began, a new executor cannot register its exit callback.
    try:
        ThreadPoolExecutor(1).submit(print, "never")
    except RuntimeError as e:
        print("RuntimeError:", e)


atexit.register(late)
