"""Read the 绩效自评表 (project self-evaluation tables and the 部门整体 table) into rows.

Tables are recognized by their words (项目名称/专项名称, 年初预算数, 三级指标, 总分), never by
position, and read as one stream of rows so that a table running across pages (several raw
tables in a PDF, blank lines in the text export) stays one project. Cells drift: the text
export drops merged cells, so a row's values are taken by order from its non-empty cells,
counted from the right (…, 指标分值, 自评得分, 偏差原因). A row holding a single cell continues
the cell of the row above in the nearest column (wrapped text), and is joined back.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.amounts import parse_amount
from juesuan.model import RawCell, RawReport, RawTable

log = logging.getLogger(__name__)

PERFORMANCE_TITLE = re.compile(r"绩效自评|绩效评价表|绩效目标")
NAME_LABEL = re.compile(r"^(项目名称|专项名称)$")
DEPARTMENT_LABEL = re.compile(r"^(主管部门|部门[(（]单位[)）]名称)$")
IMPLEMENTER_LABEL = re.compile(r"^实施单位$")
GOAL_LABEL = "年度总体目标"
INDICATOR_LABEL = "绩效指标"
ARTEFACT = re.compile(r"^[-–—⇥\s]+$")  # page-break leftovers such as `-- ⇥ --`
LEVEL1 = {"产出指标", "成本指标", "效益指标", "满意度指标"}
LEVEL2_SUFFIX = re.compile(r"(数量|质量|时效|成本|效益|影响|满意度)指标$")

# Funding header words → project field, most specific first.
FUNDING_COLUMNS = (
    (re.compile(r"执行率|实现率"), "execution_rate"),
    (re.compile(r"结余率"), "balance_rate"),
    (re.compile(r"结余金额|结余$"), "balance"),
    (re.compile(r"年初.*预算"), "budget_initial"),
    (re.compile(r"年中调整|调整金额"), "budget_adjustment"),
    (re.compile(r"全年预算|小计"), "budget_full"),
    (re.compile(r"全年执行|执行数|拨付金额"), "executed"),
    (re.compile(r"^分值$"), "weight"),
    (re.compile(r"^得分$"), "score"),
)
FUNDING_TOTAL = re.compile(r"^(年度资金总额|合计)$")

# Indicator header words → indicator field.
INDICATOR_COLUMNS = (
    (re.compile(r"三级指标"), "level3"),
    (re.compile(r"年度指标值|指标值"), "target"),
    (re.compile(r"实际完成值"), "actual"),
    (re.compile(r"指标分值|分值"), "weight"),
    (re.compile(r"自评得分|得分"), "score"),
    (re.compile(r"偏差"), "deviation"),
)
@dataclass(slots=True)
class _Cell:
    """A non-empty cell with its grid column and source."""

    text: str
    col: int
    page: int | None
    line: int | None


@dataclass(slots=True)
class _Project:
    """A project being read: its fields, indicators and where the next continuation goes."""

    row: dict[str, Any]
    indicators: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "head"  # head, funding, goal, indicators, done
    funding_header: list[tuple[int, str]] = field(default_factory=list)
    goal_columns: dict[str, int] = field(default_factory=dict)
    indicator_columns: dict[str, int] = field(default_factory=dict)
    levels: list[str] = field(default_factory=lambda: ["", ""])


# Text ----------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Return cell text with runs of whitespace folded (the readers removed export markup)."""
    return re.sub(r"\s+", " ", text).strip()


def compact(text: str) -> str:
    """Return text with all whitespace removed (header words wrap anywhere)."""
    return re.sub(r"\s+", "", clean_text(text))


def join_wrapped(first: str, rest: str) -> str:
    """Join a wrapped cell back: CJK joins directly, Latin words and numbers get their space."""
    if not first:
        return rest
    if not rest:
        return first
    space = " " if re.search(r"[A-Za-z0-9]$", first) and re.match(r"[A-Za-z0-9]", rest) else ""
    return first + space + rest


def to_decimal(text: str) -> Decimal | None:
    """Parse a numeric cell ("100.00", split digits "1547.43 97"); None when not a number."""
    amount = parse_amount(text.replace("%", "").strip())
    return amount.value if amount is not None else None


def normalize_actual(text: str) -> str:
    """Return a 实际完成值 as printed, digits split by cell wrapping joined."""
    amount = parse_amount(text)
    if amount is not None and amount.repair and amount.value is not None:
        return re.sub(r"\s+", "", clean_text(text))
    return clean_text(text)


def normalize_level(text: str) -> str:
    """Return an indicator level name compact, with a wrapped-off 标 restored (产出 指 → 产出指标)."""
    s = compact(text)
    return s + "标" if s.endswith("指") else s


# Rows ----------------------------------------------------------------------------------------


