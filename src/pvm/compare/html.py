"""The `pvm compare` report as a self-contained HTML page: the seed's table, the speed-ups, the chart.

What belongs here: laying a document (pvm.compare.document) out as one HTML file with
no outside references (styles inline, the chart as inline SVG), for a browser, as
`pvm trace` writes its page.  What does not: the rows' contents, which are
pvm.compare.render's (the terminal and markdown reports show the same cells), or the
drawing, which is pvm.compare.chart's.
"""

from __future__ import annotations

from html import escape
from typing import Any

from pvm.compare import chart, render

STYLE = """\
:root { --bg: #fbfbf8; --panel: #ffffff; --ink: #1d232b; --muted: #6b7380; --line: #d5d9de; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--ink); background: var(--bg); }
header, main { padding: 8px 14px; }
header { border-bottom: 1px solid var(--line); }
h1 { font-size: 17px; margin: 0 0 4px; }
h2 { font-size: 14px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: .04em; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 4px;
  padding: 8px 10px; margin-bottom: 10px; overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; }
td, th { padding: 2px 8px; border-bottom: 1px solid #eef0f2; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.verdict { font-size: 15px; font-weight: 600; }
svg { max-width: 100%; height: auto; }
"""


def _table(head: list[str], rows: list[list[str]], numeric_from: int) -> list[str]:
    out = ["<table>", "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            css = ' class="num"' if i >= numeric_from else ""
            cells.append(f"<td{css}>{escape(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return out


def render_page(doc: dict[str, Any]) -> str:
    """Return the report as one HTML page (the chart left out, with a note, without matplotlib)."""
    names = [e["name"] for e in doc["interpreters"]]
    title = f"pvm compare {doc['target']['spec']}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<header><h1>{escape(title)}</h1>",
        f'<div class="muted">{escape(render.heading(doc))}</div></header><main>',
        '<section id="verdict"><h2>Use case: the verdict</h2>',
        f'<div class="verdict">{escape(render.verdict_lines(doc)[0])}</div><ul>',
    ]
    out += [f"<li>{escape(line.strip())}</li>" for line in render.verdict_lines(doc)[1:]]
    out += ["</ul></section>", '<section id="seed-table"><h2>Threads vs. processes</h2>']
    out += ["<table>", "<tr><th>Aspect</th><th>Threads</th><th>Processes</th></tr>"]
    for aspect, threads, processes in render.seed_rows(doc):
        cells = ["<br>".join(escape(line) for line in lines) for lines in (threads, processes)]
        out.append(f"<tr><th>{escape(aspect)}</th><td>{cells[0]}</td><td>{cells[1]}</td></tr>")
    out += ["</table></section>", '<section id="chart"><h2>Speed-up and the GIL</h2>']
    try:
        svg = chart.svg_text(doc)
    except chart.ChartUnavailable as exc:
        out.append(f'<p class="muted">No chart: {escape(str(exc))}</p>')
    else:
        out.append(svg[svg.index("<svg") :])  # without the XML prologue and doctype
    out += ["</section>", '<section id="speedups"><h2>Speed-up over the sequential run</h2>']
    head = ["model", "N"] + [x for n in names for x in (f"{n} time", "speed-up", "efficiency")]
    out += _table(head, render.speedup_rows(doc), 1)
    out += ["</section>", '<section id="communication"><h2>Communication</h2>']
    head = ["channel", "between", "message"]
    head += [x for n in names for x in (f"{n} latency", "throughput")]
    out += _table(head, render.communication_rows(doc), 2)
    out += ["</section></main></body></html>"]
    return "\n".join(out) + "\n"
