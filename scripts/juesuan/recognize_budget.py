"""Recognize budget tables (部门预算 / 单位预算) by title AND header, and what each column holds.

The budget counterpart of recognize.py: the title must name a table of catalog_budget and the
header must print at least one of its measures. Budget amounts are often 元 integers with
thousands separators (`1,234,567`), so a data row is told by separators, decimals, a code or
a body label rather than by decimals alone.
"""

from __future__ import annotations

import re

from juesuan.amounts import parse_amount
from juesuan.catalog_budget import BUDGET_TABLES, match_budget_measure, match_budget_title
from juesuan.model import Column, ColumnRole, RawCell, RawTable, StandardTable
from juesuan.recognize import header_paths, is_code, is_label_row, squash, structural_role

_BODY_LABEL = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|其中[:：]|合计|总计|小计|收入总计|支出总计)")
_ITEM_WORDS = re.compile(r"(名称|^项目(?!支出)|^科目$|品目|形式|用途$|^单位$)")


def is_separated_amount(text: str) -> bool:
    """Tell whether a cell prints an amount with a thousands separator or decimals (data, not 栏次)."""
    amount = parse_amount(text)
    return amount is not None and not amount.blank and ("," in text or "." in text)


def is_budget_data_row(row: list[RawCell]) -> bool:
    """Tell whether a grid row is a body row of a budget table rather than header text."""
    if is_label_row(row):
        return False
    texts = [squash(c.text) for c in row if c.text.strip()]
    if not texts:
        return False
    if any(is_separated_amount(t) for t in texts):
        return True
    if is_code(texts[0]):
        return True
    has_amount = any((a := parse_amount(t)) is not None and not a.blank for t in texts[1:])
    return bool(_BODY_LABEL.match(texts[0])) and has_amount


def recognize_budget(raw: RawTable) -> StandardTable | None:
    """Return the budget table a raw table is, with its columns understood; None if not one."""
    table_id = match_budget_title(raw.title)
    if table_id is None or not raw.rows:
        return None
    first_data = next((i for i, row in enumerate(raw.rows) if is_budget_data_row(row)), None)
    if first_data is None:
        # Nothing printed (an empty 政府性基金 table): the body starts at the first body label.
        first_data = next(
            (i for i, row in enumerate(raw.rows) if i and any(_BODY_LABEL.match(squash(c.text)) for c in row[:2])),
            len(raw.rows),
        )
    header = [row for row in raw.rows[:first_data] if not is_label_row(row)]
    body = [row for row in raw.rows[first_data:] if any(c.text.strip() for c in row) and not is_label_row(row)]
    paths = header_paths(header, raw.width, spans_known=raw.aligned)
    # A grid slot no body cell starts in holds no column of its own: its header is carried
    # from the merged cell on its left, which would publish every amount a second time, blank.
    covered = covered_columns(body, raw.width)
    paths = ["" if c in covered else p for c, p in enumerate(paths)]
    columns, warnings = budget_columns(table_id, paths, body)
    empty = not any(
        (a := parse_amount(row[c.index].text)) is not None and not a.blank
        for row in body
        for c in columns
        if c.role == "amount" and c.index < len(row)
    )
    prints_amounts = any(is_separated_amount(c.text) for row in body for c in row)
    if (prints_amounts or not empty) and not any(c.measure_id for c in columns):
        # The title is a budget table's but the header prints none of its columns (or none
        # could be read): its amounts would have no column to go under.
        return None
    if empty:
        warnings = []
    unit = raw.unit or ""
    if not unit:
        warnings.append(f"{table_id} {BUDGET_TABLES[table_id].name}: no 单位 line printed")
    return StandardTable(number=table_id, raw=raw, columns=columns, body=body, unit=unit, empty=empty, warnings=warnings)


def _prints_labels(index: int, body: list[list[RawCell]]) -> bool:
    """Tell whether the body prints labels in a column: most of its texts are words, not amounts."""
    printed = [squash(row[index].text) for row in body if index < len(row) and row[index].text.strip()]
    words = [t for t in printed if parse_amount(t) is None and not is_code(t)]
    return len(printed) >= 2 and len(words) * 2 > len(printed)


def covered_columns(body: list[list[RawCell]], width: int) -> set[int]:
    """Return the grid columns that a merged cell from the left covers in every body row."""
    covered = set(range(1, width)) if body else set()
    for row in body:
        reached = {c for j, cell in enumerate(row) for c in range(j + 1, j + cell.colspan)}
        covered &= reached
    return covered


def budget_columns(table_id: str, paths: list[str], body: list[list[RawCell]]) -> tuple[list[Column], list[str]]:
    """Give each column of a budget table a role, group, section and measure from its header path.

    A column group starts at each item (or code) column after an amount column; its section
    is the item column's header path without its last level (`本年支出`, `支出/功能分类`).
    """
    columns: list[Column] = []
    warnings: list[str] = []
    group = -1
    group_has_value = True
    section = ""
    name = BUDGET_TABLES[table_id].name
    for index, path in enumerate(paths):
        levels = path.split("/") if path else []
        role = _role(table_id, path, levels[-1] if levels else "", index, body)
        follows_code = role == "item" and bool(columns) and columns[-1].role in ("code", "code_part")
        if role in ("code", "code_part", "item") and group_has_value and not follows_code:
            group += 1
            group_has_value = False
            section = "/".join(levels[:-1])
            if role == "code_part" and len(levels) > 2:
                section = "/".join(levels[:-2])
        if role == "amount":
            group_has_value = True
        measure_id = match_budget_measure(table_id, path) if role == "amount" else ""
        if role == "amount" and not measure_id:
            warnings.append(f"{table_id} {name}: unknown column {path!r} kept with no canonical measure")
        columns.append(Column(index=index, role=role, group=max(group, 0), section=section, measure=path, measure_id=measure_id))
    return columns, warnings


def _role(table_id: str, path: str, last: str, index: int, body: list[list[RawCell]]) -> ColumnRole:
    if not path and _prints_labels(index, body):
        return "item"  # a sub-item column under no header of its own (一般公共预算资金 | 小计)
    if (role := structural_role(path, last)) is not None:
        return role
    if _ITEM_WORDS.search(last):
        return "item"
    if match_budget_measure(table_id, path):
        return "amount"
    # An unknown header: the body decides (amounts printed there, or labels).
    printed = [squash(row[index].text) for row in body if index < len(row) and row[index].text.strip()]
    amounts = [t for t in printed if (a := parse_amount(t)) is not None and not a.blank and not is_code(t)]
    return "amount" if amounts and len(amounts) * 2 >= len(printed) else "item"
