"""Run every benchmark under python3 and under pvm in one invocation and print the time ratios.

With --baseline DIR, a second pvm (the source tree DIR, e.g. a git worktree of the commit
before a change) is timed in the same invocation, each repeat running python3, the
baseline and this tree back to back, so that load drift affects both pvm columns alike.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = [sys.executable]
PVM = [sys.executable, "-m", "pvm", "run"]
# --quick runs each program at a quarter of its default size, once.
QUICK_DIVISOR = 4


@dataclass
class Pvm:
    """A pvm to time: the source tree it runs from and the environment that selects it."""

    tree: Path
    env: dict[str, str]


def pvm_from(tree: Path) -> Pvm:
    """Return the pvm of source tree `tree`, importing pvm from tree/src ahead of any install."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree / "src"), env.get("PYTHONPATH")]))
    if tree != ROOT:
        # Two pvms whose compilers differ must not share (and keep rewriting) one bytecode
        # cache, or every interleaved run would recompile: the baseline gets its own.
        cache = Path(tempfile.gettempdir()) / "pvm-bench-baseline"
        cache /= hashlib.sha1(str(tree).encode()).hexdigest()[:12]
        env["XDG_CACHE_HOME"] = env["PVM_LIBRARY_CACHE"] = str(cache)
        env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    return Pvm(tree, env)


@dataclass
class Result:
    """Timings and verdict for one benchmark program."""

    name: str
    python_s: float | None = None
    pvm_s: float | None = None
    status: str = "ok"
    base_s: float | None = None
    base_status: str = "ok"

    @property
    def ratio(self) -> float | None:
        """Return pvm time / python3 time, or None when the run was not a valid timing."""
        if self.status != "ok" or not self.python_s or self.pvm_s is None:
            return None
        return self.pvm_s / self.python_s

    @property
    def base_ratio(self) -> float | None:
        """Return baseline pvm time / python3 time, or None without a valid baseline timing."""
        if self.base_status != "ok" or not self.python_s or self.base_s is None:
            return None
        return self.base_s / self.python_s


def default_scale(path: Path) -> int:
    """Return the default size a program passes to main() (its trailing `else N)`)."""
    last = path.read_text().rstrip().splitlines()[-1]
    return int(last.rsplit("else", 1)[1].strip(" )"))


