"""dask.delayed and dask.bag with functions of __main__ under one local scheduler (argv[1]).

Module-level functions, lambdas and closures as tasks; every result must be what
python3 prints.  Under "processes" the tasks run in worker processes, and each says
which bytecode ran it ("ran on N-byte instructions"), so a test can tell pvm from the
host; then a worker is killed by SIGKILL mid-computation (the pool breaks).  Last, a task
raises, and its traceback ends the program.
"""

import operator
import os
import signal
import sys

import dask
import dask.bag as db
from dask import delayed

SCHEDULER = sys.argv[1]
WORKERS = {"scheduler": SCHEDULER, "num_workers": 2}
BASE = 1000


def inc(x):
    return x + 1


def add(a, b):
    return a + b


def where(_):
    # pvm runs its own bytecode, 4 bytes an instruction (CPython 3.11: 2), in this
    # function too, which reached the worker by value (rebuilt by types.CodeType).
    code = sys._getframe().f_code
    return f"ran on {len(code.co_code) // len(list(code.co_positions()))}-byte instructions"


def worker_pid(_):
    return os.getpid()


def die_on(x, victim):
    if x == victim:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def check(x):
    if x == 3:
        raise ValueError(f"bad value {x}")
    return x


def make_scaler(k):
    def scale(x):
        return x * k

    return scale


def main():
    # dask.delayed: a small graph of module-level functions, a lambda and a closure.
    a = [delayed(inc)(i) for i in range(6)]
    b = [delayed(lambda x: x * x)(x) for x in a]
    c = delayed(make_scaler(10))(delayed(sum)(b))
    # dask.bag: map/filter/sum, foldby, frequencies, distinct, topk, reductions.
    k = 3
    bag = db.from_sequence(range(20), npartitions=4)
    words = db.from_sequence("the cat and the hat and the bat".split(), npartitions=3)
    records = db.from_sequence([{"name": n, "n": i} for i, n in enumerate("abcab")], npartitions=2)
    pairs = db.from_sequence([(1, 2), (3, 4)])
    spread = db.from_sequence(range(8), npartitions=4)
    # One compute for everything: under "processes" each compute starts its own pool.
    work = {
        "delayed": (c, delayed(add)(c, BASE)),
        "delayed dict": {"x": delayed(inc)(1), "y": [delayed(add)(2, 3)]},
        "map filter sum": bag.map(lambda x: x * k).filter(lambda x: x % 2 == 0).sum(),
        "foldby": bag.foldby(lambda x: x % 3, operator.add, 0, operator.add, 0),
        "frequencies": words.frequencies(),
        "distinct": words.distinct(),
        "topk": (bag.topk(3), bag.topk(2, key=lambda x: -x)),
        "count mean max min": (bag.count(), bag.mean(), bag.max(), bag.min()),
        "std var": (bag.std(), bag.var()),
        "reduction fold": (bag.reduction(sum, sum), bag.fold(operator.add)),
        "pluck": records.pluck("name").frequencies(),
        "map_partitions": bag.map_partitions(lambda part: [sum(part)]),
        "flatten": db.from_sequence([[1, 2], [3], []], npartitions=2).flatten(),
        "product": db.from_sequence([1, 2]).product(db.from_sequence("ab")),
        "accumulate": bag.accumulate(operator.add),
        "starmap": pairs.starmap(add),
        "where": spread.map(where),
        "pids": spread.map(worker_pid),
    }
    (results,) = dask.compute(work, **WORKERS)
    for name in ("foldby", "frequencies", "distinct", "product", "pluck"):
        results[name] = sorted(results[name])
    results["std var"] = [round(v, 6) for v in results["std var"]]
    results["accumulate"] = results["accumulate"][-3:]
    # Where the task bodies ran: the main process or workers, on pvm or the host.
    results["where"] = sorted(set(results["where"]))
    results["pids"] = "this process" if set(results["pids"]) == {os.getpid()} else "workers"
    for name, value in results.items():
        print(f"{name}: {value}")
    # One worker from here on: each compute starts a pool, whose spawned workers each
    # import the program and Dask (seconds under pvm).
    one = {**WORKERS, "num_workers": 1}
    if SCHEDULER == "processes":
        try:
            dask.compute([delayed(die_on)(i, 2) for i in range(4)], **one)
        except Exception as e:
            print(f"killed worker: {type(e).__module__}.{type(e).__name__}: {e}")
    sys.stdout.flush()
    dask.compute([delayed(check)(i) for i in range(5)], **one)


if __name__ == "__main__":
    main()
