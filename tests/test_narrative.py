"""Narrative facts of 第三部分: expected values typed by hand from the Fuzhou report text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.model import RawReport, TextLine
from juesuan.narrative import check_facts, extract_facts, find_unit_slips
from juesuan.read import read_report

FUZHOU = Path(__file__).resolve().parents[1] / "reports" / "fuzhou-zhihui-fuzhou-center-2024-final.txt"

# (line, subject, metric, value, unit, derived) — every number printed in 第三部分, plus the
# last-year figures the prose implies (this year − change).
F = False
D = True
EXPECTED = [
    (409, "收入总计", "本年决算", "4052.48", "万元", F), (409, "支出总计", "本年决算", "4052.48", "万元", F),
    (409, "收入总计", "增减额", "-765.56", "万元", F), (409, "支出总计", "增减额", "-765.56", "万元", F),
    (409, "收入总计", "增减率", "-15.89", "%", F), (409, "支出总计", "增减率", "-15.89", "%", F),
    (409, "收入总计", "上年决算", "4818.04", "万元", D), (409, "支出总计", "上年决算", "4818.04", "万元", D),
    (413, "收入", "本年决算", "3658.44", "万元", F), (413, "收入", "增减额", "-637.16", "万元", F),
    (413, "收入", "增减率", "-14.83", "%", F), (413, "收入", "上年决算", "4295.60", "万元", D),
    (415, "一般公共预算财政拨款收入", "本年决算", "3658.44", "万元", F),
    (416, "政府性基金预算财政拨款收入", "本年决算", "0.00", "万元", F),
    (417, "国有资本经营预算财政拨款收入", "本年决算", "0.00", "万元", F),
    (418, "上级补助收入", "本年决算", "0.00", "万元", F),
    (419, "事业收入", "本年决算", "0.00", "万元", F),
    (420, "经营收入", "本年决算", "0.00", "万元", F),
    (421, "附属单位上缴收入", "本年决算", "0.00", "万元", F),
    (422, "其他收入", "本年决算", "0.00", "万元", F),
    (426, "支出", "本年决算", "3982.04", "万元", F), (426, "支出", "增减额", "-437.31", "万元", F),
    (426, "支出", "增减率", "-9.90", "%", F), (426, "支出", "上年决算", "4419.35", "万元", D),
    (428, "基本支出", "本年决算", "702.61", "万元", F), (428, "人员支出", "本年决算", "670.96", "万元", F),
    (428, "公用支出", "本年决算", "31.64", "万元", F), (429, "项目支出", "本年决算", "3279.44", "万元", F),
    (431, "上缴上级支出", "本年决算", "0.00", "万元", F), (432, "经营支出", "本年决算", "0.00", "万元", F),
    (433, "对附属单位补助支出", "本年决算", "0.00", "万元", F),
    (437, "财政拨款收入总计", "本年决算", "3693.88", "万元", F), (437, "支出总计", "本年决算", "3693.88", "万元", F),
    (437, "财政拨款收入总计", "增减额", "-637.16", "万元", F), (437, "支出总计", "增减额", "-637.16", "万元", F),
    (437, "财政拨款收入总计", "增减率", "-14.71", "%", F), (437, "支出总计", "增减率", "-14.71", "%", F),
    (437, "财政拨款收入总计", "上年决算", "4331.04", "万元", D), (437, "支出总计", "上年决算", "4331.04", "万元", D),
    (441, "一般公共预算拨款支出", "本年决算", "3658.44", "万元", F),
    (441, "一般公共预算拨款支出", "增减额", "-637.16", "万元", F),
    (441, "一般公共预算拨款支出", "增减率", "-14.83", "%", F),
    (441, "一般公共预算拨款支出", "上年决算", "4295.60", "万元", D),
    (443, "2010350 事业运行", "本年决算", "508.68", "万元", F), (443, "2010350 事业运行", "增减额", "17.03", "万元", F),
    (443, "2010350 事业运行", "增减率", "3.46", "%", F), (443, "2010350 事业运行", "上年决算", "491.65", "万元", D),
    (445, "2010399 其他政府办公厅（室）及相关机构事务支出", "本年决算", "639.31", "万元", F),
    (445, "2010399 其他政府办公厅（室）及相关机构事务支出", "增减额", "-1360.10", "万元", F),
    (445, "2010399 其他政府办公厅（室）及相关机构事务支出", "增减率", "-68.03", "%", F),
    (445, "2010399 其他政府办公厅（室）及相关机构事务支出", "上年决算", "1999.41", "万元", D),
    (447, "2060503 科技条件专项", "本年决算", "2316.53", "万元", F),
    (447, "2060503 科技条件专项", "增减额", "668.46", "万元", F),
    (447, "2060503 科技条件专项", "增减率", "40.56", "%", F),
    (447, "2060503 科技条件专项", "上年决算", "1648.07", "万元", D),
    (449, "2080505 机关事业单位基本养老保险缴费支出", "本年决算", "56.46", "万元", F),
    (449, "2080505 机关事业单位基本养老保险缴费支出", "增减额", "21.07", "万元", F),
    (449, "2080505 机关事业单位基本养老保险缴费支出", "增减率", "59.52", "%", F),
    (449, "2080505 机关事业单位基本养老保险缴费支出", "上年决算", "35.39", "万元", D),
    (451, "2080506 机关事业单位职业年金缴费支出", "本年决算", "28.41", "万元", F),
    (451, "2080506 机关事业单位职业年金缴费支出", "增减额", "10.89", "万元", F),
    (451, "2080506 机关事业单位职业年金缴费支出", "增减率", "62.16", "%", F),
    (451, "2080506 机关事业单位职业年金缴费支出", "上年决算", "17.52", "万元", D),
    (453, "2210201 住房公积金", "本年决算", "51.86", "万元", F), (453, "2210201 住房公积金", "增减额", "3.16", "万元", F),
    (453, "2210201 住房公积金", "增减率", "6.49", "%", F), (453, "2210201 住房公积金", "上年决算", "48.70", "万元", D),
    (455, "2210202 提租补贴", "本年决算", "9.49", "万元", F), (455, "2210202 提租补贴", "增减额", "-0.22", "万元", F),
    (455, "2210202 提租补贴", "增减率", "-2.26", "%", F), (455, "2210202 提租补贴", "上年决算", "9.71", "万元", D),
    (457, "2210203 购房补贴", "本年决算", "47.69", "万元", F), (457, "2210203 购房补贴", "增减额", "2.55", "万元", F),
    (457, "2210203 购房补贴", "增减率", "5.65", "%", F), (457, "2210203 购房补贴", "上年决算", "45.14", "万元", D),
    (461, "政府性基金支出", "本年决算", "0.00", "万元", F), (461, "政府性基金支出", "增减额", "0.00", "万元", F),
    (461, "政府性基金支出", "上年决算", "0.00", "万元", D),
    (467, "国有资本经营预算支出", "本年决算", "0.00", "万元", F),
    (467, "国有资本经营预算支出", "增减额", "0.00", "万元", F),
    (467, "国有资本经营预算支出", "上年决算", "0.00", "万元", D),
    (473, "一般公共预算财政拨款基本支出", "本年决算", "702.61", "万元", F),
    (475, "人员经费", "本年决算", "670.96", "万元", F), (477, "公用经费", "本年决算", "31.64", "万元", F),
    (481, "三公", "本年决算", "2.26", "万元", F), (481, "三公", "完成预算率", "100", "%", F),
    (481, "三公", "增减额", "-0.52", "万元", F), (481, "三公", "增减率", "-18.70", "%", F),
    (481, "三公", "上年决算", "2.78", "万元", D),
    (483, "因公出国（境）费", "本年决算", "0.00", "万元", F), (483, "因公出国（境）费", "增减额", "0.00", "万元", F),
    (483, "因公出国（境）费", "上年决算", "0.00", "万元", D),
    (483, "本部门组织的出国团组", "数量", "0", "个", F), (483, "参加其他部门出国团组", "数量", "0", "个", F),
    (483, "因公出国（境）", "数量", "0", "人次", F),
    (485, "公务用车购置及运行维护费", "本年决算", "2.08", "万元", F),
    (485, "公务用车购置及运行维护费", "完成预算率", "100", "%", F),
    (485, "公务用车购置及运行维护费", "增减额", "-0.61", "万元", F),
    (485, "公务用车购置及运行维护费", "增减率", "-22.68", "%", F),
    (485, "公务用车购置及运行维护费", "上年决算", "2.69", "万元", D),
    (487, "公务用车购置费", "本年决算", "0.00", "万元", F), (487, "公务用车购置费", "增减额", "0.00", "万元", F),
    (487, "公务用车购置费", "上年决算", "0.00", "万元", D), (487, "公务用车购置", "数量", "0", "辆", F),
    (489, "公务用车运行维护费", "本年决算", "2.08", "万元", F), (489, "公务用车运行维护费", "完成预算率", "100", "%", F),
    (489, "公务用车运行维护费", "增减额", "-0.61", "万元", F), (489, "公务用车运行维护费", "增减率", "-22.68", "%", F),
    (489, "公务用车运行维护费", "上年决算", "2.69", "万元", D), (489, "公务用车保有量", "数量", "2", "辆", F),
    (491, "公务接待费", "本年决算", "0.18", "万元", F), (491, "公务接待费", "完成预算率", "100", "%", F),
    (491, "公务接待费", "增减额", "0.09", "万元", F), (491, "公务接待费", "增减率", "100.00", "%", F),
    (491, "公务接待费", "上年决算", "0.09", "万元", D),
    (491, "接待", "数量", "1", "批次", F), (491, "接待", "数量", "9", "人次", F),
    (495, "单位自评项目", "数量", "12", "个", F), (497, "部门评价项目", "数量", "0", "个", F),
    (497, "部门评价项目", "涉及资金", "0", "万元", F),
    (497, "评价结果等次为“优”的项目", "数量", "0", "个", F), (497, "评价结果等次为“良”的项目", "数量", "0", "个", F),
    (497, "评价结果等次为“中”的项目", "数量", "0", "个", F), (497, "评价结果等次为“差”的项目", "数量", "0", "个", F),
    (501, "部门整体支出绩效自评", "涉及资金", "4734.35", "万元", F),
    (507, "机关运行经费", "本年决算", "0.00", "万元", F),
    (511, "政府采购", "本年决算", "3094.51", "万元", F), (511, "政府采购货物", "本年决算", "5.76", "万元", F),
    (511, "政府采购工程", "本年决算", "0.00", "万元", F), (511, "政府采购服务", "本年决算", "3088.75", "万元", F),
    (511, "授予中小企业合同", "本年决算", "1195.76", "万元", F), (511, "授予中小企业合同", "占比", "38.64", "%", F),
    (511, "授予小微企业合同", "本年决算", "5.76", "万元", F), (511, "授予小微企业合同", "占比", "0.48", "%", F),
    (511, "政府采购货物授予中小企业", "占比", "0.00", "%", F),
    (511, "政府采购工程授予中小企业", "占比", "0.00", "%", F),
    (511, "政府采购服务授予中小企业", "占比", "0.00", "%", F),
    (515, "车辆", "数量", "2", "辆", F), (515, "副部（省）级以上领导用车", "数量", "0", "辆", F),
    (515, "主要领导干部用车", "数量", "0", "辆", F), (515, "机要通信用车", "数量", "1", "辆", F),
    (515, "应急保障用车", "数量", "1", "辆", F), (515, "执法执勤用车", "数量", "0", "辆", F),
    (515, "特种专业技术用车", "数量", "0", "辆", F), (515, "离退休干部用车", "数量", "0", "辆", F),
    (515, "其他用车", "数量", "0", "辆", F), (515, "单位价值100万元以上设备", "数量", "5", "台（套）", F),
]


def _key(line: int, subject: str, metric: str, value: str, unit: str, derived: bool) -> tuple:
    return (line, subject, metric, Decimal(value), unit, derived)


@pytest.fixture(scope="module")
def facts() -> list[dict]:
    return extract_facts(read_report(FUZHOU), "fuzhou")


def test_every_fuzhou_fact_matches_hand_typed(facts: list[dict]) -> None:
    got = sorted((f["line"], f["subject"], f["metric"], f["value"], f["unit"], f["derived"]) for f in facts)
    expected = sorted(_key(*e) for e in EXPECTED)
    assert [g for g in got if g not in expected] == []
    assert [e for e in expected if e not in got] == []
    assert len(got) == len(expected) == 147


def test_facts_carry_section_sentence_and_seq(facts: list[dict]) -> None:
    assert [f["seq"] for f in facts] == list(range(1, len(facts) + 1))
    f = next(f for f in facts if f["subject"] == "2010350 事业运行" and f["metric"] == "上年决算")
    assert f["section"] == "三、一般公共预算财政拨款支出决算情况说明"
    assert f["sentence"].startswith("（一）2010350-事业运行 508.68 万元，较上年决算数增加 17.03 万元")
    assert f["value"] == Decimal("491.65") and f["derived"] is True and f["page"] is None
    assert {f["section"] for f in facts} >= {"一、收入支出决算总体情况说明", "九、其他重要事项说明"}


def test_change_consistency_findings(facts: list[dict]) -> None:
    listed = check_facts(facts, "fuzhou")
    assert len(listed) == 19  # 支出总计 is checked twice: in 一、 and in 二、
    findings = {f.row: f for f in listed}
    assert findings["2010350 事业运行"].lines == "443"
    assert findings["2010350 事业运行"].severity == "pass"
    assert findings["2010350 事业运行"].expected == Decimal("3.46")
    # 0.52 / 2.78 = 18.705…% prints as 18.70: explained by the amounts' own rounding.
    assert findings["三公"].severity == "rounding"
    assert (findings["三公"].expected, findings["三公"].actual) == (Decimal("-18.71"), Decimal("-18.70"))
    assert findings["2080505 机关事业单位基本养老保险缴费支出"].severity == "rounding"
    assert all(f.rule == "narrative-change-consistent" for f in findings.values())
    assert sum(f.severity == "error" for f in findings.values()) == 0


def test_inconsistent_change_is_an_error() -> None:
    lines = [TextLine("第三部分", line=1), TextLine("一、收入支出决算总体情况说明", line=2),
             TextLine("2024年度收入总计100.00万元，比上年决算数增加10.00万元，增长20.00%。", line=3)]
    raw = RawReport(source_file=Path("x"), source_sha256="", input_kind="text", pages=None, tables=[], lines=lines)
    facts = extract_facts(raw, "x")
    last = next(f for f in facts if f["metric"] == "上年决算")
    assert last["value"] == Decimal("90.00")
    (finding,) = check_facts(facts, "x")
    assert finding.severity == "error" and finding.expected == Decimal("11.11")


def test_rate_only_change_derives_last_year() -> None:
    lines = [TextLine("第三部分", page=5), TextLine("十一、其他重要事项的情况说明", page=5),
             TextLine("机关运行经费支出184.65万元，比2023年度增长", page=5), TextLine("1.40%。", page=6)]
    raw = RawReport(source_file=Path("x"), source_sha256="", input_kind="pdf", pages=6, tables=[], lines=lines)
    facts = {(f["metric"], f["derived"]): f for f in extract_facts(raw, "x")}
    assert facts[("上年决算", True)]["value"] == Decimal("182.10")
    assert facts[("增减率", False)]["value"] == Decimal("1.40") and facts[("增减率", False)]["page"] == 6


def test_unit_slip_flagged_not_stored(facts: list[dict]) -> None:
    slips = find_unit_slips(read_report(FUZHOU), "fuzhou")
    assert [(s.row, s.actual, s.severity, s.rule) for s in slips] == [
        ("注册用户数", Decimal("1150"), "warning", "narrative-unit-slip")
    ]
    assert "第732行" in slips[0].message
    assert not any(f["value"] == Decimal("1150") for f in facts)


def test_odd_input_never_raises() -> None:
    raw = RawReport(source_file=Path("x"), source_sha256="", input_kind="pdf", pages=0, tables=[], lines=[])
    assert extract_facts(raw, "x") == []
    assert check_facts([], "x") == [] and find_unit_slips(raw, "x") == []


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BUREAU = CORPUS / "shanghai-putuo-finance-bureau-2024-final.pdf"


@pytest.mark.corpus
@pytest.mark.skipif(not BUREAU.is_file(), reason="needs ../shared/corpus (the Shanghai finance-bureau PDF)")
def test_shanghai_bureau_facts_typed_from_pages() -> None:
    facts = extract_facts(read_report(BUREAU), "bureau")
    got = {(f["subject"], f["metric"], f["value"], f["derived"]) for f in facts}
    expected = {  # typed by hand, checked against the page images (第三部分, 十、十一、)
        ("收入支出总计", "本年决算", Decimal("2995.39"), False),
        ("收入支出总计", "增减额", Decimal("-56.95"), False),
        ("收入支出总计", "增减率", Decimal("-1.87"), False),
        ("收入支出总计", "上年决算", Decimal("3052.34"), True),
        ("机关运行经费", "本年决算", Decimal("184.65"), False),
        ("机关运行经费", "增减额", Decimal("2.55"), False),
        ("机关运行经费", "增减率", Decimal("1.40"), False),
        ("机关运行经费", "上年决算", Decimal("182.10"), True),
        ("政府采购", "本年决算", Decimal("251.25"), False),
        ("政府采购货物", "本年决算", Decimal("4.79"), False),
        ("政府采购工程", "本年决算", Decimal("0"), False),
        ("政府采购服务", "本年决算", Decimal("246.47"), False),
        ("单位价值100万元以上设备", "数量", Decimal("2"), False),
        ("绩效评级为“优”的项目", "数量", Decimal("4"), False),
        ("绩效自评的项目", "平均得分", Decimal("99.43"), False),
    }
    assert expected - got == set()
    assert {f.severity for f in check_facts(facts, "bureau")} <= {"pass", "rounding"}
