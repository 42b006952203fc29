"""pvm trace's page in headless Chromium: the seed's add() example, stepped (acceptance 1).

The page is driven as a user would (the line picker, the arrow key) and read from the
DOM; any JavaScript console error fails the test.  Needs chromium, chromium-driver and
selenium: skipped without them on a developer's machine, a failure under CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from trace_helpers import EXAMPLES, chromium_driver, console_errors, pvm_trace


@pytest.fixture(scope="module")
def driver():
    d = chromium_driver()
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture(scope="module")
def add_page(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("trace_add")
    out = tmp / "add.html"
    proc = pvm_trace(tmp, "-o", str(out), str(EXAMPLES / "add_memory.py"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "30\n"  # the program's own output, untouched
    return out


def _frames(d) -> list[str]:
    return [e.text for e in d.find_elements("css selector", "#threads .thread .frame .sig")]


def _heap(d) -> dict[str, str]:
    """Return value -> refcount of the heap objects shown (not those leaving)."""
    out = {}
    for e in d.find_elements("css selector", "#heap .heap-obj:not(.leaving)"):
        out[e.get_attribute("data-value")] = e.get_attribute("data-rc")
    return out


def _globals(d) -> dict[str, str]:
    rows = d.find_elements("css selector", "#globals .module[data-module='__main__'] .var")
    return {r.get_attribute("data-name"): r.find_element("css selector", ".val").text for r in rows}


def test_add_example_at_return_result_and_one_step_on(driver, add_page: Path) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    d = driver
    d.get(add_page.as_uri())
    assert d.find_element("id", "position").text.startswith("Step 1 of ")
    # Jump to the step where `return result` (line 8) is about to run.
    Select(d.find_element("id", "jump-line")).select_by_value("8")
    d.find_element("id", "jump-line-go").click()
    assert d.find_element("css selector", "#source .next").get_attribute("data-line") == "8"
    assert _frames(d) == ["<module>", "add(a=10, b=20)"]
    add_frame = d.find_elements("css selector", "#threads .frame")[1]
    result = add_frame.find_element("css selector", ".var[data-name='result'] .val")
    assert result.text == "30"
    heap = _heap(d)
    assert heap["10"] == "2"  # global x and add's argument a
    assert heap["20"] == "1"
    assert heap["30"] == "1"
    names = _globals(d)
    assert "x" in names and "add" in names and "y" not in names
    assert names["x"] == "10"
    # Arrows from the variables to the heap objects are drawn.
    assert len(d.find_elements("css selector", "#arrows path")) >= 5
    at = d.find_element("id", "position").text
    # One step forward, by the keyboard.
    d.find_element("tag name", "body").send_keys(Keys.ARROW_RIGHT)
    assert d.find_element("id", "position").text != at
    assert _frames(d) == ["<module>"]
    names = _globals(d)
    assert names.get("y") == "30"
    assert "30" in _heap(d)
    assert "#step=" in d.current_url
    assert console_errors(d) == []


def test_step_link_first_last_and_output(driver, add_page: Path) -> None:
    d = driver
    d.get(add_page.as_uri() + "#step=6")
    assert d.find_element("id", "position").text.startswith("Step 6 of ")
    assert d.find_element("css selector", "#source .next").get_attribute("data-line") == "8"
    assert d.find_element("css selector", "#source .prev").get_attribute("data-line") == "7"
    d.find_element("id", "last").click()
    assert d.find_element("id", "stdout").text == "30"
    assert _frames(d) == []  # the program has ended: only its globals are left
    d.find_element("id", "first").click()
    assert d.find_element("id", "position").text.startswith("Step 1 of ")
    assert d.find_element("id", "stdout").text == ""
    # The GIL strip: one lane (MainThread) holding the GIL.
    assert d.find_elements("css selector", "#gil rect.held")
    assert console_errors(d) == []


PROGRAMS = Path(__file__).resolve().parent / "trace_programs"


def _page(tmp_path_factory, name: str, *args: str) -> Path:
    tmp = tmp_path_factory.mktemp("trace_page")
    out = tmp / "page.html"
    proc = pvm_trace(tmp, "-o", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    return out


def _first_step(d, script: str) -> int:
    """Return the first step (0-based) at which the JavaScript condition holds, or -1."""
    return d.execute_script(
        "for (let i = 0; i < STEPS.length; i++) { go(i); if (" + script + ") return i; } return -1;"
    )


def test_threads_columns_and_gil_strip(driver, tmp_path_factory) -> None:
    page = _page(
        tmp_path_factory,
        "threads",
        "--schedule",
        "deterministic",
        "--seed",
        "3",
        str(PROGRAMS / "producer_consumer.py"),
    )
    d = driver
    d.get(page.as_uri())
    # Each thread has a column while it lives, beside the main thread's (whether the
    # producer ends before the consumer starts is the schedule's choice).
    for name in ("Thread-1 (producer)", "Thread-2 (consumer)"):
        at = _first_step(
            d,
            "[...document.querySelectorAll('#threads .thread h3')]"
            f".some(h => h.textContent.startsWith({name!r}))",
        )
        assert at >= 0, name
        heads = [e.text for e in d.find_elements("css selector", "#threads .thread h3")]
        assert heads[0].startswith("MainThread") and len(heads) >= 2, heads
    lanes = [e.text for e in d.find_elements("css selector", "#gil .lane-name")]
    assert {"MainThread", "Thread-1 (producer)", "Thread-2 (consumer)"} <= set(lanes)
    assert len(d.find_elements("css selector", "#gil rect.held")) >= 3
    assert d.find_elements("css selector", "#gil tr.current")  # the step's slot in the table
    assert console_errors(d) == []


def test_generator_closure_collection(driver, tmp_path_factory) -> None:
    page = _page(tmp_path_factory, "gen", str(PROGRAMS / "generator_closure_gc.py"))
    d = driver
    d.get(page.as_uri())
    at = _first_step(d, "document.querySelector('.frame.suspended[data-fn=\"countdown\"]')")
    assert at >= 0
    gen = d.find_element("css selector", ".frame.suspended[data-fn='countdown']")
    assert "suspended at line 8" in gen.text and "not returned" in gen.text
    at = _first_step(d, "document.querySelector('#threads .var[data-name=\"count\"]')")
    assert at >= 0
    row = d.find_element("css selector", "#threads .var[data-name='count']")
    ref = row.find_element("css selector", ".val").get_attribute("data-ref")
    cell = d.find_element("css selector", f"#heap .heap-obj[data-id='{ref}']")
    assert cell.get_attribute("data-type") == "cell"
    at = _first_step(d, "document.querySelector('#gc .gc-step')")
    assert at >= 0
    assert "Garbage collection (generation 2)" in d.find_element("id", "gc").text
    leaving = d.find_elements("css selector", "#heap .heap-obj.leaving[data-type='Node']")
    assert len(leaving) == 2  # the cycle, shown leaving
    assert console_errors(d) == []


def test_max_steps_banner(driver, tmp_path_factory) -> None:
    page = _page(tmp_path_factory, "max", "--max-steps", "4", str(EXAMPLES / "add_memory.py"))
    d = driver
    d.get(page.as_uri())
    banner = d.find_element("id", "stopped")
    assert banner.is_displayed()
    assert "--max-steps 4" in banner.text and "at line 11" in banner.text
    assert console_errors(d) == []
