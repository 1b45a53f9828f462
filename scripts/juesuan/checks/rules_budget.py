"""Budget tables (B01…): totals balance, each row's total = Σ its parts, 合计 = Σ类, 类 = Σ款 = Σ项.

Budget rules read the line items of the budget tables (ids from catalog_budget) directly:
the budget templates differ between regions, so rows are told by code and label, never by
position. Rule codes start with `b-` and their tables with `B`, so they run on budgets only.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from juesuan.catalog import strip_ordinal
from juesuan.catalog_budget import BUDGET_TABLES
from juesuan.checks.base import Checker, Rule, rule, total

Row = dict[str, Any]
# Measures that are parts of another measure (basic = personnel + public) or of another
# year (上年预算数): never summed into a row's total.
_NOT_ADDENDS = {"total", "amount", "personnel", "public", "previous"}
_INCOME_TOTALS = ("收入总计", "收入合计")
_EXPENDITURE_TOTALS = ("支出总计", "支出合计")


def budget_rows(ck: Checker, table: str) -> list[Row]:
    """Return one row per printed row and column group of a budget table, measures as keys."""
    grouped: dict[tuple[int, int], Row] = {}
    for item in ck.data.line_items:
        if item.table != table:
            continue
        row = grouped.setdefault(
            (item.row, item.group),
            {"row": item.row, "group": item.group, "code": item.code, "item": item.item, "section": item.section,
             "page": item.page, "line": item.line},
        )
        if item.measure_id and item.measure_id not in row:
            row[item.measure_id] = item.amount
    return [grouped[k] for k in sorted(grouped)]


def _label(r: Row) -> str:
    return strip_ordinal(r["item"])


def _name(table: str) -> str:
    return f"{table} {BUDGET_TABLES[table].name}"


def _total_row(rows: list[Row], labels: tuple[str, ...]) -> Row | None:
    """Return the first row labelled with the first label that occurs (总计 before 合计)."""
    for label in labels:
        found = next((r for r in rows if _label(r) == label), None)
        if found is not None:
            return found
    return None


@rule("b-totals-balance", "B01", "error", "收支预算总表：收入总计 = 支出总计")
def totals_balance(ck: Checker, rule: Rule) -> None:
    """Check that the budget's total income equals its total expenditure."""
    if not ck.ready("B01"):
        return
    rows = budget_rows(ck, "B01")
    income = _total_row(rows, _INCOME_TOTALS)
    spent = [r for r in rows if _label(r) in _EXPENDITURE_TOTALS]
    if income is None or not spent or income.get("amount") is None:
        return
    spending = _total_row(spent, _EXPENDITURE_TOTALS)
    assert spending is not None
    ck.compare(rule, row=_label(spending), subject=f"{_name('B01')} {_label(spending)}", actual=spending.get("amount"),
               reference=_label(income), expected=income["amount"], addends=1, sources=[income, spending])


_SPLIT_TABLES = ("B02", "B03", "B05", "B08", "B09", "B10")


@rule("b-row-total", ",".join(_SPLIT_TABLES), "error", "预算表每行：合计 = 各栏之和（基本支出 + 项目支出 …）")
def row_total(ck: Checker, rule: Rule) -> None:
    """Check each row's total column against the sum of its part columns, where parts are printed."""
    for table in _SPLIT_TABLES:
        if not ck.ready(table):
            continue
        for r in budget_rows(ck, table):
            parts = [m for m in r if m in _measure_ids(table) and m not in _NOT_ADDENDS]
            if "total" not in r or not parts:
                continue
            expected, n = total(r[m] for m in parts)
            ck.compare(rule, row=r["code"] or _label(r) or str(r["row"]), subject=f"{_name(table)} {r['code']} {r['item']} 合计",
                       actual=r["total"], reference="各栏之和", expected=expected, addends=n, sources=[r], tables=table)


def _measure_ids(table: str) -> set[str]:
    return {m.id for m in BUDGET_TABLES[table].measures}


_HIERARCHY_TABLES = ("B02", "B03", "B05", "B06", "B08", "B09", "B10", "B11", "B12")


@rule("b-code-hierarchy", ",".join(_HIERARCHY_TABLES), "error", "预算表：合计 = Σ类，类 = Σ款，款 = Σ项")
def code_hierarchy(ck: Checker, rule: Rule) -> None:
    """Check 合计 = Σ类 and each code = Σ its children (3 → 5 → 7 digits), column by column."""
    for table in _HIERARCHY_TABLES:
        if not ck.ready(table):
            continue
        rows = budget_rows(ck, table)
        coded: dict[str, Row] = {}
        for r in rows:
            if r["code"]:
                coded.setdefault(r["code"], r)
        children: dict[str, list[Row]] = defaultdict(list)
        for code, r in coded.items():
            parent_code = code[:-2] if len(code) in (5, 7) else ""
            if len(code) == 3:
                children["合计"].append(r)
            elif parent_code in coded:
                children[parent_code].append(r)
        grand = _total_row([r for r in rows if not r["code"]], ("合计", "总计", "支出合计", "收入合计"))
        parents: dict[str, Row | None] = {**{c: coded[c] for c in children if c != "合计"}, "合计": grand}
        for code, parent in parents.items():
            if parent is None or not children.get(code):
                continue
            for m in sorted(k for k in parent if k in _measure_ids(table) and k != "previous"):
                expected, n = total(c.get(m) for c in children[code])
                value: Decimal | None = parent.get(m)
                ck.compare(rule, row=code if m == "total" or m == "amount" else f"{code}/{m}",
                           subject=f"{_name(table)} {code} {parent['item']} {m}", actual=value,
                           reference="下级科目之和", expected=expected, addends=n, sources=[parent, *children[code]],
                           tables=table)
