"""The self-contained page of `pvm trace`: the trace as data, with the page's script and styles inline.

What belongs here: putting the page together from tracepage/ (page.html, page.css,
page.js and the vendored graph layout, dagre) and the trace document.  What does not:
what the page draws and how (tracepage/page.js), recording (trace_record).
"""

from __future__ import annotations

from importlib import resources

from pvm.observe import trace_record

_PAGE = "pvm.observe.tracepage"


def _asset(name: str) -> str:
    return resources.files(_PAGE).joinpath(name).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    # Inside <script>, "</" could end the element early: "<\\/" means the same to JavaScript.
    return text.replace("</", "<\\/")


def render(doc: dict) -> str:
    """Return the whole page for one trace document (docs/trace.md)."""
    vendor = "\n".join(
        line
        for line in _asset("vendor/dagre.min.js").splitlines()
        if not line.startswith("//# sourceMappingURL")
    )
    data = trace_record.dumps(doc)
    page = _asset("page.html")
    title = f"pvm trace: {doc['program']}"
    return (
        page.replace("{{TITLE}}", _html_escape(title))
        .replace("{{CSS}}", _asset("page.css"))
        .replace("{{DAGRE}}", _script_safe(vendor))
        .replace("{{JS}}", _script_safe(_asset("page.js")))
        .replace("{{TRACE}}", _script_safe(data))
    )


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
