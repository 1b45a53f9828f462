"""Page geometry for the PDF reader: glyphs, lines rebuilt from glyph positions, value clustering.

Everything here is pure geometry on plain dataclasses, independent of the PDF library, so it is
cheap to test (hypothesis) and the same whichever engine produced the glyphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from juesuan.model import Box

# A gap wider than this many font sizes between two glyphs of a line separates words/columns.
WORD_GAP_EM = 1.0
# Two glyphs share a line when their vertical spans overlap by at least this share of the smaller.
LINE_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class Glyph:
    """One printed character: text and its box in points, top-left origin.

    The vertical extent is derived from the baseline and the font size (not from font
    metrics), so digits set in a Latin font and CJK text on the same baseline line up.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def xc(self) -> float:
        """Return the horizontal centre."""
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        """Return the vertical centre."""
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    """Glyphs sharing a baseline band, left to right."""

    glyphs: list[Glyph] = field(default_factory=list)
    ref_top: float = 0.0
    ref_bottom: float = 0.0

    @property
    def top(self) -> float:
        """Return the top of the topmost glyph."""
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        """Return the bottom of the lowest glyph."""
        return max(g.bottom for g in self.glyphs)

    @property
    def x0(self) -> float:
        """Return the left edge."""
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        """Return the right edge."""
        return max(g.x1 for g in self.glyphs)

    @property
    def box(self) -> Box:
        """Return the bounding box."""
        return Box(self.x0, self.top, self.x1, self.bottom)

    @property
    def text(self) -> str:
        """Return the text, with one space for printed spaces or wide gaps."""
        return glyphs_to_text(self.glyphs)


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    """Return the length of the overlap of two intervals (0 when disjoint)."""
    return max(0.0, min(a1, b1) - max(a0, b0))


def glyphs_to_text(glyphs: Sequence[Glyph]) -> str:
    """Join left-to-right glyphs into text: printed spaces collapse to one, wide gaps become one."""
    out: list[str] = []
    prev: Glyph | None = None
    pending_space = False
    for g in glyphs:
        if not g.text.strip():
            pending_space = True
            continue
        if prev is not None and (pending_space or g.x0 - prev.x1 > WORD_GAP_EM * max(g.size, prev.size)):
            out.append(" ")
        out.append(g.text)
        prev, pending_space = g, False
    return "".join(out)


def glyphs_to_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """Cluster glyphs into lines by vertical overlap, top to bottom, each left to right.

    A line keeps the span of its first (topmost) glyph as reference, so a line never grows
    into the next one, while digits set a few points lower still join their words.
    """
    lines: list[Line] = []
    for g in sorted(glyphs, key=lambda g: (g.top, g.x0)):
        h = g.bottom - g.top
        target = None
        for line in reversed(lines[-8:]):  # only recent lines can still overlap
            ov = overlap(g.top, g.bottom, line.ref_top, line.ref_bottom)
            if ov >= LINE_OVERLAP * max(min(h, line.ref_bottom - line.ref_top), 0.1):
                target = line
                break
        if target is None:
            lines.append(Line([g], g.top, g.bottom))
        else:
            target.glyphs.append(g)
    for line in lines:
        line.glyphs.sort(key=lambda g: g.x0)
        # Lines made only of spaces carry no text.
    lines = [ln for ln in lines if ln.text.strip()]
    lines.sort(key=lambda ln: ln.ref_top)
    return lines


def line_segments(line: Line, gap_em: float = WORD_GAP_EM) -> list[list[Glyph]]:
    """Split a line into runs of glyphs separated by gaps wider than `gap_em` font sizes."""
    runs: list[list[Glyph]] = []
    prev: Glyph | None = None
    for g in line.glyphs:
        if not g.text.strip():
            continue
        if prev is None or g.x0 - prev.x1 > gap_em * max(g.size, prev.size):
            runs.append([g])
        else:
            runs[-1].append(g)
        prev = g
    return runs


def merge_lines(a: Line, b: Line) -> Line:
    """Return one line holding the glyphs of two lines, left to right (quotes on their own line)."""
    glyphs = sorted([*a.glyphs, *b.glyphs], key=lambda g: g.x0)
    return Line(glyphs, min(a.ref_top, b.ref_top), max(a.ref_bottom, b.ref_bottom))


def cluster_values(values: Iterable[float], tolerance: float) -> list[float]:
    """Return sorted representatives of values, merging those within `tolerance` of the previous."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def nearest_index(values: Sequence[float], v: float) -> int:
    """Return the index of the value nearest to v."""
    return min(range(len(values)), key=lambda i: abs(values[i] - v))


def box_contains_point(box: Box, x: float, y: float, pad: float = 0.0) -> bool:
    """Tell whether a point lies inside a box (grown by `pad`)."""
    return box.x0 - pad <= x <= box.x1 + pad and box.top - pad <= y <= box.bottom + pad
