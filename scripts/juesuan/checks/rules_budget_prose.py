"""Budget prose against the budget tables, and which table-free prose rules hold on a budget.

A budget's 情况说明 quotes this year's budget (`本年预算` facts) of the same totals its tables
print: 收支总预算, 财政拨款, 基本/项目支出, 三公 and its parts, 机关运行经费, 政府采购. Each
quoted figure is compared with the one table cell it comes from, found by its row label and
measure (never by position), so both template families are read the same way.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from juesuan.catalog import strip_ordinal
from juesuan.checks.base import Checker, Row, Rule, amt, fmt, rule
from juesuan.checks.rules_budget import budget_rows
from juesuan.checks.tolerance import classify

# Table-free rules that read only the prose and hold whatever the report kind: a change and
# its rate agree, a share is amount ÷ total, listed parts add up. `prose-comparison` is not
# among them: its 上年 reference is a figure derived from any sentence, and budget prose
# compares with 上年预算 and 上年执行数 alike (万里街道 2023 p7), so it would report a false error.
BUDGET_PROSE_RULES = frozenset({
    "narrative-change-consistent", "narrative-unit-slip", "prose-direction", "prose-share", "prose-share-sum",
    "prose-parts", "prose-sme",
})
TO_WAN = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}
_TOTAL_LABELS = {"收入": ("收入总计", "收入合计"), "支出": ("支出总计", "支出合计")}
# (subject pattern, table, row labels or "" for the table's first row, measure): the subject
# is the fact's subject with quotes, ordinals, the department and every 预算/数 word removed.
_TARGETS: tuple[tuple[str, str, str, str], ...] = (
    (r"(收入|收入总计|收入合计|收支总计|收入支出总计)", "B01", "收入", "amount"),
    (r"(支出总计|支出合计)", "B01", "支出", "amount"),
    (r"财政拨款(收入)?(总计|合计)?|财政拨款收入支出(总计)?", "B04", "收入", "amount"),
    (r"财政拨款支出(总计|合计)?", "B04", "支出", "amount"),
    (r"基本支出", "B03", "", "basic"),
    (r"项目支出", "B03", "", "project"),
    (r"(一般公共预算)?(财政拨款的)?机关运行经费(支出)?", "B12", "合计", "total"),
    (r"(一般公共预算)?(财政拨款的)?机关运行经费(支出)?", "B07", "", "operating_expenses"),
    (r"(一般公共预算(拨款)?)?三公(经费)?(支出)?", "B07", "", "three_public_total"),
    (r"因公出国\(境\)费(用)?(支出)?", "B07", "", "abroad"),
    (r"公务接待费(支出)?", "B07", "", "reception"),
    (r"公务用车购置及运行(维护)?费(支出)?", "B07", "", "vehicles"),
    (r"公务用车购置(费)?(支出)?", "B07", "", "vehicle_purchase"),
    (r"公务用车运行(维护)?费(支出)?", "B07", "", "vehicle_operation"),
    (r"政府采购(支出)?(总额|总金额|总计|合计|总)?", "B13", "合计", "total"),
)
_NAMES = {"B01": "收支预算总表", "B03": "支出预算总表", "B04": "财政拨款收支预算总表", "B07": "“三公”经费预算表",
          "B12": "机关运行经费支出预算表", "B13": "政府采购支出预算表"}
_OWNER = re.compile(r"^(?:\d{4}年度?)?(?:本部门|我部门|本单位|部门|单位)?")


def runs_on_budget(rule: Rule) -> bool:
    """Tell whether a rule runs on a budget report: budget table rules and the budget-safe prose rules."""
    return rule.tables.startswith("B") or rule.code in BUDGET_PROSE_RULES


def budget_subject(subject: str, department: str = "") -> str:
    """Return a prose subject folded for matching: no quotes, ordinal, department or 预算/数 words."""
    s = "".join(subject.split()).replace("（", "(").replace("）", ")")
    s = re.sub(r"[“”\"'‘’]", "", s)
    s = re.sub(r"^(?:\(?\d+[)）.、]|[(（]?[一二三四五六七八九十]+[)）、])", "", s)
    s = strip_ordinal(s)
    if department and s.startswith(department):
        s = s[len(department):]
    s = _OWNER.sub("", s)
    return s.replace("预算", "").replace("收、支", "收入支出").removesuffix("数")


def _row(ck: Checker, table: str, labels: str, measure: str) -> Row | None:
    """Return the row of a budget table that prints a measure: by label, or the first one."""
    rows = [r for r in budget_rows(ck, table) if r.get(measure) is not None or measure in r]
    if not labels:
        named = [r for r in rows if strip_ordinal(r["item"]) in ("合计", "总计")]
        return next(iter(named or rows), None)
    wanted = _TOTAL_LABELS.get(labels, (labels,))
    for label in wanted:
        found = next((r for r in rows if strip_ordinal(r["item"]) == label), None)
        if found is not None:
            return found
    return None


def budget_targets(ck: Checker, subject: str) -> list[tuple[str, Row, str]]:
    """Return the table cells (table, row, measure) a folded budget subject may quote."""
    out = []
    for pattern, table, labels, measure in _TARGETS:
        if re.fullmatch(pattern, subject) and ck.ready(table) and (r := _row(ck, table, labels, measure)) is not None:
            out.append((table, r, measure))
    return out


def printed_rounding(value: Decimal, printed: Decimal, scale: Decimal) -> Decimal:
    """Return a table amount (万元) rounded half up to the decimal places the prose printed."""
    exponent = Decimal(1).scaleb(printed.as_tuple().exponent)  # type: ignore[arg-type]
    return (value / scale).quantize(exponent, rounding=ROUND_HALF_UP) * scale


def _facts(ck: Checker) -> list[dict[str, Any]]:
    return [f for f in ck.rows("facts") if f["metric"] == "本年预算" and f["unit"] in TO_WAN and not f.get("derived")]


@rule("b-narrative-amount", "B01,B03,B04,B07,B12,B13", "error", "预算情况说明引用的本年预算数 = 对应预算表中的金额")
def budget_narrative_amount(ck: Checker, rule: Rule) -> None:
    """Compare every budget figure the prose quotes for a known subject with its table cell."""
    department = "".join((ck.data.meta.department or "").split())
    for fact in _facts(ck):
        found = budget_targets(ck, budget_subject(fact["subject"], department))
        if not found:
            continue
        quoted = fact["value"] * TO_WAN[fact["unit"]]
        table, row, measure = min(found, key=lambda t: abs(amt(t[1].get(t[2])) - quoted))
        value = amt(row.get(measure))
        severity = classify(value, quoted, 1, rule.failure)
        if severity == "rounding" and printed_rounding(value, fact["value"], TO_WAN[fact["unit"]]) == quoted:
            severity = "pass"  # the prose quotes the 元 cell in 万元 to the places it prints
        where = f"第{fact.get('page')}页“{fact['sentence'][:60]}”" if fact.get("page") else f"“{fact['sentence'][:60]}”"
        cell = f"{table} {_NAMES.get(table, '')} {row['item'] or ''}".strip()
        if severity == "pass":
            message = f"{where} 中 {fact['subject']} {fmt(quoted)} 万元，与{cell}相符。"
        else:
            message = (f"{where} 中 {fact['subject']} 为 {fmt(quoted)} 万元，但{cell}为 {fmt(value)} 万元，"
                       f"相差 {fmt(quoted - value)} 万元。")
        ck.add(rule, severity, row=fact["subject"], tables=table, message=message,
               sources=[row, {"page": fact.get("page"), "line": fact.get("line")}], expected=value, actual=quoted)
