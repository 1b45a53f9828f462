"""Build the report charts as Plotly figure specs, each with the data table shown under it.

Amounts stay `Decimal` until the last moment: only the numbers handed to Plotly become floats.
A chart is embedded as a `<div class="js-chart">` plus a JSON `<script>` holding its spec;
`site_src/assets/juesuan.js` draws it with `Plotly.newPlot` on every page Material shows.

A spec is a plain `{"data": [...], "layout": {...}}` dict, not a `plotly.graph_objects`
figure: building thousands of validated figures was most of the site step's time at scale, and
a figure would carry Plotly's default template (about 8 kB a chart). The tests validate one
spec of every kind with `go.Figure`.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.amounts import format_amount
from juesuan.site.load import Row

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PERSONNEL_COLOR = "#3f6ec6"
PUBLIC_COLOR = "#e8973a"
BUDGET_COLOR = "#9aa9bf"

Spec = dict[str, Any]  # a Plotly figure as JSON: {"data": [trace, …], "layout": {…}}


@dataclass(frozen=True)
class Drawn:
    """One value the chart draws: its bar (category), its trace (series), the exact amount."""

    category: str
    series: str
    value: Decimal | None
    unit: str = "万元"


@dataclass
class Chart:
    """A figure and the data behind it, as the table printed under the chart.

    `key` names what the chart shows (its kind, e.g. "three-public"); with the report id it
    makes the chart's stable id (`chart_id`). `drawn` holds exactly the values handed to
    Plotly, as Decimals, for the chart's CSV.
    """

    key: str
    title: str
    figure: Spec | None  # None when the report has no data for it
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""
    drawn: list[Drawn] = field(default_factory=list)
    source_tables: str = ""  # the tables drawn, for the source line, e.g. "公开07表"


def chart_id(report_id: str, key: str) -> str:
    """Return a chart's stable id: what it shows (report and kind), never its position on the page."""
    return f"{report_id}--{key}"


def _f(value: Decimal | None) -> float:
    """Hand a Decimal to Plotly (the only place amounts become floats)."""
    return float(value) if value is not None else 0.0


def _fmt(value: Decimal | None) -> str:
    return format_amount(value) if value is not None else ""


def base_layout(title: str, height: int = 420) -> dict[str, Any]:
    """Return the layout every chart shares: title left, CJK font, narrow margins, no background."""
    return {
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "font": {"family": FONT, "size": 13},
        "margin": {"l": 10, "r": 10, "t": 48, "b": 10},
        "height": height,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "separators": ".,",
    }


def _is_total(label: str) -> bool:
    return "合计" in label or "总计" in label


def _hbars(traces: list[dict[str, Any]], title: str, n_bars: int, legend: bool, **layout: Any) -> Spec:
    """Lay out horizontal bars for a 360 px screen: labels left, values beside the bars, legend below."""
    for trace in traces:
        trace.update(textposition="outside", cliponaxis=False, textfont={"size": 12})
    # Values are printed beside the bars, so the amount axis is only a frame; leave room for the text.
    xaxis: dict[str, Any] = {"showticklabels": False, "showgrid": False, "zeroline": True, "fixedrange": True,
                             "rangemode": "tozero"}
    maximum = max((max((v or 0) for v in (t["x"] or [0])) for t in traces), default=0.0)
    if maximum > 0:
        xaxis["range"] = [0, maximum * 1.45]
    spec_layout = {
        **base_layout(title, height=max(220, 30 * n_bars + (130 if legend else 90))),
        "showlegend": legend, "bargap": 0.3,
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.02, "yanchor": "top"},
        "yaxis": {"autorange": "reversed", "automargin": True, "tickfont": {"size": 12}, "fixedrange": True},
        "xaxis": xaxis,
    }
    for key, value in layout.items():  # axes merge, other keys replace
        spec_layout[key] = {**spec_layout[key], **value} if key in ("xaxis", "yaxis") else value
    return {"data": traces, "layout": spec_layout}


def _labels(rows: list[Row], name_key: str = "name") -> list[str]:
    """Return wrapped bar labels, adding the code where two rows print the same name (行政运行 …)."""
    names = [r.get(name_key) or r.get("code") or "" for r in rows]
    return [_wrap(n if names.count(n) == 1 else f'{n}（{r.get("code") or ""}）') for n, r in zip(names, rows, strict=True)]


