"""The corpus pages: the home table of every report, one page per department, comparisons per region and year.

Everything is read from the written package (via `corpus_summary`). Tables are static HTML
(sortable and filterable by `site_src/assets/corpus.js` when scripts run); charts aggregate,
so a corpus of a thousand reports keeps its pages light. Links inside raw HTML point at the
built `.html` files (MkDocs rewrites `.md` links in Markdown only).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal

from juesuan.site.corpus_charts import (
    BUDGET_COLOR,
    FINAL_COLOR,
    MAX_BARS,
    OTHER_COLOR,
    Series,
    embed,
    hbars,
    unique,
)
from juesuan.site.corpus_summary import Summary, comparison_slug, share, summarize
from juesuan.site.htmlkit import Tr, details, fmt, h, html_table, md, num
from juesuan.site.load import Package

HOME = "home.md"  # snippet included by site_src/index.md
STATUS_TEXT = {"error": "错误", "warning": "警告", "rounding": "尾数误差", "pass": "全部成立",
               "not-checked": "未能核对", "none": "未检查"}
STATUS_RANK = {s: i for i, s in enumerate(("error", "warning", "rounding", "pass", "not-checked", "none"))}
SCOPE_NOTE = ("“部门”报告合并本部门及所属单位，“单位”报告只含一个单位，两者口径不同，"
              "排名并列时请留意“部门/单位”一栏。金额单位一律为万元（原表为元的已精确换算）。")


def _num(value: Decimal | None, suffix: str = "") -> str:
    return fmt(value) + suffix if value is not None else "—"


def _sort_value(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def _td(text: str, sort: str | None = None, num: bool = False) -> str:
    attrs = (f' data-v="{h(sort)}"' if sort is not None else "") + (' class="num"' if num else "")
    return f"<td{attrs}>{text}</td>"


def _status_cell(s: Summary) -> str:
    status = s.status
    n = s.checks.get(status, 0)
    text = STATUS_TEXT[status] + (f" {n}" if status in ("error", "warning", "rounding") else "")
    tip = "、".join(f"{STATUS_TEXT[k]} {v}" for k, v in sorted(s.checks.items(), key=lambda kv: STATUS_RANK.get(kv[0], 9)))
    return _td(f'<span class="juesuan-status juesuan-status--{status}" title="{h(tip)}">{h(text)}</span>',
               str(STATUS_RANK[status]))


PART_TEXT = {
    "tables": "标准表不全", "empty_stated": "空表未说明", "units": "未注明单位", "toc": "目录不一致",
    "prose": "缺情况说明", "performance": "缺绩效", "no_placeholders": "有模板遗留", "consistent": "名称或年度不一致",
}


def _completeness_cell(s: Summary) -> str:
    if s.completeness is None:
        return _td("—", "")
    tip = f"{s.tables_found}/{s.tables_expected} 表" + "".join(f"；{PART_TEXT.get(p, p)}" for p in s.parts_missed)
    return _td(f'<span title="{h(tip)}">{num(s.completeness)} 分</span>', _sort_value(s.completeness), num=True)


# Home ----------------------------------------------------------------------------------------


HOME_HEADERS = ["地区", "部门", "年度", "类型", "部门/单位", "支出合计", "“三公”合计", "勾稽检查", "完整性", "报告"]


def home_table(summaries: list[Summary], prefix: str) -> str:
    """Return the static HTML table of every report, with the filter controls corpus.js wires up."""
    years = sorted({s.year for s in summaries if s.year}, reverse=True)
    regions = sorted({s.region for s in summaries if s.region})
    options = "".join(f'<option value="{h(r)}">{h(r)}</option>' for r in regions)
    year_options = "".join(f'<option value="{y}">{y}</option>' for y in years)
    controls = (
        '<div class="juesuan-filter js-corpus-filter" hidden>'
        '<input type="search" data-filter="text" placeholder="筛选：部门、地区…" aria-label="按文字筛选报告">'
        f'<select data-filter="0" aria-label="地区"><option value="">全部地区</option>{options}</select>'
        f'<select data-filter="2" aria-label="年度"><option value="">全部年度</option>{year_options}</select>'
        '<select data-filter="3" aria-label="类型"><option value="">决算和预算</option>'
        '<option value="决算">决算</option><option value="预算">预算</option></select>'
        '<span class="juesuan-filter__count" aria-live="polite"></span></div>'
    )
    num_th = ' class="num"'
    head = "".join(f"<th{num_th if i in (5, 6, 8) else ''}>{h(t)}</th>" for i, t in enumerate(HOME_HEADERS))
    body = []
    for s in summaries:
        family = "空白模板" if s.is_template else s.family
        body.append(
            "<tr>" + _td(h(s.region)) + _td(f'<a href="{prefix}departments/{s.dept_slug}.html">{h(s.department)}</a>'
                                            if not s.is_template else h(s.department))
            + _td(h(s.year or ""), _sort_value(s.year)) + _td(h(family)) + _td(h(s.level))
            + _td(h(_num(s.expenditure)), _sort_value(s.expenditure), num=True)
            + _td(h(_num(s.three_public)), _sort_value(s.three_public), num=True)
            + _status_cell(s) + _completeness_cell(s)
            + _td(f'<a href="{prefix}reports/{h(s.report_id)}.html">{h(s.kind or "报告")}</a>') + "</tr>")
    return (f"{controls}\n"
            '<div class="juesuan-table juesuan-corpus"><table data-corpus-table>\n'
            f"<thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></div>")


def _home_charts(summaries: list[Summary]) -> list[str]:
    out: list[str] = []
    real = [s for s in summaries if not s.is_template]
    years = sorted({s.year for s in real if s.year}, reverse=True)
    counts = Counter((s.year, s.family) for s in real)
    chart = hbars("reports-by-year", "各年度收录的报告数", [f"{y}年" for y in years],
                  [Series("决算", [Decimal(counts[(y, "决算")]) for y in years], FINAL_COLOR, count=True),
                   Series("预算", [Decimal(counts[(y, "预算")]) for y in years], BUDGET_COLOR, count=True)])
    out += ["## 各年度报告数 { #chart-reports-by-year }", "", embed(chart, "home"), "",
            html_table(["年度", "决算（份）", "预算（份）"], [[f"{y}", str(counts[(y, "决算")]), str(counts[(y, "预算")])] for y in years],
                       css="juesuan-chart-data", text_cols=frozenset({0})), ""]
    latest = next((y for y in years if any(s.year == y and s.family == "决算" and s.expenditure is not None for s in real)), None)
    if latest is not None:
        top = sorted((s for s in real if s.year == latest and s.family == "决算" and s.expenditure is not None),
                     key=lambda s: -(s.expenditure or 0))
        chart = hbars("top-expenditure", f"{latest}年度决算支出合计最高的部门",
                      unique([s.department for s in top], [s.region for s in top]),
                      [Series("支出合计", [s.expenditure for s in top], FINAL_COLOR)])
        shown = top[:MAX_BARS]
        out += [f"## {latest}年度决算支出合计 {{ #chart-top-expenditure }}", "", embed(chart, "home"), "",
                html_table(["部门", "地区", "部门/单位", "支出合计（万元）"],
                           [[s.department, s.region, s.level, _num(s.expenditure)] for s in shown], css="juesuan-chart-data"), ""]
        if len(top) > MAX_BARS:
            out += [f'<p class="juesuan-note">图表只画前 {MAX_BARS} 名（共 {len(top)} 个）；全部见下表和比较页。</p>', ""]
    status = Counter(s.status for s in real)
    order = [k for k in STATUS_RANK if status.get(k)]
    chart = hbars("check-status", "报告的勾稽检查结果（按最严重的一项）", [STATUS_TEXT[k] for k in order],
                  [Series("报告数", [Decimal(status[k]) for k in order], OTHER_COLOR, count=True)])
    out += ["## 勾稽检查结果 { #chart-check-status }", "", embed(chart, "home"), "",
            html_table(["结果", "报告数"], [[STATUS_TEXT[k], str(status[k])] for k in order], css="juesuan-chart-data"), ""]
    return out


def home_snippet(summaries: list[Summary]) -> str:
    """Return the Markdown included into the home page: counts, headline charts, the table of reports."""
    real = [s for s in summaries if not s.is_template]
    departments = {s.dept_slug for s in real}
    regions = {s.region for s in real if s.region}
    years = sorted({s.year for s in real if s.year})
    span = f"{years[0]}–{years[-1]}年度" if len(years) > 1 else (f"{years[0]}年度" if years else "")
    out = [f"本站收录 {len(summaries)} 份报告：{len(departments)} 个部门（单位），{len(regions)} 个地区，{span}。"
           "部门页并列各年度的决算与预算；[比较](data/compare/index.md)页按地区和年度排列各部门。", ""]
    if not summaries:
        return "暂无报告。\n"
    out += _home_charts(summaries)
    out += ["## 全部报告 { #reports }", "",
            "金额单位：万元。支出合计：决算取公开01表“本年支出合计”，预算取支出预算总表的合计。"
            "点击表头排序，用上方的框筛选。完整性：报告中找到的标准表数 / 应有的标准表数。"
            "勾稽检查列出最严重的结果，把鼠标移到上面可看到各类结果的项数。", "",
            home_table(summaries, "data/"), ""]
    return "\n".join(out)


# Department pages ----------------------------------------------------------------------------


def _by_department(summaries: list[Summary]) -> dict[str, list[Summary]]:
    groups: dict[str, list[Summary]] = defaultdict(list)
    for s in summaries:
        if not s.is_template:
            groups[s.dept_slug].append(s)
    return groups


def _by_year(reports: list[Summary], family: str) -> dict[int | None, Summary]:
    """Return one report per year of a family, the 部门 one where both levels are published."""
    out: dict[int | None, Summary] = {}
    for s in sorted(reports, key=lambda s: (s.level != "部门", s.report_id)):
        if s.family == family:
            out.setdefault(s.year, s)
    return out


def _bvf_section(package: Package, reports: list[Summary]) -> list[str]:
    finals = {s.report_id for s in reports if s.family == "决算"}
    pairs = [r for r in package.rows("budget_vs_final") if r.get("final_report_id") in finals
             and (r.get("code") in ("", None, "total") and r.get("dimension") in ("function", "three_public"))]
    execution = [r for rid in sorted(finals) for r in package.rows("budget_execution", rid)]
    out: list[str] = []
    if pairs:
        rows = [[str(r.get("year") or ""), "一般公共预算支出" if r.get("dimension") == "function" else "“三公”经费",
                 _num(r.get("budget")), _num(r.get("final")), _num(r.get("difference")), _num(r.get("rate"), "%")]
                for r in sorted(pairs, key=lambda r: (r.get("year") or 0, r.get("dimension") or ""))]
        out += ["## 预算与决算对照 { #budget-vs-final }", "",
                "同一年度的部门预算与部门决算都已发布时，两份报告的合计数并列（预算取预算表，决算取公开05表、07表）。", "",
                html_table(["年度", "项目", "预算数（万元）", "决算数（万元）", "差额（万元）", "执行率"], rows, text_cols=frozenset({0})), ""]
    if execution:
        by_rid = {s.report_id: s for s in reports}
        rows = [[str(by_rid[r["report_id"]].year or ""), f'{r.get("name") or ""}（{r.get("source") or ""}）', _num(r.get("budget")),
                 _num(r.get("actual")), _num(r.get("difference")), _num(r.get("rate"), "%")] for r in execution]
        table = html_table(["年度", "项目（来源）", "年初预算（万元）", "决算数（万元）", "差额（万元）", "执行率"], rows,
                           text_cols=frozenset({0, 1}))
        out += ["## 决算报告所列的年初预算 { #budget-execution }", "",
                "决算报告自己印出的年初预算数与决算数（公开07表的预算数栏，以及情况说明引用的年初预算）。", "",
                details(f"年初预算与决算 {len(rows)} 项（点击展开）", table), ""]
    return out


def department_page(package: Package, reports: list[Summary]) -> str:
    """Return one department's page: every year and kind it has, totals and 三公 across years, links."""
    latest = reports[0]
    name = latest.department
    slug = latest.dept_slug
    title = f"{name}（{latest.region}）" if latest.region else name
    out = ["---", f"title: {json.dumps(h(title), ensure_ascii=False)}", "---", "", f"# {md(title)}", "",
           f"本页汇总{md(name)}已发布的 {len(reports)} 份报告（决算与预算）。金额单位：万元。", "", SCOPE_NOTE, ""]
    headers = ["年度", "报告", "部门/单位", "收入合计", "支出合计", "基本支出", "项目支出", "“三公”经费", "机关运行经费", "勾稽检查"]
    rows: list[list[str] | Tr] = []
    for s in sorted(reports, key=lambda s: (-(s.year or 0), s.family, s.level)):
        status = STATUS_TEXT[s.status] + (f" {s.checks[s.status]}" if s.status in ("error", "warning") else "")
        rows.append([str(s.year or ""), f'<a href="../reports/{h(s.report_id)}.html">{h(s.kind)}</a>', h(s.level),
                     *(h(_num(v)) for v in (s.income, s.expenditure, s.basic, s.project, s.three_public, s.running)), h(status)])
    out += ["## 各年度报告 { #reports }", "",
            html_table(headers, rows, css="juesuan-dept-reports", raw_cols=frozenset(range(len(headers))), text_cols=frozenset({0, 2, 9})), ""]

    finals, budgets = _by_year(reports, "决算"), _by_year(reports, "预算")
    years = sorted(set(finals) | set(budgets), key=lambda y: -(y or 0))
    labels = [f"{y}年" for y in years]

    def values(by: dict[int | None, Summary], attr: str) -> list[Decimal | None]:
        return [getattr(by[y], attr) if y in by else None for y in years]

    def three_totals(s: Summary | None) -> list[str]:
        return [_num(v) for v in (s.expenditure, s.basic, s.project)] if s else ["—"] * 3

    series = [Series("决算", values(finals, "expenditure"), FINAL_COLOR)]
    if budgets:
        series.append(Series("预算", values(budgets, "expenditure"), BUDGET_COLOR))
    chart = hbars("totals-by-year", "历年支出合计（决算与预算）", labels, series)
    out += ["## 历年支出合计 { #totals-by-year }", "", embed(chart, slug), "",
            html_table(["年度", "决算支出合计（万元）", "决算基本支出", "决算项目支出", "预算支出合计（万元）", "预算基本支出", "预算项目支出"],
                       [[lbl, *three_totals(finals.get(y)), *three_totals(budgets.get(y))]
                        for y, lbl in zip(years, labels, strict=True)],
                       css="juesuan-chart-data", text_cols=frozenset({0})), "",
            '<p class="juesuan-note">决算支出合计为公开01表“本年支出合计”；预算支出合计为支出预算总表的合计'
            "（无此表时取收支预算总表的支出合计）。预算年度与决算年度相同时两者可直接对照。</p>", ""]

    three = [Series("决算", values(finals, "three_public"), FINAL_COLOR)]
    if any(v is not None for v in values(finals, "three_public_budget")):
        three.append(Series("决算报告所列预算数", values(finals, "three_public_budget"), OTHER_COLOR))
    if budgets:
        three.append(Series("预算报告", values(budgets, "three_public"), BUDGET_COLOR))
    chart = hbars("three-public-by-year", "历年“三公”经费", labels, three)
    out += ["## 历年“三公”经费 { #three-public-by-year }", "", embed(chart, slug), "",
            html_table(["年度", *(f"{s.name}（万元）" for s in three)],
                       [[lbl, *(_num(s.values[i]) for s in three)] for i, lbl in enumerate(labels)],
                       css="juesuan-chart-data", text_cols=frozenset({0})), "",
            '<p class="juesuan-note">“—”表示该年度没有发布此类报告，或报告中此项空白（上海的报表以空白表示零）。</p>', ""]
    out += _bvf_section(package, reports)
    return "\n".join(out)


