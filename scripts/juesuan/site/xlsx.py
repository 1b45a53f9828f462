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

from juesuan.fsutil import write_bytes_if_changed
from juesuan.site.load import Package
from juesuan.spreadsheet import value_to_text

CORPUS_XLSX = "juesuan-data.xlsx"
REPORTS_DIR = "xlsx"
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
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
    """One sheet as XML rows: its header row and its data rows (`<row>…</row>` each)."""

    header: str
    rows: list[str]


def _resources(package: Package) -> Iterator[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """Yield (sheet name, fields, rows) for every resource the package holds."""
    used: set[str] = set()
    for res in package.descriptor.get("resources", []):
        name = res["name"]
        if package.has(name):
            yield _sheet_name(res.get("title") or "", name, used), res.get("schema", {}).get("fields", []), package.rows(name)


# Excel's limits: rows per sheet (one is the header), characters per cell.
MAX_ROWS = 1_048_576
MAX_CELL = 32_767
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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


def _column(n: int) -> str:
    """Return the Excel column letters of 0-based column `n` (0 → A, 26 → AA)."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


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


def _sheet_xml(sheet: Sheet) -> bytes:
    return "".join((
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetData>',
        sheet.header, *sheet.rows, "</sheetData></worksheet>",
    )).encode("utf-8")


def _split(sheets: dict[str, Sheet]) -> list[tuple[str, Sheet]]:
    """Split a sheet past Excel's row limit into `名称 (2)`, `名称 (3)` …"""
    out = []
    size = MAX_ROWS - 1
    for name, sheet in sheets.items():
        chunks = [sheet.rows[i:i + size] for i in range(0, len(sheet.rows), size)] or [[]]
        for i, chunk in enumerate(chunks, start=1):
            out.append((name if i == 1 else f"{name[:26]} ({i})", Sheet(sheet.header, chunk)))
    return out


def write_xlsx(path: Path, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """Write a reproducible workbook (fixed timestamps), one sheet per entry, atomically."""
    write_sheets(path, {name: Sheet(_row(header), [_row(r) for r in rows]) for name, (header, rows) in sheets.items()})


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
    for i, (_, sheet) in enumerate(parts, start=1):
        files[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheet)
    digest = hashlib.sha256(f"{FORMAT}".encode())
    for name, data in files.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    content = digest.hexdigest()
    if known is not None and (last := known.get(path.name, "").split()) and last[0] == content \
            and path.is_file() and _file_sha256(path) == last[-1]:
        return " ".join(last)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    data = buffer.getvalue()
    write_bytes_if_changed(path, data)
    return f"{content} {hashlib.sha256(data).hexdigest()}"


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_workbooks(package: Package, downloads: Path) -> list[Path]:
    """Write the corpus workbook and one per report into `downloads`; return them.

    Each data row is turned into XML once, for the corpus workbook and its report's alike. The
    content hashes of the workbooks are kept in `xlsx/{HASHES}` for the next build.
    """
    folder = downloads / REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    known = _read_hashes(folder / HASHES)
    hashes: dict[str, str] = {}
    corpus: dict[str, Sheet] = {}
    by_report: dict[str, dict[str, Sheet]] = {}
    report_ids = [str(r["report_id"]) for r in package.rows("reports")]
    for name, fields, rows in _resources(package):
        header = _row(f.get("title") or f["name"] for f in fields)
        names = [f["name"] for f in fields]
        xml = [_row(r.get(n) for n in names) for r in rows]
        corpus[name] = Sheet(header, xml)
        if "report_id" not in names:  # a corpus-wide resource: whole in every report's workbook
            for rid in report_ids if rows else []:
                by_report.setdefault(rid, {})[name] = corpus[name]
            continue
        grouped: dict[str, list[str]] = {}
        for r, row_xml in zip(rows, xml, strict=True):
            grouped.setdefault(str(r.get("report_id")), []).append(row_xml)
        for rid in report_ids:
            if rid in grouped:
                by_report.setdefault(rid, {})[name] = Sheet(header, grouped[rid])
    written = [downloads / CORPUS_XLSX]
    hashes[CORPUS_XLSX] = write_sheets(written[0], corpus, known)
    for rid in report_ids:
        path = downloads / report_xlsx(rid)
        hashes[path.name] = write_sheets(path, by_report.get(rid, {}), known)
        written.append(path)
    write_bytes_if_changed(folder / HASHES, json.dumps(hashes, sort_keys=True, indent=0).encode())
    return [*written, folder / HASHES]


def _read_hashes(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
