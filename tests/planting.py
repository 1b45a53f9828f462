"""Plant errors into copies of real reports: a small library of `plant_<kind>(text) -> text` edits.

Each edit is a class of mistake a department makes or a reviewer plants, written as a pattern
over report text (the text export, or one line of a PDF's text layer), never as one sentence:
it returns the text unchanged where its pattern does not occur. `KINDS` maps each kind to the
edit and the rule that must find it; other helpers add kinds here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

Plant = Callable[[str], str]


def _bump(m: re.Match[str], group: str, by: str) -> str:
    """Return the match with one number group increased (keeping its printed decimals)."""
    old = m.group(group)
    new = Decimal(old) + Decimal(by)
    start, end = m.span(group)
    whole = m.group(0)
    return whole[: start - m.start()] + f"{new:.{len(old.split('.')[1]) if '.' in old else 0}f}" + whole[end - m.start():]


def _sub_first(pattern: str, repl: Callable[[re.Match[str]], str], text: str) -> str:
    return re.sub(pattern, repl, text, count=1)


def plant_comparison(text: str) -> str:
    """Make a comparison word contradict its figures: 小于预算数 → 大于预算数, or a 持平 change non-zero."""
    if re.search(r"决算数?小于(?:全年|年初)?预算数", text):
        return re.sub(r"(决算数?)小于((?:全年|年初)?预算数)", r"\1大于\2", text, count=1)
    return _sub_first(r"(?:增加|减少)\s*(?P<n>0\.00)\s*万元[，,]\s*与上年决算数?持平",
                      lambda m: _bump(m, "n", "3.00"), text)


def plant_direction(text: str) -> str:
    """Print a rise of the amount as a fall of the rate: 增加 X 万元，增长 Y% → 增加 X 万元，下降 Y%."""
    return re.sub(r"(增加\s*[1-9][\d.]*\s*万元[，,]\s*)增长", r"\1下降", text, count=1)


def plant_share(text: str) -> str:
    """Misstate a share: 占…X% → 占…(X+5)%."""
    return _sub_first(r"占[^%。；;\d]{0,24}?(?P<n>\d{1,2}\.\d{2})\s*%", lambda m: _bump(m, "n", "5"), text)


def plant_parts(text: str) -> str:
    """Make a listed part disagree with its total: 货物 … X 万元 → X+1.00."""
    return _sub_first(r"货物(?:采购)?(?:支出|金额)\s*(?P<n>\d+(?:\.\d+)?)\s*万元", lambda m: _bump(m, "n", "1.00"), text)


def plant_three_public_budget(text: str) -> str:
    """Misstate the prose's 三公 budget against 表07: “三公”…预算为 X 万元 → X+1.00."""
    return _sub_first(r"“三公”经费[^。；]{0,20}?预算(?:数)?为\s*(?P<n>\d+(?:\.\d+)?)\s*万元",
                      lambda m: _bump(m, "n", "1.00"), text)


def plant_placeholder(text: str) -> str:
    """Leave a template placeholder for an amount: 收入总计 4052.48 万元 → XX 万元."""
    return re.sub(r"(?<=[计出入为])\s*\d+(?:\.\d+)?(?=\s*万元)", "XX", text, count=1)


def plant_alternatives(text: str) -> str:
    """Keep both alternatives of the template: …减少 X 万元 → 减少（增加）X 万元."""
    return re.sub(r"(增加|减少)(?=\s*[1-9][\d.]*\s*万元)",
                  lambda m: m.group(1) + ("（减少）" if m.group(1) == "增加" else "（增加）"), text, count=1)


def plant_empty_reason(text: str) -> str:
    """Announce a reason and give none: 主要原因是人员支出增加。 → 主要原因是。"""
    return re.sub(r"主要原因(是|：|:)[^。；\n]{2,60}。", r"主要原因\1。", text, count=1)


def plant_doubled_punctuation(text: str) -> str:
    """Double a full stop after an amount sentence: …万元。 → …万元。。"""
    return re.sub(r"(万元)。", r"\1。。", text, count=1)


def plant_completion_rate(text: str) -> str:
    """Misstate a completion rate: 完成年初预算的 98.20% → 101.20%."""
    # A PDF line may start inside 完成 ("成年初预算的98.20%").
    return _sub_first(r"成(?:年初|全年)?预算(?:数)?的\s*(?P<n>\d+\.\d+)\s*%", lambda m: _bump(m, "n", "3"), text)


def plant_year(text: str) -> str:
    """Print last year as the comparison base one year off: 与2023年度相比 → 与2022年度相比."""
    return _sub_first(r"(?:与|比|较)\s*(?P<n>20\d{2})\s*年", lambda m: _bump(m, "n", "-1"), text)


KINDS: dict[str, tuple[Plant, str]] = {
    "completion-rate": (plant_completion_rate, "prose-completion-rate"),
    "year": (plant_year, "year-consistency"),
    "placeholder": (plant_placeholder, "placeholder-text"),
    "alternatives": (plant_alternatives, "placeholder-text"),
    "empty-reason": (plant_empty_reason, "placeholder-text"),
    "doubled-punctuation": (plant_doubled_punctuation, "placeholder-text"),
    "comparison": (plant_comparison, "prose-comparison"),
    "direction": (plant_direction, "prose-direction"),
    "share": (plant_share, "prose-share"),
    "parts": (plant_parts, "prose-parts"),
    "three-public-budget": (plant_three_public_budget, "prose-three-public-table"),
}


def plant_lines(lines: list[str], plant: Plant) -> tuple[list[str], int | None]:
    """Apply an edit to the first line it changes; return the lines and that line's index."""
    for i, line in enumerate(lines):
        new = plant(line)
        if new != line:
            return [*lines[:i], new, *lines[i + 1 :]], i
    return lines, None
