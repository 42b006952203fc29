"""Processes by one start method: targets, a subclass, daemons, exit codes, terminate/kill."""

import multiprocessing as mp
import os
import signal
import sys
import time

if __name__ != "__main__":
    # spawn and forkserver children import the program as __mp_main__, as CPython does
    print("imported as", __name__, flush=True)


def frame_type():
    """Where this process runs guest code: python3 says builtins, pvm names its frame type."""
    code = sys._getframe().f_code  # pvm's instructions are 4 bytes, CPython 3.11's 2
    return f"ran on {len(code.co_code) // len(list(code.co_positions()))}-byte instructions"


def target(tag, q):
    me = mp.current_process()
    parent = mp.parent_process()
    q.put((tag, me.name, me.daemon, parent.name, parent.pid == PARENT_PID, frame_type()))


def exits(code):
    sys.exit(code)


def raises():
    raise ValueError("boom in child")


def sleeps(started):
    started.set()
    time.sleep(60)


class Worker(mp.Process):
    def __init__(self, q, n):
        super().__init__(name=f"worker-{n}")
        self.q = q
        self.n = n

    def run(self):
        self.q.put(("subclass", self.name, self.n * 10, type(self).__name__, frame_type()))


PARENT_PID = os.getpid()

if __name__ == "__main__":
    method = sys.argv[1]
    ctx = mp.get_context(method)
    print("main frame type:", frame_type())
    q = ctx.Queue()
    p = ctx.Process(target=target, args=("plain", q), name="plain-child")
    p.start()
    print(q.get())
    p.join()
    print("plain exitcode", p.exitcode, p.is_alive())

    d = ctx.Process(target=target, args=("daemon", q), daemon=True)
    d.start()
    print(q.get()[:3])
    d.join()
    print("daemon exitcode", d.exitcode)

    w = Worker(q, 4)
    w.start()
    print(q.get())
    w.join()
    print("subclass exitcode", w.exitcode)

    for code in (0, 3, None, "a message"):
        e = ctx.Process(target=exits, args=(code,))
        e.start()
        e.join()
        print("sys.exit", repr(code), "->", e.exitcode)

    r = ctx.Process(target=raises)
    r.start()
    r.join()
    print("raises ->", r.exitcode)

    for how, sig in (("terminate", signal.SIGTERM), ("kill", signal.SIGKILL)):
        started = ctx.Event()
        s = ctx.Process(target=sleeps, args=(started,))
        s.start()
        started.wait()
        getattr(s, how)()
        s.join()
        print(how, "->", s.exitcode, s.exitcode == -sig, s.is_alive())

    print("children left:", mp.active_children())
    print("current:", mp.current_process().name, mp.parent_process())
