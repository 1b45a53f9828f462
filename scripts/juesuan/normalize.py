"""Normalize recognized tables into line items: one record per numeric cell, as printed.

Each body row is split into its column groups (收入|支出 in 01/04, up to three in 06). In
a group, amounts are read by column position when the row agrees with the header (every
amount column holds an amount, a blank, or a damaged amount), otherwise by order, with the
repair recorded: the text export drops merged cells, so its rows do not always line up with
their header.

Mapping by order never slides a value into another column. It is used only when the row
prints as many amount cells as the group has columns, or one fewer where the export dropped
the row's last cell: then the first column is a total and equals the sum of the others, so
the cell left out can only be the last. Any other count leaves every amount of the row
unassigned (`measure` empty), and the checks report it (`amounts-unassigned`).

A cell printed where an amount belongs that is not one (`5O8.68`, a word) is kept as an
unreadable line item (amount empty, `blank` false, printed text in `raw`), reported by the
checks as `amount-unreadable`; it holds its column place, so the others do not move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from juesuan.amounts import (
    is_unreadable,
    looks_like_damaged_amount,
    parse_amount,
    to_wanyuan,
    unreadable_amount,
)
from juesuan.catalog import economic_category, strip_ordinal
from juesuan.model import Amount, Column, LineItem, RawCell, StandardTable
from juesuan.recognize import CODE_PART_WORDS, is_code, squash

_BALANCE = re.compile(r"^年[初末].*结转和?结余$")
_FUND = re.compile(r"^(一般公共预算|政府性基金预算|国有资本经营预算)")


@dataclass
class GroupCells:
    """The cells of one row that fall in one column group, sorted out."""

    code: str = ""
    label: str = ""
    amounts: list[tuple[Column, RawCell, Amount]] = field(default_factory=list)
    repair: str = ""
    repair_code: str = ""


# What each repair code means (the English notes in `repair` say it for one cell). Only
# `digits-joined` changes a printed number; the others say how a cell was placed.
REPAIR_CODES = {
    "digits-joined": "digits of one amount split by cell wrapping, joined",
    "amount-unreadable": "printed where an amount belongs but not readable as one",
    "mapped-sequentially": "row out of line with the header; amounts mapped to the columns in order",
    "last-cell-dropped": "row one amount short, the first the total of the others; mapped in order",
    "amounts-unassigned": "row prints a number of amounts that fits no column mapping; left unassigned",
    "amount-moved-left": "amount printed beyond its merged label cell; moved to the label's group",
    "label-moved-right": "label printed across merged cells; kept with its amount's column",
}


def table_to_line_items(
    table: StandardTable, report_id: str, fallback_unit: str = "", row_offset: int = 0
) -> list[LineItem]:
    """Return every numeric cell of a standard table as a line item, amounts in 万元.

    `row_offset` numbers the rows of a continuation part after those of the part before it.
    """
    unit = table.unit or fallback_unit
    groups = sorted({c.group for c in table.columns if c.role != "ignore"})
    items: list[LineItem] = []
    balance_parent: dict[int, str] = {}
    last_code: dict[int, str] = {}
    for row_number, row in enumerate(table.body, start=row_offset + 1):
        split = [split_group(table, row, g) for g in groups]
        if table.number.isdigit():
            _move_stray_amounts(split)
        else:
            _move_stray_labels(split)
        for g, cells in zip(groups, split, strict=True):
            if not (cells.label or cells.code or any(not a.blank for _, _, a in cells.amounts)):
                continue
            code = _complete_code(cells.code, last_code.get(g, ""))
            if code:
                last_code[g] = code
            parent = _parent_label(table.number, cells.label, balance_parent, g)
            for column, cell, amount in cells.amounts:
                items.append(
                    LineItem(
                        report_id=report_id,
                        table=table.number,
                        row=row_number,
                        col=_col_of(row, cell, column),
                        group=g,
                        section=_section(table.number, column, code, cells.label),
                        code=code,
                        item=cells.label,
                        parent=parent,
                        measure=column.measure,
                        measure_id=column.measure_id,
                        amount=to_wanyuan(amount.value, unit or "万元"),
                        raw=amount.raw,
                        blank=amount.blank,
                        unit_printed=table.unit,
                        repair="; ".join(x for x in (cells.repair, amount.repair) if x),
                        repair_code=",".join(x for x in (cells.repair_code, amount.repair_code) if x),
                        page=cell.page,
                        line=cell.line,
                        box=cell.box,
                    )
                )
    return items


def split_group(table: StandardTable, row: list[RawCell], group: int) -> GroupCells:
    """Sort the cells of one row and column group into code, label and amounts."""
    # Ignored columns (no header text) still belong to a group: a shifted row prints there.
    columns = [c for c in table.columns if _group_of(table, c.index) == group]
    amount_columns = [c for c in columns if c.role == "amount"]
    cells = [(c, row[c.index]) for c in columns if c.index < len(row)]
    out = GroupCells()
    consistent = _row_agrees_with_header(table, row, group)
    if consistent:
        parts = [squash(cell.text) for col, cell in cells if col.role in ("code", "code_part")]
        out.code = "".join(p for p in parts if p not in CODE_PART_WORDS)
        out.label = "".join(squash(cell.text) for col, cell in cells if col.role == "item")
        for col, cell in cells:
            if col.role == "amount" and cell.text.strip():
                # _row_agrees_with_header let through only amounts, blanks and damaged amounts.
                out.amounts.append((col, cell, parse_amount(cell.text) or unreadable_amount(cell.text)))
            elif col.role == "amount" and (amount := parse_amount(cell.text)) is not None:
                out.amounts.append((col, cell, amount))
        if out.code and not is_code(out.code) and not out.code.isdigit():
            # A label printed in the code column (e.g. 人员经费合计 spanning code and name).
            out.label, out.code = out.code + out.label, ""
        return out
    # By order: codes first, then the label, then the amount cells left to right. Once the
    # amounts have begun, any text is a damaged amount holding its place.
    values: list[tuple[RawCell, Amount]] = []
    labels: list[str] = []
    label_cells: list[RawCell] = []
    for col, cell in cells:
        text = squash(cell.text)
        if not text or text in CODE_PART_WORDS:
            continue
        if not labels and not values and is_code(text) and col.role != "amount":
            out.code += text
        elif not labels and not values and is_code(text) and not out.code:
            out.code = text
        elif not labels and not values and is_code(out.code) and re.fullmatch(r"\d{2}", text):
            out.code += text  # a 款/项 part of a code split over columns (201 | 06 | 01)
        elif (amount := parse_amount(cell.text)) is not None and not amount.blank:
            values.append((cell, amount))
        elif values or looks_like_damaged_amount(text):
            values.append((cell, amount if amount is not None else unreadable_amount(cell.text)))
        else:
            labels.append(text)
            label_cells.append(cell)
    printed, wanted = len(values), len(amount_columns)
    short = wanted - printed
    if 0 < short < len(labels):
        # Amounts short by k and the label printed in k more cells: those cells are the first
        # amounts, damaged into words (a label is one cell in the export).
        for _ in range(short):
            labels.pop()
            cell = label_cells.pop()
            values.insert(0, (cell, unreadable_amount(cell.text)))
        printed = wanted
    out.label = "".join(labels)
    if printed == wanted:
        out.repair = "cells out of line with the header; mapped in order"
        out.repair_code = "mapped-sequentially"
    elif printed == wanted - 1 and last_cell_dropped(amount_columns, [a for _, a in values]):
        out.repair = (f"row prints {printed} amounts for {wanted} columns; the first is the total of the others, "
                      "so the export dropped the last; mapped in order")
        out.repair_code = "last-cell-dropped"
    else:
        out.repair = f"{UNASSIGNED}: row prints {printed} amounts for {wanted} columns; left unassigned"
        out.repair_code = "amounts-unassigned"
        loose = Column(index=-1, role="amount", group=group, measure="", measure_id="")
        out.amounts = [(loose, cell, amount) for cell, amount in values]
        return out
    for column, (cell, amount) in zip(amount_columns, values, strict=False):
        out.amounts.append((column, cell, amount))
    return out


UNASSIGNED = "amounts unassigned"


def last_cell_dropped(columns: list[Column], amounts: list[Amount]) -> bool:
    """Tell whether a row one amount short lost its last cell: the first column is the total
    of the others and the printed amounts already add up to it, so the missing one is zero.
    """
    if len(columns) < 3 or not _is_total(columns[0]) or any(is_unreadable(a) for a in amounts):
        return False
    first, rest = amounts[0].value or Decimal(0), [a.value or Decimal(0) for a in amounts[1:]]
    return abs(first - sum(rest, Decimal(0))) <= Decimal("0.01") * len(rest)


def _is_total(column: Column) -> bool:
    last = column.measure.split("/")[-1]
    return column.measure_id == "total" or last.endswith(("合计", "小计"))


def _row_agrees_with_header(table: StandardTable, row: list[RawCell], group: int) -> bool:
    """Tell whether every printed cell of a row's group sits in a column of its kind."""
    for column in table.columns:
        if column.index >= len(row) or (column.group != group and column.role != "ignore"):
            continue
        text = row[column.index].text.strip()
        if not text:
            continue
        amount = parse_amount(text)
        if column.role == "amount" and amount is None and not looks_like_damaged_amount(text):
            return False
        if column.role in ("item", "ignore", "line_no") and amount is not None and not is_code(text) and "." in text:
            return False
        if column.role == "ignore" and group == _group_of(table, column.index):
            return False
        if column.role in ("code", "code_part") and amount is not None and "." in text:
            return False
    return True


