"""Open a PDF safely and turn each page into glyphs and ruling edges.

Two engines produce the same `PageContent`: pypdfium2 (default, fast: PDFium parses the
content streams in C) and pdfplumber/pdfminer (the reference, about 10× slower). Table
finding downstream is pdfplumber's ruling-line algorithm in both cases, fed with these edges.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from juesuan.errors import ReportError
from juesuan.read.pdf_layout import Glyph

Engine = Literal["pdfium", "pdfplumber"]

ENCRYPTED = "encrypted PDF: cannot read it without the password"
NO_TEXT = "no text layer (image-only PDF?): OCR is not supported"
# Share of the font size above / below the baseline given to a glyph box.
ASCENT, DESCENT = 0.85, 0.15
# Tolerance (pt) under which a segment counts as exactly horizontal or vertical.
AXIS_TOLERANCE = 0.5


def unreadable(detail: str) -> str:
    """Return the reason text for a file that is not a readable PDF."""
    return f"not a readable PDF: {detail}"


@dataclass(slots=True)
class PageContent:
    """What the reader needs from one page: size, glyphs and ruling edges (pdfplumber edge dicts)."""

    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    edges: list[dict[str, Any]]


def check_bytes(path: Path, data: bytes) -> None:
    """Raise ReportError for bytes that cannot be a complete PDF (garbage, truncated)."""
    if not data:
        raise ReportError(path, unreadable("empty file"))
    if b"%PDF-" not in data[:1024]:
        raise ReportError(path, unreadable("no %PDF- header"))
    if b"%%EOF" not in data[-2048:]:
        # PDFium silently repairs truncated files; a missing end marker means pages may be lost.
        raise ReportError(path, unreadable("truncated file (no %%EOF marker at the end)"))


def open_pdfium(path: Path, data: bytes) -> pdfium.PdfDocument:
    """Open bytes with PDFium, mapping failures to the reader's ReportError reasons."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise ReportError(path, ENCRYPTED) from None
        raise ReportError(path, unreadable(str(e))) from None


def count_pages(path: Path, data: bytes) -> int:
    """Return the page count of PDF bytes (checked and opened as for reading)."""
    check_bytes(path, data)
    doc = open_pdfium(path, data)
    try:
        return len(doc)
    finally:
        doc.close()


# --- PDFium engine -------------------------------------------------------------------------


def _matrix(obj: Any) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """Return the matrix applying `inner` first, then `outer`."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_points(obj: Any, m: tuple[float, ...]) -> list[list[tuple[float, float]]]:
    """Return the subpaths of a path object as point lists in page space (curves flattened to ends)."""
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = m
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        p = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([p])
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(p)
        else:  # a Bézier piece is never a ruling: break the polyline there
            subpaths.append([p])
        if pdfium_c.FPDFPathSegment_GetClose(seg) and len(subpaths[-1]) > 1:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


Flip = Callable[[float, float], tuple[float, float]]


def display_flip(rotation: int, mediabox: tuple[float, float, float, float]) -> tuple[Flip, float, float]:
    """Return a map from PDF user space to displayed top-left coordinates, and the display size.

    Matches pdfminer, which turns /Rotate into the page's CTM, so both engines agree on
    rotated pages.
    """
    left, bottom, right, top = mediabox
    w, h = right - left, top - bottom
    if rotation == 90:
        return (lambda x, y: (y - bottom, x - left)), h, w
    if rotation == 180:
        return (lambda x, y: (right - x, y - bottom)), w, h
    if rotation == 270:
        return (lambda x, y: (top - y, right - x)), h, w
    return (lambda x, y: (x - left, top - y)), w, h


def segment_to_edge(p0: tuple[float, float], p1: tuple[float, float]) -> dict[str, Any] | None:
    """Return a pdfplumber-style edge for an axis-aligned segment (display coords), None otherwise."""
    (x0, t0), (x1, t1) = p0, p1
    if abs(x0 - x1) <= AXIS_TOLERANCE:
        orientation = "v"
        x0 = x1 = (x0 + x1) / 2
    elif abs(t0 - t1) <= AXIS_TOLERANCE:
        orientation = "h"
        t0 = t1 = (t0 + t1) / 2
    else:
        return None
    top, bottom = min(t0, t1), max(t0, t1)
    left, right = min(x0, x1), max(x0, x1)
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": left,
        "x1": right,
        "top": top,
        "bottom": bottom,
        "width": right - left,
        "height": bottom - top,
    }


def _iter_paths(
    container: Any, is_form: bool, m: tuple[float, ...]
) -> Iterator[tuple[Any, tuple[float, ...]]]:
    """Yield (path object, page matrix) for every path, descending into form XObjects."""
    count = (
        pdfium_c.FPDFFormObj_CountObjects(container) if is_form else pdfium_c.FPDFPage_CountObjects(container)
    )
    for i in range(count):
        obj = (
            pdfium_c.FPDFFormObj_GetObject(container, i)
            if is_form
            else pdfium_c.FPDFPage_GetObject(container, i)
        )
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj, _compose(_matrix(obj), m)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _iter_paths(obj, True, _compose(_matrix(obj), m))


def pdfium_edges(page: pdfium.PdfPage, flip: Flip) -> list[dict[str, Any]]:
    """Return every axis-aligned straight piece of every path on the page as an edge."""
    edges = []
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for obj, m in _iter_paths(page.raw, False, identity):
        for pts in _path_points(obj, m):
            shown = [flip(x, y) for x, y in pts]
            for p0, p1 in itertools.pairwise(shown):
                edge = segment_to_edge(p0, p1)
                if edge is not None:
                    edges.append(edge)
    return edges


def pdfium_glyphs(page: pdfium.PdfPage, flip: Flip) -> list[Glyph]:
    """Return the page's printed characters (generated spaces and line breaks left out)."""
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        glyphs = []
        rect = pdfium_c.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        m = pdfium_c.FS_MATRIX()
        for i in range(pdfium_c.FPDFText_CountChars(tp)):
            code = pdfium_c.FPDFText_GetUnicode(tp, i)
            if code < 32 or pdfium_c.FPDFText_IsGenerated(tp, i) == 1:
                continue
            pdfium_c.FPDFText_GetLooseCharBox(tp, i, rect)
            pdfium_c.FPDFText_GetCharOrigin(tp, i, ox, oy)
            # The font size is given before the text matrix (WPS sets 209 pt scaled by 0.05).
            pdfium_c.FPDFText_GetMatrix(tp, i, m)
            size = (
                pdfium_c.FPDFText_GetFontSize(tp, i) * math.hypot(m.c, m.d)
                or abs(rect.top - rect.bottom)
                or 1.0
            )
            _, base = flip(ox.value, oy.value)
            xa, _ = flip(rect.left, rect.bottom)
            xb, _ = flip(rect.right, rect.top)
            x0, x1 = min(xa, xb), max(xa, xb)
            glyphs.append(Glyph(chr(code), x0, base - ASCENT * size, x1, base + DESCENT * size, size))
        return glyphs
    finally:
        textpage.close()


