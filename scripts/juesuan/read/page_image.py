"""Render PDF pages as images, for the site's cell maps (the read stage owns PDFium).

A page is drawn as displayed (its /Rotate applied), so the stored cell boxes (PDF points from
the displayed page's top left, see `pdf_source.display_flip`) land on it at `scale` pixels a
point. A page whose crop box is not its media box is not rendered: its boxes are measured
from the media box, which the image would not show.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from juesuan.read.pdf_source import display_flip

SCALE = 1.5  # pixels per PDF point: 893 × 1263 for an A4 page, legible, ~60 kB as grey PNG


@dataclass(frozen=True)
class PageImage:
    """One rendered page: a PNG and the page's displayed size in PDF points."""

    png: bytes
    width: float
    height: float


def render_pages(path: Path, pages: Iterable[int], scale: float = SCALE) -> dict[int, PageImage]:
    """Return each page (1-based) of the PDF that renders, as a grey PNG; pages that do not are left out.

    The file was read once already (its boxes are in the package); a page that fails to
    render now (a file changed or damaged since) gets no image rather than stopping the build.
    """
    out: dict[int, PageImage] = {}
    try:
        doc = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return out
    try:
        for number in sorted(set(pages)):
            if not 1 <= number <= len(doc):
                continue
            page = doc[number - 1]
            try:
                if tuple(page.get_cropbox()) != tuple(page.get_mediabox()):
                    continue
                _flip, width, height = display_flip(page.get_rotation(), page.get_mediabox())
                image = page.render(scale=scale, grayscale=True).to_pil()
                buffer = io.BytesIO()
                image.save(buffer, format="PNG", optimize=True)
                out[number] = PageImage(buffer.getvalue(), width, height)
            except pdfium.PdfiumError:
                continue
            finally:
                page.close()
    finally:
        doc.close()
    return out
