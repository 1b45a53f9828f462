"""Identities across tables: the same amount printed in two places must agree."""

from __future__ import annotations

from decimal import Decimal

from juesuan.checks.base import Checker, Row, Rule, amt, fmt, rule, total
from juesuan.checks.rules_basic import CATEGORIES, category_total_row, classes, three_public
from juesuan.checks.rules_function import first_by_code
from juesuan.checks.rules_totals import between, find, norm, side_rows
from juesuan.checks.tolerance import ZERO, tolerance
from juesuan.model import Severity

# 表01 income lines and the 表02 column that holds the same money.
INCOME_SOURCES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"), "fiscal", "财政拨款收入"),
    (("上级补助收入",), "superior_subsidy", "上级补助收入"),
    (("事业收入",), "business", "事业收入"),
    (("经营收入",), "operating", "经营收入"),
    (("附属单位上缴收入",), "affiliated", "附属单位上缴收入"),
    (("其他收入",), "other", "其他收入"),
)
FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
# Economic 款 of 表06 and the functional 项 of 表05 that by accounting practice carry the same
# money. Practice, not definition: a unit may book part of it under another 项 (e.g. 2080599).
ECONOMIC_FUNCTION_PAIRS = (("30108", "2080505"), ("30109", "2080506"), ("30113", "2210201"))
# “三公” items of 表07 and the 表06 公用经费 款 holding their basic-expenditure part.
THREE_PUBLIC_CODES = (("overseas", "30212"), ("reception", "30217"), ("vehicle_operation", "30231"))


def _one(value: Decimal | None) -> int:
    return 1 if value else 0


def _head(ck: Checker, resource: str) -> Row | None:
    return next((r for r in ck.rows(resource) if r["level"] == "合计"), None)


def _total_vs_head(ck: Checker, rule: Rule, other: str, side: str, item: str, resource: str) -> None:
    """Compare a 表01 total line with the 合计 row's total of a by-function table."""
    if not ck.ready("01", other):
        return
    t01, head = find(side_rows(ck, "01", side), item), _head(ck, resource)
    if t01 and head:
        ck.compare(rule, row=item, subject=f"表{other} 合计 {item}", actual=head.get("total"),
                   reference=f"表01 {item}", expected=amt(t01.get("amount")), addends=_one(t01.get("amount")),
                   sources=[t01, head])


@rule("x01-02-income-total", "01,02", "error", "表01 本年收入合计 = 表02 合计 本年收入合计")
def x01_02_income_total(ck: Checker, rule: Rule) -> None:
    """Compare the income totals of 表01 and 表02."""
    _total_vs_head(ck, rule, "02", "收入", "本年收入合计", "income_by_function")


@rule("x01-02-income-source", "01,02", "error", "表01 各项收入 = 表02 合计行同一收入栏")
def x01_02_income_source(ck: Checker, rule: Rule) -> None:
    """Compare each income source of 表01 with the same column of the 表02 合计 row."""
    if not ck.ready("01", "02"):
        return
    rows, head = side_rows(ck, "01", "收入"), _head(ck, "income_by_function")
    if head is None:
        return
    for names, measure, title in INCOME_SOURCES:
        lines = [r for r in (find(rows, n) for n in names) if r is not None]
        if not lines:
            continue
        expected, n = total(r.get("amount") for r in lines)
        ck.compare(rule, row=title, subject=f"表02 合计 {title}", actual=head.get(measure),
                   reference=f"表01 {'、'.join(r['item'] for r in lines)}", expected=expected, addends=n,
                   sources=[*lines, head])


@rule("x01-03-expenditure-class", "01,03", "error", "表01 每个支出功能分类（类） = 表03 同一类 本年支出合计")
def x01_03_expenditure_class(ck: Checker, rule: Rule) -> None:
    """Compare each expenditure 类 of 表01 with the same 类 of 表03."""
    if not ck.ready("01", "03"):
        return
    rows = side_rows(ck, "01", "支出")
    by_code = first_by_code(ck.rows("expenditure_by_function"))
    for r in between(rows, None, find(rows, "本年支出合计")):
        code = r.get("function_code")
        if not code:
            continue
        other = by_code.get(code)
        ck.compare(rule, row=code, subject=f"表03 类 {code} {r['item']} 本年支出合计", actual=other.get("total") if other else None,
                   reference=f"表01 {r['item']}", expected=amt(r.get("amount")), addends=_one(r.get("amount")),
                   sources=[r, *([other] if other else [])])


