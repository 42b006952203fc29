"""An uncaught exception with a live ThreadPoolExecutor: the traceback, then exit status 1."""

from concurrent.futures import ThreadPoolExecutor

ex = ThreadPoolExecutor(4)
futures = [ex.submit(sum, range(n)) for n in range(5)]
print([f.result() for f in futures])
raise ValueError("left open")