def departments_index(groups: dict[str, list[Summary]]) -> str:
    """Return the list of department pages, by region."""
    out = ["# 部门", "", f"共 {len(groups)} 个部门（单位），每个一页，汇总其各年度的决算和预算。", ""]
    rows = []
    for slug, reports in sorted(groups.items(), key=lambda kv: (kv[1][0].region, kv[1][0].department)):
        s = reports[0]
        years = sorted({r.year for r in reports if r.year})
        kinds = "、".join(sorted({r.kind for r in reports}))
        rows.append(f"| {md(s.region)} | [{md(s.department)}]({slug}.md) | {'、'.join(str(y) for y in years)} | {md(kinds)} |")
    if rows:
        out += ["| 地区 | 部门 | 年度 | 报告 |", "| --- | --- | --- | --- |", *rows, ""]
    return "\n".join(out)


# Comparison pages ----------------------------------------------------------------------------


def _ranked(reports: list[Summary], attr: str) -> list[Summary]:
    have = [s for s in reports if getattr(s, attr) is not None]
    return sorted(have, key=lambda s: (-getattr(s, attr), s.department))


def _link(s: Summary) -> str:
    return f'<a href="../departments/{s.dept_slug}.html">{h(s.department)}</a>'


def _section(slug: str, key: str, heading: str, intro: str, chart_title: str, reports: list[Summary], attr: str,
             series: list[tuple[str, str, str]], headers: list[str], cells: list[str], stacked: bool = False,
             suffix: str = "") -> list[str]:
    """Return one comparison section: ranked chart by `attr`, then the full ranked table."""
    ranked = _ranked(reports, attr)
    missing = [s for s in reports if getattr(s, attr) is None]
    chart = hbars(key, chart_title, unique([s.department for s in ranked], [s.level for s in ranked]),
                  [Series(name, [getattr(s, a) for s in ranked], color, suffix) for name, a, color in series], stacked=stacked)
    rows = [[str(i), _link(s), h(s.level), *(h(c(s)) for c in _cells(cells))] for i, s in enumerate(ranked, start=1)]
    rows += [["", _link(s), h(s.level), *(h(c(s)) for c in _cells(cells))] for s in missing]
    out = [f"## {heading} {{ #{key} }}", "", intro, "", embed(chart, slug), "",
           html_table(["名次", "部门", "部门/单位", *headers], rows, css="juesuan-chart-data juesuan-ranking",
                      raw_cols=frozenset({1}), text_cols=frozenset({2})), ""]
    if len(ranked) > MAX_BARS:
        out += [f'<p class="juesuan-note">图表只画前 {MAX_BARS} 名，表中列出全部 {len(ranked)} 个。</p>', ""]
    if missing:
        out += [f'<p class="juesuan-note">{len(missing)} 个部门的报告中此项空白或没有印出，列在表末，不排名。</p>', ""]
    return out


