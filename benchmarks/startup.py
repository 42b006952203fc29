"""Time start-up and library imports under python3, pvm and pvm's guest world, in one run."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
IMPORTS = "import asyncio, json, re, dataclasses, collections, threading"

# (label, source run with -c)
PROGRAMS = [
    ("-c pass", "pass"),
    (IMPORTS, IMPORTS),
]

# (label, command prefix, extra environment)
INTERPRETERS = [
    ("python3", [sys.executable], {}),
    ("pvm --native-stdlib", [sys.executable, "-m", "pvm", "run"], {"PVM_GUEST_WORLD": "0"}),
    (
        "pvm (guest world, the default)",
        [sys.executable, "-m", "pvm", "run"],
        {"PVM_GUEST_WORLD": "1"},
    ),
]


def time_once(cmd: list[str], env: dict[str, str]) -> float:
    """Run cmd once (it must succeed) and return its wall-clock seconds."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, check=False, timeout=600)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--repeat", type=int, default=5, help="best of N (default 5)")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(SRC))
    rows = []
    for label, source in PROGRAMS:
        # A warm cache first (pvm's bytecode caches, the library cache, the OS's file
        # cache), then runs interleaved across interpreters so load drift hits all alike.
        for _, prefix, extra in INTERPRETERS:
            time_once([*prefix, "-c", source], {**env, **extra})
        best = [float("inf")] * len(INTERPRETERS)
        for _ in range(args.repeat):
            for i, (_, prefix, extra) in enumerate(INTERPRETERS):
                best[i] = min(best[i], time_once([*prefix, "-c", source], {**env, **extra}))
        rows.append((label, best))
    names = [name for name, _, _ in INTERPRETERS]
    print(f"python3 {sys.version.split()[0]}; best of {args.repeat}, warm caches; wall clock")
    print(
        "| program | "
        + " | ".join(f"{n} s" for n in names)
        + " | "
        + " | ".join(f"{n} / python3" for n in names[1:])
        + " |"
    )
    print("|---|" + "---:|" * (2 * len(names) - 1))
    for label, best in rows:
        ratios = " | ".join(f"{t / best[0]:.1f}x" for t in best[1:])
        print(f"| `{label}` | " + " | ".join(f"{t:.3f}" for t in best) + f" | {ratios} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