@rule("x01-03-expenditure-total", "01,03", "error", "表01 本年支出合计 = 表03 合计 本年支出合计")
def x01_03_expenditure_total(ck: Checker, rule: Rule) -> None:
    """Compare the expenditure totals of 表01 and 表03."""
    _total_vs_head(ck, rule, "03", "支出", "本年支出合计", "expenditure_by_function")


@rule("x01-04-fiscal-income", "01,04", "error", "表01 各项财政拨款收入 = 表04 同一资金来源的本年收入")
def x01_04_fiscal_income(ck: Checker, rule: Rule) -> None:
    """Compare the three fiscal income lines of 表01 and 表04."""
    if not ck.ready("01", "04"):
        return
    rows01 = side_rows(ck, "01", "收入")
    rows04 = side_rows(ck, "04", "收入")
    lines04 = between(rows04, None, find(rows04, "本年收入合计"))
    for fund in FUNDS:
        a = find(rows01, f"{fund}财政拨款收入")
        b = next((r for r in lines04 if norm(r["item"]).removesuffix("财政拨款") == fund), None)
        if a and b:
            ck.compare(rule, row=fund, subject=f"表04 {b['item']} 本年收入", actual=b.get("amount"),
                       reference=f"表01 {a['item']}", expected=amt(a.get("amount")), addends=_one(a.get("amount")),
                       sources=[a, b])


@rule("x02-04-fiscal-income", "02,04", "error", "表02 合计 财政拨款收入 = 表04 本年收入合计")
def x02_04_fiscal_income(ck: Checker, rule: Rule) -> None:
    """Compare fiscal appropriation income of 表02 and 表04."""
    if not ck.ready("02", "04"):
        return
    head, t04 = _head(ck, "income_by_function"), find(side_rows(ck, "04", "收入"), "本年收入合计")
    if head and t04:
        ck.compare(rule, row="财政拨款收入", subject="表04 本年收入合计", actual=t04.get("amount"),
                   reference="表02 合计 财政拨款收入", expected=amt(head.get("fiscal")), addends=_one(head.get("fiscal")),
                   sources=[head, t04])


@rule("x04-05-general-total", "04,05", "error", "表04 本年支出合计 一般公共预算财政拨款 = 表05 合计")
def x04_05_general_total(ck: Checker, rule: Rule) -> None:
    """Compare general-budget expenditure of 表04 with the 表05 total."""
    if not ck.ready("04", "05"):
        return
    t04, head = find(side_rows(ck, "04", "支出"), "本年支出合计"), _head(ck, "general_budget_expenditure")
    if t04 and head and t04.get("general") is not None:
        ck.compare(rule, row="本年支出合计", subject="表05 合计", actual=head.get("total"),
                   reference="表04 本年支出合计（一般公共预算财政拨款）", expected=amt(t04.get("general")),
                   addends=_one(t04.get("general")), sources=[t04, head])


@rule("x04-05-general-class", "04,05", "error", "表04 每个类 一般公共预算财政拨款 = 表05 同一类 合计")
def x04_05_general_class(ck: Checker, rule: Rule) -> None:
    """Compare each 类 of 表04's general-budget column with 表05."""
    if not ck.ready("04", "05"):
        return
    rows = side_rows(ck, "04", "支出")
    by_code = first_by_code(ck.rows("general_budget_expenditure"))
    for r in between(rows, None, find(rows, "本年支出合计")):
        code = r.get("function_code")
        if not code or (r.get("general") is None and code not in by_code):
            continue
        other = by_code.get(code)
        ck.compare(rule, row=code, subject=f"表05 类 {code} {r['item']} 合计", actual=other.get("total") if other else None,
                   reference=f"表04 {r['item']}（一般公共预算财政拨款）", expected=amt(r.get("general")),
                   addends=_one(r.get("general")), sources=[r, *([other] if other else [])])


