"""Render small 部门决算-like PDFs with reportlab for the PDF reader tests (nothing binary committed).

A table is drawn from a cell list (row, col, rowspan, colspan, text) over fixed column and row
positions, ruled in one of three styles: "lines" (every cell border a separate line segment,
like ONLYOFFICE/WPS), "rects" (thin filled rectangles, like Word) or "none" (no rulings).
Amounts are set in a Latin font 3.5 pt below the CJK baseline, as ONLYOFFICE does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

Style = Literal["lines", "rects", "none"]
CJK = "STSong-Light"
LATIN = "Times-Roman"
SIZE = 10.0
DIGIT_DROP = 3.5  # amounts sit this much below the CJK baseline of their row
PAGE_W, PAGE_H = A4

# Columns: 科目编码 | 科目名称 | 本年收入合计 | 财政拨款收入
COLS = (50.0, 110.0, 260.0, 360.0, 460.0)
HEADER_ROWS = 2
ROW_H = 20.0
WRAP_ROW_H = 30.0
TABLE_TOP = 120.0  # from the page top

HEADER: list[tuple[int, int, int, int, str]] = [
    (0, 0, 1, 2, "项目"),
    (0, 2, 2, 1, "本年收入合计"),
    (0, 3, 2, 1, "财政拨款收入"),
    (1, 0, 1, 1, "科目编码"),
    (1, 1, 1, 1, "科目名称"),
]
DATA: list[tuple[str, str, str, str]] = [
    ("", "合计", "2,946.25", "2,940.05"),
    ("201", "一般公共服务支出", "2,112.86", "2,106.66"),
    ("2010601", "行政运行", "1,511.90", "1,511.89"),
    ("2080505", "机关事业单位基本养老保险\n缴费支出", "160.75", "160.75"),
    ("221", "住房保障支出", "445.69", ""),
]


@dataclass(frozen=True)
class Cell:
    """A printed cell: grid position, spans, text and alignment."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    align: Literal["left", "center", "right"] = "center"


def register_fonts() -> None:
    """Register reportlab's built-in CJK CID font (no font files needed)."""
    if CJK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def table_cells(data: Sequence[tuple[str, str, str, str]], header: bool = True) -> list[Cell]:
    """Return the cells of the fixture table: optional 2-row merged header, then data rows."""
    cells = [Cell(r, c, rs, cs, t) for r, c, rs, cs, t in HEADER] if header else []
    first = HEADER_ROWS if header else 0
    for i, (code, name, total, fiscal) in enumerate(data):
        r = first + i
        cells += [
            Cell(r, 0, 1, 1, code, "left"),
            Cell(r, 1, 1, 1, name, "left"),
            Cell(r, 2, 1, 1, total, "right"),
            Cell(r, 3, 1, 1, fiscal, "right"),
        ]
    return cells


def row_tops(
    data: Sequence[tuple[str, str, str, str]], header: bool = True, top: float = TABLE_TOP
) -> list[float]:
    """Return the top of every row and the bottom of the last one (points from the page top)."""
    heights = ([ROW_H] * HEADER_ROWS if header else []) + [
        WRAP_ROW_H if "\n" in d[1] else ROW_H for d in data
    ]
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    return ys


def cell_box(cell: Cell, ys: Sequence[float]) -> tuple[float, float, float, float]:
    """Return (x0, top, x1, bottom) of a cell in top-left page coordinates."""
    return COLS[cell.col], ys[cell.row], COLS[cell.col + cell.colspan], ys[cell.row + cell.rowspan]


