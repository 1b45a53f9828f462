"""One good and one broken fixture per prose rule, as flattened (rule, tables, row) tuples.

The good fixture is the real Fuzhou report (its prose read by the grammar); each broken one
changes one printed figure of its prose, or for share lists a two-sentence prose written here.
Expected rows come from the sentences edited, not from the checker's output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from check_helpers import D, changed, clone
from juesuan.checks import RULES, run_checks
from juesuan.model import RawReport, ReportData, TextLine
from juesuan.narrative import extract_facts

PROSE_RULES = {code for code in RULES if code.startswith("prose-")}


def fact(data: ReportData, subject: str, metric: str) -> dict:
    return next(f for f in data.resources["facts"] if f["subject"] == subject and f["metric"] == metric)


def with_prose(data: ReportData, *sentences: str) -> ReportData:
    """Return a copy whose facts are read from the given sentences (one section)."""
    lines = [TextLine("第三部分", line=1), TextLine("三、支出决算情况说明", line=2)]
    lines += [TextLine(s, line=3 + i) for i, s in enumerate(sentences)]
    raw = RawReport(source_file=Path("x"), source_sha256="", input_kind="text", pages=None, tables=[], lines=lines)
    out = clone(data, facts=True)
    out.resources["facts"] = extract_facts(raw, data.meta.report_id)
    out.raw = None
    return out


Edit = Callable[[ReportData], object]
CASES: dict[str, tuple[Edit, set[tuple[str, str, str]]]] = {
    # 四、“比上年决算数增加 0.00 万元，与上年决算数持平”: a change of 5.00 is not 持平.
    "prose-comparison": (lambda d: fact(d, "政府性基金支出", "增减额").update(value=D("5.00")),
                         {("prose-comparison", "", "政府性基金支出")}),
    # 三、(一) “增加 17.03 万元，增长 3.46%” printed as 下降 3.46%.
    "prose-direction": (lambda d: fact(d, "2010350 事业运行", "增减率").update(value=D("-3.46")),
                        {("prose-direction", "", "2010350 事业运行")}),
    # 九、(二) 5.76 / 1195.76 = 0.48%, printed 4.80%.
    "prose-share": (lambda d: fact(d, "授予小微企业合同", "占比").update(value=D("4.80")),
                    {("prose-share", "", "授予小微企业合同")}),
    # 九、(二) 5.76 + 0.00 + 3088.75 = 3094.51; 货物 printed 6.76.
    "prose-parts": (lambda d: fact(d, "政府采购货物", "本年决算").update(value=D("6.76")),
                    {("prose-parts", "", "政府采购")}),
    # 九、(二) 授予小微企业 1500.00 > 授予中小企业 1195.76 (and its 0.48% no longer fits).
    "prose-sme": (lambda d: fact(d, "授予小微企业合同", "本年决算").update(value=D("1500.00")),
                  {("prose-sme", "", "授予小微企业合同"), ("prose-share", "", "授予小微企业合同")}),
}


def test_every_prose_rule_has_fixtures() -> None:
    # prose-completion-rate has its fixtures in tests/test_completion_rate.py.
    assert set(CASES) | {"prose-share-sum", "prose-three-public-table", "prose-completion-rate"} == PROSE_RULES


@pytest.mark.parametrize("code", sorted(CASES))
def test_prose_rule_passes_on_the_real_report(fuzhou: ReportData, code: str) -> None:
    found = [f for f in run_checks(clone(fuzhou, facts=True)) if f.rule == code]
    assert found, f"{code} checked nothing on the Fuzhou report"
    # One real warning: 货物/工程/服务 each 0.00% to SMEs, yet 1195.76 万元 went to SMEs (line 511).
    real = {("prose-sme", "", "授予中小企业合同/分类占比")}
    assert all(f.severity in ("pass", "rounding") for f in found if (f.rule, f.tables, f.row) not in real)


@pytest.mark.parametrize("code", sorted(CASES))
def test_prose_rule_catches_a_broken_value(fuzhou: ReportData, code: str) -> None:
    base = clone(fuzhou, facts=True)
    broken = clone(fuzhou, facts=True)
    edit, expected = CASES[code]
    edit(broken)
    got = changed(base, broken)
    assert got == expected


GOOD_LIST = ("本年支出合计100.00万元，其中：基本支出60.00万元，占60.00%；", "项目支出40.00万元，占40.00%。")


def test_share_sum_good_and_broken(fuzhou: ReportData) -> None:
    """Shares of a complete list add to 100%; 60.00% + 45.00% does not (and 45.00% misstates 40.00)."""
    good = with_prose(fuzhou, *GOOD_LIST)
    assert {(f.rule, f.severity) for f in run_checks(good) if f.rule.startswith("prose-share")} == {
        ("prose-share", "pass"), ("prose-share-sum", "pass")}
    broken = with_prose(fuzhou, GOOD_LIST[0], "项目支出40.00万元，占45.00%。")
    assert changed(good, broken) == {("prose-share-sum", "", "支出合计"), ("prose-share", "", "项目支出")}


def test_rounding_stays_rounding(fuzhou: ReportData) -> None:
    """A share off by its last digit, and shares adding to 99.99%, are rounding, never errors."""
    data = with_prose(fuzhou, "本年支出合计100.00万元，其中：基本支出33.33万元，占33.33%；",
                      "项目支出66.67万元，占66.66%。")
    severities = {(f.rule, f.row): f.severity for f in run_checks(data) if f.rule.startswith("prose-")}
    assert severities[("prose-share", "项目支出")] == "rounding"  # 66.67/100.00 = 66.67% printed 66.66
    assert severities[("prose-share-sum", "支出合计")] == "rounding"  # 33.33 + 66.66 = 99.99
    assert "error" not in severities.values()


def _with_budget_column(data: ReportData, budget: str) -> ReportData:
    """Give 表07's 合计 a 预算数 (the Shanghai layout prints one; Fuzhou's prints 决算数 only)."""
    next(r for r in data.resources["three_public"] if r["item"] == "total")["budget"] = D(budget)
    return data


def test_three_public_prose_against_table_07(fuzhou: ReportData) -> None:
    """The prose's 三公 年初预算 equals 表07 预算数; a different figure is an error."""
    sentence = "“三公”经费财政拨款支出年初预算为{}万元，支出决算为2.26万元，完成预算的100%。"
    good = _with_budget_column(with_prose(fuzhou, sentence.format("2.26")), "2.26")
    found = {(f.rule, f.tables, f.row): f.severity for f in run_checks(good) if f.rule == "prose-three-public-table"}
    assert found == {("prose-three-public-table", "07", "三公/预算数"): "pass"}
    broken = _with_budget_column(with_prose(fuzhou, sentence.format("3.26")), "2.26")
    assert ("prose-three-public-table", "07", "三公/预算数") in changed(good, broken)


def test_blank_table_07_is_not_zero(fuzhou: ReportData) -> None:
    """七、 prints 三公 2.26, 车 2.08 (运行 2.08), 接待 0.18: with 表07 printed blank, each is an error."""
    broken = clone(fuzhou, facts=True)
    broken.tables["07"].empty = True
    got = {k for k in changed(clone(fuzhou, facts=True), broken) if k[0] == "prose-three-public-table"}
    assert got == {("prose-three-public-table", "07", f"{s}/决算数")
                   for s in ("三公", "公务用车购置及运行维护费", "公务用车运行维护费", "公务接待费")}
