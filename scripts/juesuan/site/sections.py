"""Report page sections beyond the standard tables: 勾稽检查, 绩效, 同比, 单位构成与主要职责,
and the rule catalogue page. Each returns Markdown lines (HTML blocks built with htmlkit)."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from juesuan.site import charts, frozen
from juesuan.site.htmlkit import (
    Group,
    Sources,
    Tr,
    Wide,
    details,
    fmt,
    fold_long,
    h,
    html_table,
    ints,
    md,
    num,
    pct,
    signed,
)
from juesuan.site.load import Package, Row

SEVERITY_TITLES = {"error": "错误", "warning": "警告", "rounding": "尾数误差", "pass": "成立", "not-checked": "未能核对"}
SEVERITY_ORDER = ("error", "warning", "rounding", "pass", "not-checked")
COUNTED = ("pass", "rounding", "warning", "error", "not-checked")
SEVERITY_EXPLAINED = {
    "error": "按定义必须相等的数不相等：表内或表间至少有一个数印错或漏印。",
    "warning": "按惯例应当一致的数不一致：不一定是错误，但值得向部门核实。",
    "rounding": "相差不超过每个加数{tolerance}：各数分别四舍五入到 0.01 万元所致，不是错误。",
    "pass": "等式成立，分毫不差。",
    "not-checked": "规则未能运行：所需的表未找到、为空表，或所需的行、列未能识别；原因见每条记录。",
}
CATALOGUE = "../checks.html"  # the rule catalogue, relative to a report page (raw HTML: no .md rewriting)
DERIVED = '<abbr class="juesuan-derived" title="原文未直接印出，由本年决算数减去原文所述增减额推算">推算</abbr>'


def rule_catalogue(package: Package) -> dict[str, Row]:
    """Return the published rule catalogue (`rules` resource) by code, in catalogue order."""
    return {r["code"]: r for r in sorted(package.rows("rules"), key=lambda r: r.get("seq") or 0)}


def explained(package: Package, severity: str) -> str:
    """Return what a result of this severity means, with the tolerance the package publishes."""
    tolerance = next((r["tolerance"] for r in package.rows("rules") if r.get("tolerance") is not None), None)
    return SEVERITY_EXPLAINED[severity].format(tolerance=f" {fmt(tolerance)} 万元" if tolerance is not None else "的容差")


def _tables(text: object) -> str:
    return "、".join(f"公开{t}表" for t in str(text or "").split(",") if t)


# 概要 -----------------------------------------------------------------------------------------


def _total(totals: list[Row], side: str, *names: str) -> Decimal | None:
    """Return the 表01 amount of the first row whose label starts with one of `names`."""
    for name in names:
        for r in totals:
            if r.get("table") == "01" and r.get("side") == side and (r.get("item") or "").startswith(name):
                return r.get("amount")
    return None


def _share(part: Decimal, whole: Decimal) -> str:
    return format((part / whole * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "f")


def summary_paragraph(totals: list[Row], rows_03: list[Row], three: list[Row]) -> list[str]:
    """Say in plain words what the totals mean, from 表01 (and 表03, 表07) of any 决算.

    Where spending exceeds income, it says what paid for the difference, but only when the
    printed totals bear it out: 本年支出 − 本年收入 = 年初结转和结余 + 使用非财政拨款结余
    − 年末结转和结余 − 结余分配.
    """
    income = _total(totals, "收入", "本年收入合计")
    spending = _total(totals, "支出", "本年支出合计")
    if income is None or spending is None:
        return []
    opening = _total(totals, "收入", "年初结转和结余") or Decimal(0)
    reserve = _total(totals, "收入", "使用非财政拨款结余") or Decimal(0)
    closing = _total(totals, "支出", "年末结转和结余") or Decimal(0)
    allotted = _total(totals, "支出", "结余分配") or Decimal(0)
    out = [f"本年收入 {fmt(income)} 万元，本年支出 {fmt(spending)} 万元。"]
    gap = spending - income
    balanced = gap == opening + reserve - closing - allotted
    if gap > 0:
        out.append(f"支出比收入多 {fmt(gap)} 万元，")
        if balanced:
            used = [f"年初结转和结余 {fmt(opening)} 万元"] + ([f"使用非财政拨款结余 {fmt(reserve)} 万元"] if reserve else [])
            out.append(f"多出的部分用的是以前年度留下的资金：{'、'.join(used)}，年末还剩结转和结余 {fmt(closing)} 万元。")
        else:
            out.append(f"表01 所列年初结转和结余 {fmt(opening)} 万元、年末结转和结余 {fmt(closing)} 万元与这一差额对不上，见下方勾稽检查。")
    elif gap < 0:
        out.append(f"收入比支出多 {fmt(-gap)} 万元；年初结转和结余 {fmt(opening)} 万元，年末结转和结余 {fmt(closing)} 万元。")
    else:
        out.append(f"收支相等；年末结转和结余 {fmt(closing)} 万元。")
    total_03 = next((r for r in rows_03 if r.get("level") == "合计"), {})
    basic, project = total_03.get("basic"), total_03.get("project")
    if basic is not None and project is not None and spending:
        out.append(f"支出中基本支出（人员经费和日常公用经费）{fmt(basic)} 万元，占 {_share(basic, spending)}%；"
                   f"项目支出 {fmt(project)} 万元，占 {_share(project, spending)}%。")
    three_total = next((r.get("actual") for r in three if r.get("item") == "total"), None)
    if three_total is not None:
        out.append(f"“三公”经费（因公出国（境）、公务用车、公务接待）共 {fmt(three_total)} 万元。")
    return [f'<p class="juesuan-summary">{h("".join(out))}</p>', ""]


# 勾稽检查 --------------------------------------------------------------------------------------


def _finding_rows(findings: list[Row], rid: str, sources: Sources, rules: dict[str, Row]) -> list[Tr]:
    rows = []
    for r in findings:
        rule = rules.get(r.get("rule") or "")
        title = f"<strong>{h(rule['title'])}</strong><br>" if rule else ""
        code = h(r.get("rule"))
        explain = (f'{title}{h(r.get("message"))}<br><small>规则 <a href="{CATALOGUE}#rule-{code}">'
                   f"<code>{code}</code></a></small>")
        where = h(_tables(r.get("tables"))) + (f"<br>{h(r.get('row'))}" if r.get("row") else "")
        cite = f'<span class="juesuan-cite">{sources.cite(rid, ints(r.get("pages")), ints(r.get("lines"))) or "—"}</span>'
        # Amounts are in 万元 like the rest of the page; rates say so with a % sign.
        pct = "%" if r.get("unit") == "%" else ""
        values = [fmt(r.get("expected")), fmt(r.get("actual")), signed(r.get("difference"))]
        cells = [h(v + pct if v else v) for v in values]
        rows.append(Tr([h(r.get("seq")), where, explain, *cells, cite], id=f"check-{r.get('seq')}"))
    return rows


FINDING_HEADERS = ["序号", "涉及", "说明", "应为", "实际", "差额", "来源"]


def checks_section(package: Package, rid: str, sources: Sources) -> list[str]:
    """Summarize the report's checks and explain each non-pass finding in a table (no headings)."""
    findings = sorted(package.rows("checks", rid), key=lambda r: r.get("seq") or 0)
    out = ["## 勾稽检查 { #checks }", ""]
    if not findings:
        return [*out, "本报告没有勾稽检查记录。", ""]
    counts = Counter(r.get("severity") for r in findings)
    rules = rule_catalogue(package)
    out += [f"对本报告共检查 {len(findings)} 项勾稽关系（表内各行之间、各表之间应当相等的数）。"
            "每条规则的含义见[勾稽规则](../checks.md)；差额 = 实际 − 应为，金额单位万元。", ""]
    cards = [("检查项数", len(findings), "total")] + [(SEVERITY_TITLES[s], counts.get(s, 0), s)
                                                    for s in COUNTED]
    out.append('<div class="juesuan-headline juesuan-check-summary">')
    for label, n, css in cards:
        out.append(f'<div class="juesuan-figure juesuan-figure--{css}"><div class="juesuan-figure__label">{h(label)}</div>'
                   f'<div class="juesuan-figure__value">{n}</div></div>')
    out += ["</div>", ""]
    if counts.get("error", 0) + counts.get("warning", 0) + counts.get("rounding", 0) + counts.get("not-checked", 0) == 0:
        return [*out, "全部成立：所有勾稽关系都分毫不差。", ""]
    for sev in ("error", "warning"):
        items = [r for r in findings if r.get("severity") == sev]
        if items:
            out += [f'<p class="juesuan-check juesuan-check--{sev}"><strong>{SEVERITY_TITLES[sev]} {len(items)} 项</strong>'
                    f"：{h(explained(package, sev))}</p>", ""]
            out += [html_table(FINDING_HEADERS, _finding_rows(items, rid, sources, rules), css=f"juesuan-findings juesuan-findings--{sev}",
                               raw_cols=frozenset(range(len(FINDING_HEADERS)))), ""]
    if not counts.get("error") and not counts.get("warning"):
        out += ["没有错误或警告。", ""]
    not_checked = [r for r in findings if r.get("severity") == "not-checked"]
    if not_checked:
        reasons = Counter(str(r.get("message") or "") for r in not_checked)
        listing = "".join(f"<li>{h(reason)}（{n} 条规则）</li>" for reason, n in sorted(reasons.items()))
        out += [details(f"未能核对 {len(not_checked)} 项（点击展开）：{h(explained(package, 'not-checked'))}",
                        f"<ul>{listing}</ul>", css="juesuan-not-checked note"), ""]
    rounding = [r for r in findings if r.get("severity") == "rounding"]
    if rounding:
        table = html_table(FINDING_HEADERS, _finding_rows(rounding, rid, sources, rules), css="juesuan-findings",
                           raw_cols=frozenset(range(len(FINDING_HEADERS))))
        out += [details(f"尾数误差 {len(rounding)} 项（点击展开）：{h(explained(package, 'rounding'))}", table,
                        css="juesuan-rounding note"), ""]
    return out


