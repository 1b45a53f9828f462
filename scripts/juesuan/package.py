"""Write the Frictionless data package: datapackage.json and one CSV per resource.

The descriptor is generated from fields.RESOURCES. Output is deterministic (sorted rows, no
timestamps) so that two builds are byte-identical, and the folder is replaced atomically:
a failed run leaves the previous package as it was.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from juesuan import __version__
from juesuan.budget_compare import budget_vs_final_rows
from juesuan.catalog import economic_category
from juesuan.checks.completeness import completeness_row
from juesuan.columnar import columnar_paths, duckdb_property, parquet_resources, write_columnar
from juesuan.fields import RESOURCES, PackageInfo, Resource
from juesuan.fsutil import check_output_dir, replacing_dir
from juesuan.model import Finding, LineItem, ReportData, ReportMeta
from juesuan.rule_catalogue import rule_rows, standard_table_rows
from juesuan.spreadsheet import value_to_text


def write_package(reports: list[ReportData], out_dir: Path) -> Path:
    """Write the package for these reports into out_dir, replacing what was there."""
    out_dir = Path(out_dir)
    reports = sorted(reports, key=lambda r: r.meta.report_id)
    with replacing_dir(out_dir, PACKAGE_KIND, legacy=is_unmarked_package) as tmp:
        (tmp / "data").mkdir()
        for resource in RESOURCES.values():
            # One resource's rows at a time, made as they are written: at 1,000 reports the
            # line_items rows alone would take a gigabyte as dicts.
            write_csv(tmp / resource.path, resource, resource_rows(reports, resource.name))
        (tmp / "datapackage.json").write_text(
            json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        write_columnar(tmp, previous=out_dir if out_dir.is_dir() else None)
    return out_dir


PACKAGE_KIND = "package"  # the output marker is `.juesuan-package`


def check_package_dir(out_dir: Path) -> Path:
    """Raise OutputRefused unless out_dir is absent, empty or a package juesuan wrote."""
    return check_output_dir(out_dir, PACKAGE_KIND, legacy=is_unmarked_package)


def is_unmarked_package(folder: Path) -> bool:
    """Tell whether a folder is a package juesuan wrote before it marked its folders.

    It holds datapackage.json with juesuan's package name and only the files juesuan writes (resource CSVs, their Parquet twins, the DuckDB file).
    """
    try:
        name = json.loads((folder / "datapackage.json").read_text(encoding="utf-8")).get("name")
    except (OSError, ValueError, AttributeError):
        return False
    ours = {"datapackage.json", "data", *(r.path for r in RESOURCES.values()), *columnar_paths()}
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    return name == PackageInfo().name and files <= ours


def descriptor() -> dict[str, Any]:
    """Return datapackage.json as a dict, generated from the field dictionary."""
    info = PackageInfo()
    return {
        "name": info.name,
        "title": info.title,
        "description": info.description,
        "description_en": info.description_en,
        "version": __version__,
        "licenses": info.licenses,
        "resources": [
            {
                "name": r.name,
                "title": r.title,
                "description": r.description,
                **({"description_en": r.description_en} if r.description_en else {}),
                "path": r.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": r.schema(),
            }
            for r in RESOURCES.values()
        ] + parquet_resources(),
        "duckdb": duckdb_property(),
    }


def resource_rows(reports: list[ReportData], name: str) -> Iterator[dict[str, Any]]:
    """Yield the rows of one resource over all reports, made one at a time where they are per report."""
    if name == "reports":
        yield from (meta_row(r) for r in reports)
    elif name == "line_items":
        yield from (line_item_row(i) for r in reports for i in r.line_items)
    elif name == "checks":
        yield from (finding_row(seq, f) for r in reports for seq, f in enumerate(r.findings, start=1))
    elif name == "budget_vs_final":
        yield from budget_vs_final_rows(reports)
    elif name == "completeness":
        # Each report carries its row (scored where its text was read); one made before that is scored here.
        yield from (row for r in reports for row in r.resources.get("completeness") or [completeness_row(r)])
    elif name == "function_classes":
        yield from function_class_rows(_report_rows(reports, ("income_by_function", "expenditure_by_function",
                                                              "general_budget_expenditure")))
    elif name == "economic_classes":
        yield from economic_class_rows(_report_rows(reports, ("basic_expenditure",)))
    elif name == "rules":
        yield from rule_rows()
    elif name == "standard_tables":
        yield from standard_table_rows()
    else:
        yield from (row for r in reports for row in r.resources.get(name, []))


def _report_rows(reports: list[ReportData], names: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Return the reports' rows of these per-report resources (the rows themselves, not copies)."""
    return {name: [row for r in reports for row in r.resources.get(name, [])] for name in names}