@rule("x05-03-row-bound", "03,05", "warning", "表05 每行 ≤ 表03 同一科目（一般公共预算财政拨款是全部支出的一部分）")
def x05_03_row_bound(ck: Checker, rule: Rule) -> None:
    """Check that no 表05 row exceeds the same code in 表03 (total, basic, project)."""
    if not ck.ready("03", "05"):
        return
    t03 = first_by_code(ck.rows("expenditure_by_function"))
    head03 = _head(ck, "expenditure_by_function")
    for r in ck.rows("general_budget_expenditure"):
        other = t03.get(r["code"]) if r["code"] else head03
        if other is None:
            continue
        label = f"{r['level']} {r['code']} {r['name']}" if r["code"] else "合计"
        for measure, title in (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")):
            part, whole = amt(r.get(measure)), amt(other.get(measure))
            if part == ZERO:
                continue
            excess = part - whole
            severity: Severity
            if excess <= ZERO:
                severity, msg = "pass", f"表05 {label} {title} {fmt(part)} 万元，不超过表03 同一科目的 {fmt(whole)} 万元。"
            elif excess <= tolerance(1):
                severity, msg = "rounding", (f"表05 {label} {title} {fmt(part)} 万元，比表03 同一科目的 {fmt(whole)} 万元多 "
                                             f"{fmt(excess)} 万元，在尾数误差范围内。")
            else:
                severity, msg = rule.failure, (f"表05 {label} {title} {fmt(part)} 万元，超过表03 同一科目的 {fmt(whole)} 万元 "
                                               f"{fmt(excess)} 万元；一般公共预算财政拨款支出不应多于全部支出。")
            row = (r["code"] or "合计") + ("" if measure == "total" else f"/{title}")
            ck.add(rule, severity, row=row, message=msg, sources=[r, other], expected=whole, actual=part)


def basic_total_06(ck: Checker) -> tuple[Decimal, int, list[Row]]:
    """Return 表06 人员经费合计 + 公用经费合计 (Σ类 where a total is not printed)."""
    value, count = ZERO, 0
    sources: list[Row] = []
    for category in CATEGORIES:
        head = category_total_row(ck, category)
        parts = [head] if head is not None else classes(ck, category)
        s, n = total(r.get("amount") for r in parts)
        value, count, sources = value + s, count + n, [*sources, *parts]
    return value, count, sources


@rule("x05-06-basic-total", "05,06", "error", "表06 人员经费合计 + 公用经费合计 = 表05 合计 基本支出")
def x05_06_basic_total(ck: Checker, rule: Rule) -> None:
    """Compare 表06 with the basic-expenditure column of 表05."""
    if not ck.ready("05", "06"):
        return
    head = _head(ck, "general_budget_expenditure")
    expected, n, sources = basic_total_06(ck)
    if head is not None and sources:
        ck.compare(rule, row="基本支出", subject="表05 合计 基本支出", actual=head.get("basic"),
                   reference="表06 人员经费合计与公用经费合计之和", expected=expected, addends=n, sources=[*sources, head])


@rule("x05-06-economic-function", "05,06", "warning", "表06 养老保险、职业年金、住房公积金各款 与 表05 对应功能科目的基本支出 一致（惯例，非定义）")
def x05_06_economic_function(ck: Checker, rule: Rule) -> None:
    """Compare economic 款 of 表06 with the functional 项 that by practice carries the same money."""
    if not ck.ready("05", "06"):
        return
    t05 = first_by_code(ck.rows("general_budget_expenditure"))
    t06 = first_by_code(ck.rows("basic_expenditure"))
    for eco, func in ECONOMIC_FUNCTION_PAIRS:
        a, b = t06.get(eco), t05.get(func)
        if a is None or b is None:
            continue  # the 项 may legitimately be absent when the money sits under another one
        ck.compare(rule, row=f"{eco}/{func}", subject=f"表06 款 {eco} {a['name']}", actual=a.get("amount"),
                   reference=f"表05 项 {func} {b['name']} 基本支出", expected=amt(b.get("basic")),
                   addends=_one(b.get("basic")), sources=[a, b],
                   note="两者按会计惯例通常一致，但并非定义上必然相等，请核对。")


@rule("x06-07-three-public", "06,07", "warning", "表07 “三公”各项决算数 与 表06 30212、30217、30231 一致（表07 还含项目支出，非定义）")
def x06_07_three_public(ck: Checker, rule: Rule) -> None:
    """Compare 表07 items with the basic-expenditure 款 of 表06 that hold them."""
    if not ck.ready("06", "07"):
        return
    items = three_public(ck)
    t06 = first_by_code(ck.rows("basic_expenditure"))
    for item, code in THREE_PUBLIC_CODES:
        a, b = items.get(item), t06.get(code)
        if a is None or b is None:
            continue
        ck.compare(rule, row=f"{item}/{code}", subject=f"表07 {a['name']} 决算数", actual=a.get("actual"),
                   reference=f"表06 款 {code} {b['name']}", expected=amt(b.get("amount")),
                   addends=_one(b.get("amount")), sources=[b, a],
                   note="表07 含基本支出和项目支出，表06 只含基本支出，两者不必相等；表07 小于表06 则更可疑。")
