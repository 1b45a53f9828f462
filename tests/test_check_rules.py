"""One passing and one broken fixture per rule: the real Fuzhou report, broken on purpose."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from check_helpers import D, basic_row, changed, clone, flat, func_row, three_row, total_row
from juesuan.checks import RULES, run_checks
from juesuan.model import ReportData
from test_check_rules_budget import CASES as BUDGET_CASES

Edit = Callable[[ReportData], object]


def _set_total(resource: str, delta: str) -> Edit:
    return lambda d: func_row(d, resource, "").update(total=func_row(d, resource, "")["total"] + D(delta))


CASES: dict[str, tuple[Edit, set[tuple[str, str, str]]]] = {
    "t01-income-total": (lambda d: total_row(d, "01", "收入", "上级补助收入").update(amount=D("10")),
                         {("t01-income-total", "01", "本年收入合计"), ("x01-02-income-source", "01,02", "上级补助收入")}),
    "t01-expenditure-total": (lambda d: total_row(d, "01", "支出", "本年支出合计").update(amount=D("3990.04")),
                              {("t01-expenditure-total", "01", "本年支出合计"), ("t01-expenditure-grand-total", "01", "总计"),
                               ("x01-03-expenditure-total", "01,03", "本年支出合计")}),
    "t01-income-grand-total": (lambda d: total_row(d, "01", "收入", "年初结转和结余").update(amount=D("390.03")),
                               {("t01-income-grand-total", "01", "总计")}),
    "t01-expenditure-grand-total": (lambda d: total_row(d, "01", "支出", "年末结转和结余").update(amount=D("80.43")),
                                    {("t01-expenditure-grand-total", "01", "总计")}),
    "t01-grand-totals-equal": (lambda d: total_row(d, "01", "支出", "总计").update(amount=D("4062.48")),
                               {("t01-expenditure-grand-total", "01", "总计"), ("t01-grand-totals-equal", "01", "总计")}),
    "t04-income-total": (lambda d: total_row(d, "04", "收入", "政府性基金预算").update(amount=D("5")),
                         {("t04-income-total", "04", "本年收入合计"), ("x01-04-fiscal-income", "01,04", "政府性基金预算")}),
    "t04-expenditure-total": (lambda d: total_row(d, "04", "支出", "住房保障支出").update(general=D("100.05"), amount=D("100.05")),
                              {("t04-expenditure-total", "04", "本年支出合计"),
                               ("t04-expenditure-total", "04", "本年支出合计/一般公共预算财政拨款"),
                               ("x04-05-general-class", "04,05", "221")}),
    "t04-income-grand-total": (lambda d: total_row(d, "04", "收入", "年初结转和结余").update(amount=D("45.43")),
                               {("t04-income-grand-total", "04", "总计"), ("t04-opening-breakdown", "04", "年初结转和结余")}),
    "t04-expenditure-grand-total": (
        lambda d: total_row(d, "04", "支出", "年末财政拨款结转和结余").update(amount=D("45.43"), general=D("45.43")),
        {("t04-expenditure-grand-total", "04", "总计"), ("t04-expenditure-grand-total", "04", "总计/一般公共预算财政拨款")}),
    "t04-grand-totals-equal": (
        lambda d: total_row(d, "04", "支出", "总计").update(amount=D("3700.00"), general=D("3700.00")),
        {("t04-expenditure-grand-total", "04", "总计"), ("t04-expenditure-grand-total", "04", "总计/一般公共预算财政拨款"),
         ("t04-grand-totals-equal", "04", "总计")}),
    "t04-opening-breakdown": (
        lambda d: next(r for r in d.resources["totals"] if r["table"] == "04" and r["parent"] and r["item"] == "一般公共预算")
        .update(amount=D("30.43")),
        {("t04-opening-breakdown", "04", "年初结转和结余")}),
    "t04-row-fund-sum": (lambda d: total_row(d, "04", "支出", "科学技术支出").update(fund=D("1.00")),
                         {("t04-row-fund-sum", "04", "科学技术支出"), ("t04-expenditure-total", "04", "本年支出合计/政府性基金预算财政拨款")}),
    "t06-category-total": (lambda d: basic_row(d, "公用经费合计").update(amount=D("35.00")),
                           {("t06-category-total", "06", "公用经费合计"), ("x05-06-basic-total", "05,06", "基本支出")}),
    "t06-class-equals-sum-of-kuan": (lambda d: basic_row(d, "30207").update(amount=D("1.18")),
                                     {("t06-class-equals-sum-of-kuan", "06", "302")}),
    "t07-total": (lambda d: three_row(d, "total").update(actual=D("3.26")), {("t07-total", "07", "total")}),
    "t07-vehicles": (lambda d: three_row(d, "vehicle_operation").update(actual=D("1.08")),
                     {("t07-vehicles", "07", "vehicles"), ("x06-07-three-public", "06,07", "vehicle_operation/30231")}),
    "x06-07-three-public": (lambda d: basic_row(d, "30217").update(amount=D("0.50")),
                            {("t06-class-equals-sum-of-kuan", "06", "302"), ("x06-07-three-public", "06,07", "reception/30217")}),
    "x05-06-economic-function": (lambda d: basic_row(d, "30109").update(amount=D("20.41")),
                                 {("t06-class-equals-sum-of-kuan", "06", "301"),
                                  ("x05-06-economic-function", "05,06", "30109/2080506")}),
    "x05-06-basic-total": (lambda d: basic_row(d, "人员经费合计").update(amount=D("680.96")),
                           {("t06-category-total", "06", "人员经费合计"), ("x05-06-basic-total", "05,06", "基本支出")}),
    "x01-02-income-total": (lambda d: func_row(d, "income_by_function", "").update(total=D("3600.00")),
                            {("t02-row-total", "02", "合计"), ("t02-total-equals-sum-of-classes", "02", "合计"),
                             ("x01-02-income-total", "01,02", "本年收入合计")}),
    "x01-02-income-source": (lambda d: func_row(d, "income_by_function", "").update(fiscal=D("3600.00")),
                             {("t02-row-total", "02", "合计"), ("t02-total-equals-sum-of-classes", "02", "合计/财政拨款收入"),
                              ("x01-02-income-source", "01,02", "财政拨款收入"), ("x02-04-fiscal-income", "02,04", "财政拨款收入")}),
    "x01-03-expenditure-class": (lambda d: total_row(d, "01", "支出", "住房保障支出").update(amount=D("119.05")),
                                 {("t01-expenditure-total", "01", "本年支出合计"), ("x01-03-expenditure-class", "01,03", "221")}),
    "x01-03-expenditure-total": (_set_total("expenditure_by_function", "5"),
                                 {("t03-row-total", "03", "合计"), ("t03-total-equals-sum-of-classes", "03", "合计"),
                                  ("x01-03-expenditure-total", "01,03", "本年支出合计")}),
    "x01-04-fiscal-income": (lambda d: total_row(d, "01", "收入", "国有资本经营预算财政拨款收入").update(amount=D("3")),
                             {("t01-income-total", "01", "本年收入合计"), ("x01-02-income-source", "01,02", "财政拨款收入"),
                              ("x01-04-fiscal-income", "01,04", "国有资本经营预算")}),
    "x02-04-fiscal-income": (lambda d: total_row(d, "04", "收入", "本年收入合计").update(amount=D("3650.00")),
                             {("t04-income-total", "04", "本年收入合计"), ("t04-income-grand-total", "04", "总计"),
                              ("x02-04-fiscal-income", "02,04", "财政拨款收入")}),
    "x04-05-general-total": (_set_total("general_budget_expenditure", "5"),
                             {("t05-row-total", "05", "合计"), ("t05-total-equals-sum-of-classes", "05", "合计"),
                              ("x04-05-general-total", "04,05", "本年支出合计")}),
    "x04-05-general-class": (lambda d: total_row(d, "04", "支出", "社会保障和就业支出").update(general=D("94.87")),
                             {("t04-expenditure-total", "04", "本年支出合计/一般公共预算财政拨款"),
                              ("t04-row-fund-sum", "04", "社会保障和就业支出"), ("x04-05-general-class", "04,05", "208")}),
    "x05-03-row-bound": (lambda d: func_row(d, "general_budget_expenditure", "2010399").update(total=D("970.00"), project=D("970.00")),
                         {("t05-kuan-equals-sum-of-xiang", "05", "20103"), ("t05-kuan-equals-sum-of-xiang", "05", "20103/项目支出"),
                          ("x05-03-row-bound", "03,05", "2010399"), ("x05-03-row-bound", "03,05", "2010399/项目支出")}),
}

for _t, _res, _part in (("02", "income_by_function", "fiscal"), ("03", "expenditure_by_function", "basic"),
                        ("05", "general_budget_expenditure", "basic")):
    _extra_row = {"03": set(), "02": set(), "05": {("x05-03-row-bound", "03,05", "2210202/基本支出")}}[_t]
    CASES[f"t{_t}-row-total"] = (
        lambda d, res=_res, part=_part: func_row(d, res, "2210202").update({part: D("19.49")}),
        {(f"t{_t}-row-total", _t, "2210202"), (f"t{_t}-kuan-equals-sum-of-xiang", _t, f"22102/{'财政拨款收入' if _t == '02' else '基本支出'}"),
         *_extra_row})
    CASES[f"t{_t}-kuan-equals-sum-of-xiang"] = (
        lambda d, res=_res: func_row(d, res, "20805").update(total=D("80.00")),
        {(f"t{_t}-class-equals-sum-of-kuan", _t, "208"), (f"t{_t}-kuan-equals-sum-of-xiang", _t, "20805"),
         (f"t{_t}-row-total", _t, "20805"), *({("x05-03-row-bound", "03,05", "20805")} if _t == "03" else set())})
    CASES[f"t{_t}-class-equals-sum-of-kuan"] = (
        lambda d, res=_res: func_row(d, res, "206").update(total=D("2300.00")),
        {(f"t{_t}-class-equals-sum-of-kuan", _t, "206"), (f"t{_t}-row-total", _t, "206"),
         (f"t{_t}-total-equals-sum-of-classes", _t, "合计"),
         *{"02": set(), "03": {("x01-03-expenditure-class", "01,03", "206"), ("x05-03-row-bound", "03,05", "206")},
           "05": {("x04-05-general-class", "04,05", "206")}}[_t]})
    CASES[f"t{_t}-total-equals-sum-of-classes"] = (
        lambda d, res=_res: func_row(d, res, "").update(total=func_row(d, res, "")["total"] + D("5")),
        {(f"t{_t}-row-total", _t, "合计"), (f"t{_t}-total-equals-sum-of-classes", _t, "合计"),
         {"02": ("x01-02-income-total", "01,02", "本年收入合计"), "03": ("x01-03-expenditure-total", "01,03", "本年支出合计"),
          "05": ("x04-05-general-total", "04,05", "本年支出合计")}[_t]})


def _move_after(resource: str, code: str, after: str) -> Edit:
    """Print a row under another parent: same values, wrong place."""
    def edit(d: ReportData) -> None:
        rows = d.resources[resource]
        row = rows.pop(next(i for i, r in enumerate(rows) if r["code"] == code))
        rows.insert(next(i for i, r in enumerate(rows) if r["code"] == after) + 1, row)
    return edit


for _t, _res in (("02", "income_by_function"), ("03", "expenditure_by_function"), ("05", "general_budget_expenditure")):
    # 项 2010350 (事业运行) printed under 款 20805 instead of 20103.
    CASES[f"t{_t}-code-under-parent"] = (_move_after(_res, "2010350", "20805"),
                                         {(f"t{_t}-code-under-parent", _t, "2010350")})


@pytest.fixture(scope="module")
def base(fuzhou: ReportData) -> ReportData:
    """Return the Fuzhou report without narrative facts, so table rules are seen alone."""
    return clone(fuzhou)


def test_every_rule_has_a_broken_fixture() -> None:
    """Keep the catalogue and the fixtures in step."""
    covered = set(CASES) | {"narrative-amount", "table-missing", "table-unit", "table-department", "table-year"}
    # Good and broken fixtures of the two prose rules live in tests/test_narrative.py.
    covered |= {"narrative-change-consistent", "narrative-unit-slip"}
    # Budget rules (b-…) have theirs in tests/test_check_rules_budget.py.
    covered |= set(BUDGET_CASES)
    # The two cell rules are tested on damaged exports (good: the Fuzhou report) in tests/test_garbage_in.py.
    covered |= {"amount-unreadable", "amounts-unassigned"}
    # Those of the prose-vs-prose and prose-vs-表07 rules live in tests/test_prose_rules.py.
    covered |= {code for code in RULES if code.startswith("prose-")}
    # The structure rules (run on 决算 and 预算 alike) have theirs in tests/test_structure_rules.py.
    covered |= {code for code, r in RULES.items() if r.both}
    assert set(RULES) == covered


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_passes_on_the_real_report(base: ReportData, code: str) -> None:
    """The unbroken report yields the rule's findings, none of them an error or warning."""
    found = [f for f in run_checks(base) if f.rule == code]
    assert found, f"{code} checked nothing on the Fuzhou report"
    # The one real warning of the report (PROVENANCE: 表06 30108 56.49 vs 表05 2080505 56.46).
    real = {("x05-06-economic-function", "05,06", "30108/2080505")}
    assert all(f.severity in ("pass", "rounding") for f in found if (f.rule, f.tables, f.row) not in real)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_catches_a_broken_value(base: ReportData, code: str) -> None:
    """Breaking one value makes exactly the expected rules fail."""
    edit, expected = CASES[code]
    broken = clone(base)
    edit(broken)
    assert changed(base, broken) == expected
    assert flat(run_checks(broken))[next(k for k in expected if k[0] == code)] == RULES[code].failure


