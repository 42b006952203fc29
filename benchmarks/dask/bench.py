"""The Dask benchmark: a CPU-bound dask.bag map on 1 and 2 worker processes, pvm and python3.

Run with `python3 benchmarks/dask/bench.py` (--markdown for the README's table).  The
program (bag_cpu.py) maps a countdown over eight partitions with
``scheduler="processes"``, ``num_workers`` 1 or 2, and prints its own elapsed time:
the "warm" rows time the computation on a pool whose workers are already started,
the "cold" rows a plain ``compute`` that starts its own pool (spawn, Dask's default),
start-up included.  Every measurement is the best of --repeat runs, python3 and pvm in
the same invocation; pvm counts down a twentieth of python3's total, so that both take
about as long, and the ratio column is per unit of work.  Each worker is a pvm with its
own GIL, so 2 workers should be faster than 1 on 2 cores (acceptance: at least 1.6x,
warm, under pvm).  Measure on a quiet machine: the load average is printed with the table.
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
ACCEPT = 1.6  # 2 workers over 1, warm, under pvm


def _time(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds >= 1 else f"{seconds * 1e3:.1f} ms"


def bag_rows(total: int, repeat: int, timeout: float, modes: list[str]) -> list[Row]:
    """The countdown bag on 1 and 2 workers; each interpreter's speed-up over 1 worker."""
    rows = []
    for mode in modes:
        extra = ["cold"] if mode == "cold" else []
        try:
            py = {
                n: best([*PYTHON, "bag_cpu.py", str(n), str(total), *extra], repeat, timeout)
                for n in (1, 2)
            }
            pv = {
                n: best([*PVM_RUN, "bag_cpu.py", str(n), str(total // 20), *extra], repeat, timeout)
                for n in (1, 2)
            }
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            rows.append(Row(f"dask.bag map, {mode}", "-", "-", "-", str(exc)[:60], False))
            continue
        for n in (1, 2):
            speedup = pv[1] / pv[n]
            if n == 1:
                text, holds = "1x", None
            elif mode == "warm":
                text, holds = f">={ACCEPT}x (2 cores)", speedup >= ACCEPT
            else:
                text, holds = "", None
            rows.append(
                Row(
                    f"dask.bag map, {mode}, {n} worker{'s' if n > 1 else ''}",
                    f"{_time(py[n])} ({py[1] / py[n]:.2f}x)",
                    f"{_time(pv[n])} ({speedup:.2f}x)",
                    f"{pv[n] / py[n] * 20:.1f}",
                    text,
                    holds,
                )
            )
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
    """Run the Dask benchmark and print the table; exit 1 if an expectation fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one run each")
    parser.add_argument(
        "--tiny", action="store_true", help="the smallest inputs, one run each (a smoke test)"
    )
    parser.add_argument(
        "--only", choices=("warm", "cold"), action="append", help="run only these rows"
    )
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    opts = parser.parse_args(argv)
    repeat = 1 if opts.quick or opts.tiny else opts.repeat
    q = 100 if opts.tiny else 4 if opts.quick else 1
    started = time.perf_counter()
    load = os.getloadavg()[0]
    rows = bag_rows(80_000_000 // q, repeat, opts.timeout, opts.only or ["warm", "cold"])
    mode = "tiny" if opts.tiny else "quick" if opts.quick else f"best of {repeat}"
    print(
        f"python3 {sys.version.split()[0]}; {os.cpu_count()} cores; {mode}; load average "
        f"{load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end; "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(render(rows, opts.markdown))
    return 0 if all(r.holds is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
