"""The words of the prose grammar: units, direction and comparison words, metrics, subjects.

Each table here names a class of words the 情况说明 of every template uses, never one
sentence: a unit after a number, a verb that makes the number a change, a word comparing two
figures, and the canonical name of the subjects the checks look up (三公, 政府采购 …).
"""

from __future__ import annotations

import re

CN_NUM = "一二三四五六七八九十"

# Longest units first so that 人次 wins over 人 and 台（套） over 台.
UNITS = ("万元", "亿元", "台（套）", "台(套)", "人次", "批次", "元", "%", "个", "辆", "次", "人", "项", "家", "分")
MONEY = frozenset({"万元", "亿元", "元"})
COUNT_UNITS = frozenset({"个", "辆", "人次", "批次", "台（套）", "次", "人", "项", "家"})
NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
TOKEN = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")")
# A decimal printed without a unit: a figure the grammar cannot read and must not drop silently.
BARE_DECIMAL = re.compile(r"(?<![\d.])\d+(?:,\d{3})*\.\d+(?![\d.])")

# Full-width digits and signs map one to one onto ASCII, so each character keeps its source line.
WIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")

# Verbs that make the following number a change against a base (增减额 / 增减率).
INCREASE = ("增加", "增长", "上升", "提高", "增幅")
DECREASE = ("减少", "下降", "降低", "下降了", "减幅", "减少了")
DIRECTION = re.compile(r"(增加|增长|上升|提高|减少|下降|降低)(?:了|为|幅度为|幅度|比例为)?$")
NEGATIVE = re.compile(r"(减少|下降|降低)")
CHANGE_WORD = re.compile(r"(增加|减少|增长|下降|上升|降低|提高)")

# Words comparing two figures without printing the difference.
COMPARISON = re.compile(r"(基本持平|持平|一致|相等|等于|相同|大于|高于|超过|超出|多于|小于|低于|少于|不足)")
COMPARISON_NORMAL = {
    "基本持平": "持平", "持平": "持平", "一致": "持平", "相等": "持平", "等于": "持平", "相同": "持平",
    "大于": "大于", "高于": "大于", "超过": "大于", "超出": "大于", "多于": "大于",
    "小于": "小于", "低于": "小于", "少于": "小于", "不足": "小于",
}
# What a comparison compares this year's figure with.
BASIS = re.compile(r"(年初预算|全年预算|调整预算|上年预算|上年决算|上年|上一年|\d{4}\s*年度?(?:预算|决算)?|预算)")

# A money amount followed by these is a threshold inside a noun phrase (单价100万元（含）以上设备).
THRESHOLD_AFTER = re.compile(r"^\s*[（(]?\s*含?\s*[）)]?\s*(?:及)?\s*(以上|以下|以内)")

# Words around a subject that name when or who, not what.
LEAD_PREFIX = re.compile(r"^(?:其中|主要用于|全年安排|全年|累计|本年度|本年|截至|共有|合计|总计|按要求)+[：:，,]?")
LEAD_SUFFIX = re.compile(
    r"(?:支出决算数|支出决算为|决算数为|决算为|支出决算|共计|总额为|金额为|为|达|是|共|有)$"
)
GENERIC = frozenset({"", "支出决算", "决算", "决算数", "其中", "主要用于", "共", "金额", "采购金额", "合计", "对"})

# A subject phrase may name its figure as a budget (收入预算, 政府采购货物预算): (subject, metric).
# Budget prose also says 公务接待费预算支出(数); the 预算 of 一般公共预算支出 names a fund, not a budget.
BUDGET_SUFFIX = re.compile(
    r"^(?P<subject>.*?)(?<!一般公共)(?<!政府性基金)(?<!国有资本经营)(?P<kind>年初|全年|调整)?预算(?:支出)?(?:数|金额)?$"
)

# Canonical subjects: the first matching pattern names the subject (most specific first).
CANONICAL_SUBJECTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), s)
    for p, s in (
        (r"(\d{7})\s*[-－—–]\s*(\S.*)", r"\1 \2"),
        (r"^(货物|工程|服务)采购授予中小企业合同金额", r"政府采购\1授予中小企业"),
        (r"授予小微企业合同金额", "授予小微企业合同"),
        (r"授予中小企业合同金额", "授予中小企业合同"),
        (r"(?:单位价值|单价)?\s*100\s*万元?\s*(?:[（(]含[）)])?\s*以上(?:的)?设备", "单位价值100万元以上设备"),
        (r"“?三公”?经费", "三公"),
        (r"因公出国[（(]境[）)]费", "因公出国（境）费"),
        (r"公务(?:用)?车购置及运行(?:维护)?费", "公务用车购置及运行维护费"),
        (r"公务(?:用)?车(?:用车)?购置费", "公务用车购置费"),
        (r"公务(?:用)?车(?:用车)?运行(?:维护)?费", "公务用车运行维护费"),
        (r"公务接待费", "公务接待费"),
        (r"机关运行经费", "机关运行经费"),
        (r"^政府采购(?:支出)?(?:总额|金额)?(?:[（(].*?[）)])?$", "政府采购"),
        (r"^(?:政府采购)?(货物|工程|服务)(?:采购)?(?:支出)?(?:金额|总额)?$", r"政府采购\1"),
        (r"共有车辆$|^车辆$", "车辆"),
    )
)


def canonical_subject(subject: str) -> str:
    """Return the canonical name of a subject (三公, 政府采购 …), or the subject itself."""
    for pattern, name in CANONICAL_SUBJECTS:
        m = pattern.search(subject)
        if m:
            return m.expand(name) if "\\" in name else name
    return subject


def normal_unit(unit: str) -> str:
    """Return a unit in its one published spelling."""
    return unit.replace("％", "%").replace("台(套)", "台（套）")
