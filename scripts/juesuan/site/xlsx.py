"""Write workbooks: sheet XML made from the package's text with Arrow kernels, and a small SpreadsheetML writer.

The downloads (the corpus workbook, one per report) are written by workbooks.py. One sheet per resource of the written package, headed by the fields' Chinese titles as the
package's descriptor gives them (generated from the field dictionary); amounts stay numbers
(exact Decimals), text is written as string cells (spreadsheet.py's formula-injection policy for XLSX: text is never a formula).
The workbooks are reproducible: fixed ZIP timestamps, no document dates.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from juesuan.fsutil import write_file_if_changed
from juesuan.site.load import Package, string_values
from juesuan.spreadsheet import value_to_text

CORPUS_XLSX = "juesuan-data.xlsx"
REPORTS_DIR = "xlsx"
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_XML_BATCH = 65_536
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HASHES = ".content-hashes.json"  # workbook name → hashes of its inputs and of its bytes (a dot file: MkDocs does not publish it)
FORMAT = 5  # bump when the XML a workbook is written as, or how it is compressed, changes
# The corpus workbook is deflated at level 1: at 1,000 reports it holds some 900 MB of XML,
# which level 1 deflates 3.4 times as fast as the default 6, for 1.4 times the bytes.
CORPUS_LEVEL = 1
REPORT_LEVEL = 6


def report_xlsx(report_id: str) -> str:
    """Return the path of a report's workbook, relative to the downloads folder."""
    return f"{REPORTS_DIR}/{report_id}.xlsx"


def _sheet_name(title: str, name: str, used: set[str]) -> str:
    """Return a valid, unique sheet name: the resource's Chinese title, else its name."""
    candidate = title if title and len(title) <= 31 and not _BAD_SHEET_CHARS.search(title) else name[:31]
    while candidate in used:
        candidate = candidate[:28] + f"_{len(used)}"
    used.add(candidate)
    return candidate


@dataclass(slots=True)
class Sheet:
    """One sheet: its header row's XML and its data rows' XML (`<row>…</row>` each, an Arrow string array)."""

    header: str
    rows: pa.ChunkedArray

    def __len__(self) -> int:
        return len(self.rows)

    def slice(self, start: int, length: int) -> Sheet:
        """Return the sheet of rows [start, start + length)."""
        return Sheet(self.header, self.rows.slice(start, length))

    def most_bytes(self) -> int:
        """Return a bound on the sheet's XML size."""
        return len(self.header) * 4 + self.rows.nbytes + 100

    def xml(self) -> Iterator[pa.Array]:
        """Yield the rows' XML, a chunk at a time."""
        yield from self.rows.chunks


def _resources(package: Package) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """Yield (resource, sheet name, fields) for every resource the package holds."""
    used: set[str] = set()
    for res in package.descriptor.get("resources", []):
        name = res["name"]
        if package.has(name):
            yield name, _sheet_name(res.get("title") or "", name, used), res.get("schema", {}).get("fields", [])


# Excel's limits: rows per sheet (one is the header), characters per cell.
MAX_ROWS = 1_048_576
MAX_CELL = 32_767
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL_XML_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"  # the same class, for Arrow's RE2
_CELL_TAGS = '<c t="inlineStr"><is><t xml:space="preserve"></t></is></c>'  # the longest markup around a cell's text
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_STYLES = (
    f'<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _escape(text: str) -> str:
    text = _ILLEGAL_XML.sub("", text)[:MAX_CELL]
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(value: Any) -> str:
    """Return one cell's XML: numbers as numbers, booleans as booleans, all else an inline string.

    Text is never written as a formula (spreadsheet.py's policy for XLSX): an inline string
    shows `=100%` as printed, with no prefix. Cells and rows carry no `r` reference (they are
    placed in order, an empty cell as `<c/>`), so one row's XML serves in the corpus workbook
    and in its report's workbook alike.
    """
    if value is None:
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (Decimal, int, float)):
        return f"<c><v>{value_to_text(value)}</v></c>"
    return f'<c t="inlineStr"><is><t xml:space="preserve">{_escape(str(value))}</t></is></c>'


def _row(values: Iterable[Any]) -> str:
    return f"<row>{''.join(map(_cell, values))}</row>"


def _text(value: str) -> pa.Scalar:
    """Return a large-string scalar (Arrow's kernels want one string type throughout)."""
    return pa.scalar(value, pa.large_string())


def _cells_xml(text: pa.Array, type_: str) -> pa.Array:
    """Return each cell's XML, as `_cell` writes it, from a column of the CSV's text.

    Vectorized (Arrow compute): a corpus of 1,000 reports has some 20 million cells. The CSV
    already prints numbers as `_cell` would (exact decimals, no exponent).
    """
    col = text.cast(pa.large_string())
    if type_ in ("number", "integer"):
        filled = pc.binary_join_element_wise(_text("<c><v>"), col, _text("</v></c>"), _text(""))
    elif type_ == "boolean":
        truthy = pc.is_in(pc.utf8_lower(pc.utf8_trim_whitespace(col)), value_set=pa.array(["true", "1", "yes"], pa.large_string()))
        filled = pc.if_else(truthy, _text('<c t="b"><v>1</v></c>'), _text('<c t="b"><v>0</v></c>'))
    else:
        clean = pc.utf8_slice_codeunits(pc.replace_substring_regex(col, _ILLEGAL_XML_RE2, ""), 0, MAX_CELL)
        for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            clean = pc.replace_substring(clean, char, entity)
        filled = pc.binary_join_element_wise(_text('<c t="inlineStr"><is><t xml:space="preserve">'), clean, _text("</t></is></c>"),
                                             _text(""))
    return pc.if_else(pc.equal(col, _text("")), _text("<c/>"), filled)


