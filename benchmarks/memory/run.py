"""Measure what `pvm memory` costs: nothing when it is off, and how much per step when it is on."""

# Part 1 (off): the single-thread benchmark programs under `pvm run`, with this tree and
# with a baseline tree (this tree minus the interpreter-side edits the memory feature
# made: the commits named by --revert, found by default by their messages), run in
# alternation, best of N each.  The feature's code runs only while observing, so the
# ratio should be 1.00 within noise (acceptance: at most 2% slower).
#
# Part 2 (on): a few programs under `pvm run` and under `pvm memory` in each mode;
# the slowdown and the cost per observed step (line or instruction).

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
REPO = BENCH.parent
# Commits whose src/ edits belong to the memory feature's interpreter side (reversed on
# the baseline), and the file it owns whole (taken from before its first change).
FEATURE_GREP = "minimal edit by M"
OWNED_FILE = "src/pvm/vm/trace.py"
OWNED_FIRST = "trace: an internal observer hook"

ON_PROGRAMS = {  # program, scale: small, so that per-step observation stays short
    "bm_calls": 1,
    "bm_loops": 1,
    "bm_nqueens": 1,
}
ON_MODES = {
    "at exit (default)": [],
    "--at FUNC": ["--at", "main"],
    "--every-line --max-snapshots 1": ["--every-line", "--max-snapshots", "1"],
    "--refs --max-steps 20000": ["--refs", "--max-steps", "20000"],
    "--every-line --max-steps 2000": ["--every-line", "--max-steps", "2000", "--max-snapshots", "2000"],
    "--every-instruction --max-steps 2000": [
        "--every-instruction", "--max-steps", "2000", "--max-snapshots", "2000",
    ],
}  # fmt: skip


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout


def baseline_tree(rev: str, reverts: list[str], into: Path, keep_owned: bool = False) -> Path:
    """Export src/ at rev into a directory and reverse-apply the given commits there."""
    archive = subprocess.run(
        ["git", "archive", rev, "src"], cwd=REPO, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    for commit in reverts:
        patch = git("show", "--format=", commit, "--", "src")
        proc = subprocess.run(["git", "apply", "-R"], cwd=into, input=patch, text=True, check=False)
        if proc.returncode:
            raise SystemExit(f"cannot revert {commit[:10]} on {rev}")
    before = None if keep_owned else owned_file_before()
    if before is not None:
        (into / OWNED_FILE).write_text(before)
    return into / "src"


def feature_commits() -> list[str]:
    return git("log", "--format=%H", f"--grep={FEATURE_GREP}", "--fixed-strings").split()


def owned_file_before() -> str | None:
    first = git("log", "--format=%H", f"--grep={OWNED_FIRST}", "--fixed-strings").split()
    if not first:
        return None
    return git("show", f"{first[-1]}^:{OWNED_FILE}")


def time_run(
    cmd: list[str], src: Path, timeout: float
) -> tuple[float, subprocess.CompletedProcess]:
    env = dict(os.environ, PYTHONPATH=str(src))
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=BENCH, capture_output=True, env=env, timeout=timeout, check=False
    )
    return time.perf_counter() - start, proc


