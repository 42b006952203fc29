"""32 threads sharing counters through locks, a condition, events, queues and a barrier."""

import queue
import sys
import threading

N_THREADS = 32
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 200

lock = threading.Lock()
rlock = threading.RLock()
counter = 0
rcounter = 0
cond = threading.Condition()
tokens = []
go = threading.Event()
barrier = threading.Barrier(N_THREADS)
jobs = queue.Queue()
results = queue.Queue()
lifo = queue.LifoQueue()
prio = queue.PriorityQueue()
simple = queue.SimpleQueue()
sem = threading.BoundedSemaphore(4)
inside = 0
max_inside = 0


def worker(k):
    global counter, rcounter, inside, max_inside
    go.wait()
    barrier.wait()
    for i in range(ROUNDS):
        with lock:
            counter = counter + 1  # read-modify-write: must never lose an update
        with rlock, rlock:  # re-entered
            rcounter += 1
        if i % 10 == k % 10:
            with cond:
                tokens.append((k, i))
                cond.notify()
        if i % 25 == 0:
            with sem:
                with lock:
                    inside += 1
                    max_inside = max(max_inside, inside)
                with lock:
                    inside -= 1
    lifo.put(k)
    prio.put((k, k))
    simple.put(k)
    barrier.wait()
    while True:
        job = jobs.get()
        if job is None:
            jobs.task_done()
            break
        results.put(job * job)
        jobs.task_done()


threads = [threading.Thread(target=worker, args=(k,), name=f"w{k}") for k in range(N_THREADS)]
for t in threads:
    t.start()
go.set()
expected_tokens = sum(1 for k in range(N_THREADS) for i in range(ROUNDS) if i % 10 == k % 10)
taken = 0
with cond:
    while taken < expected_tokens:
        while not tokens:
            cond.wait()
        taken += len(tokens)
        tokens.clear()
for j in range(200):
    jobs.put(j)
for _ in threads:
    jobs.put(None)
jobs.join()
for t in threads:
    t.join()
squares = sorted(results.get() for _ in range(200))
print("counter", counter, counter == N_THREADS * ROUNDS)
print("rcounter", rcounter, rcounter == N_THREADS * ROUNDS)
print("tokens", taken, taken == expected_tokens)
print("semaphore", max_inside <= 4)
print(
    "queues",
    sorted(lifo.get() for _ in threads) == list(range(N_THREADS)),
    [prio.get()[0] for _ in threads] == list(range(N_THREADS)),
    sorted(simple.get() for _ in threads) == list(range(N_THREADS)),
)
print("jobs", squares == [j * j for j in range(200)])
