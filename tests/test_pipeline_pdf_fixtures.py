"""Whole pipeline on PDFs rendered here: three ruling styles, units in 元, all through to line items."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from juesuan.pipeline import parse_report
from pdf_fixtures import DATA, draw_table, draw_title, income_table_pdf, register_fonts

# The fixture's printed values (tests/pdf_fixtures.py DATA), as the reader must return them.
EXPECTED = {
    ("", "合计", "total"): "2946.25",
    ("", "合计", "fiscal"): "2940.05",
    ("201", "一般公共服务支出", "total"): "2112.86",
    ("201", "一般公共服务支出", "fiscal"): "2106.66",
    ("2010601", "行政运行", "total"): "1511.90",
    ("2010601", "行政运行", "fiscal"): "1511.89",
    ("2080505", "机关事业单位基本养老保险缴费支出", "total"): "160.75",
    ("2080505", "机关事业单位基本养老保险缴费支出", "fiscal"): "160.75",
    ("221", "住房保障支出", "total"): "445.69",
    ("221", "住房保障支出", "fiscal"): None,  # printed blank
}


def table_02(path: Path) -> dict[tuple[str, str, str], str | None]:
    data = parse_report(path)
    assert sorted(data.tables) == ["02"]
    assert data.missing_tables == ["01", "03", "04", "05", "06", "07", "08", "09"]
    return {
        (i.code, i.item, i.measure_id): None if i.amount is None else format(i.amount, "f")
        for i in data.line_items
        if i.table == "02"
    }


@pytest.mark.parametrize("style", ["lines", "rects"])
def test_ruled_table_reads_every_cell(tmp_path: Path, style: str) -> None:
    assert table_02(income_table_pdf(tmp_path / f"{style}.pdf", style)) == EXPECTED  # type: ignore[arg-type]


def test_unruled_table_reads_every_cell(tmp_path: Path) -> None:
    # The unruled fixture leaves out the row whose label wraps (word positions cannot tell
    # a wrapped label from a new row without rulings).
    expected = {k: v for k, v in EXPECTED.items() if k[0] != "2080505"}
    assert table_02(income_table_pdf(tmp_path / "none.pdf", "none")) == expected


def test_yuan_table_is_converted_exactly(tmp_path: Path) -> None:
    register_fonts()
    path = tmp_path / "yuan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    draw_title(c, "收入决算表", unit="元")
    draw_table(c, DATA, "lines")
    c.showPage()
    c.save()
    data = parse_report(path)
    cell = next(i for i in data.line_items if i.code == "2010601" and i.measure_id == "total")
    assert (cell.raw, cell.unit_printed, cell.amount) == ("1,511.90", "元", D("0.15119"))
    assert data.meta.unit == "元"


def test_missing_tables_are_findings(tmp_path: Path) -> None:
    data = parse_report(income_table_pdf(tmp_path / "only02.pdf", "lines"))
    missing = sorted(f.tables for f in data.findings if f.rule == "table-missing" and f.severity == "error")
    assert missing == ["01", "03", "04", "05", "06", "07", "08", "09"]
    # No cover, no 部门 line: the department falls back to the file name, with a warning.
    assert data.meta.department == "only02"
    assert any("department unknown" in w for w in data.warnings)


def test_title_and_header_repeated_on_the_next_page(tmp_path: Path) -> None:
    """A table printed again with its title and header on page 2 continues, it is not dropped."""
    register_fonts()
    path = tmp_path / "repeated.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for rows in (DATA[:3], DATA[3:]):
        draw_title(c, "收入决算表")
        draw_table(c, rows, "lines")
        c.showPage()
    c.save()
    data = parse_report(path)
    got = {(i.code, i.item, i.measure_id): None if i.amount is None else format(i.amount, "f") for i in data.line_items}
    assert got == EXPECTED
    assert sorted({(i.row, i.page) for i in data.line_items}) == [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2)]
    assert not any("printed twice" in w for w in data.warnings)
