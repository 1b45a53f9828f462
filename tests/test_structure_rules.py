"""Structure rules: one good and one broken fixture each, as flattened (rule, tables, row) tuples,
plus planted copies of corpus reports and the real findings confirmed on the page images.

The good fixture is the real Fuzhou report; each broken one edits its printed lines the way a
department's slip would. Expected rows are the words edited, not the checker's output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from check_helpers import changed, clone
from juesuan.checks import run_checks
from juesuan.model import Finding, ReportData, TextLine
from juesuan.pairing import ReportFiles
from juesuan.pipeline import parse_report, parse_report_files
from planting import KINDS, plant_lines

Edit = Callable[[ReportData], object]


def edit_line(old: str, new: str) -> Edit:
    """Return an edit replacing the first printed line containing `old` (the words, not the line)."""

    def edit(data: ReportData) -> None:
        assert data.raw is not None
        i = next(i for i, tl in enumerate(data.raw.lines) if old in tl.text)
        tl = data.raw.lines[i]
        data.raw.lines[i] = TextLine(tl.text.replace(old, new, 1), page=tl.page, line=tl.line)

    return edit


CASES: dict[str, tuple[Edit, set[tuple[str, str, str]]]] = {
    # line 409: 收入总计4052.48万元 printed as the template's XXX万元.
    "placeholder": (edit_line("收入总计4052.48万元", "收入总计XXX万元"), {("placeholder-text", "", "XXX")}),
    "someone": (edit_line("本部门共有车辆", "某某部门共有车辆"), {("placeholder-text", "", "某某")}),
    # line 443: 较上年决算数增加 17.03 万元 with the template's alternative kept.
    "alternatives": (edit_line("较上年决算数增加 17.03", "较上年决算数增加（减少）17.03"),
                     {("placeholder-text", "", "增加（减少）")}),
    # line 443: 主要原因是人员支出增加。 with the reason left out.
    "empty-reason": (edit_line("主要原因是人员支出增加。", "主要原因是。"), {("placeholder-text", "", "主要原因是")}),
    # line 415: a full stop doubled.
    "doubled": (edit_line("财政拨款收入3658.44万元。", "财政拨款收入3658.44万元。。"), {("placeholder-text", "", "。。")}),
    "empty-brackets": (edit_line("（一）2010350-事业运行", "（）2010350-事业运行"), {("placeholder-text", "", "（）")}),
    "instruction": (edit_line("主要原因是项目支出减少。", "主要原因是项目支出减少。（如持平作持平表述）"),
                    {("placeholder-text", "", "如持平作持平表述")}),
}


def failures(findings: list[Finding], rule: str) -> set[tuple[str, str, str, str]]:
    return {(f.rule, f.tables, f.row, f.pages) for f in findings if f.rule == rule and f.severity in ("error", "warning")}


def test_placeholder_rule_passes_on_the_real_report(fuzhou: ReportData) -> None:
    found = [f for f in run_checks(clone(fuzhou, facts=True)) if f.rule == "placeholder-text"]
    assert [f.severity for f in found] == ["pass"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_structure_rule_catches_a_broken_line(fuzhou: ReportData, case: str) -> None:
    base, broken = clone(fuzhou, facts=True), clone(fuzhou, facts=True)
    edit, expected = CASES[case]
    edit(broken)
    assert {k for k in changed(base, broken) if k[0] == "placeholder-text"} == expected


def test_latin_words_codes_and_multiplication_are_no_placeholders(fuzhou: ReportData) -> None:
    data = clone(fuzhou, facts=True)
    edit_line("完成 e 福州 APP 鸿蒙简配改造工作", "完成 XXL 型 APP、2×3 屏和 GBXX01 编码改造工作")(data)
    assert failures(run_checks(data), "placeholder-text") == set()


def test_a_reason_listed_below_is_not_missing(fuzhou: ReportData) -> None:
    data = clone(fuzhou, facts=True)
    edit_line("主要原因是人员支出增加。", "主要原因是：")(data)  # the enumerated （二） item follows
    assert failures(run_checks(data), "placeholder-text") == set()


PLACEHOLDER_KINDS = sorted(k for k, (_p, r) in KINDS.items() if r == "placeholder-text")


@pytest.mark.parametrize("kind", PLACEHOLDER_KINDS)
def test_planted_in_text_export(tmp_path: Path, fuzhou_path: Path, kind: str) -> None:
    plant, rule = KINDS[kind]
    lines, where = plant_lines(fuzhou_path.read_text(encoding="utf-8").split("\n"), plant)
    assert where is not None, f"{kind}: no place to plant it in {fuzhou_path.name}"
    out = tmp_path / fuzhou_path.name
    out.write_text("\n".join(lines), encoding="utf-8")
    found = failures(parse_report(out).findings, rule)
    assert found and all(f[3] == "" for f in found), (kind, lines[where], found)


# Real leftovers, each confirmed on the page image (pdftoppm -r 80): report → {(row, page)}.
REAL_LEFTOVERS = {
    "shanghai-putuo-social-work-dept-2024-final.pdf": {("仍保留该表格式", "15"), ("仍保留该表格式", "16")},
    "shanghai-putuo-finance-bureau-2024-final.pdf": set(),
    "shanghai-putuo-template-2024-final.pdf": set(),  # a blank template is not checked at all
    "budgets/js_npc_office_2018_dept_budget.pdf": {("增加（减少）", "19"), ("增加（减少）", "20"), ("。。", "25"),
                                                   ("增加（减少）", "28"), ("增加（减少）", "29")},
    "budgets/sh_putuo_justice_2026_dept_budget.pdf": {("。。", "8")},
    "budgets/sh_putuo_finance_2025_dept_budget.pdf": set(),
    "budgets/js_npc_office_2017_dept_budget.pdf": set(),
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(REAL_LEFTOVERS))
def test_real_leftovers_of_the_corpus(corpus: Path, name: str) -> None:
    found = {(row, pages.split(",")[0]) for _r, _t, row, pages in failures(parse_report(corpus / name).findings, "placeholder-text")}
    assert found == REAL_LEFTOVERS[name]


@pytest.mark.corpus
def test_paired_budget_has_no_leftover(corpus: Path) -> None:
    b = corpus / "budgets"
    data = parse_report_files(ReportFiles((b / "js_cppcc_office_2018_dept_budget.pdf", b / "js_cppcc_office_2018_dept_budget_tables.pdf")))
    assert failures(data.findings, "placeholder-text") == set()