def checks_page(package: Package) -> str:
    """Return the rule catalogue: every rule of the package's `rules` resource, with results over all reports."""
    out = ["# 勾稽规则", "",
           "每份报告都按下列规则逐项检查“应当相等的数”，结果（包括成立的）发布在 "
           "[checks.csv](downloads/checks.csv) 中，并显示在各报告页的“勾稽检查”部分。", "",
           "结果分五种：", ""]
    for sev in SEVERITY_ORDER:
        out.append(f"- **{SEVERITY_TITLES[sev]}**（`{sev}`）：{md(explained(package, sev))}")
    out += ["", "“不成立时”一栏说明规则不成立时记为错误还是警告：只有按定义必然相等的关系记为错误。", ""]
    stats: dict[str, Counter[str]] = {}
    for (rule, severity), n in package.count("checks", ("rule", "severity")).items():
        stats.setdefault(rule or "", Counter())[severity or ""] += n
    headers = ["规则代码", "涉及表", "适用", "不成立时", "规则", *(SEVERITY_TITLES[s] for s in COUNTED)]
    rules = rule_catalogue(package)
    rows = []
    for code, rule in rules.items():
        c = stats.get(code, Counter())
        severity = rule.get("severity") or ""
        rule_text = f'<strong>{h(rule.get("title"))}</strong><br><small>{h(rule.get("explanation"))}</small>'
        rows.append(Tr([f"<code>{h(code)}</code>", h((rule.get("tables") or "").replace(",", "、")), h(rule.get("applies_to")),
                        h(SEVERITY_TITLES.get(severity, severity)), rule_text] + [str(c.get(s, 0)) for s in COUNTED],
                       id=f"rule-{code}"))
    # Codes the package holds that the catalogue does not (findings made outside the registry).
    for code in sorted(set(stats) - set(rules)):
        c = stats[code]
        rows.append(Tr([f"<code>{h(code)}</code>", "", "", "", h("解析报告时另行产生的检查（未登记在规则目录中），说明见各条结果。")]
                       + [str(c.get(s, 0)) for s in COUNTED], id=f"rule-{code}"))
    listed = "（目录见 [rules.csv](downloads/rules.csv)）" if package.has("rules") else ""
    out += [f"共 {len(rules)} 条规则{listed}；右侧五栏是本站全部报告的检查结果计数。", "",
            html_table(headers, rows, css="juesuan-rules", raw_cols=frozenset(range(5)), text_cols=frozenset({1, 2})), ""]
    return "\n".join(out)