def _bar(name: str, labels: list[str], values: list[Decimal | None], color: str, hover: list[str],
         drawn: list[Drawn], unit: str = "万元", series: str = "") -> dict[str, Any]:
    """Return one horizontal bar trace with each value printed beside its bar; record it in `drawn`."""
    drawn.extend(Drawn(category, series or name, value, unit) for category, value in zip(hover, values, strict=True))
    return {"type": "bar", "name": name, "y": labels, "x": [_f(v) for v in values], "orientation": "h",
            "marker": {"color": color}, "text": [_fmt(v) for v in values], "customdata": hover,
            "hovertemplate": "%{customdata}<br>" + (name + " " if name else "") + "%{x:,.2f} 万元<extra></extra>"}


def income_by_source(totals: list[Row]) -> Chart:
    """Chart 表01's income lines (收入 side, every line but 合计/总计) as horizontal bars."""
    lines = sorted((r for r in totals if r.get("table") == "01" and r.get("side") == "收入"), key=lambda r: r["row"])
    lines = [r for r in lines if not _is_total(r.get("item") or r.get("label") or "")]
    title = "收入来源（公开01表）"
    rows = [[r.get("label") or r.get("item") or "", _fmt(r.get("amount"))] for r in lines]
    chart = Chart("income", title, None, ["项目", "决算数（万元）"], rows, source_tables="公开01表")
    if not lines:
        return chart
    labels = [_wrap(r.get("item") or r.get("label") or "") for r in lines]
    hover = [r.get("item") or r.get("label") or "" for r in lines]
    trace = _bar("", labels, [r.get("amount") for r in lines], PERSONNEL_COLOR, hover, chart.drawn, series="决算数")
    chart.figure = _hbars([trace], title, len(lines), legend=False)
    return chart


def expenditure_by_function(rows_03: list[Row]) -> Chart:
    """Chart 表03's finest printed rows (项) as horizontal bars of 基本支出 + 项目支出."""
    title = "支出功能分类（公开03表）"
    coded = [r for r in sorted(rows_03, key=lambda r: r["row"]) if r.get("code")]
    total_row = next((r for r in rows_03 if not r.get("code")), None)
    headers = ["科目编码", "科目名称", "级次", "本年支出合计（万元）", "基本支出（万元）", "项目支出（万元）"]
    table = [[r["code"], r.get("name") or "", r.get("level") or "", _fmt(r.get("total")), _fmt(r.get("basic")),
              _fmt(r.get("project"))] for r in coded]
    if total_row is not None:
        table.insert(0, ["", total_row.get("name") or "合计", "合计", _fmt(total_row.get("total")),
                         _fmt(total_row.get("basic")), _fmt(total_row.get("project"))])
    chart = Chart("expenditure", title, None, headers, table, source_tables="公开03表")
    if not coded:
        return chart
    # The finest printed level (rows no other row breaks down), largest first: one bar each,
    # split into 基本支出 and 项目支出 where the table prints them.
    parents = {r.get("parent_code") for r in coded}
    leaves = sorted((r for r in coded if r["code"] not in parents), key=lambda r: -(r.get("total") or 0))
    labels = _labels(leaves)
    hover = [f'{r["code"]} {r.get("name") or ""}' for r in leaves]
    split = any(r.get("basic") is not None or r.get("project") is not None for r in leaves)
    if not split:
        trace = _bar("本年支出合计", labels, [r.get("total") for r in leaves], PERSONNEL_COLOR, hover, chart.drawn)
        chart.figure = _hbars([trace], title, len(leaves), legend=False)
        return chart
    basic = _bar("基本支出", labels, [r.get("basic") for r in leaves], PERSONNEL_COLOR, hover, chart.drawn)
    project = _bar("项目支出", labels, [r.get("project") for r in leaves], PUBLIC_COLOR, hover, chart.drawn)
    # Stacked: print the row's total once, beside the whole bar, not a value per segment.
    del basic["text"]
    project["text"] = [_fmt(r.get("total")) for r in leaves]
    total = max((_f(r.get("total")) for r in leaves), default=0.0)
    chart.figure = _hbars([basic, project], title, len(leaves), legend=True, barmode="stack",
                          **({"xaxis": {"range": [0, total * 1.45]}} if total > 0 else {}))
    return chart


