"""Read 第一部分 (部门概况): the units consolidated, the department's duties, its work summary.

The units table is found by its header (单位名称), wherever it sits; where a PDF prints it
without rulings the reader leaves it as prose, so numbered prose lines under a 单位名称
header are read too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from juesuan.model import RawCell, RawReport, RawTable, TextLine
from juesuan.narrative import CN_NUM, find_section, join_lines

log = logging.getLogger(__name__)

DUTIES_HEADING = re.compile(r"主要职责|主要职能|职能职责")
SUMMARY_HEADING = re.compile(r"主要工作总结|工作总结|主要工作")
DUTY_ITEM = re.compile(rf"[（(]\s*[{CN_NUM}]+\s*[）)]")
SENTENCE_CLOSE = "。！？：；”」"

# Header words of the units table → field.
UNIT_COLUMNS = (
    (re.compile(r"单位名称"), "name"),
    (re.compile(r"单位性质|性质"), "nature"),
    (re.compile(r"在职人数|人数|编制"), "staff"),
    (re.compile(r"备注"), "note"),
)
PROSE_UNIT = re.compile(r"^\s*(?P<row>\d+)\s+(?P<name>\S+)(?:\s+(?P<note>\S.*?))?\s*$")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _header_columns(row: list[RawCell]) -> dict[int, str]:
    """Map grid columns of a header row to unit fields."""
    columns: dict[int, str] = {}
    for i, cell in enumerate(row):
        text = _compact(cell.text)
        for pattern, name in UNIT_COLUMNS:
            if text and pattern.search(text) and name not in columns.values():
                columns[i] = name
                break
    return columns


def _units_from_table(table: RawTable, report_id: str) -> list[dict[str, Any]]:
    """Read unit rows under the 单位名称 header of a table; [] when it has none."""
    for h, header in enumerate(table.rows[:3]):
        columns = _header_columns(header)
        if "name" not in columns.values():
            continue
        units: list[dict[str, Any]] = []
        for row in table.rows[h + 1 :]:
            values = {name: row[i].text.strip() for i, name in columns.items() if i < len(row)}
            if not values.get("name") or values["name"] == "单位名称":
                continue
            first = next((c for c in row if c.text), row[0])
            units.append(_unit_row(report_id, len(units) + 1, values, first.page, first.line))
        return units
    return []


def _unit_row(report_id: str, row: int, values: dict[str, str], page: int | None,
              line: int | None) -> dict[str, Any]:
    staff = re.sub(r"\D", "", values.get("staff", ""))
    return {
        "report_id": report_id,
        "row": row,
        "name": _compact(values.get("name", "")),
        "nature": _compact(values.get("nature", "")),
        "staff": int(staff) if staff else None,
        "note": values.get("note", "").strip(),
        "page": page,
        "line": line,
    }


def _units_from_prose(lines: list[TextLine], report_id: str) -> list[dict[str, Any]]:
    """Read `1 单位名称 备注` prose lines following a 序号/单位名称 header line."""
    for i, tl in enumerate(lines):
        if "单位名称" not in tl.text or not re.search(r"序号|备注|单位性质", tl.text):
            continue
        units: list[dict[str, Any]] = []
        for follow in lines[i + 1 :]:
            m = PROSE_UNIT.match(follow.text)
            if not m or int(m.group("row")) != len(units) + 1:
                break
            values = {"name": m.group("name"), "note": m.group("note") or ""}
            units.append(_unit_row(report_id, len(units) + 1, values, follow.page, follow.line))
        if units:
            return units
    return []


def extract_units(raw: RawReport, report_id: str) -> list[dict[str, Any]]:
    """Return the units table rows (单位名称/单位性质/在职人数/备注), found by header."""
    for table in raw.tables:
        units = _units_from_table(table, report_id)
        if units:
            return units
    return _units_from_prose(raw.lines, report_id)


def extract_duties(raw: RawReport, report_id: str) -> list[dict[str, Any]]:
    """Return the 主要职责 items (（一）…), one row each, wrapped lines joined."""
    body = find_section(raw.lines, DUTIES_HEADING)
    text, origins = join_lines(body)
    starts = [m.start() for m in DUTY_ITEM.finditer(text) if _starts_item(text, m.start())]
    duties: list[dict[str, Any]] = []
    if not starts and (m := re.search(r"(?:主要)?职责是[：:]", text)):
        # One paragraph of duties (Shanghai): its items are the clauses after 职责是：.
        starts = [m.end()] + [i + 1 for i in range(m.end(), len(text) - 1) if text[i] in "；;"]
    if not starts:
        return duties
    for seq, (a, b) in enumerate(zip(starts, [*starts[1:], len(text)], strict=True), start=1):
        item = text[a:b].strip()
        origin = origins[a] if a < len(origins) else TextLine("")
        duties.append({"report_id": report_id, "seq": seq, "text": item, "page": origin.page, "line": origin.line})
    return duties


def _starts_item(text: str, pos: int) -> bool:
    """Tell whether an enumerator opens an item (at the start or after a sentence end)."""
    before = text[:pos].rstrip()
    return not before or before[-1] in SENTENCE_CLOSE


def extract_summary(raw: RawReport) -> str:
    """Return the 主要工作总结 as text: paragraphs on their own lines, wrapped lines joined."""
    body = find_section(raw.lines, SUMMARY_HEADING)
    paragraphs: list[str] = []
    for tl in body:
        text = tl.text.strip()
        # A line that does not close its sentence was wrapped (or cut by a page break).
        if paragraphs and _wraps(paragraphs[-1], text):
            paragraphs[-1] += text
        else:
            paragraphs.append(text)
    return "\n".join(paragraphs)


def _wraps(previous: str, text: str) -> bool:
    """Tell whether a line continues the previous one (no sentence close, no sub-heading)."""
    heading = re.compile(rf"^[（(]\s*[{CN_NUM}]+\s*[）)]")
    if not previous or previous[-1] in SENTENCE_CLOSE or heading.match(text):
        return False
    return not (heading.match(previous) and len(previous) <= 30)


def extract_profile(
    raw: RawReport, report_id: str, warnings: list[str] | None = None, expect_units: bool = True
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """Return (units rows, duties rows, work summary text); never raises.

    Problems are appended to `warnings` when given, else logged. A missing units table is a
    problem only where the template prints one (`expect_units`: the 决算 templates do; the 预算
    ones describe their units in prose).
    """
    out: tuple[list[dict[str, Any]], list[dict[str, Any]], str] = ([], [], "")
    for name, step in (("units", extract_units), ("duties", extract_duties)):
        try:
            rows = step(raw, report_id)
        except Exception as exc:  # one odd report must not stop the batch
            rows = []
            _warn(warnings, report_id, f"{name} not extracted: {exc!r}")
        out = (rows, out[1], out[2]) if name == "units" else (out[0], rows, out[2])
    try:
        summary = extract_summary(raw)
    except Exception as exc:  # one odd report must not stop the batch
        summary = ""
        _warn(warnings, report_id, f"work summary not extracted: {exc!r}")
    if not out[0] and expect_units:
        _warn(warnings, report_id, "no units table (单位名称 header) found")
    return out[0], out[1], summary


def _warn(warnings: list[str] | None, report_id: str, message: str) -> None:
    # The caller prints the warnings it is given; logging them too would print each twice.
    if warnings is None:
        log.warning("%s: %s", report_id, message)
    else:
        warnings.append(message)
