"""Shared state and synchronisation across processes by one start method.

Value and Array with and without locks, shared_memory's SharedMemory and
ShareableList, and Lock/RLock/Semaphore/Event/Condition/Barrier used between
processes.  Children report through shared state or a queue; the parent prints.
"""

import ctypes
import multiprocessing as mp
import sys
from multiprocessing import shared_memory


def add_many(counter, total, n):
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1
    with total.get_lock():
        total.value += 0.5


def fill(raw_value, raw_array, locked_array, offset):
    raw_value.value = 40 + offset
    for i in range(len(raw_array)):
        raw_array[i] = i * 10 + offset
    with locked_array.get_lock():
        locked_array[offset] = ord("A") + offset


def touch_shm(name, size):
    shm = shared_memory.SharedMemory(name=name)
    try:
        view = shm.buf
        data = bytes(view[:size])
        view[:size] = data.upper()
        view[size] = 33  # '!'
        del view
    finally:
        shm.close()


def touch_list(name):
    sl = shared_memory.ShareableList(name=name)
    try:
        sl[0] = sl[0] * 2
        sl[1] = sl[1][::-1]
        sl[2] = not sl[2]
        sl[4] = sl[3] + 0.25
    finally:
        sl.shm.close()


def lock_user(lock, rlock, log, i):
    with lock:
        log.put(("lock", i))
    with rlock:
        with rlock:  # re-entered by its owner
            log.put(("rlock", i))


def sem_user(sem, active, peak, i):
    with sem:
        with active.get_lock():
            active.value += 1
            peak.value = max(peak.value, active.value)
        with active.get_lock():
            active.value -= 1


def event_waiter(ready, go, log, i):
    ready.wait()
    log.put(("ready seen", i))
    go.set()


def cond_consumer(cond, box, log):
    with cond:
        ok = cond.wait_for(lambda: box.value >= 3, timeout=60)
        log.put(("condition", ok, box.value))


def barrier_party(barrier, log, i):
    idx = barrier.wait(timeout=60)
    log.put(("barrier", i, idx in range(barrier.parties)))


def run_values(ctx):
    counter = ctx.Value("i", 0)  # with a lock (the default)
    total = ctx.Value(ctypes.c_double, 0.0, lock=True)
    procs = [ctx.Process(target=add_many, args=(counter, total, 200)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("Value locked", counter.value, total.value, type(counter).__name__)

    raw_value = ctx.Value("q", 0, lock=False)
    raw_array = ctx.Array("i", 5, lock=False)
    locked_array = ctx.Array("b", b"....")
    p = ctx.Process(target=fill, args=(raw_value, raw_array, locked_array, 1))
    p.start()
    p.join()
    print("Value raw", raw_value.value, type(raw_value).__name__)
    print("Array raw", list(raw_array), raw_array[1:3], len(raw_array))
    print("Array locked", locked_array[:], bytes(locked_array[:]), type(locked_array).__name__)
    chars = ctx.Array("c", b"hello")
    print("Array c", chars.value, chars.raw, chars[:])


def run_shared_memory(ctx):
    shm = shared_memory.SharedMemory(create=True, size=64)
    try:
        shm.buf[:5] = b"hello"
        p = ctx.Process(target=touch_shm, args=(shm.name, 5))
        p.start()
        p.join()
        print("SharedMemory", bytes(shm.buf[:6]), shm.size >= 64, p.exitcode)
    finally:
        shm.close()
        shm.unlink()

    sl = shared_memory.ShareableList([21, "abc", False, 1.5, 0.0, None, b"xy"])
    try:
        p = ctx.Process(target=touch_list, args=(sl.shm.name,))
        p.start()
        p.join()
        print("ShareableList", list(sl), sl.format, len(sl), p.exitcode)
        print("ShareableList count/index", sl.count(None), sl.index("cba"))
    finally:
        sl.shm.close()
        sl.shm.unlink()


def drain(log, n):
    return sorted(log.get(timeout=60) for _ in range(n))


def run_sync(ctx):
    log = ctx.Queue()
    lock, rlock = ctx.Lock(), ctx.RLock()
    procs = [ctx.Process(target=lock_user, args=(lock, rlock, log, i)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("Lock/RLock", drain(log, 6))
    print("Lock free", lock.acquire(block=False), rlock.acquire(timeout=1))
    lock.release()
    rlock.release()

    sem = ctx.Semaphore(2)
    active, peak = ctx.Value("i", 0), ctx.Value("i", 0)
    procs = [ctx.Process(target=sem_user, args=(sem, active, peak, i)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("Semaphore", peak.value <= 2, active.value, sem.get_value())
    bounded = ctx.BoundedSemaphore(1)
    bounded.acquire()
    bounded.release()
    try:
        bounded.release()
    except ValueError as e:
        print("BoundedSemaphore:", e)

    ready, go = ctx.Event(), ctx.Event()
    p = ctx.Process(target=event_waiter, args=(ready, go, log, 0))
    p.start()
    print("Event before", ready.is_set(), go.is_set())
    ready.set()
    print("Event go", go.wait(timeout=60))
    p.join()
    print("Event", drain(log, 1), ready.is_set())

    cond = ctx.Condition()
    box = ctx.Value("i", 0, lock=False)
    p = ctx.Process(target=cond_consumer, args=(cond, box, log))
    p.start()
    for _ in range(3):
        with cond:
            box.value += 1
            cond.notify_all()
    p.join()
    print("Condition", drain(log, 1))

    barrier = ctx.Barrier(3)
    procs = [ctx.Process(target=barrier_party, args=(barrier, log, i)) for i in range(2)]
    for p in procs:
        p.start()
    barrier.wait(timeout=60)
    for p in procs:
        p.join()
    print("Barrier", drain(log, 2), barrier.broken, barrier.n_waiting)


if __name__ == "__main__":
    context = mp.get_context(sys.argv[1])
    run_values(context)
    run_shared_memory(context)
    run_sync(context)
