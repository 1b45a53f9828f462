"""Read the prose of 第三部分 (情况说明) into facts: every quoted amount, rate and count.

The prose is read as a stream of sentences per top-level section (一、… 十一、). A printed
number with its unit is a *token*; the text between the previous token and this one (its
*lead*) says what the number is: a subject (收入总计, 2010350 事业运行 …) with this year's
figure, a change against last year (较上年决算数增加 …), a rate (增长 …%), a share (占 …%), a
budget (年初预算为 …) or a count (… 辆, … 人次). A few sentences whose words sit after the
number (12 个项目实施单位自评, “优”“良”“中”“差”的项目分别是 …) have named patterns.

Last year's figure is derived wherever the prose states the change, and `check_facts` tells
whether the printed change amount and rate agree. Works on any RawReport: PDF prose lines
wrap anywhere, so lines are joined before sentences are cut.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from juesuan.model import Finding, RawReport, Severity, TextLine

log = logging.getLogger(__name__)

CN_NUM = "一二三四五六七八九十"
PART = re.compile(rf"^\s*第\s*([{CN_NUM}]+)\s*部分")
TOP_HEADING = re.compile(rf"^\s*([{CN_NUM}]+)\s*、\s*(\S.*?)\s*$")
ENUMERATOR = re.compile(rf"^\s*(?:[（(]\s*[{CN_NUM}]+\s*[）)]|\d+\s*[、．.](?!\d)|[{CN_NUM}]+是)")
SENTENCE_END = "。！？；;"

# Longest units first so that 人次 wins over 人 and 台（套） over 台.
_UNITS = ("万元", "亿元", "台（套）", "台(套)", "人次", "批次", "元", "%", "％", "个", "辆", "次", "人", "项", "家", "分")
TOKEN = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>" + "|".join(re.escape(u) for u in _UNITS) + r")"
)
CHANGE_WORD = re.compile(r"(增加|减少|增长|下降|上升|降低)")
NEGATIVE_WORD = re.compile(r"(减少|下降|降低)")
MONEY = {"万元", "亿元", "元"}
COUNT_UNITS = {"个", "辆", "人次", "批次", "台（套）", "次", "人", "项", "家"}

# Words around a subject that name when or who, not what.
_LEAD_PREFIX = re.compile(r"^(?:其中|主要用于|全年安排|全年|累计|本年度|本年|截至|共有|合计|总计)+[：:，,]?")
_LEAD_SUFFIX = re.compile(r"(?:支出决算数|支出决算为|决算数为|决算为|支出决算|共计|合计为|总额为|为|达|是|共)$")
_GENERIC_LEADS = {"", "支出决算", "决算", "决算数", "其中", "主要用于", "共", "金额"}

# Canonical subjects: the first matching pattern names the subject (most specific first).
CANONICAL_SUBJECTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), s)
    for p, s in (
        (r"(\d{7})\s*[-－—–]\s*(\S.*)", r"\1 \2"),
        (r"^(货物|工程|服务)采购授予中小企业合同金额", r"政府采购\1授予中小企业"),
        (r"授予小微企业合同金额", "授予小微企业合同"),
        (r"授予中小企业合同金额", "授予中小企业合同"),
        (r"“?三公”?经费", "三公"),
        (r"因公出国[（(]境[）)]费", "因公出国（境）费"),
        (r"公务用车购置及运行(?:维护)?费", "公务用车购置及运行维护费"),
        (r"公务用车购置费", "公务用车购置费"),
        (r"公务用车运行(?:维护)?费", "公务用车运行维护费"),
        (r"公务接待费", "公务接待费"),
        (r"机关运行经费", "机关运行经费"),
        (r"^政府采购(?:支出)?(?:总额|金额)", "政府采购"),
        (r"^(?:政府采购)?(货物|工程|服务)(?:采购)?(?:支出|金额)", r"政府采购\1"),
        (r"共有车辆$|^车辆$", "车辆"),
    )
)

# Sentences whose numbers precede their words: (name, pattern, [(group, subject, metric, unit)]).
NAMED_PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "self-evaluated-projects",
        re.compile(r"对\s*(?:\d{4}\s*年度?\s*)?(?P<n>\d+)\s*个项目实施单位自评"),
        (("n", "单位自评项目", "数量", "个"),),
    ),
    (
        "department-evaluated-projects",
        re.compile(r"对\s*(?P<n>\d+)\s*个项目实施部门评价"),
        (("n", "部门评价项目", "数量", "个"),),
    ),
    (
        "evaluation-grades",
        re.compile(
            r"“优”“良”“中”“差”的项目分别是\s*(?P<a>\d+)\s*个\s*、\s*(?P<b>\d+)\s*个\s*、"
            r"\s*(?P<c>\d+)\s*个\s*、\s*(?P<d>\d+)\s*个"
        ),
        (
            ("a", "部门评价等次为优的项目", "数量", "个"),
            ("b", "部门评价等次为良的项目", "数量", "个"),
            ("c", "部门评价等次为中的项目", "数量", "个"),
            ("d", "部门评价等次为差的项目", "数量", "个"),
        ),
    ),
    (
        "department-wide-self-evaluation",
        re.compile(r"部门整体支出开展绩效自评[，,]\s*涉及财政拨款资金共计\s*(?P<n>\d+(?:\.\d+)?)\s*万元"),
        (("n", "部门整体支出绩效自评", "涉及资金", "万元"),),
    ),
    # Shanghai: 在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额 246.47 万元
    *(
        (
            name,
            re.compile(
                rf"在{where}政府采购项目中[，,]\s*由{winner}企业供应商中标或成交的[，,]\s*采购金额\s*"
                r"(?P<n>\d+(?:\.\d+)?)\s*万元"
            ),
            (("n", subject, "本年决算", "万元"),),
        )
        for name, where, winner, subject in (
            ("sme-reserved-won-by-sme", "面向中小企业预留的?", "中小", "政府采购面向中小企业预留项目授予中小企业"),
            ("micro-reserved-won-by-micro", "面向小微企业预留的?", "小微", "政府采购面向小微企业预留项目授予小微企业"),
            ("other-won-by-sme", "其他", "中小", "政府采购其他项目授予中小企业"),
        )
    ),
    (
        "equipment-over-1m",
        re.compile(
            r"(?:单位价值|单价)\s*100\s*万元[（(]?含?[）)]?以上设备[（(]不含车辆[）)]\s*(?P<n>\d+)\s*台[（(]套[）)]"
        ),
        (("n", "单位价值100万元以上设备", "数量", "台（套）"),),
    ),
)

# A 万元 amount attached to a noun that counts things, not money (注册用户数超 1150 万元).
UNIT_SLIP = re.compile(
    r"(?P<noun>(?:注册)?(?:用户数|用户|人数|次数|件数|户数|个数|台数|访问量|下载量|业务量|工作量|日活|人次|受益人数))"
    r"\s*(?:超过|超|达到|达|约|为|近|逾|突破)?\s*(?P<num>\d+(?:\.\d+)?)\s*万元"
)


@dataclass(slots=True)
class Sentence:
    """One sentence of a section with the source line of each character."""

    text: str
    section: str
    origins: list[TextLine]  # origins[i] is the line character i came from


@dataclass(slots=True)
class _State:
    """What a section has said so far: whose figures the next change or share refers to."""

    pending: list[str] = field(default_factory=list)  # subjects with this year's figure, awaiting a change
    current: str = ""  # last subject named
    item: str = ""  # subject of an enumerated item heading without numbers (Shanghai 1、…（项）。)
    count: str = ""  # last counted subject (for 1 批次、9 人次)
    changed: list[str] = field(default_factory=list)  # subjects of the last 增减额 (各减少…，下降…%)


# Sections and sentences -----------------------------------------------------------------------


def part_lines(lines: list[TextLine], part: str) -> list[TextLine]:
    """Return the lines of one 第N部分 (e.g. "三"), skipping table-of-contents repeats."""
    best: list[TextLine] = []
    current: list[TextLine] | None = None
    for tl in lines:
        m = PART.match(tl.text)
        if m:
            if current is not None and len(current) > len(best):
                best = current
            current = [] if m.group(1) == part else None
            continue
        if current is not None:
            current.append(tl)
    if current is not None and len(current) > len(best):
        best = current
    return best


def split_sections(lines: list[TextLine]) -> list[tuple[str, list[TextLine]]]:
    """Split lines at top-level headings (一、… 十一、) into (heading, body) pairs."""
    sections: list[tuple[str, list[TextLine]]] = []
    heading = ""
    body: list[TextLine] = []
    for tl in lines:
        if PART.match(tl.text):
            # A part ends every section; its own title lines form a heading-less section.
            if heading or body:
                sections.append((heading, body))
            heading, body = "", []
            continue
        m = TOP_HEADING.match(tl.text)
        if m and len(tl.text) <= 40 and not TOKEN.search(tl.text):
            if heading or body:
                sections.append((heading, body))
            heading, body = re.sub(r"\s+", "", tl.text), []
        else:
            body.append(tl)
    if heading or body:
        sections.append((heading, body))
    return sections


def find_section(lines: list[TextLine], heading: re.Pattern[str]) -> list[TextLine]:
    """Return the body of the top-level section whose heading matches, the longest if repeated."""
    best: list[TextLine] = []
    for title, body in split_sections(lines):
        if heading.search(title) and len(body) > len(best):
            best = body
    return best


def join_lines(lines: list[TextLine]) -> tuple[str, list[TextLine]]:
    """Join wrapped lines into one string, remembering each character's source line."""
    text, origins = "", []
    for tl in lines:
        piece = tl.text.strip()
        # Wrapped Latin words or numbers need their space back; CJK joins directly.
        if text and re.match(r"[A-Za-z0-9]", piece) and re.search(r"[A-Za-z0-9]$", text):
            text += " "
            origins.append(tl)
        text += piece
        origins.extend([tl] * len(piece))
    return text, origins


