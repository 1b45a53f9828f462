"""Re-render a report as a new PDF (reportlab), one word or number changed: planting errors into a PDF.

Each page of the source prints again: its text lines from the top, then its tables as ruled grids
(one cell per grid position, the text read from it), so the whole pipeline (reader included)
runs on the planted file. `edit` rewrites each printed line (see planting.py); the page a
table was first printed on holds all its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from juesuan.model import RawReport
from pdf_fixtures import CJK, register_fonts

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 30.0
LINE_H = 12.0
ROW_H = 9.5
FONT = 7.0
CELL_FONT = 5.0


def _fit(c: canvas.Canvas, text: str, size: float, width: float) -> str:
    while text and c.stringWidth(text, CJK, size) > width:
        text = text[:-1]
    return text


def rerender(raw: RawReport, out: Path, edit: Callable[[str], str] = lambda s: s) -> tuple[Path, int]:
    """Write the report as a new PDF with `edit` applied to its lines; return it and the lines changed."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=(PAGE_W, PAGE_H))
    changed = 0
    pages = sorted({tl.page for tl in raw.lines if tl.page} | {t.page for t in raw.tables if t.page})
    for page in pages:
        y = PAGE_H - MARGIN
        for tl in (tl for tl in raw.lines if tl.page == page):
            text = edit(tl.text)
            changed += text != tl.text
            c.setFont(CJK, FONT)
            c.drawString(MARGIN, y, _fit(c, text, FONT, PAGE_W - 2 * MARGIN))
            y -= LINE_H
        for table in (t for t in raw.tables if t.page == page and t.rows):
            y = _draw_grid(c, [[cell.text for cell in row] for row in table.rows], y - 4)
        c.showPage()
    c.save()
    return out, changed


def _draw_grid(c: canvas.Canvas, rows: list[list[str]], top: float) -> float:
    """Draw a ruled grid of cell texts from `top` down; return the y below it."""
    width = max(len(r) for r in rows)
    col_w = (PAGE_W - 2 * MARGIN) / width
    bottom = top - ROW_H * len(rows)
    c.setLineWidth(0.3)
    for i in range(len(rows) + 1):
        c.line(MARGIN, top - i * ROW_H, PAGE_W - MARGIN, top - i * ROW_H)
    for j in range(width + 1):
        c.line(MARGIN + j * col_w, top, MARGIN + j * col_w, bottom)
    c.setFont(CJK, CELL_FONT)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            flat = " ".join(text.split())
            if flat:
                c.drawString(MARGIN + j * col_w + 1, top - (i + 1) * ROW_H + 2.5, _fit(c, flat, CELL_FONT, col_w - 2))
    return bottom - LINE_H
