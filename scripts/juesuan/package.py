"""Write the Frictionless data package: datapackage.json and one CSV per resource.

The descriptor is generated from fields.RESOURCES. Output is deterministic (sorted rows, no
timestamps) so that two builds are byte-identical, and the folder is replaced atomically:
a failed run leaves the previous package as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
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
from juesuan.model import Finding, LineItem, ReportData, ReportMeta, dataclass
from juesuan.rule_catalogue import rule_rows, standard_table_rows
from juesuan.spreadsheet import value_to_text


def write_package(reports: Iterable[ReportData], out_dir: Path) -> Path:
    """Write the package for these reports into out_dir, replacing what was there."""
    return write_package_parts([report_part(r) for r in reports], out_dir)


def write_package_parts(parts: Iterable[ReportPart], out_dir: Path) -> Path:
    """Write the package from each report's part into out_dir, replacing what was there.

    A report's rows were turned into CSV text once, when it was parsed (and cached with it):
    here each per-report resource is its header and the parts' text, in report_id order.
    """
    out_dir = Path(out_dir)
    ordered = sorted(parts, key=lambda p: p.meta.report_id)
    with replacing_dir(out_dir, PACKAGE_KIND, legacy=is_unmarked_package) as tmp:
        (tmp / "data").mkdir()
        for resource in RESOURCES.values():
            with (tmp / resource.path).open("wb") as fh:
                fh.write(csv_text([resource.field_names]))
                if resource.name in CORPUS_RESOURCES:
                    fh.write(csv_text(_cells(resource, r) for r in corpus_rows(ordered, resource.name)))
                else:
                    fh.writelines(p.csv.get(resource.name, b"") for p in ordered)
        (tmp / "datapackage.json").write_text(
            json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        digests = {name: {p.meta.report_id: hashlib.sha256(p.csv[name]).hexdigest() for p in ordered if p.csv.get(name)}
                   for name in RESOURCES if name not in CORPUS_RESOURCES}
        write_columnar(tmp, previous=out_dir if out_dir.is_dir() else None, parts=digests)
    return out_dir


# Resources made of several reports, or of none: written from the parts' small summaries.
CORPUS_RESOURCES = ("budget_vs_final", "function_classes", "economic_classes", "rules", "standard_tables")
_FUNCTION_SOURCES = ("income_by_function", "expenditure_by_function", "general_budget_expenditure")
_ECONOMIC_SOURCES = ("basic_expenditure",)
_PAIRED_RESOURCES = ("general_budget_expenditure", "basic_expenditure", "three_public")
_PAIRED_TABLES = ("B05", "B06", "B07")


@dataclass(slots=True)
class ReportPart:
    """What one report adds to the package.

    `csv` holds its rows of each per-report resource as CSV text (no header); `classes` the
    first row of each class code in each resource the class lists read; `line_items` and
    `resources` only what pairing a budget with its final report reads (budget_compare).
    """

    meta: ReportMeta
    warnings: list[str]
    cells: int
    csv: dict[str, bytes]
    classes: dict[str, list[dict[str, Any]]]
    line_items: list[LineItem]
    resources: dict[str, list[dict[str, Any]]]


def report_part(report: ReportData) -> ReportPart:
    """Return what the report adds to the package: its rows as CSV text and the summaries the corpus resources need."""
    csv_rows = {}
    for resource in RESOURCES.values():
        if resource.name not in CORPUS_RESOURCES:
            csv_rows[resource.name] = csv_text(_cells(resource, r) for r in report_rows(report, resource.name))
    classes = {name: _first_per_code(report.resources.get(name, [])) for name in (*_FUNCTION_SOURCES, *_ECONOMIC_SOURCES)}
    return ReportPart(
        meta=report.meta,
        warnings=list(report.warnings),
        cells=len(report.line_items),
        csv=csv_rows,
        classes=classes,
        line_items=[i for i in report.line_items if i.table in _PAIRED_TABLES],
        resources={name: report.resources.get(name, []) for name in _PAIRED_RESOURCES},
    )


def _first_per_code(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the first row of each code, in order (the class lists keep the first printed name)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.get("code") and row["code"] not in seen:
            seen[row["code"]] = row
    return list(seen.values())


def csv_text(rows: Iterable[list[str]]) -> bytes:
    """Return rows of cell texts as UTF-8 CSV lines (the package's dialect)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _cells(resource: Resource, row: dict[str, Any]) -> list[str]:
    return [value_to_text(row.get(name)) for name in resource.field_names]  # cell_text, inlined: 20 million cells


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
    """Yield the rows of one resource over all reports (sorted by report_id as in the package)."""
    reports = sorted(reports, key=lambda r: r.meta.report_id)
    if name in CORPUS_RESOURCES:
        yield from corpus_rows([report_part(r) for r in reports], name)
    else:
        yield from (row for r in reports for row in report_rows(r, name))


def report_rows(report: ReportData, name: str) -> Iterator[dict[str, Any]]:
    """Yield one report's rows of a per-report resource, made one at a time."""
    if name == "reports":
        yield meta_row(report)
    elif name == "line_items":
        yield from (line_item_row(i) for i in report.line_items)
    elif name == "checks":
        yield from (finding_row(seq, f) for seq, f in enumerate(report.findings, start=1))
    elif name == "completeness":
        # Each report carries its row (scored where its text was read); one made before that is scored here.
        yield from report.resources.get("completeness") or [completeness_row(report)]
    else:
        yield from report.resources.get(name, [])


def corpus_rows(parts: list[ReportPart], name: str) -> Iterator[dict[str, Any]]:
    """Yield the rows of a resource made of several reports (or of none), from the parts in report_id order."""
    if name == "budget_vs_final":
        yield from budget_vs_final_rows(parts)
    elif name == "function_classes":
        yield from function_class_rows({n: [row for p in parts for row in p.classes[n]] for n in _FUNCTION_SOURCES})
    elif name == "economic_classes":
        yield from economic_class_rows({n: [row for p in parts for row in p.classes[n]] for n in _ECONOMIC_SOURCES})
    elif name == "rules":
        yield from rule_rows()
    elif name == "standard_tables":
        yield from standard_table_rows()
    else:
        raise ValueError(f"{name!r} is a per-report resource, not one of {CORPUS_RESOURCES}")


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
    first = _first_per_code([row for name in _FUNCTION_SOURCES for row in rows.get(name, [])])
    return [{"code": r["code"], "name": r["name"], "level": r["level"], "parent_code": r["parent_code"]}
            for r in sorted(first, key=lambda r: r["code"])]


def economic_class_rows(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Return the economic codes met in 06."""
    first = _first_per_code(rows.get("basic_expenditure", []))
    return [{"code": r["code"], "name": r["name"], "level": r["level"], "parent_code": r["parent_code"],
             "category": economic_category(r["code"])} for r in sorted(first, key=lambda r: r["code"])]


def cell_text(value: Any) -> str:
    """Format one value for CSV, raw (see juesuan.spreadsheet for the formula policy)."""
    return value_to_text(value)
