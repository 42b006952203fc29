import threading

results = []
lock = threading.Lock()
counter = 0

def work(n):
    global counter
    local = sum(i * i for i in range(n))
    for _ in range(1000):
        with lock:
            counter += 1
    with lock:
        results.append((n, local))

threads = [threading.Thread(target=work, args=(n,), name=f"w{n}") for n in range(1, 6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(results), counter)
print([t.name for t in threads], all(not t.is_alive() for t in threads))
print(threading.current_thread().name, threading.active_count())
