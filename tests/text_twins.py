"""Write a report's raw tables and prose as a tab-separated text export (its "twin").

The twin keeps the grid exactly as the PDF reader found it: one line per grid row, cells
joined by tabs, the empty cells of merged headers kept (the Shanghai export layout). With
`drop_empty` the empty cells are dropped instead. With `fujian_style` the data rows print
as the Fujian export prints them (see `fujian_row`): zeros as 0.00, a code printed once with
the empty cells after it dropped, so that mapping amounts by order still finds their columns.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.model import LineItem

# The writer lives in juesuan.synth (the benchmark's synthetic corpus uses it too).
from juesuan.synth import cell_text, fujian_row, report_to_text_export

__all__ = ["cell_text", "fujian_row", "item_key", "report_to_text_export", "twin_items"]


def item_key(item: LineItem) -> tuple[str, str, str, str]:
    """Return what a twin must agree on besides the amount: table, code, item, measure."""
    return (item.table, item.code, item.item, item.measure)


def twin_items(items: list[LineItem], *, blank_as_zero: bool = False) -> list[tuple[str, str, str, str, Decimal | None]]:
    """Return the comparable line items (table, code, item, measure, amount), sorted."""
    zero = Decimal("0")
    out = [(*item_key(i), zero if blank_as_zero and i.amount is None else i.amount) for i in items]
    return sorted(out, key=lambda t: (t[0], t[1], t[2], t[3], str(t[4])))
