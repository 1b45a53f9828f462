"""Recognize standard tables: which 公开NN表 a raw table is, and what each column holds.

Recognition needs the title AND the header: the title names the table, and the header must
print at least one of its columns. A `公开NN表` label is never enough on its own (budget
templates number their tables with the same labels); a label disagreeing with the title is
a warning. Columns go by their header text, never by page index or column position.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from juesuan.amounts import parse_amount
from juesuan.catalog import STANDARD_TABLES, match_label, match_measure, match_title, normalize_title
from juesuan.model import Column, ColumnRole, RawCell, RawTable, StandardTable

CODE_PART_WORDS = {"类", "款", "项"}
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_SECTION_WORDS = ("收入", "支出", "人员经费", "公用经费")
_ITEM_HEADER = re.compile(r"^(项目(?!支出)|科目名称|项目名称|名称|单位名称)")


def squash(text: str) -> str:
    """Return text with all whitespace removed (labels and header levels are compared so)."""
    return re.sub(r"\s+", "", text)


def is_code(text: str) -> bool:
    """Tell whether text is a classification code (3, 5 or 7 digits)."""
    return bool(_CODE.match(squash(text)))


def is_decimal_amount(text: str) -> bool:
    """Tell whether a cell prints an amount with decimals (a data value, not a 栏次 number)."""
    parsed = parse_amount(text)
    return parsed is not None and not parsed.blank and ("." in text)


def is_data_row(row: list[RawCell]) -> bool:
    """Tell whether a grid row holds data rather than header labels."""
    if any(is_decimal_amount(c.text) for c in row):
        return True
    first = [squash(c.text) for c in row[:3] if c.text.strip()]
    return bool(first) and is_code(first[0]) and not is_label_row(row)


def _looks_like_body(row: list[RawCell]) -> bool:
    """Tell whether a row without values is a body row (a numbered label, a placeholder, a code).

    合计 is left out: the horizontal 三公 table prints it as a column header.
    """
    texts = [squash(c.text) for c in row if c.text.strip()]
    return any(re.match(r"^([一二三四五六七八九十]+、|[…\.]{2,}|\d{3}$)", t) for t in texts)


def is_label_row(row: list[RawCell]) -> bool:
    """Tell whether a row is a 栏次/行次 numbering row (labels, not data)."""
    texts = [squash(c.text) for c in row if c.text.strip()]
    if not any(t in ("栏次", "行次") for t in texts):
        return False
    return all(t in ("栏次", "行次") or t.isdigit() or t in CODE_PART_WORDS for t in texts)


_HEAD_LABEL = re.compile(r"^公开\d{1,2}表")
_HEAD_UNIT = re.compile(r"单位[:：](万元|千元|元)")
_HEAD_DEPARTMENT = re.compile(r"部门[:：](.*)$")


def lift_heading_rows(raw: RawTable) -> RawTable:
    """Return the table with title, label, 部门 and 单位 lines moved out of its first grid rows.

    Some producers draw the title (`公开06表财政拨款基本支出预算表`) and the `部门：… 单位：万元`
    line inside the table's frame, so the reader finds them as the first grid rows. Such a row
    prints no amount and either names a table (…表) or a 部门/单位.
    """
    rows = list(raw.rows)
    title, label, unit, department = raw.title, raw.label, raw.unit, raw.department
    while rows:
        texts = [squash(c.text) for c in rows[0] if c.text.strip()]
        joined = "".join(texts)
        if not texts or any(parse_amount(t) is not None for t in texts):
            break
        names_table = len(texts) == 1 and joined.endswith(("表", ")", "）")) and "表" in joined
        if not (names_table or _HEAD_UNIT.search(joined) or _HEAD_DEPARTMENT.search(joined)):
            break
        if m := _HEAD_UNIT.search(joined):
            unit = unit or m.group(1)
            joined = joined[: m.start()] + joined[m.end() :]
        if m := _HEAD_DEPARTMENT.search(joined):
            department = department or m.group(1) or None
            joined = joined[: m.start()]
        if m := _HEAD_LABEL.match(joined):
            label = label or m.group(0)
            joined = joined[m.end() :]
        if joined and not match_title(title):
            title = joined
        rows.pop(0)
    if len(rows) == len(raw.rows):
        return raw
    return replace(raw, rows=rows, title=title, label=label, unit=unit, department=department)


def split_at_heading_rows(raw: RawTable) -> list[RawTable]:
    """Return the tables of a grid that holds more than one: split where a row names a table title.

    Some producers draw two tables in one frame (an empty 政府性基金 table, then the next
    table's title row and its rows); each part is lifted like a table of its own.
    """
    from juesuan.catalog_budget import match_report_title  # both catalogues' titles

    cuts = [
        i
        for i, row in enumerate(raw.rows)
        if i
        and len(texts := [c.text for c in row if c.text.strip()]) == 1
        and any(match_report_title(line) for line in texts[0].split("\n"))
    ]
    if not cuts:
        return [lift_heading_rows(raw)]
    bounds = [0, *cuts, len(raw.rows)]
    parts = []
    for k, (start, end) in enumerate(pairwise(bounds)):
        rows = raw.rows[start:end]
        if k == 0:
            parts.append(lift_heading_rows(replace(raw, rows=rows)))
            continue
        head = rows[0]
        title = next(line for line in next(c.text for c in head if c.text.strip()).split("\n") if match_report_title(line))
        page = next((c.page for c in head if c.page is not None), raw.page)
        part = replace(raw, rows=rows, title="", label=None, unit=None, department=None, notes=[], page=page, line=head[0].line)
        lifted = lift_heading_rows(part)
        parts.append(replace(lifted, title=title) if not match_report_title(lifted.title) else lifted)
    return parts


def recognize(raw: RawTable) -> StandardTable | None:
    """Return the standard table a raw table is, with its columns understood; None if not one."""
    number = match_title(raw.title)
    if number is None or not raw.rows:
        return None
    first_data = next((i for i, row in enumerate(raw.rows) if is_data_row(row)), None)
    if first_data is None:
        # No printed value (the blank template, an empty 08/09): the body starts at the first
        # row that reads like a row label rather than a column header.
        first_data = next((i for i, row in enumerate(raw.rows) if i and _looks_like_body(row)), len(raw.rows))
    # 栏次 numbering rows are labels, not header text: keep them out of the column paths.
    header = [row for row in raw.rows[:first_data] if not is_label_row(row)]
    if first_data < len(raw.rows) and (hints := code_part_hints(raw.rows[first_data])):
        header.append(hints)
    paths = header_paths(header, raw.width, spans_known=raw.aligned)
    columns, warnings = paths_to_columns(number, paths)
    body = [row for row in raw.rows[first_data:] if any(c.text.strip() for c in row) and not is_label_row(row)]
    empty = not any(is_decimal_amount(c.text) for row in body for c in row)
    if not empty and not any(c.measure_id for c in columns):
        return None  # the title is the table's but the header prints none of its columns
    if empty:
        warnings = []  # with no printed value there is nothing a header mistake could misfile
    labelled = match_label(raw.label) if raw.label else None
    if labelled is not None and labelled != number:
        warnings.append(f"表{number}: printed label {raw.label!r} disagrees with its title {raw.title!r}; the title is used")
    unit = raw.unit or ""
    if not unit:
        warnings.append(f"表{number}: no 单位 line printed")
    return StandardTable(number=number, raw=raw, columns=columns, body=body, unit=unit, empty=empty, warnings=warnings)


def unmapped_warning(raw: RawTable) -> str:
    """Return a warning naming a table that looks like a report table but is not mapped; "" otherwise.

    A `公开NN表` label, or a title ending in 决算表/预算表, says the table was meant to be one
    of the standard tables: say so rather than drop its cells silently.
    """
    title = normalize_title(raw.title)
    if not raw.label and not re.search(r"[决预]算(总|明细)?表", title):
        return ""
    where = f"page {raw.page}" if raw.page is not None else f"line {raw.line}"
    name = raw.title.strip() or "(no title)"
    label = f" labelled {raw.label}" if raw.label else ""
    return f"{where}: table {name!r}{label} not recognized by its title and header; its cells are not published"


def header_paths(header: list[list[RawCell]], width: int, spans_known: bool = False) -> list[str]:
    """Turn header rows into one path per column ("本年支出/基本支出").

    A blank header cell belongs to the merged cell on its left when that cell's colspan
    reaches it. Where spans are not known (the text export keeps the grid but not the
    spans), it belongs there only when the grid shows that span: some header row below has
    text in the column (it is a sub-column of a group), and no header row above starts a new
    cell between the two (a cell never reaches across the edge of its parent's span).
    """
    header = [row for row in header if any(_header_text(c) for c in row)]
    starts = [{c for c in range(width) if c < len(row) and _header_text(row[c])} for row in header]
    levels: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(header):
        carried = ""
        origin = reach = -1  # where the carried cell starts, and the last column it covers
        for c in range(width):
            cell = row[c] if c < len(row) else RawCell("")
            text = _header_text(cell)
            if text:
                carried, origin, reach = text, c, c + cell.colspan - 1
                levels[c].append(text)
            elif carried and (c <= reach or (not spans_known and reach == c - 1
                                             and _has_text_below(header, r, c)
                                             and not _parent_edge_between(starts[:r], origin, c))):
                reach = max(reach, c)
                levels[c].append(carried)
            else:
                carried, origin, reach = "", -1, -1
    return ["/".join(_dedupe(level)) for level in levels]


def _header_text(cell: RawCell) -> str:
    """Return a header cell's text, whitespace removed; 栏次 numbers are not header text."""
    text = squash(cell.text)
    return "" if text.isdigit() else text


def _parent_edge_between(starts_above: list[set[int]], origin: int, column: int) -> bool:
    """Tell whether a header row above starts a cell in (origin, column]: a span edge."""
    return any(c in row for row in starts_above for c in range(origin + 1, column + 1))


def code_part_hints(row: list[RawCell]) -> list[RawCell] | None:
    """Return the 类/款/项 labels a first body row prints, as a header row; None when it prints none.

    Some grids print the 类 款 项 labels on the same line as the 合计 row, so they arrive as part
    of the body; they still name the code columns above them.
    """
    hints = [cell if squash(cell.text) in CODE_PART_WORDS else RawCell("") for cell in row]
    return hints if sum(1 for c in hints if c.text) >= 2 else None


def _has_text_below(header: list[list[RawCell]], r: int, c: int) -> bool:
    return any(c < len(row) and _header_text(row[c]) for row in header[r + 1 :])


def _dedupe(levels: list[str]) -> list[str]:
    out: list[str] = []
    for level in levels:
        if not out or out[-1] != level:
            out.append(level)
    return out


def paths_to_columns(number: str, paths: list[str]) -> tuple[list[Column], list[str]]:
    """Give each column a role, group, section and measure from its header path."""
    columns: list[Column] = []
    warnings: list[str] = []
    group = -1
    group_has_value = True  # forces a first group to open
    section = ""
    for index, printed in enumerate(paths):
        path = _split_side_words(number, printed)
        levels = path.split("/") if path else []
        last = levels[-1] if levels else ""
        role = _role(number, path, last)
        if role == "amount":
            # An item header (科目名称, 项目) is never the parent of an amount column.
            path = "/".join(lv for lv in levels[:-1] if not _ITEM_HEADER.fullmatch(lv) and lv not in _ITEM_WORDS) + (
                "/" if len(levels) > 1 else "") + last
            path = path.lstrip("/")
        follows_code = role == "item" and bool(columns) and columns[-1].role in ("code", "code_part")
        if role in ("code", "code_part", "item") and group_has_value and not follows_code:
            group += 1
            group_has_value = False
            section = next((normalize_title(lv) for lv in levels if normalize_title(lv) in _SECTION_WORDS), section)
        if role in ("amount", "line_no", "item"):
            group_has_value = group_has_value or role == "amount"
        measure_id = match_measure(number, path) if role == "amount" else ""
        if role == "amount" and not measure_id:
            warnings.append(f"表{number}: unknown column {path!r} kept with no canonical measure")
        columns.append(Column(index=index, role=role, group=max(group, 0), section=section, measure=path, measure_id=measure_id))
    _sections_from_any_column(columns)
    return columns, warnings


_ITEM_WORDS = ("项目", "科目名称", "项目名称", "名称")
_SIDE_PREFIX = re.compile(r"^(收入|支出)(.+)$")


def _split_side_words(number: str, path: str) -> str:
    """Split a side word printed into a header level of 01/04 (收入决算数 → 收入/决算数).

    Some layouts head the two sides 收入决算数 / 支出决算数 (or 收入项目 / 支出项目) instead of
    printing 收入 / 支出 above 项目 / 金额; the rest must itself be a column of the table.
    """
    spec = STANDARD_TABLES.get(number)
    if spec is None or spec.kind != "totals" or not path:
        return path
    out: list[str] = []
    for level in path.split("/"):
        m = _SIDE_PREFIX.match(normalize_title(level))
        rest = m.group(2) if m else ""
        if m and (match_measure(number, rest) or rest in _ITEM_WORDS):
            out += [m.group(1), rest]
        else:
            out.append(level)
    return "/".join(_dedupe(out))


def _sections_from_any_column(columns: list[Column]) -> None:
    """Give a column group with no side its side from any of its columns' header levels."""
    for group in {c.group for c in columns}:
        members = [c for c in columns if c.group == group]
        if any(c.section for c in members):
            continue
        side = next((lv for c in members for lv in c.measure.split("/") if lv in ("收入", "支出")), "")
        for c in members:
            c.section = side


def structural_role(path: str, last: str) -> ColumnRole | None:
    """Return the role a header gives whatever the table (blank, code, 行次); None otherwise."""
    if not path:
        return "ignore"
    if last in CODE_PART_WORDS:
        return "code_part"
    if "编码" in last or "编号" in last or last.endswith("代码"):
        return "code"
    if last in ("行次", "栏次", "序号"):
        return "line_no"
    return None


def _role(number: str, path: str, last: str) -> ColumnRole:
    if (role := structural_role(path, last)) is not None:
        return role
    if match_measure(number, path) and not _ITEM_HEADER.match(last):
        return "amount"
    if _ITEM_HEADER.match(last) or last in _SECTION_WORDS:
        return "item"
    return "amount"
