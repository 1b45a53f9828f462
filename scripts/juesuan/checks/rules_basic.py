"""表06 (基本支出 by economic class) and 表07 (“三公”经费)."""

from __future__ import annotations

from juesuan.checks.base import Checker, Row, Rule, rule, total
from juesuan.checks.rules_function import first_by_code

CATEGORIES = ("人员经费", "公用经费")


def category_total_row(ck: Checker, category: str) -> Row | None:
    """Return the printed 人员经费合计 / 公用经费合计 row of 表06."""
    return next((r for r in ck.rows("basic_expenditure") if r["level"] == "合计" and r["category"] == category), None)


def classes(ck: Checker, category: str | None = None) -> list[Row]:
    """Return the 类 rows of 表06, of one category when given."""
    rows = first_by_code(ck.rows("basic_expenditure")).values()
    return [r for r in rows if r["level"] == "类" and (category is None or r["category"] == category)]


@rule("t06-category-total", "06", "error", "表06 人员经费合计 / 公用经费合计 = 其所属各类之和（301、303 / 302、307、310、399 …）")
def t06_category_total(ck: Checker, rule: Rule) -> None:
    """Check each printed category total against its economic classes."""
    if not ck.ready("06"):
        return
    for category in CATEGORIES:
        head = category_total_row(ck, category)
        parts = classes(ck, category)
        if head is None or not parts:
            continue
        expected, n = total(r.get("amount") for r in parts)
        codes = "、".join(r["code"] for r in parts)
        ck.compare(rule, row=head["name"], subject=f"表06 {head['name']}", actual=head.get("amount"),
                   reference=f"各类（{codes}）之和", expected=expected, addends=n, sources=[head, *parts])


@rule("t06-class-equals-sum-of-kuan", "06", "error", "表06 每个类 = 其下各款之和")
def t06_class_sum(ck: Checker, rule: Rule) -> None:
    """Check each economic class against its 款."""
    if not ck.ready("06"):
        return
    kuan: dict[str, list[Row]] = {}
    for r in first_by_code(ck.rows("basic_expenditure")).values():
        if r["level"] == "款":
            kuan.setdefault(r["parent_code"], []).append(r)
    for head in classes(ck):
        parts = kuan.get(head["code"])
        if not parts:
            continue
        expected, n = total(r.get("amount") for r in parts)
        ck.compare(rule, row=head["code"], subject=f"表06 类 {head['code']} {head['name']}", actual=head.get("amount"),
                   reference="其下各款之和", expected=expected, addends=n, sources=[head, *parts])


def three_public(ck: Checker) -> dict[str, Row]:
    """Return 表07 rows by item id."""
    return {r["item"]: r for r in ck.rows("three_public")}


def _t07_sum(ck: Checker, rule: Rule, target: str, parts: list[str], reference: str) -> None:
    items = three_public(ck)
    head = items.get(target)
    rows = [items[p] for p in parts if p in items]
    if head is None or not rows:
        return
    for measure, title in (("actual", "决算数"), ("budget", "预算数")):
        if head.get(measure) is None and all(r.get(measure) is None for r in rows):
            continue  # budget columns are printed by some layouts only
        expected, n = total(r.get(measure) for r in rows)
        ck.compare(rule, row=target if measure == "actual" else f"{target}/{title}",
                   subject=f"表07 {head['name']} {title}", actual=head.get(measure), reference=reference,
                   expected=expected, addends=n, sources=[head, *rows])


@rule("t07-total", "07", "error", "表07 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费")
def t07_total(ck: Checker, rule: Rule) -> None:
    """Check the “三公” total against its three items (actual and budget)."""
    if not ck.ready("07"):
        return
    items = three_public(ck)
    # Where the vehicle subtotal is not printed, its two parts stand in for it.
    vehicles = ["vehicles"] if "vehicles" in items else ["vehicle_purchase", "vehicle_operation"]
    _t07_sum(ck, rule, "total", ["overseas", *vehicles, "reception"], "因公出国（境）费、公务用车购置及运行维护费、公务接待费之和")


@rule("t07-vehicles", "07", "error", "表07 公务用车购置及运行维护费 = 购置费 + 运行维护费")
def t07_vehicles(ck: Checker, rule: Rule) -> None:
    """Check the vehicle subtotal against purchase plus operation."""
    if ck.ready("07"):
        _t07_sum(ck, rule, "vehicles", ["vehicle_purchase", "vehicle_operation"], "公务用车购置费与运行维护费之和")
