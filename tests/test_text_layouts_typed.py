"""More hand-typed text exports of the three Shanghai header layouts (see test_text_layouts.py).

Each fixture is a Shanghai-style export (tab-joined grid rows, a merged header cell's covered
positions kept as empty cells). The expected line items are read off the fixture itself, and
every fixture also runs re-spaced (header words spaced out) and with extra blank cells.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.model import ReportData
from juesuan.pipeline import parse_report

D = Decimal

HORIZONTAL_07 = [
    "财政拨款“三公”经费支出决算表",
    "单位：万元",
    "合计\t\t因公出国（境）费\t\t公务用车购置及运行维护费\t\t\t\t\t\t公务接待费\t",
    "\t\t\t\t小计\t\t购置费\t\t运行维护费\t\t\t",
    "预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数",
    "20.00\t19.86\t0.00\t0.00\t19.70\t19.56\t0.00\t0.00\t19.70\t19.56\t0.30\t0.30",
]
# (item, budget, actual) as the fixture prints them.
EXPECTED_07 = {
    "total": (D("20.00"), D("19.86")),
    "overseas": (D("0.00"), D("0.00")),
    "vehicles": (D("19.70"), D("19.56")),
    "vehicle_purchase": (D("0.00"), D("0.00")),
    "vehicle_operation": (D("19.70"), D("19.56")),
    "reception": (D("0.30"), D("0.30")),
}

NAME_OVER_AMOUNTS_03 = [
    "支出决算表",
    "单位：万元",
    "项目\t\t\t\t本年支出合计\t基本支出\t项目支出",
    "支出功能分类科目编码\t\t\t科目名称\t\t\t",
    "类\t款\t项\t\t决算数\t决算数\t决算数",
    "合计\t\t\t\t100.00\t60.00\t40.00",
    "201\t\t\t一般公共服务支出\t100.00\t60.00\t40.00",
    "201\t01\t\t人大事务\t100.00\t60.00\t40.00",
    "201\t01\t01\t行政运行\t60.00\t60.00\t",
    "201\t01\t02\t一般行政管理事务\t40.00\t\t40.00",
]
# (code, item, measure_id, amount); blank cells are kept as blank (None).
EXPECTED_03 = [
    ("", "合计", "total", D("100.00")), ("", "合计", "basic", D("60.00")), ("", "合计", "project", D("40.00")),
    ("201", "一般公共服务支出", "total", D("100.00")), ("201", "一般公共服务支出", "basic", D("60.00")),
    ("201", "一般公共服务支出", "project", D("40.00")),
    ("20101", "人大事务", "total", D("100.00")), ("20101", "人大事务", "basic", D("60.00")),
    ("20101", "人大事务", "project", D("40.00")),
    ("2010101", "行政运行", "total", D("60.00")), ("2010101", "行政运行", "basic", D("60.00")),
    ("2010101", "行政运行", "project", None),
    ("2010102", "一般行政管理事务", "total", D("40.00")), ("2010102", "一般行政管理事务", "basic", None),
    ("2010102", "一般行政管理事务", "project", D("40.00")),
]

SIDES_04 = [
    "财政拨款收入支出决算总表",
    "单位：万元",
    "项目\t收入决算数\t项目\t支出决算数\t\t\t",
    "\t\t\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款\t国有资本经营预算财政拨款",
    "一、一般公共预算财政拨款\t50.00\t一、一般公共服务支出\t45.00\t45.00\t\t",
    "二、政府性基金预算财政拨款\t\t二、教育支出\t5.00\t5.00\t\t",
    "三、国有资本经营预算财政拨款\t\t\t\t\t\t",
    "本年收入合计\t50.00\t本年支出合计\t50.00\t50.00\t\t",
    "年初财政拨款结转和结余\t\t年末财政拨款结转和结余\t\t\t\t",
    "总计\t50.00\t总计\t50.00\t50.00\t\t",
]
# (side, item, measure_id, amount) of every printed amount.
EXPECTED_04 = [
    ("收入", "一、一般公共预算财政拨款", "amount", D("50.00")),
    ("收入", "本年收入合计", "amount", D("50.00")),
    ("收入", "总计", "amount", D("50.00")),
    ("支出", "一、一般公共服务支出", "amount", D("45.00")), ("支出", "一、一般公共服务支出", "general", D("45.00")),
    ("支出", "二、教育支出", "amount", D("5.00")), ("支出", "二、教育支出", "general", D("5.00")),
    ("支出", "本年支出合计", "amount", D("50.00")), ("支出", "本年支出合计", "general", D("50.00")),
    ("支出", "总计", "amount", D("50.00")), ("支出", "总计", "general", D("50.00")),
]


def as_is(lines: list[str]) -> list[str]:
    return lines


def respaced(lines: list[str]) -> list[str]:
    """Space out the header words (justified CJK text): 公 务 接 待 费."""
    out = []
    for line in lines:
        if "\t" in line and not any(ch.isdigit() for ch in line):
            line = "\t".join(" ".join(cell) for cell in line.split("\t"))
        out.append(line)
    return out


def extra_blank_cells(lines: list[str]) -> list[str]:
    """Add an empty column at the end of every grid row (an export that keeps the frame column)."""
    return [line + "\t" if "\t" in line else line for line in lines]


VARIANTS: dict[str, Callable[[list[str]], list[str]]] = {"as-is": as_is, "respaced": respaced, "extra-blank": extra_blank_cells}


def parse(lines: list[str], tmp_path: Path) -> ReportData:
    path = tmp_path / "report.txt"
    path.write_text("某某局2025年度部门决算\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return parse_report(path)


@pytest.mark.parametrize("variant", VARIANTS)
def test_horizontal_three_public_labels_every_item(variant: str, tmp_path: Path) -> None:
    data = parse(VARIANTS[variant](HORIZONTAL_07), tmp_path)
    rows = {r["item"]: (r.get("budget"), r.get("actual")) for r in data.resources["three_public"]}
    assert rows == EXPECTED_07
    assert not [i.measure for i in data.line_items if "运行维护费" in i.measure and i.amount == D("0.30")]
    t07 = [(f.rule, f.severity) for f in data.findings if f.rule.startswith("t07")]
    assert t07 and all(sev == "pass" for _, sev in t07)


@pytest.mark.parametrize("variant", VARIANTS)
def test_name_header_over_amounts_stays_out_of_measures(variant: str, tmp_path: Path) -> None:
    data = parse(VARIANTS[variant](NAME_OVER_AMOUNTS_03), tmp_path)
    items = [(i.code, i.item, i.measure_id, i.amount) for i in data.line_items if i.table == "03"]
    assert items == EXPECTED_03
    assert not [i.measure for i in data.line_items if "科目名称" in i.measure]
    errors = [(f.rule, f.row) for f in data.findings if f.severity == "error" and f.rule.startswith("t03")]
    assert errors == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_table_04_sides_headed_by_their_amount_columns(variant: str, tmp_path: Path) -> None:
    data = parse(VARIANTS[variant](SIDES_04), tmp_path)
    items = [(i.section, i.item, i.measure_id, i.amount) for i in data.line_items if i.table == "04" and not i.blank]
    assert sorted(items, key=str) == sorted(EXPECTED_04, key=str)
    ran = {f.rule for f in data.findings if f.severity == "pass"}
    assert {"t04-income-total", "t04-expenditure-total", "t04-grand-totals-equal", "t04-row-fund-sum"} <= ran
