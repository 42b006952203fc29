"""Run the differential conformance suite and summarise pass/fail by construct (for the README)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def construct_of(name: str, classname: str) -> str:
    """Map a pytest test (name, module) to the construct it exercises."""
    m = re.match(r"test_program\[([^/\]]+)/", name)
    if m:
        return m.group(1).rstrip("_")
    m = re.match(r"test_snippet\[([a-z_]+)-\d+\]", name)
    if m:
        return "snippets: " + m.group(1)
    # Otherwise the test module says it: test_cli -> "cli", test_generated -> "generated".
    return classname.rsplit(".", 1)[-1].removeprefix("test_")


def main(argv: list[str] | None = None) -> int:
    """Run pytest on tests/conformance with a JUnit report and print a table by construct."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                str(ROOT / "tests" / "conformance"),
                "-m",
                "not slow",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report}",
                *opts.pytest_args,
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        tree = ET.parse(report)
    results: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for case in tree.iter("testcase"):
        name = case.get("name", "")
        if name == "test_every_construct_has_several_programs" or "parse_verbose" in name:
            continue
        skipped = case.find("skipped")
        # A known difference (strict xfail) is a case that does not match python3.
        known = skipped is not None and skipped.get("type") == "pytest.xfail"
        failed = case.find("failure") is not None or case.find("error") is not None or known
        results[construct_of(name, case.get("classname", ""))].append((name, not failed))
    rows = []
    for construct in sorted(results):
        cases = results[construct]
        passed = sum(ok for _, ok in cases)
        failing = [re.sub(r"^test_\w+\[(.*)\]$", r"\1", n) for n, ok in cases if not ok]
        rows.append((construct, passed, len(cases), ", ".join(failing)))
    total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    if opts.markdown:
        print("| construct | pass | of | failing cases |\n|---|---:|---:|---|")
        for c, p, n, f in rows:
            print(f"| {c} | {p} | {n} | {f} |")
        print(f"| **total** | **{total[0]}** | **{total[1]}** | |")
    else:
        for c, p, n, f in rows:
            print(f"{c:<28} {p:>4}/{n:<4} {f}")
        print(f"{'total':<28} {total[0]:>4}/{total[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
