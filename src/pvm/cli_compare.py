"""`pvm compare`: the seed's "Threads vs. Processes" table, measured on a workload under python3 and pvm.

The command parses its options, checks what it can before anything runs (the target's
form, the output and chart paths), runs the plan of pvm.compare.runner with a progress
bar, and shows the document (pvm.compare.document) as rich tables, markdown, JSON or HTML,
and as a chart.  A user's mistake or a failing target becomes a message and a non-zero
exit status, never a pvm traceback.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from pvm import cli
from pvm.compare import chart, document, runner
from pvm.compare.target import BUILTINS, Target, TargetError, parse_target
from pvm.runtime.source import PROG

DESCRIPTION = """\
Run a workload sequentially, in N threads, in N processes (by each start method), with
ThreadPoolExecutor and ProcessPoolExecutor, and with asyncio (for a coroutine function),
under python3 and under pvm, and fill the seed's "Threads vs. Processes" table with the
measurements: memory space (a probe write seen by the parent or not; resident memory per
worker), overhead (start-up per thread and per process, per task per executor),
concurrency (speed-up and efficiency for each N; from pvm's GIL trace, the share of their
time the worker threads held, waited for and released the GIL, and how many processes
held a GIL at once), communication (a shared variable under a Lock against Pipe, Queue
and shared_memory, 64 B and 1 MiB) and the verdict with its reason.

TARGET is one of the built-in workloads (cpu, io, mixed, numpy-like), MODULE:FUNCTION or
FILE.py:FUNCTION.  A function target is called once per item of --items (item first,
then --args), the items dealt among the workers; without --items it is called with
--args alone, 2 x the largest N times.
"""

EPILOG = "built-in workloads:\n" + "\n".join(
    f"  {name:<11} {what}" for name, (what, _, _) in BUILTINS.items()
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=f"{PROG} compare",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", metavar="TARGET")
    p.add_argument("--items", help="JSON list of items (one call each), or a count K (0..K-1)")
    p.add_argument("--args", help="JSON list of arguments passed on every call, after the item")
    p.add_argument(
        "--workers",
        default=None,
        help="worker counts, e.g. 1,2,4 (default: 1, 2, 4 and the core count)",
    )
    p.add_argument(
        "--start-methods",
        default=",".join(runner.START_METHODS),
        help="multiprocessing start methods to measure (default: fork,forkserver,spawn)",
    )
    p.add_argument(
        "--interpreters",
        default=",".join(runner.INTERPRETERS),
        help="python3, pvm or both (default: python3,pvm)",
    )
    p.add_argument(
        "--repeat", type=int, default=1, help="best of N runs per measurement (default 1)"
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="built-in workloads a quarter as long; fewer round trips",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds allowed for each child run (default 600)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown", "html"),
        default="text",
        help="html: one self-contained page for a browser, the chart inline",
    )
    p.add_argument("-o", "--output", help="write the report here instead of stdout")
    p.add_argument("--chart", help="write the chart to this .png or .svg file (needs matplotlib)")
    p.add_argument("--no-gil", action="store_true", help="skip the GIL traces under pvm")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def _usage(message: str) -> cli.UsageError:
    return cli.UsageError(
        f"{PROG} compare: {message}",
        _parser().format_usage().strip(),
        f"Try `{PROG} compare -h' for more information.",
    )


def _int_list(text: str, what: str) -> list[int]:
    try:
        values = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise _usage(f"{what}: expected whole numbers separated by commas, not {text!r}") from None
    if not values or values[0] < 1:
        raise _usage(f"{what}: expected positive whole numbers, not {text!r}")
    return values


def _choices(text: str, allowed: Sequence[str], what: str) -> list[str]:
    chosen = [x.strip() for x in text.split(",") if x.strip()]
    bad = [x for x in chosen if x not in allowed]
    if bad:
        raise _usage(f"{what}: {', '.join(bad)} (choose from {', '.join(allowed)})")
    return chosen


def default_workers() -> list[int]:
    """Return 1, 2, 4 and the machine's core count."""
    return sorted({1, 2, 4, os.cpu_count() or 1})


def options_from(ns: argparse.Namespace) -> runner.Options:
    """Return the runner's options from the parsed command line (or raise UsageError)."""
    import multiprocessing

    workers = _int_list(ns.workers, "--workers") if ns.workers else default_workers()
    if 1 not in workers:
        workers = [1, *workers]  # speed-up is against one worker
    methods = _choices(ns.start_methods, multiprocessing.get_all_start_methods(), "--start-methods")
    interpreters = _choices(ns.interpreters, runner.INTERPRETERS, "--interpreters")
    if not interpreters:
        raise _usage("--interpreters: name at least one of python3, pvm")
    if ns.repeat < 1:
        raise _usage("--repeat: expected a positive number")
    if not ns.timeout > 0:
        raise _usage("--timeout: expected a positive number of seconds")
    return runner.Options(
        workers=workers,
        interpreters=interpreters,
        start_methods=methods,
        repeat=ns.repeat,
        timeout=ns.timeout,
        quick=ns.quick,
        gil=not ns.no_gil,
    )


