"""pvm trace on 100,000 steps: time to record and write the page, its size, time to open it.

Usage: python3 benchmarks/trace/run.py [--rounds N] [--keep DIR]

Runs `pvm trace` on benchmarks/trace/loop.py (2 line steps per round of its loop, so
50,000 rounds and the lines around the loop are 100,007 steps), then opens the page in headless Chromium (selenium
and the chromium/chromium-driver packages; skipped without them) and reports how long
the first step took to draw.  Prints the machine's load average beside the numbers: a
loaded machine's numbers are not acceptance numbers.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def trace(out: Path, rounds: int) -> tuple[float, float, str]:
    """Run pvm trace; return (wall seconds, CPU seconds of the child, its stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "trace", "--max-steps", str(2 * rounds + 10)]
        + ["-o", str(out), str(HERE / "loop.py"), str(rounds)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stderr.strip()


def open_in_chromium(page: Path) -> tuple[float, float] | None:
    """Return (seconds for the browser to load the page, ms until the first step was drawn)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return None
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        start = time.perf_counter()
        driver.get(page.as_uri() + "#step=50000")
        loaded = time.perf_counter() - start
        ready = float(driver.find_element("tag name", "body").get_attribute("data-ready"))
        return loaded, ready
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50_000)
    parser.add_argument("--keep", help="write the page into this directory and keep it")
    ns = parser.parse_args()
    directory = Path(ns.keep or tempfile.mkdtemp(prefix="pvm-trace-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    page = directory / "loop.trace.html"
    load = os.getloadavg()
    wall, cpu, note = trace(page, ns.rounds)
    size = page.stat().st_size
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} cores)"
    )
    print(note)
    print(f"record and write: {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"page size: {size / 1e6:.1f} MB")
    opened = open_in_chromium(page)
    if opened is None:
        print("open in Chromium: not measured (selenium or chromium/chromium-driver missing)")
    else:
        print(
            f"open in Chromium: {opened[0]:.2f} s to load, first step drawn at {opened[1]:.0f} ms"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not ns.keep:
        shutil.rmtree(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
