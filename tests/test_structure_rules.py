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
from juesuan.checks import RULES, run_checks
from juesuan.model import Finding, ReportData, TextLine
from juesuan.pairing import ReportFiles
from juesuan.pipeline import parse_report, parse_report_files
from planting import KINDS, plant_lines

Edit = Callable[[ReportData], object]
STRUCTURE = {code for code, r in RULES.items() if r.both}


def edit_line(old: str, new: str) -> Edit:
    """Return an edit replacing the first printed line containing `old` (the words, not the line)."""

    def edit(data: ReportData) -> None:
        assert data.raw is not None
        i = next(i for i, tl in enumerate(data.raw.lines) if old in tl.text)
        tl = data.raw.lines[i]
        data.raw.lines[i] = TextLine(tl.text.replace(old, new, 1), page=tl.page, line=tl.line)

    return edit


def toc_rows(data: ReportData) -> list:
    assert data.raw is not None
    return next(t for t in data.raw.tables if t.title.replace(" ", "") == "目录").rows


def drop_toc_row(words: str) -> Edit:
    """Return an edit removing the 目录 row that lists `words`."""
    def edit(data: ReportData) -> None:
        rows = toc_rows(data)
        rows.remove(next(r for r in rows if words in r[0].text))
    return edit


def rename_toc_row(old: str, new: str) -> Edit:
    def edit(data: ReportData) -> None:
        row = next(r for r in toc_rows(data) if old in r[0].text)
        row[0] = type(row[0])(row[0].text.replace(old, new), line=row[0].line)
    return edit


def fund_statements_dropped(data: ReportData) -> None:
    """Say nowhere why 表08 (政府性基金, printed with 0.00 only) is empty."""
    assert data.raw is not None
    data.tables["08"].raw.notes = []
    data.raw.lines = [tl for tl in data.raw.lines
                      if not ("政府性基金" in tl.text and (tl.line or 0) > 370 and "、" not in tl.text[:3])]


def said_empty(number: str) -> Edit:
    def edit(data: ReportData) -> None:
        data.tables[number].raw.notes.append("注：本部门无此项支出，故本表无数据。")
    return edit


CASES: dict[str, tuple[Edit, set[tuple[str, str, str]]]] = {
    # The 目录 (line 8, a grid) lists 表07; the table itself is gone, or its 目录 row is.
    "toc-listed-missing": (lambda d: d.raw and d.raw.tables.remove(d.tables.pop("07").raw), {("toc-consistency", "07", "07")}),
    "toc-unlisted": (drop_toc_row("三公"), {("toc-consistency", "07", "07")}),
    "toc-section": (rename_toc_row("预算绩效情况说明", "资产管理情况说明"), {("toc-consistency", "", "章节/资产管理情况说明")}),
    # 表08 prints 0.00 only: without its note (line 379) and the prose (461-463) nothing says why.
    "empty-unstated": (fund_statements_dropped, {("table-empty-statement", "08", "08")}),
    # 表05 prints amounts under a note saying it has none.
    "empty-contradicted": (said_empty("05"), {("table-empty-statement", "05", "05")}),
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
    # line 403: the 第三部分 heading names another year.
    "year-heading": (edit_line("2024 年度部门决算情况说明", "2023 年度部门决算情况说明"),
                     {("year-consistency", "", "标题或封面所写本年度/2023")}),
    "year-self": (edit_line("本部门 2024 年度没有使用政府性基金", "本部门 2025 年度没有使用政府性基金"),
                  {("year-consistency", "", "本部门的年度/2025")}),
    "year-date": (edit_line("截至 2024 年 12 月 31 日，本部门共有车辆", "截至 2023 年 12 月 31 日，本部门共有车辆"),
                  {("year-consistency", "", "截至日期/2023")}),
    # line 107: the first table's 部门 line drops the city, or names another department.
    "department-dropped": (edit_line("部门：福州市“智慧福州”", "部门：“智慧福州”"),
                           {("department-consistency", "", "部门名称行/智慧福州管理服务中心")}),
    "department-other": (edit_line("部门：福州市“智慧福州”管理服务中心", "部门：福州市数字福州管理委员会"),
                         {("department-consistency", "", "部门名称行/福州市数字福州管理委员会")}),
    "instruction": (edit_line("主要原因是项目支出减少。", "主要原因是项目支出减少。（如持平作持平表述）"),
                    {("placeholder-text", "", "如持平作持平表述")}),
}


