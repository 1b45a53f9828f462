"""The checks on real reports (exact non-pass findings, read against the source) and `juesuan check`."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from check_helpers import flat
from juesuan.checks import RULES, run_checks
from juesuan.checks.tolerance import classify, tolerance
from juesuan.cli import main
from juesuan.model import ReportData
from juesuan.pipeline import parse_report

# Fuzhou, read line by line: 尾数误差 of 0.01 where a printed total and its printed parts were
# rounded separately, and one warning: 表06 30108 56.49 vs 表05 2080505 56.46 (not an identity).
FUZHOU_NON_PASS = {
    ("t01-income-grand-total", "01", "总计"): "rounding",  # 3658.44 + 0 + 394.03 = 4052.47, printed 4052.48
    ("t01-expenditure-grand-total", "01", "总计"): "rounding",  # 3982.04 + 0 + 70.43 = 4052.47
    ("t02-kuan-equals-sum-of-xiang", "02", "22102"): "rounding",  # 51.86 + 9.49 + 47.69 = 109.04, printed 109.05
    ("t02-kuan-equals-sum-of-xiang", "02", "22102/财政拨款收入"): "rounding",
    ("t03-row-total", "03", "合计"): "rounding",  # 702.61 + 3279.44 = 3982.05, printed 3982.04
    ("t03-total-equals-sum-of-classes", "03", "合计/基本支出"): "rounding",  # 508.68 + 84.87 + 109.05 = 702.60
    ("t03-kuan-equals-sum-of-xiang", "03", "22102"): "rounding",
    ("t03-kuan-equals-sum-of-xiang", "03", "22102/基本支出"): "rounding",
    ("t04-income-grand-total", "04", "总计"): "rounding",  # 3658.44 + 35.43 = 3693.87, printed 3693.88
    ("t04-expenditure-grand-total", "04", "总计"): "rounding",
    ("t04-expenditure-grand-total", "04", "总计/一般公共预算财政拨款"): "rounding",
    ("t05-row-total", "05", "合计"): "rounding",  # 702.61 + 2955.84 = 3658.45, printed 3658.44
    ("t05-total-equals-sum-of-classes", "05", "合计/基本支出"): "rounding",
    ("t05-kuan-equals-sum-of-xiang", "05", "22102"): "rounding",
    ("t05-kuan-equals-sum-of-xiang", "05", "22102/基本支出"): "rounding",
    ("t06-class-equals-sum-of-kuan", "06", "301"): "rounding",  # Σ款 670.97, printed 670.96
    ("x05-06-basic-total", "05,06", "基本支出"): "rounding",  # 670.96 + 31.64 = 702.60 vs 702.61
    ("x05-06-economic-function", "05,06", "30108/2080505"): "warning",  # 56.49 vs 56.46
    # Rates printed beside the changes, recomputed from the rounded amounts (line 449, 455, 481).
    ("narrative-change-consistent", "", "2080505 机关事业单位基本养老保险缴费支出"): "rounding",  # 21.07/35.39 = 59.54%, printed 59.52%
    ("narrative-change-consistent", "", "2210202 提租补贴"): "rounding",  # -0.22/9.71 = -2.27%, printed -2.26%
    ("narrative-change-consistent", "", "三公"): "rounding",  # -0.52/2.78 = -18.71%, printed -18.70%
    ("narrative-unit-slip", "", "注册用户数"): "warning",  # line 732: 注册用户数超1150万元
    # Prose parts against the prose total (lines 428, 473-477): 670.96 + 31.64 = 702.60, printed 702.61.
    ("prose-parts", "", "基本支出"): "rounding",
    ("prose-parts", "", "一般公共预算财政拨款基本支出"): "rounding",
    # Line 511: 货物/工程/服务 each 0.00% to SMEs, yet 1195.76 万元 of contracts went to SMEs.
    ("prose-sme", "", "授予中小企业合同/分类占比"): "warning",
}

# Finance bureau, each confirmed on the rendered page (pdftoppm -r 70).
FINANCE_NON_PASS = {
    ("t02-total-equals-sum-of-classes", "02", "合计"): "rounding",  # p8-9: 2112.86 + 326.72 + 60.99 + 445.69 = 2946.26
    ("t02-total-equals-sum-of-classes", "02", "合计/财政拨款收入"): "rounding",
    ("t03-total-equals-sum-of-classes", "03", "合计"): "rounding",  # p10-11: Σ类 2940.06, printed 2940.05
    ("t03-total-equals-sum-of-classes", "03", "合计/基本支出"): "rounding",
    ("t05-total-equals-sum-of-classes", "05", "合计"): "rounding",  # p15
    ("t05-total-equals-sum-of-classes", "05", "合计/基本支出"): "rounding",
    ("t06-class-equals-sum-of-kuan", "06", "301"): "rounding",  # p16: Σ款 2082.86, printed 2082.85
    ("t06-class-equals-sum-of-kuan", "06", "302"): "rounding",  # p16-17: Σ款 171.09, printed 171.07 (12 addends)
    ("x01-03-expenditure-class", "01,03", "208"): "rounding",  # 表01 326.71 vs 表03 326.72
    ("x04-05-general-class", "04,05", "208"): "rounding",  # 表04 326.71 vs 表05 326.72
    ("narrative-amount", "04", "财政拨款收入支出总计"): "error",  # p21 prints 0.3万元; 表04 总计 2961.68
    # p21 五、(二): 2106.66 / 2940.05 = 71.65%, printed 71.73%; so the four shares add to 100.07%.
    ("prose-share", "", "一般公共服务支出（类）"): "error",
    ("prose-share-sum", "", "一般公共预算财政拨款支出"): "error",
    ("prose-parts", "", "政府采购"): "rounding",  # p24: 4.79 + 0 + 246.47 = 251.26, printed 251.25
}

SOCIAL_WORK_NON_PASS = {
    ("t06-class-equals-sum-of-kuan", "06", "302"): "rounding",  # p13: Σ款 10.22, printed 10.23
    ("x05-06-basic-total", "05,06", "基本支出"): "rounding",  # 95.36 + 10.23 = 105.59 vs 表05 105.58
    # A department founded in 2024: last year is 0, so the printed 增长100.00% has no base.
    ("narrative-change-consistent", "", "一般公共预算财政拨款支出"): "warning",
    ("narrative-change-consistent", "", "收入支出总计"): "warning",
    ("narrative-change-consistent", "", "机关运行经费"): "warning",
    ("narrative-change-consistent", "", "财政拨款收入支出总计"): "warning",
    ("prose-parts", "", "一般公共预算财政拨款基本支出"): "rounding",  # p20: 95.36 + 10.23 = 105.59, printed 105.58
    ("prose-share", "", "住房保障支出（类）"): "rounding",  # p18: 29.42 / 307.82 = 9.557%, printed 9.55 (list adds to 100)
    # p22: 21.07 won by SMEs in reserved projects and 21.07 in other projects, of 21.07 in all.
    ("prose-sme", "", "政府采购/授予中小企业"): "warning",
    # p18: 年初预算为0万元 … 完成年初预算的95.89% (307.82 / 321.02 全年预算 = 95.89%): no rate of a 0 budget.
    ("prose-completion-rate", "", "一般公共预算财政拨款支出"): "error",
    # p15, p16: the template's instruction to the filer left under 表08 and 表09.
    ("placeholder-text", "", "仍保留该表格式"): "warning",
}


def mine(data: ReportData) -> dict[tuple[str, str, str], str]:
    """Return the non-pass findings of the catalogue rules (not the narrative module's own).

    not-checked outcomes are left out here: test_not_checked.py asserts them on their own.
    """
    return {k: v for k, v in flat(data.findings).items() if k[0] in RULES and v != "not-checked"}


def test_tolerance_is_per_addend() -> None:
    """0.01 per addend is rounding, beyond it the rule's severity."""
    assert tolerance(3) == D("0.03")
    assert classify(D("1.00"), D("1.00"), 2, "error") == "pass"
    assert classify(D("1.00"), D("1.02"), 2, "error") == "rounding"
    assert classify(D("1.00"), D("1.03"), 2, "warning") == "warning"


def test_fuzhou_non_pass_findings(fuzhou: ReportData) -> None:
    """The pipeline attaches the findings; the non-pass ones are exactly those read in the source."""
    assert mine(fuzhou) == FUZHOU_NON_PASS
    finding = next(f for f in fuzhou.findings if f.rule == "x05-06-economic-function" and f.severity == "warning")
    assert (finding.expected, finding.actual, finding.difference) == (D("56.46"), D("56.49"), D("0.03"))
    assert finding.lines == "282,310" and finding.pages == ""
    assert "30108" in finding.message and "56.49 万元" in finding.message


def test_fuzhou_messages_are_plain_chinese(fuzhou: ReportData) -> None:
    """Every finding explains itself with the numbers."""
    for f in fuzhou.findings:
        if f.rule in RULES and f.severity != "not-checked":
            # Amount findings quote 万元; structural ones (no unit) and completeness need not.
            assert (f.message and "万元" in f.message) or f.rule.startswith("table-") or not f.unit, f


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "expected"), [
    ("shanghai-putuo-finance-bureau-2024-final.pdf", FINANCE_NON_PASS),
    ("shanghai-putuo-social-work-dept-2024-final.pdf", SOCIAL_WORK_NON_PASS),
])
def test_corpus_pdfs(corpus: Path, name: str, expected: dict[tuple[str, str, str], str]) -> None:
    """The filled Shanghai PDFs: exactly the non-pass findings confirmed on the rendered pages."""
    if not Path(__file__).resolve().parents[1].joinpath("scripts/juesuan/read/pdf.py").exists():
        pytest.skip("the PDF reader (juesuan.read.pdf) has not landed")
    data = parse_report(corpus / name)
    assert mine(data) == expected
    assert all(f.pages for f in data.findings
               if f.rule in RULES and not f.rule.startswith("table-") and f.severity != "not-checked")


