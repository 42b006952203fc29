"""IPC round trips: a message of SIZE bytes to a child (fork) and back, N times; prints elapsed per round trip.

MECHANISM is pipe (Connection.send_bytes/recv_bytes), queue (multiprocessing.Queue
put/get) or shm (the bytes copied into and out of a SharedMemory block, each side
woken by a semaphore).
"""

import multiprocessing as mp
import sys
import time
from multiprocessing import shared_memory


def pipe_echo(conn, n):
    for _ in range(n):
        conn.send_bytes(conn.recv_bytes())


def queue_echo(inq, outq, n):
    for _ in range(n):
        outq.put(inq.get())


def shm_echo(name, size, to_child, to_parent, n):
    shm = shared_memory.SharedMemory(name=name)
    buf = shm.buf
    for _ in range(n):
        to_child.acquire()
        data = bytes(buf[:size])
        buf[size : 2 * size] = data
        to_parent.release()
    del buf
    shm.close()


def pipe_round_trips(ctx, payload, n):
    parent, child = ctx.Pipe()
    p = ctx.Process(target=pipe_echo, args=(child, n))
    p.start()
    started = time.perf_counter()
    for _ in range(n):
        parent.send_bytes(payload)
        assert len(parent.recv_bytes()) == len(payload)
    elapsed = time.perf_counter() - started
    p.join()
    return elapsed


def queue_round_trips(ctx, payload, n):
    inq, outq = ctx.Queue(), ctx.Queue()
    p = ctx.Process(target=queue_echo, args=(inq, outq, n))
    p.start()
    started = time.perf_counter()
    for _ in range(n):
        inq.put(payload)
        assert len(outq.get()) == len(payload)
    elapsed = time.perf_counter() - started
    p.join()
    return elapsed


def shm_round_trips(ctx, payload, n):
    size = len(payload)
    shm = shared_memory.SharedMemory(create=True, size=2 * size)
    to_child, to_parent = ctx.Semaphore(0), ctx.Semaphore(0)
    p = ctx.Process(target=shm_echo, args=(shm.name, size, to_child, to_parent, n))
    p.start()
    buf = shm.buf
    started = time.perf_counter()
    for _ in range(n):
        buf[:size] = payload
        to_child.release()
        to_parent.acquire()
        assert len(bytes(buf[size : 2 * size])) == size
    elapsed = time.perf_counter() - started
    p.join()
    del buf
    shm.close()
    shm.unlink()
    return elapsed


if __name__ == "__main__":
    mechanism, size, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    run = {"pipe": pipe_round_trips, "queue": queue_round_trips, "shm": shm_round_trips}
    elapsed = run[mechanism](mp.get_context("fork"), b"x" * size, n)
    print(f"elapsed {elapsed / n:.9f}")
