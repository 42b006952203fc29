"""Showing a `pvm compare` document: the seed's table, the speed-ups and the channels, as rich or markdown.

What belongs here: the cells of the seed's "Threads vs. Processes" table from the
document (one line per interpreter in each cell), the detail tables, and their two
renderings.  What does not: any measuring or deciding, or the chart (pvm.compare.chart).
"""

from __future__ import annotations

import io
from typing import Any

from pvm.compare import verdict
from pvm.compare.verdict import ok_models, seconds_text

ASPECTS = ("Memory space", "Overhead", "Concurrency", "Communication", "Use case")
FAMILIES = ("threads", "processes")
CHANNEL_LABEL = {
    "lock": "shared variable + Lock",
    "pipe": "Pipe",
    "queue": "Queue",
    "shared_memory": "shared_memory",
}


def _mib(kib: float | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.0f} MiB"


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n >> 20} MiB"


def _rate(bps: float | None) -> str:
    if bps is None:
        return "-"
    if bps >= 1e9:
        return f"{bps / 1e9:.1f} GB/s"
    return f"{bps / 1e6:.1f} MB/s"


def _largest_run(model: dict[str, Any]) -> dict[str, Any] | None:
    return max(model["runs"], key=lambda r: r["workers"], default=None)


def memory_cell(entry: dict[str, Any], family: str) -> str:
    """Return the memory-space cell: the probe and resident memory per worker."""
    models = ok_models(entry, family)
    if not models:
        return "not measured"
    parts = []
    seen = {m["probe_visible"] for m in models if m["probe_visible"] is not None}
    if seen == {True}:
        parts.append("worker's write seen by the parent")
    elif seen == {False}:
        parts.append("worker's write NOT seen by the parent")
    elif seen:
        parts.append("probe: mixed")
    first = (
        models[0]
        if family == "threads"
        else next((m for m in models if m["model"] == "processes"), models[0])
    )
    run = _largest_run(first)
    if run and run["rss_kib"]:
        rss = run["rss_kib"]
        if family == "threads":
            parts.append(f"1 process of {_mib(rss[0])} for {run['workers']} threads")
        else:
            mean = sum(rss) / len(rss)
            parts.append(f"{len(rss)} processes of {_mib(mean)} each")
    return "; ".join(parts)


def overhead_cell(entry: dict[str, Any], family: str) -> str:
    """Return the overhead cell: start-up per worker, per task per executor."""
    parts = []
    for m in ok_models(entry, family):
        if m["startup_s"] is not None:
            who = "thread" if m["model"] == "threads" else f"process ({m['start_method']})"
            parts.append(f"start {seconds_text(m['startup_s'])}/{who}")
        if m["per_task_s"] is not None:
            parts.append(f"{m['label']} {seconds_text(m['per_task_s'])}/task")
    return ", ".join(parts) or "not measured"


def _speedups(model: dict[str, Any]) -> str:
    return " ".join(
        f"{r['workers']}:{r['speedup']:.2f}x" for r in model["runs"] if r["speedup"] is not None
    )


def concurrency_cell(entry: dict[str, Any], family: str) -> str:
    """Return the concurrency cell: speed-up by worker count of the family's plain model, GIL."""
    plain = [m for m in ok_models(entry, family) if m["model"] == family]
    if not plain:
        return "not measured"
    top = max(plain, key=lambda m: max((r["speedup"] or 0 for r in m["runs"]), default=0))
    text = f"{top['label']} speed-up {_speedups(top)}"
    run = max(top["runs"], key=lambda r: r["speedup"] or 0, default=None)
    if run and run["efficiency"] is not None:
        text += f" (efficiency {run['efficiency']:.0%} at {run['workers']})"
    gil = entry.get("gil") or {}
    if family == "threads" and gil.get("threads"):
        shares = gil["threads"]
        held = sum(t["held"] for t in shares) / len(shares)
        waiting = sum(t["waiting"] for t in shares) / len(shares)
        released = sum(t["released"] for t in shares) / len(shares)
        text += f"; GIL held {held:.0%}, waited {waiting:.0%}, released {released:.0%}"
    if family == "processes" and gil.get("processes"):
        p = gil["processes"]
        text += f"; {p['max_at_once']} GILs held at once ({p['share_two_or_more']:.0%} of the time)"
    return text


