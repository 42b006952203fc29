"""Take the screenshots of pvm trace's page that docs/trace.md and the README show.

Usage: python3 benchmarks/trace/screenshots.py [OUTDIR]   (default: docs/images)

Needs selenium and Debian's chromium and chromium-driver.  Each picture is one program
at one step: the seed's add() example at `return result` and one step later, the
producer/consumer threads with the GIL strip, and a generator, a closure and a cycle.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHOTS = [
    # (picture, program, pvm trace options, step (1-based), window height)
    ("trace-add-return.png", "examples/add_memory.py", [], 6, 760),
    ("trace-add-after.png", "examples/add_memory.py", [], 7, 760),
    (
        "trace-threads.png",
        "tests/observe/trace_programs/producer_consumer.py",
        ["--schedule", "deterministic", "--seed", "3"],
        60,
        1250,
    ),
    (
        "trace-generator-gc.png",
        "tests/observe/trace_programs/generator_closure_gc.py",
        [],
        28,
        1000,
    ),
]


def main() -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pvm-trace-shots-"))
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        for name, program, args, step, height in SHOTS:
            page = work / (Path(program).stem + ".html")
            if not page.exists():
                subprocess.run(
                    [sys.executable, "-m", "pvm", "trace", *args, "-o", str(page), program],
                    cwd=REPO,
                    check=True,
                    capture_output=True,
                )
            driver.set_window_size(1400, height)
            driver.get(page.as_uri() + f"#step={step}")
            driver.save_screenshot(str(out / name))
            print("wrote", out / name)
    finally:
        driver.quit()
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
