"""表01 and 表04: the balances of the two summary tables (收入支出决算总表, 财政拨款收入支出决算总表)."""

from __future__ import annotations

from juesuan.checks.base import Checker, Row, Rule, amt, rule, total

# 04 支出 columns besides the row total, with their Chinese titles.
FUND_MEASURES = {"general": "一般公共预算财政拨款", "fund": "政府性基金预算财政拨款", "capital": "国有资本经营预算财政拨款"}
MEASURE_TITLES = {"amount": "", "budget": "预算数", **FUND_MEASURES}


def norm(label: str) -> str:
    """Return a label folded for matching: no spaces, ASCII brackets."""
    return "".join(label.split()).replace("（", "(").replace("）", ")")


def side_rows(ck: Checker, table: str, side: str) -> list[Row]:
    """Return the rows of one side of table 01 or 04 in printed order."""
    rows = [r for r in ck.rows("totals") if r["table"] == table and r["side"] == side]
    return sorted(rows, key=lambda r: r["row"])


def find(rows: list[Row], *names: str) -> Row | None:
    """Return the first top-level row whose item is one of names."""
    wanted = {norm(n) for n in names}
    return next((r for r in rows if norm(r["item"]) in wanted and not r.get("parent")), None)


def is_line(r: Row) -> bool:
    """Tell whether a row is a line of its own (not a 其中 or a breakdown of another row)."""
    return not r.get("parent") and not norm(r.get("label", "")).startswith("其中")


def between(rows: list[Row], after: Row | None, before: Row | None) -> list[Row]:
    """Return the lines strictly between two rows (from the top when after is None)."""
    lo = after["row"] if after else 0
    hi = before["row"] if before else 10**9
    return [r for r in rows if lo < r["row"] < hi and is_line(r)]


def measures(rows: list[Row], candidates: tuple[str, ...]) -> list[str]:
    """Return the measures of candidates that any row prints."""
    return [m for m in candidates if any(r.get(m) is not None for r in rows)]


def _label(table: str, row: Row, measure: str) -> str:
    col = MEASURE_TITLES.get(measure, measure)
    return f"表{table} {row['item']}" + (f"（{col}）" if col else "")


def _row_id(row: Row, measure: str) -> str:
    return row["item"] if measure == "amount" else f"{row['item']}/{MEASURE_TITLES.get(measure, measure)}"


def sum_identity(ck: Checker, rule: Rule, table: str, target: Row | None, lines: list[Row],
                 reference: str, candidates: tuple[str, ...]) -> None:
    """Check target = Σ lines for every measure printed."""
    if target is None or not lines:
        return
    for m in measures([target, *lines], candidates):
        expected, n = total(r.get(m) for r in lines)
        ck.compare(rule, row=_row_id(target, m), subject=_label(table, target, m), actual=target.get(m),
                   reference=reference, expected=expected, addends=n, sources=[target, *lines])


def _income_total(ck: Checker, rule: Rule, table: str) -> None:
    rows = side_rows(ck, table, "收入")
    target = find(rows, "本年收入合计")
    sum_identity(ck, rule, table, target, between(rows, None, target), "各项收入之和", ("amount", "budget"))


def _expenditure_total(ck: Checker, rule: Rule, table: str, candidates: tuple[str, ...]) -> None:
    rows = side_rows(ck, table, "支出")
    target = find(rows, "本年支出合计")
    sum_identity(ck, rule, table, target, between(rows, None, target), "各功能分类支出之和", candidates)


def _grand_total(ck: Checker, rule: Rule, table: str, side: str, candidates: tuple[str, ...]) -> None:
    rows = side_rows(ck, table, side)
    year = find(rows, "本年收入合计" if side == "收入" else "本年支出合计")
    grand = find(rows, "总计")
    if year is None or grand is None:
        return
    lines = [year, *between(rows, year, grand)]
    names = "、".join(r["item"] for r in lines)
    sum_identity(ck, rule, table, grand, lines, f"{names}之和", candidates)


def _grand_totals_equal(ck: Checker, rule: Rule, table: str) -> None:
    income = find(side_rows(ck, table, "收入"), "总计")
    spending = find(side_rows(ck, table, "支出"), "总计")
    if income is None or spending is None:
        return
    ck.compare(rule, row="总计", subject=f"表{table} 支出总计", actual=spending.get("amount"),
               reference="收入总计", expected=amt(income.get("amount")),
               addends=1 if income.get("amount") else 0, sources=[income, spending])


