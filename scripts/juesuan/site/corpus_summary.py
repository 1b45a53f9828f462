"""One summary per published report, read from the written package: the figures the corpus pages compare.

决算 figures come from the canonical tables (公开01/03/06/07表) and the narrative's facts;
预算 figures from the budget tables' cells (表B01/B03/B06/B07). Nothing is estimated: a
figure the report does not print stays None and is shown as “—”.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pypinyin import lazy_pinyin

from juesuan.site.load import Package, Row

HUNDRED = Decimal(100)
SLUG_CHARS = 48  # pinyin part of a slug; the hash suffix keeps it unique and stable
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Severity of a check result, worst first: the status a report's row shows.
STATUS_ORDER = ("error", "warning", "rounding", "pass", "not-checked")


@functools.lru_cache(maxsize=65_536)
def slug(text: str) -> str:
    """Return lowercase ASCII pinyin of `text` (Latin letters and digits kept), words joined by nothing."""
    return _NOT_SLUG.sub("-", "".join(lazy_pinyin(text)).lower()).strip("-")


def stable_slug(*parts: str) -> str:
    """Return a URL slug for a name: its pinyin plus a hash of the exact name.

    The hash is of the name itself, never of what else is published, so the URL does not
    change when other departments are added, and two names with the same pinyin
    (homophones, or names differing only in punctuation) still get different URLs.
    """
    name = "|".join(parts)
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]
    base = slug("".join(parts[-1:]))[:SLUG_CHARS].strip("-") or "x"
    return f"{base}-{digest}"


def name_key(name: str | None) -> str:
    """Return a department name as compared across reports: whitespace removed."""
    return "".join((name or "").split())


def department_slug(region: str | None, department: str | None) -> str:
    """Return the department page's slug, from its region and name."""
    return stable_slug(name_key(region), name_key(department))


