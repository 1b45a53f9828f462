"""The PDF reader on fixtures rendered at test time (three ruling styles, continuation, bad files)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pdf_fixtures as fx
from juesuan.errors import ReportError
from juesuan.model import Box, RawCell, RawTable
from juesuan.read.pdf import read_pdf
from juesuan.read.pdf_layout import Glyph, cluster_values, glyphs_to_lines, nearest_index
from juesuan.read.pdf_tables import PartCell, TablePart, parts_to_grid

ENGINES = ("pdfium", "pdfplumber")


def texts(table: RawTable) -> list[list[str]]:
    """Return the grid's texts with whitespace removed (what recognize sees)."""
    return [["".join(c.text.split()) for c in row] for row in table.rows]


def cell_at(table: RawTable, text: str) -> RawCell:
    """Return the cell holding exactly `text` (whitespace ignored)."""
    hits = [c for row in table.rows for c in row if "".join(c.text.split()) == text]
    assert len(hits) == 1, f"{text!r} found {len(hits)} times"
    return hits[0]


RULED_GRID = [
    ["项目", "", "本年收入合计", "财政拨款收入"],
    ["科目编码", "科目名称", "", ""],
    ["", "合计", "2,946.25", "2,940.05"],
    ["201", "一般公共服务支出", "2,112.86", "2,106.66"],
    ["2010601", "行政运行", "1,511.90", "1,511.89"],
    ["2080505", "机关事业单位基本养老保险缴费支出", "160.75", "160.75"],
    ["221", "住房保障支出", "445.69", ""],
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("style", ["lines", "rects"])
def test_ruled_table_grid_merges_and_boxes(tmp_path: Path, style: fx.Style, engine: str) -> None:
    report = read_pdf(fx.income_table_pdf(tmp_path / f"{style}.pdf", style), engine=engine)  # type: ignore[arg-type]
    assert report.input_kind == "pdf" and report.pages == 1 and len(report.source_sha256) == 64
    assert len(report.tables) == 1
    table = report.tables[0]
    assert (table.title, table.unit, table.page, table.pages) == ("收入决算表", "万元", 1, [1])
    assert table.notes == ["注：本表反映部门本年度取得的各项收入情况。"]
    assert texts(table) == RULED_GRID
    # The wrapped label keeps its reading order, one line break inside the cell.
    assert cell_at(table, "机关事业单位基本养老保险缴费支出").text == "机关事业单位基本养老保险\n缴费支出"
    head = cell_at(table, "项目")
    assert (head.colspan, head.rowspan) == (2, 1)
    total = cell_at(table, "本年收入合计")
    assert (total.colspan, total.rowspan) == (1, 2)
    assert table.rows[1][2] == RawCell("", page=1, box=table.rows[1][2].box)  # covered by the rowspan
    # Boxes are the ruled cells in points, top-left origin (digits set 3.5 pt lower stay inside).
    box = cell_at(table, "1,511.89").box
    assert box is not None
    ys = fx.row_tops(fx.DATA)
    assert (box.x0, box.top, box.x1, box.bottom) == pytest.approx(
        (fx.COLS[3], ys[4], fx.COLS[4], ys[5]), abs=1.0
    )
    assert all(c.page == 1 for row in table.rows for c in row)
    # Text outside the table is kept as lines, table cells are not.
    assert [ln.text for ln in report.lines] == [
        "收入决算表",
        "单位：万元",
        "注：本表反映部门本年度取得的各项收入情况。",
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_unruled_table_falls_back_to_word_positions(tmp_path: Path, engine: str) -> None:
    report = read_pdf(fx.income_table_pdf(tmp_path / "none.pdf", "none"), engine=engine)  # type: ignore[arg-type]
    assert len(report.tables) == 1
    table = report.tables[0]
    assert (table.title, table.unit) == ("收入决算表", "万元")
    assert any("without rulings" in w for w in report.warnings)
    assert texts(table) == [
        ["", "项目", "", ""],
        ["", "", "本年收入合计", "财政拨款收入"],
        ["科目编码", "科目名称", "", ""],
        ["", "合计", "2,946.25", "2,940.05"],
        ["201", "一般公共服务支出", "2,112.86", "2,106.66"],
        ["2010601", "行政运行", "1,511.90", "1,511.89"],
        ["221", "住房保障支出", "445.69", ""],
    ]
    # Columns follow the printed words: each amount box holds its amount's x range.
    box = cell_at(table, "2,106.66").box
    assert box is not None and box.x0 < fx.COLS[4] - 40 < box.x1
    assert table.notes == ["注：本表反映部门本年度取得的各项收入情况。"]
    assert "2,946.25" not in " ".join(ln.text for ln in report.lines)


@pytest.mark.parametrize("engine", ENGINES)
def test_continuation_page_and_empty_ruled_page(tmp_path: Path, engine: str) -> None:
    report = read_pdf(fx.continued_table_pdf(tmp_path / "cont.pdf"), engine=engine)  # type: ignore[arg-type]
    assert len(report.tables) == 1
    table = report.tables[0]
    # Raised quotes sit on a line of their own; the title is rebuilt with them in place.
    assert table.title == "一般公共预算财政拨款“三公”经费支出决算表"
    assert (table.page, table.pages) == (1, [1, 2, 3])
    assert texts(table) == RULED_GRID  # page 2 appended by column position, empty page 3 adds nothing
    assert [row[0].page for row in table.rows] == [1, 1, 1, 1, 1, 2, 2]
    assert cell_at(table, "445.69").page == 2
    # Narrative line rebuilt from positions: digits set lower join their words.
    assert ("本部门2024年度收入总计2,995.39万元。", 4) in [(ln.text, ln.page) for ln in report.lines]
    assert [ln.text for ln in report.lines if ln.page == 2] == ["上海市某局2024年度部门决算", "- 2 -"]


def test_fujian_label_and_department(tmp_path: Path) -> None:
    report = read_pdf(fx.income_table_pdf(tmp_path / "fj.pdf", "lines", fujian=True))
    table = report.tables[0]
    assert (table.title, table.label, table.unit) == ("收入决算表", "公开02表", "万元")
    assert table.department == "福州市“智慧福州”管理服务中心"
    assert texts(table) == RULED_GRID


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("style", ["lines", "rects"])
def test_frame_round_title_and_grid_is_no_cell(tmp_path: Path, style: fx.Style, engine: str) -> None:
    report = read_pdf(fx.framed_table_pdf(tmp_path / f"framed-{style}.pdf", style), engine=engine)  # type: ignore[arg-type]
    assert len(report.tables) == 1
    table = report.tables[0]
    # The header cells under the frame keep their text; title, 部门 and 单位 stay table furniture.
    assert (table.title, table.unit, table.department) == ("收入决算表", "万元", "某某办公厅")
    assert texts(table) == RULED_GRID
    head = cell_at(table, "项目")
    assert (head.colspan, head.rowspan) == (2, 1)


@pytest.mark.parametrize("engine", ENGINES)
def test_rows_and_titles_carried_over_page_breaks(tmp_path: Path, engine: str) -> None:
    report = read_pdf(fx.carried_over_pdf(tmp_path / "carried.pdf"), engine=engine)  # type: ignore[arg-type]
    assert [(t.title, t.pages) for t in report.tables] == [
        ("收入决算表", [1, 2]),  # the rows above page 2's title row continue page 1's grid
        ("支出决算表", [2]),
        ("一般公共预算财政拨款支出决算表", [3]),  # its title ends page 2
    ]
    first, second, third = report.tables
    assert texts(first) == RULED_GRID
    assert texts(second) == [["科目名称", "本年支出合计", "基本支出"], ["合计", "2,946.25", "1,000.00"]]
    assert texts(third) == RULED_GRID[:4]


def test_department_name_wrapped_under_its_start(tmp_path: Path) -> None:
    table = read_pdf(fx.wrapped_department_pdf(tmp_path / "dept.pdf")).tables[0]
    assert (table.title, table.unit, table.department) == ("收入决算表", "万元", "某某省委员会办公厅")
    assert texts(table) == RULED_GRID


@pytest.mark.parametrize("engine", ENGINES)
def test_label_cut_by_the_page_break_is_joined(tmp_path: Path, engine: str) -> None:
    report = read_pdf(fx.split_label_pdf(tmp_path / "split.pdf"), engine=engine)  # type: ignore[arg-type]
    table = report.tables[0]
    assert table.pages == [1, 2, 3, 4]
    assert texts(table)[2:] == [
        ["", "合计", "2,946.25", "2,940.05"],
        ["201", "一般公共服务支出", "2,112.86", "2,106.66"],
        ["", "当年收入小计", "2,946.25", "2,940.05"],  # the rest, 小计, leaves no row of its own
        ["2010601", "行政运行", "1,511.90", "1,511.89"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "160.75", "160.75"],
        ["221", "住房保障支出住房保障支出住房", "445.69", ""],
        ["", "九、其他支出", "", ""],
    ]


def test_title_and_unit_printed_inside_the_grid(tmp_path: Path) -> None:
    report = read_pdf(fx.spreadsheet_table_pdf(tmp_path / "xls.pdf"))
    table = report.tables[0]
    assert (table.title, table.unit) == ("一般公共预算财政拨款支出决算表", "元")
    assert texts(table) == RULED_GRID[:5]


@pytest.mark.parametrize("engine", ENGINES)
def test_rotated_page_reads_as_displayed(tmp_path: Path, engine: str) -> None:
    report = read_pdf(fx.rotated_table_pdf(tmp_path / "rot.pdf"), engine=engine)  # type: ignore[arg-type]
    assert [t.title for t in report.tables] == ["收入决算表"]
    assert texts(report.tables[0]) == RULED_GRID


def test_engines_agree_on_fixtures(tmp_path: Path) -> None:
    path = fx.continued_table_pdf(tmp_path / "cont.pdf")
    a, b = read_pdf(path), read_pdf(path, engine="pdfplumber")

    def shape(t: RawTable) -> list[list[tuple[str, int, int, int | None]]]:
        return [[(c.text, c.colspan, c.rowspan, c.page) for c in row] for row in t.rows]

    assert [shape(t) for t in a.tables] == [shape(t) for t in b.tables]
    assert [(ln.text, ln.page) for ln in a.lines] == [(ln.text, ln.page) for ln in b.lines]


# --- bad files -----------------------------------------------------------------------------


def reason(path: Path) -> str:
    with pytest.raises(ReportError) as info:
        read_pdf(path)
    assert info.value.path == path
    return info.value.reason


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = fx.prose_pdf(tmp_path / "locked.pdf", ["收入决算表"], encrypt="pw")
    assert reason(path) == "encrypted PDF: cannot read it without the password"


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = fx.income_table_pdf(tmp_path / "whole.pdf", "lines").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    assert reason(path) == "not a readable PDF: truncated file (no %%EOF marker at the end)"


def test_garbage_and_broken_pdfs(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"this is not a pdf at all\x00\x01" * 50)
    assert reason(garbage) == "not a readable PDF: no %PDF- header"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n%%EOF\n")
    assert reason(broken).startswith("not a readable PDF: ")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert reason(empty) == "not a readable PDF: empty file"


def test_image_only_pdf(tmp_path: Path) -> None:
    assert (
        reason(fx.image_only_pdf(tmp_path / "scan.pdf"))
        == "no text layer (image-only PDF?): OCR is not supported"
    )


def test_text_pdf_without_tables_is_not_an_error(tmp_path: Path) -> None:
    path = fx.prose_pdf(
        tmp_path / "letter.pdf", ["关于召开会议的通知", "一、收入支出决算总表", "二、收入决算情况说明"]
    )
    report = read_pdf(path)
    assert report.tables == []
    assert [ln.text for ln in report.lines] == [
        "关于召开会议的通知",
        "一、收入支出决算总表",
        "二、收入决算情况说明",
    ]


def test_missing_file_is_a_report_error(tmp_path: Path) -> None:
    assert reason(tmp_path / "nowhere.pdf").startswith("not a readable PDF: ")


# --- geometry helpers ----------------------------------------------------------------------


@given(st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), min_size=1, max_size=40))
def test_cluster_values_every_value_near_a_representative(values: list[float]) -> None:
    reps = cluster_values(values, 2.0)
    assert reps == sorted(reps)
    # Groups are separated by more than the tolerance, so their means are too.
    assert all(b - a > 2.0 for a, b in itertools.pairwise(reps))
    for v in values:
        assert abs(reps[nearest_index(reps, v)] - v) <= 2.0 * len(values)


