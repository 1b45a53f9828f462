"""Structure rules on the printed words: template leftovers anywhere in titles, headings and prose.

`placeholder-text` finds what a department forgot to fill in or to delete from the template:
placeholders (XX, ××, 某某 standing for a name or a number, never inside a Latin word or a code),
both alternatives of the template left (增加（减少）, 增长（下降）, 大于（小于）), a reason or a use
announced and never given (主要原因是。), the template's own instructions (如持平作持平表述,
仍保留该表格式，并在本表下方作下述说明), doubled punctuation (。。，，) and empty brackets.
Missing words are errors (the reader loses information); the rest are warnings.
Runs on 决算 and 预算 reports alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan.checks.base import Checker, Rule, rule
from juesuan.checks.blocks import Block, text_blocks
from juesuan.model import Severity

SENTENCE_END = re.compile(r"[。！？](?![。！？，；])")  # a doubled 。。 ends one sentence, not two
DIRECTIONS = "增加|减少|增长|下降|降低|上升|提高|大于|小于|高于|低于|多于|少于|超过|节约|超支|增|减"


@dataclass(frozen=True)
class Leftover:
    """One kind of template leftover: its pattern, what it means, and how bad it is."""

    kind: str
    pattern: re.Pattern[str]
    severity: Severity
    meaning: str


LEFTOVERS: tuple[Leftover, ...] = (
    Leftover("占位符", re.compile(r"(?<![A-Za-z0-9])(?:[XxＸｘ]{2,}|[×✕╳]{2,}|某某)(?![A-Za-z0-9])"), "error",
             "模板占位符未替换为实际名称或数字"),
    Leftover("两种说法并存", re.compile(rf"({DIRECTIONS})\s*[（(]\s*({DIRECTIONS})\s*[）)]"), "warning",
             "模板的两种说法都保留了，没有按实际情况删去一种"),
    Leftover("原因或用途空缺", re.compile(r"(?:主要原因(?:是|为)?|原因(?:是|为)|主要用于|主要包括)\s*[：:]?\s*(?=[。；;]|$)"), "error",
             "说了“主要原因”或“主要用于”，后面却没有内容"),
    Leftover("模板说明未删", re.compile(r"如持平作持平表述|作持平表述|不涉及的不列|仍保留该表格式|作下述说明|据实填写|此处填写|请填写|"
                                   r"[（(]制度名称[）)]"), "warning", "模板中给填报人的说明文字未删除"),
    Leftover("标点重复", re.compile(r"[。，；、：,;]{2,}"), "warning", "标点重复"),
    Leftover("空括号", re.compile(r"[（(]\s*[）)]|【\s*】|《\s*》|“\s*”|\[\s*\]"), "warning", "括号或引号中没有内容"),
)


def leftovers(block: Block) -> list[tuple[Leftover, list[re.Match[str]]]]:
    """Return the template leftovers of one block, in order: each kind once per sentence, with its matches."""
    found: dict[tuple[str, int], tuple[Leftover, list[re.Match[str]]]] = {}
    for kind in LEFTOVERS:
        for m in kind.pattern.finditer(block.text):
            if kind.kind == "两种说法并存" and m.group(1) == m.group(2):
                continue
            if kind.kind == "原因或用途空缺" and m.end() == len(block.text) and not block.hard_end:
                continue  # an enumerated list follows: the items are the reasons
            sentence = len(SENTENCE_END.findall(block.text, 0, m.start()))
            found.setdefault((kind.kind, sentence), (kind, []))[1].append(m)
    return sorted(found.values(), key=lambda km: km[1][0].start())


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - 18) : end + 12].strip()


@rule("placeholder-text", "", "error", "标题、目录和正文中没有模板遗留（XX、增加（减少）、“主要原因是”后无内容、重复标点）", both=True)
def placeholder_text(ck: Checker, rule: Rule) -> None:
    """Flag template leftovers in every printed line (titles, headings, notes and prose)."""
    blocks = text_blocks(ck.data.raw)
    count = 0
    for block in blocks:
        for kind, matches in leftovers(block):
            first, last = matches[0], matches[-1]
            origin = block.where(first.start())
            where = f"第{origin.page}页" if origin.page else f"第{origin.line}行" if origin.line else ""
            count += 1
            times = f"，本句共 {len(matches)} 处" if len(matches) > 1 else ""
            ck.add(rule, kind.severity, row=first.group(0).strip() or kind.kind, unit="",
                   sources=[{"page": block.where(m.start()).page, "line": block.where(m.start()).line} for m in matches],
                   message=f"{where}“{_excerpt(block.text, first.start(), last.end())}”：{kind.meaning}（{kind.kind}{times}）。")
    if not count and blocks:
        lines = sum(len({id(o) for o in b.origins}) for b in blocks)
        # A pass cites the pages read (PDF); a text export's every line would say nothing more.
        pages = [{"page": b.origins[0].page} for b in blocks if b.origins]
        ck.add(rule, "pass", row="", unit="", sources=pages, message=f"全文 {lines} 行文字中未发现模板遗留（占位符、两种说法并存、空缺的原因、重复标点）。")