def draw_rulings(c: canvas.Canvas, boxes: Sequence[tuple[float, float, float, float]], style: Style) -> None:
    """Draw the borders of every cell in the given style."""
    for x0, top, x1, bottom in boxes:
        y0, y1 = PAGE_H - bottom, PAGE_H - top
        if style == "lines":
            c.setLineWidth(0.75)
            for seg in ((x0, y1, x1, y1), (x0, y0, x1, y0), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                c.line(*seg)
        elif style == "rects":
            w = 0.5
            c.rect(x0, y1 - w / 2, x1 - x0, w, stroke=0, fill=1)
            c.rect(x0, y0 - w / 2, x1 - x0, w, stroke=0, fill=1)
            c.rect(x0 - w / 2, y0, w, y1 - y0, stroke=0, fill=1)
            c.rect(x1 - w / 2, y0, w, y1 - y0, stroke=0, fill=1)


def is_amount(text: str) -> bool:
    """Tell whether a fixture text is an amount or code (set in the Latin font, lower)."""
    return bool(text) and all(ch.isdigit() or ch in ",." for ch in text)


def draw_text(c: canvas.Canvas, cell: Cell, box: tuple[float, float, float, float]) -> None:
    """Draw a cell's text (one or more lines) inside its box."""
    x0, top, x1, bottom = box
    lines = cell.text.split("\n")
    block = len(lines) * (SIZE + 2)
    first_base = top + (bottom - top - block) / 2 + SIZE
    for i, text in enumerate(lines):
        latin = is_amount(text)
        font = LATIN if latin else CJK
        base = first_base + i * (SIZE + 2) + (DIGIT_DROP if latin and cell.align == "right" else 0)
        width = pdfmetrics.stringWidth(text, font, SIZE)
        x = {"left": x0 + 4, "center": (x0 + x1 - width) / 2, "right": x1 - 4 - width}[cell.align]
        c.setFont(font, SIZE)
        c.drawString(x, PAGE_H - base, text)


def draw_title(c: canvas.Canvas, title: str, unit: str | None = "万元", raise_quotes: bool = False) -> None:
    """Draw a centred title at the top and the 单位 line; quotes raised onto their own line if asked."""
    size = 16
    if raise_quotes:
        plain = title.replace("“", "").replace("”", "")
        width = pdfmetrics.stringWidth(plain, CJK, size)
        x = (PAGE_W - width) / 2
        c.setFont(CJK, size)
        for ch in title:
            if ch in "“”":
                c.setFont(CJK, 9)
                c.drawString(x - 3, PAGE_H - 62, ch)  # raised 12 pt: a line of its own
                c.setFont(CJK, size)
                continue
            c.drawString(x, PAGE_H - 74, ch)
            x += pdfmetrics.stringWidth(ch, CJK, size)
    else:
        c.setFont(CJK, size)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 74, title)
    if unit:
        c.setFont(CJK, SIZE)
        c.drawRightString(COLS[-1], PAGE_H - 104, f"单位：{unit}")


def draw_table(
    c: canvas.Canvas,
    data: Sequence[tuple[str, str, str, str]],
    style: Style,
    header: bool = True,
    top: float = TABLE_TOP,
) -> None:
    """Draw the fixture table (header optional) at `top`."""
    cells = table_cells(data, header)
    ys = row_tops(data, header, top)
    draw_rulings(c, [cell_box(cell, ys) for cell in cells], style)
    for cell in cells:
        if cell.text:
            draw_text(c, cell, cell_box(cell, ys))


def income_table_pdf(
    path: Path,
    style: Style,
    note: str | None = "注：本表反映部门本年度取得的各项收入情况。",
    fujian: bool = False,
) -> Path:
    """Write a one-page 收入决算表 with a 2-row merged header in the given ruling style.

    `fujian` adds the Fujian furniture: a `公开 02 表` label and a `部门：…` line beside the unit.
    """
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    draw_title(c, "收入决算表")
    if fujian:
        c.setFont(CJK, SIZE)
        c.drawRightString(COLS[-1], PAGE_H - 50, "公开 02 表")
        c.drawString(COLS[0], PAGE_H - 104, "部门：福州市“智慧福州”管理服务中心")
    data = DATA if style != "none" else [d for d in DATA if "\n" not in d[1]]
    draw_table(c, data, style)
    if note:
        c.setFont(CJK, SIZE)
        c.drawString(COLS[0], PAGE_H - (row_tops(data)[-1] + 20), note)
    c.showPage()
    c.save()
    return path


