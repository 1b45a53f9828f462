"""Structure rules on what the report contains: its 目录 and its empty tables.

- `toc-consistency`: each table the 目录 lists is printed (a listed table not found is an
  error), each table printed is listed (a warning), and each listed section heading of the
  prose is found in the body (a warning). The 目录 is read from its lines or from the grid a
  producer drew it in, with dot leaders and page numbers removed and wrapped entries joined.
- `table-empty-statement`: a table printed without a non-zero amount says why under it or in
  the prose ("本部门无…，故本表无数据"); one without any statement is a warning. A table whose
  statement says it is empty while it prints amounts is an error.
Both run on 决算 and 预算 reports.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from juesuan.catalog import STANDARD_TABLES, match_title, normalize_title
from juesuan.catalog_budget import BUDGET_TABLES, match_budget_title
from juesuan.checks.base import Checker, Rule, rule
from juesuan.checks.blocks import PAGE_NUMBER, text_blocks
from juesuan.checks.rules_complete import stated_empty
from juesuan.model import RawReport, StandardTable, TextLine
from juesuan.narrative.sentences import PART, TOP_HEADING

# "1.2025年部门…表": an item number before a year is no decimal.
ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}\s*[.．、](?:(?!\d)|(?=\d{4}年)))\s*")
LEADER = re.compile(r"[.．·…⋯—_\-\s]*\d{0,3}\s*$")
ENTRY_START = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|"
                         r"\d{1,2}\s*[.．、](?:(?!\d)|(?=\d{4}年))|附件)")


@dataclass(frozen=True)
class Entry:
    """One 目录 entry: its text without leader and page number, and where it was printed."""

    text: str
    page: int | None
    line: int | None
    index: int | None = None  # position in raw.lines (a 目录 printed as lines)

    @property
    def table(self) -> str | None:
        """Return the standard or budget table the entry names, None for a section."""
        bare = ORDINAL.sub("", self.text)
        return match_title(bare) or match_budget_title(bare)


def _clean(text: str) -> str:
    return LEADER.sub("", text).strip()


def _is_toc_title(text: str) -> bool:
    return normalize_title(text) in ("目录", "目次")


def toc_entries(raw: RawReport | None) -> list[Entry]:
    """Return the 目录 entries of a report (lines or grid), [] when it prints none."""
    if raw is None:
        return []
    for table in raw.tables:
        first = next((c.text for r in table.rows[:1] for c in r if c.text.strip()), "")
        if _is_toc_title(table.title) or _is_toc_title(first):
            cells = [(next((c for c in r if c.text.strip()), None)) for r in table.rows]
            grid = [Entry(_clean(c.text), c.page, c.line) for c in cells if c is not None and not _is_toc_title(c.text)]
            return [e for e in grid if e.text]  # one row, one entry
    start = next((i for i, tl in enumerate(raw.lines[:80]) if _is_toc_title(tl.text)), None)
    if start is None:
        return []
    entries: list[Entry] = []
    for index, tl in enumerate(raw.lines[start + 1 : start + 120], start=start + 1):
        text = _clean(tl.text)
        if not text or PAGE_NUMBER.match(tl.text) or re.fullmatch(r"[.．·…⋯\s]+", tl.text):
            continue
        if entries and normalize_title(text) == normalize_title(entries[0].text):
            break  # the body begins with the first entry printed again
        if len(text) > 45 or text.endswith(("。", "；")):
            break  # prose: the body has begun (its first heading need not repeat an entry)
        if entries and tl.page != entries[-1].page and not ENTRY_START.match(text):
            if len(text) > 12:
                break  # a new page opening with no entry: the body's first title
            last = entries[-1]  # an entry wrapped across the page break
            entries[-1] = Entry(last.text + text, last.page, last.line, last.index)
            continue
        entries.append(Entry(text, tl.page, tl.line, index))
    return _joined(entries)


def _joined(entries: list[Entry]) -> list[Entry]:
    """Join an entry wrapped onto the next line (it starts with no ordinal) to the one before."""
    out: list[Entry] = []
    for e in entries:
        if out and not ENTRY_START.match(e.text) and e.page == out[-1].page and len(e.text) <= 12:
            prev = out[-1]
            out[-1] = Entry(prev.text + e.text, prev.page, prev.line, prev.index)
        else:
            out.append(e)
    return out


def body_headings(raw: RawReport, entries: list[Entry]) -> list[TextLine]:
    """Return the short lines of the body that may be headings (the 目录's own lines left out).

    A heading may carry no ordinal and the department's name before its words
    (上海市普陀区财政局主要职能 for 目录 "一、部门主要职能").
    """
    toc = {e.index for e in entries}
    last = max((i for i in toc if i is not None), default=-1)
    return [tl for i, tl in enumerate(raw.lines) if len(tl.text.strip()) <= 60 and i > last
            and not re.search(r"[，,；;]", tl.text)]


OWNER = re.compile(r"^(?:本?部门|本?单位)")


def _found(entry: Entry, headings: list[TextLine]) -> bool:
    want = OWNER.sub("", normalize_title(ORDINAL.sub("", entry.text)))
    ordinal = ORDINAL.match(entry.text)
    for tl in headings:
        got = normalize_title(ORDINAL.sub("", tl.text))
        if (want and want in got) or (len(got) >= 4 and got in want and (TOP_HEADING.match(tl.text) or PART.match(tl.text))):
            return True
        same_ordinal = ordinal and tl.text.strip().startswith(ordinal.group(0).strip())
        if same_ordinal and difflib.SequenceMatcher(None, want, got).ratio() >= 0.6:
            return True
    return False


def entry_table(entry: Entry, tables: dict[str, StandardTable]) -> str | None:
    """Return the table an entry names: by its title, else a printed table whose title it contains or is part of."""
    if entry.table is not None:
        return entry.table
    want = OWNER.sub("", normalize_title(ORDINAL.sub("", entry.text)))
    if not re.search(r"表$", want):
        return None
    best: tuple[int, str] | None = None
    for number, table in tables.items():
        got = re.sub(r"^.*?\d{4}年度?", "", normalize_title(table.raw.title))
        if len(got) >= 6 and (got in want or want in got) and (best is None or len(got) > best[0]):
            best = (len(got), number)
    return best[1] if best else None


def _table_name(number: str) -> str:
    return f"{number} {BUDGET_TABLES[number].name}" if number in BUDGET_TABLES else f"表{number} {STANDARD_TABLES[number].name}"


@rule("toc-consistency", "", "error", "目录所列的表和章节都已印出，印出的表都列入目录", both=True)
def toc_consistency(ck: Checker, rule: Rule) -> None:
    """Check the 目录 against the tables recognized and the headings printed."""
    raw = ck.data.raw
    entries = toc_entries(raw)
    if raw is None or not entries:
        return
    listed: dict[str, Entry] = {}
    for e in entries:
        if (number := entry_table(e, ck.data.tables)) is not None:
            listed.setdefault(number, e)
    untitled = any(not t.title.strip() for t in raw.tables)
    for number, e in sorted(listed.items()):
        src = [{"page": e.page, "line": e.line}]
        printed = ck.data.tables[number].raw if number in ck.data.tables else next(
            (t for t in raw.tables if (match_title(t.title) or match_budget_title(t.title)) == number), None)
        if printed is not None:
            # A table printed under its title counts even where its header was not understood.
            ck.add(rule, "pass", row=number, tables=number, unit="", sources=[*src, {"page": printed.page, "line": printed.line}],
                   message=f"目录所列“{e.text}”已印出（{_table_name(number)}）。")
        else:
            # A grid printed without a readable title may be it: then only a warning.
            ck.add(rule, "warning" if untitled else rule.failure, row=number, tables=number, unit="", sources=src,
                   message=f"目录列有“{e.text}”，但报告中找不到这张表（{_table_name(number)}）"
                   + ("；报告中有未能读出标题的表格，可能就是它。" if untitled else "。"))
    if listed:
        for number, table in sorted(ck.data.tables.items()):
            if number not in listed:
                ck.add(rule, "warning", row=number, tables=number, unit="",
                       sources=[{"page": table.raw.page, "line": table.raw.line}],
                       message=f"{_table_name(number)}已印出，但目录没有列出。")
    headings = body_headings(raw, entries)
    for e in entries:
        if entry_table(e, ck.data.tables) is not None or PART.match(e.text) or not ORDINAL.match(e.text) or re.search(r"表$", e.text):
            continue
        found = _found(e, headings)
        ck.add(rule, "pass" if found else "warning", row=f"章节/{normalize_title(ORDINAL.sub('', e.text))}", unit="",
               sources=[{"page": e.page, "line": e.line}],
               message=f"目录所列章节“{e.text}”" + ("在正文中找到。" if found else "在正文中找不到对应的标题。"))


EMPTY_STATEMENT = re.compile(r"本表(?:无数据|为空|无内容|数据为空)|空表|(?:没有|无|未)(?:使用|安排|发生)?[^，。；,;]{0,30}(?:收入|支出|收支|经费|资金)")
INSTRUCTION = re.compile(r"的，仍保留|作下述说明")


FUND_KEYS = ("政府性基金", "国有资本经营", "三公")
PROSE_EMPTY = re.compile(r"无此项|没有|无[^，。；]{0,20}(?:收入|支出|收支|预算)|未安排|不涉及|(?:预算|支出|收入)(?:为)?\s*0(?:\.0+)?\s*万元")


def statement(ck: Checker, number: str, table: StandardTable) -> str:
    """Return the words saying a table is empty: its notes, the lines printed with it, or the prose."""
    raw = ck.data.raw
    lines = list(table.raw.notes)
    if raw is not None:
        pages = set(table.raw.pages or ([table.raw.page] if table.raw.page else []))
        lines += [tl.text for tl in raw.lines if tl.page is not None and tl.page in pages]
    for text in lines:
        if EMPTY_STATEMENT.search(text) and not INSTRUCTION.search(text):
            return text.strip()
    if number in STANDARD_TABLES and (said := stated_empty(ck, number)):
        return said
    # The prose says the fund it reports on had nothing: 本部门无政府性基金预算, 政府性基金支出预算支出0万元.
    name = _table_name(number)
    key = next((k for k in FUND_KEYS if k in name), "")
    pieces = [tl.text for tl in raw.lines] if raw is not None and key else []
    for block in text_blocks(raw) if key else []:
        pieces += re.split(r"(?<=[。；;])", block.text)
    for sentence in pieces:
        # A note under another table (…，故本表无数据) speaks of that table, not this one.
        if len(sentence) > 120 or "本表" in sentence:
            continue
        if key in sentence and PROSE_EMPTY.search(sentence) and not INSTRUCTION.search(sentence):
            return sentence.strip()
    return ""


def unreadable(table: StandardTable) -> bool:
    """Tell whether the reader got no word of a table's grid (not even its row labels): not an empty table."""
    cells = [c.text for row in table.raw.rows for c in row if c.text.strip()]
    return len(cells) <= 1


@rule("table-empty-statement", "", "warning", "空表注明“本部门无…，故本表无数据”；注明为空的表确实没有数字", both=True)
def table_empty_statement(ck: Checker, rule: Rule) -> None:
    """Check that each table printed empty says so, and that a table said empty prints no amount."""
    amounts: dict[str, bool] = {}
    for item in ck.data.line_items:
        amounts[item.table] = amounts.get(item.table, False) or bool(item.amount)
    for number, table in sorted(ck.data.tables.items()):
        if unreadable(table):
            continue  # its words were not read: whether it prints amounts is unknown
        said = statement(ck, number, table)
        has_numbers = amounts.get(number, False) and not table.empty
        src = [{"page": table.raw.page, "line": table.raw.line}]
        name = _table_name(number)
        if has_numbers and said and re.search(r"本表(?:无数据|为空|无内容|数据为空)|空表", said):
            ck.add(rule, "error", row=number, tables=number, unit="", sources=src,
                   message=f"{name}印有非零金额，但说明写着“{said[:60]}”。")
        elif not has_numbers and said:
            ck.add(rule, "pass", row=number, tables=number, unit="", sources=src,
                   message=f"{name}没有金额，并说明：“{said[:60]}”。")
        elif not has_numbers:
            ck.add(rule, rule.failure, row=number, tables=number, unit="", sources=src,
                   message=f"{name}没有金额（空表），但表下和正文都没有说明为什么为空（如“本部门无…，故本表无数据”）。")
        else:
            ck.add(rule, "pass", row=number, tables=number, unit="", sources=src, message=f"{name}印有金额，不是空表。")