def communication_cell(entry: dict[str, Any], family: str) -> str:
    """Return the communication cell: latency (throughput) per channel, small and 1 MiB."""
    channels = ("lock",) if family == "threads" else ("pipe", "queue", "shared_memory")
    rows = [r for r in entry.get("communication", []) if r["channel"] in channels]
    if not rows:
        return "not measured"
    parts = []
    for channel in channels:
        mine = [r for r in rows if r["channel"] == channel]
        sizes = ", ".join(
            f"{_size(r['bytes'])} {seconds_text(r['latency_s'])} ({_rate(r['throughput_bps'])})"
            for r in mine
        )
        parts.append(f"{CHANNEL_LABEL[channel]}: {sizes}")
    return "; ".join(parts)


def use_case_cell(entry: dict[str, Any], family: str) -> str:
    """Return the use-case cell: the verdict where this family won."""
    v = entry["verdict"]
    if v["model"] == family:
        ratio = f", {v['ratio']:.2f}x the other model's speed-up" if v.get("ratio") else ""
        return f"WINS: {v['best']}{ratio}; {v['bound']}"
    if v["model"] == "sequential" and family == "threads":
        return "neither model helped: run it sequentially"
    top = verdict.best(entry, family)
    if top is None:
        return "-"
    return f"best: {top['label']} {top['speedup']:.2f}x with {top['workers']}"


CELLS = {
    "Memory space": memory_cell,
    "Overhead": overhead_cell,
    "Concurrency": concurrency_cell,
    "Communication": communication_cell,
    "Use case": use_case_cell,
}


def seed_rows(doc: dict[str, Any]) -> list[tuple[str, list[str], list[str]]]:
    """Return the seed's table: (aspect, threads lines, processes lines), a line per interpreter."""
    rows = []
    for aspect in ASPECTS:
        cells = []
        for family in FAMILIES:
            cells.append([f"{e['name']}: {CELLS[aspect](e, family)}" for e in doc["interpreters"]])
        rows.append((aspect, cells[0], cells[1]))
    return rows


def speedup_rows(doc: dict[str, Any]) -> list[list[str]]:
    """Return one row per model and worker count: seconds, speed-up, efficiency per interpreter."""
    entries = doc["interpreters"]
    rows = [
        ["sequential", "1"]
        + [x for e in entries for x in (_secs(e["sequential_s"]), "1.00x", "100%")]
    ]
    for i, model in enumerate(entries[0]["models"] if entries else []):
        mine = [e["models"][i] for e in entries]
        if all(m["status"] != "ok" for m in mine):
            reason = next((m["reason"] for m in mine if m["reason"]), "")
            rows.append([f"{model['label']}: {mine[0]['status']} ({reason})", "-"])
            rows[-1] += ["-", "", ""] * len(entries)
            continue
        for n in doc["workers"]:
            row = [model["label"], str(n)]
            for m in mine:
                run = next((r for r in m["runs"] if r["workers"] == n), None)
                if run is None:
                    row += [m["status"], "", ""]
                    continue
                row += [
                    _secs(run["seconds"]),
                    f"{run['speedup']:.2f}x" if run["speedup"] else "-",
                    f"{run['efficiency']:.0%}" if run["efficiency"] else "-",
                ]
            rows.append(row)
    return rows


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f} s"


def communication_rows(doc: dict[str, Any]) -> list[list[str]]:
    """Return one row per channel and size: latency and throughput per interpreter."""
    entries = doc["interpreters"]
    keys = []
    for e in entries:
        for r in e.get("communication", []):
            if (r["channel"], r["bytes"]) not in keys:
                keys.append((r["channel"], r["bytes"]))
    rows = []
    for channel, size in keys:
        row = [
            CHANNEL_LABEL.get(channel, channel),
            "threads" if channel == "lock" else "processes",
            _size(size),
        ]
        for e in entries:
            r = next(
                (x for x in e["communication"] if (x["channel"], x["bytes"]) == (channel, size)),
                None,
            )
            row += [seconds_text(r["latency_s"]), _rate(r["throughput_bps"])] if r else ["-", "-"]
        rows.append(row)
    return rows


