"""How complete a report is: one row per report, its parts and a score, from what was found and checked.

Eight parts count equally: the standard tables printed or stated empty (a fraction), every empty
table saying why, units printed on every table, a 目录 that agrees with the report, the 情况说明
present, 绩效 reported, no template leftovers, one department and year throughout. The score
is the share of parts met, 0–100, so reports can be sorted by it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from juesuan.catalog import STANDARD_TABLES
from juesuan.model import ReportData
from juesuan.narrative.extract import prose_sections

PARTS = ("tables", "empty_stated", "units", "toc", "prose", "performance", "no_placeholders", "consistent")
PERFORMANCE = re.compile(r"绩效")


def _failed(data: ReportData, *rules: str) -> list[Any]:
    return [f for f in data.findings if f.rule in rules and f.severity in ("error", "warning")]


def _rows(data: ReportData, rule: str, severity: tuple[str, ...]) -> set[str]:
    return {f.row for f in data.findings if f.rule == rule and f.severity in severity}


def completeness_row(data: ReportData) -> dict[str, Any]:
    """Return the completeness row of one report (a blank template scores its structure only)."""
    budget = data.meta.kind_family == "预算"
    found = sorted(data.tables)
    stated = sorted(_rows(data, "table-empty-statement", ("pass",)) & {n for n, t in data.tables.items() if _empty(data, n)})
    unstated = sorted(_rows(data, "table-empty-statement", ("warning",)))
    if budget:
        listed = _rows(data, "toc-consistency", ("pass", "error", "warning")) - {""}
        expected = sorted({n for n in listed if n.startswith("B")} | set(found))
        missing = sorted(_rows(data, "toc-consistency", ("error", "warning")) & {n for n in expected if n not in data.tables})
        absent_stated: list[str] = []
    else:
        expected = list(STANDARD_TABLES)
        missing = [n for n in expected if n not in data.tables
                   and not any(f.rule == "table-missing" and f.row == n and f.severity == "pass" for f in data.findings)]
        absent_stated = [n for n in expected if n not in data.tables and n not in missing]
    no_unit = sorted(n for n, t in data.tables.items() if not t.raw.unit)
    toc_found = any(f.rule == "toc-consistency" for f in data.findings if f.severity != "not-checked")
    toc_problems = len(_failed(data, "toc-consistency"))
    raw = data.raw
    sections = len(prose_sections(raw, budget)[0]) if raw is not None else 0
    performance = bool(data.resources.get("performance_projects")) or (
        raw is not None and any(PERFORMANCE.search(tl.text) and len(tl.text.strip()) <= 40 for tl in raw.lines))
    placeholders = len(_failed(data, "placeholder-text"))
    inconsistent = len(_failed(data, "year-consistency", "department-consistency"))
    # A budget table the 目录 lists and that is printed under its title counts, header understood or not.
    printed = set(data.tables) | _rows(data, "toc-consistency", ("pass",))
    present = len([n for n in expected if n in printed]) + len(absent_stated)
    met = {
        "tables": Decimal(present) / len(expected) if expected else Decimal(0),
        "empty_stated": Decimal(not unstated),
        "units": Decimal(bool(data.tables) and not no_unit),
        "toc": Decimal(toc_found and not toc_problems),
        "prose": Decimal(sections > 0),
        "performance": Decimal(performance),
        "no_placeholders": Decimal(not placeholders),
        "consistent": Decimal(not inconsistent),
    }
    score = (sum(met.values(), Decimal(0)) / len(PARTS) * 100).quantize(Decimal(1), ROUND_HALF_UP)
    return {
        "report_id": data.meta.report_id,
        "score": int(score),
        "parts_met": ",".join(p for p in PARTS if met[p] == 1),
        "parts_missed": ",".join(p for p in PARTS if met[p] != 1),
        "tables_expected": len(expected),
        "tables_found": ",".join(found),
        "tables_stated_empty": ",".join(sorted(set(stated) | set(absent_stated))),
        "tables_empty_unstated": ",".join(unstated),
        "tables_missing": ",".join(missing),
        "tables_without_unit": ",".join(no_unit),
        "toc_found": toc_found,
        "toc_problems": toc_problems,
        "prose_sections": sections,
        "performance": performance,
        "placeholders": placeholders,
        "name_year_problems": inconsistent,
    }


def _empty(data: ReportData, number: str) -> bool:
    return not any(i.amount for i in data.line_items if i.table == number)
