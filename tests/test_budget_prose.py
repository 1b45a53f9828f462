"""Budget prose (部门预算 情况说明) into facts, and the budget prose rules.

Rewordings are generated (hypothesis) from the budget grammar — subject, 预算 wording, this
year's budget, its change against last year's budget and the rate — not copied sentences.
Corpus figures come from tests/truth/budgets/*.json, read by hand from the page images.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.checks import RULES
from juesuan.checks.rules_budget_prose import budget_subject, runs_on_budget
from juesuan.model import RawReport, TextLine
from juesuan.narrative import extract_prose
from juesuan.narrative.sentences import join_lines
from test_narrative_grammar import amounts, comma, printed, wrapped
from test_truth_budgets import TRUTH_FILES, _parsed

# (printed subject, canonical subject)
SUBJECTS = (
    ("“三公”经费", "三公"), ("一般公共预算拨款“三公”经费", "三公"), ("公务接待费", "公务接待费"),
    ("因公出国（境）费", "因公出国（境）费"), ("机关运行经费", "机关运行经费"), ("人员经费", "人员经费"),
)
BUDGET_WORDS = ("预算数为", "预算为", "预算支出", "预算")
AGAINST = ("比上年预算", "比2024年预算", "较上年预算", "与上年相比，", "与2024年预算相比，")
PREFIXES = ("", "2025年", "2025年度", "本部门2025年", "上海市普陀区某某局2025年")


@st.composite
def budget_change_sentences(draw: st.DrawFn) -> tuple[str, dict[tuple[str, str], Decimal]]:
    """This year's budget of an item, optionally its change against last year's budget and the rate."""
    name, subject = draw(st.sampled_from(SUBJECTS))
    value = draw(amounts())
    text = f"{draw(st.sampled_from(PREFIXES))}{name}{draw(st.sampled_from(BUDGET_WORDS))}{draw(printed(value))}万元"
    expected = {("本年预算", subject): value}
    if draw(st.booleans()):
        change = draw(amounts(high=max(int(value * 100) - 1, 1)))
        up = draw(st.booleans())
        sign = 1 if up else -1
        text += f"{comma(draw)}{draw(st.sampled_from(AGAINST))}{'增加' if up else '减少'}{draw(printed(change))}万元"
        expected[("增减额", subject)] = sign * change
        if draw(st.booleans()):
            rate = draw(amounts(low=1, high=9999))
            text += f"{comma(draw)}{draw(st.sampled_from(('增长', '上升') if up else ('下降', '降低')))}{draw(printed(rate))}%"
            expected[("增减率", subject)] = sign * rate
    return text + "。", expected


def read_budget(lines: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    text_lines = [TextLine("一、收支预算总体情况", line=1)] + [TextLine(t, line=2 + i) for i, t in enumerate(lines)]
    raw = RawReport(source_file=Path("x"), source_sha256="", input_kind="pdf", pages=1, tables=[], lines=text_lines)
    return extract_prose(raw, "x", budget=True)


@settings(max_examples=150)
@given(st.data())
def test_budget_changes_reworded(data: st.DataObject) -> None:
    text, expected = data.draw(budget_change_sentences())
    lines = data.draw(wrapped(text))
    facts, unplaced = read_budget(lines)
    got = {(f["metric"], f["subject"].replace("“", "").replace("”", "")): f["value"] for f in facts if not f["derived"]}
    want = {(m, s.replace("“", "").replace("”", "")): v for (m, s), v in expected.items()}
    assert got == want, (lines, got)
    assert unplaced == [], lines
    # Last year's budget follows from this year's and the change, never printed.
    subject = next(iter(expected))[1]
    if ("增减额", subject) in expected:
        derived = [f for f in facts if f["derived"] and f["metric"] == "上年预算"]
        assert [f["value"] for f in derived] == [expected[("本年预算", subject)] - expected[("增减额", subject)]]


def test_page_number_across_a_page_break_is_no_digit() -> None:
    lines = [TextLine("因公出国（境）费支出222.5", page=27), TextLine("27", page=27), TextLine("万元，占“三公”经费的26.69%。", page=28)]
    text = join_lines(lines)[0]
    assert "222.5万元" in text and "222.527" not in text
    # A number alone inside a page (a wrapped figure) is kept.
    inside = [TextLine("支出", page=3), TextLine("27", page=3), TextLine("万元。", page=3)]
    assert "27万元" in join_lines(inside)[0]


def test_budget_subjects_fold_department_ordinal_and_budget_words() -> None:
    assert budget_subject("上海市普陀区财政局收入", "上海市普陀区财政局") == "收入"
    assert budget_subject("（1）公务用车购置预算支出数") == "公务用车购置支出"
    assert budget_subject("财政拨款收入预算总计") == "财政拨款收入总计"
    assert budget_subject("“三公”经费") == "三公经费"


def test_which_rules_run_on_a_budget() -> None:
    on_budget = {code for code, r in RULES.items() if runs_on_budget(r)}
    assert "b-narrative-amount" in on_budget and "prose-share" in on_budget and "prose-parts" in on_budget
    # 持平 against a 上年 figure derived from another sentence would misread budget prose.
    assert "prose-comparison" not in on_budget
    # No rule reading a 决算 table (01–09) runs on a budget.
    assert all(r.tables.startswith("B") or not r.tables for r in RULES.values() if runs_on_budget(r))


_PROSE_METRIC = {"个": "数量", "%": "占比"}


@pytest.mark.parametrize("truth_file", TRUTH_FILES, ids=[p.stem for p in TRUTH_FILES])
def test_budget_prose_figures_are_facts(truth_file: Path, corpus: Path) -> None:
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    figures = [f for f in truth["figures"] if f["table_title"] == "prose"]
    if not figures:
        pytest.skip("no prose figures in this file's truth")
    data = _parsed(str(corpus / "budgets"), truth["file"])
    facts = [f for f in data.resources["facts"] if not f["derived"]]
    missing = []
    for figure in figures:
        value = Decimal(figure["printed"].replace(",", "").rstrip("%"))
        metric = _PROSE_METRIC.get(figure["unit"], "本年预算")
        if not any(f["page"] == figure["page"] and f["metric"] == metric and f["value"] == value for f in facts):
            missing.append(f"{figure['key']}: no {metric} fact {value} on page {figure['page']}")
    assert missing == []


@pytest.mark.parametrize("truth_file", TRUTH_FILES, ids=[p.stem for p in TRUTH_FILES])
def test_budget_prose_matches_its_tables(truth_file: Path, corpus: Path) -> None:
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    data = _parsed(str(corpus / "budgets"), truth["file"])
    found = [f for f in data.findings if f.rule == "b-narrative-amount"]
    # Every hand-read table total the prose restates is checked, and none disagrees.
    assert [f.message for f in found if f.severity not in ("pass",)] == []
    assert len([f for f in found if f.severity == "pass"]) >= 10
