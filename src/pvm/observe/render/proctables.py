"""The `pvm gil` report of a process tree: the processes side by side, the IPC messages,
then one time-slot table per process.

As in giltables, the functions that build rows (plain strings) are apart from printing.
"""

from __future__ import annotations

from pvm.observe import proctrace
from pvm.observe.proctrace import ProcessView, TreeView
from pvm.observe.render import giltables
from pvm.observe.render.giltables import TABLE_WIDTH, table_text

# Rows of the side-by-side table when --slots says "all".
ALL_WINDOWS = 40


def _ms(ns: float) -> str:
    return f"{ns / 1e6:.2f}"


def window_rows(tree: TreeView, count: int) -> tuple[list[str], list[list[str]]]:
    """Return the side-by-side table: one row per window of the clock, one column per process."""
    views = tree.processes
    headers = ["Window", "From ms", "To ms", *(v.label for v in views), "Holding"]
    rows = []
    for w in proctrace.windows(tree, count):
        rows.append(
            [
                f"W{w.index}",
                _ms(w.start),
                _ms(w.end),
                *(w.cells[v.pid] for v in views),
                str(w.holding),
            ]
        )
    return headers, rows


def message_rows(tree: TreeView, limit: int | None) -> tuple[list[str], list[list[str]], int]:
    """Return the IPC message table (first `limit` rows) and how many were left out."""
    by_pid = tree.by_pid()
    headers = ["Msg", "From", "To", "Bytes", "Sent ms", "Received ms", "Sender", "Receiver"]
    shown = tree.messages if limit is None else tree.messages[:limit]
    rows = []
    for m in shown:
        sender, receiver = by_pid[m.sender], by_pid[m.receiver]
        rows.append(
            [
                f"M{m.index}",
                f"{sender.name} ({m.sender}) {m.send.thread_name}",
                f"{receiver.name} ({m.receiver}) {m.recv.thread_name}",
                f"{m.nbytes:,}",
                _ms(m.send.t0 - tree.t0),
                _ms(m.recv.t1 - tree.t0),
                m.send.where,
                m.recv.where,
            ]
        )
    return headers, rows, len(tree.messages) - len(shown)


def _process_heading(view: ProcessView) -> str:
    if view.how == "root":
        how = "the root"
    else:
        how = f"{'forked' if view.how == 'fork' else 'a new pvm'}, parent pid {view.ppid}"
    status = "" if view.exit_status is None else f", exit status {view.exit_status}"
    return f"== Process {view.label}: {how}{status} =="


def report_text(tree: TreeView, limit: int | None, width: int = TABLE_WIDTH) -> str:
    """Return the whole report of a process tree."""
    views = tree.processes
    n_msgs = len(tree.messages)
    text = (
        f"pvm gil: {tree.program}: {len(views)} processes, each with its own GIL; "
        f"{n_msgs} IPC message{'s' if n_msgs != 1 else ''} matched; "
        f"{(tree.end - tree.t0) / 1e9:.3f} s\n"
    )
    if proctrace.uses_virtual_clock(tree):
        text += (
            "(the deterministic schedule's virtual clocks are per process: the processes'\n"
            " times below are not on one axis)\n"
        )
    headers, rows = window_rows(tree, limit or ALL_WINDOWS)
    if rows:
        text += (
            "\nProcesses side by side (one row per window of the machine's clock; a cell is\n"
            "what that process's GIL did for most of the window; Holding: how many processes\n"
            "held their own GIL at once):\n"
        )
        text += table_text(headers, rows, {1, 2, len(headers) - 1}, width)
    if tree.messages:
        headers, rows, left_out = message_rows(tree, limit)
        text += "\nIPC messages (each send matched to the receive that read its bytes):\n"
        text += table_text(headers, rows, {3, 4, 5}, width)
        if left_out:
            text += f"... {left_out} more messages not shown (--slots all shows every one)\n"
    notes = []
    if tree.unmatched_sends:
        notes.append(f"{len(tree.unmatched_sends)} sent message(s) were never received")
    if tree.unmatched_recvs:
        notes.append(
            f"{len(tree.unmatched_recvs)} received message(s) came from no observed sender"
        )
    for s in tree.missing:
        from pvm.observe.processes import is_helper

        what = (
            "multiprocessing's helper, still running when the program ended"
            if is_helper(s.get("command", []))
            else (
                "it ended without writing one: killed by a signal? (Pool.terminate(), which"
                " a Pool's with-block ends with, kills idle workers so)"
            )
        )
        notes.append(f"pid {s.get('pid')} left no record: {what}")
    if notes:
        text += "".join(f"Note: {n}.\n" for n in notes)
    for view in views:
        text += "\n" + _process_heading(view) + "\n"
        offset = view.timeline.t0 - tree.t0
        text += giltables.report_text(view.timeline, limit, width, offset)
    return text
