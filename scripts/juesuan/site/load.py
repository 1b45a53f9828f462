"""Read a written data package back: typed rows per resource, amounts as exact Decimals."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from juesuan.errors import EnvironmentProblem

Row = dict[str, Any]


@dataclass
class Package:
    """A data package as published: its descriptor and its rows, typed by the schema."""

    path: Path
    descriptor: dict[str, Any]
    tables: dict[str, list[Row]] = field(default_factory=dict)
    # resource → report_id → rows, built once per resource on first use: a per-report lookup
    # must not scan every row of the corpus (quadratic over a thousand reports).
    _by_report: dict[str, dict[str, list[Row]]] = field(default_factory=dict, repr=False)

    def rows(self, resource: str, report_id: str | None = None) -> list[Row]:
        """Return the rows of a resource, only those of one report when `report_id` is given."""
        rows = self.tables.get(resource, [])
        if report_id is None:
            return rows
        index = self._by_report.get(resource)
        if index is None:
            index = {}
            for r in rows:
                index.setdefault(str(r.get("report_id")), []).append(r)
            self._by_report[resource] = index
        # A copy, as the scan returned: callers may sort or extend what they get.
        return list(index.get(report_id, []))

    def has(self, resource: str) -> bool:
        """Tell whether the package holds this resource."""
        return resource in self.tables


def _convert(value: str, type_: str) -> Any:
    if value == "":
        return None
    if type_ == "number":
        return Decimal(value)
    if type_ == "integer":
        return int(value)
    if type_ == "boolean":
        return value.strip().lower() in ("true", "1", "yes")
    return value


def load_package(package_dir: Path) -> Package:
    """Read `datapackage.json` and every resource CSV it lists; never go through float."""
    descriptor_path = package_dir / "datapackage.json"
    if not descriptor_path.is_file():
        raise EnvironmentProblem(
            f"no data package at {descriptor_path}; build it first (`juesuan data reports/* --out {package_dir}`)"
        )
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    package = Package(path=package_dir, descriptor=descriptor)
    for res in descriptor.get("resources", []):
        if res.get("format", "csv") != "csv":  # the Parquet twins hold the same rows
            continue
        csv_path = package_dir / res["path"]
        types = {f["name"]: f.get("type", "string") for f in res.get("schema", {}).get("fields", [])}
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
        package.tables[res["name"]] = [
            {col: _convert(val, types.get(col, "string")) for col, val in rec.items()}
            for rec in frame.to_dict(orient="records")
        ]
    return package
