"""Prose rules: what 情况说明 says in words and numbers against itself and against 表07.

- `prose-comparison`: 持平/大于/小于 against the two figures compared (决算 vs 预算, 本年 vs 上年);
- `prose-direction`: a change amount and its rate move the same way (增加 … 增长, 减少 … 下降);
- `prose-share`: "占X%" recomputed from the amount and its total; `prose-share-sum`: the shares
  of one complete list add to 100%;
- `prose-parts`: the parts the prose lists add to its total (政府采购 货物+工程+服务, 三公 items,
  人员经费+公用经费 = 基本支出); `prose-sme`: 中小企业/小微企业 amounts agree with their shares
  and with the procurement they are part of;
- `prose-three-public-table`: the prose's 三公 预算 and 决算 figures against 表07 (a blank or
  missing 表07 is not zero when the prose prints amounts).
Every comparison allows the rounding of its printed figures (0.01 per addend; a share by the
half-cent of each amount), so rounding stays rounding.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from juesuan.checks.base import Checker, Rule, fmt, rule
from juesuan.checks.rules_basic import three_public
from juesuan.checks.tolerance import classify, tolerance
from juesuan.model import Severity

Fact = dict[str, Any]
THIS_YEAR = ("本年决算", "本年预算")
BUDGETS = ("年初预算", "全年预算", "调整预算", "预算数", "本年预算")
THREE_PUBLIC_ITEMS = {"三公": "total", "因公出国（境）费": "overseas", "公务用车购置及运行维护费": "vehicles",
                      "公务用车购置费": "vehicle_purchase", "公务用车运行维护费": "vehicle_operation", "公务接待费": "reception"}
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("政府采购", ("政府采购货物", "政府采购工程", "政府采购服务")),
    ("三公", ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")),
    ("公务用车购置及运行维护费", ("公务用车购置费", "公务用车运行维护费")),
    ("一般公共预算财政拨款基本支出", ("人员经费", "公用经费")),
    ("基本支出", ("人员经费", "公用经费")),
    ("基本支出", ("人员支出", "公用支出")),
)
HUNDRED = Decimal(100)


def prose_facts(ck: Checker) -> list[Fact]:
    """Return the printed (not derived) facts of the report."""
    return [f for f in ck.rows("facts") if not f.get("derived")]


def _where(f: Fact) -> str:
    return f"第{f['page']}页" if f.get("page") else f"第{f['line']}行" if f.get("line") else ""


def _src(*facts: Fact) -> list[dict[str, Any]]:
    return [{"page": f.get("page"), "line": f.get("line")} for f in facts]


def _quote(f: Fact) -> str:
    return f"{_where(f)}“{f['sentence'][:70]}”"


def _latest(facts: Iterable[Fact], before: Fact, subject: str, metrics: tuple[str, ...]) -> Fact | None:
    """Return the last fact of a subject with one of the metrics, in the same section, before a fact."""
    found = None
    for f in facts:
        if f is before:
            break
        if f["section"] == before["section"] and f["subject"] == subject and f["metric"] in metrics:
            found = f
    return found


def _verdict(word: str, actual: Decimal, reference: Decimal, addends: int, failure: Severity) -> Severity:
    """Tell whether a comparison word holds for two printed figures, allowing their rounding."""
    if word == "持平":
        return classify(reference, actual, addends, failure)
    holds = actual > reference if word == "大于" else actual < reference
    if holds:
        return "pass"
    return "rounding" if word != "持平" and abs(actual - reference) <= tolerance(addends) and actual != reference else failure


@rule("prose-comparison", "", "error", "情况说明的比较用语（持平、大于、小于）与句中两数相符")
def prose_comparison(ck: Checker, rule: Rule) -> None:
    """Check 持平/大于/小于 against the figures they compare (决算 vs 预算, change vs 0)."""
    facts = prose_facts(ck)
    derived = [f for f in ck.rows("facts") if f.get("derived")]
    items = three_public(ck) if "07" in ck.data.tables else {}
    for f in facts:
        word, basis = f.get("comparison") or "", f.get("basis") or ""
        if not word:
            continue
        actual, reference, desc, table = f["value"], None, "", ""
        if f["metric"] in ("增减额", "增减率") and basis.startswith("上年"):
            reference, desc = Decimal(0), "零（与上年相比的变化）"
            actual = f["value"]
        elif f["metric"] in THIS_YEAR and "预算" in basis and not basis.startswith("上年"):
            metrics = (basis,) if basis in BUDGETS else BUDGETS
            budget = _latest(facts, f, f["subject"], metrics) or _latest(facts, f, f["subject"], BUDGETS)
            if budget is not None:
                reference, desc = budget["value"], f"{budget['metric']} {fmt(budget['value'])} 万元"
            elif (f["subject"] in THREE_PUBLIC_ITEMS and (row := items.get(THREE_PUBLIC_ITEMS[f["subject"]]))
                  and row.get("budget") is not None):
                reference, desc, table = row["budget"], f"表07 预算数 {fmt(row['budget'])} 万元", "07"
        elif f["metric"] in THIS_YEAR and basis.startswith("上年"):
            last = next((d for d in derived if d["section"] == f["section"] and d["subject"] == f["subject"]
                         and d["metric"].startswith("上年")), None)
            if last is not None:
                reference, desc = last["value"], f"上年 {fmt(last['value'])} 万元（由增减额推得）"
        if reference is None:
            continue
        severity = _verdict(word, actual, reference, 1, rule.failure)
        said = f"{_quote(f)} 称{f['subject']}与{basis}{word}"
        unit = "%" if f["metric"] == "增减率" else "万元"
        message = (f"{said}：{fmt(actual)} {unit} 与{desc}相符。" if severity == "pass" else
                   f"{said}，但 {fmt(actual)} {unit} 与{desc}{'仅差尾数' if severity == 'rounding' else '不符'}。")
        ck.add(rule, severity, row=f["subject"], message=message, sources=_src(f), expected=reference,
               actual=actual, tables=table, unit=unit)


@rule("prose-direction", "", "error", "增减额与增减率方向一致（增加—增长，减少—下降）")
def prose_direction(ck: Checker, rule: Rule) -> None:
    """Check that a printed change amount and its rate have the same sign."""
    facts = prose_facts(ck)
    for i, f in enumerate(facts):
        if f["metric"] != "增减率":
            continue
        change = next((g for g in reversed(facts[:i]) if g["section"] == f["section"] and g["subject"] == f["subject"]
                       and g["metric"] == "增减额" and g["sentence"] == f["sentence"]), None)
        if change is None or change["value"] == 0 or f["value"] == 0:
            continue
        same = (change["value"] > 0) == (f["value"] > 0)
        words = ("增加" if change["value"] > 0 else "减少", "增长" if f["value"] > 0 else "下降")
        message = (f"{_quote(f)}：{f['subject']}{words[0]} {fmt(abs(change['value']))} 万元，{words[1]} "
                   f"{fmt(abs(f['value']))}%，" + ("方向一致。" if same else "金额与比率方向相反。"))
        ck.add(rule, "pass" if same else rule.failure, row=f["subject"], message=message, sources=_src(change, f),
               expected=None, actual=f["value"], unit="%")


def _amount_of(facts: list[Fact], share: Fact, subject: str) -> Fact | None:
    """Return the amount a share or a part refers to: same sentence first, else the section's latest."""
    same = [f for f in facts if f["subject"] == subject and f["metric"] in THIS_YEAR and f["sentence"] == share["sentence"]]
    return same[-1] if same else _latest(facts, share, subject, THIS_YEAR) or next(
        (f for f in reversed(facts) if f["subject"] == subject and f["metric"] in THIS_YEAR and f["section"] == share["section"]), None)


