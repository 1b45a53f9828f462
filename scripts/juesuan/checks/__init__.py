"""勾稽 checks: every identity inside and across the standard tables, as Findings.

`run_checks(data)` runs every rule of `RULES` on one parsed report and returns all results,
passes included. Identities that hold by definition fail as `error`; relations that hold by
practice only fail as `warning`; a difference within 0.01 万元 per addend is `rounding`
(see `tolerance.py`). A rule whose tables are absent or empty yields nothing.
"""

from __future__ import annotations

from juesuan.checks import (  # noqa: F401  (importing a module registers its rules)
    rules_basic,
    rules_budget,
    rules_complete,
    rules_cross,
    rules_function,
    rules_narrative,
    rules_totals,
)
from juesuan.checks.base import RULES, Checker, Rule
from juesuan.model import Finding, ReportData

__all__ = ["RULES", "Rule", "run_checks"]


def run_checks(data: ReportData) -> list[Finding]:
    """Run every rule on one report; return its findings (none for a blank template)."""
    if data.meta.is_template:
        return []
    checker = Checker(data)
    budget = data.meta.kind_family == "预算"
    for rule in RULES.values():
        # Budget rules read budget tables (B01 …) only; 决算 rules never run on a budget.
        if rule.tables.startswith("B") == budget:
            rule.check(checker, rule)
    return checker.findings
