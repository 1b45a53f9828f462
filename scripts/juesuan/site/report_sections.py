"""Report page sections read from the check-stage resources: 完整性 (completeness) and
预算执行 (budget_execution, a 决算's own 年初预算 beside its 决算数). Each returns Markdown lines."""

from __future__ import annotations

from juesuan.site import charts, frozen
from juesuan.site.htmlkit import Sources, fmt, fold_long, h, html_table, ints, pct, signed
from juesuan.site.load import Package, Row

# The eight parts of the score (fields.py COMPLETENESS parts_met), in the order the page lists them.
PARTS = {
    "tables": "标准表齐全",
    "empty_stated": "空表注明原因",
    "units": "各表注明单位",
    "toc": "目录与正文一致",
    "prose": "有情况说明",
    "performance": "有绩效内容",
    "no_placeholders": "无模板遗留文字",
    "consistent": "部门名称和年度前后一致",
}


def _table_names(text: object) -> list[str]:
    """Name the tables of a comma-separated list: 公开01表 for a 决算, 表B01 for a budget."""
    return [f"表{t}" if t.startswith("B") else f"公开{t}表" for t in str(text or "").split(",") if t]


def _listed(text: object) -> str:
    return "、".join(_table_names(text)) or "无"


def _detail(part: str, row: Row) -> str:
    """Say in words what the part was scored on, from the row's counts and table lists."""
    if part == "tables":
        found = _table_names(row.get("tables_found"))
        expected = row.get("tables_expected")
        head = f"应有 {expected} 张，" if expected is not None else ""
        return f"{head}印出 {len(found)} 张：{_listed(row.get('tables_found'))}；缺少：{_listed(row.get('tables_missing'))}"
    if part == "empty_stated":
        return (f"注明为空的表：{_listed(row.get('tables_stated_empty'))}；"
                f"未说明的空表：{_listed(row.get('tables_empty_unstated'))}")
    if part == "units":
        return f"未注明单位的表：{_listed(row.get('tables_without_unit'))}"
    if part == "toc":
        return "没有可读的目录" if row.get("toc_found") is False else f"目录与正文不一致 {row.get('toc_problems') or 0} 处"
    if part == "prose":
        return f"读到情况说明章节 {row.get('prose_sections') or 0} 个"
    if part == "performance":
        return "有绩效自评表或绩效章节" if row.get("performance") else "没有绩效自评表，也没有绩效章节"
    if part == "no_placeholders":
        return f"模板遗留文字 {row.get('placeholders') or 0} 处"
    return f"名称或年度前后不一致 {row.get('name_year_problems') or 0} 处"


def completeness_section(package: Package, rid: str) -> list[str]:
    """The report's completeness score and each of its eight parts, met or missed (none without a row)."""
    row = next(iter(package.rows("completeness", rid)), None)
    if row is None:
        return []
    met = set(str(row.get("parts_met") or "").split(","))
    missed = [p for p in str(row.get("parts_missed") or "").split(",") if p]
    score = row.get("score")
    out = ["## 完整性 { #completeness }", "",
           f'<p class="juesuan-completeness"><strong>完整性得分 {h("—" if score is None else score)} / 100</strong>'
           f"：八项各占一份，满足 {sum(1 for p in PARTS if p in met)} 项"
           + (f"，未满足：{h('、'.join(PARTS.get(p, p) for p in missed))}" if missed else "，全部满足")
           + "。标准表一项按印出的比例计分。</p>", ""]
    rows = [[PARTS[p], "满足" if p in met else "未满足", _detail(p, row)] for p in PARTS]
    out += [html_table(["项目", "结果", "说明"], rows, css="juesuan-completeness-parts", text_cols=frozenset({1, 2})), ""]
    return out


def has_budget_execution(package: Package, rid: str) -> bool:
    """Tell whether the report's page draws the budget-execution chart (it has rows)."""
    return bool(package.rows("budget_execution", rid))


def budget_execution_section(package: Package, rid: str, sources: Sources) -> list[str]:
    """A 决算's own 年初预算 beside its 决算数: chart, then the table with each number's source."""
    rows = sorted(package.rows("budget_execution", rid), key=lambda r: r.get("seq") or 0)
    if not rows:
        return []
    chart = charts.budget_execution(rows)
    out = ["## 预算执行 { #budget-execution }", "",
           f"本报告自身所列的年初预算数与决算数（取自{h(chart.source_tables)}：公开07表的预算数栏，"
           "或情况说明引用的年初预算）。差额 = 决算数 − 年初预算数，执行率 = 决算数 ÷ 年初预算数；金额单位万元。", "",
           frozen.chart_block(rid, chart), ""]
    headers = ["项目", "年初预算数（万元）", "决算数（万元）", "差额（万元）", "执行率", "来源"]
    body: list[list[str]] = []
    for name, r in zip(chart.rows, rows, strict=True):
        source = "公开07表" if r.get("source") == "表07" else (r.get("source") or "")
        cite = sources.cite(rid, ints(r.get("page")), ints(r.get("line")))
        body.append([h(name[0]), sources.cell_link(rid, h(fmt(r.get("budget"))), r),
                     sources.cell_link(rid, h(fmt(r.get("actual"))), r), h(signed(r.get("difference"))),
                     h(pct(r.get("rate")) or "—"), h(source) + (f" {cite}" if cite else "")])
    out += [fold_long(html_table(headers, body, css="juesuan-budget-execution", raw_cols=frozenset(range(len(headers)))),
                      len(body), "预算执行表"), ""]
    return out
