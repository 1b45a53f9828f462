"""Accuracy on the corpus PDFs against hand-verified cells: none missing, none extra, none wrong.

Expected values come from truth files typed by eye from page renders:
../shared/corpus/truth/ (finance bureau) and tests/truth/ (social-work department).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from juesuan.model import LineItem, ReportData
from juesuan.pipeline import parse_report

HERE = Path(__file__).resolve().parent
REPORTS = {
    "shanghai-putuo-finance-bureau-2024-final": "corpus",
    "shanghai-putuo-social-work-dept-2024-final": "tests",
}


def truth_file(stem: str, corpus: Path) -> Path:
    base = corpus / "truth" if REPORTS[stem] == "corpus" else HERE / "truth"
    path = base / f"{stem}.cells.json"
    if not path.is_file():
        pytest.skip(f"no hand-verified cells at {path}")
    return path


@cache
def parsed(pdf: Path) -> ReportData:
    return parse_report(pdf)


def cell_key(item: LineItem) -> tuple[str, ...]:
    """Map a line item onto the truth files' conventions."""
    section = item.section if item.table in ("01", "04", "06") else ""
    label = "" if item.table == "07" else item.item
    return (item.table, section, item.code, label, item.measure, format(item.amount, "f"), str(item.page), item.parent)


@pytest.mark.parametrize("stem", sorted(REPORTS))
def test_every_numeric_cell_of_tables_01_to_07(stem: str, corpus: Path) -> None:
    truth = json.loads(truth_file(stem, corpus).read_text(encoding="utf-8"))
    expected = Counter(
        (c["table"], c["section"], c["code"], c["item"], c["measure"], c["amount"], str(c["page"]), c.get("parent", ""))
        for c in truth["cells"]
    )
    data = parsed(corpus / f"{stem}.pdf")
    got = Counter(cell_key(i) for i in data.line_items if i.table <= "07" and not i.blank)
    assert sorted((expected - got).elements()) == [], "cells missing or wrong"
    assert sorted((got - expected).elements()) == [], "cells extra or wrong"
    assert sum(got.values()) == len(truth["cells"])


@pytest.mark.parametrize("stem", sorted(REPORTS))
def test_key_figures(stem: str, corpus: Path) -> None:
    truth = json.loads(truth_file(stem, corpus).read_text(encoding="utf-8"))
    data = parsed(corpus / f"{stem}.pdf")
    assert data.meta.department == truth["department"]
    assert data.meta.year == truth["year"]
    assert data.meta.pages == truth["pages"]
    for table, pages in truth["table_pages"].items():
        printed = {i.page for i in data.line_items if i.table == table}
        assert printed <= set(pages), (table, printed, pages)


def test_finance_bureau_provenance_boxes(corpus: Path) -> None:
    data = parsed(corpus / "shanghai-putuo-finance-bureau-2024-final.pdf")
    cell = next(i for i in data.line_items if i.table == "02" and i.code == "2010601" and i.measure_id == "other")
    assert (cell.raw, cell.page) == ("0.01", 8)
    assert cell.box is not None and cell.box.x0 < cell.box.x1 and cell.box.top < cell.box.bottom
    # 本年收入合计 printed with a thousands separator and read exactly.
    total = next(i for i in data.line_items if i.table == "01" and i.item == "本年收入合计")
    assert total.raw == "2,946.25" and str(total.amount) == "2946.25"
    assert all(i.page is not None and i.line is None for i in data.line_items)


def test_template_is_reported_as_template_with_no_data(corpus: Path) -> None:
    data = parsed(corpus / "shanghai-putuo-template-2024-final.pdf")
    assert data.meta.is_template
    assert data.line_items == []
    assert sorted(data.tables) == [f"{n:02d}" for n in range(1, 10)]
    # No data from a template; its completeness score is about the report, not data from it.
    assert all(rows == [] for name, rows in data.resources.items() if name != "completeness")


def test_empty_tables_are_present_and_empty(corpus: Path) -> None:
    data = parsed(corpus / "shanghai-putuo-finance-bureau-2024-final.pdf")
    assert data.tables["08"].empty and data.tables["09"].empty
    assert any("本表无数据" in note for note in data.tables["08"].raw.notes)
    assert not data.tables["07"].empty
