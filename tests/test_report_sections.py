"""The report page's 完整性 and 预算执行 sections, read from the written package."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from _site_package import REPORT_ID, write_fixture_package
from juesuan.site.pages import write_pages
from juesuan.site.report_sections import PARTS

# Hand-built rows (not from any parser): one report scoring 4 of 8 parts, and a final's own
# budget beside its actual, once from 表07 and twice from the narrative (one quoting no actual).
COMPLETENESS = {
    "report_id": REPORT_ID, "score": "46", "parts_met": "empty_stated,units,no_placeholders,consistent",
    "parts_missed": "tables,toc,prose,performance", "tables_expected": "9",
    "tables_found": "01,02,03,05,06,07", "tables_stated_empty": "08", "tables_empty_unstated": "09",
    "tables_missing": "04", "tables_without_unit": "", "toc_found": "false", "toc_problems": "0",
    "prose_sections": "0", "performance": "false", "placeholders": "0", "name_year_problems": "0",
}
BUDGET_EXECUTION = [
    {"report_id": REPORT_ID, "seq": 1, "source": "表07", "item": "reception", "name": "公务接待费",
     "budget": "0.50", "actual": "0.18", "difference": "-0.32", "rate": "36.00", "line": 357},
    {"report_id": REPORT_ID, "seq": 2, "source": "情况说明", "name": "一般公共预算财政拨款支出",
     "budget": "1758.07", "actual": "3658.45", "difference": "1900.38", "rate": "208.09", "line": 440},
    {"report_id": REPORT_ID, "seq": 3, "source": "情况说明", "name": "事业运行", "budget": "500.00", "line": 443},
]
CHART = f"{REPORT_ID}--budget-execution"


def _section(page: str, anchor: str) -> str:
    """Return the Markdown of one `## … { #anchor }` section of a page ('' when absent)."""
    m = re.search(r"^## [^\n]*\{ #" + re.escape(anchor) + r" \}\n(.*?)(?=^## |\Z)", page, re.S | re.M)
    return m.group(1) if m else ""


def _cells(html: str, label: str) -> list[str]:
    """Return the text of every table cell under the column `label` (tags stripped)."""
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'data-label="' + re.escape(label) + r'">(.*?)</td>', html)]


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages of the fixture package with a completeness row and budget_execution rows."""
    tmp = tmp_path_factory.mktemp("sections")
    extra: dict[str, list[dict[str, Any]]] = {"completeness": [COMPLETENESS], "budget_execution": BUDGET_EXECUTION}
    package = write_fixture_package(tmp / "package", extra=extra)
    write_pages(package, tmp / "data", archive_dir=tmp / "archive")
    return tmp / "data"


def _page(built: Path) -> str:
    return (built / "reports" / f"{REPORT_ID}.md").read_text(encoding="utf-8")


def test_completeness_shows_score_and_missed_parts(built: Path) -> None:
    page = _page(built)
    section = _section(page, "completeness")
    assert "完整性得分 46 / 100" in section
    results = dict(zip(_cells(section, "项目"), _cells(section, "结果"), strict=True))
    missed = COMPLETENESS["parts_missed"].split(",")
    assert results == {PARTS[p]: ("未满足" if p in missed else "满足") for p in PARTS}
    assert "满足 4 项" in section
    details = "\n".join(_cells(section, "说明"))
    assert "缺少：公开04表" in details and "注明为空的表：公开08表" in details and "未说明的空表：公开09表" in details
    assert "没有可读的目录" in details
    # After the check results, before the standard tables.
    assert page.index("{ #checks }") < page.index("{ #completeness }") < page.index("{ #tables }")