def basic_by_economic_class(rows_06: list[Row]) -> Chart:
    """Chart 表06's non-zero 款 rows as horizontal bars, coloured 人员经费 or 公用经费."""
    title = "基本支出经济分类（公开06表）"
    rows = [r for r in sorted(rows_06, key=lambda r: r["row"]) if r.get("code")]
    has_children = {r.get("parent_code") for r in rows if r.get("parent_code")}
    # Leaves: 款 rows, and 类 rows printed without any 款 under them.
    leaves = [r for r in rows if (r.get("amount") or 0) != 0 and r["code"] not in has_children]
    headers = ["经费类别", "科目编码", "科目名称", "金额（万元）"]
    table: list[list[str]] = []
    for category in ("人员经费", "公用经费"):
        items = [r for r in leaves if r.get("category") == category]
        total = next((r.get("amount") for r in rows_06 if not r.get("code") and r.get("category") == category
                      and _is_total(r.get("name") or "")), None)
        if total is None:
            total = sum((r.get("amount") or Decimal(0) for r in items), Decimal(0))
        table.append([category, "", f"{category}合计", _fmt(total)])
        table.extend([category, r["code"], r.get("name") or "", _fmt(r.get("amount"))] for r in items)
    chart = Chart("basic", title, None, headers, table, note="金额为 0 的科目未列出，见下方公开06表。",
                  source_tables="公开06表")
    if not leaves:
        return chart
    ordered = [r for category in ("人员经费", "公用经费") for r in
               sorted((r for r in leaves if r.get("category") == category), key=lambda r: -(r.get("amount") or 0))]
    labels = _labels(ordered)
    traces = []
    for category, color in (("人员经费", PERSONNEL_COLOR), ("公用经费", PUBLIC_COLOR)):
        mine = [(label, r) for label, r in zip(labels, ordered, strict=True) if r.get("category") == category]
        if mine:
            traces.append(_bar(category, [lb for lb, _ in mine], [r.get("amount") for _, r in mine], color,
                               [f'{r["code"]} {r.get("name") or ""}' for _, r in mine], chart.drawn))
    # Keep the printed order (人员经费 first) across both traces.
    chart.figure = _hbars(traces, title, len(ordered), legend=True,
                          yaxis={"categoryorder": "array", "categoryarray": labels})
    return chart


THREE_PUBLIC_ORDER = ("total", "overseas", "vehicles", "vehicle_purchase", "vehicle_operation", "reception")


def three_public(rows_07: list[Row]) -> Chart:
    """Chart the “三公” items (表07): 因公出国（境）、公务用车购置/运行维护、公务接待, budget vs actual."""
    title = "“三公”经费（公开07表）"
    by_item = {r["item"]: r for r in rows_07}
    ordered = [by_item[i] for i in THREE_PUBLIC_ORDER if i in by_item]
    has_budget = any(r.get("budget") is not None for r in ordered)
    headers = ["项目", "决算数（万元）"] + (["预算数（万元）"] if has_budget else [])
    table = [[r.get("name") or r["item"], _fmt(r.get("actual"))] + ([_fmt(r.get("budget"))] if has_budget else [])
             for r in ordered]
    chart = Chart("three-public", title, None, headers, table, source_tables="公开07表")
    split = "vehicle_purchase" in by_item or "vehicle_operation" in by_item
    bars = [by_item[i] for i in ("overseas", "vehicle_purchase", "vehicle_operation", "reception") if i in by_item]
    if not split and "vehicles" in by_item:
        bars.insert(1, by_item["vehicles"])
    if not bars:
        return chart
    names = [r.get("name") or r["item"] for r in bars]
    labels = [_wrap(n) for n in names]
    traces = [_bar("决算数", labels, [r.get("actual") for r in bars], PERSONNEL_COLOR, names, chart.drawn)]
    if has_budget:
        traces.insert(0, _bar("预算数", labels, [r.get("budget") for r in bars], BUDGET_COLOR, names, chart.drawn))
    chart.figure = _hbars(traces, title, len(bars) * len(traces), legend=has_budget, barmode="group")
    return chart


def _unique_names(rows: list[Row]) -> list[str]:
    """Name each row by its item, adding its source and then its number where names repeat."""
    names = [r.get("name") or r.get("item") or "" for r in rows]
    names = [n if names.count(n) == 1 else f'{n}（{r.get("source") or ""}）' for n, r in zip(names, rows, strict=True)]
    return [n if names.count(n) == 1 else f'{n}（{r.get("seq")}）' for n, r in zip(names, rows, strict=True)]


