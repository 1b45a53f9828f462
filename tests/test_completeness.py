"""The completeness resource: one row per report, its parts, and a score that falls with each part missed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from check_helpers import clone
from juesuan.checks import run_checks
from juesuan.checks.completeness import PARTS, completeness_row
from juesuan.model import ReportData, TextLine

ROOT = Path(__file__).resolve().parents[1]


def test_fuzhou_is_complete(fuzhou: ReportData) -> None:
    row = completeness_row(fuzhou)
    assert row["score"] == 100 and row["parts_missed"] == ""
    assert row["tables_found"] == "01,02,03,04,05,06,07,08,09" and row["tables_stated_empty"] == "08,09"


def test_a_leftover_and_a_lost_table_lower_the_score(fuzhou: ReportData) -> None:
    data = clone(fuzhou, facts=True)
    assert data.raw is not None
    i = next(i for i, tl in enumerate(data.raw.lines) if "收入总计4052.48万元" in tl.text)
    data.raw.lines[i] = TextLine(data.raw.lines[i].text.replace("4052.48", "XXX"), line=data.raw.lines[i].line)
    data.raw.tables.remove(data.tables.pop("07").raw)
    data.findings = run_checks(data)
    row = completeness_row(data)
    assert row["parts_missed"] == "tables,toc,no_placeholders" and row["tables_missing"] == "07"
    # 8/9 of the tables part and 5 other parts of 8: (8/9 + 5) / 8 = 73.6%.
    assert row["score"] == 74 and len(PARTS) == 8


def test_committed_package_has_a_completeness_row_per_report() -> None:
    with (ROOT / "datapackage" / "data" / "completeness.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (ROOT / "datapackage" / "data" / "reports.csv").open(encoding="utf-8") as fh:
        reports = [r["report_id"] for r in csv.DictReader(fh)]
    assert [r["report_id"] for r in rows] == reports and all(r["score"].isdigit() for r in rows)


@pytest.mark.corpus
def test_corpus_scores(corpus: Path) -> None:
    from juesuan.pipeline import parse_report

    social = completeness_row(parse_report(corpus / "shanghai-putuo-social-work-dept-2024-final.pdf"))
    assert (social["score"], social["parts_missed"], social["tables_stated_empty"]) == (88, "no_placeholders", "07,08,09")
    npc = completeness_row(parse_report(corpus / "budgets" / "js_npc_office_2017_dept_budget.pdf"))
    # Its 机关运行经费 table (B12) prints its title at the foot of p.18 and its grid on p.19; the
    # reader carries the title over, so every table of the 目录 is found.
    assert npc["parts_missed"] == "consistent" and npc["tables_missing"] == ""


def test_the_score_is_kept_when_a_worker_drops_the_text(fuzhou: ReportData) -> None:
    # A worker hands the report back without `raw`; the package must not score it again without
    # its text (that gave 0 情况说明 sections and no 绩效 to every report built with -j).
    from juesuan.package import resource_rows

    report = clone(fuzhou)
    expected = completeness_row(report)
    assert expected["prose_sections"] > 0
    report.raw = None
    (row,) = resource_rows([report], "completeness")
    assert row == expected
