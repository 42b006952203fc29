"""Compile every .py file under a directory with pvm and compare SyntaxErrors with the host's.

Usage: python3 tests/compiler/sweep.py [DIR] [--jobs N]
The host's compile() is used here only to learn CPython's answer (a test-side reference).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor


def check(path: str) -> tuple[str, str]:
    """Return (status, detail) for one file."""
    from pvm.compiler import compile_source

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return "skip", str(exc)
    try:
        compile(data, path, "exec", dont_inherit=True)
        expected = None
    except SyntaxError as exc:
        expected = (type(exc).__name__, exc.msg, exc.lineno, exc.offset)
    except Exception as exc:  # noqa: BLE001 - ValueError for null bytes etc.
        expected = (type(exc).__name__, str(exc), None, None)
    try:
        compile_source(data, path, "exec")
        got = None
    except SyntaxError as exc:
        got = (type(exc).__name__, exc.msg, exc.lineno, exc.offset)
    except NotImplementedError as exc:
        return "unsupported", str(exc)
    except Exception:  # noqa: BLE001 - any other exception is the bug we look for
        return "crash", traceback.format_exc(limit=6)
    if got == expected:
        return "ok", ""
    if expected is not None and got is not None and expected[0] == got[0] and expected[1] == got[1]:
        return "position", f"expected {expected} got {got}"
    return "mismatch", f"expected {expected} got {got}"


def main() -> int:
    """Run the sweep and print a summary."""
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default=os.path.dirname(os.__file__))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    paths = []
    for dirpath, dirnames, filenames in os.walk(args.root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".py"):
                paths.append(os.path.join(dirpath, name))
    if args.limit:
        paths = paths[: args.limit]
    start = time.time()
    counts: dict[str, int] = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        for path, (status, detail) in zip(paths, pool.map(check, paths, chunksize=8)):
            counts[status] = counts.get(status, 0) + 1
            if status != "ok":
                print(f"{status}: {path}\n    {detail.strip()}")
    print(f"{len(paths)} files in {time.time() - start:.1f}s: {counts}")
    return 0 if set(counts) <= {"ok", "skip"} else 1


if __name__ == "__main__":
    sys.exit(main())