@pytest.mark.corpus
def test_corpus_template_has_no_findings(corpus: Path) -> None:
    """The blank template is skipped: no finding at all from the catalogue."""
    data = parse_report(corpus / "shanghai-putuo-template-2024-final.pdf")
    assert data.meta.is_template and run_checks(data) == []


def test_cli_check_prints_non_pass_only(fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`juesuan check` prints a header and one line per non-pass finding; rounding and warnings exit 0."""
    assert main(["check", str(fuzhou_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("\t") == ["report", "rule", "severity", "tables", "row", "expected", "actual", "difference", "message"]
    rows = [line.split("\t") for line in out[1:]]
    assert all(r[2] != "pass" for r in rows)
    assert ["x05-06-economic-function", "warning", "05,06", "30108/2080505", "56.46", "56.49", "0.03"] in [r[1:8] for r in rows]


def test_cli_check_all_and_errors(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--all prints passes; an error finding or an unreadable file exits 1; no file is usage (2)."""
    assert main(["check", "--all", str(fuzhou_path)]) == 0
    assert "\tpass\t" in capsys.readouterr().out
    broken = tmp_path / "broken.txt"
    broken.write_text(fuzhou_path.read_text(encoding="utf-8").replace("总计\t4052.48\t总计\t4052.48", "总计\t4052.48\t总计\t4062.48"),
                      encoding="utf-8")
    assert main(["check", str(broken)]) == 1
    assert "t01-grand-totals-equal\terror" in capsys.readouterr().out
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["check", str(empty)]) == 1
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
