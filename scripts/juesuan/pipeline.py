"""Run the stages for one report file: read → recognize → normalize → canonical → check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from juesuan.amounts import parse_amount
from juesuan.budget_compare import budget_execution_rows
from juesuan.canonical import line_items_to_resources
from juesuan.catalog import STANDARD_TABLES
from juesuan.catalog_budget import BUDGET_TABLES
from juesuan.checks import run_checks
from juesuan.checks.completeness import completeness_row
from juesuan.errors import ReportError
from juesuan.meta import extract_meta, report_kind, title_family
from juesuan.model import LineItem, RawCell, RawReport, RawTable, ReportData, StandardTable
from juesuan.narrative import extract_prose
from juesuan.normalize import UNASSIGNED, table_to_line_items
from juesuan.pairing import ReportFiles, join_report_parts
from juesuan.performance import extract_performance
from juesuan.profile import extract_profile
from juesuan.read import DEFAULT_LIMITS, InputLimits, read_report
from juesuan.recognize import recognize, split_at_heading_rows, unmapped_warning
from juesuan.recognize_budget import recognize_budget


def standard_tables(
    raw_tables: list[RawTable], recognizer: Callable[[RawTable], StandardTable | None] = recognize
) -> tuple[dict[str, list[StandardTable]], list[str]]:
    """Recognize the standard tables, each as its printed parts, with warnings.

    A table whose title and header are printed again on the next page comes back as a second
    raw table right after the first: it is a continuation when it brings new rows. A part whose
    every row was printed already (a page printed twice), or the same title printed again
    elsewhere, is a duplicate and is left out; the duplicates are counted in one warning.
    """
    parts: dict[str, list[StandardTable]] = {}
    seen_rows: dict[str, set[tuple[str, ...]]] = {}
    duplicates: dict[str, int] = {}
    warnings: list[str] = []
    previous: str | None = None
    for candidate in raw_tables:
        table = recognizer(candidate)
        if table is None:
            if warning := unmapped_warning(candidate):
                warnings.append(warning)
            previous = None
            continue
        drop_repeated_headers(table)
        if repeated := drop_repeated_pages(table):
            duplicates[table.number] = duplicates.get(table.number, 0) + repeated
        rows = {_row_text(r) for r in table.body}
        if table.number not in parts:
            parts[table.number] = [table]
            seen_rows[table.number] = rows
            warnings.extend(table.warnings)
        elif previous == table.number and not rows <= seen_rows[table.number]:
            parts[table.number].append(table)
            seen_rows[table.number] |= rows
            parts[table.number][0].empty = all(p.empty for p in parts[table.number])
        else:
            duplicates[table.number] = duplicates.get(table.number, 0) + 1
        previous = table.number
    for number, count in sorted(duplicates.items()):
        times = "once more" if count == 1 else f"{count} more times"
        warnings.append(f"{_table_name(number)} printed {times} with no new rows (a duplicate, not a continuation); the first is used")
    return parts, warnings


def _table_name(number: str) -> str:
    return f"{number} {BUDGET_TABLES[number].name}" if number in BUDGET_TABLES else f"表{number}"


def cell_warnings(items: list[LineItem]) -> list[str]:
    """Return one warning per unreadable amount cell and per row left unassigned, with its place."""
    out: list[str] = []
    loose_rows: set[tuple[str, int]] = set()
    for item in items:
        where = f"表{item.table} row {item.row} {item.code or ''}{item.item}".rstrip()
        where += f" (line {item.line})" if item.line is not None else f" (page {item.page})" if item.page is not None else ""
        if item.amount is None and not item.blank:
            out.append(f"{where}: amount unreadable: printed {item.raw!r}")
        if item.repair.startswith(UNASSIGNED) and (item.table, item.row) not in loose_rows:
            loose_rows.add((item.table, item.row))
            out.append(f"{where}: {item.repair}")
    return out


def drop_repeated_headers(table: StandardTable) -> int:
    """Drop the body rows that print the table's header again; return how many.

    A table continued over pages prints its header on each page, and the PDF reader joins the
    pages into one grid, so the header comes back as body rows. A row is a header row when it
    prints a whole header row again, or when it prints no amount and at least two texts that
    are all header labels (the header re-wrapped on the next page). A row with one label only
    (合计 with blank amounts) is data.
    """
    body = {id(r) for r in table.body}
    header_rows = [r for r in table.raw.rows if id(r) not in body]
    header_texts = {_row_text(r) for r in header_rows}
    labels = {"".join(c.text.split()) for r in header_rows for c in r} - {""}
    kept: list[list[RawCell]] = []
    for row in table.body:
        texts = ["".join(c.text.split()) for c in row if c.text.strip()]
        reprinted = bool(texts) and _row_text(row) in header_texts
        relabelled = (
            len(texts) >= 2
            and all(_joins_labels(t, labels) for t in texts)
            and not any((a := parse_amount(t)) is not None and not a.blank for t in texts)
        )
        if not (reprinted or relabelled):
            kept.append(row)
    dropped = len(table.body) - len(kept)
    table.body = kept
    return dropped


def _joins_labels(text: str, labels: set[str]) -> bool:
    """Tell whether text is one header label or several printed run together (编码名称)."""
    ends = {0}  # the prefixes of text that are labels joined
    for end in range(1, len(text) + 1):
        if any(text[start:end] in labels for start in ends if start < end):
            ends.add(end)
    return len(text) in ends


def drop_repeated_pages(table: StandardTable) -> int:
    """Drop the pages of a table whose rows all repeat rows of its pages before; return how many.

    The PDF reader joins a table's pages into one grid; a page printed twice joins too, but a
    continuation page brings new rows.
    """
    pages: dict[int | None, list[list[RawCell]]] = {}
    for row in table.body:
        page = next((c.page for c in row if c.text.strip()), None)
        pages.setdefault(page, []).append(row)
    if len(pages) < 2:
        return 0
    body = {id(r) for r in table.body}
    seen = {_row_text(r) for r in table.raw.rows if id(r) not in body}  # the header, printed on page one
    kept: list[list[RawCell]] = []
    dropped = 0
    for rows in pages.values():
        texts = {_row_text(r) for r in rows}
        if texts <= seen:
            dropped += 1
            continue
        seen |= texts
        kept.extend(rows)
    table.body = kept
    return dropped


def _row_text(row: list[RawCell]) -> tuple[str, ...]:
    return tuple(" ".join(c.text.split()) for c in row)


def parse_report(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> ReportData:
    """Parse one report file into ReportData; raise ReportError when it is not a report."""
    return parse_report_files(ReportFiles((Path(path),)), limits)


def prints_report_tables(raw: RawReport) -> bool:
    """Tell whether a file prints report tables (a 决算 or 预算 table title), not only prose."""
    return any(title_family(t.title) or recognize(t) is not None for t in raw.tables)


def parse_report_files(files: ReportFiles, limits: InputLimits = DEFAULT_LIMITS) -> ReportData:
    """Parse the file(s) of one report into ReportData; raise ReportError when it is not a report."""
    files_read = [read_report(p, limits) for p in files.paths]
    for one in files_read:
        one.tables = [part for t in one.tables for part in split_at_heading_rows(t)]
    raw = join_report_parts(files_read, [prints_report_tables(p) for p in files_read])
    path = raw.source_file
    kind, kind_warnings = report_kind(raw, [t.title for t in raw.tables])
    budget = kind.family == "预算"
    parts, warnings = standard_tables(raw.tables, recognize_budget if budget else recognize)
    warnings = list(raw.warnings) + kind_warnings + warnings
    tables = {number: found[0] for number, found in parts.items()}
    if not tables and budget:
        raise ReportError(path, f"a {kind.kind} report with no budget table recognized by its title and header (see the budget catalogue)")
    if not tables:
        raise ReportError(path, "not a final-accounts report: no standard table (公开01–09表) found")
    meta, meta_warnings = extract_meta(raw, list(tables.values()), kind)
    warnings.extend(meta_warnings)
    items: list[LineItem] = []
    for number in sorted(parts):
        for part in parts[number]:
            offset = max((i.row for i in items if i.table == number), default=0)
            items.extend(table_to_line_items(part, meta.report_id, fallback_unit=meta.unit, row_offset=offset))
    warnings.extend(cell_warnings(items))
    if all(t.empty for t in tables.values()):
        # The blank template: tables with placeholders only. Publish that, invent nothing.
        meta.is_template = True
        items = []
        warnings.append("the report is a blank template: its tables hold no data")
    resources = line_items_to_resources(items)
    rid = meta.report_id
    units: list[dict[str, Any]]
    duties: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    unplaced: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    if meta.is_template:
        # A template's prose and tables are placeholders (XX局, …): publish none of them.
        units, duties, facts, unplaced, projects, indicators = [], [], [], [], [], []
    else:
        units, duties, _summary = extract_profile(raw, rid, warnings, expect_units=not budget)
        facts, unplaced = extract_prose(raw, rid, warnings, budget=budget)
        # 绩效自评表 belong to final accounts; a budget's 绩效目标表 is another template.
        projects, indicators = ([], []) if budget else extract_performance(raw, rid, warnings)
    resources.update(
        units=units, duties=duties, facts=facts, unplaced_numbers=unplaced, performance_projects=projects, performance_indicators=indicators
    )
    data = ReportData(
        meta=meta,
        line_items=items,
        resources=resources,
        tables=tables,
        missing_tables=[] if budget else [n for n in STANDARD_TABLES if n not in tables],
        warnings=warnings,
        raw=raw,
    )
    data.resources["budget_execution"] = budget_execution_rows(data)
    data.findings = run_checks(data)
    # Scored here, while the text is at hand: a worker drops `raw` before handing the report back.
    data.resources["completeness"] = [completeness_row(data)]
    return data
