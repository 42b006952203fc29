"""Issue 13's acceptance as a benchmark: `pvm compare cpu` and `pvm compare io`, checked and tabled.

Run `python3 benchmarks/compare/acceptance.py --run DIR` (writes DIR/cpu.json, DIR/io.json
and DIR/compare-cpu.png, DIR/compare-io.png; about five minutes on a quiet 2-core
machine), or give two documents made earlier: `acceptance.py cpu.json io.json`.  Prints
the README's table: each criterion under python3 and pvm, and whether it holds.

    cpu: the best process model with 2 workers at least 1.7x the sequential run; every
         thread model with 2 workers at most 1.15x; the verdict says processes
    io:  threads and asyncio with 4 workers within 15% of the best process model
         (at least 0.85 of its speed-up); the verdict says threads / asyncio
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def speedup(entry: dict, family: str, workers: int, model: str | None = None) -> tuple[float, str]:
    """Return the best speed-up (and the model's label) of a family, or one model, at N workers."""
    found = (0.0, "-")
    for m in entry["models"]:
        if m["status"] != "ok" or m["family"] != family or (model and m["model"] != model):
            continue
        for run in m["runs"]:
            if run["workers"] == workers and run["speedup"] and run["speedup"] > found[0]:
                found = (run["speedup"], m["label"])
    return found


def rows(cpu: dict, io: dict) -> list[tuple[str, list[str], bool]]:
    """Return (criterion, a cell per interpreter, holds) for each criterion."""
    out = []
    cells, ok = [], True
    for e in cpu["interpreters"]:
        s, label = speedup(e, "processes", 2)
        cells.append(f"{s:.2f}x ({label})")
        ok &= s >= 1.7
    out.append(("cpu: processes, 2 workers >= 1.7x", cells, ok))
    cells, ok = [], True
    for e in cpu["interpreters"]:
        s, label = speedup(e, "threads", 2)
        cells.append(f"{s:.2f}x ({label})")
        ok &= s <= 1.15
    out.append(("cpu: threads, 2 workers <= 1.15x", cells, ok))
    verdicts = [e["verdict"]["model"] for e in cpu["interpreters"]]
    out.append(("cpu: verdict processes", verdicts, set(verdicts) == {"processes"}))
    for model in ("threads", "asyncio"):
        cells, ok = [], True
        for e in io["interpreters"]:
            s, _ = speedup(e, "threads", 4, model)
            p, label = speedup(e, "processes", 4)
            cells.append(f"{s:.2f}x vs {p:.2f}x ({label})")
            ok &= p > 0 and s >= 0.85 * p
        out.append((f"io: {model}, 4 workers within 15% of processes", cells, ok))
    verdicts = [e["verdict"]["model"] for e in io["interpreters"]]
    criterion = f"io: verdict threads / asyncio (headline: {io['verdict']['label']})"
    out.append((criterion, verdicts, set(verdicts) == {"threads"}))
    return out


def markdown(cpu: dict, io: dict) -> str:
    """Return the acceptance table in markdown, with the runs' load averages."""
    names = [e["name"] for e in cpu["interpreters"]]
    lines = [
        "| criterion | " + " | ".join(names) + " | holds |",
        "|---|" + "---|" * len(names) + "---|",
    ]
    for name, cells, ok in rows(cpu, io):
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {'yes' if ok else 'NO'} |")
    for what, doc in (("cpu", cpu), ("io", io)):
        m = doc["machine"]
        lines.append(
            f"\n`{what}`: started {m['started']}, {m['seconds']} s, load average "
            f"{m['load_before']:.2f} before and {m['load_after']:.2f} after, {m['cores']} cores"
        )
    return "\n".join(lines) + "\n"


def run(directory: Path, repeat: int) -> tuple[Path, Path]:
    """Run both comparisons, writing their documents and charts into directory."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for workload in ("cpu", "io"):
        out = directory / f"{workload}.json"
        cmd = [sys.executable, "-m", "pvm", "compare", workload, "--format", "json", "-o", str(out)]
        cmd += ["--repeat", str(repeat), "--chart", str(directory / f"compare-{workload}.png")]
        subprocess.run(cmd, check=True)
        paths.append(out)
    return paths[0], paths[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "documents", nargs="*", help="cpu.json io.json (made by pvm compare --format json)"
    )
    parser.add_argument("--run", metavar="DIR", help="run both comparisons first, into DIR")
    parser.add_argument(
        "--repeat", type=int, default=3, help="best of N runs per measurement (default 3)"
    )
    opts = parser.parse_args(argv)
    if opts.run:
        cpu_path, io_path = run(Path(opts.run), opts.repeat)
    elif len(opts.documents) == 2:
        cpu_path, io_path = map(Path, opts.documents)
    else:
        parser.error("give --run DIR, or the two documents cpu.json io.json")
    cpu, io = (json.loads(p.read_text()) for p in (cpu_path, io_path))
    sys.stdout.write(markdown(cpu, io))
    return 0 if all(ok for _, _, ok in rows(cpu, io)) else 1


if __name__ == "__main__":
    sys.exit(main())