def draw_running(c: canvas.Canvas, page: int) -> None:
    """Draw a running header and a page-number footer, as many reports print on every page."""
    c.setFont(CJK, 8)
    c.drawString(COLS[0], PAGE_H - 40, "上海市某局2024年度部门决算")
    c.setFont(LATIN, 9)
    c.drawCentredString(PAGE_W / 2, 30, f"- {page} -")


def continued_table_pdf(path: Path, style: Style = "lines", empty_page: bool = True) -> Path:
    """Write a table whose rows run onto page 2 with no repeated title or header (+ an empty ruled page 3).

    Every page carries a running header and a page number, which must not break the continuation.
    """
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    draw_running(c, 1)
    draw_title(c, "一般公共预算财政拨款“三公”经费支出决算表", raise_quotes=True)
    draw_table(c, DATA[:3], style)
    c.showPage()
    draw_running(c, 2)
    draw_table(c, DATA[3:], style, header=False, top=72.0)
    c.showPage()
    if empty_page:
        draw_running(c, 3)
        draw_table(c, [("", "", "", "")], style, header=False, top=72.0)
        c.showPage()
    draw_running(c, 4)
    c.setFont(CJK, SIZE)
    c.drawString(72, PAGE_H - 100, "第三部分 部门决算情况说明")
    x = 72.0
    for text, font, drop in (
        ("本部门2024年度收入总计", CJK, 0.0),
        ("2,995.39", LATIN, DIGIT_DROP),
        ("万元。", CJK, 0.0),
    ):
        c.setFont(font, SIZE)
        c.drawString(x, PAGE_H - 120 - drop, text)
        x += pdfmetrics.stringWidth(text, font, SIZE)
    c.showPage()
    c.save()
    return path


def prose_pdf(path: Path, lines: Sequence[str], encrypt: str | None = None) -> Path:
    """Write a text-only PDF (no tables), optionally encrypted with a user password."""
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    c.setFont(CJK, 12)
    for i, text in enumerate(lines):
        c.drawString(72, PAGE_H - 100 - 20 * i, text)
    c.showPage()
    c.save()
    return path


