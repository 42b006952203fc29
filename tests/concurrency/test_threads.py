"""Guest threads under pvm's GIL behave as under CPython (differential tests)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import helpers
import pytest

POLICIES = [[], ["--gil", "legacy"], ["--gil", "off"], ["--schedule", "deterministic"]]
POLICY_IDS = ["new", "legacy", "off", "deterministic"]


def same(source: str, tmp_path, flags: list[str]) -> helpers.Outcome:
    """Run source under python3 and under `pvm run FLAGS`; assert the same outcome."""
    path = tmp_path / "prog.py"
    path.write_text(source)
    expected = helpers.run([helpers.PYTHON, "prog.py"], tmp_path, env=helpers.base_env())
    actual = helpers.run([*helpers.PVM, *flags, "prog.py"], tmp_path, env=helpers.base_env())
    helpers.compare(expected, actual, "prog.py " + " ".join(flags))
    return actual


THREAD_API = """
import threading, _thread, queue, time

log = []
def target(a, b=0, *, c):
    log.append(("target", threading.current_thread().name, a, b, c))

t = threading.Thread(target=target, args=(1,), kwargs={"c": 3}, name="named")
t.start(); t.join()
print(log, t.is_alive(), t.name, t.daemon)

class Sub(threading.Thread):
    def __init__(self, n):
        super().__init__(name=f"sub{n}")
        self.n = n
        self.result = None
    def run(self):
        self.result = sum(range(self.n))
subs = [Sub(n) for n in (10, 100, 1000)]
for s in subs: s.start()
for s in subs: s.join()
print([s.result for s in subs], [s.name for s in subs])

print(threading.current_thread() is threading.main_thread(), threading.main_thread().name)
print(isinstance(threading.get_ident(), int), isinstance(threading.get_native_id(), int))
seen = []
def names():
    seen.append(sorted(t.name for t in threading.enumerate()))
    seen.append(threading.active_count())
t = threading.Thread(target=names, name="lister"); t.start(); t.join()
print(seen)

rl = threading.RLock()
with rl:
    with rl:
        print("rlock reentrant")
sem = threading.Semaphore(2); bs = threading.BoundedSemaphore(1)
print(sem.acquire(), sem.acquire(), sem.acquire(blocking=False))
bs.acquire(); bs.release()
try:
    bs.release()
except ValueError as e:
    print("ValueError", e)

ev = threading.Event()
print(ev.is_set(), ev.wait(0.01))
def setter(): ev.set()
threading.Thread(target=setter).start()
print(ev.wait(5))

cond = threading.Condition()
box = []
def producer():
    for i in range(5):
        with cond:
            box.append(i)
            cond.notify()
p = threading.Thread(target=producer); p.start()
got = []
with cond:
    while len(got) < 5:
        cond.wait_for(lambda: box)
        got.extend(box); box.clear()
p.join()
print("condition", got)

bar = threading.Barrier(3, action=lambda: print("barrier action"))
idx = []
def at_barrier():
    idx.append(bar.wait())
ws = [threading.Thread(target=at_barrier) for _ in range(3)]
for w in ws: w.start()
for w in ws: w.join()
print(sorted(idx))

fired = threading.Event()
tm = threading.Timer(0.01, lambda: (print("timer fired"), fired.set()))
tm.start(); fired.wait(5); tm.join()
tc = threading.Timer(60, print, args=("never",)); tc.start(); tc.cancel(); tc.join()
print("timer cancelled", tc.finished.is_set())

loc = threading.local()
loc.x = "main"
def use_local(v):
    loc.x = v
    out.append((v, loc.x))
out = []
ls = [threading.Thread(target=use_local, args=(i,)) for i in range(3)]
for l in ls: l.start()
for l in ls: l.join()
print(loc.x, sorted(out))

lk = _thread.allocate_lock()
done = _thread.allocate_lock(); done.acquire()
def raw(x):
    with lk:
        res.append(x * 2)
    done.release()
res = []
_thread.start_new_thread(raw, (21,))
done.acquire()
print("_thread", res, lk.locked(), type(lk).__name__)

for Q in (queue.Queue, queue.LifoQueue, queue.PriorityQueue, queue.SimpleQueue):
    q = Q()
    def fill():
        for i in (3, 1, 2):
            q.put(i)
    f = threading.Thread(target=fill); f.start(); f.join()
    print(Q.__name__, [q.get() for _ in range(3)], q.empty())
q = queue.Queue(maxsize=1)
q.put(1)
try:
    q.put(2, timeout=0.01)
except queue.Full:
    print("Full")
try:
    queue.Queue().get(timeout=0.01)
except queue.Empty:
    print("Empty")
"""


@pytest.mark.parametrize("flags", POLICIES, ids=POLICY_IDS)
def test_threading_api(flags, tmp_path):
    same(THREAD_API, tmp_path, flags)


LOCK_ARGUMENTS = """
import _thread, sys, threading
lock = threading.Lock()
for args in [(False, 1), (True, -2), (True, 1e300), (True, "x"), (False,), (True, 0.01)]:
    try:
        print(args, lock.acquire(*args))
        lock.release()
    except Exception as e:
        print(args, type(e).__name__, e)
