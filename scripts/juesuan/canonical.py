"""Pivot line items into canonical resources: the same columns for every report and layout."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from juesuan.catalog import (
    FUNCTION_CLASSES,
    THREE_PUBLIC_ITEMS,
    economic_category,
    strip_ordinal,
    three_public_item,
)
from juesuan.fields import RESOURCES
from juesuan.model import LineItem

FUNCTION_RESOURCES = {"02": "income_by_function", "03": "expenditure_by_function", "05": "general_budget_expenditure"}
_LEVELS = {3: "类", 5: "款", 7: "项"}


def line_items_to_resources(items: list[LineItem]) -> dict[str, list[dict[str, Any]]]:
    """Return the canonical resources (totals, by-function, basic, 三公) of one report."""
    by_table: dict[str, list[LineItem]] = defaultdict(list)
    for item in items:
        by_table[item.table].append(item)
    out: dict[str, list[dict[str, Any]]] = {
        "totals": totals_rows(by_table.get("01", []) + by_table.get("04", [])),
        "basic_expenditure": basic_expenditure_rows(by_table.get("06", [])),
        "three_public": three_public_rows(by_table.get("07", [])),
    }
    for table, resource in FUNCTION_RESOURCES.items():
        out[resource] = function_rows(by_table.get(table, []), resource)
    return out


def _rows(items: Iterable[LineItem], key: Any) -> dict[Any, list[LineItem]]:
    grouped: dict[Any, list[LineItem]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped


def _provenance(cells: list[LineItem]) -> dict[str, Any]:
    first = cells[0]
    return {"page": first.page, "line": first.line}


def _measures(cells: list[LineItem], allowed: set[str]) -> dict[str, Decimal | None]:
    return {c.measure_id: c.amount for c in cells if c.measure_id in allowed}


def level_of(code: str) -> str:
    """Return 类/款/项 from the length of a functional code."""
    return _LEVELS.get(len(code), "")


def parent_of(code: str) -> str:
    """Return the parent code (款 of a 项, 类 of a 款), "" for a 类."""
    return code[:-2] if len(code) in (5, 7) else ""


def function_rows(items: list[LineItem], resource: str) -> list[dict[str, Any]]:
    """Return rows of a by-function resource (02, 03, 05) with one column per measure."""
    measures = {f.name for f in RESOURCES[resource].fields if f.type == "number"}
    rows = []
    for row, cells in sorted(_rows(items, lambda i: i.row).items()):
        code = cells[0].code
        name = cells[0].item
        if code and level_of(code):
            level = level_of(code)
        elif strip_ordinal(name) in ("合计", "总计"):
            level = "合计"
        else:
            continue  # placeholder rows with neither code nor label carry nothing canonical
        rows.append(
            {
                "report_id": cells[0].report_id,
                "row": row,
                "code": code,
                "level": level,
                "parent_code": parent_of(code),
                "name": name,
                **_measures(cells, measures),
                **_provenance(cells),
            }
        )
    return rows


def totals_rows(items: list[LineItem]) -> list[dict[str, Any]]:
    """Return 01/04 rows as side × item with the measures as columns."""
    measures = {"amount", "budget", "general", "fund", "capital"}
    rows = []
    side_order = {"收入": 0, "支出": 1}
    grouped = _rows(items, lambda i: (i.table, side_order.get(i.section, 2), i.row))
    for (table, _, row), cells in sorted(grouped.items()):
        section = cells[0].section
        label = cells[0].item
        if not label or section not in ("收入", "支出"):
            continue
        item = strip_ordinal(label)
        rows.append(
            {
                "report_id": cells[0].report_id,
                "table": table,
                "side": section,
                "row": row,
                "item": item,
                "label": label,
                "parent": cells[0].parent,
                "function_code": FUNCTION_CLASSES.get(item, "") if section == "支出" else "",
                **_measures(cells, measures),
                **_provenance(cells),
            }
        )
    return rows


def basic_expenditure_rows(items: list[LineItem]) -> list[dict[str, Any]]:
    """Return 06 rows in printed order, column group by column group."""
    rows = []
    ordered = sorted(_rows(items, lambda i: (i.group, i.row)).items())
    for seq, (_, cells) in enumerate(ordered, start=1):
        cell = cells[0]
        if cell.code:
            level = "类" if len(cell.code) == 3 else "款"
            category = economic_category(cell.code)
        elif cell.item.endswith("合计") and cell.section:
            level, category = "合计", cell.section
        else:
            continue
        rows.append(
            {
                "report_id": cell.report_id,
                "row": seq,
                "code": cell.code,
                "level": level,
                "parent_code": cell.code[:3] if len(cell.code) == 5 else "",
                "name": cell.item,
                "category": category,
                "amount": cell.amount,
                **_provenance(cells),
            }
        )
    return rows


def three_public_rows(items: list[LineItem]) -> list[dict[str, Any]]:
    """Return 07 as item × budget/actual, from a vertical (行次) or horizontal layout."""
    found: dict[str, dict[str, Any]] = {}
    for cell in items:
        item = three_public_item(cell.item) if cell.item else ""
        if not item:
            # Horizontal layout: the item is a level of the column header path.
            # The deepest level naming an item wins; a 小计 under a group is that group.
            for level in cell.measure.split("/")[:-1]:
                candidate = three_public_item(level)
                if candidate and not (candidate == "total" and item):
                    item = candidate
        if not item or cell.measure_id not in ("budget", "actual"):
            continue
        row = found.setdefault(
            item,
            {"report_id": cell.report_id, "item": item, "name": _three_public_title(item), "page": cell.page, "line": cell.line},
        )
        row[cell.measure_id] = cell.amount
    order = [id_ for id_, _, _ in THREE_PUBLIC_ITEMS]
    return sorted(found.values(), key=lambda r: order.index(r["item"]))


def _three_public_title(item: str) -> str:
    return next(title for id_, title, _ in THREE_PUBLIC_ITEMS if id_ == item)
