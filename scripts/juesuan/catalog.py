"""What the national template prints: table titles, column measures, classification codes.

Everything a recognizer needs to know about the template lives here, as data, so that a new
layout is usually a new synonym rather than new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    """One standard table of the template."""

    number: str
    name: str  # canonical Chinese title
    titles: tuple[str, ...]  # normalized titles that identify it (exact match)
    kind: str  # "totals" (01/04), "function" (02/03/05/08/09), "economic" (06), "three_public" (07)


def normalize_title(text: str) -> str:
    """Return a title with whitespace, quotes and brackets variants folded for exact matching."""
    s = re.sub(r"\s+", "", text)
    s = re.sub(r"[“”\"'‘’「」『』]", "", s)
    return s.replace("（", "(").replace("）", ")")


STANDARD_TABLES: dict[str, TableSpec] = {
    spec.number: spec
    for spec in (
        TableSpec("01", "收入支出决算总表", ("收入支出决算总表",), "totals"),
        TableSpec("02", "收入决算表", ("收入决算表",), "function"),
        TableSpec("03", "支出决算表", ("支出决算表",), "function"),
        TableSpec("04", "财政拨款收入支出决算总表", ("财政拨款收入支出决算总表",), "totals"),
        TableSpec("05", "一般公共预算财政拨款支出决算表", ("一般公共预算财政拨款支出决算表",), "function"),
        TableSpec(
            "06",
            "一般公共预算财政拨款基本支出决算表",
            ("一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表"),
            "economic",
        ),
        TableSpec(
            "07",
            "一般公共预算财政拨款“三公”经费支出决算表",
            (
                "一般公共预算财政拨款三公经费支出决算表",
                "财政拨款三公经费支出决算表",
                "三公经费支出决算表",
                "一般公共预算三公经费支出决算表",
            ),
            "three_public",
        ),
        TableSpec(
            "08",
            "政府性基金预算财政拨款收入支出决算表",
            ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"),
            "function",
        ),
        TableSpec(
            "09",
            "国有资本经营预算财政拨款支出决算表",
            ("国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"),
            "function",
        ),
    )
}

_TITLE_INDEX = {t: spec.number for spec in STANDARD_TABLES.values() for t in spec.titles}
_LABEL = re.compile(r"^公开\s*(\d{1,2})\s*表$")


def match_title(text: str) -> str | None:
    """Return the table number a title line names, by normalized exact match; None otherwise.

    Table-of-contents lines (`一、收入支出决算总表`) and headings (`…情况说明`) do not match:
    an ordinal prefix or any extra word makes the line a different string. A year and
    department prefix (`上海市XX局2024年度收入决算表`) is allowed since some producers print it.
    """
    s = normalize_title(text)
    if s in _TITLE_INDEX:
        return _TITLE_INDEX[s]
    m = re.match(r"^.*?\d{4}年(?:度)?(.+)$", s)
    if m and m.group(1) in _TITLE_INDEX and not re.match(r"^[一二三四五六七八九十]+、", s):
        return _TITLE_INDEX[m.group(1)]
    return None


def match_label(text: str) -> str | None:
    """Return NN from a Fujian-style `公开 NN 表` label, None otherwise."""
    m = _LABEL.match(re.sub(r"\s+", "", text))
    return f"{int(m.group(1)):02d}" if m else None


@dataclass(frozen=True)
class Measure:
    """A canonical column of a standard table."""

    id: str
    title: str
    synonyms: tuple[str, ...]


def _m(id_: str, title: str, *synonyms: str) -> Measure:
    return Measure(id_, title, (title, *synonyms))


# 08 and 09 (government fund, state capital) print the same columns; some 09 layouts
# print only 本年支出 合计/基本支出/项目支出.
_FUND_TABLE_MEASURES = (
    _m("opening", "年初结转和结余"),
    _m("income", "本年收入"),
    _m("total", "小计", "合计", "本年支出"),
    _m("basic", "基本支出"),
    _m("project", "项目支出"),
    _m("closing", "年末结转和结余"),
)

# Canonical measures per table. Header paths are matched on their last level first, then the
# whole path; synonyms are normalized header text (whitespace removed).
MEASURES: dict[str, tuple[Measure, ...]] = {
    "01": (_m("amount", "决算数", "金额", "本年决算数"), _m("budget", "预算数", "年初预算数", "全年预算数")),
    "02": (
        _m("total", "本年收入合计", "合计", "收入合计"),
        _m("fiscal", "财政拨款收入", "财政拨款"),
        _m("superior_subsidy", "上级补助收入"),
        _m("business", "事业收入"),
        _m("operating", "经营收入"),
        _m("affiliated", "附属单位上缴收入"),
        _m("other", "其他收入"),
    ),
    "03": (
        _m("total", "本年支出合计", "合计", "支出合计"),
        _m("basic", "基本支出"),
        _m("project", "项目支出"),
        _m("to_superior", "上缴上级支出"),
        _m("operating", "经营支出"),
        _m("to_affiliated", "对附属单位补助支出"),
    ),
    "04": (
        # The 收入 side's 金额 and the 支出 side's 合计 are both the row total.
        _m("amount", "金额", "决算数", "合计", "小计"),
        _m("general", "一般公共预算财政拨款", "一般公共预算"),
        _m("fund", "政府性基金预算财政拨款", "政府性基金预算"),
        _m("capital", "国有资本经营预算财政拨款", "国有资本经营预算"),
    ),
    "05": (
        _m("total", "合计", "小计", "本年支出合计"),
        _m("basic", "基本支出"),
        # Some provinces split 基本支出 into its two parts.
        _m("personnel", "人员经费"),
        _m("public", "公用经费"),
        _m("project", "项目支出"),
    ),
    "06": (_m("amount", "决算数", "金额"),),
    "07": (_m("budget", "预算数", "全年预算数", "年初预算数"), _m("actual", "决算数", "金额")),
    "08": _FUND_TABLE_MEASURES,
    "09": _FUND_TABLE_MEASURES,
}


# Leaf header words that say "the printed amount" without naming which column it is.
GENERIC_LEAVES = frozenset({"决算数", "金额", "本年决算数", "决算金额"})


def match_measure(table: str, path: str) -> str:
    """Return the canonical measure id for a header path of a table, "" when unknown."""
    levels = [p for p in path.split("/") if p]
    measures = MEASURES.get(table, ())
    candidates = [levels[-1] if levels else "", path.replace("/", "")]
    if len(levels) > 1 and levels[-1] in GENERIC_LEAVES:
        # 本年收入合计/决算数: a generic leaf under a named column names its parent's measure.
        candidates.append(levels[-2])
    for candidate in candidates:
        for m in measures:
            if candidate in m.synonyms:
                return m.id
    # A parent level names the measure only above a generic leaf (本年支出/小计 is matched above);
    # a specific unknown leaf (基本支出/人员经费) stays unknown rather than borrowing its parent.
    return ""


# 2024 government revenue and expenditure classification: functional 类 codes by name.
FUNCTION_CLASSES: dict[str, str] = {
    "一般公共服务支出": "201",
    "外交支出": "202",
    "国防支出": "203",
    "公共安全支出": "204",
    "教育支出": "205",
    "科学技术支出": "206",
    "文化旅游体育与传媒支出": "207",
    "社会保障和就业支出": "208",
    "卫生健康支出": "210",
    "节能环保支出": "211",
    "城乡社区支出": "212",
    "农林水支出": "213",
    "交通运输支出": "214",
    "资源勘探工业信息等支出": "215",
    "资源勘探信息等支出": "215",
    "商业服务业等支出": "216",
    "金融支出": "217",
    "援助其他地区支出": "219",
    "自然资源海洋气象等支出": "220",
    "住房保障支出": "221",
    "粮油物资储备支出": "222",
    "国有资本经营预算支出": "223",
    "灾害防治及应急管理支出": "224",
    "预备费": "227",
    "其他支出": "229",
    "转移性支出": "230",
    "债务还本支出": "231",
    "债务付息支出": "232",
    "债务发行费用支出": "233",
    "抗疫特别国债安排的支出": "234",
}

# Economic classification 类 of departmental expenditure: which are 人员经费.
PERSONNEL_CLASSES = frozenset({"301", "303"})
PERSONNEL = "人员经费"
PUBLIC = "公用经费"


def economic_category(code: str) -> str:
    """Return 人员经费 or 公用经费 for an economic classification code (by its 类)."""
    return PERSONNEL if code[:3] in PERSONNEL_CLASSES else PUBLIC


# “三公” items: canonical id, Chinese title, and fragments that identify a printed label.
THREE_PUBLIC_ITEMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("total", "合计", ("合计", "小计")),
    ("vehicle_purchase", "公务用车购置费", ("公务用车购置费", "购置费")),
    ("vehicle_operation", "公务用车运行维护费", ("公务用车运行维护费", "公务用车运行费", "运行维护费", "运行费")),
    ("vehicles", "公务用车购置及运行维护费", ("公务用车购置及运行维护费", "公务用车购置及运行费")),
    ("overseas", "因公出国（境）费", ("因公出国(境)费", "因公出国境费", "因公出国")),
    ("reception", "公务接待费", ("公务接待费",)),
)


def three_public_item(label: str) -> str:
    """Return the canonical “三公” item id for a printed label, "" when not one."""
    s = normalize_title(label)
    s = re.sub(r"^(其中[:：])?[(（]?\d+[)）.、]?", "", s)
    s = re.sub(r"^[一二三四五六七八九十]+、", "", s)
    for id_, _title, fragments in THREE_PUBLIC_ITEMS:
        for frag in fragments:
            f = normalize_title(frag)
            if s == f or (len(f) > 3 and s.startswith(f)):
                return id_
    return ""


def strip_ordinal(label: str) -> str:
    """Return a row label without its ordinal prefix (`一、`, `1.`, `（1）`, `其中：`)."""
    s = re.sub(r"\s+", "", label)
    s = re.sub(r"^其中[:：]", "", s)
    s = re.sub(r"^[一二三四五六七八九十]+、", "", s)
    s = re.sub(r"^[(（]\d+[)）]", "", s)
    s = re.sub(r"^\d+[.、．]", "", s)
    return s
