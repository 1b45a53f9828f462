"""勾稽 checks: every identity inside and across the standard tables, as Findings.

`run_checks(data)` runs every rule of `RULES` on one parsed report and returns all results,
passes included. Identities that hold by definition fail as `error`; relations that hold by
practice only fail as `warning`; a difference within 0.01 万元 per addend is `rounding`
(see `tolerance.py`). A rule that could not run (its table absent or empty, or the rows
and columns it reads not found) yields one `not-checked` finding saying why: never silence.
"""

from __future__ import annotations

from juesuan.checks import (  # noqa: F401  (importing a module registers its rules)
    rules_basic,
    rules_budget,
    rules_budget_prose,
    rules_cells,
    rules_complete,
    rules_cross,
    rules_function,
    rules_names,
    rules_narrative,
    rules_prose,
    rules_rates,
    rules_structure,
    rules_toc,
    rules_totals,
)
from juesuan.checks.base import RULES, Checker, Rule
from juesuan.checks.rules_budget_prose import runs_on_budget
from juesuan.model import Finding, ReportData

__all__ = ["RULES", "Rule", "run_checks"]


def run_checks(data: ReportData) -> list[Finding]:
    """Run every rule on one report; return its findings (none for a blank template)."""
    if data.meta.is_template:
        return []
    checker = Checker(data)
    budget = data.meta.kind_family == "预算"
    for rule in RULES.values():
        # Budget rules read budget tables (B01 …) only; 决算 rules never run on a budget, save
        # the table-free prose rules that hold for any report (rules_budget_prose); structure
        # rules (`both`) run on either kind.
        if not (rule.both or (runs_on_budget(rule) if budget else not rule.tables.startswith("B"))):
            continue
        before = len(checker.findings)
        try:
            rule.check(checker, rule)
        except ArithmeticError as exc:  # decimal.InvalidOperation: a value no real report prints
            checker.add(rule, "error", row="", message=f"规则 {rule.code} 无法计算：数值超出可计算范围（{type(exc).__name__}）。")
        if len(checker.findings) == before:
            checker.add(rule, "not-checked", row="", message=not_checked_reason(data, rule))
    return checker.findings


def not_checked_reason(data: ReportData, rule: Rule) -> str:
    """Say in Chinese why a rule produced no result on a report."""
    numbers = [n for n in rule.tables.split(",") if n]
    missing = [n for n in numbers if n not in data.tables]
    if missing:
        return f"未能核对：报告中未找到表{'、表'.join(missing)}。"
    empty = [n for n in numbers if n in data.tables and data.tables[n].empty]
    if empty and len(empty) == len(numbers) - len(missing):
        return f"未能核对：表{'、表'.join(empty)}为空表，没有可核对的数字。"
    if not numbers:
        return "未能核对：报告正文没有引用该规则可核对的数字。"
    return "未能核对：表中未找到该规则所需的行、列或数值（表头或行名未能识别，或所需数值均为空）。"