def _say(message: str, stream: TextIO) -> None:
    cli.say("compare", message, stream)


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def failure_message(target: Target, exc: runner.StepFailed) -> str:
    """Return what the user is told when a step failed."""
    step = exc.step
    where = f"under {step.interpreter} ({step.describe().split(': ', 1)[1]})"
    detail = exc.message.rstrip()
    if exc.kind == "import":
        last = detail.splitlines()[-1] if detail else ""
        return f"cannot load {target.text} {where}: {last}\n{detail}"
    if exc.kind == "not callable":
        return f"{target.text} is not callable {where}: {detail}"
    if exc.kind == "timeout":
        return f"the {step.key} run {where.split(' (')[0]} {detail}; stopped it and its workers"
    if exc.kind == "raised":
        last = detail.splitlines()[-1] if detail else ""
        return f"{target.text} raised {where}: {last}\n{detail}"
    return f"the {step.key} run {where.split(' (')[0]} failed: {detail}"


def run_with_progress(target: Target, options: runner.Options, show: bool) -> Any:
    """Run the plan, with a progress bar on stderr when show; return the runner's results."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    steps = runner.plan(options)
    console = Console(file=sys.stderr)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not show,
    )
    with progress:
        task = progress.add_task("starting", total=len(steps))
        seen = [0]

        def advance(step: runner.Step) -> None:
            progress.update(task, completed=seen[0], description=step.describe())
            seen[0] += 1

        results = runner.Runner(target, options, advance).run()
        progress.update(task, completed=len(steps))
    return results


def target_entry(target: Target, results: dict[str, dict[str, Any]], count: int) -> dict[str, Any]:
    """Return the document's description of the target."""
    checks = [r.get("check", {}).get("check", {}) for r in results.values()]
    check = checks[0] if checks else {}
    description = BUILTINS[target.name][0] if target.kind == "builtin" else f"{target.kind} target"
    return {
        "spec": target.text,
        "kind": target.kind,
        "description": description,
        "qualname": check.get("qualname"),
        "coroutine": bool(check.get("coroutine")),
        "picklable": all(c.get("picklable", True) for c in checks),
        "not_picklable": next((c["not_picklable"] for c in checks if c.get("not_picklable")), None),
        "items": len(target.items) if target.items is not None else count,
        "args": target.args,
    }


def main(args: Sequence[str]) -> int:
    """Run `pvm compare` with the arguments after `compare` and return the exit status."""
    parser = _parser()
    if any(a in ("-h", "--help") for a in args):
        sys.stdout.write(parser.format_help())
        return 0
    err = sys.stderr
    try:
        ns = parser.parse_args(list(args))
    except SystemExit as exc:  # argparse printed its message and usage
        return exc.code if isinstance(exc.code, int) else 2
    options = options_from(ns)
    try:
        target = parse_target(ns.target, ns.items, ns.args)
    except TargetError as exc:
        raise _usage(str(exc)) from None
    if ns.chart:
        try:
            chart.check_path(ns.chart)
        except chart.ChartUnavailable as exc:
            _say(str(exc), err)
            return 2
    for path in (ns.output, ns.chart):
        if path is not None and not _writable(path):
            _say(f"cannot write {path}: its directory does not exist or is not writable", err)
            return 2
    show = not ns.no_progress and err.isatty()
    started, load_before = time.time(), _load()
    try:
        results = run_with_progress(target, options, show)
    except runner.StepFailed as exc:
        _say(failure_message(target, exc), err)
        return 1
    for name, mine in results.items():
        check = mine.get("check", {}).get("check", {})
        if not check.get("picklable", True):
            _say(
                f"{target.text} is not picklable under {name} ({check['not_picklable']}): "
                "processes by spawn and forkserver and ProcessPoolExecutor cannot run it, so "
                "their rows are skipped; threads, asyncio and fork processes are measured",
                err,
            )
    count = 2 * max(options.workers)
    machine = {
        "cores": os.cpu_count(),
        "python3": sys.version.split()[0],
        "load_before": load_before,
        "load_after": _load(),
        "started": datetime.datetime.fromtimestamp(started, datetime.UTC).isoformat(
            timespec="seconds"
        ),
        "seconds": round(time.time() - started, 1),
    }
    doc = document.build(
        target_entry(target, results, count),
        options.workers,
        options.start_methods,
        results,
        machine,
    )
    if ns.format == "json":
        text = json.dumps(doc, indent=1) + "\n"
    elif ns.format == "markdown":
        from pvm.compare import render

        text = render.markdown(doc)
    elif ns.format == "html":
        from pvm.compare import html

        text = html.render_page(doc)
    else:
        from pvm.compare import render

        stream = sys.stdout if ns.output is None else None
        width = cli.report_width(stream, 140) if stream is not None else 140
        text = render.rich_text(doc, width)
    status = 0
    if ns.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            with open(ns.output, "w") as f:
                f.write(text)
        except OSError as exc:
            _say(f"cannot write {ns.output}: {exc}", err)
            status = 1
        else:
            _say(f"wrote {ns.output}", err)
    if ns.chart:
        try:
            chart.write(doc, ns.chart)
        except (OSError, chart.ChartUnavailable) as exc:
            _say(f"cannot write the chart {ns.chart}: {exc}", err)
            status = 1
        else:
            _say(f"wrote the chart {ns.chart}", err)
    return status


def _writable(path: str) -> bool:
    directory = os.path.dirname(os.path.abspath(path))
    return os.path.isdir(directory) and os.access(directory, os.W_OK)
