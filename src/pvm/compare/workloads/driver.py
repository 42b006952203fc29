"""The measuring side of `pvm compare`: runs one mode of one target and writes what it measured.

A guest program, run as `python3 driver.py SPEC` and as `pvm run driver.py SPEC` (and
under `pvm gil --json` for the GIL shares), so the same code measures both interpreters.
The host (pvm.compare.runner) writes SPEC, a JSON file naming the target, the items, the
mode and where to write the result; this program loads the target, runs the mode for
each worker count and writes one JSON result.  It never prints to stdout: the target's
own output is the target's.

What belongs here: running the work and timing it, the probe and resident memory of
each worker, the per-worker and per-task overheads and the communication round trips.
What does not: deciding anything (pvm.compare.verdict) or showing it (pvm.compare.render).

Modes:
    check        import the target; callable? coroutine function? picklable?
    sequential   every item in turn, in this thread
    threads      N threading.Thread workers, items dealt round-robin
    processes    N multiprocessing.Process workers by one start method
    thread-pool  ThreadPoolExecutor(N).map over the items
    process-pool ProcessPoolExecutor(N, mp_context=start method).map
    asyncio      gather of the coroutine (or the target's async twin), N at a time
    comms        round trips: a shared variable under a Lock (threads), Pipe, Queue and
                 SharedMemory (processes, fork), for each message size
"""

import asyncio
import importlib
import inspect
import json
import multiprocessing
import os
import pickle
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))

# The memory-space probe: a worker writes its name here; the parent looks afterwards.
PROBE = {"writer": None}

_TARGETS = {}


class TargetFailed(Exception):
    """The target raised in a worker; args[0] is the formatted traceback."""


# -- the target -------------------------------------------------------------------


def load_target(target):
    """Return (function, async twin or None) named by the spec's target entry."""
    key = json.dumps(target, sort_keys=True)
    if key in _TARGETS:
        return _TARGETS[key]
    kind, name, function = target["kind"], target["name"], target.get("function")
    if kind == "builtin":
        if HERE not in sys.path:
            sys.path.insert(0, HERE)
        import pvm_compare_builtin

        found = pvm_compare_builtin.WORKLOADS[name]
    else:
        if kind == "file":
            directory, base = os.path.split(os.path.abspath(name))
            module_name = os.path.splitext(base)[0]
            if directory not in sys.path:
                sys.path.insert(0, directory)
        else:
            module_name = name
            cwd = target.get("cwd") or os.getcwd()
            if cwd not in sys.path:
                sys.path.insert(0, cwd)
        module = importlib.import_module(module_name)
        obj = module
        for part in function.split("."):
            obj = getattr(obj, part)
        found = (obj, None)
    _TARGETS[key] = found
    return found