def part_off(opts: argparse.Namespace) -> list[tuple[str, float, float]]:
    """Time `pvm run` on each program with the baseline tree and this tree, alternately."""
    reverts = opts.revert or feature_commits()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as tmp2:
        base = baseline_tree(opts.baseline, reverts, Path(tmp))
        # The same revision without the reversals (not the working tree, which may hold
        # other uncommitted work).
        here = baseline_tree(opts.baseline, [], Path(tmp2), keep_owned=True)
        print(f"baseline: {opts.baseline} minus {len(reverts)} commit(s)", file=sys.stderr)
        for path in sorted(BENCH.glob("bm_*.py")):
            if opts.select not in path.stem:
                continue
            last = path.read_text().rstrip().splitlines()[-1]
            scale = max(1, int(last.rsplit("else", 1)[1].strip(" )")) // opts.divisor)
            cmd = [sys.executable, "-m", "pvm", "run", str(path), str(scale)]
            best_base = best_here = math.inf
            for _ in range(opts.repeat):
                t, _p = time_run(cmd, base, opts.timeout)
                best_base = min(best_base, t)
                t, proc = time_run(cmd, here, opts.timeout)
                if proc.returncode:
                    raise SystemExit(f"{path.name} failed: {proc.stderr.decode()[-300:]}")
                best_here = min(best_here, t)
            rows.append((path.stem, best_base, best_here))
            print(f"  {path.stem}: {best_here / best_base:.3f}", file=sys.stderr, flush=True)
    return rows


def part_on(opts: argparse.Namespace) -> list[tuple[str, str, float, float, int]]:
    """Time `pvm run` and `pvm memory` modes on a few programs; return the rows."""
    rows = []
    src = REPO / "src"
    for name, scale in ON_PROGRAMS.items():
        if opts.select not in name:
            continue
        path = BENCH / f"{name}.py"
        run_cmd = [sys.executable, "-m", "pvm", "run", str(path), str(scale)]
        base = min(time_run(run_cmd, src, opts.timeout)[0] for _ in range(opts.repeat))
        for label, args in ON_MODES.items():
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "r.json"
                cmd = [sys.executable, "-m", "pvm", "memory", "--format", "json", "-o", str(report)]
                cmd += [*args, str(path), str(scale)]
                best = math.inf
                for _ in range(opts.repeat):
                    t, proc = time_run(cmd, src, opts.timeout)
                    if proc.returncode:
                        raise SystemExit(f"{name} {label} failed: {proc.stderr.decode()[-300:]}")
                    best = min(best, t)
                steps = json.loads(report.read_text())["steps"]
            rows.append((name, label, base, best, steps))
            print(f"  {name} {label}: {best / base:.2f}x", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run part 1 and/or part 2 and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--off", action="store_true", help="only part 1 (feature not in use)")
    parser.add_argument("--on", action="store_true", help="only part 2 (pvm memory modes)")
    parser.add_argument("-n", "--repeat", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--divisor", type=int, default=4, help="part 1 scale: default / N")
    parser.add_argument("--baseline", default="HEAD", help="git revision of the baseline tree")
    parser.add_argument("--revert", action="append", help="commit to reverse-apply on it")
    parser.add_argument("-k", dest="select", default="", help="only programs with this in the name")
    parser.add_argument("--timeout", type=float, default=300.0)
    opts = parser.parse_args(argv)
    both = not opts.off and not opts.on
    print(f"python3 {sys.version.split()[0]}; best of {opts.repeat}")
    if opts.off or both:
        rows = part_off(opts)
        print("\nPart 1: pvm run, baseline tree vs this tree (feature not in use)\n")
        print(f"{'program':<20} {'baseline s':>10} {'this s':>10} {'ratio':>7}")
        for name, b, h in rows:
            print(f"{name:<20} {b:>10.3f} {h:>10.3f} {h / b:>7.3f}")
        if rows:
            gm = math.exp(sum(math.log(h / b) for _n, b, h in rows) / len(rows))
            print(f"{'geomean':<20} {'':>10} {'':>10} {gm:>7.3f}")
    if opts.on or both:
        rows2 = part_on(opts)
        print("\nPart 2: pvm memory modes vs pvm run (same program and size)\n")
        print(
            f"{'program':<12} {'mode':<38} {'run s':>7} {'memory s':>9} {'slowdown':>9} {'steps':>7} {'us/step':>8}"
        )
        for name, label, base, t, steps in rows2:
            per = f"{(t - base) / steps * 1e6:8.0f}" if steps else f"{'-':>8}"
            print(
                f"{name:<12} {label:<38} {base:>7.3f} {t:>9.3f} {t / base:>8.2f}x {steps:>7} {per}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
