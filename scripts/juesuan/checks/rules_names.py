"""Structure rules on who and when: the department and the year every heading and date names.

- `year-consistency`: a year printed as the report's own (a heading or title 2024年度部门决算…,
  the department or 本部门 followed by its year, 截至YYYY年M月D日) is the report's year; a year
  compared against (与2023年度相比, 比2025年预算执行数) is the year before (a 决算 may also
  compare with its own year's 预算). A 预算's 截至 date may be the year before (assets as of
  last August). A different year is an error.
- `department-consistency`: the name in each 第N部分 heading, 部门：/编制部门：/预算主管部门：
  line and sentence-opening "<name>YYYY年度" against the cover's and tables' name. A name
  that drops part of it (the region: 普陀区财政局, 省人大办公厅) is a warning; another
  department's name an error. A 部门 line cut short by a wrapped cell (江苏省人大|常委会办公厅)
  is the name itself.
Both run on 决算 and 预算 reports; each printed variant is one finding citing every place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from juesuan.catalog import normalize_title
from juesuan.checks.base import Checker, Rule, rule
from juesuan.checks.blocks import Block, text_blocks
from juesuan.meta import cover_department
from juesuan.model import Severity, TextLine

OWN_HEADING = re.compile(r"(\d{4})\s*年度?\s*(?:区级)?(?:部门|预算单位|单位)\s*(?:决算|预算)")
TITLE_YEAR = re.compile(r"^\s*(\d{4})\s*年度?\s*(?:部门|预算单位|单位)")
PERIOD = re.compile(r"[（(]\s*(\d{4})\s*年度\s*[）)]")
SELF = r"(?:本部门|本单位|我部门|我单位)"
SELF_YEAR = re.compile(rf"{SELF}\s*(\d{{4}})\s*年度?|(\d{{4}})\s*年度?\s*[，,]?\s*{SELF}")
DATE = re.compile(r"截至\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
AGAINST = re.compile(r"(?:与|同|比|较)\s*(\d{4})\s*年度?\s*(预算|决算|相比|同期|执行)?")
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分\s*(?P<rest>.*)$")
NAME_LINE = re.compile(r"^(?:编制部门|部门名称|预算主管部门|主管部门|部门|编制单位|预算单位)\s*[：:]\s*(?P<name>\S+)")
NAME_SUFFIX = r"(?:局|办公室|办公厅|中心|厅|部|委员会|办事处|院|署|会|所|站|队|处|委)"
# A name opening a sentence or clause; a heading before it (（二）政府采购情况…) makes it no opening.
NAME_YEAR = re.compile(rf"(?:^|(?<=[。；;：:，,]))(?P<name>[\u4e00-\u9fa5“”\"]{{3,30}}?{NAME_SUFFIX})\s*\d{{4}}\s*年")
GENERIC_REST = re.compile(r"^(?:部门|单位)?(?:概况|决算表|预算表|决算情况说明|预算情况说明|名词解释|名称解释|附件|其他).*$")


def _where(page: int | None, line: int | None) -> str:
    return f"第{page}页" if page else f"第{line}行" if line else ""


def _src(block: Block, pos: int) -> dict[str, Any]:
    origin = block.where(pos)
    return {"page": origin.page, "line": origin.line}


def printed_years(blocks: Iterable[Block], budget: bool) -> list[tuple[str, int, set[int], str, dict[str, Any]]]:
    """Return (context, printed year, allowed offsets from the report year, excerpt, source) per year printed."""
    out = []
    for block in blocks:
        t = block.text
        for pattern, context in ((OWN_HEADING, "标题或封面所写本年度"), (PERIOD, "标注的年度"), (SELF_YEAR, "本部门的年度")):
            for m in pattern.finditer(t):
                g = next(i for i in range(1, (m.lastindex or 1) + 1) if m.group(i))
                out.append((context, int(m.group(g)), {0}, t[max(0, m.start() - 10): m.end() + 8], _src(block, m.start())))
        if title := TITLE_YEAR.match(t):
            out.append(("表名所写年度", int(title.group(1)), {0}, t[: title.end() + 16], _src(block, 0)))
        for m in DATE.finditer(t):
            out.append(("截至日期", int(m.group(1)), {0, -1} if budget else {0}, t[m.start(): m.end() + 6], _src(block, m.start())))
        for m in AGAINST.finditer(t):
            allowed = {-1, 0} if not budget and m.group(2) == "预算" else {-1}
            out.append(("比较的基年", int(m.group(1)), allowed, t[max(0, m.start() - 10): m.end() + 8], _src(block, m.start())))
    return out


@rule("year-consistency", "", "error", "标题、表名、日期和“本部门 YYYY 年度”所写年度与报告年度一致；比较的基年为上一年", both=True)
def year_consistency(ck: Checker, rule: Rule) -> None:
    """Check every year printed as the report's own or as its comparison base."""
    year = ck.data.meta.year
    if year is None:
        return
    budget = ck.data.meta.kind_family == "预算"
    groups: dict[tuple[str, int, bool], list[tuple[str, dict[str, Any]]]] = {}
    for context, printed, allowed, excerpt, src in printed_years(text_blocks(ck.data.raw), budget):
        groups.setdefault((context, printed, printed - year in allowed), []).append((excerpt, src))
    for (context, printed, ok), places in groups.items():
        first, src = places[0]
        where = _where(src["page"], src["line"])
        times = f"（共 {len(places)} 处）" if len(places) > 1 else ""
        if ok:
            message = f"{context} {printed} 年与报告年度 {year} 年相符{times}，如{where}“{first.strip()}”。"
        else:
            should = year - 1 if context == "比较的基年" else year
            message = (f"{where}“{first.strip()}”：{context}写作 {printed} 年{times}，"
                       f"但报告是 {year} 年度{ck.data.meta.kind}，应为 {should} 年。")
        ck.add(rule, "pass" if ok else rule.failure, row=f"{context}/{printed}", unit="", message=message,
               sources=[s for _e, s in places], expected=None, actual=None)


