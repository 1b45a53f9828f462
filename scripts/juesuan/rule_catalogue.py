"""The catalogues as published rows: `rules` from the checks registry, `standard_tables` from the table catalogues.

The site reads rule titles, explanations and table names from the written package, never
from `juesuan.checks` or the catalogues, so this is the one place that turns them into rows.
"""

from __future__ import annotations

from typing import Any

from juesuan.catalog import STANDARD_TABLES
from juesuan.catalog_budget import BUDGET_TABLES
from juesuan.checks import RULES, Rule
from juesuan.checks.tolerance import PER_ADDEND

# What a failure of each kind means, in the words readers see on every rule.
FAILURE_MEANING = {
    "error": "不成立时记为错误：按定义必须相等的数不相等，表内或表间至少有一个数印错或漏印。",
    "warning": "不成立时记为警告：按惯例应当一致的数不一致，不一定是错误，但值得向部门核实。",
}


def applies_to(rule: Rule) -> str:
    """Return 预算 for a rule on the budget tables (B01 …), 决算 otherwise (as `run_checks` decides)."""
    return "预算" if rule.tables.startswith("B") else "决算"


def explanation(rule: Rule) -> str:
    """Return the Chinese explanation of one rule: what it checks, what a failure means."""
    scope = "" if rule.tables else "（只读情况说明的文字）"
    rounding = f"金额相差不超过每个非零加数 {PER_ADDEND} 万元时记为尾数误差（四舍五入所致，不是错误）。"
    return f"{rule.title.rstrip('。')}{scope}。{FAILURE_MEANING.get(rule.failure, '')}{rounding}"


def rule_rows() -> list[dict[str, Any]]:
    """Return one `rules` row per registered rule, in registry order."""
    return [
        {"code": r.code, "seq": seq, "title": r.title, "tables": r.tables, "applies_to": applies_to(r),
         "severity": r.failure, "tolerance": PER_ADDEND, "explanation": explanation(r)}
        for seq, r in enumerate(RULES.values(), start=1)
    ]


def standard_table_rows() -> list[dict[str, Any]]:
    """Return one `standard_tables` row per table of the 决算 and 预算 catalogues, in catalogue order."""
    tables = [(n, spec.name, "决算") for n, spec in STANDARD_TABLES.items()]
    tables += [(n, spec.name, "预算") for n, spec in BUDGET_TABLES.items()]
    return [{"table": n, "seq": seq, "name": name, "kind_family": family}
            for seq, (n, name, family) in enumerate(tables, start=1)]
