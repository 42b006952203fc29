"""`pvm compare --format html` on recorded documents: the page's sections, tables and chart."""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pvm.compare import chart, html, render

HERE = Path(__file__).resolve().parent


def load(name: str) -> dict:
    return json.loads((HERE / "fixtures" / f"{name}.json").read_text())


class Page(HTMLParser):
    """Collect the sections, each table's rows of cell texts, and every start tag."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.tags: list[str] = []
        self.external: list[str] = []
        self._section = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attr = dict(attrs)
        if tag in ("script", "link", "img") and (attr.get("src") or attr.get("href")):
            self.external.append(tag)
        if tag == "section":
            self._section = attr.get("id") or ""
            self.sections.append(self._section)
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables.setdefault(self._section, []).append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


@pytest.mark.parametrize("name", ["cpu", "io"])
def test_the_page_holds_the_reports_tables_and_chart(name: str) -> None:
    doc = load(name)
    page = parse(html.render_page(doc))
    assert page.sections == ["verdict", "seed-table", "chart", "speedups", "communication"]
    seed = page.tables["seed-table"]
    assert seed[0] == ["Aspect", "Threads", "Processes"]
    assert [row[0] for row in seed[1:]] == [aspect for aspect, _, _ in render.seed_rows(doc)]
    for row, (_, threads, processes) in zip(seed[1:], render.seed_rows(doc)):
        assert row[1:] == ["\n".join(threads), "\n".join(processes)]
    assert page.tables["speedups"][1:] == render.speedup_rows(doc)
    assert page.tables["communication"][1:] == render.communication_rows(doc)
    assert "svg" in page.tags  # matplotlib is in the test extra
    assert page.external == []  # one file: nothing fetched from elsewhere


def test_text_from_the_target_is_escaped() -> None:
    doc = copy.deepcopy(load("cpu"))
    doc["target"]["spec"] = "evil.py:<script>alert(1)</script>"
    text = html.render_page(doc)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_without_matplotlib_the_page_says_why_there_is_no_chart(monkeypatch) -> None:
    def unavailable(doc: dict) -> str:
        raise chart.ChartUnavailable("--chart needs matplotlib, which is not installed")

    monkeypatch.setattr(chart, "svg_text", unavailable)
    page = html.render_page(load("io"))
    assert "No chart: --chart needs matplotlib" in page
    assert "<svg" not in page
