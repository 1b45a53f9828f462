"""Read the prose into facts (every placed number) and unplaced numbers (the rest).

A 决算 report's prose is its 第三部分 (情况说明); a 预算 report has no such part, so all its
prose is read and this year's figures are budgets (本年预算, changes against 上年预算). Within a
section the reader keeps what was said so far (whose figure the next change, share or
comparison refers to); a sub-section （一）… starts afresh.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from juesuan.model import RawReport, TextLine
from juesuan.narrative.grammar import (
    Reading,
    comparison_of,
    count_subject,
    enumerated_labels,
    named,
    read_money_or_rate,
)
from juesuan.narrative.lexicon import (
    BARE_DECIMAL,
    COUNT_UNITS,
    MONEY,
    THRESHOLD_AFTER,
    TOKEN,
    canonical_subject,
    normal_unit,
)
from juesuan.narrative.sentences import (
    ENUMERATOR,
    SUB_SECTION,
    Sentence,
    part_lines,
    split_sections,
    to_sentences,
)

log = logging.getLogger(__name__)
Fact = dict[str, Any]
# Words after a total that open the list of its parts (the base of the parts' unnamed shares).
LIST_OPENS = re.compile(r"^[^。；;]*?(?:其中|主要用于以下方面|具体情况如下|包括)")


@dataclass(slots=True)
class _State:
    """What a section has said so far: whose figures the next change or share refers to."""

    pending: list[str] = field(default_factory=list)  # subjects with this year's figure, awaiting a change
    current: str = ""  # last subject named
    item: str = ""  # subject of an enumerated item heading without numbers (1、…（项）。)
    count: str = ""  # last counted subject (for 1 批次、9 人次)
    changed: list[str] = field(default_factory=list)  # subjects of the last 增减额 (各减少…，下降…%)
    labels: list[str] = field(default_factory=list)  # subjects of a "分别是" list still to be paired
    last: Fact | None = None  # the latest fact, for a comparison stated after it
    total: str = ""  # the subject a list of parts (其中：…) belongs to: the base of unnamed shares
    last_amount: Fact | None = None  # the latest this-year figure, for "决算数小于预算数" after a rate


def to_decimal(text: str) -> Decimal | None:
    """Parse a printed number ("2,940.05") to Decimal; None when it is not one."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _where(sentence: Sentence, pos: int) -> TextLine:
    return sentence.origins[min(pos, len(sentence.origins) - 1)] if sentence.origins else TextLine("")


def _fact(sentence: Sentence, pos: int, subject: str, metric: str, value: Decimal, unit: str, **extra: Any) -> Fact:
    origin = _where(sentence, pos)
    return {
        "section": sentence.section, "subject": subject, "metric": metric, "value": value, "unit": unit,
        "derived": False, "page": origin.page, "line": origin.line,
        "sentence": re.sub(r"\s+", " ", sentence.text).strip(),
        "comparison": "", "basis": "", "base": extra.get("base", ""),
    }


@dataclass(slots=True)
class SentenceReading:
    """The facts of one sentence and the numbers in it no rule placed."""

    facts: list[Fact] = field(default_factory=list)
    unplaced: list[Fact] = field(default_factory=list)


def read_sentence(sentence: Sentence, state: _State, budget: bool = False) -> SentenceReading:
    """Read one sentence into facts and unplaced numbers, updating what the section has said."""
    out = SentenceReading()
    text = sentence.text
    tokens = [m for m in TOKEN.finditer(text)
              if not (normal_unit(m.group("unit")) in MONEY and THRESHOLD_AFTER.match(text[m.end():]))]
    if not tokens and ENUMERATOR.match(text) and not re.search(r"\d", ENUMERATOR.sub("", text, count=1)):
        # An item heading such as "1、一般公共预算支出（类）财政事务（款）行政运行（项）。"
        head = re.split(r"[。：:]|主要用于", ENUMERATOR.sub("", text, count=1))[0]
        state.item = canonical_subject(re.sub(r"\s+", "", head).strip("“”"))
        state.current, state.pending = state.item, []
    sentence_total = ""
    previous_end = 0
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(tokens):
        lead = text[previous_end : m.start()]
        tail = text[m.end() : tokens[i + 1].start() if i + 1 < len(tokens) else len(text)]
        previous_end = m.end()
        spans.append(m.span())
        value = to_decimal(m.group("num"))
        unit = normal_unit(m.group("unit"))
        if value is None:
            continue
        facts, consumed = _token_facts(sentence, m.start("num"), lead, tail, value, unit, state, sentence_total,
                                       budget)
        previous_end += consumed  # a count's noun after it is no lead of the next number
        if not facts:
            out.unplaced.append(_fact(sentence, m.start("num"), "", "", value, unit) | {"text": m.group(0)})
            continue
        if not sentence_total and facts[0]["metric"] in ("本年决算", "本年预算") and LIST_OPENS.search(text[m.end():]):
            sentence_total = state.total = facts[0]["subject"]
        out.facts.extend(facts)
        state.last = facts[-1]
        amounts = [f for f in facts if f["metric"] in THIS_YEAR]
        state.last_amount = amounts[-1] if amounts else state.last_amount
    for m in BARE_DECIMAL.finditer(text):
        if not any(a <= m.start() < b for a, b in spans) and not re.match(r"\s*[%％]", text[m.end():]):
            value = to_decimal(m.group(0))
            if value is not None:
                out.unplaced.append(_fact(sentence, m.start(), "", "", value, "") | {"text": m.group(0)})
    _attach_comparisons(text, out.facts, state)
    return out


