"""Completeness: the nine tables present (or stated empty), a unit on each, one department and year."""

from __future__ import annotations

import re

from juesuan.catalog import STANDARD_TABLES, normalize_title
from juesuan.checks.base import Checker, Rule, rule

EMPTY_WORDS = re.compile(r"空表|无数据|没有|无此|不涉及|无相关|未发生|为空")
YEAR = re.compile(r"(\d{4})\s*年")


def stated_empty(ck: Checker, number: str) -> str:
    """Return the prose line that says a table is empty (e.g. 本部门无…，故…决算表为空表), "" if none."""
    if ck.data.raw is None:
        return ""
    spec = STANDARD_TABLES[number]
    names = {normalize_title(t) for t in spec.titles} | {normalize_title(spec.name)}
    for line in ck.data.raw.lines:
        text = normalize_title(line.text)
        if EMPTY_WORDS.search(text) and (any(n in text for n in names) or f"{int(number)}表" in text or f"{number}表" in text):
            return line.text.strip()
    return ""


@rule("table-missing", "01,02,03,04,05,06,07,08,09", "error", "九张公开表齐全（无数据的表也应公开并注明空表）")
def table_missing(ck: Checker, rule: Rule) -> None:
    """Check that each of the nine standard tables is printed or stated empty."""
    for number, spec in STANDARD_TABLES.items():
        name = f"表{number} {spec.name}"
        if number in ck.data.tables:
            state = "（空表）" if ck.data.tables[number].empty else ""
            ck.add(rule, "pass", row=number, tables=number, message=f"{name} 已公开{state}。",
                   sources=[{"page": ck.data.tables[number].raw.page, "line": ck.data.tables[number].raw.line}])
            continue
        statement = stated_empty(ck, number)
        if statement:
            ck.add(rule, "pass", row=number, tables=number, message=f"{name} 未印出，报告说明：“{statement[:80]}”。")
        else:
            ck.add(rule, rule.failure, row=number, tables=number,
                   message=f"报告中找不到{name}，也没有说明该表为空表；部门决算应公开全部九张表。")


@rule("table-unit", "01,02,03,04,05,06,07,08,09", "warning", "每张表注明金额单位")
def table_unit(ck: Checker, rule: Rule) -> None:
    """Check that each printed table states its unit (单位：万元)."""
    for number, table in sorted(ck.data.tables.items()):
        src = [{"page": table.raw.page, "line": table.raw.line}]
        if table.raw.unit:
            ck.add(rule, "pass", row=number, tables=number, sources=src, message=f"表{number} 注明单位：{table.raw.unit}。")
        else:
            ck.add(rule, rule.failure, row=number, tables=number, sources=src,
                   message=f"表{number} 没有注明金额单位，读者无法确定金额是元还是万元（按 {table.unit} 处理）。")


@rule("table-department", "01,02,03,04,05,06,07,08,09", "warning", "每张表标题处的部门名称与报告一致")
def table_department(ck: Checker, rule: Rule) -> None:
    """Check that every table that prints 部门：… names the report's department."""
    expected = ck.data.meta.department
    for number, table in sorted(ck.data.tables.items()):
        printed = (table.raw.department or "").strip()
        if not printed or not expected:
            continue
        src = [{"page": table.raw.page, "line": table.raw.line}]
        if normalize_title(printed) == normalize_title(expected):
            ck.add(rule, "pass", row=number, tables=number, sources=src, message=f"表{number} 部门为{printed}，与报告一致。")
        else:
            ck.add(rule, rule.failure, row=number, tables=number, sources=src,
                   message=f"表{number} 印的部门是“{printed}”，但报告的部门是“{expected}”。")


@rule("table-year", "01,02,03,04,05,06,07,08,09", "warning", "表名中的年度与报告年度一致")
def table_year(ck: Checker, rule: Rule) -> None:
    """Check that a year printed in a table title is the report's year."""
    year = ck.data.meta.year
    for number, table in sorted(ck.data.tables.items()):
        m = YEAR.search(table.raw.title or "")
        if not m or year is None:
            continue
        src = [{"page": table.raw.page, "line": table.raw.line}]
        if int(m.group(1)) == year:
            ck.add(rule, "pass", row=number, tables=number, sources=src, message=f"表{number} 标题年度 {year} 年与报告一致。")
        else:
            ck.add(rule, rule.failure, row=number, tables=number, sources=src,
                   message=f"表{number} 标题写的是 {m.group(1)} 年，但报告是 {year} 年度决算。")
