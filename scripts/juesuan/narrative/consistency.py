"""Checks the prose makes of itself: printed changes against printed rates, and unit slips."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from juesuan.model import Finding, RawReport, Severity
from juesuan.narrative.extract import to_decimal

# A 万元 amount attached to a noun that counts things, not money (注册用户数超 1150 万元).
UNIT_SLIP = re.compile(
    r"(?P<noun>(?:注册)?(?:用户数|用户|人数|次数|件数|户数|个数|台数|访问量|下载量|业务量|工作量|日活|人次|受益人数))"
    r"\s*(?:超过|超|达到|达|约|为|近|逾|突破)?\s*(?P<num>\d+(?:\.\d+)?)\s*万元"
)

def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def rate_range(this_year: Decimal, change: Decimal, places: int) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest rate the rounded amounts allow (each ± half a cent)."""
    half = Decimal(1).scaleb(-places) / 2
    rates = []
    for dv in (-half, half):
        for dc in (-half, half):
            last = this_year + dv - (change + dc)
            if last > 0:
                rates.append((change + dc) / last * 100)
    return (min(rates), max(rates)) if rates else (Decimal(0), Decimal(0))


def check_facts(facts: list[dict[str, Any]], report_id: str) -> list[Finding]:
    """Check that each printed change amount and change rate agree with this year's figure.

    Rule `narrative-change-consistent`: pass when the rate recomputed from the amounts rounds
    to the printed rate, rounding when only the amounts' own rounding explains the gap, error
    otherwise. The finding's expected is the recomputed rate, actual the printed one.
    """
    # As in derive_last_year, a change belongs to the latest statement of its subject before it,
    # so a figure restated later in its section (五、(二)(三)) is not checked again.
    groups: list[dict[str, dict[str, Any]]] = []
    latest: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for f in (f for f in facts if not f["derived"]):
        key = (f["section"], f["subject"])
        if f["metric"] in ("本年决算", "本年预算"):  # a budget's prose states this year's budget
            latest[key] = {"本年决算": f}
            groups.append(latest[key])
        elif f["metric"] in ("增减额", "增减率") and key in latest:
            latest[key].setdefault(f["metric"], f)
    # A change and rate of opposite signs is prose-direction's finding, not a rate to recompute.
    return [_change_finding(report_id, g["本年决算"], g["增减额"], g["增减率"])
            for g in groups if "增减额" in g and "增减率" in g and not _opposite(g["增减额"]["value"], g["增减率"]["value"])]


def _opposite(change: Decimal, rate: Decimal) -> bool:
    """Tell whether a change and its rate move in opposite directions (both non-zero)."""
    return change != 0 and rate != 0 and (change > 0) != (rate > 0)


def _change_finding(report_id: str, this_year: dict[str, Any], change: dict[str, Any],
                    rate: dict[str, Any]) -> Finding:
    """Compare one printed rate with the rate its amounts give."""
    v, d, p = this_year["value"], change["value"], rate["value"]
    last = v - d
    where = f"第{this_year['page']}页" if this_year["page"] else f"第{this_year['line']}行"
    subject = this_year["subject"]
    base = dict(report_id=report_id, rule="narrative-change-consistent", tables="", row=subject,
                pages=str(this_year["page"] or ""), lines=str(this_year["line"] or ""), actual=p, unit="%")
    if last == 0:
        zero_severity: Severity = "pass" if d == 0 and p == 0 else "warning"
        return Finding(**base, severity=zero_severity, expected=None,
                       message=f"{where}{subject}：上年决算为 0，增减率无从计算，印刷为 {p}%。")
    places = max(_decimals(p), 0)
    exact = d / last * 100
    expected = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    low, high = rate_range(v, d, max(_decimals(v), _decimals(d), 2))
    half = Decimal(1).scaleb(-places) / 2
    severity: Severity
    if expected == p:
        severity, verdict = "pass", "一致"
    elif low - half <= p <= high + half:
        severity, verdict = "rounding", "在金额尾数误差范围内"
    else:
        severity, verdict = "error", "不一致"
    message = (f"{where}{subject}：本年 {v} 万元，增减额 {d} 万元，推得上年 {last} 万元，"
               f"增减率应为 {expected}%，印刷为 {p}%，{verdict}。")
    return Finding(**base, severity=severity, expected=expected, message=message)


def find_unit_slips(raw: RawReport, report_id: str) -> list[Finding]:
    """Flag 万元 written after a noun that counts things (注册用户数超 1150 万元), in prose and tables.

    Rule `narrative-unit-slip`, severity warning: such a number is not money and is not
    published as an amount.
    """
    findings: list[Finding] = []
    for text, page, line in _all_texts(raw):
        for m in UNIT_SLIP.finditer(text):
            where = f"第{page}页" if page else f"第{line}行"
            findings.append(Finding(
                report_id=report_id, rule="narrative-unit-slip", severity="warning", tables="", unit="",
                row=m.group("noun"), pages=str(page or ""), lines=str(line or ""), expected=None,
                actual=to_decimal(m.group("num")),
                message=f"{where}“{m.group(0)}”：{m.group('noun')}是数量而非金额，“万元”疑为“万”之误，未作为金额发布。",
            ))
    return findings


def _all_texts(raw: RawReport) -> Iterable[tuple[str, int | None, int | None]]:
    """Yield every prose line and table cell with its page and line."""
    for tl in raw.lines:
        yield tl.text, tl.page, tl.line
    for table in raw.tables:
        for row in table.rows:
            for cell in row:
                if cell.text:
                    yield cell.text, cell.page, cell.line
