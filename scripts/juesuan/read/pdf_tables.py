"""Find table cells on a page and turn cell boxes into a rectangular grid with merges.

Ruled tables: pdfplumber's ruling-line algorithm (snap, join, intersect, smallest cells) run
on the page's edges, whichever engine produced them. Unruled tables: a word-coordinate
fallback with columns taken from the header and data words. Glyphs are assigned to cells
by their centre point, never by text-line order, so digits set lower than CJK text land
in the right cell.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pdfplumber.table import TableFinder

from juesuan.amounts import parse_amount
from juesuan.catalog_budget import match_report_title
from juesuan.model import Box, RawCell
from juesuan.read.pdf_layout import (
    Glyph,
    Line,
    box_contains_point,
    cluster_values,
    glyphs_to_lines,
    line_segments,
    nearest_index,
    overlap,
)
from juesuan.read.pdf_source import PageContent

# Cell edges closer than this (pt) are the same grid line.
GRID_TOLERANCE = 2.0
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass(slots=True)
class PartCell:
    """One cell found on a page: its box and its text."""

    box: Box
    text: str
    spread: bool = False  # its last line is spread over the cell's width: the label goes on below
    full: bool = False  # its last line fills the cell's width: cut at a page foot, it may go on


@dataclass(slots=True)
class TablePart:
    """The piece of a table printed on one page."""

    page: int
    bbox: Box
    cells: list[PartCell] = field(default_factory=list)
    ruled: bool = True

    @property
    def empty(self) -> bool:
        """Tell whether no cell holds text."""
        return not any(c.text.strip() for c in self.cells)

    def x_edges(self) -> list[float]:
        """Return the distinct vertical cell boundaries."""
        return cluster_values([v for c in self.cells for v in (c.box.x0, c.box.x1)], GRID_TOLERANCE)


class _EdgePage:
    """The two attributes pdfplumber's TableFinder reads from a page for the lines strategy."""

    def __init__(self, content: PageContent) -> None:
        self.edges = content.edges
        self.bbox = (0.0, 0.0, content.width, content.height)


def find_cell_boxes(content: PageContent) -> list[list[Box]]:
    """Return the cell boxes of each ruled table on the page, tables top to bottom."""
    if len(content.edges) < 4:
        return []
    finder = TableFinder(_EdgePage(content), TABLE_SETTINGS)  # type: ignore[arg-type]
    tables = []
    for table in finder.tables:
        boxes = drop_frames([Box(*cell) for cell in table.cells])
        if len(boxes) >= 2:  # a lone box (page frame, text box) is not a table
            tables.append(boxes)
    tables.sort(key=lambda bs: (min(b.top for b in bs), min(b.x0 for b in bs)))
    return tables


def drop_frames(boxes: Sequence[Box]) -> list[Box]:
    """Drop the boxes that enclose other cell boxes: a frame drawn round title and grid, not a cell.

    A frame whose rulings do not meet the grid's comes out of the ruling-line algorithm as one
    huge "cell" over the title and the whole grid; kept, it would swallow the header cells.
    """
    pad = GRID_TOLERANCE
    return [
        b
        for b in boxes
        if not any(
            o is not b
            and (o.x1 - o.x0) * (o.bottom - o.top) < (b.x1 - b.x0) * (b.bottom - b.top)
            and b.x0 - pad <= o.x0 and o.x1 <= b.x1 + pad and b.top - pad <= o.top and o.bottom <= b.bottom + pad
            for o in boxes
        )
    ]


def cell_text(glyphs: Sequence[Glyph]) -> str:
    """Return a cell's text: its lines top to bottom joined by newlines."""
    return "\n".join(line.text for line in glyphs_to_lines(glyphs))