def budget_execution(rows: list[Row]) -> Chart:
    """Chart a 决算's own 年初预算 beside its 决算数 (budget_execution), one pair of bars per item."""
    title = "年初预算与决算"
    ordered = sorted(rows, key=lambda r: r.get("seq") or 0)
    sources = list(dict.fromkeys(r.get("source") or "" for r in ordered))
    names = {"表07": "公开07表", "情况说明": "情况说明"}
    chart = Chart("budget-execution", title, None, ["项目", "年初预算数（万元）", "决算数（万元）"],
                  [[n, _fmt(r.get("budget")), _fmt(r.get("actual"))] for n, r in zip(_unique_names(ordered), ordered, strict=True)],
                  source_tables="、".join(names.get(s, s) for s in sources if s))
    if not ordered:
        return chart
    hover = _unique_names(ordered)
    labels = [_wrap(n) for n in hover]
    traces = [
        _bar("年初预算数", labels, [r.get("budget") for r in ordered], BUDGET_COLOR, hover, chart.drawn),
        _bar("决算数", labels, [r.get("actual") for r in ordered], PERSONNEL_COLOR, hover, chart.drawn),
    ]
    chart.figure = _hbars(traces, title, 2 * len(ordered), legend=True, barmode="group")
    return chart


def _wrap(text: str, width: int = 9) -> str:
    """Break a long label into lines of `width` characters for a Plotly tick label."""
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width)) or " "


def performance(projects: list[Row], maxima: dict[int, Decimal]) -> Chart:
    """Chart each project's 执行率 and 自评总分 (both out of 100) as grouped horizontal bars.

    `maxima` gives each project's full marks (资金分值 + Σ 指标分值) by project_seq; the data
    table under the chart is the list of projects with their funding and score.
    """
    title = "项目绩效：执行率与自评得分"
    items = sorted((p for p in projects if p.get("kind") != "部门整体"), key=lambda p: p["project_seq"])
    headers = ["序号", "项目名称", "全年预算数（万元）", "全年执行数（万元）", "执行率", "得分 / 总分"]
    table = []
    for p in items:
        top = maxima.get(p["project_seq"])
        score = _num(p.get("total_score")) + (f" / {_num(top)}" if top is not None and p.get("total_score") is not None else "")
        rate = p.get("execution_rate")
        table.append([str(p["project_seq"]), p.get("name") or "", _fmt(p.get("budget_full")), _fmt(p.get("executed")),
                      f"{_fmt(rate)}%" if rate is not None else "", score])
    chart = Chart("performance", title, None, headers, table,
                  note="执行率 = 全年执行数 ÷ 全年预算数；得分为自评总分，满分为资金执行分值与各指标分值之和。",
                  source_tables="项目绩效自评表")
    if not items:
        return chart
    labels = [_wrap(f"{p['project_seq']}. {p.get('name') or ''}") for p in items]
    names = [p.get("name") or "" for p in items]
    rate = _bar("执行率（%）", labels, [p.get("execution_rate") for p in items], PERSONNEL_COLOR, names,
                chart.drawn, unit="%")
    rate["hovertemplate"] = "%{customdata}<br>执行率 %{x:.2f}%<extra></extra>"
    marks = _bar("自评得分", labels, [p.get("total_score") for p in items], PUBLIC_COLOR, names,
                 chart.drawn, unit="分")
    marks["text"] = [_num(p.get("total_score")) for p in items]
    marks["hovertemplate"] = "%{customdata}<br>自评得分 %{x}<extra></extra>"
    chart.figure = _hbars([rate, marks], title, 2 * len(items), legend=True, barmode="group")
    return chart


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def spec_json(fig: Spec) -> str:
    """Return the figure as `[{"data": …, "layout": …}]`, safe inside a `<script>` element.

    The one-element array is deliberate: Material's instant navigation re-creates inline
    scripts without their attributes (so without `type="application/json"` and `id`) and runs
    them as JavaScript. An array literal is valid JSON and a harmless JS expression, where a
    bare object would be a syntax error; juesuan.js then finds the spec next to its div.
    """
    spec = {"data": fig["data"], "layout": fig["layout"]}
    text = json.dumps([spec], ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def embed(chart: Chart, spec_id: str) -> str:
    """Return the HTML block that draws the chart: container div plus JSON spec."""
    if chart.figure is None:
        return f'<p class="juesuan-empty">本报告没有“{html.escape(chart.title)}”的数据。</p>'
    label = html.escape(chart.title, quote=True)
    return (
        f'<div class="js-chart juesuan-chart" data-spec-id="{spec_id}" role="img" aria-label="{label}"></div>\n'
        f'<script type="application/json" id="{spec_id}">{spec_json(chart.figure)}</script>'
    )
