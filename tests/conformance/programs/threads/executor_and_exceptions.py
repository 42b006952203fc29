import concurrent.futures
import threading

def square(x):
    if x == 3:
        raise ValueError("three is not allowed")
    return x * x

with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
    futures = [pool.submit(square, i) for i in range(5)]
    for i, f in enumerate(futures):
        try:
            print(i, f.result())
        except ValueError as e:
            print(i, "failed:", e)
    print(list(pool.map(lambda v: v + 1, range(4))))

def crash():
    raise RuntimeError("uncaught in thread")

t = threading.Thread(target=crash, name="crasher")
t.start()
t.join()
print("main continues")
