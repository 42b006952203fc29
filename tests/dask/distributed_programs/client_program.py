"""A distributed client as a user writes it: python3 and pvm must print the same.

client_program.py processes     Client(): a LocalCluster of two worker processes
client_program.py threads       Client(processes=False): workers are threads here
client_program.py tcp://H:P N   Client("tcp://H:P"), a cluster started apart, N workers
"""

import os
import sys
import traceback

import dask
import dask.bag as db
from distributed import Client, as_completed


def where(_):
    # pvm runs its own bytecode, 4 bytes an instruction (CPython 3.11: 2), in this
    # function too, which reached the worker by value (rebuilt by types.CodeType).
    code = sys._getframe().f_code
    return f"ran on {len(code.co_code) // len(list(code.co_positions()))}-byte instructions"


def inc(x):
    return x + 1


def square(x):
    return x * x


def fail(x):
    raise ValueError(f"bad value {x}")


def show_error(future):
    try:
        future.result()
    except Exception as exc:
        print("".join(traceback.format_exception_only(exc)), end="")
        # The task's own frame, which distributed attaches under the client's frames.
        last = traceback.extract_tb(exc.__traceback__)[-1]
        print("raised in", os.path.basename(last.filename), last.lineno, last.name)


def connect(target, workers):
    if target == "processes":
        return Client(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    if target == "threads":
        return Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0")
    client = Client(target)
    client.wait_for_workers(int(workers))
    return client


def main(target, workers="0"):
    with connect(target, workers) as client:
        print("submit", client.submit(inc, 1).result())
        print("map", client.gather(client.map(inc, range(10))))
        print(
            "as_completed", sorted(f.result() for f in as_completed(client.map(square, range(6))))
        )
        k = 3
        print("lambda", client.submit(lambda x: x * k, 5).result())

        def add_k(x):
            return x + k

        print("closure", client.gather(client.map(add_k, [1, 2, 3])))
        total = dask.delayed(sum)([dask.delayed(inc)(i) for i in range(5)])
        print("dask.compute", dask.compute(total, total * 2))
        bag = (
            db.from_sequence(range(10), npartitions=3)
            .map(lambda x: x * x)
            .filter(lambda x: x % 2 == 0)
        )
        print("bag", bag.compute(), bag.sum().compute())
        print("frequencies", sorted(db.from_sequence("abracadabra", npartitions=2).frequencies()))
        future = client.submit(fail, 7)
        show_error(future)
        print("status", future.status, repr(future.exception()))
        print("where", sorted(set(client.gather(client.map(where, range(4))))))
        pids = set(client.run(os.getpid).values())
        print("workers", len(pids), "in the client's process:", os.getpid() in pids)
    print("closed")


if __name__ == "__main__":
    main(*sys.argv[1:])
