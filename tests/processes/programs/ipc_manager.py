"""A Manager by one start method: dict, list, Namespace, Lock and Queue proxies across processes.

The manager's server is itself a child process; guest objects are pickled to it and
back.  Children report through the proxies; the parent prints.
"""

import multiprocessing as mp
import sys


class Account:
    """A guest class stored in the manager's dict (by value, pickled by reference)."""

    def __init__(self, owner, balance):
        self.owner, self.balance = owner, balance

    def __repr__(self):
        return f"Account({self.owner!r}, {self.balance})"


class Overdrawn(Exception):
    pass


def worker(shared, items, ns, lock, q, i):
    with lock:
        shared[f"w{i}"] = Account(f"w{i}", i * 100)
        items.append(i)
        ns.count += 1
    q.put((i, ns.label, shared["start"]))
    if i == 1:
        q.put(Overdrawn(f"worker {i}", -5))


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    with ctx.Manager() as manager:
        shared = manager.dict(start=Account("parent", 1))
        items = manager.list([0])
        ns = manager.Namespace()
        ns.count, ns.label = 0, "ns label"
        lock, q = manager.Lock(), manager.Queue()
        procs = [
            ctx.Process(target=worker, args=(shared, items, ns, lock, q, i)) for i in (1, 2, 3)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        print("exitcodes", [p.exitcode for p in procs])
        print("dict", sorted(shared.items()))
        print("list", sorted(items), len(items), items[0])
        print("namespace", ns.count, ns.label)
        reports = [q.get(timeout=60) for _ in range(4)]
        errors = [r for r in reports if isinstance(r, Exception)]
        print("queue", sorted(r for r in reports if not isinstance(r, Exception)))
        print("queue error", [(type(e).__name__, e.args) for e in errors], q.empty())
        print("lock", lock.acquire(timeout=1), lock.release())
        shared.update(extra=[1, 2])
        print("dict copy", type(shared.copy()).__name__, shared.get("extra"), "w9" in shared)
        try:
            shared["missing"]
        except KeyError as e:
            print("KeyError through the proxy", e)
        try:
            items[10]
        except IndexError as e:
            print("IndexError through the proxy", e)
        print("proxy types", type(shared).__name__, type(items).__name__, type(ns).__name__)
    print("manager shut down")