@rule("t01-income-total", "01", "error", "表01 本年收入合计 = 各项收入之和")
def t01_income_total(ck: Checker, rule: Rule) -> None:
    """Check 本年收入合计 against its income lines."""
    if ck.ready("01"):
        _income_total(ck, rule, "01")


@rule("t01-expenditure-total", "01", "error", "表01 本年支出合计 = 各功能分类支出之和")
def t01_expenditure_total(ck: Checker, rule: Rule) -> None:
    """Check 本年支出合计 against its function lines."""
    if ck.ready("01"):
        _expenditure_total(ck, rule, "01", ("amount", "budget"))


@rule("t01-income-grand-total", "01", "error", "表01 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余")
def t01_income_grand_total(ck: Checker, rule: Rule) -> None:
    """Check the income-side 总计."""
    if ck.ready("01"):
        _grand_total(ck, rule, "01", "收入", ("amount", "budget"))


@rule("t01-expenditure-grand-total", "01", "error", "表01 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余")
def t01_expenditure_grand_total(ck: Checker, rule: Rule) -> None:
    """Check the expenditure-side 总计."""
    if ck.ready("01"):
        _grand_total(ck, rule, "01", "支出", ("amount", "budget"))


@rule("t01-grand-totals-equal", "01", "error", "表01 收入总计 = 支出总计")
def t01_grand_totals_equal(ck: Checker, rule: Rule) -> None:
    """Check that the two sides of 表01 balance."""
    if ck.ready("01"):
        _grand_totals_equal(ck, rule, "01")


@rule("t04-income-total", "04", "error", "表04 本年收入合计 = 各项财政拨款收入之和")
def t04_income_total(ck: Checker, rule: Rule) -> None:
    """Check 表04 本年收入合计 against its fund income lines."""
    if ck.ready("04"):
        _income_total(ck, rule, "04")


@rule("t04-expenditure-total", "04", "error", "表04 本年支出合计 = 各功能分类支出之和（各栏）")
def t04_expenditure_total(ck: Checker, rule: Rule) -> None:
    """Check 表04 本年支出合计 against its function lines, column by column."""
    if ck.ready("04"):
        _expenditure_total(ck, rule, "04", ("amount", *FUND_MEASURES))


@rule("t04-income-grand-total", "04", "error", "表04 收入总计 = 本年收入合计 + 年初财政拨款结转和结余")
def t04_income_grand_total(ck: Checker, rule: Rule) -> None:
    """Check the income-side 总计 of 表04."""
    if ck.ready("04"):
        _grand_total(ck, rule, "04", "收入", ("amount",))


@rule("t04-expenditure-grand-total", "04", "error", "表04 支出总计 = 本年支出合计 + 年末财政拨款结转和结余（各栏）")
def t04_expenditure_grand_total(ck: Checker, rule: Rule) -> None:
    """Check the expenditure-side 总计 of 表04, column by column."""
    if ck.ready("04"):
        _grand_total(ck, rule, "04", "支出", ("amount", *FUND_MEASURES))


@rule("t04-grand-totals-equal", "04", "error", "表04 收入总计 = 支出总计")
def t04_grand_totals_equal(ck: Checker, rule: Rule) -> None:
    """Check that the two sides of 表04 balance."""
    if ck.ready("04"):
        _grand_totals_equal(ck, rule, "04")


@rule("t04-opening-breakdown", "04", "error", "表04 年初财政拨款结转和结余 = 其下分资金来源各行之和")
def t04_opening_breakdown(ck: Checker, rule: Rule) -> None:
    """Check each row that has breakdown rows (parent field) against their sum."""
    if not ck.ready("04"):
        return
    for side in ("收入", "支出"):
        rows = side_rows(ck, "04", side)
        for head in rows:
            parts = [r for r in rows if r.get("parent") and norm(r["parent"]) == norm(head["item"])]
            if parts and not head.get("parent"):
                sum_identity(ck, rule, "04", head, parts, "其下分资金来源各行之和", ("amount", *FUND_MEASURES))


@rule("t04-row-fund-sum", "04", "error", "表04 支出各行 合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算")
def t04_row_fund_sum(ck: Checker, rule: Rule) -> None:
    """Check each 表04 expenditure row total against its fund columns."""
    if not ck.ready("04"):
        return
    for r in side_rows(ck, "04", "支出"):
        if not any(r.get(m) is not None for m in FUND_MEASURES):
            continue
        expected, n = total(r.get(m) for m in FUND_MEASURES)
        ck.compare(rule, row=r["item"], subject=f"表04 {r['item']} 合计", actual=r.get("amount"),
                   reference="各资金来源栏之和", expected=expected, addends=n, sources=[r])
