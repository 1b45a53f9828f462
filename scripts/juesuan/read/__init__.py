"""Read stage: turn a report file (PDF or text export) into a RawReport."""

from __future__ import annotations

from pathlib import Path

from juesuan.errors import ReportError
from juesuan.model import RawReport


def read_report(path: Path) -> RawReport:
    """Read one report file, choosing the reader by its content (not its name)."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(path, "no such file")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if not head:
        raise ReportError(path, "empty file")
    if b"%PDF-" in head:
        from juesuan.read.pdf import read_pdf  # imported here: the only door to pdfplumber

        return read_pdf(path)
    if path.suffix.lower() == ".pdf":
        raise ReportError(path, "not a readable PDF: no PDF header")
    from juesuan.read.text import read_text

    return read_text(path)
