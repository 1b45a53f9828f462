"""Read a text-layer PDF report into a RawReport: every table as a grid, all other text as lines.

Pipeline per page: glyphs and ruling edges (pdf_source) → ruled tables by pdfplumber's
ruling-line algorithm, glyphs assigned to cells by position (pdf_tables) → remaining glyphs
rebuilt into lines (pdf_layout) → an unruled-table fallback on pages with a standard title
but no rulings. Across pages: titles, labels, units, departments and notes attached to each
table; continuation pages without a repeated title appended to their table.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.catalog import match_label
from juesuan.catalog_budget import match_report_title
from juesuan.errors import ReportError
from juesuan.model import RawCell, RawReport, RawTable, TextLine
from juesuan.read.pdf_layout import Line, glyphs_to_lines, line_segments, merge_lines
from juesuan.read.pdf_source import NO_TEXT, Engine, PageContent, count_pages, iter_page_contents, unreadable
from juesuan.read.pdf_tables import (
    TablePart,
    columns_match,
    glyph_ids,
    join_overflow_labels,
    parts_to_grid,
    ruled_parts,
    unruled_part,
)

_UNIT = re.compile(r"单位[:：](千元|万元|亿元|元)")
_DEPARTMENT = re.compile(r"部门(?:名称)?[:：]\s*(.+?)\s*(?:(?:金额)?单位[:：].*)?$")
_PAGE_NUMBER = re.compile(r"^[\s\-—–·•第页共/\dIVXivx]*$")
_QUOTES_ONLY = re.compile(r"^[\s“”\"'‘’「」]+$")
_NOTE = re.compile(r"^\s*(注|说明|备注)\s*[:：0-9１-９]")
_SENTENCE_END = ("。", "；", "：", ":", ";")
# Lines longer than this (characters) are prose, not a table caption.
CAPTION_MAX = 60


@dataclass(slots=True)
class PageLayout:
    """One page after table finding: table parts and the lines outside them."""

    number: int
    parts: list[TablePart]
    lines: list[Line]
    has_text: bool


@dataclass(slots=True)
class TableBuild:
    """A table being assembled across pages."""

    table: RawTable
    parts: list[TablePart] = field(default_factory=list)


def read_pdf(path: Path, engine: Engine = "pdfium", max_pages: int | None = None) -> RawReport:
    """Read a PDF report into a RawReport; raise ReportError for files that cannot be read.

    `engine` picks who parses the content streams: "pdfium" (fast, default) or
    "pdfplumber" (the slower reference); both feed the same table and line logic.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReportError(path, unreadable(e.strerror or str(e))) from None
    if max_pages is not None and (pages := count_pages(path, data)) > max_pages:
        raise ReportError(
            path, f"{pages} pages, more than the {max_pages} any real report comes near; pass --max-pages {pages} to read it anyway"
        )
    layouts = [layout_page(content) for content in iter_page_contents(path, data, engine)]
    if not any(p.has_text for p in layouts):
        raise ReportError(path, NO_TEXT)
    tables, warnings = assemble_tables(layouts)
    return RawReport(
        source_file=path,
        source_sha256=hashlib.sha256(data).hexdigest(),
        input_kind="pdf",
        pages=len(layouts),
        tables=tables,
        lines=[TextLine(line.text, p.number) for p in layouts for line in p.lines],
        warnings=warnings,
    )


def layout_page(content: PageContent) -> PageLayout:
    """Return a page's table parts and its other text as lines."""
    has_text = any(g.text.strip() for g in content.glyphs)
    parts, used = ruled_parts(content)
    lines = glyphs_to_lines(g for i, g in enumerate(content.glyphs) if i not in used)
    if not parts:
        part, table_lines = unruled_table(content.number, lines)
        if part is not None:
            parts = [part]
            drop = glyph_ids(table_lines, content.glyphs)
            lines = [ln for ln in lines if not glyph_ids([ln], content.glyphs) <= drop]
    return PageLayout(content.number, parts, lines, has_text)


def is_furniture(text: str) -> bool:
    """Tell whether a text is a unit, department or label line."""
    compact = re.sub(r"\s+", "", text)
    return bool(_UNIT.search(compact) or _DEPARTMENT.search(text) or match_label(compact))


def is_meta_line(text: str) -> bool:
    """Tell whether a line is table furniture (unit, department, label) or a page number."""
    return is_furniture(text) or bool(_PAGE_NUMBER.match(text))