def time_once(
    cmd: list[str], timeout: float, env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Run cmd once; return wall-clock seconds and the finished process."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=HERE, check=False, env=env)
    return time.perf_counter() - start, proc


def time_pvm(
    pvm: Pvm, args: list[str], ref: subprocess.CompletedProcess[bytes], timeout: float
) -> tuple[float | None, str]:
    """Time one run of pvm; return (seconds, "ok") or (None, why it is not a timing)."""
    try:
        t, got = time_once(PVM + args, timeout, pvm.env)
    except subprocess.TimeoutExpired:
        return None, f"timeout>{timeout:.0f}s"
    if (got.stdout, got.returncode) != (ref.stdout, ref.returncode) or ref.returncode:
        # A wrong answer is not a speed: report it and stop timing this pvm.
        err = got.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, "WRONG: " + (err[-1][:60] if err else "different output")
    return t, "ok"


def bench(
    path: Path, repeat: int, scale: int | None, timeout: float, current: Pvm, base: Pvm | None
) -> Result:
    """Time one program under python3 and each pvm (best of `repeat`), checking outputs agree."""
    args = [str(path)] + ([str(scale)] if scale is not None else [])
    result = Result(path.stem)
    py_times: list[float] = []
    pvm_times: list[float] = []
    base_times: list[float] = []
    for _ in range(repeat):
        # python3, then the baseline, then this tree: one round each, so drift hits all alike.
        t, ref = time_once(PYTHON + args, timeout)
        py_times.append(t)
        if base is not None and result.base_status == "ok":
            t, result.base_status = time_pvm(base, args, ref, timeout)
            base_times += [t] if t is not None else []
        if result.status == "ok":
            t, result.status = time_pvm(current, args, ref, timeout)
            pvm_times += [t] if t is not None else []
        if result.status != "ok" and (base is None or result.base_status != "ok"):
            break
    result.python_s = min(py_times) if py_times else None
    result.pvm_s = min(pvm_times) if pvm_times and result.status == "ok" else None
    if base is not None:
        result.base_s = min(base_times) if base_times and result.base_status == "ok" else None
    else:
        result.base_status = "-"
    return result


def geomean(values: list[float]) -> float:
    """Return the geometric mean of positive values."""
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _seconds(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else "-"


def _footer(results: list[Result], baseline: bool) -> str:
    """Return the geometric means: pvm/python3, and with a baseline, both pvms on one set."""
    ratios = [r.ratio for r in results if r.ratio is not None]
    gm = f"{geomean(ratios):.1f}x" if ratios else "n/a"
    footer = f"geometric mean of pvm/python3 over {len(ratios)} of {len(results)} programs: {gm}"
    if not baseline:
        return footer
    # Compare the two pvms on the programs both timed, or one failure would skew the means.
    both = [r for r in results if r.ratio is not None and r.base_ratio is not None]
    if not both:
        return footer + "\nno program has a valid timing under both pvms"
    now = geomean([r.ratio for r in both])
    before = geomean([r.base_ratio for r in both])
    return (
        f"{footer}\n"
        f"over the {len(both)} programs both pvms ran: geometric mean of pvm/python3 "
        f"{now:.2f}x here, {before:.2f}x at the baseline; here/baseline {now / before:.3f} "
        f"({(now / before - 1) * 100:+.1f}%)"
    )


def render(results: list[Result], markdown: bool, baseline: bool = False) -> str:
    """Format results as a plain or markdown table with the geometric mean of ratios."""
    rows = []
    for r in results:
        ratio = f"{r.ratio:.1f}x" if r.ratio is not None else r.status
        if not baseline:
            rows.append((r.name, _seconds(r.python_s), _seconds(r.pvm_s), ratio))
            continue
        base_ratio = f"{r.base_ratio:.1f}x" if r.base_ratio is not None else r.base_status
        change = f"{r.pvm_s / r.base_s:.3f}" if r.pvm_s and r.base_s else "-"
        rows.append(
            (
                r.name,
                _seconds(r.python_s),
                _seconds(r.base_s),
                _seconds(r.pvm_s),
                base_ratio,
                ratio,
                change,
            )
        )
    footer = _footer(results, baseline)
    head: tuple[str, ...] = ("program", "python3 s", "pvm s", "ratio")
    if baseline:
        head = ("program", "python3 s", "base s", "pvm s", "base ratio", "ratio", "pvm/base")
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
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
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one run each")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("-k", dest="select", default="", help="only programs whose name has this")
    parser.add_argument(
        "--threads", action="store_true", help="run the threads benchmarks (benchmarks/threads)"
    )
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        type=Path,
        help="also time the pvm of source tree DIR (e.g. `git worktree add /tmp/base COMMIT`), "
        "run as PYTHONPATH=DIR/src python3 -m pvm run, interleaved with this tree's pvm; "
        "adds its times, its ratio and pvm/base columns and both geometric means",
    )
    opts = parser.parse_args(argv)
    if opts.threads:
        if opts.baseline:
            parser.error("--baseline times the bm_*.py programs, not --threads")
        return run_threads(opts)
    base = None
    if opts.baseline:
        tree = opts.baseline.resolve()
        if not (tree / "src" / "pvm" / "__init__.py").is_file():
            parser.error(f"--baseline {opts.baseline}: no pvm source tree (DIR/src/pvm)")
        base = pvm_from(tree)
    current = pvm_from(ROOT)
    programs = sorted(p for p in HERE.glob("bm_*.py") if opts.select in p.stem)
    results = []
    for path in programs:
        scale = max(1, default_scale(path) // QUICK_DIVISOR) if opts.quick else None
        repeat = 1 if opts.quick else opts.repeat
        result = bench(path, repeat, scale, opts.timeout, current, base)
        results.append(result)
        status = (
            result.status if base is None else f"{result.status}, baseline {result.base_status}"
        )
        print(f"  {result.name}: {status}", file=sys.stderr, flush=True)
    print(
        f"python3 {sys.version.split()[0]}; {'quick' if opts.quick else f'best of {opts.repeat}'}"
        + (f"; baseline pvm: {base.tree}" if base is not None else "")
    )
    print(render(results, opts.markdown, base is not None))
    return 0 if all(r.status == "ok" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
