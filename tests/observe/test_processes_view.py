"""`pvm gil` and `pvm memory` on programs with several processes: one trace, one report.

Each run has its own process group and a time limit; afterwards no process of the group
may be left.  Nothing here checks a timing beyond "both processes held their GIL in a
common window of the side-by-side table" (the program keeps both CPU-bound for long
enough that this holds on a loaded 2-core machine).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import pytest
from helpers import PYTHON, base_env

from pvm.observe import proctrace
from pvm.observe.ipc import IPCEvent, IPCKind, event_dict

PROGRAMS = Path(__file__).parent / "process_programs"
HANG = 180.0


def _group(pgid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            fields = stat[stat.rindex(b")") + 2 :].split()
        except (OSError, ValueError):
            continue
        if fields[0] != b"Z" and int(fields[2]) == pgid:
            out.append(int(entry))
    return out


def run_group(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run argv in a new process group; fail on a hang or on a process left behind."""
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=base_env({"COLUMNS": "200"}),
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"{argv} hung for {HANG} s")
    deadline = time.monotonic() + 20
    while _group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _group(proc.pid)
    if left:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"processes left behind: {left}")
    return subprocess.CompletedProcess(
        argv, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    )


# -- reading a report -------------------------------------------------------------------


def table_after(text: str, title: str) -> tuple[list[str], list[list[str]]]:
    """Return the headers and rows of the first markdown table after a line starting with title."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
        elif rows:
            break
    headers, body = rows[0], [r for r in rows[2:]]
    return headers, body


def slices(trace: dict, cat: str) -> dict[tuple[int, int], list[dict]]:
    """Return the complete ("X") slices of a category, by (pid, tid)."""
    out: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for e in trace["traceEvents"]:
        if e["ph"] == "X" and e.get("cat") == cat:
            out[(e["pid"], e["tid"])].append(e)
    return out


def enclosing(track: list[dict], ts: float) -> list[dict]:
    """Return the slices of a track that contain ts strictly."""
    return [s for s in track if s["ts"] < ts < s["ts"] + s["dur"]]


def check_flows(trace: dict) -> list[tuple[dict, dict, dict, dict]]:
    """Check every flow's shape; return (start, finish, send slice, receive slice) per flow."""
    flows: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for e in trace["traceEvents"]:
        if e["ph"] in ("s", "f"):
            flows[e["id"]][e["ph"]].append(e)
    ipc = slices(trace, "ipc")
    out = []
    for fid, ends in sorted(flows.items()):
        assert len(ends["s"]) == 1 and len(ends["f"]) == 1, (fid, ends)
        s, f = ends["s"][0], ends["f"][0]
        assert f.get("bp") == "e"
        assert s["ts"] <= f["ts"], (s, f)
        (send,) = enclosing(ipc[(s["pid"], s["tid"])], s["ts"])
        (recv,) = enclosing(ipc[(f["pid"], f["tid"])], f["ts"])
        assert send["name"].startswith("send ") and recv["name"].startswith("recv ")
        assert send["args"]["digest"] == recv["args"]["digest"]
        assert send["args"]["bytes"] == recv["args"]["bytes"] > 0
        assert send["args"]["message"] == recv["args"]["message"] == fid
        out.append((s, f, send, recv))
    return out


# -- the acceptance program: producer and consumer over a Queue -------------------------