def meta_row(report: ReportData) -> dict[str, Any]:
    """Return the reports row of one report."""
    meta: ReportMeta = report.meta
    return {
        "report_id": meta.report_id,
        "department": meta.department,
        "region": meta.region,
        "year": meta.year,
        "kind": meta.kind,
        "kind_family": meta.kind_family,
        "level": meta.level,
        "unit": meta.unit,
        "source_file": meta.source_file,
        "source_sha256": meta.source_sha256,
        "narrative_file": meta.narrative_file,
        "narrative_sha256": meta.narrative_sha256,
        "pages": meta.pages,
        "parser_version": meta.parser_version,
        "input_kind": meta.input_kind,
        "is_template": meta.is_template,
        "tables_found": ",".join(sorted(report.tables)),
        "tables_missing": ",".join(report.missing_tables),
        "unplaced_numbers": len(report.resources.get("unplaced_numbers", [])),
    }


def line_item_row(item: LineItem) -> dict[str, Any]:
    """Return the line_items row of one cell."""
    box = item.box
    return {
        "report_id": item.report_id,
        "table": item.table,
        "row": item.row,
        "col": item.col,
        "section": item.section,
        "code": item.code,
        "item": item.item,
        "parent": item.parent,
        "measure": item.measure,
        "measure_id": item.measure_id,
        "amount": item.amount,
        "raw": item.raw,
        "blank": item.blank,
        "unit_printed": item.unit_printed,
        "repair": item.repair,
        "repair_code": item.repair_code,
        "page": item.page,
        "line": item.line,
        "x0": round(box.x0, 2) if box else None,
        "top": round(box.top, 2) if box else None,
        "x1": round(box.x1, 2) if box else None,
        "bottom": round(box.bottom, 2) if box else None,
    }


def finding_row(seq: int, finding: Finding) -> dict[str, Any]:
    """Return the checks row of one finding."""
    return {
        "report_id": finding.report_id,
        "seq": seq,
        "rule": finding.rule,
        "severity": finding.severity,
        "tables": finding.tables,
        "row": finding.row,
        "pages": finding.pages,
        "lines": finding.lines,
        "expected": finding.expected,
        "actual": finding.actual,
        "difference": finding.difference,
        "unit": finding.unit,
        "message": finding.message,
    }


def function_class_rows(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Return the functional codes met in 02/03/05, first printed name first."""
    seen: dict[str, dict[str, Any]] = {}
    for name in ("income_by_function", "expenditure_by_function", "general_budget_expenditure"):
        for row in rows.get(name, []):
            if row["code"] and row["code"] not in seen:
                seen[row["code"]] = {"code": row["code"], "name": row["name"], "level": row["level"], "parent_code": row["parent_code"]}
    return [seen[c] for c in sorted(seen)]


def economic_class_rows(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Return the economic codes met in 06."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows.get("basic_expenditure", []):
        code = row["code"]
        if code and code not in seen:
            seen[code] = {
                "code": code,
                "name": row["name"],
                "level": row["level"],
                "parent_code": row["parent_code"],
                "category": economic_category(code),
            }
    return [seen[c] for c in sorted(seen)]


def write_csv(path: Path, resource: Resource, rows: Iterable[dict[str, Any]]) -> None:
    """Write rows as UTF-8 CSV with the resource's columns, in order."""
    names = resource.field_names
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([value_to_text(row.get(name)) for name in names])  # cell_text, inlined: 20 million cells


def cell_text(value: Any) -> str:
    """Format one value for CSV, raw (see juesuan.spreadsheet for the formula policy)."""
    return value_to_text(value)
