"""Write the XLSX downloads: the corpus workbook from pieces, and one workbook per report.

The corpus workbook: each report's rows of a sheet are deflated once and kept until they change.

At 1,000 reports the corpus workbook holds some 900 MB of sheet XML; one changed report used
to mean making and deflating all of it again. Here a sheet is a run of pieces (zipjoin.py):
its head, each report's rows (the package writes a report's rows together), its tail. A
report's piece is keyed by the digest of its rows in the package and the sheet's columns, so
a rebuild makes the XML of the changed reports only, and copies every other piece from the
last workbook. A sheet past Excel's row limit continues on the next (`名称 (2)` …), cut
between reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from juesuan.fsutil import file_sha256, holds_record, made_record, read_records, write_bytes_if_changed
from juesuan.site import zipjoin
from juesuan.site.load import Package, contiguous, rows_at
from juesuan.site.xlsx import (
    _CELL_TAGS,
    _NS,
    CORPUS_LEVEL,
    CORPUS_XLSX,
    FORMAT,
    HASHES,
    MAX_ROWS,
    REPORTS_DIR,
    Sheet,
    _buffers,
    _header,
    _per_report,
    _resources,
    _text_table,
    _workbook_files,
    report_xlsx,
    rows_xml,
    rows_xml_batches,
    write_sheets,
)

_SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetData>'
_SHEET_TAIL = b"</sheetData></worksheet>"
_ROWS_PER_BATCH = 65_536  # rows turned into XML at a time (a few kernels a column, not a few per report)


@dataclass(frozen=True)
class Span:
    """Rows [start, start + length) of a resource's table, and the digest that names their content."""

    start: int
    length: int
    digest: str


def report_spans(package: Package, resource: str, fields: list[dict[str, Any]], rows: int) -> list[Span]:
    """Return the resource's rows as one span per report (in the table's order), or one span of all when they are not so laid out."""
    whole = [Span(0, rows, package.digest(resource))] if rows else []
    if not _per_report(fields):
        return whole
    groups = package.report_groups(resource)
    order = package.report_order(resource)
    at = 0
    for rid in order:
        if int(groups[rid][0]) != at or not contiguous(groups[rid]):
            return whole  # rows of reports interleaved (not how the package writes them): one piece
        at += len(groups[rid])
    if at != rows:
        return whole
    return [Span(int(groups[rid][0]), len(groups[rid]), package.digest(resource, rid)) for rid in order]


def sheet_parts(spans: list[Span], limit: int = MAX_ROWS - 1) -> list[list[Span]]:
    """Cut a sheet's spans into sheets of at most `limit` rows, between reports (a report past the limit is cut in it)."""
    parts: list[list[Span]] = [[]]
    rows = 0
    for span in spans:
        for start in range(span.start, span.start + span.length, limit):
            piece = Span(start, min(limit, span.start + span.length - start), span.digest)
            if span.length > limit:  # cut inside one report: name each cut by where it lies in the report
                piece = Span(piece.start, piece.length, f"{span.digest}@{start - span.start}")
            if rows + piece.length > limit and parts[-1]:
                parts.append([])
                rows = 0
            parts[-1].append(piece)
            rows += piece.length
    return parts


def write_corpus_workbook(package: Package, path: Path, specs: list[tuple[str, str, list[dict[str, Any]]]],
                          sha256: Callable[[Path], str] = file_sha256) -> bool:
    """Write the corpus workbook (one sheet per resource, split past Excel's row limit) from pieces; True when written."""
    names: list[str] = []
    sheets: list[zipjoin.Member] = []
    for resource, name, fields in specs:
        table, types = _text_table(package, resource, fields)
        header = _header(fields)
        shape = zipjoin.piece_key(str(CORPUS_LEVEL), header, repr(types))
        for i, part in enumerate(sheet_parts(report_spans(package, resource, fields, table.num_rows)), start=1):
            names.append(name if i == 1 else f"{name[:26]} ({i})")
            head = (_SHEET_HEAD + header).encode("utf-8")
            ends = {zipjoin.piece_key(shape, "head", header): head, zipjoin.piece_key(shape, "tail"): _SHEET_TAIL}
            row_keys = [zipjoin.piece_key(shape, "rows", s.digest) for s in part]
            spans = dict(zip(row_keys, part, strict=True))  # equal keys: equal rows, either span serves
            keys = [*list(ends)[:1], *row_keys, *list(ends)[1:]]
            rows = sum(s.length for s in part)
            sheets.append(zipjoin.Member(f"xl/worksheets/sheet{len(names)}.xml", keys, _maker(table, types, ends, spans),
                                         may_be_large=_most_bytes(table, rows) > zipjoin.ZIP64_LIMIT))
    members = [zipjoin.Member(n, [zipjoin.piece_key("file", data.decode("utf-8"))], _whole(data))
               for n, data in _workbook_files(names).items()]
    return zipjoin.write_zip(path, members + sheets, sha256)


def _most_bytes(table: pa.Table, rows: int) -> int:
    """Return a bound on the XML of `rows` rows of `table` (a cell's text escaped grows at most 5×, plus its tags)."""
    per_row = table.nbytes / max(1, table.num_rows)
    return int(rows * (5 * per_row + table.num_columns * len(_CELL_TAGS) + 11)) + 1000


def _whole(data: bytes, level: int = CORPUS_LEVEL) -> Callable[[list[str]], Iterator[zipjoin.Piece]]:
    """Return the maker of a member that is one piece of known bytes."""
    def make(keys: list[str]) -> Iterator[zipjoin.Piece]:
        yield from (zipjoin.deflate_piece(k, [data], level) for k in keys)
    return make