def _cells(row: list[RawCell]) -> list[_Cell]:
    """Return the non-empty, non-artefact cells of a row."""
    return [
        _Cell(clean_text(c.text), i, c.page, c.line)
        for i, c in enumerate(row)
        if clean_text(c.text) and not ARTEFACT.match(c.text)
    ]


def _is_performance_table(table: RawTable) -> bool:
    """Tell whether a raw table is (or continues) a 绩效自评表, from its title or words."""
    if PERFORMANCE_TITLE.search(compact(table.title)):
        return True
    words = {compact(c.text) for row in table.rows[:40] for c in row if c.text}
    return bool(words & {"项目名称", "专项名称"}) or any("三级指标" in w for w in words)


def _label_fragment(text: str, label: str) -> bool:
    """Tell whether a cell is (a wrapped piece of) a row label such as 年度总体目标."""
    s = compact(text)
    return bool(s) and s in label and (len(s) >= 2 or label.endswith(s) or label.startswith(s))


def _new_project(cells: list[_Cell], report_id: str, seq: int) -> _Project:
    name = " ".join(c.text for c in cells[1:] if not NAME_LABEL.match(compact(c.text)))
    kind = "部门整体" if "部门整体" in name or compact(cells[0].text) == "专项名称" else "项目"
    row = {
        "report_id": report_id, "project_seq": seq, "kind": kind, "name": name,
        "department": "", "implementer": "", "budget_initial": None, "budget_adjustment": None,
        "budget_full": None, "executed": None, "execution_rate": None, "balance": None, "balance_rate": None,
        "weight": None, "score": None, "total_score": None, "goal": "", "outcome": "",
        "page": cells[0].page, "line": cells[0].line,
    }
    return _Project(row=row)


def _read_owner(project: _Project, cells: list[_Cell]) -> bool:
    """Read 主管部门 / 实施单位 pairs from a row; tell whether the row held any."""
    found = False
    for i, c in enumerate(cells[:-1]):
        label = compact(c.text)
        if DEPARTMENT_LABEL.match(label):
            project.row["department"], found = compact(cells[i + 1].text), True
        elif IMPLEMENTER_LABEL.match(label):
            project.row["implementer"], found = compact(cells[i + 1].text), True
    return found


def _funding_header(cells: list[_Cell]) -> list[tuple[int, str]]:
    """Return (column, field) of the funding header words in a row."""
    out = []
    for c in cells:
        word = compact(c.text)
        for pattern, name in FUNDING_COLUMNS:
            if pattern.search(word):
                out.append((c.col, name))
                break
    return out


def _read_funding_total(project: _Project, cells: list[_Cell]) -> None:
    """Map the numbers of the 年度资金总额 / 合计 row onto the header words, by order."""
    numbers = [to_decimal(c.text) for c in cells[1:]]
    names = [name for _col, name in sorted(project.funding_header, key=lambda x: x[0])]
    for name, value in zip(names, [n for n in numbers if n is not None], strict=False):
        if project.row.get(name) is None:
            project.row[name] = value


def _read_goal(project: _Project, cells: list[_Cell]) -> None:
    """Add a goal row's text to 预期目标 / 实际完成情况, by count or by nearest column."""
    cells = [c for c in cells if not _label_fragment(c.text, GOAL_LABEL)]
    if len(cells) >= 2:
        project.row["goal"] = join_wrapped(project.row["goal"], cells[0].text)
        project.row["outcome"] = join_wrapped(project.row["outcome"], " ".join(c.text for c in cells[1:]))
    elif cells:
        target = _nearest(cells[0].col, project.goal_columns, default="goal")
        project.row[target] = join_wrapped(project.row[target], cells[0].text)


def _nearest(col: int, columns: dict[str, int], default: str) -> str:
    """Return the field whose header column is nearest to a cell's column."""
    if not columns:
        return default
    return min(columns.items(), key=lambda kv: (abs(kv[1] - col), kv[1]))[0]


def _is_number(text: str) -> bool:
    return to_decimal(text) is not None


def _read_indicator(project: _Project, cells: list[_Cell], report_id: str) -> None:
    """Read one indicator row (values by order from the right), or continue the last one."""
    if cells and cells[0].col == 0 and _label_fragment(cells[0].text, INDICATOR_LABEL):
        cells = cells[1:]
    if cells and compact(cells[0].text) == "标" and project.levels[0].endswith("标"):
        cells = cells[1:]  # the wrapped-off end of a level-1 name (产出 指 / 标)
    texts = [c.text for c in cells]
    if len(texts) >= 5 and _is_number(texts[-1]) and _is_number(texts[-2]):
        deviation, score, weight, rest = "", texts[-1], texts[-2], texts[:-2]
    elif len(texts) >= 6 and _is_number(texts[-2]) and _is_number(texts[-3]):
        deviation, score, weight, rest = texts[-1], texts[-2], texts[-3], texts[:-3]
    else:
        _continue_indicator(project, cells)
        return
    levels, level3, target, actual = rest[:-3], rest[-3], rest[-2], rest[-1]
    _set_levels(project, [normalize_level(x) for x in levels])
    project.indicators.append({
        "report_id": report_id, "project_seq": project.row["project_seq"], "seq": len(project.indicators) + 1,
        "level1": project.levels[0], "level2": project.levels[1], "level3": compact(level3),
        "target": target, "actual": normalize_actual(actual),
        "weight": to_decimal(weight), "score": to_decimal(score), "deviation": deviation,
        "page": cells[0].page, "line": cells[0].line,
    })


