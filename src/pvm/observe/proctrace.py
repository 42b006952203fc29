"""A process tree on one timeline: per-process GIL timelines, IPC messages matched, one trace.

What belongs here: turning the records of every process of a run (pvm.observe.processes)
into per-process GIL timelines on the machine's shared clock, matching each received
message to the message sent, the side-by-side view of the processes' GILs, and the
Chrome trace of the whole tree.  What does not: recording (processes, ipc, giltrace's
Recorder) and printing tables (pvm.observe.render.proctables).

How a receive is matched to its send, without guessing:

    1. channels: each message went through a kernel object, (st_dev, st_ino) of its fd;
       a pipe's two ends share one, a duplex Pipe's socketpair ends are joined by the
       LINK event Pipe() published where it was made;
    2. on one channel bytes come out in the order they went in (a pipe is FIFO, and
       multiprocessing serialises writers with a lock), so the receives of a channel,
       in time order, take the sends of that channel in time order;
    3. a receive takes the earliest unmatched send on its channel whose bytes have the
       same digest and size and that began before the receive ended.

A receive with no such send (its sender was not observed, or was killed before it wrote
its record) stays unmatched, and so does a send that nobody read; the report counts them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pvm.observe import giltrace, processes
from pvm.observe.giltrace import Clock, ThreadState
from pvm.observe.ipc import IPCEvent, IPCKind, event_from_dict

# IPC slices go on a track of their own per thread (tid = IPC_TID + thread number): a
# send or receive call spans the GIL's release around its I/O, so on the thread's GIL
# track it would cross the held/blocked slices.
IPC_TID = 1000


@dataclass
class ProcessView:
    """One process of the tree: who it is, its GIL timeline and its IPC events."""

    pid: int
    ppid: int
    name: str
    how: str  # "root", "exec" (a new pvm: spawn, forkserver, subprocess) or "fork"
    argv: list[str]
    exit_status: int | None
    timeline: giltrace.Timeline
    ipc: list[IPCEvent]
    started: int  # perf_counter_ns when it began recording
    ended: int

    @property
    def label(self) -> str:
        """Return how tables and traces name the process: ``Process-1 (pid 4242)``."""
        return f"{self.name} (pid {self.pid})"

    def absolute(self, t: int) -> int:
        """Return a time of its timeline (relative to its first event) on the machine clock."""
        return self.timeline.t0 + t


@dataclass(frozen=True)
class Message:
    """One message: the send and the receive that took its bytes."""

    index: int  # 1-based, in order of the receive
    sender: int  # pid
    send: IPCEvent
    receiver: int
    recv: IPCEvent

    @property
    def nbytes(self) -> int:
        """Return the payload's size."""
        return self.send.nbytes


@dataclass
class TreeView:
    """Every process of one run, and the messages between them."""

    program: str
    processes: list[ProcessView]  # the root first, then in order of start
    messages: list[Message]
    unmatched_sends: list[tuple[int, IPCEvent]] = field(default_factory=list)
    unmatched_recvs: list[tuple[int, IPCEvent]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)  # started, no record
    t0: int = 0  # machine clock at the earliest event of any process
    end: int = 0

    def by_pid(self) -> dict[int, ProcessView]:
        """Return the processes by pid."""
        return {p.pid: p for p in self.processes}


def _view(record: dict[str, Any], info: giltrace.RunInfo | None = None) -> ProcessView:
    events = processes.gil_events(record)
    info = info or processes.run_info(record)
    timeline = giltrace.analyse(events, info)
    ipc_events = [event_from_dict(d) for d in record.get("ipc", ())]
    return ProcessView(
        pid=int(record["pid"]),
        ppid=int(record.get("ppid", 0)),
        name=str(record.get("name", "")),
        how=str(record.get("how", "")),
        argv=list(record.get("argv", [])),
        exit_status=record.get("exit_status"),
        timeline=timeline,
        ipc=ipc_events,
        started=int(record.get("started_ns", timeline.t0)),
        ended=int(record.get("ended_ns", timeline.t0 + timeline.span)),
    )