def _maker(table: pa.Table, types: list[str], ends: dict[str, bytes],
           spans: dict[str, Span]) -> Callable[[list[str]], Iterator[zipjoin.Piece]]:
    """Return the maker of a sheet's pieces: its head and tail (`ends`), and the XML of runs of its reports' rows."""
    def make(keys: list[str]) -> Iterator[zipjoin.Piece]:
        batch: list[str] = []  # span keys of nearby rows, their XML made together
        rows = 0
        for key in keys:
            if key in ends or (batch and rows + spans[key].length > _ROWS_PER_BATCH):
                yield from _span_pieces(table, types, spans, batch)
                batch, rows = [], 0
            if key in ends:
                yield zipjoin.deflate_piece(key, [ends[key]], CORPUS_LEVEL)
                continue
            batch.append(key)
            rows += spans[key].length
        yield from _span_pieces(table, types, spans, batch)
    return make


def _span_pieces(table: pa.Table, types: list[str], spans: dict[str, Span], keys: list[str]) -> Iterator[zipjoin.Piece]:
    """Yield the pieces of `keys`' spans: the XML of the rows they cover made in one go, then cut and deflated per span."""
    if not keys:
        return
    lo = min(spans[k].start for k in keys)
    hi = max(spans[k].start + spans[k].length for k in keys)
    xml = pa.chunked_array(list(rows_xml_batches(table.slice(lo, hi - lo), types)), type=pa.large_string())
    for key in keys:
        span = spans[key]
        yield zipjoin.deflate_piece(key, _buffers(xml.slice(span.start - lo, span.length).chunks), CORPUS_LEVEL)


def write_workbooks(package: Package, downloads: Path, sha256: Callable[[Path], str] = file_sha256) -> list[Path]:
    """Write the corpus workbook and one per report into `downloads`; return them.

    A workbook is made again only when what it is made of changed: `xlsx/{HASHES}` keeps, for
    each, the hash of its inputs (the rows of the package it holds, the sheet names and headers,
    FORMAT) and of the file written, and a workbook whose inputs hash the same and whose file
    still holds those bytes is left alone. The corpus workbook is written from pieces (above), its
    layout in a dot file beside it; the report workbooks a group of reports at a time, each data
    row turned into XML once for its group.
    """
    folder = downloads / REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    known = read_records(folder / HASHES)
    hashes: dict[str, str] = {}
    specs = list(_resources(package))
    shape = hashlib.sha256(json.dumps([FORMAT, [(r, n, f) for r, n, f in specs]], ensure_ascii=False, sort_keys=True).encode())

    per_report = {resource: _per_report(fields) for resource, _name, fields in specs}

    def key(report_id: str | None) -> str:
        digest = shape.copy()
        for resource, _name, _fields in specs:
            digest.update(package.digest(resource, report_id if per_report[resource] else None).encode())
        return digest.hexdigest()

    def fresh(path: Path, content: str) -> bool:
        return holds_record(path, known.get(path.name, ""), content, sha256)

    corpus = downloads / CORPUS_XLSX
    content = key(None)
    if not fresh(corpus, content):
        write_corpus_workbook(package, corpus, specs, sha256)
        hashes[corpus.name] = made_record(corpus, content, sha256)
    else:
        hashes[corpus.name] = known[corpus.name]
    report_ids = [str(r["report_id"]) for r in package.rows("reports")]
    todo: list[tuple[str, str]] = []
    for rid in report_ids:
        content = key(rid)
        path = downloads / report_xlsx(rid)
        if fresh(path, content):
            hashes[path.name] = known[path.name]
        else:
            todo.append((rid, content))
    for start in range(0, len(todo), _REPORTS_PER_GROUP):
        group = todo[start:start + _REPORTS_PER_GROUP]
        for (rid, content), sheets in zip(group, _report_sheets(package, specs, [rid for rid, _ in group]), strict=True):
            path = downloads / report_xlsx(rid)
            write_sheets(path, sheets)
            hashes[path.name] = made_record(path, content, sha256)
    write_bytes_if_changed(folder / HASHES, json.dumps(hashes, sort_keys=True, indent=0).encode())
    return [corpus, zipjoin.layout_path(corpus), *(downloads / report_xlsx(rid) for rid in report_ids), folder / HASHES]


# Report workbooks are made for this many reports at a time: their rows' XML is made in one go
# (a few kernels a column, not a few per report and column), and only that group's XML is held.
_REPORTS_PER_GROUP = 64


def _report_sheets(package: Package, specs: list[tuple[str, str, list[dict[str, Any]]]],
                   report_ids: list[str]) -> list[dict[str, Sheet]]:
    """Return the sheets of each report's workbook, for a group of reports, in their order."""
    out: list[dict[str, Sheet]] = [{} for _ in report_ids]
    for resource, name, fields in specs:
        table, types = _text_table(package, resource, fields)
        if not _per_report(fields):  # a corpus-wide resource is whole in every report's workbook
            if table.num_rows:
                whole = Sheet(_header(fields), rows_xml(table, types))
                for sheets in out:
                    sheets[name] = whole
            continue
        groups = package.report_groups(resource)
        mine = [groups.get(rid, np.empty(0, dtype=np.int64)) for rid in report_ids]
        if not any(len(ix) for ix in mine):
            continue
        # Each report's rows are one slice (the package writes them together; no copy); the
        # group's are then joined once, for the kernels to run over one chunk a column.
        xml = rows_xml(pa.concat_tables([rows_at(table, ix) for ix in mine if len(ix)]).combine_chunks(), types)
        at = 0
        for sheets, ix in zip(out, mine, strict=True):
            if len(ix):
                sheets[name] = Sheet(_header(fields), xml.slice(at, len(ix)))
            at += len(ix)
    return out
