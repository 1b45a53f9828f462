"""Read stage: turn a report file (PDF or text export) into a RawReport."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from juesuan.errors import ReportError
from juesuan.model import RawReport

MB = 1024 * 1024


@dataclass(frozen=True)
class InputLimits:
    """How large an input may be before it is refused as no real report.

    Real 部门决算 reports run to 20–100 pages; their PDFs are a few MB (the corpus's largest is
    3.7 MB, with scanned attachments some reach tens of MB) and their text exports well under
    1 MB (Fuzhou: 57 KB). The limits leave a wide margin; `--max-size`/`--max-pages` raise them.
    """

    pdf_bytes: int = 200 * MB
    text_bytes: int = 20 * MB
    pages: int = 1000

    def with_overrides(self, max_size_mb: float | None = None, max_pages: int | None = None) -> InputLimits:
        """Return these limits with the command line's overrides (one size for both kinds)."""
        size = int(max_size_mb * MB) if max_size_mb is not None else None
        return InputLimits(
            pdf_bytes=size if size is not None else self.pdf_bytes,
            text_bytes=size if size is not None else self.text_bytes,
            pages=max_pages if max_pages is not None else self.pages,
        )


DEFAULT_LIMITS = InputLimits()


def _too_large(path: Path, size: int, limit: int, kind: str) -> ReportError:
    return ReportError(
        path,
        f"{size / MB:.1f} MB, more than the {limit / MB:.3g} MB any real {kind} comes near; "
        f"pass --max-size {max(1, int(size / MB) + 1)} to read it anyway",
    )


def read_report(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> RawReport:
    """Read one report file, choosing the reader by its content (not its name).

    Refuses (ReportError) a file beyond `limits` before reading it.
    """
    path = Path(path)
    if not path.is_file():
        raise ReportError(path, "no such file")
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(1024)
    if not head:
        raise ReportError(path, "empty file")
    if b"%PDF-" in head:
        if size > limits.pdf_bytes:
            raise _too_large(path, size, limits.pdf_bytes, "report PDF")
        from juesuan.read.pdf import read_pdf  # imported here: the only door to pdfplumber

        return read_pdf(path, max_pages=limits.pages)
    if path.suffix.lower() == ".pdf":
        raise ReportError(path, "not a readable PDF: no PDF header")
    if size > limits.text_bytes:
        raise _too_large(path, size, limits.text_bytes, "report's text export")
    from juesuan.read.text import read_text

    return read_text(path)