def failures(findings: list[Finding], rule: str) -> set[tuple[str, str, str, str]]:
    return {(f.rule, f.tables, f.row, f.pages) for f in findings if f.rule == rule and f.severity in ("error", "warning")}


@pytest.mark.parametrize("code", sorted(STRUCTURE))
def test_structure_rule_passes_on_the_real_report(fuzhou: ReportData, code: str) -> None:
    found = [f for f in run_checks(clone(fuzhou, facts=True)) if f.rule == code]
    assert found and all(f.severity == "pass" for f in found), found


@pytest.mark.parametrize("case", sorted(CASES))
def test_structure_rule_catches_a_broken_line(fuzhou: ReportData, case: str) -> None:
    base, broken = clone(fuzhou, facts=True), clone(fuzhou, facts=True)
    edit, expected = CASES[case]
    edit(broken)
    assert {k for k in changed(base, broken) if k[0] in STRUCTURE} == expected


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


# Years and names confirmed on the page images: report → {(rule, row, severity)}.
REAL_NAMES_YEARS = {
    # p8: "比2026年预算增加793.14万元" (×3) and "与2026年预算持平" (×2) in the 2026 budget: last year is 2025.
    "budgets/sh_putuo_justice_2026_dept_budget.pdf": {("year-consistency", "比较的基年/2026", "error")},
    # p1 目录: "第二部分 省人大办公厅2017年度部门预算表"; the cover and p6 say 江苏省人大常委会办公厅.
    "budgets/js_npc_office_2017_dept_budget.pdf": {("department-consistency", "第N部分标题/省人大办公厅", "warning")},
    "shanghai-putuo-finance-bureau-2024-final.pdf": set(),
    "shanghai-putuo-social-work-dept-2024-final.pdf": set(),
    # p8: "部门名称：江苏省人大|常委会办公厅" wraps in its cell: the name itself, no finding.
    "budgets/js_npc_office_2018_dept_budget.pdf": set(),
    "budgets/sh_putuo_wanli_street_2023_dept_budget.pdf": set(),
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(REAL_NAMES_YEARS))
def test_real_names_and_years_of_the_corpus(corpus: Path, name: str) -> None:
    found = {(f.rule, f.row, f.severity) for f in parse_report(corpus / name).findings
             if f.rule in ("year-consistency", "department-consistency") and f.severity in ("error", "warning")}
    assert found == REAL_NAMES_YEARS[name]


@pytest.mark.corpus
def test_paired_budget_has_no_leftover(corpus: Path) -> None:
    b = corpus / "budgets"
    data = parse_report_files(ReportFiles((b / "js_cppcc_office_2018_dept_budget.pdf", b / "js_cppcc_office_2018_dept_budget_tables.pdf")))
    assert failures(data.findings, "placeholder-text") == set()


# 目录 and empty tables on the corpus. js_npc_office_2017 p1 lists 十、一般公共预算机关运行经费支出预算表;
# the table is on p19 with no title on its page (rendered: 科目编码/科目名称/机关运行经费支出, 合计 5,619.31).
REAL_TOC_EMPTY = {
    # B12's title ends p.18 and its grid is p.19: found once the title is carried over the break.
    "budgets/js_npc_office_2017_dept_budget.pdf": set(),
    "budgets/js_npc_office_2018_dept_budget.pdf": set(),
    "budgets/sh_putuo_govoffice_2025_unit_budget.pdf": set(),
    "shanghai-putuo-finance-bureau-2024-final.pdf": set(),
    "shanghai-putuo-social-work-dept-2024-final.pdf": set(),
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(REAL_TOC_EMPTY))
def test_real_toc_and_empty_tables_of_the_corpus(corpus: Path, name: str) -> None:
    findings = parse_report(corpus / name).findings
    found = {(f.rule, f.row, f.severity) for f in findings
             if f.rule in ("toc-consistency", "table-empty-statement") and f.severity in ("error", "warning")}
    assert found == REAL_TOC_EMPTY[name]
    assert any(f.rule == "toc-consistency" and f.severity == "pass" for f in findings)
