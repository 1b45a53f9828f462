"""budget_execution (a final report's own 年初预算 vs 决算) and budget_vs_final (budget beside final)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from juesuan.budget_compare import budget_execution_rows, budget_vs_final_rows, department_key, rate
from juesuan.model import LineItem, ReportData, ReportMeta


def _meta(rid: str, family: str, department: str = "某某局", year: int = 2024, level: str = "部门") -> ReportMeta:
    return ReportMeta(rid, department, "", year, level + family, "万元", f"{rid}.pdf", "0" * 64, 1, "0", "pdf",
                      kind_family=family, level=level)


def _item(table: str, code: str, item: str, measure: str, value: str) -> LineItem:
    return LineItem("b", table, 1, 1, 0, "", code, item, "", measure, measure, D(value), value, False, "元", "", 3, None, None)


def _final(rid: str = "f", **meta: object) -> ReportData:
    resources = {
        "three_public": [
            {"item": "total", "name": "合计", "budget": D("10.00"), "actual": D("8.00"), "page": 9, "line": None},
            {"item": "overseas", "name": "因公出国（境）费", "budget": None, "actual": D("0.00"), "page": 9, "line": None},
            {"item": "reception", "name": "公务接待费", "budget": D("4.00"), "actual": D("3.00"), "page": 9, "line": None},
        ],
        "facts": [
            {"subject": "一般公共预算财政拨款支出", "metric": "年初预算", "value": D("2993.92"), "unit": "万元", "page": 21},
            {"subject": "一般公共预算财政拨款支出", "metric": "本年决算", "value": D("2940.05"), "unit": "万元", "page": 21},
            {"subject": "三公", "metric": "本年决算", "value": D("8.00"), "unit": "万元", "page": 22},
        ],
        "general_budget_expenditure": [
            {"code": "", "name": "合计", "total": D("2940.05")},
            {"code": "201", "name": "一般公共服务支出", "total": D("2100.00")},
        ],
        "basic_expenditure": [{"code": "301", "name": "工资福利支出", "amount": D("900.00")}],
    }
    return ReportData(meta=_meta(rid, "决算", **meta), line_items=[], resources=resources)  # type: ignore[arg-type]


def _budget(rid: str = "b", **meta: object) -> ReportData:
    items = [
        _item("B05", "", "合计", "total", "3000.0000"),
        _item("B05", "201", "一般公共服务支出", "total", "2000.5"),
        _item("B06", "301", "工资福利支出", "total", "1000"),
        _item("B07", "", "", "three_public_total", "12.00"),
        _item("B07", "", "", "reception", "5.00"),
    ]
    return ReportData(meta=_meta(rid, "预算", **meta), line_items=items, resources={})  # type: ignore[arg-type]


def test_rate_is_exact_to_two_decimals_and_empty_without_a_budget() -> None:
    assert rate(D("2940.05"), D("2993.92")) == D("98.20")
    assert rate(D("1"), D("0")) is None and rate(None, D("1")) is None


def test_execution_takes_table_07_budgets_and_quoted_year_start_budgets() -> None:
    rows = budget_execution_rows(_final())
    got = [(r["seq"], r["source"], r["item"], r["name"], r["budget"], r["actual"], r["difference"], r["rate"]) for r in rows]
    assert got == [
        (1, "表07", "total", "合计", D("10.00"), D("8.00"), D("-2.00"), D("80.00")),
        (2, "表07", "reception", "公务接待费", D("4.00"), D("3.00"), D("-1.00"), D("75.00")),
        (3, "情况说明", "", "一般公共预算财政拨款支出", D("2993.92"), D("2940.05"), D("-53.87"), D("98.20")),
    ]


def test_a_budget_report_has_no_execution_rows() -> None:
    assert budget_execution_rows(_budget()) == []


def test_budget_and_final_of_one_department_year_and_level_are_paired() -> None:
    rows = budget_vs_final_rows([_final(), _budget(), _budget("other", year=2023)])
    got = {(r["dimension"], r["code"]): (r["budget"], r["final"], r["difference"], r["rate"]) for r in rows}
    assert got[("function", "")] == (D("3000.0000"), D("2940.05"), D("-59.9500"), D("98.00"))
    assert got[("function", "201")] == (D("2000.5"), D("2100.00"), D("99.50"), D("104.97"))
    assert got[("economic", "301")] == (D("1000"), D("900.00"), D("-100.00"), D("90.00"))
    assert got[("three_public", "total")] == (D("12.00"), D("8.00"), D("-4.00"), D("66.67"))
    assert got[("three_public", "overseas")] == (None, D("0.00"), None, None)
    assert {(r["budget_report_id"], r["final_report_id"], r["year"]) for r in rows} == {("b", "f", 2024)}
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))


def test_unit_and_department_budgets_pair_only_with_their_own_level() -> None:
    assert budget_vs_final_rows([_final(), _budget(level="单位")]) == []
    assert budget_vs_final_rows([_final(department="中国共产党某某委员会"), _budget(department="中共某某委员会")])


def test_department_key_folds_spelling_variants() -> None:
    assert department_key("中国共产党 江苏省委员会（办公厅）") == department_key("中共江苏省委员会办公厅")


def test_the_shared_reports_publish_both_resources(corpus: Path, tmp_path: Path) -> None:
    from juesuan.cli import main

    files = [corpus / "shanghai-putuo-finance-bureau-2024-final.pdf", corpus / "budgets" / "sh_putuo_finance_2025_dept_budget.pdf"]
    assert main(["data", *map(str, files), "--out", str(tmp_path / "pkg")]) == 0
    header = (tmp_path / "pkg" / "data" / "budget_vs_final.csv").read_text(encoding="utf-8").splitlines()
    # 2024 final and 2025 budget: different years, so no pair.
    assert header == ["department,year,budget_report_id,final_report_id,seq,dimension,code,name,budget,final,difference,rate"]
    execution = (tmp_path / "pkg" / "data" / "budget_execution.csv").read_text(encoding="utf-8")
    # 表07 of the 2024 final prints 公务接待费 预算数 0.95 (page 18).
    assert "shanghai-putuo-finance-bureau-2024-final,2,表07,reception,公务接待费,0.95," in execution
