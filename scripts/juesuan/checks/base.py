"""The rule catalogue and the Checker that turns one comparison into a Finding."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from juesuan.checks.tolerance import ZERO, classify, tolerance
from juesuan.model import Finding, ReportData, Severity

Row = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    """One consistency rule: a stable code, the tables it reads, and its failure severity."""

    code: str
    tables: str  # e.g. "01" or "01,03"
    failure: Severity  # error for identities by definition, warning otherwise
    title: str  # plain Chinese statement of the identity
    check: Callable[[Checker, Rule], None]
    # Structure rules (placeholders, names, years, 目录) read text every report prints: they run
    # on 决算 and 预算 reports alike; the others run on the family their tables belong to.
    both: bool = False


RULES: dict[str, Rule] = {}


def register(code: str, tables: str, failure: Severity, title: str, check: Callable[[Checker, Rule], None],
             both: bool = False) -> None:
    """Add a rule to the catalogue; a code is registered once."""
    if code in RULES:
        raise ValueError(f"rule {code!r} registered twice")
    RULES[code] = Rule(code, tables, failure, title, check, both)


def rule(code: str, tables: str, failure: Severity, title: str,
         both: bool = False) -> Callable[[Callable[[Checker, Rule], None]], Callable[[Checker, Rule], None]]:
    """Register the decorated function as the check of a rule (`both`: on 决算 and 预算 reports)."""

    def wrap(fn: Callable[[Checker, Rule], None]) -> Callable[[Checker, Rule], None]:
        register(code, tables, failure, title, fn, both)
        return fn

    return wrap


def amt(value: Decimal | None) -> Decimal:
    """Return an amount with blank as zero (Shanghai prints blank for zero)."""
    return ZERO if value is None else value


def total(values: Iterable[Decimal | None]) -> tuple[Decimal, int]:
    """Return the sum of amounts (blank as zero) and how many are non-zero."""
    s, n = ZERO, 0
    for v in values:
        if v:
            s += v
            n += 1
    return s, n


def fmt(value: Decimal) -> str:
    """Return an amount as a journalist reads it: two decimals unless more were printed."""
    q = value.quantize(Decimal("0.01"))
    return f"{q}" if q == value else f"{value.normalize():f}"


def _join(values: Iterable[int | None]) -> str:
    return ",".join(str(v) for v in sorted({v for v in values if v is not None}))


class Checker:
    """Run rules on one report and collect their findings."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.findings: list[Finding] = []

    def ready(self, *numbers: str) -> bool:
        """Tell whether every table a rule needs is present and holds data."""
        return all(n in self.data.tables and not self.data.tables[n].empty for n in numbers)

    def rows(self, resource: str) -> list[Row]:
        """Return the canonical rows of a resource (empty when absent)."""
        return self.data.resources.get(resource, [])

    def add(self, rule: Rule, severity: Severity, *, row: str, message: str, sources: Iterable[Row] = (),
            expected: Decimal | None = None, actual: Decimal | None = None, tables: str | None = None,
            unit: str = "万元") -> None:
        """Record one finding with the pages and lines of its source rows."""
        sources = list(sources)
        self.findings.append(
            Finding(
                report_id=self.data.meta.report_id,
                rule=rule.code,
                severity=severity,
                tables=tables or rule.tables,
                row=row,
                pages=_join(s.get("page") for s in sources),
                expected=expected,
                actual=actual,
                message=message,
                lines=_join(s.get("line") for s in sources),
                unit=unit,
            )
        )

    def compare(self, rule: Rule, *, row: str, subject: str, actual: Decimal | None, reference: str,
                expected: Decimal, addends: int, sources: Iterable[Row], note: str = "",
                tables: str | None = None) -> None:
        """Compare a printed amount with what the identity requires; skip 0 = Σ of nothing."""
        value = amt(actual)
        if value == ZERO and expected == ZERO and addends == 0:
            return  # an all-zero identity says nothing and would only inflate the counts
        severity = classify(expected, value, addends, rule.failure)
        diff = value - expected
        if severity == "pass":
            message = f"{subject} {fmt(value)} 万元，与{reference}相符。"
        elif severity == "rounding":
            message = (f"{subject} {fmt(value)} 万元，{reference}为 {fmt(expected)} 万元，相差 {fmt(diff)} 万元，"
                       f"在尾数误差允许范围（{fmt(tolerance(addends))} 万元）内。")
        else:
            message = f"{subject} {fmt(value)} 万元，但{reference}为 {fmt(expected)} 万元，相差 {fmt(diff)} 万元。{note}"
        self.add(rule, severity, row=row, message=message.strip(), sources=sources,
                 expected=expected, actual=value, tables=tables)
