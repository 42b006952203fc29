"""Two threads: a producer puts numbers on a queue, a consumer adds them up."""

import queue
import threading

items = queue.Queue()
total = 0


def producer(n):
    for i in range(n):
        items.put(i)
    items.put(None)


def consumer():
    global total
    while True:
        item = items.get()
        if item is None:
            break
        total += item


threads = [threading.Thread(target=producer, args=(20,)), threading.Thread(target=consumer)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("total", total)