def boom():
    raise ValueError("in a _thread thread")
seen = []
sys.unraisablehook = lambda u: seen.append((u.exc_type.__name__, u.err_msg))
done = threading.Event()
def run():
    try:
        boom()
    finally:
        done.set()
_thread.start_new_thread(run, ())
done.wait()
while not seen:
    pass
print(seen)
"""


@pytest.mark.parametrize("flags", POLICIES, ids=POLICY_IDS)
def test_lock_arguments_and_unraisable_thread_error(flags, tmp_path):
    """A lock checks its arguments before it tries; _thread reports through sys.unraisablehook."""
    same(LOCK_ARGUMENTS, tmp_path, flags)


UNCAUGHT = """
import threading
def boom(n):
    def inner():
        raise ValueError(f"bad {n}")
    inner()
t = threading.Thread(target=boom, args=(1,), name="worker")
t.start(); t.join()
class Sub(threading.Thread):
    def run(self):
        {}["missing"]
s = Sub(); s.start(); s.join()
def hook(args):
    print("hook:", args.exc_type.__name__, args.exc_value, args.thread.name)
threading.excepthook = hook
t = threading.Thread(target=boom, args=(2,), name="hooked"); t.start(); t.join()
threading.excepthook = threading.__excepthook__
def leave():
    raise SystemExit(3)
t = threading.Thread(target=leave); t.start(); t.join()
print("main goes on")
"""


@pytest.mark.parametrize("flags", POLICIES, ids=POLICY_IDS)
def test_uncaught_exception_in_thread(flags, tmp_path):
    same(UNCAUGHT, tmp_path, flags)


SHUTDOWN = """
import threading, time, sys
main_done = threading.Event()
def daemon_loop():
    while True:
        time.sleep(0.01)  # asleep in a native call when the interpreter exits
def slow_worker():
    main_done.wait()
    print("non-daemon thread finished", flush=True)
threading.Thread(target=daemon_loop, daemon=True).start()
threading.Thread(target=slow_worker).start()
print("main done", flush=True)
main_done.set()
"""


@pytest.mark.parametrize("flags", POLICIES, ids=POLICY_IDS)
def test_daemon_threads_and_shutdown(flags, tmp_path):
    same(SHUTDOWN, tmp_path, flags)


CALLBACKS = """
import threading, functools, hashlib
def key(x):
    return -x
def sorter(out, k):
    for _ in range(50):
        r = sorted(range(200), key=key)
        r = sorted(r, key=functools.cmp_to_key(lambda a, b: a - b))
    out[k] = r[:3]
out = {}
ts = [threading.Thread(target=sorter, args=(out, k)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(out.items()))
digests = []
def digest(n):
    digests.append(hashlib.sha256(bytes(n) * 100000).hexdigest()[:12])
ts = [threading.Thread(target=digest, args=(n,)) for n in (1, 2, 3)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(digests))
print(list(map(lambda x: x + 1, range(3))))
"""


@pytest.mark.parametrize("flags", POLICIES, ids=POLICY_IDS)
def test_native_code_calling_back_into_threads(flags, tmp_path):
    same(CALLBACKS, tmp_path, flags)


SWITCHINTERVAL = """
import sys
print(sys.getswitchinterval())
sys.setswitchinterval(0.002)
print(sys.getswitchinterval())
for bad in (0, -1, "x", None):
    try:
        sys.setswitchinterval(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(sys.getswitchinterval())
"""


def test_sys_switchinterval(tmp_path):
    same(SWITCHINTERVAL, tmp_path, [])


def test_switch_interval_flag_sets_guest_view(tmp_path):
    (tmp_path / "prog.py").write_text("import sys\nprint(sys.getswitchinterval())\n")
    result = helpers.run([*helpers.PVM, "--switch-interval", "0.02", "prog.py"], tmp_path)
    assert result.stdout == "0.02\n"


DEADLOCK_JOIN = """
import threading
a = threading.Lock(); b = threading.Lock()
ready = threading.Barrier(3)
def t1():
    with a:
        ready.wait()
        with b: pass
def t2():
    with b:
        ready.wait()
        with a: pass
th = [threading.Thread(target=t1, daemon=True), threading.Thread(target=t2, daemon=True)]
for t in th: t.start()
ready.wait()
print("deadlocked", flush=True)
th[0].join()
"""

DEADLOCK_ACQUIRE = """
import threading
lock = threading.Lock()
lock.acquire()
def spin():
    n = 0
    while True:
        n += 1
threading.Thread(target=spin, daemon=True).start()
print("deadlocked", flush=True)
lock.acquire()
"""


BLOCKED_POLL = 0.005  # seconds between two looks at /proc
BLOCKED_LOOKS = 40  # this many looks in a row (0.2 s) without a wake-up: blocked for good
BLOCKED_DEADLINE = 30.0


def _main_thread_state(pid: int) -> tuple[str, str, str]:
    """Return the main thread's run state, wait channel and context-switch counts."""
    task = Path(f"/proc/{pid}/task/{pid}")
    state = (task / "stat").read_text().rsplit(")", 1)[1].split()[0]
    wchan = (task / "wchan").read_text()
    status = (task / "status").read_text().splitlines()
    switches = " ".join(line.split()[1] for line in status if "ctxt_switches:" in line)
    return state, wchan, switches


def wait_until_blocked(pid: int) -> None:
    """Wait until pid's main thread sleeps on a futex and nothing wakes it any more.

    A thread waiting for the GIL also sleeps on a futex, but it is woken every switch
    interval (5 ms), so its context-switch counts move; one blocked in Lock.acquire or
    Thread.join for good is not woken at all.
    """
    deadline = time.monotonic() + BLOCKED_DEADLINE
    last, still = None, 0
    while still < BLOCKED_LOOKS:
        assert time.monotonic() < deadline, f"main thread never blocked for good: {last}"
        now = _main_thread_state(pid)
        blocked = now[0] == "S" and "futex" in now[1]
        still = still + 1 if blocked and now == last else 0
        last = now
        time.sleep(BLOCKED_POLL)


def interrupt(argv: list[str], cwd) -> tuple[str, str, int]:
    """Start argv, wait for its first line, send SIGINT, return stdout, stderr and status."""
    proc = subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=helpers.base_env(),
    )  # fmt: skip
    try:
        first = proc.stdout.readline()
        # The traceback names the line that was running: wait until the blocking call
        # has begun.
        wait_until_blocked(proc.pid)
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            return first + out, err + "\n<<hung after SIGINT>>", proc.returncode
        return first + out, err, proc.returncode
    finally:
        if proc.poll() is None:  # a failed look at /proc: leave no process behind
            proc.kill()
            proc.communicate()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="watches the thread in /proc")
