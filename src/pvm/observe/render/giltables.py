"""The `pvm gil` tables: the seed's time-slot table and per-thread GIL statistics, drawn with rich.

As in CPython's dis.py, the functions that build the rows (plain strings, testable as data)
are apart from the ones that print them.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table

from pvm.concurrency.gil import Reason
from pvm.observe.giltrace import SHORT_CELLS, Clock, ThreadState, Timeline

# Width of the tables when the output is not a terminal, so that golden text is stable.
TABLE_WIDTH = 120

# Cells of a time-slot table with too many threads to fit: a legend follows the table.
SHORT = SHORT_CELLS

# -- building rows --------------------------------------------------------------------


def format_time(timeline: Timeline, value: float, unit: str) -> str:
    """Return a span of the timeline's clock as text in unit ("s" or "ms"; virtual ticks as is)."""
    if timeline.info.clock is Clock.VIRTUAL:
        return f"{round(value):,}"
    scale = 1e9 if unit == "s" else 1e6
    return f"{value / scale:.3f}" if unit == "s" else f"{value / scale:.2f}"


def time_unit(timeline: Timeline, unit: str) -> str:
    """Return the column unit for a time: "ticks" on the virtual clock, else unit."""
    return "ticks" if timeline.info.clock is Clock.VIRTUAL else unit


def release_text(reason: Reason | None, detail: str) -> str:
    """Return why a slot ended, in words."""
    if reason is None:
        return "(still held)"
    words = reason.name.lower().replace("_", " ")
    return f"{words}: {detail}" if detail else words


def stats_units(timeline: Timeline) -> str:
    """Return the statistics table's units, said once in its title."""
    if timeline.info.clock is Clock.VIRTUAL:
        return "times and the mean and p95 holding slice in ticks of the virtual clock"
    return "times in s; mean and p95 holding slice in ms"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def summary_line(timeline: Timeline) -> str:
    """Return the two-line header: the run's GIL settings and the recording's size."""
    info = timeline.info
    parts = [f"policy {info.policy}"]
    if info.policy == "off":
        parts.append("no pvm GIL (threads run under the host's GIL only)")
    elif info.seed is not None:
        # The deterministic schedule's slices are seeded counts of check points (mean:
        # the check interval), not the switch interval.
        parts.append(
            f"schedule deterministic (seed {info.seed}, mean slice {info.check_interval} checks)"
        )
    elif info.policy == "legacy":
        parts.append(f"check interval {info.check_interval}, schedule {info.schedule}")
    else:
        interval = f"switch interval {info.switch_interval * 1000:g} ms"
        if info.switch_interval_set is not None:
            interval += f" (the program set {info.switch_interval_set * 1000:g} ms)"
        parts.append(f"{interval}, schedule {info.schedule}")
    if info.clock is Clock.VIRTUAL:
        length = f"{timeline.span:,} ticks of the virtual clock"
    else:
        length = f"{timeline.span / 1e9:.3f} s"
    return (
        f"pvm gil: {info.program}: {', '.join(parts)}\n"
        f"{_count(len(timeline.threads), 'thread')}, {_count(len(timeline.slots), 'slot')}, "
        f"{_count(len(timeline.events), 'event')} over {length}"
    )


def slot_rows(
    timeline: Timeline, limit: int | None, compact: bool = False, offset: int = 0
) -> tuple[list[str], list[list[str]], int]:
    """Return the time-slot table's headers, its first `limit` rows and how many were left out.

    With ``compact`` the cells are the SHORT codes, for tables too wide for the page;
    ``offset`` is added to each slot's start (a process's place on its tree's clock).
    """
    names = timeline.names()
    unit = time_unit(timeline, "ms")
    headers = ["Time Slot", *names.values(), f"Start {unit}", f"Held {unit}", "Released"]
    shown = timeline.slots if limit is None else timeline.slots[:limit]
    rows = []
    for slot in shown:
        cells = [slot.cell(t, compact) for t in names]
        rows.append(
            [
                f"T{slot.index}",
                *cells,
                format_time(timeline, slot.start + offset, "ms"),
                format_time(timeline, slot.end - slot.start, "ms"),
                release_text(slot.released, slot.detail),
            ]
        )
    return headers, rows, len(timeline.slots) - len(shown)


