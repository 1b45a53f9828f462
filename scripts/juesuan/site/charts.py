"""Build the report charts as Plotly figures, each with the data table shown under it.

Amounts stay `Decimal` until the last moment: only the numbers handed to Plotly become floats.
A chart is embedded as a `<div class="js-chart">` plus a JSON `<script>` holding its spec;
`site_src/assets/juesuan.js` draws it with `Plotly.newPlot` on every page Material shows.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from decimal import Decimal

import plotly.graph_objects as go

from juesuan.amounts import format_amount
from juesuan.site.load import Row

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PERSONNEL_COLOR = "#3f6ec6"
PUBLIC_COLOR = "#e8973a"


@dataclass
class Chart:
    """A figure and the data behind it, as the table printed under the chart."""

    key: str  # stable id within the page, e.g. "income"
    title: str
    figure: go.Figure | None  # None when the report has no data for it
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def _f(value: Decimal | None) -> float:
    """Hand a Decimal to Plotly (the only place amounts become floats)."""
    return float(value) if value is not None else 0.0


def _fmt(value: Decimal | None) -> str:
    return format_amount(value) if value is not None else ""


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 13},
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        height=height,
        paper_bgcolor="rgba(0,0,0,0)",
        separators=".,",
    )
    return fig


def _is_total(label: str) -> bool:
    return "合计" in label or "总计" in label


def income_by_source(totals: list[Row]) -> Chart:
    """Chart 表01's income lines (收入 side, every line but 合计/总计) as horizontal bars."""
    lines = sorted((r for r in totals if r.get("table") == "01" and r.get("side") == "收入"), key=lambda r: r["row"])
    lines = [r for r in lines if not _is_total(r.get("item") or r.get("label") or "")]
    title = "收入来源（公开01表）"
    rows = [[r.get("label") or r.get("item") or "", _fmt(r.get("amount"))] for r in lines]
    chart = Chart("income", title, None, ["项目", "决算数（万元）"], rows)
    if not lines:
        return chart
    labels = [r.get("item") or r.get("label") or "" for r in lines]
    fig = go.Figure(
        go.Bar(
            x=[_f(r.get("amount")) for r in lines],
            y=labels,
            orientation="h",
            marker_color=PERSONNEL_COLOR,
            hovertemplate="%{y}<br>%{x:,.2f} 万元<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title_text="万元", tickformat=",.0f")
    chart.figure = _layout(fig, title, height=max(260, 34 * len(lines) + 90))
    return chart


def expenditure_by_function(rows_03: list[Row]) -> Chart:
    """Chart 表03 as a sunburst 类 → 款 → 项 sized by 本年支出合计."""
    title = "支出功能分类（公开03表，类→款→项）"
    coded = [r for r in sorted(rows_03, key=lambda r: r["row"]) if r.get("code")]
    total_row = next((r for r in rows_03 if not r.get("code")), None)
    headers = ["科目编码", "科目名称", "级次", "本年支出合计（万元）", "基本支出（万元）", "项目支出（万元）"]
    table = [[r["code"], r.get("name") or "", r.get("level") or "", _fmt(r.get("total")), _fmt(r.get("basic")),
              _fmt(r.get("project"))] for r in coded]
    if total_row is not None:
        table.insert(0, ["", total_row.get("name") or "合计", "合计", _fmt(total_row.get("total")),
                         _fmt(total_row.get("basic")), _fmt(total_row.get("project"))])
    chart = Chart("expenditure", title, None, headers, table)
    if not coded:
        return chart
    codes = {r["code"] for r in coded}
    # A parent drawn with branchvalues="total" must be at least the sum of its children,
    # or Plotly drops it; printed rounding can break that, so size by max(printed, children).
    size: dict[str, Decimal] = {}
    for r in sorted(coded, key=lambda r: -len(r["code"])):
        children = sum((size[c["code"]] for c in coded if c.get("parent_code") == r["code"]), Decimal(0))
        size[r["code"]] = max(r.get("total") or Decimal(0), children)
    root = "total"
    ids = [root] + [r["code"] for r in coded]
    parents = [""] + [r["parent_code"] if r.get("parent_code") in codes else root for r in coded]
    roots = [r for r in coded if r.get("parent_code") not in codes]
    root_size = max(
        (total_row.get("total") if total_row else None) or Decimal(0), sum((size[r["code"]] for r in roots), Decimal(0))
    )
    values = [_f(root_size)] + [_f(size[r["code"]]) for r in coded]
    printed = [_fmt(total_row.get("total") if total_row else root_size)] + [_fmt(r.get("total")) for r in coded]
    labels = ["合计"] + [r.get("name") or r["code"] for r in coded]
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            parents=parents,
            labels=labels,
            values=values,
            customdata=[[p, i if i != root else ""] for p, i in zip(printed, ids, strict=True)],
            branchvalues="total",
            hovertemplate="%{customdata[1]} %{label}<br>%{customdata[0]} 万元<extra></extra>",
            insidetextorientation="radial",
            maxdepth=3,
        )
    )
    chart.figure = _layout(fig, title, height=520)
    return chart


