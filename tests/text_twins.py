"""Write a report's raw tables and prose as a tab-separated text export (its "twin").

The twin keeps the grid exactly as the PDF reader found it: one line per grid row, cells
joined by tabs, the empty cells of merged headers kept (the Shanghai export layout). With
`drop_empty` the empty cells are dropped instead. With `fujian_style` the data rows print
as the Fujian export prints them (see `fujian_row`): zeros as 0.00, a code printed once with
the empty cells after it dropped, so that mapping amounts by order still finds their columns.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.model import Column, LineItem, RawCell, RawReport, RawTable
from juesuan.recognize import is_code, is_decimal_amount, recognize


def cell_text(cell: RawCell) -> str:
    """Return a cell's text on one line (a wrapped cell prints its lines joined by a space)."""
    return " ".join(part.strip() for part in cell.text.splitlines() if part.strip())


def fujian_row(row: list[RawCell], columns: list[Column]) -> list[str]:
    """Return a data row as the Fujian export prints it.

    Zeros are printed 0.00 (a blank amount in a column group that prints an amount), and a
    code is printed once: the empty cells between a row's code and its name are dropped
    (the row is padded at its end, as the export keeps the width of the grid).
    """
    texts = [cell_text(c) for c in row]
    by_index = {c.index: c for c in columns}
    printed_groups = {
        by_index[i].group
        for i, t in enumerate(texts)
        if i in by_index and by_index[i].role == "amount" and is_decimal_amount(t)
    }
    for i, text in enumerate(texts):
        col = by_index.get(i)
        if not text and col is not None and col.role == "amount" and col.group in printed_groups:
            texts[i] = "0.00"
    for group in sorted(printed_groups | {c.group for c in columns}):
        span = [c.index for c in columns if c.group == group and c.index < len(texts)]
        if span:
            texts[span[0] : span[-1] + 1] = _code_once(texts[span[0] : span[-1] + 1])
    return texts


def _code_once(texts: list[str]) -> list[str]:
    """Drop the empty cells between a group's leading code and its name; pad the group's end."""
    if not texts or not is_code(texts[0]):
        return texts
    name = next((i for i, t in enumerate(texts) if i and t and not is_code(t) and not t.isdigit()), None)
    if name is None:
        return texts
    gap = [i for i in range(1, name) if not texts[i]]
    return [t for i, t in enumerate(texts) if i not in gap] + [""] * len(gap)


def _table_lines(table: RawTable, drop_empty: bool, fujian_style: bool = False) -> list[str]:
    lines = ["", table.title or "表"]
    if table.unit:
        lines.append(f"单位：{table.unit}")
    standard = recognize(table) if fujian_style else None
    body = {id(row) for row in standard.body} if standard else set()
    for row in table.rows:
        cells = [" ".join(c.text.split()) for c in row]
        if standard is not None and id(row) in body:
            cells = fujian_row(row, standard.columns)
        if drop_empty:
            cells = [c for c in cells if c]
        if any(cells):
            # A row of one cell still needs a tab to be read as a table row.
            lines.append("\t".join(cells) if len(cells) > 1 else cells[0] + "\t")
    return [*lines, ""]


def report_to_text_export(raw: RawReport, *, drop_empty: bool = False, fujian_style: bool = False) -> str:
    """Return the text export of a read report: prose and tables in page order."""
    out: list[str] = []
    pages = sorted({t.page or 0 for t in raw.tables} | {ln.page or 0 for ln in raw.lines})
    for page in pages:
        out += [ln.text for ln in raw.lines if (ln.page or 0) == page and "\t" not in ln.text]
        for table in raw.tables:
            if (table.page or 0) == page:
                out += _table_lines(table, drop_empty, fujian_style)
    return "\n".join(out) + "\n"


def item_key(item: LineItem) -> tuple[str, str, str, str]:
    """Return what a twin must agree on besides the amount: table, code, item, measure."""
    return (item.table, item.code, item.item, item.measure)


def twin_items(items: list[LineItem], *, blank_as_zero: bool = False) -> list[tuple[str, str, str, str, Decimal | None]]:
    """Return the comparable line items (table, code, item, measure, amount), sorted."""
    zero = Decimal("0")
    out = [(*item_key(i), zero if blank_as_zero and i.amount is None else i.amount) for i in items]
    return sorted(out, key=lambda t: (t[0], t[1], t[2], t[3], str(t[4])))
