"""A worker killed with SIGKILL mid-task: distributed recomputes, then gives up with KilledWorker.

With allowed-failures 1, task "a" loses one worker and is run again elsewhere; task "b"
loses two and the client gets KilledWorker.  Each run of a task announces its worker's
pid in a file, and the client kills that pid.
"""

import os
import re
import signal
import sys
import time

import dask
from distributed import Client, KilledWorker


def attempt(folder, name, kills, x):
    # The first `kills` runs of the task wait to be killed; the next one finishes.
    done = sorted(f for f in os.listdir(folder) if f.startswith(name + "-"))
    if len(done) < kills:
        path = os.path.join(folder, f"{name}-{len(done)}")
        with open(path + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.rename(path + ".tmp", path)
        time.sleep(600)
    return x * 10


def kill_runs(folder, name, count):
    for n in range(count):
        path = os.path.join(folder, f"{name}-{n}")
        deadline = time.monotonic() + 300
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                print("run", n + 1, "of", name, "never started", flush=True)
                return
            time.sleep(0.05)
        with open(path) as f:
            pid = int(f.read())
        os.kill(pid, signal.SIGKILL)
        print("killed the worker running", name, "run", n + 1, flush=True)


def main(folder):
    # A LocalCluster forgets a worker that has not come back within lost-worker-timeout
    # (15 s): a worker process restarting on pvm, which imports distributed on pvm, can
    # take longer than that on a loaded machine.
    dask.config.set(
        {
            "distributed.scheduler.allowed-failures": 1,
            "distributed.deploy.lost-worker-timeout": "600s",
        }
    )
    with Client(n_workers=2, threads_per_worker=1, dashboard_address=":0") as client:
        a = client.submit(attempt, folder, "a", 1, 7, pure=False)
        kill_runs(folder, "a", 1)
        print("a recomputed:", a.result(timeout=300))
        b = client.submit(attempt, folder, "b", 2, 8, pure=False)
        kill_runs(folder, "b", 2)
        try:
            b.result(timeout=300)
        except KilledWorker as exc:
            text = re.sub(r"'attempt-[0-9a-f-]+'", "'attempt-KEY'", str(exc))
            print("b:", type(exc).__name__, re.sub(r"tcp://[\d.]+:\d+", "tcp://ADDRESS", text))
        print("a again:", client.submit(attempt, folder, "a", 1, 9, pure=False).result(timeout=300))
    print("closed")


if __name__ == "__main__":
    main(sys.argv[1])