def _producer_consumer(tmp_path: Path, method: str) -> None:
    trace_path = tmp_path / "trace.json"
    n = 4
    prog = str(PROGRAMS / "producer_consumer.py")
    result = run_group(
        [PYTHON, "-m", "pvm", "gil", "--slots", "40", "--chrome-trace", str(trace_path),
         prog, method, str(n), "60000"],
        tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "consumed [(0, 0), (1, 100), (2, 200), (3, 300)] producer exit code 0\n"
    )
    trace = json.loads(trace_path.read_text())
    names = {
        e["pid"]: e["args"]["name"]
        for e in trace["traceEvents"]
        if e["ph"] == "M" and e["name"] == "process_name"
    }
    root_pid = trace["otherData"]["processes"][0]["pid"]
    (producer_pid,) = [p for p, name in names.items() if name.startswith("producer ")]
    assert root_pid in names and producer_pid != root_pid
    gil_tracks = slices(trace, "gil")
    for pid in (root_pid, producer_pid):
        assert any(
            s["name"] == "GIL held"
            for (p, _t), track in gil_tracks.items()
            if p == pid
            for s in track
        ), pid
    # One flow per message ("ready", n items, the None that ends), each from the
    # producer's send to the consumer's receive of the same bytes.
    flows = check_flows(trace)
    assert len(flows) == n + 2
    for s, f, _send, _recv in flows:
        assert s["pid"] == producer_pid and f["pid"] == root_pid
    assert trace["otherData"]["messages"] == n + 2
    assert trace["otherData"]["unmatched_sends"] == 0
    assert trace["otherData"]["unmatched_receives"] == 0
    # The side-by-side table: one column per process, and a window where both held
    # their own GIL at once.
    headers, rows = table_after(result.stderr, "Processes side by side")
    root_col = next(i for i, h in enumerate(headers) if h.endswith(f"(pid {root_pid})"))
    prod_col = next(i for i, h in enumerate(headers) if h.endswith(f"(pid {producer_pid})"))
    assert headers[-1] == "Holding"
    both = [
        r for r in rows
        if r[root_col].startswith("GIL Held") and r[prod_col].startswith("GIL Held")
    ]  # fmt: skip
    assert both, result.stderr
    assert all(r[-1] == "2" for r in both)
    # One time-slot table per process, labelled by name and pid.
    assert f"== Process MainProcess (pid {root_pid}): the root" in result.stderr
    assert f"== Process producer (pid {producer_pid}): forked" in result.stderr or (
        f"== Process producer (pid {producer_pid}): a new pvm" in result.stderr
    )
    assert result.stderr.count("Time slots (one row per GIL holding period):") == 2


def test_queue_producer_consumer_fork(tmp_path: Path) -> None:
    _producer_consumer(tmp_path, "fork")


@pytest.mark.slow
@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_queue_producer_consumer_new_pvm(tmp_path: Path, method: str) -> None:
    _producer_consumer(tmp_path, method)


DUPLEX = """\
import multiprocessing as mp
import sys

def child(conn):
    x = conn.recv()
    conn.send(("echo", x))
    conn.send_bytes(b"raw" * 100)
    conn.send(("echo", x))  # the same bytes again: matched in order
    conn.close()

if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    a, b = ctx.Pipe()
    p = ctx.Process(target=child, args=(b,))
    p.start()
    a.send([1, 2, 3])
    print(a.recv(), len(a.recv_bytes()), a.recv())
    p.join()
"""


