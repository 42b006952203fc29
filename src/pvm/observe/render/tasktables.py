"""The `pvm tasks` tables: the event loop's time-slot table and per-task statistics, drawn with rich.

As in pvm.observe.render.giltables, the functions that build the rows (plain strings,
testable as data) are apart from the ones that print them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.table import Table

from pvm.observe.render.giltables import make_console, natural_width, table_text
from pvm.observe.tasks import TaskState, TaskTimeline

# Width of the tables when the output is not a terminal, so that golden text is stable.
TABLE_WIDTH = 120
# A table with a few tasks may be wider than the page (a cell's wait is the point of the
# table: better a long line than a cut word), up to this many columns of text.
WIDEST = 180

# Cells of a table with too many tasks to fit: a legend follows the table.
SHORT = {
    TaskState.RUNNING.value: "RUN",
    TaskState.READY.value: "ready",
    TaskState.WAITING.value: "wait",
    TaskState.DONE.value: "done",
}


@dataclass(frozen=True)
class RunInfo:
    """What the report's header says about the run."""

    program: str
    schedule: str
    seed: int | None = None  # set under the deterministic schedule


# -- building rows --------------------------------------------------------------------


def seconds(ns: int) -> str:
    """Return a time in s with 3 decimals."""
    return f"{ns / 1e9:.3f}"


def millis(ns: int) -> str:
    """Return a span in ms with 3 decimals."""
    return f"{ns / 1e6:.3f}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def summary_lines(timeline: TaskTimeline, info: RunInfo) -> str:
    """Return the header: the run's clock and the recording's size."""
    if timeline.virtual:
        clock = (
            f"schedule deterministic (seed {info.seed}): virtual loop clock, "
            "1 us per check point, sleeps jump to their timer"
        )
    else:
        clock = f"schedule {info.schedule}: real time"
    n_slices = sum(1 for r in timeline.rows if r.task)
    text = (
        f"pvm tasks: {info.program}: {clock}\n"
        f"{_count(len(timeline.tasks), 'task')}, {_count(n_slices, 'slice')}, "
        f"{_count(len(timeline.rows) - n_slices, 'idle wait')} over "
        f"{seconds(timeline.end - timeline.start)} s"
    )
    if timeline.loops > 1:
        text += f" in {timeline.loops} event loops"
    text += "\n"
    if timeline.hidden:
        text += (
            f"({_count(timeline.hidden, 'task')} of asyncio itself, made by asyncio.run to shut "
            "the loop down, not shown: --all-tasks shows them)\n"
        )
    if timeline.virtual and timeline.real_waits:
        text += (
            f"Note: the loop waited {_count(timeline.real_waits, 'time')} in real time (for a "
            "socket, a pipe or another thread): these times are not deterministic.\n"
        )
    return text


def _short(cell: str) -> str:
    state, _colon, _what = cell.partition(":")
    return SHORT.get(state, cell)


def slice_rows(
    timeline: TaskTimeline, limit: int | None, compact: bool = False
) -> tuple[list[str], list[list[str]], int]:
    """Return the time-slot table's headers, its first `limit` rows and how many were left out.

    With ``compact`` the cells are the SHORT codes, for tables too wide for the page.
    """
    numbers = list(timeline.tasks)
    headers = [
        "Slice", "At s", "For ms",
        *(timeline.tasks[n].title for n in numbers), "Ended by",
    ]  # fmt: skip
    if timeline.loops > 1:
        headers.insert(1, "Loop")
    shown = timeline.rows if limit is None else timeline.rows[:limit]
    rows = []
    index = 0
    for row in shown:
        if row.task:
            index += 1
            label = f"S{index}"
            ended = row.ended_by
        else:
            label = "idle"
            ended = f"woken by {row.ended_by}"
        cells = [row.cells.get(n, "") for n in numbers]
        if compact:
            cells = [_short(c) for c in cells]
        line = [
            label, seconds(row.start - timeline.start), millis(row.end - row.start),
            *cells, ended,
        ]  # fmt: skip
        if timeline.loops > 1:
            line.insert(1, str(row.loop))
        rows.append(line)
    return headers, rows, len(timeline.rows) - len(shown)