def image_only_pdf(path: Path) -> Path:
    """Write a PDF whose page holds only drawn shapes (a scan stand-in): no text layer."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFillGray(0.6)
    c.rect(72, 400, 300, 200, stroke=1, fill=1)
    c.circle(300, 300, 50, stroke=1, fill=0)
    c.showPage()
    c.save()
    return path


def spreadsheet_table_pdf(path: Path) -> Path:
    """Write a table that prints its title and unit inside its first two ruled rows (spreadsheet export)."""
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    top = 72.0
    boxes = [(COLS[0], top, COLS[-1], top + ROW_H), (COLS[0], top + ROW_H, COLS[-1], top + 2 * ROW_H)]
    draw_rulings(c, boxes, "lines")
    draw_text(c, Cell(0, 0, 1, 4, "一般公共预算财政拨款支出决算表"), boxes[0])
    draw_text(c, Cell(1, 0, 1, 4, "单位：元", "right"), boxes[1])
    draw_table(c, DATA[:3], "lines", top=top + 2 * ROW_H)
    c.showPage()
    c.save()
    return path


def rotated_table_pdf(path: Path) -> Path:
    """Write a portrait page with /Rotate 90 whose table reads upright once the page is displayed."""
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setPageRotation(90)
    # Display coords (X, top) are user (top, X) here: draw in a frame turned 90° counter-clockwise.
    c.translate(PAGE_H, 0)
    c.rotate(90)
    draw_title(c, "收入决算表")
    draw_table(c, DATA, "lines")
    c.showPage()
    c.save()
    return path


def framed_table_pdf(path: Path, style: Style = "lines") -> Path:
    """Write a table inside a frame drawn round its title, 部门 and 单位 lines (Jiangsu budget tables).

    The frame shares the grid's right and bottom borders only, so the ruling-line algorithm
    sees it as one more cell, over the title and the whole grid.
    """
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    draw_title(c, "收入决算表")
    c.setFont(CJK, SIZE)
    c.drawString(COLS[0], PAGE_H - 104, "部门：某某办公厅")
    draw_table(c, DATA, style)
    draw_rulings(c, [(COLS[0] - 30, 40.0, COLS[-1], row_tops(DATA)[-1])], style)
    c.showPage()
    c.save()
    return path


def carried_over_pdf(path: Path) -> Path:
    """Write tables continued across page breaks the way spreadsheet exports print them.

    Page 1: 收入决算表 with its first rows. Page 2: one ruled grid holding the rest of its rows,
    then a full-width title row and a narrower 支出决算表; below it, at the foot of the page,
    the title of the next table. Page 3: that table's grid, with no title above it.
    """
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    draw_title(c, "收入决算表")
    draw_table(c, DATA[:3], "lines")
    c.showPage()
    ys = row_tops(DATA[3:], header=False, top=72.0)
    draw_table(c, DATA[3:], "lines", header=False, top=72.0)
    title_box = (COLS[0], ys[-1], COLS[-1], ys[-1] + 2 * ROW_H)
    draw_rulings(c, [title_box], "lines")
    draw_text(c, Cell(0, 0, 1, 4, "支出决算表"), title_box)
    xs = (COLS[0], 200.0, 330.0, COLS[-1])
    rows = [("科目名称", "本年支出合计", "基本支出"), ("合计", "2,946.25", "1,000.00")]
    top = title_box[3]
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            box = (xs[k], top + r * ROW_H, xs[k + 1], top + (r + 1) * ROW_H)
            draw_rulings(c, [box], "lines")
            draw_text(c, Cell(r, k, 1, 1, text, "right" if r and k else "center"), box)
    c.setFont(CJK, 16)
    c.drawCentredString(PAGE_W / 2, 60, "一般公共预算财政拨款支出决算表")
    c.showPage()
    draw_table(c, DATA[:2], "lines", top=72.0)
    c.showPage()
    c.save()
    return path


def wrapped_department_pdf(path: Path) -> Path:
    """Write a table whose 部门 line wraps the end of the name under its start, the 单位 line between."""
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    draw_title(c, "收入决算表")  # 单位：万元 at the right, baseline 104 pt from the top
    c.setFont(CJK, SIZE)
    c.drawString(COLS[0], PAGE_H - 100, "部门：某某省委员会办")
    c.drawString(COLS[0], PAGE_H - 111, "公厅")
    draw_table(c, DATA, "lines")
    c.showPage()
    c.save()
    return path


def split_label_pdf(path: Path) -> Path:
    """Write a totals row whose two-line label is cut by the page break (当 年 收 入 | 小计).

    The spreadsheet justified the label's first line over the cell's width (distributed
    alignment) at the foot of page 1; its last line, 小计, opens page 2 in a row of its own.
    Pages 2–4: a label filling its cell at a page foot, its rest alone atop the next page;
    and one followed by a new item (九、…), which stays a row of its own.
    """
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    draw_title(c, "收入决算表")
    rows = [*DATA[:2], ("", "", "2,946.25", "2,940.05")]
    draw_table(c, rows, "lines")
    ys = row_tops(rows)
    c.setFont(CJK, SIZE)
    x0, x1 = COLS[1] + 1, COLS[2] - 1
    step = (x1 - x0 - SIZE) / 3
    for i, ch in enumerate("当年收入"):
        c.drawString(x0 + i * step, PAGE_H - (ys[-2] + 14), ch)
    c.showPage()
    # Page 2 ends in a label filling its cell, cut by the break: its rest opens page 3.
    draw_table(c, [("", "小计", "", ""), DATA[2], ("2080505", "机关事业单位基本养老保险缴费", "160.75", "160.75")],
               "lines", header=False, top=72.0)
    c.showPage()
    # Page 3 ends in a full label too, but page 4 opens with the next item: nothing was cut.
    draw_table(c, [("", "支出", "", ""), ("221", "住房保障支出住房保障支出住房", "445.69", "")], "lines", header=False, top=72.0)
    c.showPage()
    draw_table(c, [("", "九、其他支出", "", "")], "lines", header=False, top=72.0)
    c.showPage()
    c.save()
    return path