def rows_xml_batches(table: pa.Table, types: Sequence[str]) -> Iterator[pa.Array]:
    """Yield one `<row>…</row>` per row of a table of CSV text, the columns typed by `types`, a batch at a time.

    A batch at a time, so that the cells' XML of a whole column never sits in memory beside the rows'.
    """
    for batch in table.to_batches(max_chunksize=_XML_BATCH):
        cells = [_cells_xml(batch.column(i), t) for i, t in enumerate(types)]
        yield pc.binary_join_element_wise(_text("<row>"), *cells, _text("</row>"), _text(""))


def rows_xml(table: pa.Table, types: Sequence[str]) -> pa.ChunkedArray:
    """Return one `<row>…</row>` per row of a table of CSV text, the columns typed by `types`."""
    return pa.chunked_array(list(rows_xml_batches(table, types)), type=pa.large_string())


def _buffers(rows: Iterable[pa.Array]) -> Iterator[memoryview]:
    """Yield the values of string arrays run together, a chunk's data buffer at a time (no copy)."""
    for chunk in rows:
        if len(chunk):
            bounds, data = string_values(chunk)
            yield data[int(bounds[0]):int(bounds[-1])]


def _sheet_xml(sheet: Sheet) -> Iterator[bytes | memoryview]:
    """Yield a sheet's XML in pieces (a corpus sheet is hundreds of MB: made and written a batch at a time)."""
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetData>{sheet.header}'
    yield head.encode("utf-8")
    yield from _buffers(sheet.xml())
    yield b"</sheetData></worksheet>"


def _split(sheets: dict[str, Sheet]) -> list[tuple[str, Sheet]]:
    """Split a sheet past Excel's row limit into `名称 (2)`, `名称 (3)` …"""
    out = []
    size = MAX_ROWS - 1
    for name, sheet in sheets.items():
        chunks = [sheet.slice(i, size) for i in range(0, len(sheet), size)] or [sheet]
        for i, chunk in enumerate(chunks, start=1):
            out.append((name if i == 1 else f"{name[:26]} ({i})", chunk))
    return out


def write_xlsx(path: Path, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """Write a reproducible workbook (fixed timestamps), one sheet per entry, atomically."""
    write_sheets(path, {name: Sheet(_row(header), pa.chunked_array([[_row(r) for r in rows]], pa.large_string()))
                        for name, (header, rows) in sheets.items()})


def _workbook_files(sheet_names: list[str]) -> dict[str, bytes]:
    """Return a workbook's files but its sheets: content types, relationships, the sheet list, styles."""
    count = len(sheet_names)
    sheet_list = "".join(f'<sheet name="{_escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(sheet_names, start=1))
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, count + 1))
            + "</Types>").encode(),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS}" xmlns:r="{_REL}">'
            f"<sheets>{sheet_list}</sheets></workbook>").encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, count + 1))
            + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>").encode(),
        "xl/styles.xml": ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + _STYLES).encode(),
    }


def write_sheets(path: Path, sheets: dict[str, Sheet], level: int = REPORT_LEVEL) -> None:
    """Write a workbook of XML sheets deflated at `level`, atomically; a file that holds these bytes already is kept (its mtime stays).

    A small SpreadsheetML writer: openpyxl (used by tests to read the files back) takes
    ~50 µs a cell to write, too slow for a corpus of 1,000 reports. The ZIP is streamed into a
    temporary file beside `path`, a sheet a batch of rows at a time.
    """
    parts = _split(sheets)
    files = _workbook_files([n for n, _ in parts])

    sizes = {f"xl/worksheets/sheet{i}.xml": sheet.most_bytes() for i, (_, sheet) in enumerate(parts, start=1)}

    def fill(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            entries: list[tuple[str, Iterable[bytes | memoryview]]] = [(n, [d]) for n, d in files.items()]
            entries += [(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheet)) for i, (_, sheet) in enumerate(parts, start=1)]
            for name, pieces in entries:
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info._compresslevel = level  # type: ignore[attr-defined]  # ZipFile.open reads it (compress_level from 3.13)
                info.external_attr = 0o644 << 16
                # ZIP64 must be asked for before a streamed entry's size is known: when it may pass the limit.
                with zf.open(info, "w", force_zip64=sizes.get(name, 0) > zipfile.ZIP64_LIMIT) as entry:
                    for piece in pieces:
                        entry.write(piece)

    write_file_if_changed(path, fill)


def _header(fields: list[dict[str, Any]]) -> str:
    return _row(f.get("title") or f["name"] for f in fields)


def _per_report(fields: list[dict[str, Any]]) -> bool:
    """Tell whether a resource's rows belong to reports (it has report_id) or to the corpus."""
    return any(f["name"] == "report_id" for f in fields)


def _text_table(package: Package, resource: str, fields: list[dict[str, Any]]) -> tuple[pa.Table, list[str]]:
    """Return a resource's fields as the CSV's text, and their types."""
    return package.text_table(resource, [f["name"] for f in fields]), [f.get("type", "string") for f in fields]
