"""Run the stages for one report file: read → recognize → normalize → canonical → check."""

from __future__ import annotations

from pathlib import Path

from juesuan.canonical import line_items_to_resources
from juesuan.catalog import STANDARD_TABLES
from juesuan.checks import run_checks
from juesuan.errors import ReportError
from juesuan.meta import extract_meta
from juesuan.model import LineItem, ReportData, StandardTable
from juesuan.narrative import extract_facts
from juesuan.normalize import table_to_line_items
from juesuan.performance import extract_performance
from juesuan.profile import extract_profile
from juesuan.read import read_report
from juesuan.recognize import recognize


def parse_report(path: Path) -> ReportData:
    """Parse one report file into ReportData; raise ReportError when it is not a report."""
    raw = read_report(path)
    tables: dict[str, StandardTable] = {}
    warnings = list(raw.warnings)
    for candidate in raw.tables:
        table = recognize(candidate)
        if table is None:
            continue
        if table.number in tables:
            warnings.append(f"表{table.number} printed twice; the first one is used")
            continue
        tables[table.number] = table
        warnings.extend(table.warnings)
    if not tables:
        raise ReportError(path, "not a final-accounts report: no standard table (公开01–09表) found")
    meta, meta_warnings = extract_meta(raw, list(tables.values()))
    warnings.extend(meta_warnings)
    items: list[LineItem] = []
    for number in sorted(tables):
        items.extend(table_to_line_items(tables[number], meta.report_id, fallback_unit=meta.unit))
    if all(t.empty for t in tables.values()):
        # The blank template: tables with placeholders only. Publish that, invent nothing.
        meta.is_template = True
        items = []
        warnings.append("the report is a blank template: its tables hold no data")
    resources = line_items_to_resources(items)
    rid = meta.report_id
    if meta.is_template:
        # A template's prose and tables are placeholders (XX局, …): publish none of them.
        units, duties, facts, projects, indicators = [], [], [], [], []
    else:
        units, duties, _summary = extract_profile(raw, rid, warnings)
        facts = extract_facts(raw, rid, warnings)
        projects, indicators = extract_performance(raw, rid, warnings)
    resources.update(
        units=units, duties=duties, facts=facts, performance_projects=projects, performance_indicators=indicators
    )
    data = ReportData(
        meta=meta,
        line_items=items,
        resources=resources,
        tables=tables,
        missing_tables=[n for n in STANDARD_TABLES if n not in tables],
        warnings=warnings,
        raw=raw,
    )
    data.findings = run_checks(data)
    return data