def _group_of(table: StandardTable, index: int) -> int:
    """Return the group of the nearest non-ignored column left of a grid column."""
    for column in reversed(table.columns[: index + 1]):
        if column.role != "ignore":
            return column.group
    return 0


def _move_stray_amounts(split: list[GroupCells]) -> None:
    """Give amounts printed in a group with no label to the labelled group on its left.

    The 06 totals row prints 公用经费合计 in one group and its amount under the next one,
    because the printed cells are merged across groups.
    """
    for left, right in pairwise(split):
        right_values = [a for a in right.amounts if not a[2].blank]
        left_values = [a for a in left.amounts if not a[2].blank]
        if left.label and not left_values and right_values and not right.label and not right.code:
            target = [a[0] for a in left.amounts] or [a[0] for a in right.amounts]
            left.amounts = [(t, cell, amount) for t, (_, cell, amount) in zip(target, right_values, strict=False)]
            left.repair = "amount printed beyond its merged label cell; moved to the label's group"
            left.repair_code = "amount-moved-left"
            right.amounts = []


def _move_stray_labels(split: list[GroupCells]) -> None:
    """Give a label merged across column groups to the group on its right that prints the amount.

    Budget totals rows (支出合计 in the Jiangsu 收支预算总表) merge the label over the 功能分类
    block and print the amount under the last block's column: the amount stays in the column
    it was printed in and the label goes with it.
    """
    for left, right in pairwise(split):
        right_values = [a for a in right.amounts if not a[2].blank]
        left_values = [a for a in left.amounts if not a[2].blank]
        if left.label and not left_values and right_values and not right.label and not right.code:
            right.label, left.label = left.label, ""
            right.repair = "label printed across merged cells; kept with the column its amount is printed in"
            right.repair_code = "label-moved-right"


