"""A bare os.fork: separate heaps, exit codes, a child killed by a signal, threads."""

import os
import signal
import sys
import threading

counter = 0


def where():
    code = sys._getframe().f_code  # pvm's instructions are 4 bytes, CPython 3.11's 2
    return f"ran on {len(code.co_code) // len(list(code.co_positions()))}-byte instructions"


if __name__ == "__main__":
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        counter += 100
        print("child counter", counter, where(), flush=True)
        os._exit(5)
    _, status = os.waitpid(pid, 0)
    print("parent counter", counter, "child exit", os.waitstatus_to_exitcode(status))

    pid = os.fork()
    if pid == 0:
        sys.exit(9)  # SystemExit in a forked child: it unwinds to the end of the program
    print("sys.exit in child ->", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.write(w, b"x")
        signal.pause()
        os._exit(0)
    os.close(w)
    os.read(r, 1)
    os.kill(pid, signal.SIGTERM)
    print("killed child ->", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))

    # A thread running in the parent at fork: the child has only the forking thread.
    ev = threading.Event()
    t = threading.Thread(target=ev.wait)
    t.start()
    pid = os.fork()
    if pid == 0:
        print("threads in child", threading.active_count(), flush=True)
        os._exit(0)
    os.waitpid(pid, 0)
    ev.set()
    t.join()
    print("threads in parent", threading.active_count())