_CELLS: dict[str, Callable[[Summary], str]] = {
    "expenditure": lambda s: _num(s.expenditure), "basic": lambda s: _num(s.basic), "project": lambda s: _num(s.project),
    "basic_share": lambda s: _num(share(s.basic, s.expenditure), "%"),
    "personnel": lambda s: _num(s.personnel), "public": lambda s: _num(s.public),
    "personnel_share": lambda s: _num(s.personnel_share, "%"),
    "three_public": lambda s: _num(s.three_public), "staff": lambda s: str(s.staff) if s.staff is not None else "—",
    "three_per_staff": lambda s: _num(s.three_per_staff), "running": lambda s: _num(s.running),
}


def _cells(names: list[str]) -> list[Callable[[Summary], str]]:
    return [_CELLS[n] for n in names]


def comparison_page(region: str, year: int | None, family: str, reports: list[Summary]) -> str:
    """Return the page ranking one region's departments of one year (决算 or 预算)."""
    slug = comparison_slug(region, year, family)
    title = f"{region} {year}年度{family}：部门比较"
    source = ("公开01表本年支出合计、公开03表基本/项目支出、公开06表人员/公用经费、公开07表“三公”经费决算数、情况说明所述机关运行经费"
              if family == "决算" else
              "支出预算总表合计及基本/项目支出、一般公共预算基本支出经济分类表的人员/公用经费、“三公”经费和机关运行经费预算表")
    out = ["---", f"title: {json.dumps(h(title), ensure_ascii=False)}", "---", "", f"# {md(title)}", "",
           f"本页比较{md(region)}{year}年度的 {len(reports)} 份{family}报告（一个部门可能同时发布部门和单位两级报告）。比较的数字取自：{source}。", "",
           '!!! note "比较口径"', "", f"    {SCOPE_NOTE}", "",
           "    人员经费占比只就一般公共预算财政拨款基本支出计算（公开06表或预算经济分类表），不含其他资金。"
           "人均“三公”经费只在报告印出在职人数（单位构成）时计算。决算与预算不在同一页比较。", ""]
    out += _section(slug, "expenditure", "支出合计", "按支出合计从高到低排列。", f"{year}年度支出合计", reports, "expenditure",
                    [("支出合计", "expenditure", FINAL_COLOR if family == "决算" else BUDGET_COLOR)],
                    ["支出合计（万元）"], ["expenditure"])
    out += _section(slug, "basic-project", "基本支出与项目支出", "基本支出保障机构运转，项目支出用于完成特定任务；按两者之和排列。",
                    "基本支出与项目支出", reports, "expenditure",
                    [("基本支出", "basic", FINAL_COLOR), ("项目支出", "project", OTHER_COLOR)],
                    ["基本支出（万元）", "项目支出（万元）", "基本支出占比"], ["basic", "project", "basic_share"], stacked=True)
    out += _section(slug, "personnel-share", "人员经费占比", "人员经费占一般公共预算财政拨款基本支出（人员经费 + 公用经费）的比例。",
                    "人员经费占基本支出比例", reports, "personnel_share", [("人员经费占比", "personnel_share", FINAL_COLOR)],
                    ["人员经费（万元）", "公用经费（万元）", "人员经费占比"], ["personnel", "public", "personnel_share"], suffix="%")
    out += _section(slug, "three-public", "“三公”经费", "“三公”经费合计（因公出国（境）、公务用车购置及运行维护、公务接待）。",
                    "“三公”经费合计", reports, "three_public", [("“三公”经费", "three_public", FINAL_COLOR)],
                    ["“三公”经费（万元）", "在职人数", "人均（万元/人）"], ["three_public", "staff", "three_per_staff"])
    out += _section(slug, "three-public-per-staff", "人均“三公”经费", "“三公”经费合计 ÷ 在职人数（报告单位构成中印出的人数）。",
                    "人均“三公”经费（万元/人）", reports, "three_per_staff", [("人均", "three_per_staff", OTHER_COLOR)],
                    ["“三公”经费（万元）", "在职人数", "人均（万元/人）"], ["three_public", "staff", "three_per_staff"])
    out += _section(slug, "running", "机关运行经费", "机关运行经费（行政单位和参照公务员法管理的事业单位的公用经费）。",
                    "机关运行经费", reports, "running", [("机关运行经费", "running", FINAL_COLOR)],
                    ["机关运行经费（万元）"], ["running"])
    return "\n".join(out)