def stats_rows(timeline: TaskTimeline) -> tuple[list[str], list[list[str]]]:
    """Return the per-task statistics table's headers and rows."""
    headers = ["Task", "Coroutine", "Steps", "Running ms", "Ready ms", "Waiting ms", "Ended"]
    rows = []
    for info in timeline.tasks.values():
        rows.append(
            [
                info.name,
                info.coro,
                f"{info.steps:,}",
                millis(info.running),
                millis(info.ready),
                millis(info.waiting),
                info.end or "not done",
            ]
        )
    return headers, rows


# -- printing -------------------------------------------------------------------------


def lined_table_text(
    headers: list[str], rows: list[list[str]], numeric: set[int], width: int
) -> str:
    """Return a table whose cells wrap, with a rule between rows so that none reads as two."""
    table = Table(box=box.ASCII, show_edge=True, show_lines=True)
    for i, header in enumerate(headers):
        table.add_column(header, justify="right" if i in numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = make_console(width)
    with console.capture() as capture:
        console.print(table)
    lines = [line.rstrip() for line in capture.get().splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def slice_table_text(timeline: TaskTimeline, limit: int | None, width: int = TABLE_WIDTH) -> str:
    """Return the time-slot table and a line saying how many rows were left out.

    The seed's markdown layout when it fits WIDEST; else cells wrap inside ruled rows, and
    only when even that is too narrow (many tasks) do the cells shrink to codes.
    """
    headers, rows, left_out = slice_rows(timeline, limit)
    first_num = 2 if timeline.loops > 1 else 1
    numeric = {first_num, first_num + 1}
    text = (
        "Time slots (one row per slice: a task runs from its resumption to its next\n"
        "suspension; 'idle': the loop waited with nothing to run):\n"
    )
    if natural_width(headers, rows) <= max(width, WIDEST):
        # Wider than the page rather than wrapped, up to WIDEST (table_text does so).
        return text + table_text(headers, rows, numeric, width) + _left_out(left_out)
    # Each column at least as wide as "Waiting:" and its longest word wrapped alone.
    if len(headers) * 13 + 1 <= width:
        return text + lined_table_text(headers, rows, numeric, width) + _left_out(left_out)
    headers, rows, left_out = slice_rows(timeline, limit, compact=True)
    legend = "Cells: " + ", ".join(f"{v} = {k}" for k, v in SHORT.items()) + "\n"
    text += table_text(headers, rows, numeric, width) + legend + _left_out(left_out)
    return text


def _left_out(left_out: int) -> str:
    if not left_out:
        return ""
    return f"... {left_out} more rows not shown (--rows all shows every row)\n"


def stats_table_text(timeline: TaskTimeline, width: int = TABLE_WIDTH) -> str:
    """Return the per-task statistics table with its legend."""
    headers, rows = stats_rows(timeline)
    text = "Per-task statistics:\n"
    text += table_text(headers, rows, {2, 3, 4, 5}, width)
    text += (
        "Steps: times the loop resumed the task (its slices). Running: time in its slices;\n"
        "Ready: scheduled, waiting for its turn; Waiting: suspended until what it awaited\n"
        "was done.\n"
    )
    return text


def report_text(
    timeline: TaskTimeline, info: RunInfo, limit: int | None, width: int = TABLE_WIDTH
) -> str:
    """Return the whole `pvm tasks` report: summary, time-slot table, statistics."""
    text = summary_lines(timeline, info)
    for problem in timeline.problems:
        text += f"pvm tasks: cannot observe: {problem}\n"
    if not timeline.tasks:
        return text + "The program ran no asyncio task.\n"
    return text + slice_table_text(timeline, limit, width) + stats_table_text(timeline, width)
