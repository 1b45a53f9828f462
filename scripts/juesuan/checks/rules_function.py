"""表02, 表03, 表05: each row's total = Σ its columns; 合计 = Σ类; 类 = Σ款; 款 = Σ项."""

from __future__ import annotations

from functools import partial

from juesuan.checks.base import Checker, Row, Rule, register, total
from juesuan.fields import RESOURCES

FUNCTION_TABLES = {"02": "income_by_function", "03": "expenditure_by_function", "05": "general_budget_expenditure"}
TOTAL_TITLES = {"02": "本年收入合计", "03": "本年支出合计", "05": "合计"}


def measure_titles(resource: str) -> dict[str, str]:
    """Return the amount columns of a by-function resource with their Chinese titles, total first."""
    return {f.name: f.title for f in RESOURCES[resource].fields if f.type == "number"}


def describe(table: str, r: Row) -> str:
    """Return how a journalist names a row: 表03 类 201 一般公共服务支出."""
    if r["level"] == "合计":
        return f"表{table} 合计行"
    return f"表{table} {r['level']} {r['code']} {r['name']}"


def row_id(r: Row, measure: str, titles: dict[str, str]) -> str:
    """Return the finding's row: the code (or 合计), with the column where it is not the total."""
    base = r["code"] or "合计"
    return base if measure == "total" else f"{base}/{titles[measure]}"


def first_by_code(rows: list[Row]) -> dict[str, Row]:
    """Return rows by code, first printed wins (a continuation page may repeat a row)."""
    out: dict[str, Row] = {}
    for r in rows:
        if r["code"]:
            out.setdefault(r["code"], r)
    return out


def row_total(ck: Checker, rule: Rule, table: str) -> None:
    """Check each row's total column against the sum of its other amount columns."""
    if not ck.ready(table):
        return
    titles = measure_titles(FUNCTION_TABLES[table])
    parts = [m for m in titles if m != "total"]
    for r in ck.rows(FUNCTION_TABLES[table]):
        if "total" not in r or not any(m in r for m in parts):
            continue
        expected, n = total(r.get(m) for m in parts)
        ck.compare(rule, row=r["code"] or "合计", subject=f"{describe(table, r)} {TOTAL_TITLES[table]}",
                   actual=r.get("total"), reference="各栏之和", expected=expected, addends=n, sources=[r])


def _children_identity(ck: Checker, rule: Rule, table: str, parent: Row, children: list[Row], what: str) -> None:
    titles = measure_titles(FUNCTION_TABLES[table])
    for m, title in titles.items():
        if parent.get(m) is None and all(c.get(m) is None for c in children):
            continue
        expected, n = total(c.get(m) for c in children)
        ck.compare(rule, row=row_id(parent, m, titles), subject=f"{describe(table, parent)} {title}",
                   actual=parent.get(m), reference=what, expected=expected, addends=n, sources=[parent, *children])


def level_sum(ck: Checker, rule: Rule, table: str, level: str, child_level: str) -> None:
    """Check each row of a level against the sum of its children one level down."""
    if not ck.ready(table):
        return
    rows = ck.rows(FUNCTION_TABLES[table])
    children: dict[str, list[Row]] = {}
    for r in first_by_code(rows).values():
        if r["level"] == child_level:
            children.setdefault(r["parent_code"], []).append(r)
    for parent in first_by_code(rows).values():
        if parent["level"] == level and children.get(parent["code"]):
            _children_identity(ck, rule, table, parent, children[parent["code"]], f"其下各{child_level}之和")


def total_sum(ck: Checker, rule: Rule, table: str) -> None:
    """Check the 合计 row against the sum of the 类 rows."""
    if not ck.ready(table):
        return
    rows = ck.rows(FUNCTION_TABLES[table])
    head = next((r for r in rows if r["level"] == "合计"), None)
    classes = [r for r in first_by_code(rows).values() if r["level"] == "类"]
    if head is not None and classes:
        _children_identity(ck, rule, table, head, classes, "各类之和")


def code_under_parent(ck: Checker, rule: Rule, table: str) -> None:
    """Check that each 款 and 项 is printed under its own parent (code prefix), not another's."""
    if not ck.ready(table):
        return
    rows = ck.rows(FUNCTION_TABLES[table])
    printed = {r["code"] for r in rows if r["code"]}
    above: dict[str, Row] = {}  # the latest row printed at each level
    problems = 0
    for r in rows:
        level, parent_code = r["level"], r["parent_code"]
        if level in ("款", "项"):
            parent_level = "类" if level == "款" else "款"
            over = above.get(parent_level)
            name = f"{describe(table, r)}"
            if parent_code not in printed:
                ck.add(rule, rule.failure, row=r["code"], sources=[r], unit="",
                       message=f"{name} 的上级科目 {parent_code} 未在表中列示，科目编码或层级可能有误。")
                problems += 1
            elif over is None or over["code"] != parent_code:
                where = f"{over['level']} {over['code']} {over['name']}" if over else "表头"
                ck.add(rule, rule.failure, row=r["code"], sources=[r, *([over] if over else [])], unit="",
                       message=f"{name} 印在 {where} 之下，但按编码其上级应为 {parent_code}。")
                problems += 1
        above[level] = r
    if not problems and any(r["level"] in ("款", "项") for r in rows):
        ck.add(rule, "pass", row="全部科目", sources=rows[:1], unit="",
               message=f"表{table} 每个款、项都列在其上级科目之下，编码层级一致。")


for _t in FUNCTION_TABLES:
    register(f"t{_t}-code-under-parent", _t, "warning", f"表{_t} 每个款、项列在其上级科目（编码前缀）之下",
             partial(code_under_parent, table=_t))
    register(f"t{_t}-row-total", _t, "error", f"表{_t} 每行 {TOTAL_TITLES[_t]} = 各栏之和", partial(row_total, table=_t))
    register(f"t{_t}-total-equals-sum-of-classes", _t, "error", f"表{_t} 合计 = 各类之和", partial(total_sum, table=_t))
    register(f"t{_t}-class-equals-sum-of-kuan", _t, "error", f"表{_t} 每个类 = 其下各款之和",
             partial(level_sum, table=_t, level="类", child_level="款"))
    register(f"t{_t}-kuan-equals-sum-of-xiang", _t, "error", f"表{_t} 每个款 = 其下各项之和",
             partial(level_sum, table=_t, level="款", child_level="项"))
