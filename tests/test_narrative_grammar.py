"""Generated rewordings of every sentence kind the prose grammar reads.

Each strategy builds one sentence kind from its parts (subject, metric words, direction, value,
unit) with the freedoms real reports take: word order, optional 的/为/是, a who-and-when
prefix, full-width or half-width digits and punctuation, thousands separators, spaces, and line
breaks anywhere (inside numbers and words). The expected facts come from the parts, never from
the extractor.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.model import RawReport, TextLine
from juesuan.narrative import extract_prose

FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
PREFIXES = ("", "2024年度", "2024 年度", "本部门2024年度", "上海市普陀区某某局2024年度", "全年")
# (printed name, canonical subject)
SUBJECTS = (
    ("“三公”经费支出", "三公"), ("一般公共预算拨款“三公”经费支出", "三公"), ("公务接待费支出", "公务接待费"),
    ("因公出国（境）费支出", "因公出国（境）费"), ("公务用车购置及运行维护费支出", "公务用车购置及运行维护费"),
    ("机关运行经费支出", "机关运行经费"), ("收入总计", "收入总计"), ("支出合计", "支出合计"),
    ("政府采购支出总额", "政府采购"), ("人员经费", "人员经费"),
)
AGAINST = ("比上年决算数", "较上年", "比2023年度", "较上年决算", "与上年相比，", "同比")


def amounts(places: int = 2, low: int = 1, high: int = 999999) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-places))


@st.composite
def printed(draw: st.DrawFn, value: Decimal) -> str:
    """Print a number as reports do: thousands separators, full-width digits, spaces."""
    text = f"{value:,}" if draw(st.booleans()) and value >= 1000 else f"{value}"
    if draw(st.booleans()):
        text = text.translate(FULL)
    return text + draw(st.sampled_from(("", " ")))


@st.composite
def wrapped(draw: st.DrawFn, sentence: str) -> list[str]:
    """Cut a sentence into source lines at random places (inside numbers and words too)."""
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(sentence) - 1)), max_size=3)))
    pieces, start = [], 0
    for c in [*cuts, len(sentence)]:
        pieces.append(sentence[start:c])
        start = c
    return [p for p in pieces if p.strip()]


def comma(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(("，", ",", "，")))


@st.composite
def change_sentences(draw: st.DrawFn) -> tuple[str, dict[tuple[str, str], Decimal]]:
    """This year's figure, its change and rate, in either word order."""
    name, subject = draw(st.sampled_from(SUBJECTS))
    value = draw(amounts())
    change = draw(amounts(high=int(value * 100) - 1)) if value > Decimal("0.01") else Decimal("0.00")
    rate = draw(amounts(low=1, high=9999))
    up = draw(st.booleans())
    amount_verb = "增加" if up else "减少"
    rate_verb = draw(st.sampled_from(("增长", "上升") if up else ("下降", "降低")))
    copula = draw(st.sampled_from(("", "为", "是", "共计")))
    prefix = draw(st.sampled_from(PREFIXES))
    c = comma(draw)
    sign = 1 if up else -1
    expected = {("增减额", subject): sign * change, ("增减率", subject): sign * rate}
    v, d, r = draw(printed(value)), draw(printed(change)), draw(printed(rate))
    if draw(st.booleans()):
        against = draw(st.sampled_from(AGAINST))
        text = f"{prefix}{name}{copula}{v}万元{c}{against}{amount_verb}{d}万元{c}{rate_verb}{r}%。"
        expected[("本年决算", subject)] = value
    else:
        # The change named first, without this year's figure: 0.15 is a change, never the amount.
        decision = draw(st.sampled_from(("", "决算"))) if name.endswith("支出") else ""
        text = f"与2023年度相比{c}{name}{decision}{amount_verb}{d}万元{c}{rate_verb}{r}%。"
    return text, expected


@st.composite
def count_sentences(draw: st.DrawFn) -> tuple[str, dict[tuple[str, str], Decimal]]:
    """Counts with their noun before or after them, and 分别 lists."""
    n = draw(st.integers(0, 99))
    kind = draw(st.sampled_from(("after", "before", "list")))
    if kind == "after":
        verb = draw(st.sampled_from(("实施", "开展", "进行")))
        text = f"{draw(st.sampled_from(('', '本部门组织', '按要求')))}对{draw(st.sampled_from(('', '2024年度', '2024 年度 ')))}{n}个项目{verb}单位自评。"
        return text, {("数量", "单位自评项目"): Decimal(n)}
    if kind == "before":
        noun = draw(st.sampled_from(("机要通信用车", "应急保障用车", "车辆")))
        text = f"{draw(st.sampled_from(('截至2024年12月31日，本部门共有', '其中：', '')))}{noun}{draw(st.sampled_from(('', '为')))}{n}辆。"
        return text, {("数量", noun): Decimal(n)}
    grades = draw(st.lists(st.integers(0, 30), min_size=4, max_size=4))
    labels = ("优", "良", "中", "差")
    quoted = draw(st.booleans())
    items = "".join(f"“{g}”" for g in labels) if quoted else "、".join(labels)
    verb = draw(st.sampled_from(("分别是", "分别为", "分别")))
    sep = draw(st.sampled_from(("、", "，")))
    text = f"评价结果为{items}的项目{verb}{sep.join(f'{g}个' for g in grades)}。"
    return text, {("数量", f"评价结果为{label}的项目"): Decimal(g) for label, g in zip(labels, grades, strict=True)}