# 绩效 -----------------------------------------------------------------------------------------


def _full_marks(project: Row, indicators: list[Row]) -> Decimal | None:
    """Full marks of a 绩效自评表: the funding block's 分值 plus every indicator's 分值."""
    weights = [w for i in indicators if (w := i.get("weight")) is not None]
    if not indicators or len(weights) < len(indicators) or project.get("weight") is None:
        return None
    return project["weight"] + sum(weights, Decimal(0))


def _short(project: Row, full: Decimal | None) -> bool:
    score = project.get("total_score")
    return score is not None and score < (full if full is not None else Decimal(100))


def _indicator_table(indicators: list[Row]) -> str:
    headers = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    rows: list[list[str] | Tr | Group | Wide] = []
    prev: tuple[str, str] = ("", "")
    for i in sorted(indicators, key=lambda r: r.get("seq") or 0):
        l1, l2 = i.get("level1") or "", i.get("level2") or ""
        shown1 = "" if l1 == prev[0] else l1
        shown2 = "" if (l1, l2) == prev else l2
        prev = (l1, l2)
        lost = i.get("score") is not None and i.get("weight") is not None and i["score"] < i["weight"]
        css = "juesuan-lost" if lost else ""
        rows.append(Tr([shown1, shown2, i.get("level3") or "", i.get("target") or "", i.get("actual") or "",
                        num(i.get("weight")), num(i.get("score"))], css=css))
        if i.get("deviation"):
            # The reason sits under its indicator, across the table: it is often a paragraph.
            rows.append(Wide(f"偏差原因分析及改进措施：{h(i['deviation'])}", css=f"juesuan-deviation {css}".strip()))
    return html_table(headers, rows, css="juesuan-indicators", text_cols=frozenset({1, 2, 3, 4}))


