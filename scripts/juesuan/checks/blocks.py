"""The printed text of a report as blocks: wrapped lines joined, headings apart, page numbers out.

Template leftovers and names are looked for in the words as read, not line by line: a PDF
wraps "增长（减" | "少）" and prints a page number between them. A block is a run of lines
joined (each character keeps its source line); a heading (第N部分, 一、, （一）, 1、) starts a
new block, and a block *ends hard* when the next one is a part or top-level heading (or the
text ends), softly when an enumerated item follows (a list may be what the sentence opened).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan.model import RawReport, TextLine
from juesuan.narrative import join_lines
from juesuan.narrative.sentences import ENUMERATOR, PART, SUB_SECTION, TOP_HEADING

PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*)?\d{1,3}(?:\s*[-—–])?\s*$|^\s*第\s*\d{1,3}\s*页\s*$")


@dataclass(slots=True)
class Block:
    """Joined text of consecutive lines, each character's source line, and how it ends."""

    text: str
    origins: list[TextLine]
    hard_end: bool  # the next block is a part or top-level heading, or there is none

    def where(self, pos: int) -> TextLine:
        """Return the source line of a character."""
        return self.origins[min(max(pos, 0), len(self.origins) - 1)] if self.origins else TextLine("")


def _is_heading(text: str) -> bool:
    return bool(PART.match(text) or (TOP_HEADING.match(text) and len(text) <= 40))


def _starts_block(text: str) -> bool:
    return _is_heading(text) or bool(SUB_SECTION.match(text) or ENUMERATOR.match(text))


def text_blocks(raw: RawReport | None) -> list[Block]:
    """Return the report's prose, headings and notes as blocks in reading order."""
    if raw is None:
        return []
    groups: list[list[TextLine]] = []
    for line in raw.lines:
        if not line.text.strip() or PAGE_NUMBER.match(line.text):
            continue
        if not groups or _starts_block(line.text.strip()):
            groups.append([line])
        else:
            groups[-1].append(line)
    blocks = []
    for i, group in enumerate(groups):
        text, origins = join_lines(group)
        following = groups[i + 1][0].text.strip() if i + 1 < len(groups) else ""
        blocks.append(Block(text, origins, hard_end=not following or _is_heading(following)))
    return blocks