def pdfium_page_content(doc: pdfium.PdfDocument, index: int) -> PageContent:
    """Return the content of page `index` (0-based) read with PDFium."""
    page = doc[index]
    try:
        flip, width, height = display_flip(page.get_rotation(), page.get_mediabox())
        return PageContent(index + 1, width, height, pdfium_glyphs(page, flip), pdfium_edges(page, flip))
    finally:
        page.close()


# --- pdfplumber engine ---------------------------------------------------------------------


def plumber_page_content(page: Any) -> PageContent:
    """Return the content of a pdfplumber page (the slow reference engine)."""
    glyphs = []
    for c in page.chars:
        if c["text"] and ord(c["text"][0]) < 32:
            continue
        size = float(c["size"]) or 1.0
        # top + y1 is the page height in pdfplumber's flip; the matrix holds the baseline origin.
        base = float(c["top"]) + float(c["y1"]) - float(c["matrix"][5])
        glyphs.append(
            Glyph(
                c["text"], float(c["x0"]), base - ASCENT * size, float(c["x1"]), base + DESCENT * size, size
            )
        )
    edges = [e for e in page.edges if e.get("orientation") in ("h", "v")]
    return PageContent(page.page_number, float(page.width), float(page.height), glyphs, edges)


@contextmanager
def open_plumber(path: Path, data: bytes) -> Iterator[Any]:
    """Open bytes with pdfplumber, mapping failures to ReportError."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many unrelated types for broken files
        if "password" in type(e).__name__.lower() or "encrypt" in str(e).lower():
            raise ReportError(path, ENCRYPTED) from None
        raise ReportError(path, unreadable(f"{type(e).__name__}: {e}")) from None
    try:
        yield pdf
    finally:
        pdf.close()


def iter_page_contents(path: Path, data: bytes, engine: Engine = "pdfium") -> Iterator[PageContent]:
    """Yield every page's content in order with the chosen engine; raise ReportError on bad files."""
    check_bytes(path, data)
    doc = open_pdfium(path, data)  # also the encryption and structure check for both engines
    try:
        if engine == "pdfium":
            for i in range(len(doc)):
                try:
                    yield pdfium_page_content(doc, i)
                except pdfium.PdfiumError as e:
                    raise ReportError(path, unreadable(str(e)), page=i + 1) from None
            return
    finally:
        doc.close()
    with open_plumber(path, data) as pdf:
        for page in pdf.pages:
            try:
                yield plumber_page_content(page)
            except Exception as e:
                raise ReportError(
                    path, unreadable(f"{type(e).__name__}: {e}"), page=page.page_number
                ) from None
            finally:
                page.close()