def _goal(project: Row) -> str:
    parts = []
    if project.get("goal"):
        parts.append(f"<p><strong>预期目标</strong>：{h(project['goal'])}</p>")
    if project.get("outcome"):
        parts.append(f"<p><strong>实际完成情况</strong>：{h(project['outcome'])}</p>")
    return "\n".join(parts)


def has_project_chart(package: Package, rid: str) -> bool:
    """Tell whether the report's page draws the project performance chart (it has projects)."""
    return any(p.get("kind") != "部门整体" for p in package.rows("performance_projects", rid))


def performance_section(package: Package, rid: str, sources: Sources) -> list[str]:
    """The 绩效自评 tables: 部门整体 funding and score, then each project with its indicators."""
    projects = sorted(package.rows("performance_projects", rid), key=lambda r: r["project_seq"])
    if not projects:
        return []
    indicators: dict[int, list[Row]] = {}
    for i in package.rows("performance_indicators", rid):
        indicators.setdefault(i["project_seq"], []).append(i)
    full = {p["project_seq"]: _full_marks(p, indicators.get(p["project_seq"], [])) for p in projects}

    def score_text(p: Row) -> str:
        top = full[p["project_seq"]]
        return num(p.get("total_score")) + (f" / {num(top)}" if top is not None else "")

    out = ["## 预算绩效 { #performance }", "",
           "以下为报告所附绩效自评表（部门自评，未经第三方评价）。得分低于满分的项目展开显示，"
           "失分的指标以底色标出，并列出报告给出的偏差原因。", ""]
    for p in (p for p in projects if p.get("kind") == "部门整体"):
        seq = p["project_seq"]
        out += ["### 部门整体绩效自评 { #performance-department }", ""]
        rows = [
            ["部门（单位）", h(p.get("department") or p.get("name"))],
            ["年初预算数（万元）", h(fmt(p.get("budget_initial")))],
            ["年中调整金额（万元）", h(fmt(p.get("budget_adjustment")))],
            ["全年预算数（小计，万元）", h(fmt(p.get("budget_full")))],
            ["全年执行数（年度拨付，万元）", h(fmt(p.get("executed")))],
            ["支出实现率（执行率）", h(pct(p.get("execution_rate")))],
            ["结余金额（万元）", h(fmt(p.get("balance")))],
            ["资金结余率", h(pct(p.get("balance_rate")))],
            ["资金执行得分 / 分值", h(f"{num(p.get('score'))} / {num(p.get('weight'))}" if p.get("weight") is not None else "")],
            ["自评总分", h(score_text(p))],
            ["来源", sources.cite(rid, ints(p.get("page")), ints(p.get("line"))) or "—"],
        ]
        out += [html_table(["项目", "内容"], [r for r in rows if r[1]], css="juesuan-kv", raw_cols=frozenset({0, 1})), ""]
        inds = indicators.get(seq, [])
        if inds or p.get("goal") or p.get("outcome"):
            body = "\n".join(x for x in (_goal(p), _indicator_table(inds) if inds else "") if x)
            short = _short(p, full[seq]) or any(i.get("score") is not None and i.get("weight") is not None
                                                and i["score"] < i["weight"] for i in inds)
            out += [details(f"部门整体绩效指标 {len(inds)} 项", body, css="juesuan-project note", open_=short), ""]

    items = [p for p in projects if p.get("kind") != "部门整体"]
    if items:
        out += ["### 项目绩效自评 { #performance-projects }", ""]
        chart = charts.performance(items, {k: v for k, v in full.items() if v is not None})
        out += [frozen.chart_block(rid, chart), ""]
        out += [fold_long(html_table(chart.headers, chart.rows, css="juesuan-chart-data juesuan-projects",
                                     text_cols=frozenset({0, 1})), len(chart.rows), "图中数据"), ""]
        if chart.note:
            out += [f'<p class="juesuan-note">{h(chart.note)}</p>', ""]
        for p in items:
            seq = p["project_seq"]
            short = _short(p, full[seq])
            lost_funding = p.get("score") is not None and p.get("weight") is not None and p["score"] < p["weight"]
            facts = [f"全年预算数 {fmt(p.get('budget_full'))} 万元", f"全年执行数 {fmt(p.get('executed'))} 万元",
                     f"执行率 {pct(p.get('execution_rate'))}", f"资金执行得分 {num(p.get('score'))} / {num(p.get('weight'))}",
                     f"自评得分 {score_text(p)}"]
            cite = sources.cite(rid, ints(p.get("page")), ints(p.get("line")))
            parts = [f'<p class="juesuan-project__facts">{h("；".join(facts))}{"；来源 " + cite if cite else ""}</p>']
            if lost_funding:
                parts.append(f'<p class="juesuan-check juesuan-check--warning">资金执行失分：执行率 {h(pct(p.get("execution_rate")))}，'
                            f"资金执行得分 {h(num(p.get('score')))}（满分 {h(num(p.get('weight')))}）。</p>")
            goal = _goal(p)
            if goal:
                parts.append(goal)
            if indicators.get(seq):
                parts.append(_indicator_table(indicators[seq]))
            mark = "（失分）" if short else ""
            summary = (f"{seq}. {h(p.get('name'))} — 得分 {h(score_text(p))}，执行率 {h(pct(p.get('execution_rate')))}"
                       f"{mark}")
            out += [details(summary, "\n".join(parts), css="juesuan-project " + ("warning" if short else "note"),
                            open_=short), ""]
    return out