def glyphs_to_cells(boxes: Sequence[Box], glyphs: Sequence[Glyph]) -> tuple[list[PartCell], set[int]]:
    """Assign glyphs to the cell containing their centre; return cells and the glyph indices used."""
    bbox = union_box(boxes)
    # Bucket cells by horizontal bands so each glyph only tests the cells of its band.
    band = 20.0
    buckets: dict[int, list[int]] = {}
    for i, b in enumerate(boxes):
        for k in range(int((b.top - 1) // band), int((b.bottom + 1) // band) + 1):
            buckets.setdefault(k, []).append(i)
    members: list[list[Glyph]] = [[] for _ in boxes]
    used: set[int] = set()
    for gi, g in enumerate(glyphs):
        x, y = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        if not box_contains_point(bbox, x, y, pad=0.5):
            continue
        hit = [i for i in buckets.get(int(y // band), ()) if box_contains_point(boxes[i], x, y, pad=0.5)]
        if not hit:
            continue
        # On a shared border prefer the smallest cell, the one that drew the glyph.
        best = min(hit, key=lambda i: (boxes[i].x1 - boxes[i].x0) * (boxes[i].bottom - boxes[i].top))
        members[best].append(g)
        used.add(gi)
    return [
        PartCell(b, cell_text(m), ends_spread(b, m), ends_full(b, m)) for b, m in zip(boxes, members, strict=True)
    ], used


def _last_line(glyphs: Sequence[Glyph]) -> list[Glyph]:
    lines = glyphs_to_lines(glyphs)
    return [g for g in lines[-1].glyphs if g.text.strip()] if lines else []


def ends_full(box: Box, glyphs: Sequence[Glyph]) -> bool:
    """Tell whether a cell's last line of words reaches across its width (its text may be cut there)."""
    last = _last_line(glyphs)
    if len(last) < 3 or any(g.text.isascii() for g in last):
        return False
    return last[-1].x1 - last[0].x0 >= 0.9 * (box.x1 - box.x0 - 2)


def ends_spread(box: Box, glyphs: Sequence[Glyph]) -> bool:
    """Tell whether a cell's last line is spread over its width (distributed alignment).

    Spreadsheets justify every line of a wrapped label but the last to the cell's full
    width; a label whose lowest printed line is spread so goes on in the row below
    (a merged label cell cut by a row rule or a page break: 当 年 收 入 | 小计).
    """
    last = _last_line(glyphs)
    if len(last) < 3 or any(g.text.isascii() for g in last):
        return False
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(last)]
    size = max(g.size for g in last)
    extent = last[-1].x1 - last[0].x0
    return min(gaps) >= 0.3 * size and extent >= 0.85 * (box.x1 - box.x0)


def join_overflow_labels(parts: Sequence[TablePart]) -> None:
    """Move a label's rest printed alone in the row below a spread label back into that label.

    The row below holds no other text; across a page break it is the first row of the
    continuation part. The emptied row is dropped like any blank split row.
    """
    cells = [(k, c) for k, part in enumerate(parts) for c in part.cells]
    rows: dict[tuple[int, int], list[PartCell]] = {}
    for k, c in cells:
        rows.setdefault((k, round(c.box.top)), []).append(c)
    for k, upper in cells:
        # Across a page break the rest is in the first row of the next part.
        at_foot = k + 1 < len(parts) and upper.box.bottom >= parts[k].bbox.bottom - GRID_TOLERANCE
        if not (upper.spread or (upper.full and at_foot)):
            continue
        same_part = [c for c in parts[k].cells if _stacked(upper, c)] if upper.spread else []
        nxt = parts[k + 1].cells if at_foot else []
        first_top = min((c.box.top for c in nxt), default=0.0)
        below = same_part or [c for c in nxt if abs(c.box.top - first_top) <= GRID_TOLERANCE and _same_column(upper, c)]
        if len(below) != 1 or not below[0].text.strip():
            continue
        lower = below[0]
        row = rows[(k if lower in same_part else k + 1, round(lower.box.top))]
        if any(c.text.strip() for c in row if c is not lower) or parse_amount(lower.text.strip()) is not None:
            continue
        if not upper.spread and _ITEM_START.match(lower.text):
            continue  # a full line at the page foot, then the next item (九、…): nothing was cut
        upper.text += lower.text.strip()
        lower.text = ""


_ITEM_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|其中)")


def _same_column(a: PartCell, b: PartCell) -> bool:
    return abs(a.box.x0 - b.box.x0) <= GRID_TOLERANCE and abs(a.box.x1 - b.box.x1) <= GRID_TOLERANCE


def _stacked(upper: PartCell, lower: PartCell) -> bool:
    return _same_column(upper, lower) and abs(lower.box.top - upper.box.bottom) <= GRID_TOLERANCE


def union_box(boxes: Sequence[Box]) -> Box:
    """Return the smallest box holding all boxes."""
    return Box(
        min(b.x0 for b in boxes),
        min(b.top for b in boxes),
        max(b.x1 for b in boxes),
        max(b.bottom for b in boxes),
    )


def ruled_parts(content: PageContent) -> tuple[list[TablePart], set[int]]:
    """Return the ruled tables of a page as parts, and the indices of glyphs inside them."""
    parts, used = [], set()
    for boxes in find_cell_boxes(content):
        cells, hit = glyphs_to_cells(boxes, content.glyphs)
        parts.extend(split_at_title_cells(TablePart(content.number, union_box(boxes), cells, ruled=True)))
        used |= hit
    return parts, used


def split_at_title_cells(part: TablePart) -> list[TablePart]:
    """Split a ruled part where a cell across the grid holds a table title: two tables in one frame.

    Spreadsheet exports draw the rest of one table (its totals rows, say) and the next table,
    title row included, as one ruled grid; read whole, the rows above the title could not be
    seen as the continuation they are.
    """
    width = part.bbox.x1 - part.bbox.x0
    cuts = sorted(
        {
            c.box.top
            for c in part.cells
            if c.box.top > part.bbox.top + GRID_TOLERANCE
            and c.box.x1 - c.box.x0 >= 0.6 * width
            and any(match_report_title(line) for line in c.text.split("\n"))
        }
    )
    if not cuts:
        return [part]
    groups: list[list[PartCell]] = [[] for _ in range(len(cuts) + 1)]
    for c in part.cells:
        k = bisect.bisect_right(cuts, c.box.top + GRID_TOLERANCE)
        if k < len(cuts) and c.box.bottom > cuts[k] + GRID_TOLERANCE:
            return [part]  # a cell straddles a cut: not two tables after all
        groups[k].append(c)
    pieces = [TablePart(part.page, union_box([c.box for c in g]), g, ruled=True) for g in groups if g]
    return pieces


# --- grid ----------------------------------------------------------------------------------


def parts_to_grid(parts: Sequence[TablePart]) -> list[list[RawCell]]:
    """Return one rectangular grid for the parts of a table, columns aligned by x position.

    Grid columns are the distinct vertical boundaries of all parts; rows are each part's
    distinct horizontal boundaries in order. A merged cell holds its text in the top-left
    position with colspan/rowspan; the positions it covers hold blank cells.
    """
    xs = cluster_values([v for p in parts for c in p.cells for v in (c.box.x0, c.box.x1)], GRID_TOLERANCE)
    ncols = max(len(xs) - 1, 1)
    grid: list[list[RawCell]] = []
    for part in parts:
        ys = cluster_values([v for c in part.cells for v in (c.box.top, c.box.bottom)], GRID_TOLERANCE)
        nrows = max(len(ys) - 1, 1)
        block: list[list[RawCell | None]] = [[None] * ncols for _ in range(nrows)]
        for cell in sorted(part.cells, key=lambda c: (c.box.top, c.box.x0)):
            c0, c1 = nearest_index(xs, cell.box.x0), nearest_index(xs, cell.box.x1)
            r0, r1 = nearest_index(ys, cell.box.top), nearest_index(ys, cell.box.bottom)
            c1, r1 = max(c1, c0 + 1), max(r1, r0 + 1)
            c0, r0 = min(c0, ncols - 1), min(r0, nrows - 1)
            if block[r0][c0] is not None:
                continue  # degenerate duplicate cell
            block[r0][c0] = RawCell(cell.text, part.page, None, cell.box, c1 - c0, r1 - r0)
            for r in range(r0, min(r1, nrows)):
                for c in range(c0, min(c1, ncols)):
                    if (r, c) != (r0, c0) and block[r][c] is None:
                        block[r][c] = RawCell("", part.page, None, slot_box(xs, ys, r, c))
        for r in range(nrows):
            grid.append(
                [
                    cell if cell is not None else RawCell("", part.page, None, slot_box(xs, ys, r, c))
                    for c, cell in enumerate(block[r])
                ]
            )
    return grid


def slot_box(xs: Sequence[float], ys: Sequence[float], r: int, c: int) -> Box:
    """Return the box of grid position (r, c)."""
    return Box(
        xs[min(c, len(xs) - 2)],
        ys[min(r, len(ys) - 2)],
        xs[min(c + 1, len(xs) - 1)],
        ys[min(r + 1, len(ys) - 1)],
    )


def columns_match(prev: TablePart, part: TablePart, tolerance: float = 3.0) -> bool:
    """Tell whether a part's column boundaries line up with the previous part's (continuation)."""
    a, b = prev.x_edges(), part.x_edges()
    if not a or not b:
        return False
    matched = sum(1 for x in b if min(abs(x - y) for y in a) <= tolerance)
    return matched >= 0.8 * len(b) and abs(a[0] - b[0]) <= tolerance and abs(a[-1] - b[-1]) <= tolerance


# --- unruled fallback ----------------------------------------------------------------------


def is_data_row(runs: Sequence[Sequence[Glyph]]) -> bool:
    """Tell whether a row of word runs holds a printed amount or code (a data row)."""
    for run in runs:
        text = "".join(g.text for g in run if g.text.strip())
        amount = parse_amount(text)
        if amount is not None and not amount.blank:
            return True
    return False


def _run_box(run: Sequence[Glyph]) -> Box:
    return Box(
        min(g.x0 for g in run), min(g.top for g in run), max(g.x1 for g in run), max(g.bottom for g in run)
    )


def column_bounds(rows: Sequence[Sequence[Sequence[Glyph]]]) -> list[float]:
    """Return column boundaries from the x-projections of word runs (union of overlapping ones)."""
    spans = sorted((min(g.x0 for g in run), max(g.x1 for g in run)) for runs in rows for run in runs)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    bounds = [merged[0][0]] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(merged)]
    return [*bounds, merged[-1][1]]


def unruled_part(page: int, lines: Sequence[Line]) -> TablePart | None:
    """Build a table part from text lines without rulings; None when they do not form a table.

    Columns come from the leaf header row (the row just above the first data row) and the
    data rows; the rows above the leaf header are group headings, each spanning the columns
    that hold at least a quarter of its width.
    """
    rows = [line_segments(line) for line in lines]
    if len(rows) < 2:
        return None
    first_data = next((i for i, runs in enumerate(rows) if is_data_row(runs)), len(rows))
    leaf = max(first_data - 1, 0)
    xs = column_bounds(rows[leaf:])
    if len(xs) < 3:
        return None
    centres = [(a + b) / 2 for a, b in itertools.pairwise(xs)]
    ys = [lines[0].top] + [(a.bottom + b.top) / 2 for a, b in itertools.pairwise(lines)] + [lines[-1].bottom]
    cells: list[PartCell] = []
    for r, runs in enumerate(rows):
        top, bottom = ys[r], ys[r + 1]
        taken: dict[int, tuple[int, list[str]]] = {}
        for run in runs:
            box = _run_box(run)
            ov = [overlap(box.x0, box.x1, xs[i], xs[i + 1]) for i in range(len(centres))]
            if r < leaf:  # a heading covers every column holding a fair share of it
                cols = [i for i, v in enumerate(ov) if v >= 0.25 * (box.x1 - box.x0)]
            else:  # a data word belongs to the column it overlaps most
                best = max(range(len(ov)), key=lambda i: ov[i])
                cols = [best] if ov[best] > 0 else []
            cols = cols or [nearest_index(centres, (box.x0 + box.x1) / 2)]
            c0, c1 = cols[0], cols[-1] + 1
            text = "".join(g.text for g in run).strip()
            if c0 in taken:
                taken[c0][1].append(text)
            else:
                taken[c0] = (c1, [text])
        for c0, (c1, texts) in taken.items():
            cells.append(PartCell(Box(xs[c0], top, xs[c1], bottom), " ".join(texts)))
        covered = {c for c0, (c1, _) in taken.items() for c in range(c0, c1)}
        cells.extend(
            PartCell(Box(xs[c], top, xs[c + 1], bottom), "") for c in range(len(centres)) if c not in covered
        )
    bbox = Box(xs[0], ys[0], xs[-1], ys[-1])
    return TablePart(page, bbox, cells, ruled=False)


def glyph_ids(lines: Sequence[Line], glyphs: Sequence[Glyph]) -> set[int]:
    """Return the indices in `glyphs` of the glyphs making up `lines`."""
    wanted = {id(g) for line in lines for g in line.glyphs}
    return {i for i, g in enumerate(glyphs) if id(g) in wanted}
