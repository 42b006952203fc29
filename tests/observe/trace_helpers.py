"""Helpers for pvm trace's tests: run `pvm trace`, replay a trace, drive the page in Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def pvm_trace(cwd: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run `pvm trace ARGS` in cwd and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "pvm", "trace", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        timeout=timeout,
        check=False,
    )


def trace_json(tmp: Path, program: Path | str, *args: str) -> dict:
    """Trace program as JSON (extra args before the program) and return the document."""
    out = tmp / "trace.json"
    proc = pvm_trace(tmp, "--format", "json", "-o", str(out), *args, str(program))
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text())


def states(doc: dict) -> list[dict]:
    """Return the whole state map after each step (a copy per step)."""
    out = []
    state: dict[str, Any] = {}
    for step in doc["steps"]:
        for key in step.get("del", ()):
            state.pop(key, None)
        state.update(step.get("set", {}))
        out.append(dict(state))
    return out


def chromium_driver() -> Any:
    """Return a headless Chromium driven by selenium, or skip (fail under CI) if missing."""
    missing = []
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install selenium)")
    browser = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        missing.append("chromium and chromium-driver (apt-get install chromium chromium-driver)")
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs them (.ci/run): a missing one is a failure
        pytest.skip(message)
    options = Options()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(arg)
    options.binary_location = browser
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def console_errors(driver: Any) -> list[dict]:
    """Return the page's console messages at level SEVERE (errors, uncaught exceptions)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
