from multiprocessing import Process, Queue

def produce(q, n):
    for i in range(n):
        q.put(i * i)
    q.put(None)

def print_numbers():
    for i in range(5):
        print(i)

if __name__ == "__main__":
    p = Process(target=print_numbers)
    p.start()
    p.join()
    print("exit code", p.exitcode)
    q = Queue()
    p2 = Process(target=produce, args=(q, 4))
    p2.start()
    got = []
    while (v := q.get()) is not None:
        got.append(v)
    p2.join()
    print(got, p2.exitcode)
