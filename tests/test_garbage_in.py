"""Bad values fail at most their own cell: unreadable amounts, short rows, huge numbers, repeated pages, huge files.

Every variant is made from the bundled Fuzhou export (or a generated PDF) by changing the
printed text of known cells; the expected places were read off the export itself.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from juesuan.cli import main
from juesuan.model import ReportData
from juesuan.notices import cap_repeats
from juesuan.pipeline import parse_report
from pdf_fixtures import income_table_pdf

LINE_03_2010350 = "2010350\t\t\t事业运行\t508.68\t508.68\t0.00\t0.00\t0.00\t0.00"  # 表03, export line 194
LINE_05_2010350 = "2010350\t事业运行\t508.68\t508.68\t0.00"  # 表05, export line 275


def variant(fuzhou_path: Path, tmp_path: Path, name: str, old: str, new: str, nth: int | None = None) -> Path:
    """Write the export with `old` replaced by `new` (its only occurrence, or its nth, 0-based)."""
    text = fuzhou_path.read_text(encoding="utf-8")
    starts = [i for i in range(len(text)) if text.startswith(old, i)]
    assert len(starts) == 1 or nth is not None, (old, len(starts))
    at = starts[nth or 0]
    path = tmp_path / name
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return path


def flagged(data: ReportData, *rules: str) -> set[tuple[str, str, str]]:
    return {(f.rule, f.tables, f.row) for f in data.findings if f.rule in rules and f.severity == "error"}


def row_cells(data: ReportData, table: str, code: str) -> dict[str, tuple[D | None, str]]:
    return {i.measure_id: (i.amount, i.raw) for i in data.line_items if i.table == table and i.code == code}


@pytest.mark.parametrize("damage", ["5O8.68", "5o8.6B", "缺失", "abc"])
def test_damaged_amount_is_a_finding_and_nothing_moves(fuzhou_path: Path, tmp_path: Path, fuzhou: ReportData,
                                                       damage: str) -> None:
    # The 基本支出 cell of 表03 事业运行 (the second 508.68 on line 194).
    path = variant(fuzhou_path, tmp_path, "damaged.txt", LINE_03_2010350,
                   LINE_03_2010350.replace("508.68\t508.68", f"508.68\t{damage}"), nth=1)
    data = parse_report(path)
    assert ("amount-unreadable", "03", "2010350") in flagged(data, "amount-unreadable")
    got = row_cells(data, "03", "2010350")
    before = row_cells(fuzhou, "03", "2010350")
    assert got["basic"] == (None, damage)
    assert {k: v for k, v in got.items() if k != "basic"} == {k: v for k, v in before.items() if k != "basic"}
    assert f"表03 row 4 2010350事业运行 (line 194): amount unreadable: printed {damage!r}" in data.warnings


def test_damaged_amount_in_a_row_that_agrees_with_its_header(fuzhou_path: Path, tmp_path: Path) -> None:
    # 表05 rows print their label in the label column: the damaged cell is read by position.
    path = variant(fuzhou_path, tmp_path, "damaged05.txt", LINE_05_2010350, "2010350\t事业运行\t508.68\t5O8.68\t0.00")
    data = parse_report(path)
    assert ("amount-unreadable", "05", "2010350") in flagged(data, "amount-unreadable")
    assert row_cells(data, "05", "2010350") == {
        "total": (D("508.68"), "508.68"), "basic": (None, "5O8.68"), "project": (D("0.00"), "0.00")}


def test_row_one_amount_short_is_left_unassigned(fuzhou_path: Path, tmp_path: Path) -> None:
    # 表03 事业运行 with its 基本支出 cell lost: 508.68 must not slide into 基本支出's neighbours.
    path = variant(fuzhou_path, tmp_path, "short.txt", LINE_03_2010350,
                   "2010350\t\t\t事业运行\t508.68\t0.00\t0.00\t0.00\t0.00", nth=1)
    data = parse_report(path)
    assert ("amounts-unassigned", "03", "2010350") in flagged(data, "amounts-unassigned")
    cells = [i for i in data.line_items if i.table == "03" and i.code == "2010350"]
    assert [(i.measure, i.measure_id, i.raw) for i in cells] == [("", "", t) for t in ("508.68", "0.00", "0.00", "0.00", "0.00")]


def test_row_dropping_its_last_cell_is_still_mapped(fuzhou: ReportData) -> None:
    # 表02's first rows print 6 amounts for 7 columns and their total equals the rest: the
    # export dropped the last (其他收入). Mapped in order, 其他收入 left out; nothing unassigned.
    assert not flagged(fuzhou, "amounts-unassigned", "amount-unreadable")
    assert row_cells(fuzhou, "02", "2010350")["total"] == (D("508.68"), "508.68")
    assert "other" not in row_cells(fuzhou, "02", "2010350")


def test_short_row_whose_total_does_not_add_up_is_unassigned(fuzhou_path: Path, tmp_path: Path) -> None:
    # The same 表02 layout, but the printed amounts do not sum to the total: which cell was lost is unknown.
    # 表02 line 162 is the first of the two identical lines (表03 prints the same one at 194).
    path = variant(fuzhou_path, tmp_path, "short02.txt", LINE_03_2010350,
                   LINE_03_2010350.replace("508.68\t508.68", "508.68\t500.00"), nth=0)
    data = parse_report(path)
    assert ("amounts-unassigned", "02", "2010350") in flagged(data, "amounts-unassigned")
    assert {i.measure_id for i in data.line_items if i.table == "02" and i.code == "2010350"} == {""}


def test_thirty_digit_amount_fails_only_its_cell(fuzhou_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = "123456789012345678901234567890.00"
    bad = variant(fuzhou_path, tmp_path, "huge-amount.txt", "一、一般公共预算财政拨款收入\t3658.44\t",
                  f"一、一般公共预算财政拨款收入\t{huge}\t")
    good = tmp_path / "good" / fuzhou_path.name
    good.parent.mkdir()
    good.write_bytes(fuzhou_path.read_bytes())
    code = main(["data", str(bad), str(good), "--out", str(tmp_path / "pkg")])
    out, err = capsys.readouterr()
    assert code == 0 and out == f"juesuan: wrote {tmp_path / 'pkg'}/ (2 report(s), 1084 cells)\n"
    assert (f"juesuan: warning: huge-amount.txt: 表01 row 1 一、一般公共预算财政拨款收入 (line 113): "
            f"amount unreadable: printed '{huge}'") in err.splitlines()
    data = parse_report(bad)
    assert ("amount-unreadable", "01", "一、一般公共预算财政拨款收入") in flagged(data, "amount-unreadable")


# Repeated pages -------------------------------------------------------------------------------


def repeat_pages(src: Path, dst: Path, times: int) -> Path:
    reader = PdfReader(src)
    writer = PdfWriter()
    for _ in range(times):
        writer.add_page(reader.pages[0])
    writer.write(dst)
    return dst


def test_a_page_repeated_100_times_is_one_table(tmp_path: Path) -> None:
    # The file repeated one page 300 times; 100 exercise the same rule in a third of the time.
    one = income_table_pdf(tmp_path / "one.pdf", "lines")
    many = repeat_pages(one, tmp_path / "many.pdf", 100)
    single, repeated = parse_report(one), parse_report(many)
    key = [(i.table, i.row, i.code, i.measure_id, i.amount) for i in single.line_items]
    assert [(i.table, i.row, i.code, i.measure_id, i.amount) for i in repeated.line_items] == key
    assert ("表02 printed 99 more times with no new rows (a duplicate, not a continuation); the first is used"
            in repeated.warnings)


def test_repeated_heading_is_not_the_department(corpus: Path, tmp_path: Path) -> None:
    # Page 5 of the Putuo social-work report: the heading "中共上海市普陀区委社会工作部 2024 年度部门决算表" above 表01.
    src = corpus / "shanghai-putuo-social-work-dept-2024-final.pdf"
    reader = PdfReader(src)
    writer = PdfWriter()
    for _ in range(20):
        writer.add_page(reader.pages[4])
    path = tmp_path / "repeated-page.pdf"
    writer.write(path)
    data = parse_report(path)
    assert data.meta.department == "repeated-page"
    assert "department unknown: no 部门 line and no cover title; using the file name" in data.warnings
    assert sorted({i.table for i in data.line_items}) == ["01"]
    assert len({(i.row, i.col) for i in data.line_items}) == len(data.line_items)
    assert max(i.page or 0 for i in data.line_items) == 1


# Huge inputs ----------------------------------------------------------------------------------


def test_file_beyond_the_size_limit_is_refused_with_the_flag_to_override(
        fuzhou_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 57 KB against a 0.05 MB (52 KB) limit.
    code = main(["data", str(fuzhou_path), "--out", str(tmp_path / "pkg"), "--max-size", "0.05"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[0] == (f"juesuan: error: {fuzhou_path.name}: 0.1 MB, more than the 0.05 MB any real "
                                   "report's text export comes near; pass --max-size 1 to read it anyway")
    assert main(["data", str(fuzhou_path), "--out", str(tmp_path / "pkg"), "--max-size", "1"]) == 0


def test_pdf_beyond_the_page_limit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    many = repeat_pages(income_table_pdf(tmp_path / "one.pdf", "lines"), tmp_path / "many.pdf", 12)
    assert main(["check", str(many), "--max-pages", "10"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == ("juesuan: error: many.pdf: 12 pages, more than the 10 any real report comes near; "
                                   "pass --max-pages 12 to read it anyway")


def test_repeated_warnings_are_capped_and_counted() -> None:
    messages = [f"表{n:02d} row {r}: amount unreadable: printed 'x{r}'" for n in (1, 2) for r in range(500)] + ["other"]
    shown = cap_repeats(messages)
    assert shown == [messages[0], messages[1], messages[2], "other",
                     f"997 more warnings like “{messages[0]}” not shown"]


def test_cli_caps_warnings_of_a_report_printed_many_times(fuzhou_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "eight-copies.txt"
    big.write_text("\n".join([fuzhou_path.read_text(encoding="utf-8")] * 8), encoding="utf-8")
    assert main(["data", str(big), "--out", str(tmp_path / "pkg")]) == 0
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) <= 12
    assert "juesuan: warning: eight-copies.txt: 表02 printed 7 more times with no new rows (a duplicate, not a continuation); the first is used" in warnings
    assert any(w.endswith("not shown") for w in warnings)
