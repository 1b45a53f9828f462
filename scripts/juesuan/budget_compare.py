"""Budget beside final: `budget_execution` (one final report alone) and `budget_vs_final` (pairs).

`budget_execution_rows` takes a 决算 report's own 年初预算 figures: 表07's 预算数 / 决算数 per
“三公” item, and the 年初预算 the narrative quotes beside a 本年决算 (the `facts` metric).
`budget_vs_final_rows` pairs the budget and the final report of one department, year and
level where both are published, by function class (一般公共预算 支出), economic class
(基本支出), “三公” item and totals. Amounts are exact 万元; the rate is final / budget in %.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from juesuan.catalog import strip_ordinal
from juesuan.model import LineItem, ReportData, ReportMeta

Row = dict[str, Any]


class Pairable(Protocol):
    """What pairing a budget with its final report reads of each: a ReportData, or a package part."""

    @property
    def meta(self) -> ReportMeta: ...
    @property
    def line_items(self) -> list[LineItem]: ...
    @property
    def resources(self) -> dict[str, list[Row]]: ...

HUNDRED = Decimal(100)
# Budget 三公 measures (catalog_budget B07) → final 三公 items (canonical three_public).
_THREE_PUBLIC = {
    "three_public_total": "total",
    "abroad": "overseas",
    "reception": "reception",
    "vehicles": "vehicles",
    "vehicle_purchase": "vehicle_purchase",
    "vehicle_operation": "vehicle_operation",
}


def rate(final: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """Return final / budget in %, to 2 decimals; None where the budget is blank or zero."""
    if final is None or not budget:
        return None
    return (final / budget * HUNDRED).quantize(Decimal("0.01"))


def _difference(final: Decimal | None, budget: Decimal | None) -> Decimal | None:
    return None if final is None or budget is None else final - budget


def budget_execution_rows(report: ReportData) -> list[Row]:
    """Return a final report's own budget vs actual figures: 表07 items and quoted 年初预算."""
    if report.meta.kind_family != "决算":
        return []
    rid = report.meta.report_id
    out: list[Row] = []
    for r in report.resources.get("three_public", []):
        if r.get("budget") is None:
            continue
        out.append(_execution(rid, "表07", r["item"], r["name"], r["budget"], r.get("actual"), r.get("page"), r.get("line")))
    facts = report.resources.get("facts", [])
    by_subject: dict[str, dict[str, Row]] = defaultdict(dict)
    for f in facts:
        if f.get("metric") in ("年初预算", "本年决算") and f.get("unit", "万元") == "万元" and not f.get("derived"):
            by_subject[f.get("subject") or ""].setdefault(f["metric"], f)
    for subject, metrics in by_subject.items():
        if "年初预算" not in metrics:
            continue
        budget, actual = metrics["年初预算"], metrics.get("本年决算")
        out.append(_execution(rid, "情况说明", "", subject, budget["value"], actual["value"] if actual else None,
                              budget.get("page"), budget.get("line")))
    for seq, row in enumerate(out, start=1):
        row["seq"] = seq
    return out


def _execution(rid: str, source: str, item: str, name: str, budget: Decimal | None, actual: Decimal | None,
               page: int | None, line: int | None) -> Row:
    return {
        "report_id": rid, "source": source, "item": item, "name": name, "budget": budget, "actual": actual,
        "difference": _difference(actual, budget), "rate": rate(actual, budget), "page": page, "line": line,
    }


def department_key(name: str) -> str:
    """Return a department name for matching: whitespace, brackets and 中共/中国共产党 folded."""
    s = re.sub(r"[\s()（）“”\"]", "", name)
    return s.replace("中国共产党", "中共")


def budget_vs_final_rows(reports: Iterable[Pairable]) -> list[Row]:
    """Return budget beside final for each department, year and level where both are published."""
    by_key: dict[tuple[str, int | None, str], dict[str, Pairable]] = defaultdict(dict)
    for r in reports:
        by_key[(department_key(r.meta.department), r.meta.year, r.meta.level)].setdefault(r.meta.kind_family, r)
    out: list[Row] = []
    for (_, year, _level), pair in sorted(by_key.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])):
        budget, final = pair.get("预算"), pair.get("决算")
        if budget is None or final is None:
            continue
        base = {"department": final.meta.department, "year": year, "budget_report_id": budget.meta.report_id,
                "final_report_id": final.meta.report_id}
        for seq, (dimension, code, name, planned, spent) in enumerate(_pairs(budget, final), start=1):
            out.append({**base, "seq": seq, "dimension": dimension, "code": code, "name": name, "budget": planned, "final": spent,
                        "difference": _difference(spent, planned), "rate": rate(spent, planned)})
    return out


def _pairs(budget: Pairable, final: Pairable) -> list[tuple[str, str, str, Decimal | None, Decimal | None]]:
    out: list[tuple[str, str, str, Decimal | None, Decimal | None]] = []
    # 一般公共预算 expenditure by function class: budget B05 total vs final 表05 total.
    planned = _by_code(budget.line_items, "B05", "total")
    spent = {r["code"]: (r.get("name", ""), r.get("total")) for r in final.resources.get("general_budget_expenditure", [])}
    for code in sorted(set(planned) | set(spent)):
        name = spent.get(code, planned.get(code, ("", None)))[0] or planned.get(code, ("", None))[0]
        out.append(("function", code, name, planned.get(code, ("", None))[1], spent.get(code, ("", None))[1]))
    # 基本支出 by economic class: budget B06 total vs final 表06 amount.
    planned = _by_code(budget.line_items, "B06", "total")
    spent = {r["code"]: (r.get("name", ""), r.get("amount")) for r in final.resources.get("basic_expenditure", []) if r.get("code")}
    for code in sorted(set(planned) | set(spent)):
        name = spent.get(code, ("", None))[0] or planned.get(code, ("", None))[0]
        out.append(("economic", code, name, planned.get(code, ("", None))[1], spent.get(code, ("", None))[1]))
    # “三公” items: budget B07 vs final 表07 决算数.
    items = {i.measure_id: i.amount for i in budget.line_items if i.table == "B07" and i.measure_id in _THREE_PUBLIC}
    actual = {r["item"]: (r.get("name", ""), r.get("actual")) for r in final.resources.get("three_public", [])}
    for measure, item in _THREE_PUBLIC.items():
        if measure in items or item in actual:
            out.append(("three_public", item, actual.get(item, (item, None))[0], items.get(measure), actual.get(item, ("", None))[1]))
    return out


def _by_code(items: list[LineItem], table: str, measure: str) -> dict[str, tuple[str, Decimal | None]]:
    """Return {code: (name, amount)} of one measure of a budget table, the 合计 row under ""."""
    out: dict[str, tuple[str, Decimal | None]] = {}
    for i in items:
        if i.table != table or i.measure_id != measure:
            continue
        code = i.code or ("" if strip_ordinal(i.item) in ("合计", "总计") else None)
        if code is not None:
            out.setdefault(code, (i.item, i.amount))
    return out