def share_range(amount: Decimal, total: Decimal) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest share (%) the two rounded amounts allow (each ± half a cent)."""
    half = Decimal("0.005")
    shares = [(amount + da) / (total + dt) * HUNDRED for da in (-half, half) for dt in (-half, half) if total + dt > 0]
    return (min(shares), max(shares)) if shares else (Decimal(0), Decimal(0))


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@rule("prose-share", "", "error", "“占X%”= 金额 ÷ 所占总数（按印刷位数舍入）")
def prose_share(ck: Checker, rule: Rule) -> None:
    """Recompute each printed share from its amount and the total it names."""
    facts = prose_facts(ck)
    for f in facts:
        if f["metric"] != "占比" or not f.get("base"):
            continue
        amount, total = _amount_of(facts, f, f["subject"]), _amount_of(facts, f, f["base"])
        if amount is None or total is None or total["value"] == 0 or amount is total:
            continue
        exact = amount["value"] / total["value"] * HUNDRED
        low, high = share_range(amount["value"], total["value"])
        # One unit of the printed last digit: a share may be rounded, truncated, or nudged so that
        # its list adds to 100 (9.557 printed 9.55) — rounding, never an error.
        unit = Decimal(1).scaleb(-_places(f["value"]))
        expected = exact.quantize(unit)
        severity: Severity = "pass" if expected == f["value"] else (
            "rounding" if low - unit <= f["value"] <= high + unit else rule.failure)
        message = (f"{_quote(f)}：{f['subject']} {fmt(amount['value'])} 万元 ÷ {f['base']} {fmt(total['value'])} 万元 "
                   f"= {expected}%，印刷为 {f['value']}%。")
        ck.add(rule, severity, row=f["subject"], message=message, sources=_src(amount, f), expected=expected,
               actual=f["value"], unit="%")


@rule("prose-share-sum", "", "error", "同一总数下列出的各项占比之和 = 100%（各项金额之和等于总数时）")
def prose_share_sum(ck: Checker, rule: Rule) -> None:
    """Check that the shares of a complete list (parts adding to their total) add to 100%."""
    facts = prose_facts(ck)
    lists: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        if f["metric"] == "占比" and f.get("base") and f["subject"] != f["base"]:
            lists.setdefault((f["section"], f["base"]), []).append(f)
    for (_section, base), shares in lists.items():
        if len(shares) < 2:
            continue
        total = _amount_of(facts, shares[0], base)
        amounts = [_amount_of(facts, s, s["subject"]) for s in shares]
        if total is None or any(a is None for a in amounts):
            continue
        parts = sum((a["value"] for a in amounts if a is not None), Decimal(0))
        if classify(total["value"], parts, len(amounts), "error") == "error":
            continue  # not a complete list: its shares need not add to 100
        printed = sum((s["value"] for s in shares), Decimal(0))
        slack = sum((Decimal(1).scaleb(-_places(s["value"])) for s in shares), Decimal(0))  # one last digit each
        severity: Severity = "pass" if printed == HUNDRED else "rounding" if abs(printed - HUNDRED) <= slack else rule.failure
        names = "、".join(s["subject"] for s in shares)
        ck.add(rule, severity, row=base, message=f"{_quote(shares[0])}：{names} 占{base}之比合计 {printed}%，应为 100%。",
               sources=_src(*shares), expected=HUNDRED, actual=printed, unit="%")


def _part_groups(facts: list[Fact]) -> Iterable[tuple[str, list[Fact], Fact]]:
    """Yield (parts' names, part facts, total fact) for each listed total whose parts are all printed."""
    for total_name, names in PARTS:
        for t in facts:
            if t["subject"] != total_name or t["metric"] not in THIS_YEAR:
                continue
            after = facts[facts.index(t) + 1 :]
            parts = [next((p for p in after if p["subject"] == n and p["metric"] == t["metric"]
                           and p["section"] == t["section"]), None) for n in names]
            if all(p is not None for p in parts):
                yield total_name, [p for p in parts if p is not None], t


@rule("prose-parts", "", "error", "情况说明列出的各部分之和 = 其总数（政府采购、三公、基本支出）")
def prose_parts(ck: Checker, rule: Rule) -> None:
    """Check the parts the prose lists against the total it states."""
    for name, parts, total in _part_groups(prose_facts(ck)):
        expected = sum((p["value"] for p in parts), Decimal(0))
        n = sum(1 for p in parts if p["value"])
        severity = classify(expected, total["value"], n, rule.failure)
        listing = " + ".join(f"{p['subject']} {fmt(p['value'])}" for p in parts)
        ck.add(rule, severity, row=name, sources=_src(total, *parts), expected=expected, actual=total["value"],
               message=f"{_quote(total)}：{name} {fmt(total['value'])} 万元，各部分 {listing} = {fmt(expected)} 万元。")


def _first(facts: list[Fact], subject: str, metric: str) -> Fact | None:
    return next((f for f in facts if f["subject"] == subject and f["metric"] == metric), None)


@rule("prose-sme", "", "warning", "中小企业、小微企业合同金额与其占比及政府采购总额相符")
def prose_sme(ck: Checker, rule: Rule) -> None:
    """Check 中小企业/小微企业 amounts against their shares and the procurement they are part of."""
    facts = prose_facts(ck)
    sme, micro, total = (_first(facts, s, m) for s, m in (("授予中小企业合同", "本年决算"), ("授予小微企业合同", "本年决算"),
                                                          ("政府采购", "本年决算")))
    for part, whole in ((micro, sme), (sme, total)):
        if part is not None and whole is not None:
            severity = "pass" if part["value"] <= whole["value"] + tolerance(1) else rule.failure
            ck.add(rule, severity, row=part["subject"], sources=_src(part, whole), expected=whole["value"],
                   actual=part["value"], message=f"{_quote(part)}：{part['subject']} {fmt(part['value'])} 万元"
                   f"{'不超过' if severity == 'pass' else '超过'} {whole['subject']} {fmt(whole['value'])} 万元。")
    # Per category: Σ share × category amount = the SME total (货物/工程/服务采购授予中小企业合同金额占…).
    shares = [(_first(facts, f"政府采购{k}授予中小企业", "占比"), _first(facts, f"政府采购{k}", "本年决算"))
              for k in ("货物", "工程", "服务")]
    if sme is not None and all(s is not None and a is not None for s, a in shares):
        implied = sum((s["value"] * a["value"] / HUNDRED for s, a in shares if s and a), Decimal(0)).quantize(Decimal("0.01"))
        slack = sum((a["value"] * Decimal("0.00005") + Decimal("0.01") for _s, a in shares if a), Decimal(0))
        severity = "pass" if abs(implied - sme["value"]) <= slack else rule.failure
        ck.add(rule, severity, row="授予中小企业合同/分类占比", sources=_src(sme), expected=sme["value"], actual=implied,
               message=f"{_quote(sme)}：按货物、工程、服务各自授予中小企业的占比推得 {fmt(implied)} 万元，"
               f"印刷的授予中小企业合同金额为 {fmt(sme['value'])} 万元。")
    # Reserved and other projects won by SMEs are parts of the procurement total.
    won = [f for f in facts if f["metric"] == "本年决算" and f["subject"].startswith("政府采购")
           and f["subject"].endswith("授予中小企业")]
    if total is not None and len(won) >= 2:
        expected = sum((w["value"] for w in won), Decimal(0))
        severity = "pass" if expected <= total["value"] + tolerance(len(won)) else rule.failure
        ck.add(rule, severity, row="政府采购/授予中小企业", sources=_src(total, *won), expected=total["value"],
               actual=expected, message=f"{_quote(won[0])}：各类项目授予中小企业合计 {fmt(expected)} 万元，"
               f"{'不超过' if severity == 'pass' else '超过'}政府采购总额 {fmt(total['value'])} 万元。")


@rule("prose-three-public-table", "07", "error", "情况说明的“三公”经费预算数、决算数 = 表07 对应数（空表不等于零）")
def prose_three_public_table(ck: Checker, rule: Rule) -> None:
    """Compare the prose's 三公 budget and actual figures with 表07's columns."""
    facts = [f for f in prose_facts(ck) if f["subject"] in THREE_PUBLIC_ITEMS and f["unit"] == "万元"]
    table = ck.data.tables.get("07")
    blank = table is None or table.empty
    items = {} if blank else three_public(ck)
    for f in facts:
        column = "actual" if f["metric"] in ("本年决算",) else "budget" if f["metric"] in BUDGETS else ""
        if not column:
            continue
        title = "决算数" if column == "actual" else "预算数"
        if blank:
            if f["value"] != 0:
                ck.add(rule, rule.failure, row=f"{f['subject']}/{title}", sources=_src(f), expected=None, actual=f["value"],
                       message=f"{_quote(f)} 给出{f['subject']} {fmt(f['value'])} 万元，但表07"
                       f"{'缺失' if table is None else '为空表'}：空表不等于零。")
            continue
        if column == "actual":
            continue  # a printed 表07 决算数 is narrative-amount's comparison
        row = items.get(THREE_PUBLIC_ITEMS[f["subject"]])
        if row is None or (column == "budget" and row.get("budget") is None and row.get("actual") is not None
                           and all(r.get("budget") is None for r in items.values())):
            continue  # this layout prints no budget column
        printed = row.get(column)
        value = printed if printed is not None else Decimal(0)
        severity = classify(value, f["value"], 1, rule.failure)
        if printed is None and f["value"] != 0:
            severity = rule.failure
        ck.add(rule, severity, row=f"{f['subject']}/{title}", sources=[row, *_src(f)], expected=printed, actual=f["value"],
               message=f"{_quote(f)} 中{f['subject']}{f['metric']} {fmt(f['value'])} 万元，表07 {title}"
               f"{'空白' if printed is None else ' ' + fmt(value) + ' 万元'}。")