def to_sentences(section: str, lines: list[TextLine]) -> list[Sentence]:
    """Cut a section's joined text into sentences at 。；！？ and at enumerated items."""
    text, origins = join_lines(lines)
    cuts = {0, len(text)}
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            cuts.add(i + 1)
    for m in re.finditer(rf"(?<=[：:，,])\s*(?=[（(][{CN_NUM}]+[）)]|\d+\s*[、．.](?!\d))", text):
        cuts.add(m.end())
    # Every source line starting an enumerator starts a sentence too.
    start = 0
    for tl in lines:
        piece = tl.text.strip()
        if ENUMERATOR.match(piece):
            cuts.add(start)
            # "5、…（类）…（款）行政单位离退休" wraps before its （项）: not a heading of its own.
            wrapped_item = "（类）" in piece and "（项）" not in piece
            if len(piece) <= 40 and not TOKEN.search(piece) and not wrapped_item:
                cuts.add(start + len(piece))  # a sub-heading line is a sentence of its own
        start += len(piece)
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in itertools.pairwise(bounds):
        s = text[a:b]
        if s.strip():
            out.append(Sentence(text=s, section=section, origins=origins[a:b]))
    return out


# Subjects ------------------------------------------------------------------------------------


def clean_subject(lead: str) -> str:
    """Return the subject a lead names: its last clause without time words and verbs."""
    pieces = [p for p in re.split(r"[，,；;：:、]", lead) if p.strip()]
    s = pieces[-1] if pieces else ""
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"截至\d{4}年\d{1,2}月\d{1,2}日", "", s)
    s = ENUMERATOR.sub("", s) if ENUMERATOR.match(s) else s
    # "上海市普陀区财政局2024年度收入…": a who-and-when prefix goes; "编报…的2024年度项目" keeps its words.
    m = re.match(r"^(.{0,30}?)\d{4}年度?", s)
    if m and (not m.group(1) or re.search(r"[市区县省]|本部门|本单位|中心$|局$|部$", m.group(1))):
        s = s[m.end():]
    s = re.sub(r"\d{4}年度?", "", s)
    s = _LEAD_PREFIX.sub("", s)
    if s.startswith("本部门") and not s.startswith("本部门组织"):
        s = s[3:]
    for _ in range(2):
        s = _LEAD_SUFFIX.sub("", s)
    s = re.sub(r"累计$", "", s)
    s = s.strip("“”\"（(")
    return s


