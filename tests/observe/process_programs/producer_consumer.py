"""A producer and a consumer process over a multiprocessing Queue, both CPU-bound at once."""

import multiprocessing as mp
import sys


def work(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def producer(q, n, rounds):
    q.put(("ready", 0))
    for i in range(n):
        work(rounds)
        q.put((i, "x" * (100 * i)))
    q.put(None)


if __name__ == "__main__":
    method = sys.argv[1] if len(sys.argv) > 1 else "fork"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 50000
    ctx = mp.get_context(method)
    q = ctx.Queue()
    p = ctx.Process(target=producer, args=(q, n, rounds), name="producer")
    p.start()
    assert q.get() == ("ready", 0)
    work(rounds * n)  # the consumer computes while the producer does
    got = []
    while (item := q.get()) is not None:
        got.append((item[0], len(item[1])))
    p.join()
    print("consumed", got, "producer exit code", p.exitcode)
