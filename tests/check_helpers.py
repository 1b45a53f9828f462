"""Helpers for the check tests: break a real report on purpose and see what the checks say."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from juesuan.checks import run_checks
from juesuan.model import Finding, ReportData

Key = tuple[str, str, str]


def flat(findings: list[Finding]) -> dict[Key, str]:
    """Return non-pass findings as {(rule, tables, row): severity}."""
    return {(f.rule, f.tables, f.row): f.severity for f in findings if f.severity != "pass"}


def changed(base: ReportData, broken: ReportData) -> set[Key]:
    """Return the (rule, tables, row) whose severity differs between two reports (new or worse)."""
    before, after = flat(run_checks(base)), flat(run_checks(broken))
    return {k for k, sev in after.items() if before.get(k) != sev}


def clone(data: ReportData, *, facts: bool = False) -> ReportData:
    """Return a deep copy; without the narrative facts unless asked, so a rule is seen alone."""
    out = copy.deepcopy(data)
    if not facts:
        out.resources["facts"] = []
    return out


def total_row(data: ReportData, table: str, side: str, item: str) -> dict[str, Any]:
    """Return a 表01/04 row by side and item (top-level rows only)."""
    return next(r for r in data.resources["totals"]
                if r["table"] == table and r["side"] == side and r["item"] == item and not r["parent"])


def func_row(data: ReportData, resource: str, code: str) -> dict[str, Any]:
    """Return a by-function row by code ("" for the 合计 row)."""
    return next(r for r in data.resources[resource] if r["code"] == code and (code or r["level"] == "合计"))


def basic_row(data: ReportData, key: str) -> dict[str, Any]:
    """Return a 表06 row by code or name."""
    return next(r for r in data.resources["basic_expenditure"] if key in (r["code"], r["name"]))


def three_row(data: ReportData, item: str) -> dict[str, Any]:
    """Return a 表07 row by item id."""
    return next(r for r in data.resources["three_public"] if r["item"] == item)


D = Decimal