def comparison_slug(region: str | None, year: int | None, family: str) -> str:
    """Return the slug of a region-year comparison page (决算 or 预算)."""
    return f"{stable_slug(name_key(region))}-{year or 'na'}-{'final' if family == '决算' else 'budget'}"


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """Return part / whole in %, to 2 decimals; None where either is missing or whole is 0."""
    if part is None or not whole:
        return None
    return (part / whole * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Summary:
    """The figures of one report the corpus pages show and compare (万元)."""

    report_id: str
    title: str
    region: str
    department: str
    year: int | None
    kind: str
    family: str  # 决算 or 预算
    level: str  # 部门 or 单位
    is_template: bool
    income: Decimal | None = None
    expenditure: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    personnel: Decimal | None = None  # 人员经费 of 一般公共预算（财政拨款）基本支出
    public: Decimal | None = None  # 公用经费 of the same
    three_public: Decimal | None = None
    three_public_budget: Decimal | None = None  # 表07 预算数 printed in a 决算 report
    running: Decimal | None = None  # 机关运行经费
    staff: int | None = None
    checks: Counter[str] = field(default_factory=Counter)
    tables_found: int = 0
    tables_expected: int = 0
    completeness: Decimal | None = None  # the completeness score (0–100), else % of the expected tables found
    parts_missed: list[str] = field(default_factory=list)  # completeness parts not met

    @property
    def dept_slug(self) -> str:
        """Return the slug of this report's department page."""
        return department_slug(self.region, self.department)

    @property
    def personnel_share(self) -> Decimal | None:
        """Return 人员经费 as a share of 人员经费 + 公用经费, in %."""
        if self.personnel is None or self.public is None:
            return None
        return share(self.personnel, self.personnel + self.public)

    @property
    def three_per_staff(self) -> Decimal | None:
        """Return 三公 per staff member in post (万元/人), to 4 decimals."""
        if self.three_public is None or not self.staff:
            return None
        return (self.three_public / self.staff).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def status(self) -> str:
        """Return the worst check result: error, warning, rounding, pass, not-checked or none."""
        return next((s for s in STATUS_ORDER if self.checks.get(s)), "none")


def _title(r: Row) -> str:
    return f'{r.get("department") or r["report_id"]} {r.get("year") or ""}年度{r.get("kind") or ""}'.strip()


def _plain(label: str | None) -> str:
    """Return a row label without whitespace, brackets of ordinals kept."""
    return "".join((label or "").split())


def _final_figures(package: Package, rid: str, s: Summary) -> None:
    for r in package.rows("totals", rid):
        if r.get("table") != "01":
            continue
        text = (r.get("item") or "") + (r.get("label") or "")
        if r.get("side") == "收入" and "本年收入合计" in text and s.income is None:
            s.income = r.get("amount")
        if r.get("side") == "支出" and "本年支出合计" in text and s.expenditure is None:
            s.expenditure = r.get("amount")
    total_03 = next((r for r in package.rows("expenditure_by_function", rid) if r.get("level") == "合计"), None)
    if total_03:
        s.basic, s.project = total_03.get("basic"), total_03.get("project")
    rows_06 = package.rows("basic_expenditure", rid)
    printed = {_plain(r.get("name")): r.get("amount") for r in rows_06 if r.get("level") == "合计"}
    by_class: dict[str, Decimal] = {}
    for r in rows_06:
        if r.get("level") == "类" and r.get("category") and r.get("amount") is not None:
            by_class[r["category"]] = by_class.get(r["category"], Decimal(0)) + r["amount"]
    s.personnel = printed.get("人员经费合计", by_class.get("人员经费"))
    s.public = printed.get("公用经费合计", by_class.get("公用经费"))
    if rows_06 and (s.personnel is not None or s.public is not None):
        s.personnel, s.public = s.personnel or Decimal(0), s.public or Decimal(0)
    three = next((r for r in package.rows("three_public", rid) if r.get("item") == "total"), None)
    if three:
        s.three_public, s.three_public_budget = three.get("actual"), three.get("budget")
    s.running = _fact(package, rid, "机关运行经费", "本年决算")


def _fact(package: Package, rid: str, subject: str, metric: str) -> Decimal | None:
    """Return an amount the narrative prints (not derived) for a subject, in 万元."""
    for f in sorted(package.rows("facts", rid), key=lambda f: f.get("seq") or 0):
        if (f.get("subject") == subject and f.get("metric") == metric and (f.get("unit") or "万元") == "万元"
                and not f.get("derived")):
            return f.get("value")
    return None


def _cell(items: list[Row], table: str, measure_id: str, labels: tuple[str, ...], section: str = "") -> Decimal | None:
    """Return the first printed amount of a budget table's 合计 row (a label in `labels`, no code)."""
    for r in sorted(items, key=lambda r: (r.get("row") or 0, r.get("col") or 0)):
        if (r.get("table") == table and r.get("measure_id") == measure_id and not r.get("code")
                and _plain(r.get("item")) in labels and section in (r.get("section") or "")
                and r.get("amount") is not None):
            return r["amount"]
    return None


def _budget_figures(package: Package, rid: str, s: Summary) -> None:
    items = package.rows("line_items", rid)
    # Some templates print the 合计 row of 支出预算总表 with no label at all (Jiangsu): no code, no item.
    totals = ("合计", "总计", "")
    s.expenditure = _cell(items, "B03", "total", totals)
    if s.expenditure is None:
        for measure in ("amount", "total"):
            s.expenditure = s.expenditure or _cell(items, "B01", measure, ("支出合计", "本年支出合计", "支出总计"), "支出")
    for measure in ("amount", "total"):
        s.income = s.income or _cell(items, "B01", measure, ("收入合计", "本年收入合计", "收入总计"), "收入")
    s.basic = _cell(items, "B03", "basic", totals)
    s.project = _cell(items, "B03", "project", totals)
    s.personnel = _cell(items, "B06", "personnel", totals)
    s.public = _cell(items, "B06", "public", totals)
    three = [r for r in items if r.get("table") == "B07" and r.get("measure_id") == "three_public_total" and r.get("amount") is not None]
    if three:
        s.three_public = three[0]["amount"]
    running = [r for r in items if r.get("table") == "B07" and r.get("measure_id") == "operating_expenses" and r.get("amount") is not None]
    s.running = running[0]["amount"] if running else _fact(package, rid, "机关运行经费", "本年预算")


def _completeness(package: Package, rid: str, report: Row, s: Summary) -> None:
    """Fill the completeness: the `completeness` resource's score when published, else tables found / expected."""
    rows = package.rows("completeness", rid) if package.has("completeness") else []
    if rows:
        row = rows[0]
        s.tables_expected = int(row.get("tables_expected") or 0)
        s.tables_found = len([t for t in (row.get("tables_found") or "").split(",") if t])
        s.completeness = Decimal(int(row["score"])) if row.get("score") is not None else None
        s.parts_missed = [p for p in (row.get("parts_missed") or "").split(",") if p]
        return
    found = [t for t in (report.get("tables_found") or "").split(",") if t]
    missing = [t for t in (report.get("tables_missing") or "").split(",") if t]
    s.tables_found, s.tables_expected = len(found), len(found) + len(missing)
    s.completeness = share(Decimal(s.tables_found), Decimal(s.tables_expected)) if s.tables_expected else None


def summarize(package: Package) -> list[Summary]:
    """Return one summary per published report, newest year first, then region and department."""
    checks: dict[str, Counter[str]] = {}
    for (rid, severity), n in package.count("checks", ("report_id", "severity")).items():
        checks.setdefault(rid or "", Counter())[severity or ""] += n
    out = []
    for report in package.rows("reports"):
        rid = report["report_id"]
        family = report.get("kind_family") or ("预算" if "预算" in (report.get("kind") or "") else "决算")
        s = Summary(rid, _title(report), report.get("region") or "", report.get("department") or rid,
                    report.get("year"), report.get("kind") or "", family, report.get("level") or "",
                    bool(report.get("is_template")), checks=checks.get(rid, Counter()))
        if not s.is_template:
            (_budget_figures if family == "预算" else _final_figures)(package, rid, s)
            staffed = [u["staff"] for u in package.rows("units", rid) if u.get("staff") is not None]
            s.staff = sum(staffed) if staffed else None
        _completeness(package, rid, report, s)
        out.append(s)
    return sorted(out, key=lambda s: (-(s.year or 0), s.region, s.department, s.family, s.level, s.report_id))
