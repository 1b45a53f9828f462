"""What the budget templates print (部门预算 / 单位预算): table titles and column measures, as data.

Two template families are described: Shanghai district (财务收支预算总表 …, unit-level variants
titled `预算单位…` / `单位…`) and Jiangsu provincial (收支预算总表 in three blocks 收入 / 功能分类 /
支出用途, `公开NN表` labels, `(功能科目)` / `(经济科目)` notes). Budget tables get ids `B01`…`B13`
of their own, so no budget table can ever be filed under a 决算 table number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan.catalog import Measure, match_title, normalize_title


@dataclass(frozen=True)
class BudgetTableSpec:
    """One table of the budget templates."""

    id: str  # B01 … B13
    name: str  # canonical Chinese title
    titles: tuple[str, ...]  # core titles (see budget_core_title) that identify it
    kind: str  # totals, income, expenditure, function, economic, three_public, other
    measures: tuple[Measure, ...]


def _m(id_: str, title: str, *synonyms: str) -> Measure:
    return Measure(id_, title, tuple(normalize_title(s) for s in (title, *synonyms)))


_PREVIOUS = _m("previous", "上年预算数", "上年预算")
_SPLIT = (
    _m("basic", "基本支出"),
    _m("personnel", "人员经费", "基本支出/人员经费"),
    _m("public", "公用经费", "基本支出/公用经费"),
    _m("project", "项目支出"),
    _PREVIOUS,
)
_FUNCTION = (_m("total", "合计", "金额", "小计", "本年预算数", "预算数"), *_SPLIT)
_ECONOMIC = (_m("total", "合计", "金额", "小计", "预算数"), *_SPLIT)

BUDGET_TABLES: dict[str, BudgetTableSpec] = {
    spec.id: spec
    for spec in (
        BudgetTableSpec(
            "B01",
            "收支预算总表",
            ("财务收支预算总表", "收支预算总表", "部门收支预算总表", "收支总表"),
            "totals",
            (_m("amount", "预算数", "金额", "合计", "小计", "本年预算数", "预算金额"), *_SPLIT),
        ),
        BudgetTableSpec(
            "B02",
            "收入预算总表",
            ("收入预算总表", "收入预算表"),
            "income",
            (
                _m("total", "合计", "金额", "小计", "收入预算合计", "收入合计"),
                _m("fiscal", "财政拨款收入", "财政拨款", "财政拨款资金"),
                _m("business", "事业收入"),
                _m("operating", "事业单位经营收入", "经营收入"),
                _m("other", "其他收入"),
                _m("special_account", "财政专户管理资金"),
                _PREVIOUS,
            ),
        ),
        BudgetTableSpec(
            "B03",
            "支出预算总表",
            ("支出预算总表", "支出预算表"),
            "expenditure",
            (
                _m("total", "合计", "金额", "小计", "支出预算合计"),
                *_SPLIT,
                _m("reserve", "单位预留机动经费"),
                _m("carryover", "结转下年资金"),
            ),
        ),
        BudgetTableSpec(
            "B04",
            "财政拨款收支预算总表",
            ("财政拨款收支预算总表",),
            "totals",
            (
                _m("amount", "预算数", "金额", "合计", "小计", "本年预算数"),
                _m("general", "一般公共预算", "一般公共预算资金"),
                _m("fund", "政府性基金预算", "政府性基金"),
                _m("capital", "国有资本经营预算"),
                _PREVIOUS,
            ),
        ),
        BudgetTableSpec(
            "B05",
            "一般公共预算支出功能分类预算表",
            ("一般公共预算支出功能分类预算表", "一般公共预算支出预算表", "一般公共预算支出表"),
            "function",
            _FUNCTION,
        ),
        BudgetTableSpec(
            "B06",
            "一般公共预算基本支出经济分类预算表",
            (
                "一般公共预算基本支出部门预算经济分类预算表",
                "一般公共预算基本支出经济分类预算表",
                "一般公共预算基本支出预算表",
            ),
            "economic",
            _ECONOMIC,
        ),
        BudgetTableSpec(
            "B07",
            "“三公”经费预算表",
            (
                "三公经费和机关运行经费预算表",
                "三公经费、会议费、培训费支出预算表",
                "三公经费会议费培训费支出预算表",
                "三公经费支出预算表",
                "一般公共预算三公经费支出预算表",
            ),
            "three_public",
            (
                # Paths are tried whole, then by their last two levels, then by the last one:
                # 合计 alone is the table's grand total (三公 + 会议费 + 培训费 in Jiangsu).
                _m("three_public_total", "三公经费预算数/合计", "三公经费/小计", "三公经费预算数/小计", "三公经费/合计"),
                _m("abroad", "因公出国(境)费", "因公出国(境)费用", "因公出国境费"),
                _m("reception", "公务接待费"),
                _m(
                    "vehicles",
                    "公务用车购置及运行费/小计",
                    "公务用车购置及运行维护费/小计",
                    "公务用车购置及运行维护费",
                    "公务用车购置及运行费",
                ),
                _m("vehicle_purchase", "购置费", "公务用车购置费"),
                _m("vehicle_operation", "运行费", "公务用车运行维护费", "公务用车运行费", "运行维护费"),
                _m("operating_expenses", "机关运行经费预算数", "机关运行经费"),
                _m("meeting", "会议费"),
                _m("training", "培训费"),
                _m("grand_total", "合计"),
            ),
        ),
        BudgetTableSpec(
            "B08",
            "政府性基金预算支出功能分类预算表",
            (
                "政府性基金预算支出功能分类预算表",
                "政府性基金财政拨款支出预算表",
                "政府性基金预算财政拨款支出预算表",
                "财政拨款政府性基金支出预算表",
                "政府性基金预算支出预算表",
            ),
            "function",
            _FUNCTION,
        ),
        BudgetTableSpec(
            "B09",
            "国有资本经营预算支出功能分类预算表",
            ("国有资本经营预算支出功能分类预算表", "国有资本经营预算支出预算表", "国有资本经营预算财政拨款支出预算表"),
            "function",
            _FUNCTION,
        ),
        BudgetTableSpec("B10", "财政拨款支出预算表", ("财政拨款支出预算表",), "function", _FUNCTION),
        BudgetTableSpec("B11", "财政拨款基本支出预算表", ("财政拨款基本支出预算表",), "economic", _ECONOMIC),
        BudgetTableSpec(
            "B12",
            "机关运行经费支出预算表",
            ("一般公共预算机关运行经费支出预算表", "机关运行经费支出预算表", "机关运行经费预算表"),
            "economic",
            (_m("total", "机关运行经费支出", "金额", "合计", "预算数"),),
        ),
        BudgetTableSpec(
            "B13",
            "政府采购支出预算表",
            ("政府采购支出预算表", "政府采购预算表"),
            "other",
            (_m("total", "总计", "合计", "金额", "预算数"),),
        ),
    )
}

_TITLE_INDEX = {normalize_title(t): spec.id for spec in BUDGET_TABLES.values() for t in spec.titles}
_LABEL_PREFIX = re.compile(r"^公开\d{1,2}表")
_YEAR_PREFIX = re.compile(r"^.*?\d{4}年(?:度)?")
# Who the table is of: 部门, 预算单位 / 单位 (unit-level variants), 本部门 …
_OWNER_PREFIX = re.compile(r"^(?:本?部门|预算单位|本?单位)")
_NOTE_SUFFIX = re.compile(r"\((?:功能科目|经济科目|功能分类|经济分类|[^()]*科目)\)$")


def budget_core_title(text: str) -> str:
    """Return a printed title without its label, year, owner prefix and (功能科目) note."""
    s = _LABEL_PREFIX.sub("", normalize_title(text))
    if re.match(r"^[一二三四五六七八九十]+、", s):
        return ""  # a contents line, not a title
    s = _YEAR_PREFIX.sub("", s, count=1) if re.search(r"\d{4}年", s) else s
    s = _OWNER_PREFIX.sub("", s)
    return _NOTE_SUFFIX.sub("", s)


def match_budget_title(text: str) -> str | None:
    """Return the budget table id a title names, by exact match of its core title; None otherwise."""
    return _TITLE_INDEX.get(budget_core_title(text)) if text.strip() else None


def _header_level(level: str) -> str:
    """Return a header level without a year prefix (`2023年“三公”经费预算数`) and quotes."""
    return re.sub(r"^\d{4}年(?:度)?", "", normalize_title(level))


def match_budget_measure(table: str, path: str) -> str:
    """Return the canonical measure id of a header path of a budget table, "" when unknown.

    The whole path is tried first, then its last two levels, then its last level, so that
    `三公经费/小计` and `公务用车购置及运行维护费/小计` are told apart.
    """
    levels = [_header_level(p) for p in path.split("/") if p]
    if not levels:
        return ""
    candidates = ["/".join(levels), "/".join(levels[-2:]), levels[-1]]
    measures = BUDGET_TABLES[table].measures
    for candidate in candidates:
        for m in measures:
            if candidate in m.synonyms:
                return m.id
    return ""


def match_report_title(text: str) -> str | None:
    """Return the table a title names in either catalogue: `01`…`09` (决算) or `B01`…`B13` (预算)."""
    return match_title(text) or match_budget_title(text)