def _comparisons(summaries: list[Summary]) -> dict[tuple[str, int | None, str], list[Summary]]:
    groups: dict[tuple[str, int | None, str], list[Summary]] = defaultdict(list)
    for s in summaries:
        if not s.is_template:
            groups[(s.region, s.year, s.family)].append(s)
    return groups


def comparisons_index(groups: dict[tuple[str, int | None, str], list[Summary]]) -> str:
    """Return the list of comparison pages."""
    out = ["# 比较", "", "每个地区、每个年度一页，把同一地区同一年度的部门按支出合计、基本/项目支出、人员经费占比、"
           "“三公”经费（总额和人均）和机关运行经费排列。决算和预算分页比较。", ""]
    if groups:
        out += ["| 地区 | 年度 | 类型 | 报告数 |", "| --- | --- | --- | ---: |"]
        for (region, year, family), reports in sorted(groups.items(), key=lambda kv: (kv[0][0], -(kv[0][1] or 0), kv[0][2])):
            out.append(f"| {md(region)} | [{year}年度{family}]({comparison_slug(region, year, family)}.md) | {family} | {len(reports)} |")
        out.append("")
    return "\n".join(out)


def corpus_pages(package: Package) -> dict[str, str]:
    """Return every corpus page as {path under the generated folder: Markdown}."""
    summaries = summarize(package)
    pages = {HOME: home_snippet(summaries)}
    departments = _by_department(summaries)
    pages["departments/index.md"] = departments_index(departments)
    for slug, reports in departments.items():
        pages[f"departments/{slug}.md"] = department_page(package, reports)
    comparisons = _comparisons(summaries)
    pages["compare/index.md"] = comparisons_index(comparisons)
    for (region, year, family), reports in comparisons.items():
        pages[f"compare/{comparison_slug(region, year, family)}.md"] = comparison_page(region, year, family, reports)
    return pages

