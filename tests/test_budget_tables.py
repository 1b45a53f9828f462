"""The budget catalogue and budget table recognition: titles, headers, columns, amounts in 元."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.catalog_budget import match_budget_measure, match_budget_title, match_report_title
from juesuan.model import RawCell, RawTable
from juesuan.normalize import table_to_line_items
from juesuan.pipeline import cell_warnings, drop_repeated_headers, standard_tables
from juesuan.recognize import split_at_heading_rows
from juesuan.recognize_budget import recognize_budget


def _row(*texts: str) -> list[RawCell]:
    return [RawCell(t, page=4) for t in texts]


@pytest.mark.parametrize(
    ("title", "table"),
    [
        ("2025年部门财务收支预算总表", "B01"),
        ("2025 年 预算单位财务收支预算总表", "B01"),
        ("收支预算总表", "B01"),
        ("2023年部门收入预算总表", "B02"),
        ("收入预算总表", "B02"),
        ("2026年部门支出预算总表", "B03"),
        ("2025年预算单位财政拨款收支预算总表", "B04"),
        ("2025年部门一般公共预算支出功能分类预算表", "B05"),
        ("公开07表一般公共预算支出预算表（功能科目）", "B05"),
        ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "B06"),
        ("公开08表一般公共预算基本支出预算表（经济科目）", "B06"),
        ("2025年单位“三公”经费和机关运行经费预算表", "B07"),
        ("“三公”经费、会议费、培训费支出预算表", "B07"),
        ("2025年部门政府性基金预算支出功能分类预算表", "B08"),
        ("政府性基金预算财政拨款支出预算表", "B08"),
        ("2025年部门国有资本经营预算支出功能分类预算表", "B09"),
        ("公开05表财政拨款支出预算表（功能科目）", "B10"),
        ("财政拨款基本支出预算表(经济科目)", "B11"),
        ("公开11表一般公共预算机关运行经费支出预算表", "B12"),
        ("2018年政府采购预算表", "B13"),
    ],
)
def test_budget_titles_of_both_templates_are_known(title: str, table: str) -> None:
    assert match_budget_title(title) == table
    assert match_report_title(title) == table


@pytest.mark.parametrize(
    "text",
    [
        "一、收支预算总表",  # a contents line
        "第二部分2018年度部门预算表",
        "收入支出决算总表",  # a 决算 title is not a budget title
        "2025年部门收支预算总表的说明",
        "",
    ],
)
def test_other_lines_are_not_budget_titles(text: str) -> None:
    assert match_budget_title(text) is None


def test_final_titles_keep_their_numbers_in_the_joint_matcher() -> None:
    assert match_report_title("收入支出决算总表") == "01"


@pytest.mark.parametrize(
    ("table", "path", "measure"),
    [
        ("B01", "本年支出/预算数", "amount"),
        ("B01", "本年支出/预算数/基本支出/人员经费", "personnel"),
        ("B01", "支出/功能分类/金额", "amount"),
        ("B07", "“三公”经费预算数/合计", "three_public_total"),
        ("B07", "2023年“三公”经费预算数/合计", "three_public_total"),
        ("B07", "“三公”经费/小计", "three_public_total"),
        ("B07", "合计", "grand_total"),  # Jiangsu: 三公 + 会议费 + 培训费
        ("B07", "“三公”经费/公务用车购置及运行维护费/小计", "vehicles"),
        ("B07", "“三公”经费预算数/公务用车购置及运行费/购置费", "vehicle_purchase"),
        ("B07", "2023年机关运行经费预算数", "operating_expenses"),
        ("B05", "一般公共预算支出/合计", "total"),
        ("B02", "收入预算/事业单位经营收入", "operating"),
        ("B03", "单位预留机动经费", "reserve"),
        ("B05", "一般公共预算支出/上年预算数", "previous"),
        ("B05", "一般公共预算支出/说不清", ""),
    ],
)
def test_budget_measures_by_header_path(table: str, path: str, measure: str) -> None:
    assert match_budget_measure(table, path) == measure


def _shanghai_05(rows: list[list[RawCell]], unit: str = "元") -> RawTable:
    header = [
        _row("项目", "", "", "", "一般公共预算支出", "", ""),
        _row("功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"),
        _row("类", "款", "项", "", "", "", ""),
    ]
    return RawTable(title="2025年部门一般公共预算支出功能分类预算表", rows=header + rows, unit=unit, page=4)


def test_yuan_integers_with_separators_split_codes_and_zeros_are_read_exactly() -> None:
    raw = _shanghai_05(
        [
            _row("", "", "", "合计", "31,214,206", "12,000,000", "19,214,206"),
            _row("201", "", "", "一般公共服务支出", "31,214,206", "12,000,000", "19,214,206"),
            _row("201", "06", "", "财政事务", "0", "", "0.00"),
        ]
    )
    table = recognize_budget(raw)
    assert table is not None and table.number == "B05" and not table.empty
    items = table_to_line_items(table, "r", fallback_unit="元")
    got = {(i.code, i.measure_id): (i.raw, i.amount, i.blank) for i in items}
    assert got[("", "total")] == ("31,214,206", Decimal("3121.4206"), False)
    assert got[("201", "project")] == ("19,214,206", Decimal("1921.4206"), False)
    assert got[("20106", "total")][0] == "0" and got[("20106", "total")][2] is False
    assert got[("20106", "basic")][2] is True  # printed blank stays blank
    assert got[("20106", "project")][0] == "0.00"


def test_jiangsu_totals_in_three_blocks_keep_each_block_apart() -> None:
    raw = RawTable(
        title="收支预算总表",
        rows=[
            [RawCell("收入", colspan=2), RawCell(""), RawCell("支出", colspan=4), *_row("", "", "")],
            [*_row("项目名称", "金额"), RawCell("功能分类", colspan=2), RawCell(""), RawCell("支出用途", colspan=2), RawCell("")],
            _row("", "", "功能科目名称", "金额", "项目名称", "金额"),
            _row("一、财政拨款", "15897.44", "一、一般公共服务支出", "12706.28", "一、基本支出", "7877.76"),
        ],
        unit="万元",
        page=8,
    )
    table = recognize_budget(raw)
    assert table is not None and table.number == "B01"
    items = table_to_line_items(table, "r")
    assert [(i.section, i.item, i.raw) for i in items] == [
        ("收入", "一、财政拨款", "15897.44"),
        ("支出/功能分类", "一、一般公共服务支出", "12706.28"),
        ("支出/支出用途", "一、基本支出", "7877.76"),
    ]


def test_a_budget_title_over_an_unreadable_header_is_not_recognized() -> None:
    # The header text could not be read: amounts would have no column to go under.
    raw = RawTable(title="财政拨款支出预算表", rows=[_row("", "", ""), _row("", "合计", "20,702.25")], unit="万元", page=5)
    assert recognize_budget(raw) is None


def test_an_empty_budget_table_is_recognized_as_empty() -> None:
    raw = RawTable(
        title="政府性基金预算财政拨款支出预算表",
        rows=[_row("功能科目编码", "功能科目名称", "金 额"), _row("合 计", "", ""), _row("", "", "")],
        unit="万元",
        page=15,
    )
    table = recognize_budget(raw)
    assert table is not None and table.number == "B08" and table.empty


def test_two_tables_drawn_in_one_grid_are_split_at_the_inner_title_row() -> None:
    raw = RawTable(
        title="财政拨款政府性基金支出预算表",
        rows=[
            _row("", "", ""),
            _row("一般公共预算支出预算表\n部门：某某厅 单位：万元", "", ""),
            _row("功能科目代码", "功能科目名称", "金额"),
            _row("201", "一般公共服务支出", "16,845.17"),
        ],
        unit="万元",
        page=7,
    )
    first, second = split_at_heading_rows(raw)
    assert (first.title, len(first.rows)) == ("财政拨款政府性基金支出预算表", 1)
    assert (second.title, second.unit, second.department) == ("一般公共预算支出预算表", "万元", "某某厅")
    assert [c.text for c in second.rows[0]] == ["功能科目代码", "功能科目名称", "金额"]


def test_a_merged_amount_is_published_once_and_a_headless_sub_item_column_is_a_label() -> None:
    # Jiangsu 收入预算总表: 金额 spans two grid slots in every row (no cell starts in the second),
    # and the 小计 / 公共财政拨款 column has no header of its own.
    amount = RawCell("金额", colspan=2)
    raw = RawTable(
        title="收入预算总表",
        rows=[
            [*_row("项目名称", ""), amount, RawCell("")],
            [RawCell("收入总计", colspan=2), RawCell(""), RawCell("13,649.07", colspan=2), RawCell("")],
            [RawCell("一般公共预算资金", rowspan=2), RawCell("小计"), RawCell("13,649.07", colspan=2), RawCell("")],
            [RawCell(""), RawCell("公共财政拨款(补助)资金"), RawCell("13,649.07", colspan=2), RawCell("")],
            [RawCell("政府性基金"), RawCell("小计"), RawCell("", colspan=2), RawCell("")],
        ],
        unit="万元",
        page=9,
    )
    table = recognize_budget(raw)
    assert table is not None and table.number == "B02"
    items = table_to_line_items(table, "r")
    assert [(i.item, i.raw) for i in items] == [
        ("收入总计", "13,649.07"),
        ("一般公共预算资金小计", "13,649.07"),
        ("公共财政拨款(补助)资金", "13,649.07"),
        ("政府性基金小计", ""),
    ]


@pytest.mark.parametrize(
    "reprinted",
    [
        # The header printed again on the next page, as on page one.
        [_row("项目", "", "", "", "一般公共预算支出", "", ""),
         _row("功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"),
         _row("类", "款", "项", "", "", "", "")],
        # Re-wrapped: the two label cells drawn as one, the levels row left out.
        [_row("功能分类科目编码功能分类科目名称", "", "", "", "合计", "基本支出", "项目支出")],
        # Re-spaced labels, one row only.
        [_row("功能分类科目 编码", "", "", "功能分类 科目名称", "合 计", "基本 支出", "项目支出")],
    ],
)
def test_a_header_printed_again_on_a_continuation_page_is_not_data(reprinted: list[list[RawCell]]) -> None:
    raw = _shanghai_05(
        [
            _row("201", "", "", "一般公共服务支出", "31,214,206", "12,000,000", "19,214,206"),
            *reprinted,
            _row("201", "06", "", "财政事务", "0", "", "0.00"),
            _row("合计", "", "", "", "31,214,206", "12,000,000", "19,214,206"),
        ]
    )
    (table,) = standard_tables([raw], recognize_budget)[0]["B05"]
    items = table_to_line_items(table, "r", fallback_unit="元")
    assert cell_warnings(items) == []
    assert [i.raw for i in items if i.measure_id == "total"] == ["31,214,206", "0", "31,214,206"]


def test_a_total_row_with_blank_amounts_is_kept_as_data() -> None:
    # One label and blank amounts: the 合计 row of an empty table, not a header.
    raw = _shanghai_05([_row("201", "", "", "一般公共服务支出", "5", "5", ""), _row("合计", "", "", "", "", "", "")])
    (table,) = standard_tables([raw], recognize_budget)[0]["B05"]
    assert drop_repeated_headers(table) == 0
    assert [r[0].text for r in table.body] == ["201", "合计"]
