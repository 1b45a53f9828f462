"""`prose-completion-rate`: "完成年初预算的95.89%" against the 决算 and the budget it names.

The rate is recomputed as 决算 ÷ 预算 × 100 from the figures the prose prints for the same
subject (its 年初预算 when the rate says 年初, else its 全年/调整/年初 budget), or from 表07's
预算数 for a 三公 item the prose gives no budget for. A budget of 0 under a non-zero 决算 leaves
no rate to compute: printing one is an error (the rate is likely that of another budget, which
the message names when the sentence prints it). Rounding of the printed figures is rounding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from juesuan.checks.base import Checker, Rule, fmt, rule
from juesuan.checks.rules_basic import three_public
from juesuan.checks.rules_prose import (
    BUDGETS,
    HUNDRED,
    THREE_PUBLIC_ITEMS,
    _places,
    _quote,
    _src,
    prose_facts,
    share_range,
)
from juesuan.model import Severity

Fact = dict[str, Any]


def _before(facts: list[Fact], rate: Fact, metrics: tuple[str, ...]) -> Fact | None:
    """Return the latest fact of the rate's subject and section with one of the metrics, before it."""
    found = None
    for f in facts:
        if f is rate:
            break
        if f["section"] == rate["section"] and f["subject"] == rate["subject"] and f["metric"] in metrics:
            found = f
    return found


def _rate(actual: Decimal, budget: Decimal) -> Decimal:
    return actual / budget * HUNDRED


@rule("prose-completion-rate", "", "error", "“完成（年初）预算的X%”= 决算 ÷ 所称预算（预算为 0 时无从计算）")
def prose_completion_rate(ck: Checker, rule: Rule) -> None:
    """Recompute each printed completion rate from the 决算 and the budget it names."""
    facts = prose_facts(ck)
    items = three_public(ck) if "07" in ck.data.tables and not ck.data.tables["07"].empty else {}
    for f in facts:
        if f["metric"] not in ("完成预算率", "完成年初预算率"):
            continue
        wanted = ("年初预算",) if f["metric"] == "完成年初预算率" else (
            ("全年预算", "调整预算") if "全年预算" in f["sentence"] else BUDGETS)
        budget = _before(facts, f, wanted) or (None if f["metric"] == "完成年初预算率" else _before(facts, f, BUDGETS))
        actual = _before(facts, f, ("本年决算",))
        if actual is None:
            continue
        value, desc, sources = None, "", _src(actual, f)
        if budget is not None:
            value, desc, sources = budget["value"], f"{budget['metric']} {fmt(budget['value'])} 万元", _src(budget, actual, f)
        elif (row := items.get(THREE_PUBLIC_ITEMS.get(f["subject"], ""))) and row.get("budget") is not None:
            value, desc, sources = row["budget"], f"表07 预算数 {fmt(row['budget'])} 万元", [row, *_src(actual, f)]
        if value is None:
            continue
        said = f"{_quote(f)}：{f['subject']}决算 {fmt(actual['value'])} 万元，{desc}"
        if value == 0:
            if actual["value"] == 0:
                # Nothing budgeted, nothing spent: "完成预算的0%" misleads no one.
                ck.add(rule, "pass", row=f["subject"], sources=sources, expected=None, actual=f["value"], unit="%",
                       message=f"{said}：预算与决算均为 0，印刷为 {f['value']}%。")
                continue
            other = [g for g in facts if g["sentence"] == f["sentence"] and g["metric"] in BUDGETS and g["value"]]
            hint = "".join(f"；按{g['metric']} {fmt(g['value'])} 万元计为 {_rate(actual['value'], g['value']).quantize(Decimal('0.01'))}%"
                           for g in other[:1])
            ck.add(rule, rule.failure, row=f["subject"], sources=sources, expected=None, actual=f["value"], unit="%",
                   message=f"{said}：预算为 0，完成率无从计算，却印为 {f['value']}%{hint}。")
            continue
        exact = _rate(actual["value"], value)
        unit = Decimal(1).scaleb(-_places(f["value"]))
        expected = exact.quantize(unit)
        low, high = share_range(actual["value"], value)
        severity: Severity = "pass" if expected == f["value"] else (
            "rounding" if low - unit <= f["value"] <= high + unit else rule.failure)
        ck.add(rule, severity, row=f["subject"], sources=sources, expected=expected, actual=f["value"], unit="%",
               message=f"{said}，完成率应为 {expected}%，印刷为 {f['value']}%。")