def _attach_comparisons(text: str, facts: list[Fact], state: _State) -> None:
    """Mark each fact a clause compares in words (与全年预算持平, 决算数小于预算数)."""
    pos = 0
    for clause in re.split(r"(?<=[，,；;。])", text):
        start, pos = pos, pos + len(clause)
        found = comparison_of(clause)
        if found is None:
            continue
        word, basis = found
        inside = [f for f in facts if start <= f["_pos"] < pos]
        before = [f for f in facts if f["_pos"] < start]
        target = (inside or before or ([state.last] if state.last else []))[-1:]
        if basis in ("上年决算", "上年预算"):
            # A change 与上年持平 is the change's; without one, this year's figure is compared.
            change = [f for f in inside + before if f["metric"] in ("增减额", "增减率")]
            target = change[-1:] or target
        elif "预算" in basis:
            # "决算数小于预算数" compares this year's figure, even after its completion rate.
            amounts = [f for f in inside + before if f["metric"] in THIS_YEAR]
            target = amounts[-1:] or ([state.last_amount] if state.last_amount else target)
        for f in target:
            if not f["comparison"]:
                f["comparison"], f["basis"] = word, basis


def _token_facts(sentence: Sentence, pos: int, lead: str, tail: str, value: Decimal, unit: str,
                 state: _State, sentence_total: str, budget: bool) -> tuple[list[Fact], int]:
    """Classify one number by its lead (and, for a count, the noun after it) into facts.

    Return the facts and how many characters of the tail the reading used.
    """
    def make(subject: str, metric: str, v: Decimal, **extra: Any) -> Fact:
        f = _fact(sentence, pos, subject, metric, v, unit, **extra)
        f["_pos"] = pos
        return f

    if unit in COUNT_UNITS:
        if labels := enumerated_labels(lead):
            state.labels = labels
        consumed = 0
        if state.labels and re.fullmatch(r"\s*[、，,和及]?\s*|.*分别(?:是|为)?\s*", lead):
            subject = state.labels.pop(0)
        else:
            state.labels = []
            subject, consumed = count_subject(lead, tail)
            subject = subject or state.count
        if not subject:
            return [], 0
        state.count = subject
        return [make(subject, "数量", value)], consumed
    if unit == "分":
        subject = state.count or state.current
        return ([make(subject, "平均得分" if "平均" in lead else "得分", value)] if subject else []), 0
    reading = read_money_or_rate(lead, unit, budget)
    if reading is None:
        return [], 0
    return _reading_facts(reading, make, value, unit, state, lead, sentence_total, budget), 0


def _reading_facts(reading: Reading, make: Any, value: Decimal, unit: str, state: _State, lead: str,
                   sentence_total: str, budget: bool) -> list[Fact]:
    """Turn one reading into facts, resolving the subject it leaves implicit."""
    metric = reading.metric
    if metric in ("增减额", "增减率"):
        signed = -value if reading.negative else value
        if metric == "增减率" and state.changed:
            subjects, state.changed = state.changed, []
        else:
            subjects = _change_subjects(reading.subject, lead, state)
            if metric == "增减额":
                state.changed = subjects
        return [make(s, metric, signed) for s in subjects]
    if metric == "占比":
        subject = reading.subject or state.current
        base = reading.base or sentence_total or state.total
        return [make(subject, metric, value, base=base if base != subject else "")] if subject else []
    if metric in ("完成预算率", "完成年初预算率", "比率"):
        subject = reading.subject or state.current or state.item
        return [make(subject, metric, value)] if subject else []
    if metric == "涉及资金":
        subject = reading.subject or state.count or state.current
        return [make(subject, metric, value)] if subject else []
    if reading.budget and metric != "预算数":
        subject = reading.subject or state.current or state.item
        if subject:
            state.current = subject
        return [make(subject, metric, value)] if subject else []
    subject = reading.subject or state.current or state.item
    if not subject:
        return []
    if metric == "预算数" or budget:
        metric = "本年预算" if budget else "年初预算" if metric == "预算数" else metric
        if metric == "年初预算" and not budget:
            state.current = subject
            return [make(subject, metric, value)]
    if subject != state.current and state.pending and state.pending[-1] != subject and not re.match(r"^\s*[，,、]", lead):
        state.pending = []
    state.pending.append(subject)
    state.current = subject
    state.changed = []
    return [make(subject, "本年预算" if budget else "本年决算", value)]


