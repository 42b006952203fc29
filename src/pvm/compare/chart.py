"""The `pvm compare` chart: speed-up against worker count per model, and pvm's GIL shares (matplotlib).

What belongs here: drawing a document (pvm.compare.document) to PNG or SVG, as a file or
as SVG text for the HTML page (pvm.compare.html).  matplotlib
is an optional dependency (`pip install 'pvm[compare]'`, or `pip install matplotlib`);
without it, ChartUnavailable says how to get it.
"""

from __future__ import annotations

import io
import os
from typing import Any

from pvm.compare.verdict import ok_models

FORMATS = (".png", ".svg")
INSTALL_HINT = "pip install matplotlib  (or pip install 'pvm[compare]')"


class ChartUnavailable(Exception):
    """matplotlib is missing, or the file's type is not one the chart can be written as."""


def check_path(path: str) -> None:
    """Raise ChartUnavailable unless path ends in .png or .svg and matplotlib imports."""
    if os.path.splitext(path)[1].lower() not in FORMATS:
        raise ChartUnavailable(f"--chart {path}: the chart is written as .png or .svg")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ChartUnavailable(
            f"--chart needs matplotlib, which is not installed: {INSTALL_HINT}"
        ) from None


def write(doc: dict[str, Any], path: str) -> None:
    """Draw the document's chart to path (.png or .svg)."""
    check_path(path)
    _draw(doc, path)


def svg_text(doc: dict[str, Any]) -> str:
    """Return the document's chart as SVG text; raise ChartUnavailable without matplotlib."""
    check_path("chart.svg")
    buffer = io.StringIO()
    _draw(doc, buffer, format="svg")
    return buffer.getvalue()


def _draw(doc: dict[str, Any], out: Any, **savefig: Any) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt

    entries = doc["interpreters"]
    with_gil = [e for e in entries if (e.get("gil") or {}).get("threads")]
    panels = len(entries) + (1 if with_gil else 0)
    fig, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 4.2), squeeze=False)
    workers = doc["workers"]
    for ax, entry in zip(axes[0], entries):
        ax.plot(workers, workers, linestyle=":", color="grey", label="ideal")
        for m in ok_models(entry):
            points = [(r["workers"], r["speedup"]) for r in m["runs"] if r["speedup"] is not None]
            if not points:
                continue
            xs, ys = zip(*points)
            style = "-" if m["family"] == "processes" else "--"
            ax.plot(xs, ys, style, marker="o", label=m["label"])
        ax.set_title(f"{entry['name']}: speed-up over sequential")
        ax.set_xlabel("workers (N)")
        ax.set_ylabel("speed-up")
        ax.set_xticks(workers)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    if with_gil:
        ax = axes[0][-1]
        entry = with_gil[0]
        threads = entry["gil"]["threads"]
        names = [t["name"] for t in threads]
        bottom = [0.0] * len(threads)
        for key, color in (
            ("held", "tab:red"),
            ("waiting", "tab:orange"),
            ("released", "tab:green"),
        ):
            values = [t[key] * 100 for t in threads]
            ax.bar(names, values, bottom=bottom, color=color, label=key)
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_title(f"{entry['name']}: GIL share of each worker thread")
        procs = entry["gil"].get("processes")
        if procs:
            ax.set_xlabel(
                f"fork processes: {procs['max_at_once']} GILs held at once\n"
                f"(two or more {procs['share_two_or_more']:.0%} of the time)"
            )
        ax.set_ylabel("% of the thread's time")
        ax.set_ylim(0, 100)
        ax.legend(fontsize="small")
    fig.suptitle(f"pvm compare {doc['target']['spec']}: verdict {doc['verdict']['label']}")
    fig.tight_layout()
    fig.savefig(out, **savefig)
    plt.close(fig)
