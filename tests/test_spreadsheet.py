"""Formula-injection policy: package CSVs raw, XLSX string cells, Excel-facing CSVs prefixed with '."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from juesuan.model import ReportData
from juesuan.package import write_package
from juesuan.spreadsheet import excel_csv_cell, is_formula_like, write_excel_csv, write_xlsx

FORMULA_LIKE = ["=100%", "=1547 万元", "+86 591", "-减少", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"]
PLAIN = ["100%", "项目通过验收率", "", "a=b", "'quoted"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_prefixed_in_excel_csv(text: str) -> None:
    assert is_formula_like(text)
    assert excel_csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_left_alone(text: str) -> None:
    assert not is_formula_like(text)
    assert excel_csv_cell(text) == text


def test_numbers_are_not_prefixed() -> None:
    assert excel_csv_cell(Decimal("-1.20")) == "-1.20"
    assert excel_csv_cell(-3) == "-3"
    assert excel_csv_cell(None) == ""


def test_excel_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "chart.csv"
    write_excel_csv(path, ["指标", "值"], [["=100%", Decimal("-2.50")], ["完成", Decimal("1.00")]])
    assert path.read_bytes().startswith("\ufeff".encode())
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    assert rows == [["指标", "值"], ["'=100%", "-2.50"], ["完成", "1.00"]]


def test_xlsx_text_is_a_string_cell_with_the_printed_value(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    # XML turns a carriage return into a line feed, so "\rx" comes back as "\nx" (still a string).
    texts = [t for t in FORMULA_LIKE if not t.startswith("\r")]
    write_xlsx(path, {"performance": (["target", "amount"], [[t, Decimal("-1.5")] for t in texts])})
    sheet = load_workbook(path)["performance"]
    cells = [(row[0].value, row[0].data_type) for row in sheet.iter_rows(min_row=2)]
    assert cells == [(t, "s") for t in texts]
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [Decimal("-1.5")] * len(texts)
    assert all(row[1].data_type == "n" for row in sheet.iter_rows(min_row=2))


def test_package_csv_keeps_formula_like_values_raw(fuzhou: ReportData, tmp_path: Path) -> None:
    # 绩效 target values printed as `=100%` in the Fuzhou export (line 567 and others).
    out = write_package([fuzhou], tmp_path / "pkg")
    with (out / "data" / "performance_indicators.csv").open(encoding="utf-8", newline="") as fh:
        values = [row for row in csv.DictReader(fh)]
    targets = {row["target"] for row in values}
    assert "=100%" in targets and "=1547 万元" in targets
    printed = {(r["line"], r["target"]) for r in values if r["target"].startswith("=")}
    assert ("567", "=100%") in printed


def test_data_guide_states_the_policy() -> None:
    from juesuan.site.load import load_package
    from juesuan.site.pages import data_page

    page = data_page(load_package(Path(__file__).resolve().parents[1] / "datapackage"))
    assert "`=100%` 原样保存" in page and "字符串单元格" in page and "单引号 `'`" in page
