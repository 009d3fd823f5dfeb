"""Charts of the annual review as SVG text: drawn once when the figures are computed and kept with them, so a
signed report shows exactly the chart that was signed.

The same table always gives the same bytes (fixed hash salt for the ids, no date in the metadata, text kept as
text rather than glyph outlines), which also keeps each chart to a few kilobytes. The chart is an image with the
table's one-sentence summary as its accessible name; the table itself stays next to it on the page.
"""

import os
import re
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings

# Okabe & Ito's palette, told apart with every common kind of colour blindness; darkest first.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
INK = "#222222"
MAX_BARS = 15
MAX_LABEL = 52
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "socialgov-annual-review",
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#555555",
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": True,
}


def _config_dir() -> None:
    # matplotlib keeps its font cache there; the home directory of a service account may not be writable.
    if "MPLCONFIGDIR" not in os.environ:
        path = Path(settings.VAR_DIR) / "matplotlib"
        path.mkdir(parents=True, exist_ok=True)
        os.environ["MPLCONFIGDIR"] = str(path)


def _label(value) -> str:
    text = str(value)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _series(t: dict) -> list[tuple[str, int]]:
    columns = t["columns"]
    wanted = t.get("chart_columns") or columns[1:2]
    return [(name, columns.index(name)) for name in wanted if name in columns]


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: f"{value:,.0f}")


def _bar(ax, t: dict, series) -> None:
    rows = t["rows"][:MAX_BARS]
    labels = [_label(r[0]) for r in rows]
    positions = list(range(len(rows)))
    height = 0.8 / len(series)
    for n, (name, index) in enumerate(series):
        offsets = [y + (n - (len(series) - 1) / 2) * height for y in positions]
        values = [_number(r[index]) for r in rows]
        bars = ax.barh(offsets, values, height=height * 0.92, color=PALETTE[n % len(PALETTE)], label=name)
        ax.bar_label(bars, labels=[f"{v:,.0f}" if v == int(v) else f"{v:,.1f}" for v in values], padding=3, fontsize=9)
    ax.set_yticks(positions, labels)
    ax.xaxis.set_major_formatter(_thousands())
    ax.invert_yaxis()  # the first row of the table at the top
    ax.margins(x=0.12)
    ax.xaxis.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _line(ax, t: dict, series) -> None:
    rows = t["rows"]
    labels = [_label(r[0]) for r in rows]
    positions = list(range(len(rows)))
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    for n, (name, index) in enumerate(series):
        ax.plot(
            positions,
            [_number(r[index]) for r in rows],
            color=PALETTE[n % len(PALETTE)],
            marker=markers[n % len(markers)],
            linewidth=2,
            markersize=5,
            label=name,
        )
    ax.set_xticks(positions, labels, rotation=45 if len(rows) > 6 else 0, ha="right" if len(rows) > 6 else "center")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_thousands())
    ax.yaxis.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _accessible(svg_text: str, summary: str) -> str:
    """An inline-able SVG: no XML prolog or DOCTYPE, role="img", the summary as aria-label and as its <title>."""
    svg_text = re.sub(r"^.*?(?=<svg\b)", "", svg_text, count=1, flags=re.S)
    summary = " ".join(summary.split())
    return re.sub(
        r"<svg\b([^>]*)>",
        lambda m: f'<svg{m.group(1)} role="img" aria-label={quoteattr(summary)}><title>{escape(summary)}</title>',
        svg_text,
        count=1,
    )


def svg(t: dict) -> str:
    """The chart of one report table (`chart` "bar" or "line"), as SVG text; "" for a table without a chart."""
    series = _series(t)
    if t.get("chart") not in {"bar", "line"} or not t.get("rows") or not series:
        return ""
    _config_dir()
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(RC):
        shown = min(len(t["rows"]), MAX_BARS)
        if t["chart"] == "bar":
            height = 1.0 + 0.32 * shown * max(1, len(series) * 0.8)
        else:
            height = 3.4
        figure = Figure(figsize=(7.5, min(max(height, 2.4), 9.0)), dpi=72, layout="constrained")
        ax = figure.add_subplot()
        (_bar if t["chart"] == "bar" else _line)(ax, t, series)
        if len(series) > 1:
            # Above the plot, where it never hides a bar or a point.
            ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(series))
        out = BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return _accessible(out.getvalue().decode("utf-8"), t.get("summary") or t.get("title", ""))