@st.composite
def share_sentences(draw: st.DrawFn) -> tuple[str, dict[tuple[str, str], Decimal]]:
    """An amount and its share of a named total."""
    value, share = draw(amounts()), draw(amounts(high=10000))
    c = comma(draw)
    base = draw(st.sampled_from(("政府采购支出总额", "本年支出合计")))
    of = draw(st.sampled_from(("的", "")))
    text = f"授予中小企业合同金额{draw(st.sampled_from(('', '为')))}{draw(printed(value))}万元{c}占{base}{of}{draw(printed(share))}%。"
    return text, {("本年决算", "授予中小企业合同"): value, ("占比", "授予中小企业合同"): share}


@st.composite
def budget_sentences(draw: st.DrawFn) -> tuple[str, dict[tuple[str, str], Decimal]]:
    """A 决算 report's budget and execution figures of one item."""
    budget, actual, rate = draw(amounts()), draw(amounts()), draw(amounts(high=10000))
    c = comma(draw)
    kind = draw(st.sampled_from(("年初预算", "全年预算", "调整预算")))
    text = (f"“三公”经费财政拨款支出{kind}{draw(st.sampled_from(('为', '', '数为')))}{draw(printed(budget))}万元{c}"
            f"支出决算{draw(st.sampled_from(('为', '')))}{draw(printed(actual))}万元{c}完成{kind}的{draw(printed(rate))}%。")
    rate_metric = "完成年初预算率" if kind == "年初预算" else "完成预算率"
    return text, {(kind, "三公"): budget, ("本年决算", "三公"): actual, (rate_metric, "三公"): rate}


def read(lines: list[str]) -> tuple[list[dict], list[dict]]:
    text_lines = [TextLine("第三部分", line=1), TextLine("七、情况说明", line=2)]
    text_lines += [TextLine(t, line=3 + i) for i, t in enumerate(lines)]
    raw = RawReport(source_file=Path("x"), source_sha256="", input_kind="pdf", pages=1, tables=[], lines=text_lines)
    return extract_prose(raw, "x")


def check(draw: st.DrawFn, sentence: tuple[str, dict[tuple[str, str], Decimal]]) -> None:
    text, expected = sentence
    lines = draw(wrapped(text))
    facts, unplaced = read(lines)
    got = {(f["metric"], f["subject"].replace("“", "").replace("”", "")): f["value"] for f in facts if not f["derived"]}
    want = {(m, s.replace("“", "").replace("”", "")): v for (m, s), v in expected.items()}
    assert got == want, (lines, got)
    assert unplaced == [], lines


@settings(max_examples=150)
@given(st.data())
def test_changes_reworded(data: st.DataObject) -> None:
    check(data.draw, data.draw(change_sentences()))


@settings(max_examples=100)
@given(st.data())
def test_counts_reworded(data: st.DataObject) -> None:
    check(data.draw, data.draw(count_sentences()))


@settings(max_examples=80)
@given(st.data())
def test_shares_reworded(data: st.DataObject) -> None:
    check(data.draw, data.draw(share_sentences()))


@settings(max_examples=80)
@given(st.data())
def test_budget_execution_reworded(data: st.DataObject) -> None:
    check(data.draw, data.draw(budget_sentences()))


def test_change_named_first_is_never_the_amount() -> None:
    """The false error of issue 10: 0.15 is the change, not this year's 公务接待费."""
    facts, _ = read(["公务接待费支出决算减少0.15万元，下降27.78%。"])
    assert [(f["metric"], f["value"]) for f in facts] == [("增减额", Decimal("-0.15")), ("增减率", Decimal("-27.78"))]


def test_unreadable_number_is_unplaced_not_guessed() -> None:
    facts, unplaced = read(["公务用车购置费0万元，与2024年预算一致0万元。", "其中3.5用于培训。"])
    assert [(f["subject"], f["metric"], f["value"]) for f in facts] == [("公务用车购置费", "本年决算", Decimal("0"))]
    assert [(u["text"], u["value"], u["line"]) for u in unplaced] == [("0万元", Decimal("0"), 3), ("3.5", Decimal("3.5"), 4)]
