"""Compile every .py file of the host's standard library with pvm and compare with CPython.

Run as a script (``python3 tests/cli/stdlib_sweep.py [-j N] [--limit N]``) to print the
files where pvm and CPython disagree, and the time taken; tests/cli/test_stdlib_sweep.py
runs it under the ``slow`` marker. pvm's side is exactly what `pvm compile --no-write`
does per file (pvm.cli.compile_one); CPython's side runs in a separate python3 process,
since the reference interpreter is CPython itself, never pvm.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

# A python3 program that compiles each file named on stdin and prints one JSON result a line.
_REFERENCE = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
for line in sys.stdin:
    path = line.rstrip("\n")
    try:
        with open(path, "rb") as f:
            compile(f.read(), path, "exec", dont_inherit=True)
    except SyntaxError as e:
        print(json.dumps([path, "SyntaxError", e.msg, e.lineno, e.offset]))
    except Exception as e:
        print(json.dumps([path, type(e).__name__, str(e), None, None]))
    else:
        print(json.dumps([path, None, None, None, None]))
"""


def stdlib_files(limit: int | None = None) -> list[str]:
    """Return every .py file under the host's stdlib directory (not site-packages)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        str(p) for p in root.rglob("*.py") if "site-packages" not in p.relative_to(root).parts
    )
    return files[:limit] if limit else files


def reference_results(files: list[str]) -> dict[str, tuple]:
    """Return CPython's verdict for each file: (error type, message, line, offset)."""
    proc = subprocess.run(
        [sys.executable, "-c", _REFERENCE],
        input="\n".join(files) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    results = {}
    for line in proc.stdout.splitlines():
        path, kind, msg, lineno, offset = json.loads(line)
        results[path] = (kind, msg, lineno, offset)
    return results


def _pvm_one(path: str) -> tuple[str, tuple]:
    """Compile one file the way `pvm compile --no-write` does; return its verdict."""
    import warnings

    from pvm import cli
    from pvm.bytecode import cache

    warnings.simplefilter("ignore")
    compile_fn = cli._compile_fn()
    try:
        cache.compile_file(path, compile_fn, write=False)
    except SyntaxError as e:
        return path, ("SyntaxError", e.msg, e.lineno, e.offset)
    except Exception as e:  # noqa: BLE001 - any other exception is what the sweep looks for
        return path, (type(e).__name__, f"{e}"[:300], None, None)
    return path, (None, None, None, None)


def pvm_results(files: list[str], jobs: int) -> dict[str, tuple]:
    """Return pvm's verdict for each file, compiling in ``jobs`` processes."""
    if jobs <= 1:
        return dict(map(_pvm_one, files))
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        return dict(pool.imap_unordered(_pvm_one, files, chunksize=8))


def compare(reference: dict[str, tuple], ours: dict[str, tuple]) -> list[str]:
    """Return one line per file where pvm's verdict differs from CPython's."""
    problems = []
    for path, expected in sorted(reference.items()):
        actual = ours.get(path)
        if actual != expected:
            problems.append(f"{path}: python3 {expected} pvm {actual}")
    return problems


def sweep(jobs: int = 2, limit: int | None = None) -> tuple[int, list[str], float]:
    """Compile the stdlib with pvm; return (files, disagreements, seconds for pvm)."""
    files = stdlib_files(limit)
    reference = reference_results(files)
    start = time.perf_counter()
    ours = pvm_results(files, jobs)
    elapsed = time.perf_counter() - start
    return len(files), compare(reference, ours), elapsed


def main() -> int:
    """Run the sweep and print a summary; exit 1 if pvm and CPython disagree anywhere."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    args = parser.parse_args()
    count, problems, elapsed = sweep(args.jobs, args.limit)
    for line in problems:
        print(line)
    print(
        f"{count} files, {count - len(problems)} agree with CPython, "
        f"{len(problems)} differ; pvm took {elapsed:.1f} s with {args.jobs} process(es)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