def _set_levels(project: _Project, levels: list[str]) -> None:
    """Forward-fill 一级/二级指标: a row names both, the second only, or neither."""
    if len(levels) >= 2:
        project.levels = [levels[-2], levels[-1]]
    elif len(levels) == 1:
        level = levels[0]
        if level in LEVEL1 and not LEVEL2_SUFFIX.search(level.removesuffix("指标") + "x"):
            project.levels = [level, ""]
        else:
            project.levels = [project.levels[0], level]


def _continue_indicator(project: _Project, cells: list[_Cell]) -> None:
    """Append a short row's text to the last indicator, in the nearest column."""
    if not project.indicators or not cells:
        return
    last = project.indicators[-1]
    text_fields = {k: v for k, v in project.indicator_columns.items() if k in ("level3", "target", "deviation")}
    for c in cells:
        name = _nearest(c.col, text_fields, default="deviation")
        last[name] = join_wrapped(last[name], compact(c.text) if name == "level3" else c.text)


def _header_columns(cells: list[_Cell], columns: tuple[tuple[re.Pattern[str], str], ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in cells:
        word = compact(c.text)
        for pattern, name in columns:
            if pattern.search(word) and name not in out:
                out[name] = c.col
                break
    return out


def _step(project: _Project, cells: list[_Cell], report_id: str) -> None:
    """Advance one row through a project's blocks: owner, funding, goal, indicators, total."""
    words = [compact(c.text) for c in cells]
    first = words[0]
    if first.startswith("总分"):
        numbers = [to_decimal(c.text) for c in cells[1:]]
        values = [n for n in numbers if n is not None]
        project.row["total_score"] = values[-1] if values else None
        project.mode = "done"
    elif any("三级指标" in w for w in words):
        project.indicator_columns = _header_columns(cells, INDICATOR_COLUMNS)
        project.mode = "indicators"
    elif "预期目标" in words:
        project.goal_columns = {"goal": cells[words.index("预期目标")].col}
        if any("实际完成" in w for w in words):
            project.goal_columns["outcome"] = next(c.col for c, w in zip(cells, words, strict=True) if "实际完成" in w)
        project.mode = "goal"
    elif project.mode == "indicators":
        _read_indicator(project, cells, report_id)
    elif project.mode == "goal":
        _read_goal(project, cells)
    elif _read_owner(project, cells):
        pass
    elif (header := _funding_header(cells)) and project.mode in ("head", "funding") and not any(
        FUNDING_TOTAL.match(w) for w in words
    ):
        project.funding_header.extend(header)
        project.mode = "funding"
    elif any(FUNDING_TOTAL.match(w) for w in words):
        _read_funding_total(project, cells[next(i for i, w in enumerate(words) if FUNDING_TOTAL.match(w)):])


def extract_performance(
    raw: RawReport, report_id: str, warnings: list[str] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (performance_projects rows, performance_indicators rows); never raises.

    Problems are logged and appended to `warnings` when given.
    """
    projects: list[_Project] = []
    try:
        for table in raw.tables:
            if not _is_performance_table(table) and not (projects and projects[-1].mode not in ("done",)):
                continue
            for row in table.rows:
                cells = _cells(row)
                if not cells:
                    continue
                if NAME_LABEL.match(compact(cells[0].text)):
                    projects.append(_new_project(cells, report_id, len(projects) + 1))
                elif projects and projects[-1].mode != "done":
                    _step(projects[-1], cells, report_id)
    except Exception as exc:  # one odd report must not stop the batch
        _warn(warnings, report_id, f"performance tables partly read: {exc!r}")
    for p in projects:
        if p.mode != "done":
            _warn(warnings, report_id, f"performance table {p.row['name']!r} has no 总分 row")
        if not p.indicators:
            _warn(warnings, report_id, f"performance table {p.row['name']!r} has no indicator rows")
    return [p.row for p in projects], [i for p in projects for i in p.indicators]


def _warn(warnings: list[str] | None, report_id: str, message: str) -> None:
    log.warning("%s: %s", report_id, message)
    if warnings is not None:
        warnings.append(message)