def call_one(function, item, args):
    """Call the target once on one item (a coroutine function runs on its own loop)."""
    call_args = ([] if item is None else [item]) + list(args)
    result = function(*call_args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return result


def run_chunk(function, chunk, args):
    """Call the target on each item of chunk; return the formatted traceback if it raised."""
    try:
        for item in chunk:
            call_one(function, item, args)
    except BaseException:  # noqa: BLE001 - reported to the host, whatever it was
        return traceback.format_exc()
    return None


def rss_kib():
    """Return this process's resident memory in KiB (None where /proc is not there)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def deal(items, n):
    """Split items round-robin among n workers."""
    return [items[i::n] for i in range(n)]


# -- workers (module level: process workers find them by name) ----------------------


def thread_worker(function, chunk, args, out, index):
    PROBE["writer"] = f"worker-{index}"
    error = run_chunk(function, chunk, args)
    out[index] = {"error": error, "rss_kib": rss_kib(), "pid": os.getpid()}


def process_worker(function, chunk, args, conn, index):
    PROBE["writer"] = f"worker-{index}"
    error = run_chunk(function, chunk, args)
    conn.send({"error": error, "rss_kib": rss_kib(), "pid": os.getpid()})
    conn.close()


def pool_task(function, item, args):
    PROBE["writer"] = "pool task"
    error = run_chunk(function, [item], args)
    return {"error": error, "rss_kib": rss_kib(), "pid": os.getpid()}


def nothing():
    return None


# -- modes ----------------------------------------------------------------------------


def _raise_first(reports):
    for report in reports:
        if report and report.get("error"):
            raise TargetFailed(report["error"])


def _memory(reports):
    """Return resident memory per worker process: {pid: KiB}, one entry per process."""
    per_pid = {}
    for report in reports:
        if report and report.get("rss_kib") is not None:
            per_pid[report["pid"]] = report["rss_kib"]
    return per_pid


def run_threads(spec, n):
    function, args = load_target(spec["target"])[0], spec["args"]
    out = [None] * n
    threads = [
        threading.Thread(
            target=thread_worker, args=(function, chunk, args, out, i), name=f"worker-{i}"
        )
        for i, chunk in enumerate(deal(spec["items"], n))
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, out


def run_processes(spec, n):
    # The function itself travels to the workers (pickled by reference, except by fork),
    # as it would in the user's own program.
    function, args = load_target(spec["target"])[0], spec["args"]
    ctx = multiprocessing.get_context(spec["start_method"])
    pipes, procs = [], []
    for i, chunk in enumerate(deal(spec["items"], n)):
        receiver, sender = ctx.Pipe(duplex=False)
        procs.append(
            ctx.Process(
                target=process_worker, args=(function, chunk, args, sender, i), name=f"worker-{i}"
            )
        )
        pipes.append((receiver, sender))
    started = time.perf_counter()
    for p in procs:
        p.start()
    reports = []
    for (receiver, sender), p in zip(pipes, procs):
        sender.close()
        try:
            reports.append(receiver.recv())
        except EOFError:
            reports.append({"error": f"worker {p.name} ended without a report"})
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    for p in procs:
        if p.exitcode and not any(r.get("error") for r in reports):
            reports.append({"error": f"worker {p.name} exited with status {p.exitcode}"})
    return elapsed, reports


def _executor(spec, n):
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    if spec["mode"] == "thread-pool":
        return ThreadPoolExecutor(max_workers=n)
    ctx = multiprocessing.get_context(spec["start_method"])
    return ProcessPoolExecutor(max_workers=n, mp_context=ctx)


def run_pool(spec, n):
    function, args, items = load_target(spec["target"])[0], spec["args"], spec["items"]
    started = time.perf_counter()
    with _executor(spec, n) as ex:
        reports = list(ex.map(pool_task, [function] * len(items), items, [args] * len(items)))
    return time.perf_counter() - started, reports


def run_asyncio(spec, n):
    function, twin = load_target(spec["target"])
    coroutine_function = twin or function
    args = spec["args"]

    async def limited(gate, item):
        async with gate:
            await coroutine_function(*(([] if item is None else [item]) + list(args)))

    async def main():
        gate = asyncio.Semaphore(n)
        PROBE["writer"] = "task"
        await asyncio.gather(*(limited(gate, item) for item in spec["items"]))

    started = time.perf_counter()
    try:
        asyncio.run(main())
    except BaseException:  # noqa: BLE001 - reported to the host
        raise TargetFailed(traceback.format_exc()) from None
    return time.perf_counter() - started, [
        {"error": None, "rss_kib": rss_kib(), "pid": os.getpid()}
    ]


def run_sequential(spec, n):
    started = time.perf_counter()
    function = load_target(spec["target"])[0]
    error = run_chunk(function, spec["items"], spec["args"])
    elapsed = time.perf_counter() - started
    return elapsed, [{"error": error, "rss_kib": rss_kib(), "pid": os.getpid()}]


RUNNERS = {
    "sequential": run_sequential,
    "threads": run_threads,
    "processes": run_processes,
    "thread-pool": run_pool,
    "process-pool": run_pool,
    "asyncio": run_asyncio,
}


# -- overheads -------------------------------------------------------------------------


def thread_startup(count):
    """Seconds to start and join one empty thread (mean of count)."""
    started = time.perf_counter()
    for _ in range(count):
        t = threading.Thread(target=nothing)
        t.start()
        t.join()
    return (time.perf_counter() - started) / count


def process_startup(method, count):
    """Seconds to start and join one empty process by method (the forkserver's own start not counted)."""
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
    started = time.perf_counter()
    for _ in range(count):
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
    return (time.perf_counter() - started) / count


def per_task(spec, count):
    """Seconds per empty task submitted to a running executor (or asyncio task)."""
    if spec["mode"] == "asyncio":

        async def empty():
            return None

        async def main():
            started = time.perf_counter()
            await asyncio.gather(*(asyncio.create_task(empty()) for _ in range(count)))
            return time.perf_counter() - started

        return asyncio.run(main()) / count
    with _executor(spec, 2) as ex:
        ex.submit(nothing).result()  # the workers are up
        started = time.perf_counter()
        for future in [ex.submit(nothing) for _ in range(count)]:
            future.result()
        return (time.perf_counter() - started) / count


def overhead(spec):
    count = spec.get("overhead_count", 20)
    mode = spec["mode"]
    if mode == "threads":
        return {"startup_s": thread_startup(count)}
    if mode == "processes":
        slow = spec["start_method"] == "spawn"
        return {"startup_s": process_startup(spec["start_method"], 2 if slow else 5)}
    if mode in ("thread-pool", "process-pool", "asyncio"):
        return {"per_task_s": per_task(spec, count * 5)}
    return {}


# -- communication --------------------------------------------------------------------


def lock_round_trips(payload, n):
    """Round trips through a shared variable under a Lock, each side woken by a semaphore."""
    shared = {"message": None, "reply": None}
    lock = threading.Lock()
    to_worker, to_parent = threading.Semaphore(0), threading.Semaphore(0)

    def echo():
        for _ in range(n):
            to_worker.acquire()
            with lock:
                shared["reply"] = shared["message"]  # the same object: nothing is copied
            to_parent.release()

    t = threading.Thread(target=echo)
    t.start()
    started = time.perf_counter()
    for _ in range(n):
        with lock:
            shared["message"] = payload
        to_worker.release()
        to_parent.acquire()
        with lock:
            assert len(shared["reply"]) == len(payload)
    elapsed = time.perf_counter() - started
    t.join()
    return elapsed


def pipe_echo(conn, n):
    for _ in range(n):
        conn.send_bytes(conn.recv_bytes())


def queue_echo(inq, outq, n):
    for _ in range(n):
        outq.put(inq.get())


def shm_echo(name, size, to_child, to_parent, n):
    from multiprocessing import shared_memory

    shm = shared_memory.SharedMemory(name=name)
    buf = shm.buf
    for _ in range(n):
        to_child.acquire()
        buf[size : 2 * size] = bytes(buf[:size])
        to_parent.release()
    del buf
    shm.close()


def pipe_round_trips(payload, n):
    ctx = multiprocessing.get_context("fork")
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


def queue_round_trips(payload, n):
    ctx = multiprocessing.get_context("fork")
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


def shm_round_trips(payload, n):
    from multiprocessing import shared_memory

    ctx = multiprocessing.get_context("fork")
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


CHANNELS = {
    "lock": lock_round_trips,
    "pipe": pipe_round_trips,
    "queue": queue_round_trips,
    "shared_memory": shm_round_trips,
}


def comms(spec):
    rows = []
    for channel, run in CHANNELS.items():
        for size, trips in spec["comms"]:
            seconds = run(b"x" * size, trips) / trips
            rows.append(
                {
                    "channel": channel,
                    "bytes": size,
                    "latency_s": seconds,
                    "throughput_bps": 2 * size / seconds if seconds > 0 else None,
                }
            )
    return {"communication": rows}


# -- the program ----------------------------------------------------------------------


def check(spec):
    function, twin = load_target(spec["target"])
    info = {
        "callable": callable(function),
        "coroutine": inspect.iscoroutinefunction(function),
        "async_twin": twin is not None,
        "picklable": True,
        "not_picklable": None,
        "qualname": getattr(function, "__qualname__", None)
        or f"an object of type {type(function).__name__}",
    }
    try:
        pickle.dumps(function)
    except Exception as exc:  # noqa: BLE001 - pickle raises several kinds
        info["picklable"] = False
        info["not_picklable"] = f"{type(exc).__name__}: {exc}"
    return info


def measure(spec):
    mode = spec["mode"]
    if mode == "check":
        return {"check": check(spec)}
    if mode == "comms":
        return comms(spec)
    load_target(spec["target"])
    runner = RUNNERS[mode]
    # With a baseline, each round runs the work sequentially too, just before the model's
    # runs, and speed-ups divide the best of those by the best of the model's: a load that
    # comes and goes between children (or rounds) then weighs on both sides alike.
    baseline = spec.get("baseline", False) and mode != "sequential"
    best = {}
    memory = {}
    probe_seen = None
    for _ in range(spec.get("repeat", 1)):
        if baseline:
            elapsed, reports = run_sequential(spec, 1)
            _raise_first(reports)
            best["baseline"] = min(best.get("baseline", elapsed), elapsed)
        for n in spec["workers"]:
            PROBE["writer"] = None
            elapsed, reports = runner(spec, n)
            _raise_first(reports)
            probe_seen = PROBE["writer"] is not None
            best[n] = min(best.get(n, elapsed), elapsed)
            memory[n] = _memory(reports)
    runs = [
        {"workers": n, "seconds": best[n], "rss_kib": sorted(memory[n].values())}
        for n in spec["workers"]
    ]
    result = {"runs": runs, "probe_visible": probe_seen, "main_pid": os.getpid()}
    if baseline:
        result["baseline_s"] = best["baseline"]
    if spec.get("overhead", True):
        result.update(overhead(spec))
    return result


def main(argv):
    with open(argv[1]) as f:
        spec = json.load(f)
    try:
        result = {"ok": True, **measure(spec)}
    except TargetFailed as exc:
        result = {"ok": False, "error": {"kind": "raised", "traceback": exc.args[0]}}
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the host as data
        kind = "import" if isinstance(exc, (ImportError, AttributeError)) else "raised"
        if isinstance(exc, SyntaxError):
            kind = "import"
        result = {"ok": False, "error": {"kind": kind, "traceback": traceback.format_exc()}}
    with open(spec["result"], "w") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
