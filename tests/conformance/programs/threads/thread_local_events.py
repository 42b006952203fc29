import threading
import queue

data = threading.local()
out = queue.Queue()

def worker(i, ready, go):
    data.value = i * 10
    ready.wait()
    go.wait()
    out.put((i, data.value))

ready = threading.Event()
go = threading.Event()
ts = [threading.Thread(target=worker, args=(i, ready, go)) for i in range(4)]
for t in ts:
    t.start()
ready.set()
go.set()
for t in ts:
    t.join()
print(sorted(out.get() for _ in range(4)))
print(hasattr(data, "value"))
cond = threading.Condition()
items = []
def consumer():
    with cond:
        cond.wait_for(lambda: len(items) == 3)
        print("consumer saw", items)
c = threading.Thread(target=consumer)
c.start()
for i in range(3):
    with cond:
        items.append(i)
        cond.notify_all()
c.join()
