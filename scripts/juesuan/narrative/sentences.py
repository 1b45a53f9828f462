"""Cut the prose into sections and sentences, each character tied to its source line.

PDF prose lines wrap anywhere (inside a number, inside a word) and justified lines print a
space between every character, so lines are joined first, full-width digits folded to ASCII
and spaces between two Chinese characters dropped, then sentences are cut at 。；！？ and at
enumerated items.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from juesuan.model import TextLine
from juesuan.narrative.lexicon import CN_NUM, TOKEN, WIDTH

PART = re.compile(rf"^\s*第\s*([{CN_NUM}]+)\s*部分")
TOP_HEADING = re.compile(rf"^\s*([{CN_NUM}]+)\s*、\s*(\S.*?)\s*$")
ENUMERATOR = re.compile(rf"^\s*(?:[（(]\s*[{CN_NUM}]+\s*[）)]|\d+\s*[、．.](?!\d)|[{CN_NUM}]+是)")
SUB_SECTION = re.compile(rf"^\s*[（(]\s*[{CN_NUM}]+\s*[）)]")
SENTENCE_END = "。！？；;"
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# A page number printed on a line of its own (27, - 27 -, —11 —, 第27页).
_PAGE_NUMBER = re.compile(r"^[\s\-—–·•第页共/]*\d{1,4}[\s\-—–·•第页共/]*$")


@dataclass(slots=True)
class Sentence:
    """One sentence of a section with the source line of each character."""

    text: str
    section: str
    origins: list[TextLine]  # origins[i] is the line character i came from


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


def _keep_space(before: str, after: str) -> bool:
    """Tell whether a printed space stays: it goes only between two Chinese characters (万 元)."""
    return not (_CJK.match(before or "") and _CJK.match(after or ""))


def drop_page_numbers(lines: list[TextLine]) -> list[TextLine]:
    """Drop the page numbers that end or start a PDF page: a sentence running over the break
    would read them as digits of its number (222.5 / 27 / 万元 → 222.527)."""
    out: list[TextLine] = []
    for i, tl in enumerate(lines):
        if tl.page is not None and _PAGE_NUMBER.match(tl.text):
            before = lines[i - 1].page if i else None
            after = lines[i + 1].page if i + 1 < len(lines) else None
            if before != tl.page or after != tl.page:
                continue
        out.append(tl)
    return out


def join_lines(lines: list[TextLine]) -> tuple[str, list[TextLine]]:
    """Join wrapped lines into one string, remembering each character's source line."""
    chars: list[str] = []
    origins: list[TextLine] = []
    for tl in drop_page_numbers(lines):
        piece = tl.text.translate(WIDTH).strip()
        if chars and piece:
            before, after = chars[-1], piece[0]
            # A wrap between two Latin words needs its space back; a wrap inside a number or
            # between Chinese characters joins directly.
            if _ASCII_WORD.match(before) and _ASCII_WORD.match(after) and not (before.isdigit() and after.isdigit()):
                chars.append(" ")
                origins.append(tl)
        for i, ch in enumerate(piece):
            if ch.isspace():
                nxt = next((c for c in piece[i + 1 :] if not c.isspace()), "")
                if not _keep_space(chars[-1] if chars else "", nxt) or (chars and chars[-1] == " "):
                    continue
                ch = " "
            chars.append(ch)
            origins.append(tl)
    return "".join(chars), origins


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
    line_starts: dict[int, int] = {}
    for i, tl in enumerate(origins):
        line_starts.setdefault(id(tl), i)
    for tl in lines:
        start = line_starts.get(id(tl))
        if start is None:
            continue
        end = start
        while end < len(origins) and origins[end] is tl:
            end += 1
        piece = text[start:end]
        # Matched against the joined text: "10." at a line's end may be a wrapped "10.00万元".
        continues_number = start > 0 and text[start - 1].isdigit()
        if ENUMERATOR.match(text[start:]) and not continues_number:
            cuts.add(start)
            # "5、…（类）…（款）行政单位离退休" wraps before its （项）: not a heading of its own.
            wrapped_item = "（类）" in piece and "（项）" not in piece
            if len(piece) <= 40 and not TOKEN.search(piece) and not wrapped_item:
                cuts.add(end)  # a sub-heading line is a sentence of its own
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in itertools.pairwise(bounds):
        s = text[a:b]
        if s.strip():
            out.append(Sentence(text=s, section=section, origins=origins[a:b]))
    return out
