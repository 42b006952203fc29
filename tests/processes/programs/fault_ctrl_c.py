"""Ctrl-C in a parent with children at work: the children end too.

pool: a Pool with a busy worker and a daemon process; the test sends SIGINT to the
parent only.  processes: a daemon and a non-daemon process, each asleep; the test sends
SIGINT to the whole group, as a terminal's Ctrl-C does.  (A Pool under a group-wide
SIGINT can hang python3 itself: a worker interrupted while it holds the task queue's
lock leaves it held, and the parent's exit waits for it.)
"""

import multiprocessing as mp
import os
import sys
import time


def square(x):
    return x * x


def sleeper(ready):
    # A child's KeyboardInterrupt traceback would be written to the stderr it shares
    # with the parent, where concurrent writes can split the parent's lines: the test
    # compares only the parent's, so the children's go nowhere.
    sys.stderr = open(os.devnull, "w")
    ready.send_bytes(b"up")  # one write: nothing is held once it returns
    time.sleep(60)


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    if sys.argv[2] == "pool":
        pool = ctx.Pool(2)
        print(pool.map(square, range(4)))
        busy = pool.apply_async(time.sleep, (60,))
        children = [ctx.Process(target=sleeper, args=(None,), daemon=True)]
    else:
        print("processes")
        children = [ctx.Process(target=sleeper, daemon=d) for d in (True, False)]
    for child in children:
        reader, writer = ctx.Pipe(duplex=False)
        child._args = (writer,)
        child.start()
        reader.recv_bytes()
    try:
        print("ready", flush=True)
        time.sleep(60)
    except KeyboardInterrupt as e:
        # The signal may land in print() or in sleep(): raise it again from one place.
        e.__traceback__ = None
        raise e
    print("not reached")