def _change_subjects(subject: str, lead: str, state: _State) -> list[str]:
    """Return whose change a lead states: all pending (各), the one it names, or the last one."""
    if "各" in lead and state.pending:
        return list(state.pending)
    if subject and not re.search(r"上年|上一年|\d{4}年|预算", subject):
        return [subject]
    if state.pending:
        return [state.pending[-1]]
    return [state.current] if state.current else []


THIS_YEAR = ("本年决算", "本年预算")


def derive_last_year(facts: list[Fact]) -> list[Fact]:
    """Add 上年决算/上年预算 (and a missing 增减额) wherever this year's figure and its change are printed."""
    out: list[Fact] = []
    # A subject can be restated later in its section (五、(一)(二)(三)): each statement is its own
    # group, and a change belongs to the latest statement before it.
    groups: list[dict[str, Fact]] = []
    latest: dict[tuple[str, str], dict[str, Fact]] = {}
    for f in facts:
        out.append(f)
        if f["metric"] in THIS_YEAR:
            latest[(f["section"], f["subject"])] = {"this": f}
            groups.append(latest[(f["section"], f["subject"])])
        elif f["metric"] in ("增减额", "增减率"):
            group = latest.get((f["section"], f["subject"]))
            if group is not None and f["metric"] not in group:
                group[f["metric"]] = f
    for group in groups:
        this_year = group["this"]
        change, rate = group.get("增减额"), group.get("增减率")
        base = {k: this_year[k] for k in ("section", "subject", "unit", "page", "line")}
        base |= {"comparison": "", "basis": "", "base": ""}
        sentence = (change or rate or this_year)["sentence"]
        last_metric = "上年预算" if this_year["metric"] == "本年预算" else "上年决算"
        if change is not None:
            last = this_year["value"] - change["value"]
        elif rate is not None and rate["value"] != Decimal(-100):
            last = (this_year["value"] / (1 + rate["value"] / 100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            out.append({**base, "metric": "增减额", "value": this_year["value"] - last, "derived": True,
                        "sentence": sentence})
        else:
            continue
        out.append({**base, "metric": last_metric, "value": last, "derived": True, "sentence": sentence})
    return out


def prose_sections(raw: RawReport, budget: bool | None = None) -> tuple[list[tuple[str, list[TextLine]]], bool]:
    """Return the prose sections to read and whether they are budget prose.

    A 决算 report's are the headed sections of 第三部分; a report without one, or whose
    第三部分 speaks of 预算 and never of 决算, is a budget, whose prose is read whole. `budget`
    says which when the report's kind is known.
    """
    final = [(h, b) for h, b in split_sections(part_lines(raw.lines, "三")) if h]
    if budget is False and final:
        return final, False
    if budget is None and final and (any("决算" in h for h, _ in final) or not any("预算" in h for h, _ in final)):
        return final, False
    return [(h, b) for h, b in split_sections(raw.lines) if b], True


def read_prose(raw: RawReport, report_id: str, budget: bool | None = None) -> tuple[list[Fact], list[Fact]]:
    """Return (facts, unplaced numbers) of a report's prose, each numbered from 1."""
    facts: list[Fact] = []
    unplaced: list[Fact] = []
    sections, budget = prose_sections(raw, budget)
    for heading, body in sections:
        state = _State()
        section_facts: list[Fact] = []
        for sentence in to_sentences(heading, body):
            if SUB_SECTION.match(sentence.text):
                state = _State()  # a sub-section starts afresh
            reading = read_sentence(sentence, state, budget)
            section_facts.extend(reading.facts)
            unplaced.extend(reading.unplaced)
        facts.extend(derive_last_year(section_facts))
    for f in facts + unplaced:
        f.pop("_pos", None)
    numbered = [{"report_id": report_id, "seq": i, **f} for i, f in enumerate(facts, start=1)]
    loose = [{"report_id": report_id, "seq": i, **{k: f[k] for k in UNPLACED_KEYS}}
             for i, f in enumerate(unplaced, start=1)]
    return numbered, loose


UNPLACED_KEYS = ("section", "text", "value", "unit", "page", "line", "sentence")


def extract_facts(raw: RawReport, report_id: str, warnings: list[str] | None = None) -> list[Fact]:
    """Return the facts of the prose (one row per placed number), with derived last-year figures.

    Never raises: a problem is logged and appended to `warnings` when given.
    """
    return extract_prose(raw, report_id, warnings)[0]


def extract_prose(raw: RawReport, report_id: str, warnings: list[str] | None = None,
                  budget: bool | None = None) -> tuple[list[Fact], list[Fact]]:
    """Return (facts, unplaced numbers); never raises (a problem becomes a warning).

    `budget` is the report kind when known (True for 预算); None tells it from the prose.
    """
    try:
        return read_prose(raw, report_id, budget)
    except Exception as exc:  # one odd report must not stop the batch
        message = f"narrative facts not extracted: {exc!r}"
        log.warning("%s: %s", report_id, message)
        if warnings is not None:
            warnings.append(message)
        return [], []


__all__ = ["derive_last_year", "extract_facts", "extract_prose", "named", "read_sentence", "to_decimal"]