def test_budget_execution_chart_csv_equals_the_resource(built: Path) -> None:
    rows = _csv(built / "charts" / f"{CHART}.csv")
    assert rows[0] == ["项目", "系列", "数值", "单位"]
    got = {(r[0], r[1]): (Decimal(r[2]) if r[2] else None) for r in rows[1:]}
    want: dict[tuple[str, str], Decimal | None] = {}
    for r in BUDGET_EXECUTION:
        want[(str(r["name"]), "年初预算数")] = Decimal(str(r["budget"]))
        want[(str(r["name"]), "决算数")] = Decimal(str(r["actual"])) if "actual" in r else None
    assert got == want
    assert {r[3] for r in rows[1:]} == {"万元"}
    # A dated copy and the toolbar, like every other chart.
    assert list((built / "v").glob(f"*/charts/{CHART}.html"))
    page = _page(built)
    assert f'id="{CHART}"' in page and f'data-chart-id="{CHART}"' in page


def test_budget_execution_table_has_amounts_rates_and_sources(built: Path) -> None:
    section = _section(_page(built), "budget-execution")
    assert _cells(section, "项目") == [r["name"] for r in BUDGET_EXECUTION]
    assert _cells(section, "年初预算数（万元）") == ["0.50", "1758.07", "500.00"]
    assert _cells(section, "决算数（万元）") == ["0.18", "3658.45", ""]
    assert _cells(section, "差额（万元）") == ["−0.32", "+1900.38", ""]
    assert _cells(section, "执行率") == ["36.00%", "208.09%", "—"]
    assert [c.split()[0] for c in _cells(section, "来源")] == ["公开07表", "情况说明", "情况说明"]
    # Text export: each amount carries its source line.
    assert 'title="原文第357行"' in section


def test_report_without_rows_has_neither_section(tmp_path: Path) -> None:
    write_pages(write_fixture_package(tmp_path / "package"), tmp_path / "data")
    page = (tmp_path / "data" / "reports" / f"{REPORT_ID}.md").read_text(encoding="utf-8")
    assert "{ #budget-execution }" not in page and f'id="{CHART}"' not in page
    assert "{ #completeness }" not in page and "完整性得分" not in page
    assert not list((tmp_path / "data" / "charts").glob("*budget-execution*"))


SOCIAL_WORK = "shanghai-putuo-social-work-dept-2024-final"
SOCIAL_WORK_PAGE = 18  # 五（三）一般公共预算财政拨款支出决算具体情况


def test_social_work_page_shows_its_printed_budget_and_actual(corpus: Path, tmp_path: Path) -> None:
    from juesuan.cli import main

    pdf = corpus / f"{SOCIAL_WORK}.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not in the corpus")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    # What the page prints, read with poppler, not with the parser.
    text = subprocess.run(["pdftotext", "-layout", "-f", str(SOCIAL_WORK_PAGE), "-l", str(SOCIAL_WORK_PAGE), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    m = re.search(r"一般公共预算财政拨款支出年初预算为([\d,.]+)万元.*?支出决算为([\d,.]+)万元", flat)
    assert m, "page 18 no longer prints the sentence"
    budget, actual = (Decimal(x.replace(",", "")) for x in m.groups())

    assert main(["data", str(pdf), "--out", str(tmp_path / "pkg")]) == 0
    write_pages(tmp_path / "pkg", tmp_path / "data", sources_dir=corpus)
    page = (tmp_path / "data" / "reports" / f"{SOCIAL_WORK}.md").read_text(encoding="utf-8")
    section = _section(page, "budget-execution")
    assert section, "no 预算执行 section"
    pairs = list(zip(_cells(section, "项目"), _cells(section, "年初预算数（万元）"), _cells(section, "决算数（万元）"),
                     strict=True))
    assert ("一般公共预算财政拨款支出", f"{budget:.2f}", f"{actual:.2f}") in pairs
    assert f"{pdf.name}#page={SOCIAL_WORK_PAGE}" in section
    rows = _csv(tmp_path / "data" / "charts" / f"{SOCIAL_WORK}--budget-execution.csv")
    drawn = {(r[0], r[1]): Decimal(r[2]) for r in rows[1:] if r[2]}
    assert drawn[("一般公共预算财政拨款支出", "年初预算数")] == budget
    assert drawn[("一般公共预算财政拨款支出", "决算数")] == actual
    assert "完整性得分" in _section(page, "completeness")
