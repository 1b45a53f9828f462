"""The clause grammar: what a printed number is, read from the words around it.

A sentence is a run of *tokens* (a number with its unit) and the words between them. The
words before a token (its *lead*) are read right to left as

    [subject] [metric words] [direction verb] NUMBER UNIT [noun after a count]

- a direction verb (增加/减少/增长/下降 …) right before the number makes it a change (增减额
  for money, 增减率 for %), whatever else the lead says: "公务接待费支出决算减少0.15万元" states
  a change of 0.15, never this year's 0.15;
- 占 … makes a share (占比), its base named after 占 (占政府采购支出总额的 → 政府采购);
- 完成 … 预算 makes a completion rate; 涉及 … makes the money a project count involves;
- 年初/全年/调整预算 names a budget figure; a subject ending in 预算 (收入预算) a budget too;
- otherwise money is this year's figure (本年决算) of the subject the lead names;
- a count's noun comes before it (车辆2辆) or, when the lead names none, after it
  (对12个项目实施单位自评 → 单位自评项目); "A、B、C的项目分别是1个、2个、3个" pairs each
  count with its label.
A number no rule places is *unplaced*: kept with its sentence, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan.narrative.lexicon import (
    BASIS,
    BUDGET_SUFFIX,
    CHANGE_WORD,
    COMPARISON,
    COMPARISON_NORMAL,
    DIRECTION,
    GENERIC,
    LEAD_PREFIX,
    LEAD_SUFFIX,
    NEGATIVE,
    canonical_subject,
)
from juesuan.narrative.sentences import ENUMERATOR

CLAUSE_SPLIT = re.compile(r"[，,；;：:、]")
# "与上年决算数相比"/"比2023年度"/"较上年": the base of a comparison, not a subject.
AGAINST = re.compile(
    r"同比|环比|(?:与|同|比|较|相比|比较)\s*(?:上年|上一年|\d{4}\s*年度?|同期|全年|年初)[^，,；;]*?(?:相比|比较|同期)?(?=[增减下上降提持一相等大小高低超]|$)"
)
RELATIVE = re.compile(r"的")  # a relative clause: "本部门组织的出国团组", "编报绩效目标的项目"


@dataclass(frozen=True, slots=True)
class Reading:
    """What one token is: its metric, the subject phrase that names it (may be empty), and more."""

    metric: str
    subject: str = ""  # canonical subject named in the lead ("" = the one the section is about)
    negative: bool = False  # a decrease: the value is signed negative
    base: str = ""  # for a share: the total it is a share of ("" = the sentence's total)
    budget: str = ""  # for a budget figure: 年初预算, 全年预算, 调整预算, 预算数


def clean_subject(lead: str) -> str:
    """Return the subject a lead names: its last clause without time words, owners and verbs."""
    pieces = [p for p in CLAUSE_SPLIT.split(lead) if p.strip()]
    s = re.sub(r"\s+", "", pieces[-1] if pieces else "")
    s = re.sub(r"截至\d{4}年\d{1,2}月\d{1,2}日", "", s)
    s = ENUMERATOR.sub("", s) if ENUMERATOR.match(s) else s
    # "上海市普陀区财政局2024年度收入…": whatever precedes the year names who; a relative
    # clause ("编报绩效目标的2024年度项目") keeps its words.
    m = re.match(r"^(.{0,40}?)\d{4}年度?", s)
    if m and not m.group(1).endswith("的"):
        s = s[m.end():]
    s = re.sub(r"\d{4}年度?", "", s)
    s = LEAD_PREFIX.sub("", s)
    # 本部门/本单位 names who, unless it opens a relative clause (本部门组织的出国团组).
    m = re.match(r"^(?:本部门|本单位|我单位|我部门)", s)
    if m and not (RELATIVE.search(s) and not s[m.end():].startswith(("的", "2"))):
        s = s[m.end():]
    s = LEAD_PREFIX.sub("", s.removeprefix("的"))
    for _ in range(2):
        s = LEAD_SUFFIX.sub("", s)
    s = re.sub(r"(?:累计|共计)$", "", s)
    return s.strip("“”\"（(")


def named(lead: str) -> str:
    """Return the canonical subject a lead names, or "" when it names none."""
    s = clean_subject(lead)
    return "" if s in GENERIC else canonical_subject(s)


def _strip_against(text: str) -> str:
    """Remove a comparison base ("比上年决算数", "与2023年度相比") from a phrase."""
    return AGAINST.sub("", text)


SCOPE = re.compile(r"^在(?P<scope>.+?)中$")  # 在面向中小企业预留的政府采购项目中
AGENT = re.compile(r"^由(?P<agent>.+?)(?:供应商)?(?:中标或成交|中标|成交)的$")  # 由中小企业供应商中标或成交的


def qualified_subject(clauses: list[str]) -> str:
    """Return the subject a generic noun (采购金额) gets from the adverbial clauses before it.

    "在X政府采购项目中，由Y供应商中标或成交的，采购金额…" → 政府采购X项目授予Y.
    """
    scope = agent = ""
    for clause in clauses:
        if m := SCOPE.match(clause):
            scope = m.group("scope").replace("的", "")
            if "政府采购" in scope:
                scope = "政府采购" + scope.replace("政府采购", "")
        elif m := AGENT.match(clause):
            agent = m.group("agent")
    return f"{scope}授予{agent}" if scope and agent else ""


def read_money_or_rate(lead: str, unit: str, budget: bool = False) -> Reading | None:
    """Read a money or % token from its lead; None when the lead says nothing of it."""
    compact = re.sub(r"\s+", "", lead)
    clauses = CLAUSE_SPLIT.split(compact)
    last = clauses[-1]
    direction = DIRECTION.search(last)
    if direction:
        before = _strip_against(last[: direction.start()])
        metric = "增减率" if unit == "%" else "增减额"
        return Reading(metric, named(before) if "占" not in before else "", bool(NEGATIVE.search(direction.group(0))))
    if unit == "%":
        if "占" in last:
            head, _, tail = last.partition("占")
            base = named(re.sub(r"的?比重?$|的$", "", tail))
            return Reading("占比", named(head), base=base)
        if re.search(r"完成.*预算", last):
            return Reading("完成年初预算率" if "年初" in last else "完成预算率", named(last.split("完成")[0]))
        if CHANGE_WORD.search(last) and re.search(r"(比|较|与).{0,12}(上年|上一年|\d{4}年)", compact):
            return Reading("增减率", "", bool(NEGATIVE.search(last)))
        return Reading("比率", named(last)) if named(last) else None
    if "涉及" in last:
        # "…部门整体支出开展绩效自评，涉及资金…": the clause before names what the money is for.
        head = last.split("涉及")[0] or (CLAUSE_SPLIT.split(compact)[-2] if CLAUSE_SPLIT.search(compact) else "")
        return Reading("涉及资金", named(VERB.sub("", head)))
    if kind := re.search(r"(年初|全年|调整)预算(?:数)?", last):
        return Reading(kind.group(1) + "预算", named(last[: kind.start()]), budget=kind.group(1) + "预算")
    subject = clean_subject(last)
    if subject in GENERIC and len(clauses) > 1:
        subject = qualified_subject(clauses[:-1]) or subject
    suffix = BUDGET_SUFFIX.match(subject) if budget or subject.endswith("预算数") else None
    if suffix:
        # 收入预算 / 政府采购货物预算 / “三公”经费预算数为: this year's budget of the subject.
        head = suffix.group("subject")
        what = f"{suffix.group('kind')}预算" if suffix.group("kind") else "预算数"
        return Reading(what, "" if head in GENERIC else canonical_subject(head), budget=what)
    if re.search(COMPARISON.pattern + r"(?:为|是)?$", last):
        return None  # "与2024年预算一致0万元": a figure after a comparison word is no reading
    return Reading("本年决算", "" if subject in GENERIC else canonical_subject(subject))


VERB = re.compile(r"(?:实施|开展|进行|完成|参加)")


def count_subject(lead: str, tail: str) -> tuple[str, int]:
    """Return the noun a count counts and how much of the tail names it (0 when the lead does).

    Named before it (车辆2辆), or after it when the lead names none (对12个项目实施单位自评).
    """
    compact = re.sub(r"\s+", "", lead)
    # "…组织对12个项目…": the preposition 对 introduces the counted noun, which follows.
    before = "" if re.search(r"对(?:\d{4}年度?)?$", compact) else named(lead)
    if before and not re.search(r"分别(?:是|为)?$", compact):
        return before, 0
    clause = re.split(r"[，,；;。：:、（(]", tail)[0]
    after = re.sub(r"\s+", "", clause)
    # 项目实施单位自评 → 单位自评项目: the counted noun, then what is done to it.
    m = re.match(rf"^(项目|单位|部门|人员|车辆|团组){VERB.pattern}(.+)$", after)
    if m:
        return m.group(2) + m.group(1), len(clause)
    if after and len(after) <= 12 and not CHANGE_WORD.search(after):
        return after, len(clause)
    return "", 0


def enumerated_labels(lead: str) -> list[str]:
    """Return the subjects of "“优”“良”的项目分别是 …" (one per count), or [] when not such a list."""
    compact = re.sub(r"\s+", "", lead)
    m = re.search(r"(?P<phrase>[^，,；;：:]*?)分别(?:是|为)?$", compact)
    if not m:
        return []
    phrase = m.group("phrase")
    quoted = list(re.finditer(r"“[^”]+”", phrase))
    if len(quoted) >= 2:
        head, tail = phrase[: quoted[0].start()], phrase[quoted[-1].end():]
        return [f"{head}{q.group(0)}{tail}" for q in quoted]
    parts = re.split(r"[、和及与]", phrase)
    if len(parts) < 2:
        return []
    # "评价结果为优、良、中、差的项目": the words before the first item and after the last one
    # belong to every item.
    head = re.match(r"^(.*(?:为|是|：|:|等次|等级))", parts[0])
    tail = re.search(r"(的[^的]*)$", parts[-1])
    if head is None or tail is None:
        return [canonical_subject(clean_subject(p)) for p in parts]
    items = [parts[0][head.end():], *parts[1:-1], parts[-1][: tail.start()]]
    return [f"{head.group(1)}{item}{tail.group(1)}" for item in items]


def comparison_of(clause: str) -> tuple[str, str] | None:
    """Return (word, basis) when a clause compares two figures in words (与全年预算持平)."""
    # A leading year is the report's own ("2024年度…决算数小于预算数"), not the base.
    compact = re.sub(r"^\d{4}年度?", "", ENUMERATOR.sub("", re.sub(r"\s+", "", clause)))
    m = COMPARISON.search(compact)
    if not m:
        return None
    word = COMPARISON_NORMAL[m.group(1)]
    bases = list(BASIS.finditer(compact))
    before = [b for b in bases if b.start() < m.start()]
    after = [b for b in bases if b.start() >= m.start()]
    chosen = before[-1] if before else (after[0] if after else None)
    if chosen is None:
        return None
    basis = re.sub(r"\s+", "", chosen.group(1))
    if re.fullmatch(r"\d{4}\s*年度?", basis) or basis in ("上年", "上一年"):
        basis = "上年决算"
    elif re.fullmatch(r"\d{4}\s*年度?预算", basis):
        basis = "上年预算"
    elif re.fullmatch(r"\d{4}\s*年度?决算", basis):
        basis = "上年决算"
    # "决算数小于预算数": the figure compared is this year's; "预算数" alone is the year's budget.
    return word, basis