def _clean(name: str) -> str:
    return re.sub(r"[“”\"'‘’]", "", normalize_title(name))


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def judge(printed: str, names: set[str]) -> str:
    """Return pass, wrapped (a prefix: a cell cut short), dropped (part of the name left out) or other."""
    if any(printed == n or printed.startswith(n) for n in names):
        return "pass"
    if any(n.startswith(printed) for n in names):
        return "wrapped"
    if any(_subsequence(printed, n) for n in names):
        return "dropped"
    return "other"


def printed_names(lines: Iterable[TextLine], blocks: Iterable[Block]) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (context, printed name, source) for each department name a heading, line or sentence prints."""
    out = []
    for tl in lines:
        if m := NAME_LINE.match(tl.text.strip()):
            name = m.group("name")
            if not re.search(r"万元|元$", name) and len(name) >= 3:
                out.append(("部门名称行", name, {"page": tl.page, "line": tl.line}))
    for block in blocks:
        t = block.text
        if m := PART_HEADING.match(t):
            rest = re.split(r"\d{4}\s*年|概况|部门(?:决算|预算)|(?:决算|预算)(?:表|情况说明)", m.group("rest"))[0].strip()
            rest = re.sub(r"部门$", "", rest)
            if len(rest) >= 3 and not GENERIC_REST.match(m.group("rest").strip()):
                out.append(("第N部分标题", rest, _src(block, m.start("rest"))))
        for m in NAME_YEAR.finditer(t):
            name = m.group("name")
            if not re.match(r"^(?:本|我|该|各|纳入|从|根据|按照)", name) and "部分" not in name:
                out.append(("句首的部门名称", name, _src(block, m.start("name"))))
    return out


@rule("department-consistency", "", "warning", "各部分标题、部门名称行和正文所写部门名称与封面、表头一致（不省略地区）", both=True)
def department_consistency(ck: Checker, rule: Rule) -> None:
    """Check each printed department name against the report's."""
    raw = ck.data.raw
    names = {_clean(n) for n in (ck.data.meta.department, cover_department(raw) if raw else "") if n}
    names.discard("")
    if not names:
        return
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for context, printed, src in printed_names(raw.lines if raw else [], text_blocks(raw)):
        groups.setdefault((context, _clean(printed)), []).append(src)
    full = max(names, key=len)
    for (context, printed), places in groups.items():
        verdict = judge(printed, names)
        if verdict == "wrapped" and context == "部门名称行":
            verdict = "pass"  # a name cell wrapped onto a second line the reader did not join
        if verdict in ("wrapped", "dropped") and context == "句首的部门名称":
            verdict = "pass"  # prose may shorten the name (省委办公厅2017年度…); headings may not
        where = _where(places[0]["page"], places[0]["line"])
        times = f"（共 {len(places)} 处）" if len(places) > 1 else ""
        severity: Severity
        if verdict == "pass":
            severity, message = "pass", f"{context}“{printed}”与报告部门一致{times}。"
        elif verdict == "other":
            severity = "error"
            message = f"{where}{context}写的是“{printed}”{times}，不是本报告的部门“{full}”：疑为套用其他部门的报告。"
        else:
            severity = rule.failure
            message = f"{where}{context}写作“{printed}”{times}，省略了部门全称“{full}”的一部分（如地区）。"
        ck.add(rule, severity, row=f"{context}/{printed}", unit="", message=message, sources=places)
