"""`prose-completion-rate`: one good and one broken fixture as flattened (rule, tables, row) tuples,
the zero-budget case of the social-work report (p18, confirmed on the page image) and a planted PDF text layer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from check_helpers import flat
from juesuan.checks import run_checks
from juesuan.model import ReportData
from juesuan.pipeline import parse_report
from planting import KINDS, plant_lines
from test_planted_prose import _planted_pdf
from test_prose_rules import with_prose

RULE = "prose-completion-rate"
# The finance bureau's p21 sentence: 2940.05 / 2993.92 = 98.20%.
GOOD = "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。"


def outcomes(data: ReportData) -> dict[tuple[str, str, str], str]:
    return {k: v for k, v in flat(run_checks(data)).items() if k[0] == RULE}


def passes(data: ReportData) -> list[str]:
    return [f.severity for f in run_checks(data) if f.rule == RULE]


def test_good_rate_passes(fuzhou: ReportData) -> None:
    assert passes(with_prose(fuzhou, GOOD)) == ["pass"]


def test_broken_rate_is_an_error(fuzhou: ReportData) -> None:
    broken = with_prose(fuzhou, GOOD.replace("98.20%", "97.20%"))
    assert outcomes(broken) == {(RULE, "", "一般公共预算财政拨款支出"): "error"}


def test_rounding_of_the_rate_is_rounding(fuzhou: ReportData) -> None:
    # 0.05 / 0.15 = 33.33%, but amounts rounded to the cent allow 0.045/0.155 … 0.055/0.145 = 29.03% … 37.93%.
    said = "公务接待费年初预算为0.15万元，支出决算为0.05万元，完成年初预算的35.00%。"
    assert outcomes(with_prose(fuzhou, said)) == {(RULE, "", "公务接待费"): "rounding"}
    assert outcomes(with_prose(fuzhou, GOOD.replace("98.20%", "98.19%"))) == {(RULE, "", "一般公共预算财政拨款支出"): "error"}


def test_a_zero_budget_leaves_no_rate(fuzhou: ReportData) -> None:
    said = "一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。"
    assert outcomes(with_prose(fuzhou, said)) == {(RULE, "", "一般公共预算财政拨款支出"): "error"}


def test_nothing_budgeted_nothing_spent_is_no_error(fuzhou: ReportData) -> None:
    said = "“三公”经费财政拨款支出年初预算为0万元，支出决算为0.00万元，完成预算的0%。"
    assert passes(with_prose(fuzhou, said)) == ["pass"]


@pytest.mark.corpus
def test_social_work_zero_initial_budget(corpus: Path) -> None:
    # p18: "年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%" (95.89% is of 全年预算).
    found = {k: v for k, v in flat(parse_report(corpus / "shanghai-putuo-social-work-dept-2024-final.pdf").findings).items()
             if k[0] == RULE}
    assert found == {(RULE, "", "一般公共预算财政拨款支出"): "error"}


@pytest.mark.corpus
def test_planted_in_pdf_text_layer(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = corpus / "shanghai-putuo-finance-bureau-2024-final.pdf"
    assert not {k for k, v in flat(parse_report(path).findings).items() if k[0] == RULE and v == "error"}
    found, line = _planted_pdf(path, "completion-rate", monkeypatch)
    assert (RULE, "一般公共预算财政拨款支出") in found, line


def test_planted_in_text_export_needs_a_rate(fuzhou_path: Path) -> None:
    # The Fuzhou prose prints 完成全年预算的 100% with no budget figure: no place to plant a checkable rate.
    _lines, where = plant_lines(fuzhou_path.read_text(encoding="utf-8").split("\n"), KINDS["completion-rate"][0])
    assert where is None
