"""Horizontal bar charts for the corpus pages (home, departments, comparisons), embedded with charts.embed.

Each chart aggregates: at most `MAX_BARS` categories are drawn, however large the corpus,
and the table under it (built by the caller) carries every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from juesuan.site import charts
from juesuan.site.htmlkit import fmt

MAX_BARS = 30
CENT = Decimal("0.01")
FINAL_COLOR = charts.PERSONNEL_COLOR
BUDGET_COLOR = charts.BUDGET_COLOR
OTHER_COLOR = charts.PUBLIC_COLOR


@dataclass
class Series:
    """One trace: a name for the legend, one value per category, a colour."""

    name: str
    values: list[Decimal | None]
    color: str
    suffix: str = ""  # printed after each value (e.g. %)
    count: bool = False  # whole numbers (reports), printed without decimals; 0 left unprinted

    def label(self, value: Decimal | None) -> str:
        """Return the text printed beside a bar."""
        if value is None or (self.count and value == 0):
            return ""
        if self.count:
            return str(int(value)) + self.suffix
        # Beside a bar, 0.01 is enough (budgets converted from 元 carry up to 6 decimals);
        # the table under the chart prints the exact value.
        return fmt(value if value == value.quantize(CENT) else value.quantize(CENT, rounding=ROUND_HALF_UP)) + self.suffix


def _wrap(text: str, width: int = 10) -> str:
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width)) or " "


def unique(labels: list[str], extra: list[str]) -> list[str]:
    """Return the labels with `extra` appended (then a number) where a label repeats: Plotly merges equal categories."""
    counts = {lbl: labels.count(lbl) for lbl in labels}
    out = [f"{lbl}（{x}）" if counts[lbl] > 1 and x else lbl for lbl, x in zip(labels, extra, strict=True)]
    seen: dict[str, int] = {}
    result = []
    for lbl in out:
        seen[lbl] = seen.get(lbl, 0) + 1
        result.append(lbl if out.count(lbl) == 1 else f"{lbl} {seen[lbl]}")
    return result


def hbars(key: str, title: str, labels: list[str], series: list[Series], stacked: bool = False) -> charts.Chart:
    """Return a chart of horizontal bars: labels left, values printed beside the bars, legend below.

    Only the first MAX_BARS labels are drawn; the caller says so and prints the full table.
    """
    chart = charts.Chart(key, title, None)
    labels = labels[:MAX_BARS]
    if not labels or not any(v is not None for s in series for v in s.values[:MAX_BARS]):
        return chart
    shown = [_wrap(lbl) for lbl in labels]
    traces = []
    for s in series:
        values = s.values[:MAX_BARS]
        traces.append({
            "type": "bar", "name": s.name, "y": shown, "x": [float(v) if v is not None else 0.0 for v in values],
            "orientation": "h", "marker": {"color": s.color},
            "text": [s.label(v) for v in values], "customdata": labels,
            "hovertemplate": "%{customdata}<br>" + s.name + " %{text}<extra></extra>",
            "textposition": "inside" if stacked else "outside", "cliponaxis": False, "textfont": {"size": 12}})
    legend = len(series) > 1
    bars = len(labels) * (1 if stacked else len(series))
    if stacked:
        top = max((sum(float(s.values[i] or 0) for s in series) for i in range(len(labels))), default=0.0)
    else:
        top = max((float(v or 0) for s in series for v in s.values[:MAX_BARS]), default=0.0)
    layout = {
        **charts.base_layout(title, height=max(220, 30 * bars + (130 if legend else 90))),
        "barmode": "stack" if stacked else "group", "showlegend": legend, "bargap": 0.3,
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.02, "yanchor": "top"},
        # Inside stacked bars, a value that does not fit is left out rather than drawn over its neighbour.
        "uniformtext": {"mode": "hide", "minsize": 10},
        "yaxis": {"autorange": "reversed", "automargin": True, "tickfont": {"size": 12}, "fixedrange": True},
        "xaxis": {"showticklabels": False, "showgrid": False, "zeroline": True, "fixedrange": True,
                  **({"range": [0, top * (1.1 if stacked else 1.45)]} if top > 0 else {})},
    }
    # A plain spec, as the report charts (charts.Spec); test_corpus_pages validates one of each kind.
    chart.figure = {"data": traces, "layout": layout}
    return chart


def embed(chart: charts.Chart, page: str) -> str:
    """Return the chart's HTML with an id derived from the page and what the chart shows."""
    if chart.figure is None:
        return '<p class="juesuan-empty">没有可以画图的数字（见下表）。</p>'
    return charts.embed(chart, f"chart-{page}-{chart.key}")
