"""第三部分 against the tables: each amount the prose quotes equals the table it comes from."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from juesuan.catalog import FUNCTION_CLASSES
from juesuan.checks.base import Checker, Row, Rule, amt, fmt, rule
from juesuan.checks.rules_basic import category_total_row, three_public
from juesuan.checks.rules_totals import find, norm, side_rows
from juesuan.checks.tolerance import classify
from juesuan.narrative import check_facts, extract_facts, find_unit_slips

Target = tuple[str, str, Decimal | None, Row]  # table, description, value, source row
TO_WAN = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}
LEVEL_MARK = re.compile(r"[（(]([类款项])[）)]")
INCOME_LINES = ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入",
                "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
COLUMNS_03 = {"基本支出": "basic", "项目支出": "project", "上缴上级支出": "to_superior", "经营支出": "operating",
              "对附属单位补助支出": "to_affiliated"}
THREE_PUBLIC_SUBJECTS = {"三公": "total", "因公出国（境）费": "overseas", "公务用车购置及运行维护费": "vehicles",
                         "公务用车购置费": "vehicle_purchase", "公务用车运行维护费": "vehicle_operation", "公务接待费": "reception"}


def _totals(ck: Checker, table: str, side: str, item: str) -> list[Target]:
    r = find(side_rows(ck, table, side), item) if ck.ready(table) else None
    return [(table, f"表{table} {side}{item}" if item == "总计" else f"表{table} {item}", r.get("amount"), r)] if r else []


def _head(ck: Checker, table: str, resource: str, measure: str, title: str) -> list[Target]:
    r = next((x for x in ck.rows(resource) if x["level"] == "合计"), None) if ck.ready(table) else None
    return [(table, f"表{table} 合计 {title}", r.get(measure), r)] if r else []


def _function_row(ck: Checker, subject: str, section: str) -> list[Target]:
    """Find the 表05 (or 表03) row a subject names by code or by 类/款/项 names."""
    table, resource = ("05", "general_budget_expenditure") if "一般公共预算" in section else ("03", "expenditure_by_function")
    if not ck.ready(table):
        return []
    rows = ck.rows(resource)
    m = re.match(r"^(\d{3}|\d{5}|\d{7})\s", subject)
    if m:
        return [(table, f"表{table} {r['code']} {r['name']}", r.get("total"), r) for r in rows if r["code"] == m.group(1)][:1]
    parts = [p for p in LEVEL_MARK.split(subject) if p and p not in "类款项"]
    if not parts or parts[0] not in FUNCTION_CLASSES:
        return []
    candidates = [r for r in rows if r["code"].startswith(FUNCTION_CLASSES[parts[0]])]
    hits = [r for r in candidates if r["level"] == "类"][:1]
    for name in parts[1:]:
        # A name cut by the prose extractor ("机关事业单位基本养老") may fit several rows: keep all.
        hits = [r for r in candidates if any(r["parent_code"] == h["code"] for h in hits)
                and (norm(r["name"]).startswith(norm(name)) or norm(name).startswith(norm(r["name"])))]
    return [(table, f"表{table} {h['code']} {h['name']}", h.get("total"), h) for h in hits]


def targets(ck: Checker, subject: str, section: str) -> list[Target]:
    """Return the table amounts a narrative subject may quote (any one matching is enough)."""
    s = norm(subject)
    if s in ("收入总计", "收入支出总计"):
        return _totals(ck, "01", "收入", "总计")
    if s == "支出总计":
        return _totals(ck, "01", "支出", "总计") + _totals(ck, "04", "支出", "总计")
    if s in ("财政拨款收入总计", "财政拨款收入支出总计", "财政拨款支出总计"):
        return _totals(ck, "04", "收入", "总计")
    if s in ("收入合计", "本年收入合计"):
        return _totals(ck, "01", "收入", "本年收入合计")
    if s in ("支出合计", "本年支出合计"):
        return _totals(ck, "01", "支出", "本年支出合计")
    if s in INCOME_LINES:
        return _totals(ck, "01", "收入", s)
    if s == "财政拨款收入":
        return _head(ck, "02", "income_by_function", "fiscal", "财政拨款收入")
    if s in COLUMNS_03 and "一般公共预算" not in section:
        return _head(ck, "03", "expenditure_by_function", COLUMNS_03[s], s)
    if s in ("一般公共预算财政拨款支出", "一般公共预算拨款支出"):
        return _head(ck, "05", "general_budget_expenditure", "total", "合计")
    if s == "一般公共预算财政拨款基本支出":
        return _head(ck, "05", "general_budget_expenditure", "basic", "基本支出")
    if s in ("人员经费", "公用经费") and ck.ready("06"):
        r = category_total_row(ck, s)
        return [("06", f"表06 {s}合计", r.get("amount"), r)] if r else []
    if s in THREE_PUBLIC_SUBJECTS and ck.ready("07"):
        r = three_public(ck).get(THREE_PUBLIC_SUBJECTS[s])
        return [("07", f"表07 {r['name']} 决算数", r.get("actual"), r)] if r else []
    return _function_row(ck, subject, section)


def _facts(ck: Checker) -> list[dict[str, Any]]:
    if "facts" in ck.data.resources:
        facts = ck.rows("facts")  # the pipeline extracted them already
    elif ck.data.raw is not None:
        facts = extract_facts(ck.data.raw, ck.data.meta.report_id)
    else:
        return []
    return [f for f in facts if f["metric"] == "本年决算" and f["unit"] in TO_WAN and not f.get("derived")]


@rule("narrative-amount", "01,02,03,04,05,06,07", "error", "第三部分（情况说明）引用的金额 = 对应表格中的金额")
def narrative_amount(ck: Checker, rule: Rule) -> None:
    """Compare every amount the prose quotes for a known subject with its table."""
    for fact in _facts(ck):
        found = targets(ck, fact["subject"], fact.get("section", ""))
        if not found:
            continue
        quoted = fact["value"] * TO_WAN[fact["unit"]]
        # A subject that two tables print (支出总计 in 01 and 04) passes when it matches either.
        best = min(found, key=lambda t: abs(amt(t[2]) - quoted))
        table, desc, value, row = best
        severity = classify(amt(value), quoted, 1, rule.failure)
        where = f"第三部分“{fact['sentence'][:60]}”"
        if severity == "pass":
            message = f"{where} 中 {fact['subject']} {fmt(quoted)} 万元，与{desc}相符。"
        else:
            message = (f"{where} 中 {fact['subject']} 为 {fmt(quoted)} 万元，但{desc}为 {fmt(amt(value))} 万元，"
                       f"相差 {fmt(quoted - amt(value))} 万元。")
        ck.add(rule, severity, row=fact["subject"], tables=table, message=message,
               sources=[row, {"page": fact.get("page"), "line": fact.get("line")}], expected=amt(value), actual=quoted)


@rule("narrative-change-consistent", "", "error", "第三部分 每处增减额与增减率相互印证（上年 = 本年 − 增减额）")
def narrative_change_consistent(ck: Checker, rule: Rule) -> None:
    """Check each printed change amount against its printed rate (narrative.check_facts)."""
    ck.findings.extend(check_facts(ck.rows("facts"), ck.data.meta.report_id))


@rule("narrative-unit-slip", "", "warning", "数量（户数、人次等）不以“万元”计：疑为单位笔误")
def narrative_unit_slip(ck: Checker, rule: Rule) -> None:
    """Flag 万元 written after a noun that counts things (narrative.find_unit_slips)."""
    if ck.data.raw is not None:
        ck.findings.extend(find_unit_slips(ck.data.raw, ck.data.meta.report_id))
