"""Run every benchmark under python3 and under pvm in one invocation and print the time ratios."""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = [sys.executable]
PVM = [sys.executable, "-m", "pvm", "run"]
# --quick runs each program at a quarter of its default size, once.
QUICK_DIVISOR = 4


@dataclass
class Result:
    """Timings and verdict for one benchmark program."""

    name: str
    python_s: float | None = None
    pvm_s: float | None = None
    status: str = "ok"

    @property
    def ratio(self) -> float | None:
        """Return pvm time / python3 time, or None when the run was not a valid timing."""
        if self.status != "ok" or not self.python_s or self.pvm_s is None:
            return None
        return self.pvm_s / self.python_s


def default_scale(path: Path) -> int:
    """Return the default size a program passes to main() (its trailing `else N)`)."""
    last = path.read_text().rstrip().splitlines()[-1]
    return int(last.rsplit("else", 1)[1].strip(" )"))


def time_once(cmd: list[str], timeout: float) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Run cmd once; return wall-clock seconds and the finished process."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=HERE, check=False)
    return time.perf_counter() - start, proc


def bench(path: Path, repeat: int, scale: int | None, timeout: float) -> Result:
    """Time one program under both interpreters (best of `repeat`) after checking outputs agree."""
    args = [str(path)] + ([str(scale)] if scale is not None else [])
    result = Result(path.stem)
    py_times, pvm_times = [], []
    for _ in range(repeat):
        t, ref = time_once(PYTHON + args, timeout)
        py_times.append(t)
        try:
            t, got = time_once(PVM + args, timeout)
        except subprocess.TimeoutExpired:
            result.status = f"timeout>{timeout:.0f}s"
            break
        pvm_times.append(t)
        if (got.stdout, got.returncode) != (ref.stdout, ref.returncode) or ref.returncode:
            # A wrong answer is not a speed: report it and stop timing this program.
            err = got.stderr.decode("utf-8", "replace").strip().splitlines()
            result.status = "WRONG: " + (err[-1][:60] if err else "different output")
            break
    result.python_s = min(py_times) if py_times else None
    result.pvm_s = min(pvm_times) if pvm_times and result.status == "ok" else None
    return result


def geomean(values: list[float]) -> float:
    """Return the geometric mean of positive values."""
    return math.exp(sum(math.log(v) for v in values) / len(values))


def render(results: list[Result], markdown: bool) -> str:
    """Format results as a plain or markdown table with the geometric mean of ratios."""
    rows = []
    for r in results:
        rows.append(
            (
                r.name,
                f"{r.python_s:.3f}" if r.python_s is not None else "-",
                f"{r.pvm_s:.3f}" if r.pvm_s is not None else "-",
                f"{r.ratio:.1f}x" if r.ratio is not None else r.status,
            )
        )
    ratios = [r.ratio for r in results if r.ratio is not None]
    gm = f"{geomean(ratios):.1f}x" if ratios else "n/a"
    footer = f"geometric mean of pvm/python3 over {len(ratios)} of {len(results)} programs: {gm}"
    head = ("program", "python3 s", "pvm s", "ratio")
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines) + f"\n\n{footer}\n"
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    fmt = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in rows]
    return "\n".join(lines) + f"\n{footer}\n"


def run_threads(opts: argparse.Namespace) -> int:
    """Run benchmarks/threads/bench.py with the same repeat, quick, markdown and timeout options."""
    sys.path.insert(0, str(HERE / "threads"))
    import bench  # benchmarks/threads/bench.py

    args = ["--repeat", str(opts.repeat), "--timeout", str(opts.timeout)]
    args += ["--quick"] * opts.quick + ["--markdown"] * opts.markdown
    return bench.main(args)


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the selected benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one run each")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("-k", dest="select", default="", help="only programs whose name has this")
    parser.add_argument(
        "--threads", action="store_true", help="run the threads benchmarks (benchmarks/threads)"
    )
    opts = parser.parse_args(argv)
    if opts.threads:
        return run_threads(opts)
    programs = sorted(p for p in HERE.glob("bm_*.py") if opts.select in p.stem)
    results = []
    for path in programs:
        scale = max(1, default_scale(path) // QUICK_DIVISOR) if opts.quick else None
        result = bench(path, 1 if opts.quick else opts.repeat, scale, opts.timeout)
        results.append(result)
        print(f"  {result.name}: {result.status}", file=sys.stderr, flush=True)
    print(
        f"python3 {sys.version.split()[0]}; {'quick' if opts.quick else f'best of {opts.repeat}'}"
    )
    print(render(results, opts.markdown))
    return 0 if all(r.status == "ok" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
