"""Cells: every printed amount cell read, and every amount in a known column."""

from __future__ import annotations

from itertools import groupby

from juesuan.checks.base import Checker, Rule, rule
from juesuan.model import LineItem
from juesuan.normalize import UNASSIGNED

_ALL = "01,02,03,04,05,06,07,08,09"


def _where(item: LineItem) -> str:
    row = " ".join(x for x in (item.code, item.item) if x) or f"第{item.row}行"
    place = f"第{item.line}行" if item.line is not None else f"第{item.page}页" if item.page is not None else ""
    return f"表{item.table} {row}" + (f"（{place}）" if place else "")


def _tables(ck: Checker) -> str:
    return ",".join(sorted({i.table for i in ck.data.line_items}))


def _table_sources(ck: Checker) -> list[dict[str, int | None]]:
    """Return where each table with cells is printed (its title's page or line)."""
    used = {i.table for i in ck.data.line_items}
    return [{"page": t.raw.page, "line": t.raw.line} for n, t in ck.data.tables.items() if n in used]


def _source(item: LineItem) -> dict[str, int | None]:
    return {"page": item.page, "line": item.line}


@rule("amount-unreadable", _ALL, "error", "应为金额的单元格印的是金额")
def amount_unreadable(ck: Checker, rule: Rule) -> None:
    """Report each cell printed where an amount belongs that is not an amount (OCR damage, words)."""
    bad = [i for i in ck.data.line_items if i.amount is None and not i.blank]
    if ck.data.line_items and not bad:
        ck.add(rule, "pass", row="", tables=_tables(ck), sources=_table_sources(ck), unit="",
               message=f"全部 {len(ck.data.line_items)} 个金额单元格均可读。")
    for item in bad:
        column = item.measure or "（栏目不明）"
        ck.add(rule, rule.failure, row=item.code or item.item or str(item.row), tables=item.table,
               sources=[_source(item)], unit="",
               message=f"{_where(item)} {column} 印为“{item.raw}”，不是可读的金额；该单元格未计入任何核对。")


@rule("amounts-unassigned", _ALL, "error", "每行的金额个数与表头栏数相符，每个金额归入其栏")
def amounts_unassigned(ck: Checker, rule: Rule) -> None:
    """Report each row whose amounts could not be put in their columns (count does not fit)."""
    loose = [i for i in ck.data.line_items if i.repair.startswith(UNASSIGNED)]
    if ck.data.line_items and not loose:
        rows = len({(i.table, i.row) for i in ck.data.line_items})
        ck.add(rule, "pass", row="", tables=_tables(ck), sources=_table_sources(ck), unit="",
               message=f"全部 {rows} 行的金额个数与表头栏数相符，均已归栏。")
    for (table, _row), cells in groupby(loose, key=lambda i: (i.table, i.row)):
        items = list(cells)
        printed = "、".join(i.raw for i in items)
        ck.add(rule, rule.failure, row=items[0].code or items[0].item or str(items[0].row), tables=table,
               sources=[_source(i) for i in items], unit="",
               message=f"{_where(items[0])} 印有 {len(items)} 个金额（{printed}），与表头栏数不符，无法确定各自所属栏目，未归栏。")
