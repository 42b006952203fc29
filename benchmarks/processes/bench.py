"""The processes benchmarks: CPU-bound work in processes, start-up per start method, IPC round trips.

Run with `python3 benchmarks/processes/bench.py` (--markdown for the README's table).
Each program prints its own elapsed time (so interpreter start-up is not counted, except
where start-up is what is measured); every measurement is the best of --repeat runs,
python3 and pvm in the same invocation, and the ratio column is pvm's time over
python3's.  The CPU-bound rows give each interpreter's own speed-up over one process;
pvm counts down a twentieth of python3's total, so that both take about as long, and
their ratio column is per unit of work.  The IPC rows give the time per round trip and
the bytes moved per second (the message there and back).
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/harness.py
import harness  # noqa: E402
from harness import PVM_RUN, PYTHON, Row  # noqa: E402

elapsed = functools.partial(harness.elapsed, cwd=HERE)
best = functools.partial(harness.best, cwd=HERE)
ROOT = HERE.parents[1]
SMALL, LARGE = 64, 1 << 20  # bytes per IPC message


def _time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.3f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def _failed(name: str, exc: Exception) -> Row:
    return Row(name, "-", "-", "-", str(exc)[:60], False)


def cpu_rows(total: int, repeat: int, timeout: float) -> list[Row]:
    """CPU-bound countdown split among 1, 2 and 4 processes; each interpreter's speed-up."""
    counts = [1, 2, 4]
    try:
        py = {
            n: best([*PYTHON, "cpu_procs.py", str(n), str(total)], repeat, timeout) for n in counts
        }
        pv = {
            n: best([*PVM_RUN, "cpu_procs.py", str(n), str(total // 20)], repeat, timeout)
            for n in counts
        }
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return [_failed("CPU-bound in processes", exc)]
    expect = {1: ("1x", 0.0), 2: (">=1.7x (2 cores)", 1.7), 4: (">=1.7x (2 cores)", 1.7)}
    rows = []
    for n in counts:
        text, low = expect[n]
        speedup = pv[1] / pv[n]
        rows.append(
            Row(
                f"CPU-bound, {n} process{'es' if n > 1 else ''}",
                f"{_time(py[n])} ({py[1] / py[n]:.2f}x)",
                f"{_time(pv[n])} ({speedup:.2f}x)",
                f"{pv[n] / py[n] * 20:.1f}",
                text,
                speedup >= low,
            )
        )
    return rows


def startup_rows(n: int, repeat: int, timeout: float) -> list[Row]:
    """Start and join an empty process, per start method."""
    rows = []
    for method in ("fork", "spawn", "forkserver"):
        name = f"start-up, {method}"
        try:
            py = best([*PYTHON, "startup.py", method, str(n)], repeat, timeout)
            pv = best([*PVM_RUN, "startup.py", method, str(n)], repeat, timeout)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            rows.append(_failed(name, exc))
            continue
        rows.append(Row(name, _time(py), _time(pv), f"{pv / py:.1f}"))
    return rows


def ipc_rows(trips: dict[int, int], repeat: int, timeout: float) -> list[Row]:
    """Round-trip latency and throughput per mechanism, a small message and 1 MiB."""
    rows = []
    for mechanism in ("pipe", "queue", "shm"):
        for size, n in trips.items():
            label = f"{size} B" if size < 1024 else f"{size >> 20} MiB"
            name = f"IPC round trip, {mechanism}, {label}"
            args = ["ipc.py", mechanism, str(size), str(n)]
            try:
                py = best([*PYTHON, *args], repeat, timeout)
                pv = best([*PVM_RUN, *args], repeat, timeout)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                rows.append(_failed(name, exc))
                continue

            def show(t: float, size: int = size) -> str:
                return f"{_time(t)} ({2 * size / t / 1e6:.1f} MB/s)"

            rows.append(Row(name, show(py), show(pv), f"{pv / py:.1f}"))
    return rows


def render(rows: list[Row], markdown: bool) -> str:
    """Format the rows as a plain or markdown table."""
    head = ("measurement", "python3", "pvm", "pvm/python3", "expected (pvm)", "holds")
    marks = {True: "yes", False: "NO", None: ""}
    cells = [(r.name, r.python3, r.pvm, r.ratio, r.expected, marks[r.holds]) for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|---|---|"]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
        return "\n".join(lines) + "\n"
    widths = [max(len(x) for x in col) for col in zip(head, *cells)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*c) for c in cells]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the processes benchmarks and print the table; exit 1 if an expectation fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one run each")
    parser.add_argument(
        "--tiny", action="store_true", help="the smallest inputs, one run each (a smoke test)"
    )
    parser.add_argument(
        "--only",
        choices=("cpu", "startup", "ipc"),
        action="append",
        help="run only these measurements (repeatable; default: all)",
    )
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    opts = parser.parse_args(argv)
    repeat = 1 if opts.quick or opts.tiny else opts.repeat
    q = 100 if opts.tiny else 4 if opts.quick else 1
    started = time.perf_counter()
    stages = {
        "cpu": lambda: cpu_rows(40_000_000 // q, repeat, opts.timeout),
        "startup": lambda: startup_rows(1 if opts.tiny else 3, repeat, opts.timeout),
        "ipc": lambda: ipc_rows(
            {SMALL: max(2000 // q, 5), LARGE: max(40 // q, 2)}, repeat, opts.timeout
        ),
    }
    rows: list[Row] = []
    for key, stage in stages.items():
        if opts.only and key not in opts.only:
            continue
        for row in stage():
            rows.append(row)
            print(f"  {row.name}: {row.pvm}", file=sys.stderr, flush=True)
    mode = "tiny" if opts.tiny else "quick" if opts.quick else f"best of {repeat}"
    print(
        f"python3 {sys.version.split()[0]}; {os.cpu_count()} cores; {mode}; "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(render(rows, opts.markdown))
    return 0 if all(r.holds is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