@pytest.mark.parametrize("program", [DEADLOCK_JOIN, DEADLOCK_ACQUIRE], ids=["join", "acquire"])
@pytest.mark.parametrize("flags", [[], ["--gil", "legacy"]], ids=["new", "legacy"])
def test_ctrl_c_reaches_deadlocked_main_thread(program, flags, tmp_path):
    (tmp_path / "prog.py").write_text(program)
    expected = interrupt([sys.executable, "prog.py"], tmp_path)
    actual = interrupt([*helpers.PVM, *flags, "prog.py"], tmp_path)
    assert expected[2] == -signal.SIGINT
    assert actual == expected


RACE = """
import threading, sys
counter = 0
def step():
    return 1
def work(n):
    global counter
    ready.wait()  # all four run at once: none finishes before the next starts
    for _ in range(n):
        counter = counter + step() if sys.argv[1] == "call" else counter + 1
def locked(n):
    global counter
    ready.wait()
    for _ in range(n):
        with lock:
            counter = counter + step()
lock = threading.Lock()
ready = threading.Barrier(4)
target = locked if sys.argv[2] == "lock" else work
ts = [threading.Thread(target=target, args=(20000,)) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(80000 - counter)
"""


def lost_updates(tmp_path, flags: list[str], *args: str) -> int:
    (tmp_path / "race.py").write_text(RACE)
    result = helpers.run([*helpers.PVM, *flags, "race.py", *args], tmp_path)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def test_read_call_write_race_and_lock(tmp_path):
    # A call between the read and the write is a check point: the deterministic schedule
    # switches there for some seeds, losing updates, the same ones every run; a Lock fixes it.
    det = ["--schedule", "deterministic", "--check-interval", "5"]
    lost = [lost_updates(tmp_path, [*det, "--seed", str(s)], "call", "-") for s in range(3)]
    assert any(lost)
    assert lost == [lost_updates(tmp_path, [*det, "--seed", str(s)], "call", "-") for s in range(3)]
    assert lost_updates(tmp_path, [*det, "--seed", "0"], "call", "lock") == 0
    assert lost_updates(tmp_path, [], "call", "lock") == 0


def test_legacy_gil_switches_inside_plus_equals(tmp_path):
    # The new GIL switches only at calls and backward jumps; the legacy GIL also at a
    # store to a global, as Python 2 could at any instruction.
    assert lost_updates(tmp_path, ["--schedule", "deterministic"], "plain", "-") == 0
    assert lost_updates(tmp_path, ["--gil", "legacy", "--check-interval", "10"], "plain", "-") > 0


FORK = """
import os, threading
def spin():
    x = 0
    for i in range(100000):
        x += i
running = threading.Barrier(3)
def start_then_spin():
    running.wait()
    spin()
ts = [threading.Thread(target=start_then_spin) for _ in range(2)]
for t in ts:
    t.start()
running.wait()
pid = os.fork()
if pid == 0:
    t = threading.Thread(target=spin)
    t.start()
    t.join()
    print("child ok", flush=True)
    os._exit(0)
os.waitpid(pid, 0)
for t in ts:
    t.join()
print("parent ok")
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_fork_while_threads_run(tmp_path):
    # In the child only the forking thread exists: it must own the GIL, nobody waits.
    same(FORK, tmp_path, [])
