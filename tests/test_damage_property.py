"""Property: random damage to a text-export table never raises, is always reported, never moves a value.

A 支出 table is generated with known values (two layouts: rows that line up with the header,
and rows shifted right as the export prints 表02/03), written as export lines, and damaged:
amount cells turned into OCR-like text (`5O8.68`), words, or 30-digit numbers, and rows that
lose their last cell (the export's known fault). The text reader and the normalizer must then
report every damaged cell and put each value they keep only in the column it was printed in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from juesuan.amounts import parse_amount
from juesuan.normalize import table_to_line_items
from juesuan.read.text import lines_to_tables
from juesuan.recognize import recognize

ALIGNED = (
    ["一般公共预算财政拨款支出决算表", "单位：万元", "项 目\t\t本年支出\t\t", "功能分类科目编码\t科目名称\t小计\t基本支出\t项目支出"],
    ["total", "basic", "project"],
)
SHIFTED = (
    ["支出决算表", "单位：万元",
     "项目\t\t\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出\t",
     "支出功能分类科目编码\t科目名称\t\t\t\t\t\t\t\t"],
    ["total", "basic", "project", "to_superior", "operating", "to_affiliated"],
)
CODES = ["2010101", "2010102", "2010350", "2010399", "2060503", "2080505", "2080506", "2210201", "2210202"]
NAMES = ["行政运行", "一般行政管理事务", "事业运行", "其他支出", "科技条件专项", "基本养老保险缴费", "职业年金缴费", "住房公积金"]
OCR = str.maketrans({"0": "O", "1": "l", "5": "S", "8": "B", "6": "b", "2": "Z"})
WORDS = ["缺失", "abc", "见附表", "N/A", "xx"]


def ocr(text: str) -> str:
    damaged = text.translate(OCR)
    return damaged if damaged != text else "O" + text[1:]


@st.composite
def damaged_tables(draw: Any) -> tuple[list[str], list[dict[str, Decimal]], dict[int, set[str]], set[int]]:
    """Return export lines, the true values per row, the damaged text per row, the rows cut short."""
    header, measures = draw(st.sampled_from([ALIGNED, SHIFTED]))
    n = draw(st.integers(min_value=1, max_value=8))
    amounts = st.decimals(min_value=0, max_value=99999, places=2)
    lines = list(header)
    truth: list[dict[str, Decimal]] = []
    damaged: dict[int, set[str]] = {}
    cut: set[int] = set()
    for r in range(n):
        parts = [draw(amounts) for _ in measures[1:]]
        values = [sum(parts, Decimal("0.00")), *parts]
        truth.append(dict(zip(measures, values, strict=True)))
        cells = [format(v, "f") for v in values]
        for c in range(len(cells)):
            kind = draw(st.sampled_from(["none"] * 6 + ["ocr", "word", "huge"]))
            if kind == "ocr":
                cells[c] = ocr(cells[c])
            elif kind == "word":
                cells[c] = draw(st.sampled_from(WORDS))
            elif kind == "huge":
                cells[c] = "1" * 30 + ".00"
            if kind != "none":
                damaged.setdefault(r, set()).add(cells[c])
        if r not in damaged and draw(st.booleans()) and len(cells) > 3:
            cells = cells[:-1]  # the export drops a row's last cell
            cut.add(r)
        code, name = CODES[r % len(CODES)], draw(st.sampled_from(NAMES))
        lead = [code, name] if header is ALIGNED[0] else [code, "", "", name]
        lines.append("\t".join(lead + cells))
    return lines, truth, damaged, cut


@given(damaged_tables())
def test_damage_is_reported_and_never_moves_a_value(case: tuple[list[str], list[dict[str, Decimal]], dict[int, set[str]], set[int]]) -> None:
    lines, truth, damaged, cut = case
    tables, _ = lines_to_tables(lines)
    table = recognize(tables[0])
    assert table is not None
    items = table_to_line_items(table, "r")
    for item in items:
        row = item.row - 1
        if item.measure_id and item.amount is not None:
            # No value in a column it was not printed in.
            assert truth[row][item.measure_id] == item.amount, (lines[4 + row], item)
        if item.amount is None and not item.blank:
            assert item.raw in damaged.get(row, set())
    for row, texts in damaged.items():
        # Every damaged cell is reported: kept as an unreadable cell with its printed text.
        unreadable = {i.raw for i in items if i.row == row + 1 and i.amount is None and not i.blank}
        assert unreadable == texts, (lines[4 + row], texts, unreadable)
    for row in cut:
        kept = [i for i in items if i.row == row + 1]
        assert kept and all(i.measure_id == "" or i.amount == truth[row][i.measure_id] for i in kept)


def test_damage_kinds_are_not_amounts() -> None:
    # The generator's damage must never be a readable amount, or the property would not test anything.
    assert all(parse_amount(ocr(t)) is None for t in ("508.68", "0.00", "1147.99", "3.33"))
    assert all(parse_amount(w) is None for w in WORDS) and parse_amount("1" * 30 + ".00") is None
