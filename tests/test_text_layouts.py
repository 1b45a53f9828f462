"""Text exports in the Shanghai layout: the grid kept, header spans printed as empty cells.

Expected values below were typed by hand for each fixture; the corpus twins are compared
with the same report read as PDF, cell for cell.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CORPUS
from juesuan.pipeline import parse_report
from juesuan.read import read_report
from text_twins import report_to_text_export

COVER = ["上海市普陀区测试局", "2025年度部门决算"]


def export(*tables: tuple[str, list[list[str]]]) -> str:
    """Return a text export with a cover and the given (title, grid) tables."""
    lines = list(COVER)
    for title, grid in tables:
        lines += ["", title, "单位：万元", *("\t".join(row) for row in grid), ""]
    return "\n".join(lines) + "\n"


def parse_text(tmp_path: Path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return parse_report(path)


def D(s: str) -> Decimal:
    return Decimal(s)


# 表07, horizontal: 合计 | 因公出国（境）费 | 公务用车购置及运行维护费 (小计/购置费/运行维护费) | 公务接待费,
# each with 预算数 / 决算数; a title row above, a blank row inside the header.
T07 = [
    ["财政拨款“三公”经费", *[""] * 11],
    ["合计", "", "因公出国（境）费", "", "公务用车购置及运行维护费", "", "", "", "", "", "公务接待费", ""],
    ["", "", "", "", "小计", "", "购置费", "", "运行维护费", "", "", ""],
    [""] * 12,
    ["预算数", "决算数"] * 6,
    ["21.00", "19.86", "0.00", "0.00", "20.00", "19.56", "0.00", "0.00", "20.00", "19.56", "1.00", "0.30"],
]
T07_EXPECTED = {
    "total": (D("21.00"), D("19.86")),
    "overseas": (D("0.00"), D("0.00")),
    "vehicles": (D("20.00"), D("19.56")),
    "vehicle_purchase": (D("0.00"), D("0.00")),
    "vehicle_operation": (D("20.00"), D("19.56")),
    "reception": (D("1.00"), D("0.30")),
}


def _respaced(grid: list[list[str]]) -> list[list[str]]:
    """Spread header words out as justified PDF text is (公 务 接 待 费)."""
    return [[" ".join(c) if c and not c[0].isdigit() else c for c in row] for row in grid]


def _trailing_blanks(grid: list[list[str]]) -> list[list[str]]:
    return [[*row, "", ""] for row in grid]


@pytest.mark.parametrize("variant", [lambda g: g, _respaced, _trailing_blanks], ids=["as-printed", "re-spaced", "trailing-blanks"])
def test_horizontal_three_public_columns_keep_their_names(tmp_path: Path, variant) -> None:
    data = parse_text(tmp_path, export(("一般公共预算财政拨款“三公”经费支出决算表", variant(T07))))
    got = {r["item"]: (r["budget"], r["actual"]) for r in data.resources["three_public"]}
    assert got == T07_EXPECTED
    assert not [f for f in data.findings if f.rule.startswith("t07") and f.severity == "error"]


# 表02 with a 科目名称 header cell whose row runs on blank over the amount columns.
T02_HEAD = [
    ["项目", "", "", "", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
    ["支出功能分类科目编码", "", "", "科目名称", "", "", "", "", "", "", ""],
]
T02_BODY = [
    ["201", "", "", "一般公共服务支出", "100.00", "90.00", "", "", "", "", "10.00"],
    ["201", "06", "", "财政事务", "100.00", "90.00", "", "", "", "", "10.00"],
    ["201", "06", "01", "行政运行", "100.00", "90.00", "", "", "", "", "10.00"],
]
T02_LAYOUTS = {
    # 类 款 项 printed on the line of the 合计 row, as the Shanghai grid does.
    "code-parts-on-total-row": [*T02_HEAD, ["类", "款", "项", "合计", "100.00", "90.00", "", "", "", "", "10.00"], *T02_BODY],
    # A row of 决算数 under every amount column.
    "jueshuan-leaf-row": [*T02_HEAD, ["类", "款", "项", "", *["决算数"] * 7],
                          ["", "", "", "合计", "100.00", "90.00", "", "", "", "", "10.00"], *T02_BODY],
}


@pytest.mark.parametrize("layout", sorted(T02_LAYOUTS))
def test_item_header_never_names_amount_columns(tmp_path: Path, layout: str) -> None:
    data = parse_text(tmp_path, export(("收入决算表", T02_LAYOUTS[layout])))
    items = [i for i in data.line_items if i.table == "02" and not i.blank]
    assert not [i.measure for i in items if "科目名称" in i.measure]
    got = {(i.code, i.measure_id): i.amount for i in items}
    for code in ("201", "20106", "2010601", ""):
        assert got[(code, "total")] == D("100.00")
        assert got[(code, "fiscal")] == D("90.00")
        assert got[(code, "other")] == D("10.00")
    assert len(got) == 12


# 表04 with its sides headed 收入决算数 / 支出决算数 in three arrangements.
T04_COLUMNS = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
T04_BODY = [
    ["一、一般公共预算财政拨款", "100.00", "一、一般公共服务支出", "80.00", "80.00", "", ""],
    ["", "", "二、社会保障和就业支出", "20.00", "20.00", "", ""],
    ["收入总计", "100.00", "支出总计", "100.00", "100.00", "", ""],
]
T04_LAYOUTS = {
    "side-over-item-and-amount": [["收入决算数", "", "支出决算数", "", "", "", ""], ["项目", "金额", "项目", "合计", *T04_COLUMNS]],
    "side-over-amounts": [["项目", "收入决算数", "项目", "支出决算数", "", "", ""], ["", "", "", "合计", *T04_COLUMNS]],
    "one-row": [["收入项目", "收入决算数", "支出项目", "支出决算数", *T04_COLUMNS]],
}


@pytest.mark.parametrize("layout", sorted(T04_LAYOUTS))
def test_table_04_sides_are_recognized(tmp_path: Path, layout: str) -> None:
    data = parse_text(tmp_path, export(("财政拨款收入支出决算总表", [*T04_LAYOUTS[layout], *T04_BODY])))
    rows = {(r["side"], r["item"]): r["amount"] for r in data.resources["totals"] if r["table"] == "04"}
    assert rows[("收入", "一般公共预算财政拨款")] == D("100.00")
    assert rows[("支出", "一般公共服务支出")] == D("80.00")
    assert rows[("支出", "社会保障和就业支出")] == D("20.00")
    general = {i.item: i.amount for i in data.line_items if i.table == "04" and i.measure_id == "general"}
    assert general["一、一般公共服务支出"] == D("80.00")
    checked = {f.rule for f in data.findings if f.tables.startswith("04") and f.severity == "pass"}
    assert checked, "表04 checks ran"


CORPUS_PDFS = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


def _key(item) -> tuple:
    return (item.table, item.code, item.item, item.measure_id, item.amount, item.blank)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_PDFS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.stem)
def test_text_export_twin_gives_the_pdfs_line_items(tmp_path: Path, pdf: Path) -> None:
    twin = tmp_path / f"{pdf.stem}.txt"
    twin.write_text(report_to_text_export(read_report(pdf)), encoding="utf-8")
    from_pdf = sorted(map(_key, parse_report(pdf).line_items), key=repr)
    from_text = sorted(map(_key, parse_report(twin).line_items), key=repr)
    assert from_text == from_pdf