def test_narrative_amount(fuzhou: ReportData) -> None:
    """A quoted amount that differs from its table is an error; the real quotes all hold."""
    base = clone(fuzhou, facts=True)
    assert all(f.severity == "pass" for f in run_checks(base) if f.rule == "narrative-amount")
    broken = clone(fuzhou, facts=True)
    fact = next(f for f in broken.resources["facts"] if f["subject"] == "公务接待费" and f["metric"] == "本年决算")
    fact["value"] = D("0.28")
    # The rate printed beside it (增长100.00% on 0.09) no longer fits either.
    # So does 三公 2.26 as the sum of its printed items (0.00 + 2.08 + 0.28).
    assert changed(base, broken) == {("narrative-amount", "07", "公务接待费"), ("narrative-change-consistent", "", "公务接待费"),
                                     ("prose-parts", "", "三公")}


def test_table_missing(base: ReportData) -> None:
    """A table neither printed nor stated empty is an error."""
    broken = clone(base)
    broken.tables.pop("08")
    assert changed(base, broken) == {("table-missing", "08", "08")}
    assert flat(run_checks(broken))[("table-missing", "08", "08")] == "error"


@pytest.mark.parametrize(("code", "attr", "value"), [
    ("table-unit", "unit", None),
    ("table-department", "department", "福州市数字福州建设中心"),
    ("table-year", "title", "2023年度支出决算表"),
])
def test_table_completeness(base: ReportData, code: str, attr: str, value: str | None) -> None:
    """Unit, department and year printed on each table agree with the report."""
    assert all(f.severity in ("pass", "not-checked") for f in run_checks(base) if f.rule == code)
    broken = clone(base)
    setattr(broken.tables["03"].raw, attr, value)
    assert changed(base, broken) == {(code, "03", "03")}


def test_template_and_empty_tables_are_skipped(base: ReportData) -> None:
    """A blank template yields no finding; an empty table's rules yield nothing."""
    template = clone(base)
    template.meta.is_template = True
    assert run_checks(template) == []
    empty = clone(base)
    empty.tables["07"].empty = True
    results = [f for f in run_checks(empty) if f.rule.startswith("t07")]
    assert results and all(f.severity == "not-checked" and "表07为空表" in f.message for f in results)