def heading(doc: dict[str, Any]) -> str:
    """Return the line that says what was compared, where."""
    t, m = doc["target"], doc["machine"]
    load = m.get("load_before")
    load_text = f", load average {load:.1f} before" if load is not None else ""
    return (
        f"pvm compare {t['spec']}: {t['description']}; {t['items']} calls per run, "
        f"workers {', '.join(map(str, doc['workers']))}; {m['cores']} cores{load_text}"
    )


def verdict_lines(doc: dict[str, Any]) -> list[str]:
    """Return the verdict: the headline, then each interpreter's reason."""
    v = doc["verdict"]
    lines = [f"Verdict: {v['label']}"]
    for e in doc["interpreters"]:
        lines.append(f"  {e['name']}: {e['verdict']['reason']}")
    return lines


# -- rich -------------------------------------------------------------------------------


def rich_text(doc: dict[str, Any], width: int) -> str:
    """Return the report as the terminal shows it (rich tables at the given width)."""
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    console.print(heading(doc), highlight=False)
    seed = Table(title="Threads vs. Processes, measured", show_lines=True, title_justify="left")
    seed.add_column("Aspect", style="bold", no_wrap=True)
    seed.add_column("Threads", ratio=1)
    seed.add_column("Processes", ratio=1)
    for aspect, threads, processes in seed_rows(doc):
        seed.add_row(aspect, "\n".join(threads), "\n".join(processes))
    console.print(seed)
    names = [e["name"] for e in doc["interpreters"]]
    speed = Table(
        title="Speed-up over the sequential run (efficiency: speed-up / N)", title_justify="left"
    )
    speed.add_column("model")
    speed.add_column("N", justify="right")
    for name in names:
        speed.add_column(f"{name} time", justify="right")
        speed.add_column("speed-up", justify="right")
        speed.add_column("efficiency", justify="right")
    for row in speedup_rows(doc):
        speed.add_row(*row)
    console.print(speed)
    comms = Table(title="Communication: one round trip", title_justify="left")
    comms.add_column("channel")
    comms.add_column("between")
    comms.add_column("message", justify="right")
    for name in names:
        comms.add_column(f"{name} latency", justify="right")
        comms.add_column("throughput", justify="right")
    for row in communication_rows(doc):
        comms.add_row(*row)
    console.print(comms)
    for line in verdict_lines(doc):
        console.print(line, highlight=False)
    return buffer.getvalue()


# -- markdown ---------------------------------------------------------------------------


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def markdown(doc: dict[str, Any]) -> str:
    """Return the report as markdown: the heading, the three tables, the verdict."""
    names = [e["name"] for e in doc["interpreters"]]
    out = [heading(doc), "", "| Aspect | Threads | Processes |", "|---|---|---|"]
    for aspect, threads, processes in seed_rows(doc):
        out.append(_md_row([f"**{aspect}**", "<br>".join(threads), "<br>".join(processes)]))
    head = ["model", "N"] + [x for n in names for x in (f"{n} time", "speed-up", "efficiency")]
    out += ["", _md_row(head), "|---|---:|" + "---:|" * (3 * len(names))]
    out += [_md_row(r) for r in speedup_rows(doc)]
    head = ["channel", "between", "message"] + [
        x for n in names for x in (f"{n} latency", "throughput")
    ]
    out += ["", _md_row(head), "|---|---|---:|" + "---:|" * (2 * len(names))]
    out += [_md_row(r) for r in communication_rows(doc)]
    v = doc["verdict"]
    out += ["", f"**Verdict: {v['label']}**", ""]
    out += [f"- {e['name']}: {e['verdict']['reason']}" for e in doc["interpreters"]]
    return "\n".join(out) + "\n"