# 同比 -----------------------------------------------------------------------------------------


def _rate(this: Decimal, last: Decimal) -> Decimal | None:
    if last == 0:
        return None
    return ((this - last) / last * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def yoy_section(package: Package, rid: str, sources: Sources) -> list[str]:
    """Last year against this year for every subject the narrative gives both for (万元)."""
    facts = sorted(package.rows("facts", rid), key=lambda r: r.get("seq") or 0)
    by_key: dict[tuple[str, str], dict[str, Row]] = {}
    order: list[tuple[str, str]] = []
    for f in facts:
        key = (f.get("section") or "", f.get("subject") or "")
        if key not in by_key:
            by_key[key] = {}
            order.append(key)
        by_key[key].setdefault(f.get("metric") or "", f)
    pairs = [k for k in order if "本年决算" in by_key[k] and "上年决算" in by_key[k]
             and by_key[k]["本年决算"].get("value") is not None and by_key[k]["上年决算"].get("value") is not None
             and (by_key[k]["本年决算"].get("unit") or "万元") == "万元"]
    if not pairs:
        return []
    out = ["## 同比变化 { #yoy }", "",
           "本表取自报告第三部分（情况说明）所述的本年决算数与上年决算数。原文多只写“较上年增加（减少）××万元，"
           f"增长（下降）××%”，此时上年数由本年数减去增减额算得，标为{DERIVED}；"
           "增减率未写明时按两数推算。把鼠标移到来源上可看到原句，全部原句列在表下。", ""]
    headers = ["项目", "本年决算（万元）", "上年决算（万元）", "增减额（万元）", "增减率", "来源"]
    rows: list[list[str] | Tr | Group] = []
    quoted: dict[int | str, str] = {}
    section = None
    for key in pairs:
        m = by_key[key]
        this, last = m["本年决算"], m["上年决算"]
        if key[0] != section:
            section = key[0]
            rows.append(Group(section or "（未分节）"))
        tv, lv = this["value"], last["value"]
        change = m["增减额"]["value"] if "增减额" in m and m["增减额"].get("value") is not None else tv - lv
        change_mark = " " + DERIVED if "增减额" not in m or m["增减额"].get("derived") else ""
        if "增减率" in m and m["增减率"].get("value") is not None:
            rate_text, rate_mark = signed(m["增减率"]["value"], "%"), " " + DERIVED if m["增减率"].get("derived") else ""
        else:
            r = _rate(tv, lv)
            rate_text, rate_mark = (signed(r, "%"), " " + DERIVED) if r is not None else ("—", "")
        sentence = this.get("sentence") or last.get("sentence") or ""
        cite = sources.cite(rid, ints(this.get("page")), ints(this.get("line")), title=sentence) or "—"
        where = this.get("page") or this.get("line") or ""
        if sentence:
            quoted.setdefault(where, sentence)
        rows.append([h(key[1]), h(fmt(tv)) + (" " + DERIVED if this.get("derived") else ""),
                     h(fmt(lv)) + (" " + DERIVED if last.get("derived") else ""),
                     h(signed(change)) + change_mark, h(rate_text) + rate_mark, cite])
    out += [fold_long(html_table(headers, rows, css="juesuan-yoy", raw_cols=frozenset(range(len(headers)))),
                      len(pairs), "同比变化表"), ""]
    if quoted:
        unit = "页" if any(by_key[k]["本年决算"].get("page") for k in pairs) else "行"
        items = "\n".join(f"<li><span class=\"juesuan-quote__where\">第{h(k)}{unit}</span> {h(s)}</li>"
                          for k, s in quoted.items())
        out += [details(f"原文句子（{len(quoted)} 句）", f'<ul class="juesuan-quotes">\n{items}\n</ul>', css="quote"), ""]
    return out


# 单位构成与主要职责 ------------------------------------------------------------------------------


def profile_section(package: Package, rid: str, sources: Sources) -> list[str]:
    """单位构成 (units) and 主要职责 (duties), as printed in 第一部分."""
    units = sorted(package.rows("units", rid), key=lambda r: r.get("row") or 0)
    duties = sorted(package.rows("duties", rid), key=lambda r: r.get("seq") or 0)
    if not units and not duties:
        return []
    out = ["## 单位构成与主要职责 { #profile }", ""]
    if units:
        has_note = any(u.get("note") for u in units)
        headers = ["单位名称", "单位性质", "在职人数"] + (["备注"] if has_note else [])
        rows: list[list[str] | Tr | Group] = [
            [u.get("name") or "", u.get("nature") or "", "" if u.get("staff") is None else str(u["staff"])]
            + ([u.get("note") or ""] if has_note else []) for u in units]
        staffed = [u["staff"] for u in units if u.get("staff") is not None]
        if len(units) > 1 and staffed:
            rows.append(Tr(["合计", "", str(sum(staffed))] + ([""] if has_note else []), css="juesuan-total"))
        out += [f"本报告合并 {len(units)} 个单位的决算：", "", html_table(headers, rows, css="juesuan-units"), ""]
    if duties:
        lines = [line for d in duties if (line := d.get("line"))]
        pages = [page for d in duties if (page := d.get("page"))]
        cite = sources.cite(rid, pages, lines)
        items = "\n".join(f"<li>{h(d.get('text'))}</li>" for d in duties)
        out += [f'<p><strong>主要职责</strong>（{len(duties)} 项{"，来源 " + cite if cite else ""}）</p>', "",
                f'<ul class="juesuan-duties">\n{items}\n</ul>', ""]
    return out