def unruled_table(page: int, lines: Sequence[Line]) -> tuple[TablePart | None, list[Line]]:
    """Find a table printed without rulings below a standard title; return it and its lines."""
    start = next((i for i, ln in enumerate(lines) if title_at(lines, i)), None)
    if start is None:
        return None, []
    i = start + 1
    while i < len(lines) and (is_meta_line(lines[i].text) or not lines[i].text.strip()):
        i += 1
    body: list[Line] = []
    heights = sorted(ln.bottom - ln.top for ln in lines[i:]) or [12.0]
    gap_limit = 3 * heights[len(heights) // 2]
    for ln in lines[i:]:
        if _NOTE.match(ln.text) or match_report_title(ln.text) or (body and ln.top - body[-1].bottom > gap_limit):
            break
        body.append(ln)
    part = unruled_part(page, body)
    return (part, body) if part is not None else (None, [])


def title_at(lines: Sequence[Line], i: int) -> str | None:
    """Return the standard title text at line i (alone or joined with a neighbour), None if none."""
    line = lines[i]
    neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    # Raised quotes of “三公” on a line of their own go back into the title first.
    neighbours.sort(key=lambda j: not _QUOTES_ONLY.match(lines[j].text))
    if match_report_title(line.text) and not any(_QUOTES_ONLY.match(lines[j].text) for j in neighbours):
        return line.text
    for j in neighbours:
        if is_adjacent(lines[min(i, j)], lines[max(i, j)]):
            merged = merge_lines(lines[min(i, j)], lines[max(i, j)]).text
            if match_report_title(merged):
                return merged
    return line.text if match_report_title(line.text) else None


def is_adjacent(upper: Line, lower: Line) -> bool:
    """Tell whether two short lines sit close enough to be one title broken by raised quotes."""
    height = max(upper.bottom - upper.top, lower.bottom - lower.top)
    short = len(upper.text) <= 40 and len(lower.text) <= 40
    return short and lower.top - upper.bottom <= 0.6 * height


def region_lines(layout: PageLayout, index: int) -> list[Line]:
    """Return the lines between the part before `index` (or the page top) and part `index`."""
    part = layout.parts[index]
    floor = layout.parts[index - 1].bbox.bottom if index else -1.0
    # A line belongs above the grid when its centre does (as glyphs go to cells by centre):
    # a wrapped 部门 line may touch the grid's top border.
    return [ln for ln in layout.lines if ln.top >= floor - 1 and (ln.top + ln.bottom) / 2 <= part.bbox.top]


def lines_below(layout: PageLayout, index: int) -> list[Line]:
    """Return the lines below part `index` and above the next part on the page."""
    part = layout.parts[index]
    ceiling = layout.parts[index + 1].bbox.top if index + 1 < len(layout.parts) else float("inf")
    return [ln for ln in layout.lines if ln.top >= part.bbox.bottom - 2 and ln.bottom <= ceiling + 2]


def significant(lines: Sequence[Line], running: frozenset[str] = frozenset()) -> list[Line]:
    """Return the lines that are not page numbers, running headers/footers or blank."""
    return [
        ln for ln in lines if ln.text.strip() and not _PAGE_NUMBER.match(ln.text) and ln.text not in running
    ]


def running_lines(layouts: Sequence[PageLayout], min_pages: int = 3) -> frozenset[str]:
    """Return texts printed on at least `min_pages` pages: running headers and footers."""
    pages_with = Counter(text for p in layouts for text in {ln.text for ln in p.lines})
    return frozenset(text for text, n in pages_with.items() if n >= min_pages)


def read_meta(table: RawTable, text: str) -> bool:
    """Record unit, department and label found in a text on the table; tell whether that is all it holds."""
    compact = re.sub(r"\s+", "", text)
    if table.unit is None and (m := _UNIT.search(compact)):
        table.unit = m.group(1)
    if table.department is None and (m := _DEPARTMENT.search(text)):
        table.department = m.group(1).strip()
    if table.label is None and (label := match_label(compact)):
        table.label = f"公开{label}表"
    return is_furniture(text)


def take_title_rows(table: RawTable) -> None:
    """Move a title and unit printed inside the grid's top rows (spreadsheet exports) onto the table."""
    while table.rows and all(c.rowspan == 1 for c in table.rows[0]):
        texts = [c.text.strip() for c in table.rows[0] if c.text.strip()]
        titled = match_report_title(table.title) is not None
        # The title may share its cell with the 部门/单位 line below it (one merged top cell).
        title = next((t for t in texts[0].split("\n") if match_report_title(t)), "") if len(texts) == 1 else ""
        if title and not titled:
            table.title = title
            read_meta(table, texts[0])
        elif not texts or not all(read_meta(table, t) for t in texts):
            return
        table.rows.pop(0)


def table_meta(lines: Sequence[Line], page: int) -> RawTable:
    """Return an empty RawTable carrying title, label, unit and department from the lines above it."""
    table = RawTable(title="", rows=[], page=page, pages=[page])
    for i in range(len(lines) - 1, -1, -1):  # nearest to the table first
        title = title_at(lines, i)
        if title:
            table.title = title
            break
    for line in lines:
        read_meta(table, line.text)
        if table.label is None:
            for run in line_segments(line):
                label = match_label("".join(g.text for g in run))
                if label:
                    table.label = f"公开{label}表"
    if not table.title:
        table.title = caption_above(lines)
    wrapped_department(table, lines)
    return table


def wrapped_department(table: RawTable, lines: Sequence[Line]) -> None:
    """Append to the table's department the end of its name wrapped onto the line below (…办 / 公厅).

    The wrapped end starts where the 部门 line starts, right under it; the 单位 line may sit between.
    """
    for upper in lines:
        m = _DEPARTMENT.search(upper.text)
        if not m or table.department is None or table.department != m.group(1).strip():
            continue
        height = upper.bottom - upper.top
        below = [ln for ln in lines if abs(ln.x0 - upper.x0) <= 3 and ln.top > upper.top + 0.5 * height]
        lower = min(below, key=lambda ln: ln.top, default=None)
        tail = lower.text.strip() if lower is not None else ""
        if (lower is not None and len(tail) <= 12 and lower.top - upper.bottom <= 0.6 * height
                and not is_meta_line(tail) and not match_report_title(tail) and not re.search(r"[:：]", tail)):
            table.department += tail
        return


def caption_above(lines: Sequence[Line]) -> str:
    """Return the nearest caption line above a table, with the start of a wrapped sentence."""
    k = next((i for i in range(len(lines) - 1, -1, -1) if not is_meta_line(lines[i].text)), None)
    if k is None or len(lines[k].text) > CAPTION_MAX:
        return ""
    text = lines[k].text.strip()
    # A caption that is the tail of a wrapped sentence reads better whole (纳入…编制范 / 围的单位包括：):
    # climb while the lines sit close, stopping at the sentence start.
    while k > 0 and len(text) < CAPTION_MAX * 2:
        upper, lower = lines[k - 1], lines[k]
        above = upper.text.strip()
        if lower.top - upper.bottom > 1.2 * (lower.bottom - lower.top) or above.endswith(_SENTENCE_END):
            break
        cut = max(above.rfind(mark) for mark in _SENTENCE_END)
        if cut >= 0:
            return above[cut + 1 :] + text
        text, k = above + text, k - 1
    return text


def continues(
    prev: TableBuild, layouts: dict[int, PageLayout], layout: PageLayout, running: frozenset[str]
) -> bool:
    """Tell whether the first part of a page continues the previous table (no title, aligned columns)."""
    last = prev.parts[-1]
    if last.page != layout.number - 1 or significant(region_lines(layout, 0), running):
        return False
    before = layouts[last.page]
    if significant(lines_below(before, before.parts.index(last)), running):
        return False
    part = layout.parts[0]
    if any(match_report_title(c.text) for c in part.cells if c.box.top <= part.bbox.top + 1):
        return False  # a table printing its title in its first row starts here
    reference = next((p for p in reversed(prev.parts) if not p.empty), last)
    return part.empty or columns_match(reference, part)


def title_carried_over(before: PageLayout | None, running: frozenset[str], tail: int = 3) -> list[Line]:
    """Return the last lines of the page before when they end in a table title, else none.

    A title set at the foot of a page, its grid starting the next page, belongs to that grid.
    """
    if before is None:
        return []
    lines = significant(lines_below(before, len(before.parts) - 1) if before.parts else before.lines, running)[-tail:]
    return lines if any(title_at(lines, i) for i in range(len(lines))) else []


def notes_below(lines: Sequence[Line]) -> list[str]:
    """Return the note lines (注：…, 说明：… and their wrapped continuations) under a table."""
    notes: list[str] = []
    for line in significant(lines):
        if notes and match_report_title(line.text):
            break
        if notes or _NOTE.match(line.text):
            notes.append(line.text.strip())
    return notes


def assemble_tables(layouts: Sequence[PageLayout]) -> tuple[list[RawTable], list[str]]:
    """Return every table in document order, continuation pages joined, and reader warnings."""
    by_number = {p.number: p for p in layouts}
    running = running_lines(layouts)
    builds: list[TableBuild] = []
    warnings: list[str] = []
    for layout in layouts:
        for k, part in enumerate(layout.parts):
            if not part.ruled:
                warnings.append(f"page {layout.number}: table without rulings read from word positions")
            if k == 0 and builds and continues(builds[-1], by_number, layout, running):
                build = builds[-1]
                build.table.pages.append(layout.number)
                build.parts.append(part)
                continue
            lines = region_lines(layout, k)
            if k == 0 and not table_meta(lines, layout.number).title:
                lines = [*title_carried_over(by_number.get(layout.number - 1), running), *lines]
            builds.append(TableBuild(table_meta(lines, layout.number), [part]))
    for build in builds:
        last = build.parts[-1]
        layout = by_number[last.page]
        build.table.notes = notes_below(lines_below(layout, layout.parts.index(last)))
        join_overflow_labels(build.parts)
        # An empty ruled continuation page adds no rows (it would add one blank row).
        build.table.rows = parts_to_grid([build.parts[0], *(p for p in build.parts[1:] if not p.empty)])
        build.table.rows = drop_split_rows(build.table.rows, build.table.page)
        take_title_rows(build.table)
    return [b.table for b in builds], warnings


def drop_split_rows(rows: list[list[RawCell]], first_page: int | None) -> list[list[RawCell]]:
    """Drop blank rows at the top of a continuation page: the rest of a row split by the page break."""
    out: list[list[RawCell]] = []
    page_top, current = False, first_page
    for row in rows:
        page = row[0].page if row else None
        if page != current:
            page_top, current = True, page
        if page_top and page != first_page and not any(c.text.strip() for c in row):
            continue
        page_top = False
        out.append(row)
    return out