@given(
    st.lists(st.sampled_from("收入决算表0123456789"), min_size=1, max_size=12),
    st.floats(min_value=0, max_value=4.5),
    st.floats(min_value=30, max_value=700),
)
def test_digits_set_lower_stay_on_their_line(chars: list[str], drop: float, top: float) -> None:
    glyphs = [
        Glyph(
            ch,
            50 + 12 * i,
            top + (drop if ch.isdigit() else 0),
            62 + 12 * i,
            top + 12 + (drop if ch.isdigit() else 0),
            12,
        )
        for i, ch in enumerate(chars)
    ]
    next_line = [Glyph("下", 50, top + 20, 62, top + 32, 12)]
    lines = glyphs_to_lines(glyphs + next_line)
    assert [ln.text for ln in lines] == ["".join(chars), "下"]


@st.composite
def merged_grids(draw: st.DrawFn) -> tuple[list[float], list[float], list[list[int]]]:
    """Draw column edges, row edges and, per row, the spans that partition its columns (last row unmerged)."""
    widths = draw(st.lists(st.floats(min_value=8, max_value=120), min_size=1, max_size=6))
    heights = draw(st.lists(st.floats(min_value=8, max_value=40), min_size=1, max_size=6))
    xs, ys = list(itertools.accumulate([30.0, *widths])), list(itertools.accumulate([50.0, *heights]))
    spans = []
    for _ in heights[:-1]:
        row, left = [], len(widths)
        while left:
            row.append(draw(st.integers(min_value=1, max_value=left)))
            left -= row[-1]
        spans.append(row)
    spans.append([1] * len(widths))  # a data row: every column boundary is printed somewhere
    return xs, ys, spans


@given(merged_grids())
def test_parts_to_grid_is_rectangular_with_spans(
    grid: tuple[list[float], list[float], list[list[int]]],
) -> None:
    xs, ys, spans = grid
    cells = []
    for r, row in enumerate(spans):
        c = 0
        for span in row:
            cells.append(PartCell(Box(xs[c], ys[r], xs[c + span], ys[r + 1]), f"r{r}c{c}"))
            c += span
    part = TablePart(page=3, bbox=Box(xs[0], ys[0], xs[-1], ys[-1]), cells=cells)
    rows = parts_to_grid([part])
    assert len(rows) == len(spans) and all(len(row) == len(xs) - 1 for row in rows)
    for r, row in enumerate(spans):
        c = 0
        for span in row:
            assert (rows[r][c].text, rows[r][c].colspan, rows[r][c].rowspan) == (f"r{r}c{c}", span, 1)
            assert all(rows[r][k].text == "" and rows[r][k].page == 3 for k in range(c + 1, c + span))
            c += span