def stats_rows(timeline: Timeline) -> tuple[list[str], list[list[str]]]:
    """Return the per-thread statistics table's headers and rows."""
    headers = [
        "Thread",
        "Held",
        "Held %",
        "Waiting",
        "Blocked",
        "Acquired",
        "Forced",
        "Voluntary",
        "Mean",
        "p95",
    ]
    names = timeline.names()
    span = timeline.span
    rows = []
    for s in timeline.threads:
        pct = 100 * s.held / span if span else 0.0
        rows.append(
            [
                names[s.thread],
                format_time(timeline, s.held, "s"),
                f"{pct:.1f}",
                format_time(timeline, s.waiting, "s"),
                format_time(timeline, s.blocked, "s"),
                f"{s.acquisitions:,}",
                f"{s.forced:,}",
                f"{s.voluntary:,}",
                format_time(timeline, s.mean_slice, "ms"),
                format_time(timeline, s.p95_slice, "ms"),
            ]
        )
    return headers, rows


# -- printing -------------------------------------------------------------------------


def make_console(width: int) -> Console:
    """Return a console that renders plain text (no colours, no markup) at a fixed width."""
    return Console(
        file=io.StringIO(),
        width=width,
        force_terminal=False,
        force_jupyter=False,
        color_system=None,
        highlight=False,
        markup=False,
        emoji=False,
    )


def natural_width(headers: list[str], rows: list[list[str]]) -> int:
    """Return the width a markdown-style table needs so that no cell wraps."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    return sum(widths) + 3 * len(widths) + 1


def table_text(headers: list[str], rows: list[list[str]], numeric: set[int], width: int) -> str:
    """Return a table as markdown-style text lines (the seed's layout), no trailing blanks."""
    table = Table(box=box.MARKDOWN, show_edge=True)
    for i, header in enumerate(headers):
        table.add_column(header, justify="right" if i in numeric else "left", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    # Wider than the page rather than wrapped: a wrapped cell reads as two rows.
    console = make_console(max(width, natural_width(headers, rows)))
    with console.capture() as capture:
        console.print(table)
    lines = [line.rstrip() for line in capture.get().splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def slot_table_text(
    timeline: Timeline, limit: int | None, width: int = TABLE_WIDTH, offset: int = 0
) -> str:
    """Return the time-slot table and a line saying how many slots were left out."""
    headers, rows, left_out = slot_rows(timeline, limit, offset=offset)
    legend = ""
    if natural_width(headers, rows) > width:
        headers, rows, left_out = slot_rows(timeline, limit, compact=True, offset=offset)
        legend = "Cells: " + ", ".join(f"{SHORT[s]} = {s.value}" for s in ThreadState)
        if any(slot.blocked_on for slot in timeline.slots):
            legend += "; a blocked thread's cell names what it waits for (lock, queue, sleep...)"
        legend += "\n"
    n_threads = len(headers) - 4
    text = "Time slots (one row per GIL holding period):\n"
    text += table_text(headers, rows, {n_threads + 1, n_threads + 2}, width) + legend
    if left_out:
        text += f"... {left_out} more slots not shown (--slots all shows every slot)\n"
    return text


def stats_table_text(timeline: Timeline, width: int = TABLE_WIDTH) -> str:
    """Return the per-thread statistics table with its legend."""
    headers, rows = stats_rows(timeline)
    text = f"Per-thread GIL statistics ({stats_units(timeline)}):\n"
    text += table_text(headers, rows, set(range(1, len(headers))), width)
    text += (
        "Forced drops: the GIL was taken away (another thread asked for it, or the legacy\n"
        "check interval ran out); voluntary: blocking calls, thread exit, yields.\n"
    )
    return text


def report_text(
    timeline: Timeline, limit: int | None, width: int = TABLE_WIDTH, offset: int = 0
) -> str:
    """Return the whole `pvm gil` report: summary line, time-slot table, statistics."""
    text = summary_line(timeline) + "\n"
    if not timeline.events:
        why = " (--gil off: pvm has no GIL to record)" if timeline.info.policy == "off" else ""
        return text + f"No GIL events were recorded{why}.\n"
    return (
        text + slot_table_text(timeline, limit, width, offset) + stats_table_text(timeline, width)
    )
