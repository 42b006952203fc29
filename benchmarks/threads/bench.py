"""The threads benchmarks: CPU-bound, I/O-bound and GIL-releasing work in threads, GIL slices and cost.

Run with `python3 benchmarks/run.py --threads` (or this file directly). Each program
prints its own elapsed time (so interpreter start-up is not counted); every measurement
is the best of --repeat runs, python3 and pvm in the same invocation.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/harness.py
import harness  # noqa: E402
from harness import PVM_RUN, PYTHON  # noqa: E402

elapsed = functools.partial(harness.elapsed, cwd=HERE)
best = functools.partial(harness.best, cwd=HERE)
ROOT = HERE.parents[1]
PVM_GIL = [sys.executable, "-m", "pvm", "gil"]


@dataclass
class Row:
    """One line of the table: a measurement under python3 and pvm and what was expected."""

    name: str
    python3: str
    pvm: str
    expected: str
    holds: bool | None  # None: not measured (a run failed)


def speedups(
    interp: list[str], program: str, counts: list[int], args: list[str], repeat: int, timeout: float
) -> dict[int, float]:
    """Return the elapsed time for each thread count, the same total work split among them."""
    return {n: best([*interp, program, str(n), *args], repeat, timeout) for n in counts}


def _fmt(times: dict[int, float], base: int) -> dict[int, str]:
    return {n: f"{t:.3f} s ({times[base] / t:.2f}x)" for n, t in times.items()}


def scaling_rows(
    label: str,
    program: str,
    counts: list[int],
    py_args: list[str],
    pvm_args: list[str],
    expect: dict[int, tuple[str, float, float]],
    repeat: int,
    timeout: float,
) -> list[Row]:
    """Measure a program at several thread counts under both interpreters; one row per count."""
    try:
        py = speedups(PYTHON, program, counts, py_args, repeat, timeout)
        pv = speedups(PVM_RUN, program, counts, pvm_args, repeat, timeout)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return [Row(f"{label}, {counts}", "-", "-", str(exc)[:60], None)]
    rows = []
    for n in counts:
        text, low, high = expect[n]
        ratio = pv[counts[0]] / pv[n]
        rows.append(
            Row(
                f"{label}, {n} thread{'s' if n > 1 else ''}",
                _fmt(py, counts[0])[n],
                _fmt(pv, counts[0])[n],
                text,
                low <= ratio <= high,
            )
        )
    return rows


def slice_row(n: int, interval: float, timeout: float) -> Row:
    """Median GIL holding slice of two CPU-bound threads under `pvm gil`, against the interval."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "gil.json"
        cmd = [
            *PVM_GIL,
            "--json",
            str(out),
            "--switch-interval",
            str(interval),
            "two_cpu_threads.py",
            str(n),
        ]
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            cwd=HERE,
            env=harness.checkout_env(),
            timeout=timeout,
            check=False,
        )
        if proc.returncode or not out.exists():
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return Row("median holding slice", "-", "-", tail[:60], None)
        doc = json.loads(out.read_text())
    workers = {s["holder"] for s in doc["slots"]} - {1}
    forced = [
        (s["end"] - s["start"]) / 1e6
        for s in doc["slots"]
        if s["holder"] in workers and s["released"] == "DROP_REQUEST"
    ]
    if not forced:
        return Row("median holding slice", "-", "no forced slices", "", None)
    median = statistics.median(forced)
    target = interval * 1000
    return Row(
        f"median holding slice, 2 CPU threads ({len(forced)} forced)",
        "-",
        f"{median:.2f} ms",
        f"within 25% of {target:g} ms",
        abs(median - target) <= 0.25 * target,
    )


def overhead_row(n: int, repeat: int, timeout: float) -> Row:
    """Single-thread time with the GIL machinery (--gil new) against --gil off."""
    try:
        on, off = [], []
        for _ in range(repeat):  # interleaved, so machine noise hits both alike
            on.append(elapsed([*PVM_RUN, "single_thread.py", str(n)], timeout))
            off.append(elapsed([*PVM_RUN, "--gil", "off", "single_thread.py", str(n)], timeout))
        py = best([*PYTHON, "single_thread.py", str(n)], repeat, timeout)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return Row("single-thread cost of the GIL", "-", "-", str(exc)[:60], None)
    cost = min(on) / min(off) - 1
    return Row(
        "single thread: --gil new vs --gil off",
        f"{py:.3f} s",
        f"{min(on):.3f} s vs {min(off):.3f} s ({cost * 100:+.1f}%)",
        "at most +3%",
        cost <= 0.03,
    )


def render(rows: list[Row], markdown: bool) -> str:
    """Format the rows as a plain or markdown table."""
    head = ("measurement", "python3", "pvm", "expected (pvm)", "holds")
    cells = [
        (r.name, r.python3, r.pvm, r.expected, {True: "yes", False: "NO", None: "n/a"}[r.holds])
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|---|---|"]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
        return "\n".join(lines) + "\n"
    widths = [max(len(x) for x in col) for col in zip(head, *cells)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*c) for c in cells]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the threads benchmarks and print the table; exit 1 if an expectation fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one run each")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    opts = parser.parse_args(argv)
    repeat = 1 if opts.quick else opts.repeat
    q = 4 if opts.quick else 1
    started = time.perf_counter()
    rows: list[Row] = []
    stages = [
        lambda: scaling_rows(
            "CPU-bound",
            "cpu_threads.py",
            [1, 2, 4],
            [str(20_000_000 // q)],
            [str(1_000_000 // q)],
            {
                1: ("1x", 0, 10),
                2: ("no speedup (<=1.1x)", 0, 1.1),
                4: ("no speedup (<=1.1x)", 0, 1.1),
            },
            repeat,
            opts.timeout,
        ),
        lambda: scaling_rows(
            "I/O-bound",
            "io_threads.py",
            [1, 4, 16],
            ["64", str(0.02 / q)],
            ["64", str(0.02 / q)],
            {
                1: ("1x", 0, 100),
                4: ("near-linear (>=3x)", 3, 100),
                16: ("near-linear (>=12x)", 12, 100),
            },
            repeat,
            opts.timeout,
        ),
        lambda: scaling_rows(
            "sha256 (releases the GIL)",
            "native_threads.py",
            [1, 2],
            ["16", str(32 // q)],
            ["16", str(32 // q)],
            {1: ("1x", 0, 100), 2: (">=1.6x", 1.6, 100)},
            repeat,
            opts.timeout,
        ),
        lambda: [slice_row(1_000_000 // q, 0.005, opts.timeout)],
        lambda: [overhead_row(400_000 // q, max(repeat, 3), opts.timeout)],
    ]
    for stage in stages:
        for row in stage():
            rows.append(row)
            print(f"  {row.name}: {row.pvm}", file=sys.stderr, flush=True)
    mode = "quick" if opts.quick else f"best of {repeat}"
    print(
        f"python3 {sys.version.split()[0]}; {os.cpu_count()} cores; {mode}; "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(render(rows, opts.markdown))
    return 0 if all(r.holds for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
