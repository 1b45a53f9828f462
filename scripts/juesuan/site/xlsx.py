"""Write the XLSX downloads: the whole corpus, and one workbook per report.

One sheet per resource of the written package, headed by the fields' Chinese titles as the
package's descriptor gives them (generated from the field dictionary); amounts stay numbers
(exact Decimals), text is written as string cells (spreadsheet.py's formula-injection policy for XLSX: text is never a formula).
The workbooks are reproducible: fixed ZIP timestamps, no document dates.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from juesuan.fsutil import write_bytes_if_changed
from juesuan.site.load import Package
from juesuan.spreadsheet import value_to_text

CORPUS_XLSX = "juesuan-data.xlsx"
REPORTS_DIR = "xlsx"
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_XML_BATCH = 65_536
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HASHES = ".content-hashes.json"  # workbook name → hashes of its XML parts and of its bytes (a dot file: MkDocs does not publish it)
FORMAT = 2  # bump when the XML a workbook is written as changes


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
    """One sheet as XML rows: its header row and its data rows (`<row>…</row>` each, an Arrow string array)."""

    header: str
    rows: pa.ChunkedArray


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


def rows_xml(table: pa.Table, types: Sequence[str]) -> pa.ChunkedArray:
    """Return one `<row>…</row>` per row of a table of CSV text, the columns typed by `types`.

    Made a batch of rows at a time, so that the cells' XML of a whole column never sits in memory
    beside the rows'.
    """
    chunks = []
    for batch in table.to_batches(max_chunksize=_XML_BATCH):
        cells = [_cells_xml(batch.column(i), t) for i, t in enumerate(types)]
        chunks.append(pc.binary_join_element_wise(_text("<row>"), *cells, _text("</row>"), _text("")))
    return pa.chunked_array(chunks, type=pa.large_string())


def _buffers(rows: pa.ChunkedArray) -> Iterator[memoryview]:
    """Yield the values of a string array run together, a chunk's data buffer at a time (no copy)."""
    for chunk in rows.cast(pa.large_string()).chunks:
        if len(chunk) == 0:
            continue
        _validity, offsets, data = chunk.buffers()
        bounds = np.frombuffer(offsets, dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
        yield memoryview(data)[bounds[0]:bounds[-1]]


def _sheet_xml(sheet: Sheet) -> list[bytes | memoryview]:
    """Return a sheet's XML as pieces (the rows stay in Arrow's buffers: a corpus sheet is hundreds of MB)."""
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetData>{sheet.header}'
    return [head.encode("utf-8"), *_buffers(sheet.rows), b"</sheetData></worksheet>"]


def _split(sheets: dict[str, Sheet]) -> list[tuple[str, Sheet]]:
    """Split a sheet past Excel's row limit into `名称 (2)`, `名称 (3)` …"""
    out = []
    size = MAX_ROWS - 1
    for name, sheet in sheets.items():
        chunks = [sheet.rows.slice(i, size) for i in range(0, len(sheet.rows), size)] or [sheet.rows]
        for i, chunk in enumerate(chunks, start=1):
            out.append((name if i == 1 else f"{name[:26]} ({i})", Sheet(sheet.header, chunk)))
    return out


def write_xlsx(path: Path, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """Write a reproducible workbook (fixed timestamps), one sheet per entry, atomically."""
    write_sheets(path, {name: Sheet(_row(header), pa.chunked_array([[_row(r) for r in rows]], pa.large_string()))
                        for name, (header, rows) in sheets.items()})


def write_sheets(path: Path, sheets: dict[str, Sheet], known: dict[str, str] | None = None) -> str:
    """Write a workbook of XML sheets unless `known` holds it already; return its hashes.

    A small SpreadsheetML writer: openpyxl (used by tests to read the files back) takes
    ~50 µs a cell to write, too slow for a corpus of 1,000 reports. `known` maps a file name to
    "content-hash file-sha256" from the last build: a workbook whose parts hash the same and
    whose file still holds the bytes written then is neither compressed again nor rewritten.
    """
    parts = _split(sheets)
    sheet_list = "".join(f'<sheet name="{_escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, (n, _) in enumerate(parts, start=1))
    files: dict[str, bytes] = {
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
                      for i in range(1, len(parts) + 1))
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
                      for i in range(1, len(parts) + 1))
            + f'<Relationship Id="rId{len(parts) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>").encode(),
        "xl/styles.xml": ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + _STYLES).encode(),
    }
    sheets_xml = {f"xl/worksheets/sheet{i}.xml": sheet for i, (_, sheet) in enumerate(parts, start=1)}

    def contents() -> Iterator[tuple[str, list[bytes | memoryview]]]:
        for name, data in files.items():
            yield name, [data]
        for name, sheet in sheets_xml.items():
            yield name, _sheet_xml(sheet)

    digest = hashlib.sha256(f"{FORMAT}".encode())
    for name, pieces in contents():
        part = hashlib.sha256()
        for piece in pieces:
            part.update(piece)
        digest.update(name.encode() + b"\0" + part.digest())
    content = digest.hexdigest()
    if known is not None and (last := known.get(path.name, "").split()) and last[0] == content \
            and path.is_file() and _file_sha256(path) == last[-1]:
        return " ".join(last)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, pieces in contents():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=sum(len(x) for x in pieces) > zipfile.ZIP64_LIMIT) as entry:
                for piece in pieces:
                    entry.write(piece)
    data = buffer.getvalue()
    write_bytes_if_changed(path, data)
    return f"{content} {hashlib.sha256(data).hexdigest()}"


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_workbooks(package: Package, downloads: Path) -> list[Path]:
    """Write the corpus workbook and one per report into `downloads`; return them.

    Each data row is turned into XML once, for the corpus workbook and its report's alike (a
    report's sheet takes its rows out of the corpus sheet). The content hashes of the workbooks
    are kept in `xlsx/{HASHES}` for the next build.
    """
    folder = downloads / REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    known = _read_hashes(folder / HASHES)
    hashes: dict[str, str] = {}
    corpus: dict[str, Sheet] = {}
    groups: dict[str, dict[str, np.ndarray] | None] = {}
    report_ids = [str(r["report_id"]) for r in package.rows("reports")]
    for resource, name, fields in _resources(package):
        names = [f["name"] for f in fields]
        xml = rows_xml(package.text_table(resource, names), [f.get("type", "string") for f in fields])
        corpus[name] = Sheet(_row(f.get("title") or f["name"] for f in fields), xml)
        # A corpus-wide resource (no report_id) is whole in every report's workbook.
        groups[name] = package.report_groups(resource) if "report_id" in names else None
    written = [downloads / CORPUS_XLSX]
    hashes[CORPUS_XLSX] = write_sheets(written[0], corpus, known)
    for rid in report_ids:
        path = downloads / report_xlsx(rid)
        sheets: dict[str, Sheet] = {}
        for name, sheet in corpus.items():
            by_report = groups[name]
            if by_report is None:
                if len(sheet.rows):
                    sheets[name] = sheet
            elif rid in by_report:
                sheets[name] = Sheet(sheet.header, sheet.rows.take(pa.array(by_report[rid])))
        hashes[path.name] = write_sheets(path, sheets, known)
        written.append(path)
    write_bytes_if_changed(folder / HASHES, json.dumps(hashes, sort_keys=True, indent=0).encode())
    return [*written, folder / HASHES]


def _read_hashes(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
