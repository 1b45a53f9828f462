"""Budget key figures against tests/truth/budgets/*.json, typed by hand from the page images.

Each truth figure names the printed table title, row label (or code), column path and the
value as printed with its unit; the parser must publish exactly that cell, under that column,
with its exact 万元 value beside it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from juesuan.catalog import normalize_title
from juesuan.catalog_budget import match_budget_title
from juesuan.model import LineItem, ReportData
from juesuan.pairing import pair_report_files
from juesuan.pipeline import parse_report_files

TRUTH = Path(__file__).parent / "truth" / "budgets"
TRUTH_FILES = sorted(TRUTH.glob("*.json"))

# Figures not published yet, each for a known reason in the PDF reader (not the budget
# recognizer). The test asserts exactly these are missing: a fix, or a new miss, fails it.
KNOWN_GAPS: dict[str, dict[str, str]] = {}


def _norm(text: str) -> str:
    return re.sub(r"^\d{4}年(度)?", "", normalize_title(text))


def _path(text: str) -> str:
    return "/".join(_norm(p) for p in text.split("/") if p)


@cache
def _parsed(directory: str, name: str) -> ReportData:
    folder = Path(directory)
    group = next(g for g in pair_report_files(sorted(folder.glob("*.pdf"))) if any(p.name == name for p in g.paths))
    return parse_report_files(group)


def _table_figures(truth: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in truth["figures"] if f["table_title"] != "prose"]


def find_cell(data: ReportData, figure: dict[str, Any]) -> LineItem:
    """Return the one published cell a truth figure names (table title, row, column)."""
    table = match_budget_title(figure["table_title"])
    assert table is not None, f"truth table title {figure['table_title']!r} is not in the budget catalogue"
    column = _path(figure["column"])
    cells = [i for i in data.line_items if i.table == table and _path(i.measure) == column]
    assert cells, f"{table}: no column {figure['column']!r}; columns: {sorted({i.measure for i in data.line_items if i.table == table})}"
    if figure["row_label"]:
        label = normalize_title(figure["row_label"])
        cells = [i for i in cells if normalize_title(i.item) == label]
        if len(cells) > 1 and figure.get("code"):
            cells = [i for i in cells if i.code == figure["code"]]
    elif figure.get("code"):
        cells = [i for i in cells if i.code == figure["code"]]
    else:
        first = min(i.row for i in cells)
        cells = [i for i in cells if i.row == first]
    assert len(cells) == 1, f"{table} {figure['row_label']!r}/{figure['column']!r}: {len(cells)} cells"
    return cells[0]


@pytest.mark.parametrize("truth_file", TRUTH_FILES, ids=[p.stem for p in TRUTH_FILES])
def test_budget_key_figures_are_published_as_printed(truth_file: Path, corpus: Path) -> None:
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    data = _parsed(str(corpus / "budgets"), truth["file"])
    assert data.meta.kind == truth["kind"]
    assert data.meta.year == truth["year"]
    if truth.get("part") != "narrative":  # a narrative part names its department in its own words
        assert data.meta.department == truth["department"]
    wrong = []
    for figure in _table_figures(truth):
        try:
            cell = find_cell(data, figure)
        except AssertionError as exc:
            if figure["key"] not in KNOWN_GAPS.get(truth["file"], {}):
                wrong.append(f"{figure['key']}: {exc}")
            continue
        if figure["key"] in KNOWN_GAPS.get(truth["file"], {}):
            wrong.append(f"{figure['key']}: now published; remove it from KNOWN_GAPS")
        printed = figure["printed"]
        if cell.raw.strip() != printed or cell.unit_printed != figure["unit"]:
            wrong.append(f"{figure['key']}: published {cell.raw!r} {cell.unit_printed}, printed {printed!r} {figure['unit']}")
            continue
        if printed:
            value = Decimal(printed.replace(",", ""))
            expected = value / 10000 if figure["unit"] == "元" else value
            if cell.amount != expected:
                wrong.append(f"{figure['key']}: 万元 value {cell.amount} is not exactly {expected}")
        elif not cell.blank:
            wrong.append(f"{figure['key']}: printed blank but published as {cell.raw!r}")
    assert wrong == []


def test_no_shared_budget_publishes_a_header_label_as_an_amount(corpus: Path) -> None:
    # Continuation pages print the header again; those rows are not data (sh_putuo_* 表B02/B05/B06).
    folder = corpus / "budgets"
    unreadable = []
    for group in pair_report_files(sorted(folder.glob("*.pdf"))):
        data = _parsed(str(folder), group.paths[0].name)
        unreadable += [f"{group.paths[0].name}: {w}" for w in data.warnings if "amount unreadable" in w]
    assert unreadable == []
