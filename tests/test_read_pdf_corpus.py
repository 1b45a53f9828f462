"""The PDF reader on the real corpus PDFs (skipped where ../shared/corpus is absent).

Expected values come from the pages rendered with pdftoppm and from the hand-verified
truth file, never from the parser's own output.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from juesuan.catalog import match_title
from juesuan.model import RawReport, RawTable
from juesuan.read.pdf import read_pdf

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FINANCE = "shanghai-putuo-finance-bureau-2024-final.pdf"
SOCIAL = "shanghai-putuo-social-work-dept-2024-final.pdf"
TEMPLATE = "shanghai-putuo-template-2024-final.pdf"
AMOUNT = re.compile(r"^-?[\d,]+\.\d+$")

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}: needs ../shared/corpus"),
]


@cache
def report(name: str, engine: str = "pdfium") -> RawReport:
    """Return a corpus PDF read once per test session."""
    return read_pdf(CORPUS / name, engine=engine)  # type: ignore[arg-type]


def standard(name: str) -> dict[str, RawTable]:
    """Return the standard tables of a report by number."""
    found: dict[str, RawTable] = {}
    for table in report(name).tables:
        number = match_title(table.title)
        if number:
            assert number not in found, f"table {number} found twice"
            found[number] = table
    return found


def squash(text: str) -> str:
    return "".join(text.split())


def row_with(table: RawTable, label: str) -> list[str]:
    """Return the texts of the one grid row holding `label`."""
    rows = [[squash(c.text) for c in row] for row in table.rows if label in [squash(c.text) for c in row]]
    assert len(rows) == 1, f"{label!r} in {len(rows)} rows"
    return rows[0]


def truth() -> dict:
    return json.loads(
        (CORPUS / "truth" / "shanghai-putuo-finance-bureau-2024-final.cells.json").read_text("utf-8")
    )


def test_finance_titles_and_pages() -> None:
    tables = standard(FINANCE)
    expected_pages = truth()["table_pages"]
    assert sorted(tables) == sorted(expected_pages)
    for number, pages in expected_pages.items():
        t = tables[number]
        assert (t.page, t.pages, t.unit) == (pages[0], pages, "万元"), number
    assert tables["07"].title == "财政拨款“三公”经费支出决算表"
    assert tables["08"].notes == ["注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。"]
    assert tables["09"].notes == ["注：上海市普陀区财政局无国有资本经营预算财政拨款支出，故本表无数据。"]
    # p5 (rendered): the 单位构成 table, captioned by the wrapped sentence above it.
    first = report(FINANCE).tables[0]
    assert (first.title, first.page) == ("纳入上海市普陀区财政局2024年度部门决算编制范围的单位包括：", 5)
    assert [squash(c.text) for c in first.rows[2]] == [
        "2",
        "上海市普陀区财政局财政所",
        "预算不单列，并入本级",
    ]
    numbers = [match_title(t.title) for t in report(FINANCE).tables]
    assert [n for n in numbers if n] == sorted(expected_pages)  # document order


def test_finance_every_verified_amount_and_no_other() -> None:
    """Every hand-verified cell of tables 01–07 is a grid cell on its page; no other amount is."""
    tables = standard(FINANCE)
    want: dict[str, Counter] = {}
    for cell in truth()["cells"]:
        want.setdefault(cell["table"], Counter())[(cell["amount"], cell["page"])] += 1
    for number, expected in want.items():
        got = Counter(
            (squash(c.text).replace(",", ""), c.page)
            for row in tables[number].rows
            for c in row
            if AMOUNT.match(squash(c.text))
        )
        assert got == expected, number
    assert sum(sum(c.values()) for c in want.values()) == 195


def test_finance_cells_as_seen_on_the_pages() -> None:
    tables = standard(FINANCE)
    # p8 (rendered): codes split over 类/款/项, thousands separators, 其他收入 in the last column.
    assert row_with(tables["02"], "行政运行") == [
        "201",
        "06",
        "01",
        "行政运行",
        "1,511.90",
        "1,511.89",
        "",
        "",
        "",
        "",
        "0.01",
    ]
    head = tables["02"].rows[0]
    assert squash(head[0].text) == "项目" and head[0].colspan == 4
    assert [squash(c.text) for c in head[4:]] == [
        "本年收入合计",
        "财政拨款收入",
        "上级补助收入",
        "事业收入",
        "经营收入",
        "附属单位上缴收入",
        "其他收入",
    ]
    # p16 (rendered): two column groups, digits set lower than the labels.
    assert row_with(tables["06"], "津贴补贴") == [
        "301",
        "02",
        "津贴补贴",
        "1,238.58",
        "302",
        "02",
        "印刷费",
        "7.61",
    ]
    assert row_with(tables["06"], "抚恤金") == ["303", "04", "抚恤金", "", "302", "24", "被装购置费", ""]
    # p17 continues p16 with no title or header: its rows follow in the same columns.
    assert row_with(tables["06"], "生活补助") == ["303", "05", "生活补助", "", "302", "25", "专用燃料费", ""]
    assert [c.page for c in tables["06"].rows[-1]] == [17] * 8
    # p18 (rendered): 12-column horizontal 三公 table, 0.95 under 合计 and 公务接待费 预算数.
    t07 = tables["07"]
    assert t07.width == 12
    assert row_with(t07, "预算数")[:2] == ["预算数", "决算数"]
    assert [squash(c.text) for c in t07.rows[-1]] == ["0.95"] + [""] * 9 + ["0.95", ""]
    assert max(c.colspan for c in t07.rows[1]) == 6  # 公务用车购置及运行费
    # p12–p14: 04 runs over two pages plus an empty ruled page that adds nothing.
    assert row_with(tables["04"], "二十六、抗疫特别国债安排的支出")[0] == ""
    assert [squash(c.text) for c in tables["04"].rows[-1]][:4] == ["总计", "2,961.68", "总计", "2,961.68"]
    # Boxes are in points inside the page.
    box = tables["02"].rows[4][4].box
    assert box is not None and 0 < box.x0 < box.x1 <= 842 and 0 < box.top < box.bottom <= 595


def test_finance_lines_keep_narrative_with_lowered_digits() -> None:
    lines = [(squash(ln.text), ln.page) for ln in report(FINANCE).lines]
    assert ("上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入", 21) in lines
    assert any(text.startswith("第一部分") for text, page in lines if page == 4)
    # Table cells are not repeated as prose.
    assert not any("2,106.66" in text for text, _ in lines)


def test_social_work_titles_pages_and_cells() -> None:
    tables = standard(SOCIAL)
    pages = {n: t.pages for n, t in tables.items()}
    assert pages == {
        "01": [5],
        "02": [6, 7],
        "03": [8, 9],
        "04": [10, 11],
        "05": [12],
        "06": [13],
        "07": [14],
        "08": [15],
        "09": [16],
    }
    assert all(t.unit == "万元" for t in tables.values())
    # p6 (rendered): 7-digit codes in one column, a name wrapping onto a second line.
    assert row_with(tables["02"], "机关事业单位基本养老保险缴费支出")[:4] == [
        "2080505",
        "机关事业单位基本养老保险缴费支出",
        "6.18",
        "6.18",
    ]
    assert row_with(tables["02"], "合计")[2:4] == ["307.82", "307.82"]
    # p7 continues p6.
    assert row_with(tables["02"], "2210203") == ["2210203", "购房补贴", "11.72", "11.72", "", "", "", "", ""]
    # p13 (rendered): 0.00 printed, two column groups.
    assert row_with(tables["06"], "30108") == [
        "30108",
        "机关事业单位基本养老保险缴费",
        "6.18",
        "30206",
        "电费",
        "0.00",
    ]
    assert row_with(tables["06"], "30212")[3:] == ["30212", "因公出国（境）费用", "0.00"]
    assert tables["06"].notes == ["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"]


def test_template_reads_without_numbers() -> None:
    tables = standard(TEMPLATE)
    assert sorted(tables) == [f"{n:02d}" for n in range(1, 10)]
    cells = [squash(c.text) for t in tables.values() for row in t.rows for c in row]
    assert "…" in cells
    assert not [c for c in cells if AMOUNT.match(c)]


@pytest.mark.parametrize("name", [FINANCE, SOCIAL, TEMPLATE])
def test_engines_agree_on_corpus(name: str) -> None:
    """The fast PDFium engine gives the same tables as the pdfplumber reference engine."""

    def shape(r: RawReport) -> list:
        return [
            (
                t.title,
                t.unit,
                t.pages,
                t.notes,
                [[(c.text, c.colspan, c.rowspan, c.page) for c in row] for row in t.rows],
            )
            for t in r.tables
        ]

    assert shape(report(name)) == shape(report(name, "pdfplumber"))
