"""Write the XLSX downloads: the whole corpus, and one workbook per report.

One sheet per resource of the written package, headed by the fields' Chinese titles as the
package's descriptor gives them (generated from the field dictionary); amounts stay numbers
(exact Decimals), text is written as string cells (spreadsheet.py's formula-injection policy).
The workbooks are made reproducible: fixed ZIP timestamps and document dates.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from juesuan.site.load import Package
from juesuan.spreadsheet import write_xlsx

CORPUS_XLSX = "juesuan-data.xlsx"
REPORTS_DIR = "xlsx"
_FIXED_DATE = "2024-01-01T00:00:00Z"
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_DOC_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


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


def sheets(package: Package, report_id: str | None = None) -> dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]:
    """Return sheet name → (Chinese header, rows) for every resource (one report's rows when given)."""
    out: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]] = {}
    used: set[str] = set()
    for res in package.descriptor.get("resources", []):
        name = res["name"]
        if not package.has(name):
            continue
        fields = res.get("schema", {}).get("fields", [])
        rows = package.rows(name, report_id) if report_id is None or any(f["name"] == "report_id" for f in fields) \
            else package.rows(name)
        if report_id is not None and not rows:
            continue
        header = [f.get("title") or f["name"] for f in fields]
        body = [[r.get(f["name"]) for f in fields] for r in rows]
        out[_sheet_name(res.get("title") or "", name, used)] = (header, body)
    return out


def _reproducible(path: Path) -> None:
    """Rewrite a saved workbook with fixed ZIP timestamps and document dates."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with src, zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _DOC_DATE.sub(rb"\g<1>" + _FIXED_DATE.encode() + rb"\g<2>", data)
            out = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = 0o644 << 16
            dst.writestr(out, data)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(path)


def write_workbook(path: Path, package: Package, report_id: str | None = None) -> Path:
    """Write one workbook (the corpus, or one report) to `path`; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(path, sheets(package, report_id))
    _reproducible(path)
    return path


def write_workbooks(package: Package, downloads: Path) -> list[Path]:
    """Write the corpus workbook and one per report into `downloads`; return them."""
    written = [write_workbook(downloads / CORPUS_XLSX, package)]
    for report in package.rows("reports"):
        written.append(write_workbook(downloads / report_xlsx(report["report_id"]), package, report["report_id"]))
    return written
