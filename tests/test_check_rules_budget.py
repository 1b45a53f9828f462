"""Budget rules (b-…): one good and one broken fixture each, as flattened (rule, table, row) tuples."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from check_helpers import changed, flat
from juesuan.checks import RULES, run_checks
from juesuan.checks.rules_budget_prose import BUDGET_PROSE_RULES
from juesuan.model import LineItem, RawTable, ReportData, ReportMeta, StandardTable

# (table, row, group, code, item, {measure: amount in 万元}) of a small but consistent budget.
ROWS: list[tuple[str, int, int, str, str, dict[str, str]]] = [
    ("B01", 1, 0, "", "一、财政拨款收入", {"amount": "300.00"}),
    ("B01", 1, 1, "", "一、一般公共服务支出", {"amount": "300.00"}),
    ("B01", 2, 0, "", "收入总计", {"amount": "300.00"}),
    ("B01", 2, 1, "", "支出总计", {"amount": "300.00"}),
    ("B05", 1, 0, "", "合计", {"total": "300.00", "basic": "100.00", "project": "200.00"}),
    ("B05", 2, 0, "201", "一般公共服务支出", {"total": "300.00", "basic": "100.00", "project": "200.00"}),
    ("B05", 3, 0, "20101", "人大事务", {"total": "300.00", "basic": "100.00", "project": "200.00"}),
    ("B05", 4, 0, "2010101", "行政运行", {"total": "100.00", "basic": "100.00"}),
    ("B05", 5, 0, "2010102", "一般行政管理事务", {"total": "200.00", "project": "200.00"}),
    ("B06", 1, 0, "", "合计", {"total": "100.00", "personnel": "80.00", "public": "20.00"}),
    ("B06", 2, 0, "301", "工资福利支出", {"total": "80.00", "personnel": "80.00"}),
    ("B06", 3, 0, "30101", "基本工资", {"total": "50.00", "personnel": "50.00"}),
    ("B06", 4, 0, "30102", "津贴补贴", {"total": "30.00", "personnel": "30.00"}),
    ("B06", 5, 0, "302", "商品和服务支出", {"total": "20.00", "public": "20.00"}),
]


def _budget() -> ReportData:
    meta = ReportMeta("b", "某局", "江苏省", 2018, "部门预算", "万元", "b.pdf", "0" * 64, 3, "0", "pdf", kind_family="预算")
    items = [
        LineItem("b", t, row, 0, g, "", code, item, "", m, m, D(v), v, False, "万元", "", 1, None, None)
        for t, row, g, code, item, amounts in ROWS
        for m, v in amounts.items()
    ]
    tables = {t: StandardTable(t, RawTable(t, []), [], [], "万元") for t in {r[0] for r in ROWS}}
    return ReportData(meta=meta, line_items=items, resources={"facts": [_fact("收入预算总计", "300.00")]}, tables=tables)


def _fact(subject: str, value: str) -> dict[str, Any]:
    """Return a budget-prose fact: this year's budget of a subject, in 万元."""
    return {"report_id": "b", "seq": 1, "section": "一、收支预算总体情况", "subject": subject, "metric": "本年预算",
            "value": D(value), "unit": "万元", "derived": False, "page": 5, "line": None,
            "sentence": f"{subject}{value}万元。", "comparison": "", "basis": "", "base": ""}


def _say(value: str) -> Callable[[ReportData], None]:
    def edit(data: ReportData) -> None:
        data.resources["facts"][0]["value"] = D(value)

    return edit


def _set(table: str, code_or_item: str, measure: str, value: str) -> Callable[[ReportData], None]:
    def edit(data: ReportData) -> None:
        for i in data.line_items:
            if i.table == table and code_or_item in (i.code, i.item) and i.measure_id == measure:
                i.amount = D(value)

    return edit


CASES: dict[str, tuple[Callable[[ReportData], None], set[tuple[str, str, str]]]] = {
    "b-totals-balance": (_set("B01", "支出总计", "amount", "299.00"), {("b-totals-balance", "B01", "支出总计")}),
    "b-row-total": (
        _set("B05", "2010102", "project", "190.00"),
        {("b-row-total", "B05", "2010102"), ("b-code-hierarchy", "B05", "20101/project")},
    ),
    "b-code-hierarchy": (
        _set("B06", "30102", "total", "31.00"),
        {("b-code-hierarchy", "B06", "301")},
    ),
    "b-narrative-amount": (_say("290.00"), {("b-narrative-amount", "B01", "收入预算总计")}),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_budget_rule_passes_on_a_consistent_budget(code: str) -> None:
    found = [f for f in run_checks(_budget()) if f.rule == code]
    assert found, f"{code} checked nothing"
    assert {f.severity for f in found} == {"pass"}


@pytest.mark.parametrize("code", sorted(CASES))
def test_budget_rule_catches_a_broken_value(code: str) -> None:
    edit, expected = CASES[code]
    base = _budget()
    broken = copy.deepcopy(base)
    edit(broken)
    assert changed(base, broken) == expected
    assert flat(run_checks(broken))[next(k for k in expected if k[0] == code)] == RULES[code].failure


def test_final_accounts_rules_never_run_on_a_budget() -> None:
    # Budget table rules, the prose rules that read no table (rules_budget_prose), and the structure
    # rules (`both`: they read text, on either kind), only.
    structure = {code for code, r in RULES.items() if r.both}
    assert {f.rule for f in run_checks(_budget())} == set(CASES) | BUDGET_PROSE_RULES | structure
    assert all(RULES[code].tables.startswith("B") or not RULES[code].tables for code in BUDGET_PROSE_RULES)


def test_every_budget_rule_has_a_fixture() -> None:
    assert {code for code, r in RULES.items() if r.tables.startswith("B")} == set(CASES)


def test_shared_budgets_pass_their_budget_rules(corpus: Path) -> None:
    # The four Shanghai budgets: hand-checked to balance (truth files) and to add up.
    from juesuan.pipeline import parse_report

    for name in ("sh_putuo_finance_2025_dept_budget.pdf", "sh_putuo_justice_2026_dept_budget.pdf"):
        findings = run_checks(parse_report(corpus / "budgets" / name))
        # Structure rules (placeholder-text …) read the prose: tests/test_structure_rules.py.
        table = [f for f in findings if f.rule.startswith("b-")]
        assert table and all(f.severity == "pass" for f in table), name
        # Their prose states no change with a rate, no share, no 中小企业 figure: those rules only say so.
        prose = [f for f in findings if f.rule in BUDGET_PROSE_RULES]
        assert prose and {f.severity for f in prose} <= {"pass", "not-checked"}, name
