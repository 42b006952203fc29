"""32 daemon threads contending for locks until the main thread is interrupted (Ctrl-C)."""

import queue
import threading

lock = threading.Lock()
cond = threading.Condition()
jobs = queue.Queue()
counter = 0


def worker(k):
    global counter
    while True:
        with lock:
            counter += 1
        with cond:
            cond.notify()
        jobs.put(k)
        jobs.get()


threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(32)]
for t in threads:
    t.start()
print("started", flush=True)
for t in threads:
    t.join()