def test_duplex_pipe_both_ways(tmp_path: Path) -> None:
    """A duplex Pipe is a socketpair: its two ends are joined, messages flow both ways."""
    (tmp_path / "duplex.py").write_text(DUPLEX)
    trace_path = tmp_path / "t.json"
    result = run_group(
        [PYTHON, "-m", "pvm", "gil", "--chrome-trace", str(trace_path), "duplex.py", "fork"],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "('echo', [1, 2, 3]) 300 ('echo', [1, 2, 3])\n"
    trace = json.loads(trace_path.read_text())
    flows = check_flows(trace)
    root = trace["otherData"]["processes"][0]["pid"]
    directions = [(s["pid"] == root, f["pid"] == root) for s, f, _a, _b in flows]
    assert directions == [(True, False), (False, True), (False, True), (False, True)]
    sizes = [send["args"]["bytes"] for _s, _f, send, _r in flows]
    assert sizes[2] == 300 and sizes[1] == sizes[3]


LISTENER = """\
import sys
import multiprocessing as mp
from multiprocessing.connection import Listener, Client


def child(address, key):
    with Client(address, authkey=key) as conn:
        conn.send(("hello", [1, 2, 3]))
        print("child got", len(conn.recv_bytes()))


if __name__ == "__main__":
    mp.set_start_method("fork")
    family = sys.argv[1]
    address = ("127.0.0.1", 0) if family == "AF_INET" else None
    with Listener(address, family=family, authkey=b"secret") as listener:
        p = mp.Process(target=child, args=(listener.address, b"secret"))
        p.start()
        with listener.accept() as conn:
            print("parent got", conn.recv())
            conn.send_bytes(b"x" * 500)
        p.join()
    print("exit", p.exitcode)
"""


@pytest.mark.parametrize("family", ["AF_UNIX", "AF_INET"])
def test_listener_client_messages_are_matched(tmp_path: Path, family: str) -> None:
    """A Listener's connection and its Client are named by their addresses: every message
    of the authkey handshake and the program's own two are matched, each way."""
    (tmp_path / "listener.py").write_text(LISTENER)
    trace_path = tmp_path / "t.json"
    result = run_group(
        [PYTHON, "-m", "pvm", "gil", "--chrome-trace", str(trace_path), "listener.py", family],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "parent got ('hello', [1, 2, 3])\nchild got 500\nexit 0\n"
    trace = json.loads(trace_path.read_text())
    flows = check_flows(trace)
    root = trace["otherData"]["processes"][0]["pid"]
    # The handshake: each side challenges the other (challenge, digest, welcome), then
    # the child's tuple and the parent's 500 bytes.
    assert len(flows) == 8, [(s["pid"], send["args"]["bytes"]) for s, _f, send, _r in flows]
    last_two = [(s["pid"] == root, send["args"]["bytes"]) for s, _f, send, _r in flows[-2:]]
    assert last_two[1] == (True, 500) and last_two[0][0] is False
    assert "8 IPC messages matched" in result.stderr


BARE = """\
import os, subprocess, sys
pid = os.fork()
if pid == 0:
    total = sum(range(1000))
    os._exit(3)
_, status = os.waitpid(pid, 0)
print("fork child", os.waitstatus_to_exitcode(status))
out = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True)
print("subprocess", out.stdout.strip())
"""


def test_bare_fork_and_subprocess_are_shown(tmp_path: Path) -> None:
    """A bare os.fork child (ending in os._exit) and a subprocess of sys.executable record too."""
    (tmp_path / "bare.py").write_text(BARE)
    result = run_group([PYTHON, "-m", "pvm", "gil", "--json", "g.json", "bare.py"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "fork child 3\nsubprocess 42\n"
    assert "3 processes, each with its own GIL" in result.stderr
    assert "forked, parent pid" in result.stderr and "exit status 3" in result.stderr
    assert "a new pvm, parent pid" in result.stderr
    doc = json.loads((tmp_path / "g.json").read_text())
    assert sorted(p["how"] for p in doc["processes"]) == ["exec", "fork"]
    for p in doc["processes"]:
        assert any(e["kind"] == "ACQUIRE" for e in p["events"]), p


def test_one_process_report_unchanged(tmp_path: Path) -> None:
    """A program that starts no process gets the single-process report, as before."""
    (tmp_path / "one.py").write_text("print(sum(range(100)))\n")
    result = run_group([PYTHON, "-m", "pvm", "gil", "one.py"], tmp_path)
    assert result.returncode == 0
    assert "Processes side by side" not in result.stderr
    assert result.stderr.startswith("pvm gil: one.py: policy new")


# -- pvm memory -------------------------------------------------------------------------

MEMORY = """\
import multiprocessing as mp
from multiprocessing import shared_memory
import sys

counter = 0

def child(name):
    global counter
    counter = 99
    shm = shared_memory.SharedMemory(name=name)
    shm.buf[5:10] = b"world"
    shm.close()

if __name__ == "__main__":
    shm = shared_memory.SharedMemory(create=True, size=4096)
    shm.buf[:5] = b"hello"
    p = mp.get_context("fork").Process(target=child, args=(shm.name,), name="writer")
    p.start()
    p.join()
    print("parent:", bytes(shm.buf[:10]), counter)
    shm.close()
    shm.unlink()
"""


def test_memory_snapshots_in_each_process(tmp_path: Path) -> None:
    """Each process has its own heap; a shared memory block shows in both that map it."""
    (tmp_path / "mem.py").write_text(MEMORY)
    # Line 12 (shm.close() in the child) and line 21 (shm.close() in the parent).
    result = run_group(
        [PYTHON, "-m", "pvm", "memory", "--at", "12", "--at", "21", "--format", "json",
         "-o", "m.json", "mem.py"],
        tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "parent: b'helloworld' 0\n"
    doc = json.loads((tmp_path / "m.json").read_text())
    assert doc["process"]["how"] == "root"
    (child,) = doc["processes"]
    assert child["name"] == "writer" and child["how"] == "fork"

    def counter_and_blocks(d: dict) -> tuple[str, list[str], str]:
        (snap,) = d["snapshots"]
        heap = {o["id"]: o for o in snap["heap"]["objects"]}
        (main,) = [m for m in snap["data_segment"]["modules"] if m["module"] == "__main__"]
        ref = next(g["ref"] for g in main["globals"] if g["name"] == "counter")
        blocks = snap.get("shared_memory", [])
        holder = heap[blocks[0]["objects"][0]] if blocks and blocks[0]["objects"] else {}
        first = holder.get("shared_memory", {}).get("first_bytes", "")
        return heap[ref]["value"], [b["name"] for b in blocks], first

    parent_counter, parent_blocks, parent_bytes = counter_and_blocks(doc)
    child_counter, child_blocks, child_bytes = counter_and_blocks(child["document"])
    assert (parent_counter, child_counter) == ("0", "99")
    assert parent_blocks == child_blocks and len(parent_blocks) == 1
    hello_world = b"helloworld".hex(" ")
    assert child_bytes.startswith(hello_world) and parent_bytes.startswith(hello_world)


def test_memory_text_labels_processes(tmp_path: Path) -> None:
    (tmp_path / "mem.py").write_text(MEMORY)
    result = run_group([PYTHON, "-m", "pvm", "memory", "--at", "child", "mem.py"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "== Process MainProcess (pid " in result.stdout
    assert "== Process writer (pid " in result.stdout
    assert "Shared memory (mapped by this process)" in result.stdout
    # --at child happened in the child only: not reported as never happened.
    assert "never called" not in result.stderr


# -- matching, from records ---------------------------------------------------------------


def _record(pid: int, events: list[IPCEvent]) -> dict:
    return {"pid": pid, "ppid": 1, "name": f"p{pid}", "how": "fork", "argv": [],
            "gil_events": [], "ipc": [event_dict(e) for e in events]}  # fmt: skip


def _ev(kind: IPCKind, channel: tuple[int, int], digest: str, t0: int, t1: int) -> IPCEvent:
    return IPCEvent(kind, channel, 8, digest, 1, "MainThread", t0, t1, "f (x.py)")


def test_matching_is_fifo_per_channel_and_by_content() -> None:
    from pvm.observe.giltrace import RunInfo

    a, b, c = (0, 10), (0, 11), (0, 12)
    root = _record(100, [
        _ev(IPCKind.SEND, a, "aa", 10, 20),
        _ev(IPCKind.SEND, a, "aa", 30, 40),  # the same bytes again
        _ev(IPCKind.SEND, c, "cc", 50, 60),  # nobody reads channel c
        _ev(IPCKind.SEND, b, "bb", 70, 80),
    ])  # fmt: skip
    child = _record(200, [
        _ev(IPCKind.RECV, a, "aa", 15, 25),
        _ev(IPCKind.RECV, a, "aa", 26, 45),
        _ev(IPCKind.RECV, b, "bb", 60, 65),  # ended before the send began: not it
        _ev(IPCKind.RECV, b, "zz", 90, 95),  # bytes nobody sent
    ])  # fmt: skip
    tree = proctrace.build(root, [child], RunInfo(program="x.py"))
    pairs = [(m.send.t0, m.recv.t1) for m in tree.messages]
    assert pairs == [(10, 25), (30, 45)]
    assert sorted(s.t0 for _p, s in tree.unmatched_sends) == [50, 70]
    assert sorted(r.t1 for _p, r in tree.unmatched_recvs) == [65, 95]


def test_link_joins_the_ends_of_a_duplex_pipe() -> None:
    from pvm.observe.giltrace import RunInfo

    end1, end2 = (0, 21), (0, 22)
    root = _record(100, [
        IPCEvent(IPCKind.LINK, end1, 0, "0:22", 1, "MainThread", 1, 1, ""),
        _ev(IPCKind.SEND, end1, "m1", 10, 11),
    ])  # fmt: skip
    child = _record(200, [_ev(IPCKind.RECV, end2, "m1", 5, 12)])
    tree = proctrace.build(root, [child], RunInfo(program="x.py"))
    assert [(m.sender, m.receiver) for m in tree.messages] == [(100, 200)]
    trace = proctrace.chrome_trace(tree)
    assert len(check_flows(trace)) == 1
