"""Every corpus PDF read as its text-export twin gives the same line items, cell for cell.

The twin is written from the PDF's own grids (tests/text_twins.py): tab-joined rows with a
merged header cell's covered positions kept empty, as Shanghai exports print them, and a
Fujian variant (zeros printed 0.00, a code printed once). Either must give the PDF's line
items: same table, code, item, measure and amount.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from juesuan.model import ReportData
from juesuan.pipeline import parse_report
from juesuan.read import read_report
from text_twins import report_to_text_export, twin_items

STEMS = ("shanghai-putuo-finance-bureau-2024-final", "shanghai-putuo-social-work-dept-2024-final",
         "shanghai-putuo-template-2024-final")
# Numeric cells of 表01–09 printed in each PDF: 0 for the blank template.
HAS_ITEMS = {"shanghai-putuo-finance-bureau-2024-final": True, "shanghai-putuo-social-work-dept-2024-final": True,
             "shanghai-putuo-template-2024-final": False}


@cache
def _pdf(path: Path) -> ReportData:
    return parse_report(path)


def _twin(pdf: Path, out: Path, *, fujian_style: bool) -> ReportData:
    out.write_text(report_to_text_export(read_report(pdf), fujian_style=fujian_style), encoding="utf-8")
    return parse_report(out)


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("fujian_style", [False, True], ids=["shanghai-style", "fujian-style"])
def test_text_twin_gives_the_pdf_line_items(stem: str, fujian_style: bool, corpus: Path, tmp_path: Path) -> None:
    pdf = corpus / f"{stem}.pdf"
    expected = twin_items(_pdf(pdf).line_items, blank_as_zero=fujian_style)
    actual = twin_items(_twin(pdf, tmp_path / f"{stem}.txt", fujian_style=fujian_style).line_items,
                        blank_as_zero=fujian_style)
    assert bool(expected) == HAS_ITEMS[stem]
    assert actual == expected


def test_twin_keeps_covered_header_positions(corpus: Path) -> None:
    text = report_to_text_export(read_report(corpus / "shanghai-putuo-finance-bureau-2024-final.pdf"))
    # The horizontal 三公 header as printed: each merged cell's covered positions stay empty.
    assert "合计\t\t因公出国（境）费\t\t公务用车购置及运行费\t\t\t\t\t\t公务接待费\t" in text.splitlines()
