import threading, concurrent.futures, queue, sys
results = []
lock = threading.Lock()
def work(n):
    total = 0
    for i in range(n):
        total += i
    with lock:
        results.append(total)
    return total
ts = [threading.Thread(target=work, args=(1000 * k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(results))
with concurrent.futures.ThreadPoolExecutor(4) as ex:
    print(list(ex.map(work, [10, 20, 30])))
def gen():
    yield threading.current_thread().name
q = queue.Queue()
def producer():
    for i in range(3):
        q.put(i)
    q.put(None)
threading.Thread(target=producer, name="P").start()
out = []
while (item := q.get()) is not None:
    out.append(item)
print(out)
def boom():
    raise ValueError("in thread")
def catcher():
    try:
        boom()
    except ValueError as e:
        print("caught in thread", e, sys.exc_info()[0].__name__)
t = threading.Thread(target=catcher); t.start(); t.join()
print(sys.exc_info())
class Worker(threading.Thread):
    def run(self):
        print("subclass run", super().run is not None)
w = Worker(); w.start(); w.join()