def build(
    root: dict[str, Any],
    children: list[dict[str, Any]],
    root_info: giltrace.RunInfo,
    missing: list[dict[str, Any]] | None = None,
) -> TreeView:
    """Return the tree of a root's record and its children's records."""
    views = [_view(root, root_info)]
    views += sorted((_view(r) for r in children), key=lambda v: (v.started, v.pid))
    starts = [v.timeline.t0 for v in views if v.timeline.events]
    ends = [v.timeline.t0 + v.timeline.span for v in views if v.timeline.events]
    for v in views:
        for e in v.ipc:
            starts.append(e.t0)
            ends.append(e.t1)
    tree = TreeView(
        program=root_info.program,
        processes=views,
        messages=[],
        missing=list(missing or []),
        t0=min(starts) if starts else 0,
        end=max(ends) if ends else 0,
    )
    match_messages(tree)
    return tree


class _Channels:
    """Union-find over channels: the ends of one duplex Pipe are one channel."""

    def __init__(self) -> None:
        self.parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(self, c: tuple[int, int]) -> tuple[int, int]:
        """Return the channel's representative."""
        root = c
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(c, c) != root:  # path compression
            self.parent[c], c = root, self.parent[c]
        return root

    def join(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        """Make a and b one channel."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def match_messages(tree: TreeView) -> None:
    """Pair every receive with the send whose bytes it took (the module docstring's rules)."""
    channels = _Channels()
    sends: dict[tuple[int, int], list[tuple[int, IPCEvent]]] = defaultdict(list)
    recvs: list[tuple[int, IPCEvent]] = []
    for view in tree.processes:
        for e in view.ipc:
            if e.kind is IPCKind.LINK:
                dev, _, ino = e.digest.partition(":")
                if dev.lstrip("-").isdigit() and ino.lstrip("-").isdigit():
                    channels.join(e.channel, (int(dev), int(ino)))
    for view in tree.processes:
        for e in view.ipc:
            if e.kind is IPCKind.SEND:
                sends[channels.find(e.channel)].append((view.pid, e))
            elif e.kind is IPCKind.RECV:
                recvs.append((view.pid, e))
    for queue in sends.values():
        queue.sort(key=lambda pe: (pe[1].t0, pe[1].t1, pe[0]))
    taken: set[int] = set()
    recvs.sort(key=lambda pe: (pe[1].t1, pe[1].t0, pe[0]))
    messages = []
    first: dict[tuple[int, int], int] = defaultdict(int)  # sends before it are all taken
    for pid, r in recvs:
        found = None
        key = channels.find(r.channel)
        queue = sends.get(key, [])
        while first[key] < len(queue) and id(queue[first[key]][1]) in taken:
            first[key] += 1
        for spid, s in queue[first[key] :]:
            if s.t0 > r.t1:
                break  # later sends cannot have been read yet
            if id(s) in taken or s.digest != r.digest or s.nbytes != r.nbytes:
                continue
            found = (spid, s)
            break
        if found is None:
            tree.unmatched_recvs.append((pid, r))
            continue
        taken.add(id(found[1]))
        messages.append(Message(len(messages) + 1, found[0], found[1], pid, r))
    tree.messages = messages
    tree.unmatched_sends = [
        (pid, s) for queue in sends.values() for pid, s in queue if id(s) not in taken
    ]


# -- the processes side by side -------------------------------------------------------


class ProcessState:
    """What a process's GIL does in a window of the side-by-side table (cell texts)."""

    HELD = "GIL Held"
    FREE = "GIL free"  # alive, but no thread of it runs guest code (all wait or block)
    NOT_STARTED = "Not started"
    FINISHED = "Finished"


@dataclass(frozen=True)
class Window:
    """One row of the side-by-side table: a stretch of the machine clock."""

    index: int
    start: int  # relative to the tree's t0
    end: int
    cells: dict[int, str]  # pid -> ProcessState text (HELD may name the holding thread)
    holding: int  # how many processes held their GIL for most of the window


def _held_spans(view: ProcessView) -> list[tuple[int, int, int]]:
    """Return (start, end, thread) of every GIL holding of a process, on the machine clock."""
    return [
        (view.absolute(iv.start), view.absolute(iv.end), iv.thread)
        for iv in view.timeline.intervals
        if iv.state is ThreadState.HELD
    ]


def windows(tree: TreeView, count: int) -> list[Window]:
    """Cut the tree's span into count equal windows and say what each process's GIL did."""
    span = tree.end - tree.t0
    if span <= 0 or count < 1:
        return []
    held = {v.pid: _held_spans(v) for v in tree.processes}
    alive = {}
    for v in tree.processes:
        first = v.timeline.t0 if v.timeline.events else v.started
        last = v.absolute(v.timeline.span) if v.timeline.events else v.ended
        alive[v.pid] = (first, last)
    names = {v.pid: v.timeline.names() for v in tree.processes}
    out = []
    for i in range(count):
        a = tree.t0 + span * i // count
        b = tree.t0 + span * (i + 1) // count
        cells: dict[int, str] = {}
        holding = 0
        for v in tree.processes:
            first, last = alive[v.pid]
            live = max(0, min(b, last) - max(a, first))
            by_thread: dict[int, int] = defaultdict(int)
            for s, e, thread in held[v.pid]:
                if e > a and s < b:
                    by_thread[thread] += min(b, e) - max(a, s)
            held_time = sum(by_thread.values())
            before = max(0, min(b, first) - a)
            after = max(0, b - max(a, last))
            times = {
                ProcessState.HELD: held_time,
                ProcessState.FREE: live - held_time,
                ProcessState.NOT_STARTED: before,
                ProcessState.FINISHED: after,
            }
            best = max(times, key=lambda k: times[k])
            if best == ProcessState.HELD:
                holding += 1
                if len(names[v.pid]) > 1:
                    top = max(by_thread, key=lambda t: by_thread[t])
                    best = f"{best}: {names[v.pid].get(top, top)}"
            cells[v.pid] = best
        out.append(Window(i + 1, a - tree.t0, b - tree.t0, cells, holding))
    return out


# -- the Chrome trace of the tree ------------------------------------------------------


def _us(tree: TreeView, t: int) -> float:
    """Return a machine-clock time as microseconds since the tree's start (ns precision)."""
    return round((t - tree.t0) / 1000, 3)


_TRACE_NAMES = {
    ThreadState.HELD: "GIL held",
    ThreadState.WAITING: "waiting for the GIL",
    ThreadState.BLOCKED: "blocked",
}


def chrome_trace(tree: TreeView) -> dict[str, Any]:
    """Return one Chrome trace-event document for every process of the tree.

    A process track per pid (named), a thread track per thread with its GIL slices, an
    IPC track per thread that sent or received messages (a slice per send and receive,
    with the size in bytes), and a flow arrow (flow events "s"/"f" with one id, bound to
    the enclosing slices) from each message's send to its receive.
    """
    meta: list[dict[str, Any]] = []
    timed: list[dict[str, Any]] = []
    for order, view in enumerate(tree.processes):
        pid = view.pid
        meta.append(_meta("process_name", pid, 0, name=view.label))
        meta.append(_meta("process_sort_index", pid, 0, sort_index=order))
        labels = f"{view.how}; parent pid {view.ppid}" if view.how != "root" else "root"
        meta.append(_meta("process_labels", pid, 0, labels=labels))
        names = view.timeline.names()
        for thread, name in names.items():
            meta.append(_meta("thread_name", pid, thread, name=name))
            meta.append(_meta("thread_sort_index", pid, thread, sort_index=thread))
        for iv in view.timeline.intervals:
            args: dict[str, Any] = {}
            if iv.label:
                args["why" if iv.state is ThreadState.HELD else "call"] = iv.label
            timed.append(
                {
                    "name": _TRACE_NAMES[iv.state],
                    "cat": "gil",
                    "ph": "X",
                    "ts": _us(tree, view.absolute(iv.start)),
                    "dur": round((iv.end - iv.start) / 1000, 3),
                    "pid": pid,
                    "tid": iv.thread,
                    "args": args,
                }
            )
        for thread, t in view.timeline.drop_requests:
            timed.append(
                {
                    "name": "drop request",
                    "cat": "gil",
                    "ph": "i",
                    "s": "t",
                    "ts": _us(tree, view.absolute(t)),
                    "pid": pid,
                    "tid": thread,
                }
            )
        ipc_threads = {}
        for e in view.ipc:
            if e.kind is not IPCKind.LINK:
                ipc_threads[e.thread] = e.thread_name or names.get(e.thread, str(e.thread))
        for thread, name in sorted(ipc_threads.items()):
            meta.append(_meta("thread_name", pid, IPC_TID + thread, name=f"{name}: IPC"))
            meta.append(
                _meta("thread_sort_index", pid, IPC_TID + thread, sort_index=IPC_TID + thread)
            )
    message_of: dict[int, Message] = {}
    for m in tree.messages:
        message_of[id(m.send)] = m
        message_of[id(m.recv)] = m
    for view in tree.processes:
        for e in view.ipc:
            if e.kind is IPCKind.LINK:
                continue
            m = message_of.get(id(e))
            verb = "send" if e.kind is IPCKind.SEND else "recv"
            start, dur = _us(tree, e.t0), max(round((e.t1 - e.t0) / 1000, 3), 0.002)
            args = {
                "bytes": e.nbytes,
                "digest": e.digest,
                "channel": f"{e.channel[0]}:{e.channel[1]}",
                "where": e.where,
                "message": m.index if m is not None else None,
            }
            if m is not None:
                peer = m.receiver if e.kind is IPCKind.SEND else m.sender
                args["to" if e.kind is IPCKind.SEND else "from"] = peer
            tid = IPC_TID + e.thread
            timed.append(
                {
                    "name": f"{verb} {e.nbytes} B",
                    "cat": "ipc",
                    "ph": "X",
                    "ts": start,
                    "dur": dur,
                    "pid": view.pid,
                    "tid": tid,
                    "args": args,
                }
            )
            if m is None:
                continue
            # Strictly inside the slice (1 ns in), so that the flow binds to it whatever
            # the order of equal timestamps in the viewer: the arrow leaves as the send
            # begins and arrives as the receive ends, which is later on the shared clock.
            inset = min(0.001, dur / 2)
            flow = {
                "name": f"message {m.index} ({m.nbytes} B)",
                "cat": "ipc",
                "id": m.index,
                "pid": view.pid,
                "tid": tid,
                "ts": round(start + inset if e.kind is IPCKind.SEND else start + dur - inset, 3),
            }
            if e.kind is IPCKind.SEND:
                timed.append({**flow, "ph": "s"})
            else:
                timed.append({**flow, "ph": "f", "bp": "e"})
    order = {"X": 0, "i": 1, "s": 2, "f": 2}
    timed.sort(key=lambda e: (e["ts"], order[e["ph"]], e["pid"], e["tid"]))
    root = tree.processes[0]
    return {
        "traceEvents": meta + timed,
        "displayTimeUnit": "ms",
        "otherData": {
            **root.timeline.info.as_dict(),
            "time_axis": "microseconds since the first event of any process (CLOCK_MONOTONIC)",
            "processes": [
                {
                    "pid": v.pid,
                    "ppid": v.ppid,
                    "name": v.name,
                    "how": v.how,
                    "argv": v.argv,
                    "exit_status": v.exit_status,
                }
                for v in tree.processes
            ],
            "messages": len(tree.messages),
            "unmatched_sends": len(tree.unmatched_sends),
            "unmatched_receives": len(tree.unmatched_recvs),
            "processes_without_record": [
                {"pid": s.get("pid"), "argv": s.get("argv", [])} for s in tree.missing
            ],
        },
    }


def _meta(kind: str, pid: int, tid: int, **args: Any) -> dict[str, Any]:
    return {"name": kind, "ph": "M", "pid": pid, "tid": tid, "args": args}


def tree_json(tree: TreeView) -> dict[str, Any]:
    """Return the root's pvm-gil JSON with every other process's beside it."""
    doc = giltrace.timeline_json(tree.processes[0].timeline)
    doc["pid"] = tree.processes[0].pid
    doc["processes"] = [
        {
            "pid": v.pid,
            "ppid": v.ppid,
            "name": v.name,
            "how": v.how,
            **{k: val for k, val in giltrace.timeline_json(v.timeline).items() if k != "format"},
        }
        for v in tree.processes[1:]
    ]
    doc["messages"] = [
        {
            "message": m.index,
            "bytes": m.nbytes,
            "digest": m.send.digest,
            "from": {"pid": m.sender, "thread": m.send.thread, "where": m.send.where},
            "to": {"pid": m.receiver, "thread": m.recv.thread, "where": m.recv.where},
            "sent": [m.send.t0 - tree.t0, m.send.t1 - tree.t0],
            "received": [m.recv.t0 - tree.t0, m.recv.t1 - tree.t0],
        }
        for m in tree.messages
    ]
    return doc


def uses_virtual_clock(tree: TreeView) -> bool:
    """Return whether any process ran on the deterministic schedule's virtual clock."""
    return any(v.timeline.info.clock is Clock.VIRTUAL for v in tree.processes)