def basic_by_economic_class(rows_06: list[Row]) -> Chart:
    """Chart 表06 as a treemap 人员经费/公用经费 → 类 → 款 (non-zero rows)."""
    title = "基本支出经济分类（公开06表，人员经费/公用经费）"
    rows = [r for r in sorted(rows_06, key=lambda r: r["row"]) if r.get("code")]
    codes = {r["code"] for r in rows}
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
    chart = Chart("basic", title, None, headers, table, note="金额为 0 的科目未列出，见下方公开06表。")
    if not leaves:
        return chart
    ids: list[str] = ["基本支出"]
    labels: list[str] = ["基本支出"]
    parents: list[str] = [""]
    values: list[float] = [0.0]
    colors: list[str] = ["#ffffff"]
    for category, color in (("人员经费", PERSONNEL_COLOR), ("公用经费", PUBLIC_COLOR)):
        items = [r for r in leaves if r.get("category") == category]
        if not items:
            continue
        ids.append(category)
        labels.append(category)
        parents.append("基本支出")
        values.append(0.0)
        colors.append(color)
        for cls in sorted({r["code"][:3] for r in items}):
            cls_id = f"{category}/{cls}"
            if cls not in codes or any(r["code"] == cls for r in items):
                continue  # the 类 is itself a leaf, or not printed
            cls_row = next((r for r in rows if r["code"] == cls), None)
            ids.append(cls_id)
            labels.append(f"{cls} {cls_row.get('name') if cls_row else ''}".strip())
            parents.append(category)
            values.append(0.0)
            colors.append(color)
        for r in items:
            parent = category if r["code"] == r["code"][:3] or r["code"][:3] not in codes else f"{category}/{r['code'][:3]}"
            ids.append(f"{category}/{r['code']}")
            labels.append(r.get("name") or r["code"])
            parents.append(parent)
            values.append(_f(r.get("amount")))
            colors.append(color)
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="remainder",
            marker={"colors": colors},
            hovertemplate="%{label}<br>%{value:,.2f} 万元<extra></extra>",
            texttemplate="%{label}<br>%{value:,.2f}",
        )
    )
    chart.figure = _layout(fig, title, height=520)
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
    chart = Chart("three-public", title, None, headers, table)
    split = "vehicle_purchase" in by_item or "vehicle_operation" in by_item
    bars = [by_item[i] for i in ("overseas", "vehicle_purchase", "vehicle_operation", "reception") if i in by_item]
    if not split and "vehicles" in by_item:
        bars.insert(1, by_item["vehicles"])
    if not bars:
        return chart
    names = [r.get("name") or r["item"] for r in bars]
    traces = [go.Bar(name="决算数", x=names, y=[_f(r.get("actual")) for r in bars], marker_color=PERSONNEL_COLOR,
                     hovertemplate="%{x}<br>决算数 %{y:,.2f} 万元<extra></extra>")]
    if has_budget:
        traces.insert(0, go.Bar(name="预算数", x=names, y=[_f(r.get("budget")) for r in bars],
                                marker_color="#b8c4d6", hovertemplate="%{x}<br>预算数 %{y:,.2f} 万元<extra></extra>"))
    fig = go.Figure(traces)
    fig.update_yaxes(title_text="万元", rangemode="tozero")
    fig.update_layout(barmode="group", showlegend=has_budget)
    chart.figure = _layout(fig, title, height=380)
    return chart


def _wrap(text: str, width: int = 16) -> str:
    """Break a long label into lines of `width` characters for a Plotly tick label."""
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width)) or " "


def performance(projects: list[Row], maxima: dict[int, Decimal]) -> Chart:
    """Chart each project's 执行率 and 自评总分 (both out of 100) as grouped horizontal bars.

    `maxima` gives each project's full marks (资金分值 + Σ 指标分值) by project_seq; the data
    table under the chart is the list of projects with their funding and score.
    """
    title = "项目绩效自评：预算执行率与自评得分"
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
                  note="执行率 = 全年执行数 ÷ 全年预算数；得分为自评总分，满分为资金执行分值与各指标分值之和。")
    if not items:
        return chart
    labels = [_wrap(f"{p['project_seq']}. {p.get('name') or ''}") for p in items]
    names = [p.get("name") or "" for p in items]
    fig = go.Figure(
        [
            go.Bar(name="执行率（%）", y=labels, x=[_f(p.get("execution_rate")) for p in items], orientation="h",
                   marker_color=PERSONNEL_COLOR, customdata=names,
                   hovertemplate="%{customdata}<br>执行率 %{x:.2f}%<extra></extra>"),
            go.Bar(name="自评得分", y=labels, x=[_f(p.get("total_score")) for p in items], orientation="h",
                   marker_color=PUBLIC_COLOR, customdata=names,
                   hovertemplate="%{customdata}<br>自评得分 %{x}<extra></extra>"),
        ]
    )
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 11})
    fig.update_xaxes(rangemode="tozero", ticksuffix="")
    fig.update_layout(barmode="group", bargap=0.25, legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right",
                                                          "yanchor": "bottom"})
    chart.figure = _layout(fig, title, height=max(300, 58 * len(items) + 110))
    return chart


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def spec_json(fig: go.Figure) -> str:
    """Return the figure as `[{"data": …, "layout": …}]`, safe inside a `<script>` element.

    The one-element array is deliberate: Material's instant navigation re-creates inline
    scripts without their attributes (so without `type="application/json"` and `id`) and runs
    them as JavaScript. An array literal is valid JSON and a harmless JS expression, where a
    bare object would be a syntax error; juesuan.js then finds the spec next to its div.
    """
    spec = json.loads(fig.to_json())
    spec.pop("config", None)
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
