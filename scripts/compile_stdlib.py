"""Compile every .py file of the host stdlib with `pvm compile --no-write` and check it against CPython."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import sysconfig
import time
import traceback
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# One report per failing file: the `File "..."` line, source and caret lines, then `XError: msg`.
BLOCK = re.compile(
    r'^  File "(?P<path>[^"\n]+)", line \d+\n(?:[ \t].*\n)*?(?P<kind>\w+): .*\n?', re.MULTILINE
)
# Compile-time warnings (SyntaxWarning, DeprecationWarning) are legitimate output, as in py_compile.
WARNING = re.compile(r"^\S[^\n]*:\d+: \w*Warning: .*\n(?:[ \t]+.*\n)?", re.MULTILINE)


def stdlib_files() -> list[Path]:
    """Return every .py file of the host's standard library (tests included, site-packages not)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)


def cpython_verdict(path: Path) -> str | None:
    """Return CPython's error report for path exactly as py_compile prints it, or None if it compiles."""
    data = path.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # Host compile here only learns CPython's answer; nothing it produces is run.
            compile(data, str(path), "exec", dont_inherit=True)
        except SyntaxError as exc:
            return "".join(traceback.format_exception_only(type(exc), exc))
        except (ValueError, OverflowError, RecursionError, MemoryError) as exc:
            return f"{type(exc).__name__}: {exc}\n"
    return None


def pvm_batch(paths: list[Path], timeout: float) -> tuple[dict[str, str], str, int]:
    """Compile a batch with pvm; return per-file error reports, unattributed stderr, exit code."""
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "compile", "--no-write", "-"],
        input="\n".join(map(str, paths)) + "\n",
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    reports: dict[str, str] = {}
    rest = WARNING.sub("", proc.stderr)
    for m in BLOCK.finditer(proc.stderr):
        reports[m.group("path")] = m.group(0) if m.group(0).endswith("\n") else m.group(0) + "\n"
        rest = rest.replace(m.group(0), "", 1)
    return reports, rest.strip(), proc.returncode


def check_batch(
    paths: list[Path], expected: dict[str, str | None], timeout: float
) -> dict[str, str]:
    """Return {file: problem} for files whose pvm verdict differs from CPython's."""
    try:
        reports, rest, code = pvm_batch(paths, timeout)
    except subprocess.TimeoutExpired:
        if len(paths) == 1:
            return {str(paths[0]): f"timeout after {timeout:.0f}s"}
        mid = len(paths) // 2
        return {
            **check_batch(paths[:mid], expected, timeout),
            **check_batch(paths[mid:], expected, timeout),
        }
    if rest and len(paths) > 1:
        # Output we cannot attribute (an escaped exception, a crash): retry file by file.
        problems: dict[str, str] = {}
        for p in paths:
            problems.update(check_batch([p], expected, timeout))
        return problems
    problems = {}
    for p in paths:
        want, got = expected[str(p)], reports.get(str(p))
        if rest and len(paths) == 1:
            problems[str(p)] = "other error escaped:\n" + rest[-1500:]
        elif want != got:
            problems[str(p)] = f"CPython:\n{want or '(compiles)'}\npvm:\n{got or '(compiles)'}"
    if not problems and code != (1 if any(expected[str(p)] for p in paths) else 0):
        problems[f"batch of {len(paths)} from {paths[0]}"] = f"unexpected exit code {code}"
    return problems


def main(argv: list[str] | None = None) -> int:
    """Compile the whole stdlib with pvm in batches and report counts, mismatches and time."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=100, help="files per pvm process")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="pvm processes in parallel")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per batch")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (testing)")
    parser.add_argument("-k", dest="select", default="", help="only files whose path has this")
    opts = parser.parse_args(argv)
    files = [p for p in stdlib_files() if opts.select in str(p)]
    if opts.limit:
        files = files[: opts.limit]
    t0 = time.perf_counter()
    expected = {str(p): cpython_verdict(p) for p in files}
    host_s = time.perf_counter() - t0
    batches = [files[i : i + opts.batch] for i in range(0, len(files), opts.batch)]
    t1 = time.perf_counter()
    problems: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        for found in pool.map(lambda b: check_batch(b, expected, opts.timeout), batches):
            problems.update(found)
    pvm_s = time.perf_counter() - t1
    errors = sum(1 for v in expected.values() if v)
    for path, problem in sorted(problems.items()):
        print(f"MISMATCH {path}\n{problem}\n")
    print(
        f"files: {len(files)} ({len(files) - errors} compile under CPython, {errors} raise SyntaxError)"
    )
    print(
        f"pvm agrees with CPython on {len(files) - len(problems)} of {len(files)} files; "
        f"{len(problems)} mismatches"
    )
    print(
        f"time: pvm compile --no-write {pvm_s:.1f}s wall ({opts.jobs} processes, "
        f"batches of {opts.batch}); host compile {host_s:.1f}s"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