def _col_of(row: list[RawCell], cell: RawCell, column: Column) -> int:
    """Return the 1-based grid column where the cell was printed."""
    for i, c in enumerate(row):
        if c is cell:
            return i + 1
    return column.index + 1


def _complete_code(code: str, previous: str) -> str:
    """Complete a split code printed without its 类 part (continuation rows) from the row above."""
    if not code or is_code(code):
        return code
    if code.isdigit() and len(code) in (2, 4) and len(previous) >= 3:
        return previous[:3] + code
    return code


def _parent_label(table: str, label: str, parents: dict[int, str], group: int) -> str:
    """Return the balance row a fund breakdown line belongs to (04 年初财政拨款结转和结余)."""
    core = strip_ordinal(label)
    if _BALANCE.match(core):
        parents[group] = label
        return ""
    if core.startswith(("总计", "合计")):
        parents.pop(group, None)
        return ""
    if table in ("01", "04") and group in parents and _FUND.match(core):
        return parents[group]
    return ""


def _section(table: str, column: Column, code: str, label: str) -> str:
    """Return the section of a cell: 收入/支出, or 人员经费/公用经费 from the economic code."""
    if table in ("01", "04") or not table.isdigit():
        # 收入|支出 sides, and every budget table's column groups, by their header.
        return column.section
    if table == "06":
        if code:
            return economic_category(code)
        for word in ("人员经费", "公用经费"):
            if label.startswith(word):
                return word
        return column.section
    return ""