def canonical_subject(subject: str) -> str:
    """Return the canonical name of a subject (三公, 政府采购 …), or the subject itself."""
    for pattern, name in CANONICAL_SUBJECTS:
        m = pattern.search(subject)
        if m:
            return m.expand(name) if "\\" in name else name
    return subject


# Facts ---------------------------------------------------------------------------------------


def to_decimal(text: str) -> Decimal | None:
    """Parse a printed number ("2,940.05") to Decimal; None when it is not one."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _fact(sentence: Sentence, pos: int, subject: str, metric: str, value: Decimal, unit: str,
          derived: bool = False) -> dict[str, Any]:
    origin = sentence.origins[min(pos, len(sentence.origins) - 1)] if sentence.origins else TextLine("")
    return {
        "section": sentence.section,
        "subject": subject,
        "metric": metric,
        "value": value,
        "unit": unit,
        "derived": derived,
        "page": origin.page,
        "line": origin.line,
        "sentence": re.sub(r"\s+", " ", sentence.text).strip(),
    }


def _named_facts(sentence: Sentence) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    """Apply the named patterns; return their facts and the spans they consumed."""
    facts, spans = [], []
    for _name, pattern, groups in NAMED_PATTERNS:
        for m in pattern.finditer(sentence.text):
            spans.append(m.span())
            for group, subject, metric, unit in groups:
                value = to_decimal(m.group(group))
                if value is not None:
                    facts.append(_fact(sentence, m.start(group), subject, metric, value, unit))
    return facts, spans


def _change_subjects(lead: str, state: _State) -> list[str]:
    """Return whose change a lead states: all pending (各), a named subject, or the last one."""
    if "各" in lead and state.pending:
        return list(state.pending)
    before = CHANGE_WORD.split(lead)[0]
    named = clean_subject(re.sub(r"^.*?(相比|比较|较|比)", "", before)) if re.search(r"相比", before) else ""
    named = canonical_subject(named) if named and named not in _GENERIC_LEADS else ""
    if named and not re.search(r"上年|上一年|\d{4}年", named):
        return [named]
    if state.pending:
        return [state.pending[-1]]
    return [state.current] if state.current else []


def _is_change_lead(lead: str) -> bool:
    """Tell whether a lead introduces a change against last year."""
    compact = re.sub(r"\s+", "", lead)
    return bool(
        re.search(r"(比|较|与).{0,12}(上年|上一年|\d{4}年)", compact) and CHANGE_WORD.search(compact)
    ) or bool(re.search(r"^[，,；;]?各?(增加|减少)$", compact))


def _subject_or_fallback(lead: str, state: _State) -> str:
    """Return the subject a lead names, or the item/current subject when it names none."""
    subject = clean_subject(lead)
    if subject in _GENERIC_LEADS:
        return state.current or state.item
    return canonical_subject(subject)


def sentence_facts(sentence: Sentence, state: _State) -> list[dict[str, Any]]:
    """Extract the facts of one sentence, updating what the section has said so far."""
    facts, spans = _named_facts(sentence)
    if facts:
        state.count = facts[0]["subject"]
    text = sentence.text
    tokens = [m for m in TOKEN.finditer(text) if not any(a <= m.start() < b for a, b in spans)]
    if not tokens and ENUMERATOR.match(text):
        # An item heading such as "1、一般公共服务支出（类）财政事务（款）行政运行（项）。"
        head = re.split(r"[。：:]|主要用于", ENUMERATOR.sub("", text, count=1))[0]
        state.item = canonical_subject(re.sub(r"\s+", "", head))
        state.current, state.pending = state.item, []
    previous_end = 0
    for m in tokens:
        # A lead starts after the last number or named pattern before it.
        start = max([previous_end, *(b for _a, b in spans if b <= m.start())])
        lead = text[start : m.start()]
        previous_end = m.end()
        value = to_decimal(m.group("num"))
        unit = m.group("unit").replace("％", "%").replace("台(套)", "台（套）")
        if value is None:
            continue
        facts.extend(_token_facts(sentence, m.start("num"), lead, value, unit, state))
    return facts


def _token_facts(sentence: Sentence, pos: int, lead: str, value: Decimal, unit: str,
                 state: _State) -> list[dict[str, Any]]:
    """Classify one number by its lead into facts."""
    compact = re.sub(r"\s+", "", lead)
    negative = bool(NEGATIVE_WORD.search(compact))
    if unit == "%":
        if CHANGE_WORD.search(compact) and not re.search(r"占", compact):
            signed = -value if negative else value
            subjects = state.changed or _change_subjects(lead, state)
            state.changed = []
            return [_fact(sentence, pos, s, "增减率", signed, unit) for s in subjects]
        if re.search(r"完成.*预算", compact):
            metric = "完成年初预算率" if "年初" in compact else "完成预算率"
            subject = state.current or state.item
            return [_fact(sentence, pos, subject, metric, value, unit)] if subject else []
        if "占" in compact:
            before = clean_subject(compact.split("占")[0])
            subject = canonical_subject(before) if before and before not in _GENERIC_LEADS else state.current
            return [_fact(sentence, pos, subject, "占比", value, unit)] if subject else []
        subject = _subject_or_fallback(lead, state)
        return [_fact(sentence, pos, subject, "比率", value, unit)] if subject else []
    if unit in MONEY:
        if _is_change_lead(lead):
            signed = -value if negative else value
            state.changed = _change_subjects(lead, state)
            return [_fact(sentence, pos, s, "增减额", signed, unit) for s in state.changed]
        if re.sub(r"^[，,；;]", "", compact).startswith("涉及"):
            subject = state.count or state.current
            return [_fact(sentence, pos, subject, "涉及资金", value, unit)] if subject else []
        if budget := re.search(r"(年初|全年|调整)预算", compact):
            before = clean_subject(compact[: budget.start()])
            subject = canonical_subject(before) if before and before not in _GENERIC_LEADS else (
                state.current or state.item
            )
            state.current = subject
            metric = budget.group(1) + "预算"
            return [_fact(sentence, pos, subject, metric, value, unit)] if subject else []
        subject = _subject_or_fallback(lead, state)
        if not subject:
            return []
        if subject != state.current and state.pending and state.pending[-1] != subject and not _pending_open(lead):
            state.pending = []
        state.pending.append(subject)
        state.current = subject
        state.changed = []
        return [_fact(sentence, pos, subject, "本年决算", value, unit)]
    if unit == "分":
        subject = state.count or state.current
        metric = "平均得分" if "平均" in compact else "得分"
        return [_fact(sentence, pos, subject, metric, value, unit)] if subject else []
    subject = clean_subject(lead)
    subject = canonical_subject(subject) if subject and subject not in _GENERIC_LEADS else state.count
    if not subject:
        return []
    state.count = subject
    return [_fact(sentence, pos, subject, "数量", value, unit)]


def _pending_open(lead: str) -> bool:
    """Tell whether a subject joins the pending list (收入总计…，支出总计… 各减少) or starts anew."""
    return bool(re.match(r"^[，,、]", lead.strip()))


def derive_last_year(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add 上年决算 (and a missing 增减额) wherever a sentence states this year's figure and its change."""
    out: list[dict[str, Any]] = []
    # A subject can be restated later in its section (五、(一)(二)(三)): each statement is its own
    # group, and a change belongs to the latest statement before it.
    groups: list[dict[str, dict[str, Any]]] = []
    latest: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for f in facts:
        out.append(f)
        if f["metric"] == "本年决算":
            latest[(f["section"], f["subject"])] = {"本年决算": f}
            groups.append(latest[(f["section"], f["subject"])])
        elif f["metric"] in ("增减额", "增减率"):
            group = latest.get((f["section"], f["subject"]))
            if group is not None and f["metric"] not in group:
                group[f["metric"]] = f
    for group in groups:
        this_year = group["本年决算"]
        change, rate = group.get("增减额"), group.get("增减率")
        base = {k: this_year[k] for k in ("section", "subject", "unit", "page", "line")}
        sentence = (change or rate or this_year)["sentence"]
        if change is not None:
            last = this_year["value"] - change["value"]
        elif rate is not None and rate["value"] != Decimal(-100):
            last = (this_year["value"] / (1 + rate["value"] / 100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            out.append({**base, "metric": "增减额", "value": this_year["value"] - last, "derived": True,
                        "sentence": sentence})
        else:
            continue
        out.append({**base, "metric": "上年决算", "value": last, "derived": True, "sentence": sentence})
    return out


def extract_facts(raw: RawReport, report_id: str, warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """Return the facts of 第三部分 (one row per quoted number), with derived last-year figures.

    Never raises: a problem is logged and appended to `warnings` when given.
    """
    try:
        facts: list[dict[str, Any]] = []
        for heading, body in split_sections(part_lines(raw.lines, "三")):
            if not heading:
                continue
            state = _State()
            section_facts: list[dict[str, Any]] = []
            for sentence in to_sentences(heading, body):
                if re.match(rf"^\s*[（(][{CN_NUM}]+[）)]", sentence.text):
                    state = _State()  # a sub-section starts afresh
                section_facts.extend(sentence_facts(sentence, state))
            facts.extend(derive_last_year(section_facts))
        return [{"report_id": report_id, "seq": i, **f} for i, f in enumerate(facts, start=1)]
    except Exception as exc:  # one odd report must not stop the batch
        message = f"narrative facts not extracted: {exc!r}"
        log.warning("%s: %s", report_id, message)
        if warnings is not None:
            warnings.append(message)
        return []


# Checks --------------------------------------------------------------------------------------


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def rate_range(this_year: Decimal, change: Decimal, places: int) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest rate the rounded amounts allow (each ± half a cent)."""
    half = Decimal(1).scaleb(-places) / 2
    rates = []
    for dv in (-half, half):
        for dc in (-half, half):
            last = this_year + dv - (change + dc)
            if last > 0:
                rates.append((change + dc) / last * 100)
    return (min(rates), max(rates)) if rates else (Decimal(0), Decimal(0))


def check_facts(facts: list[dict[str, Any]], report_id: str) -> list[Finding]:
    """Check that each printed change amount and change rate agree with this year's figure.

    Rule `narrative-change-consistent`: pass when the rate recomputed from the amounts rounds
    to the printed rate, rounding when only the amounts' own rounding explains the gap, error
    otherwise. The finding's expected is the recomputed rate, actual the printed one.
    """
    # As in derive_last_year, a change belongs to the latest statement of its subject before it,
    # so a figure restated later in its section (五、(二)(三)) is not checked again.
    groups: list[dict[str, dict[str, Any]]] = []
    latest: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for f in (f for f in facts if not f["derived"]):
        key = (f["section"], f["subject"])
        if f["metric"] == "本年决算":
            latest[key] = {"本年决算": f}
            groups.append(latest[key])
        elif f["metric"] in ("增减额", "增减率") and key in latest:
            latest[key].setdefault(f["metric"], f)
    return [_change_finding(report_id, g["本年决算"], g["增减额"], g["增减率"])
            for g in groups if "增减额" in g and "增减率" in g]


def _change_finding(report_id: str, this_year: dict[str, Any], change: dict[str, Any],
                    rate: dict[str, Any]) -> Finding:
    """Compare one printed rate with the rate its amounts give."""
    v, d, p = this_year["value"], change["value"], rate["value"]
    last = v - d
    where = f"第{this_year['page']}页" if this_year["page"] else f"第{this_year['line']}行"
    subject = this_year["subject"]
    base = dict(report_id=report_id, rule="narrative-change-consistent", tables="", row=subject,
                pages=str(this_year["page"] or ""), lines=str(this_year["line"] or ""), actual=p, unit="%")
    if last == 0:
        zero_severity: Severity = "pass" if d == 0 and p == 0 else "warning"
        return Finding(**base, severity=zero_severity, expected=None,
                       message=f"{where}{subject}：上年决算为 0，增减率无从计算，印刷为 {p}%。")
    places = max(_decimals(p), 0)
    exact = d / last * 100
    expected = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    low, high = rate_range(v, d, max(_decimals(v), _decimals(d), 2))
    half = Decimal(1).scaleb(-places) / 2
    severity: Severity
    if expected == p:
        severity, verdict = "pass", "一致"
    elif low - half <= p <= high + half:
        severity, verdict = "rounding", "在金额尾数误差范围内"
    else:
        severity, verdict = "error", "不一致"
    message = (f"{where}{subject}：本年 {v} 万元，增减额 {d} 万元，推得上年 {last} 万元，"
               f"增减率应为 {expected}%，印刷为 {p}%，{verdict}。")
    return Finding(**base, severity=severity, expected=expected, message=message)


def find_unit_slips(raw: RawReport, report_id: str) -> list[Finding]:
    """Flag 万元 written after a noun that counts things (注册用户数超 1150 万元), in prose and tables.

    Rule `narrative-unit-slip`, severity warning: such a number is not money and is not
    published as an amount.
    """
    findings: list[Finding] = []
    for text, page, line in _all_texts(raw):
        for m in UNIT_SLIP.finditer(re.sub(r"<[^>]+>", "", text)):
            where = f"第{page}页" if page else f"第{line}行"
            findings.append(Finding(
                report_id=report_id, rule="narrative-unit-slip", severity="warning", tables="", unit="",
                row=m.group("noun"), pages=str(page or ""), lines=str(line or ""), expected=None,
                actual=to_decimal(m.group("num")),
                message=f"{where}“{m.group(0)}”：{m.group('noun')}是数量而非金额，“万元”疑为“万”之误，未作为金额发布。",
            ))
    return findings


def _all_texts(raw: RawReport) -> Iterable[tuple[str, int | None, int | None]]:
    """Yield every prose line and table cell with its page and line."""
    for tl in raw.lines:
        yield tl.text, tl.page, tl.line
    for table in raw.tables:
        for row in table.rows:
            for cell in row:
                if cell.text:
                    yield cell.text, cell.page, cell.line
