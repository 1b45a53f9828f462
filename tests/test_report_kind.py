"""Report kind (决算/预算, 部门/单位) and recognition by title AND header, never by label alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from juesuan.errors import ReportError
from juesuan.meta import ReportKind, report_kind
from juesuan.model import RawCell, RawReport, RawTable, TextLine
from juesuan.pipeline import parse_report, standard_tables
from juesuan.recognize import lift_heading_rows, recognize


def _row(*texts: str) -> list[RawCell]:
    return [RawCell(t, page=1) for t in texts]


def _income_02(title: str, label: str | None = None) -> RawTable:
    """A 收入决算表-shaped grid: header 项目/合计/财政拨款收入, one data row."""
    rows = [
        _row("项目", "", "本年收入合计", "财政拨款收入"),
        _row("功能分类科目编码", "科目名称", "", ""),
        _row("201", "一般公共服务支出", "12.50", "12.50"),
    ]
    return RawTable(title=title, rows=rows, label=label, unit="万元", page=1)


def _report(cover: list[str], titles: list[str] = ()) -> RawReport:  # type: ignore[assignment]
    tables = [_income_02(t) for t in titles]
    lines = [TextLine(t, page=1) for t in cover]
    return RawReport(Path("x.pdf"), "0" * 64, "pdf", 1, tables, lines)


def test_a_label_alone_never_recognizes_a_table() -> None:
    # Jiangsu budgets label their tables 公开01–12表 too: 公开02表 there is 收入预算总表.
    assert recognize(_income_02("收入预算总表", label="公开02表")) is None
    assert recognize(_income_02("", label="公开02表")) is None


def test_a_label_disagreeing_with_the_title_is_a_warning() -> None:
    table = recognize(_income_02("收入决算表", label="公开03表"))
    assert table is not None and table.number == "02"
    assert any("公开03表" in w and "disagrees" in w for w in table.warnings)
    agreeing = recognize(_income_02("收入决算表", label="公开02表"))
    assert agreeing is not None and not any("disagrees" in w for w in agreeing.warnings)


def test_a_title_whose_header_prints_none_of_its_columns_is_not_recognized() -> None:
    rows = [_row("采购品目", "采购方式", "预计金额"), _row("货物", "集中采购", "12.50")]
    assert recognize(RawTable(title="收入决算表", rows=rows, unit="万元", page=3)) is None


def test_an_unmapped_labelled_table_is_named_in_a_warning() -> None:
    _, warnings = standard_tables([_income_02("收入预算总表", label="公开02表")])
    assert warnings == [
        "page 1: table '收入预算总表' labelled 公开02表 not recognized by its title and header; its cells are not published"
    ]


@pytest.mark.parametrize(
    ("heading", "title", "label", "unit", "department"),
    [
        ("公开06表财政拨款基本支出预算表（经济科目）", "财政拨款基本支出预算表（经济科目）", "公开06表", None, None),
        ("收入预算总表部门：中国共产党江苏省委员会办 单位：万元公厅", "收入预算总表", None, "万元", "中国共产党江苏省委员会办公厅"),
        ("“三公”经费支出预算表", "“三公”经费支出预算表", None, None, None),
    ],
)
def test_heading_rows_printed_inside_the_frame_are_lifted(
    heading: str, title: str, label: str | None, unit: str | None, department: str | None
) -> None:
    raw = RawTable(title="", rows=[_row(heading, "", ""), _row("科目编码", "科目名称", "金额")], page=2)
    lifted = lift_heading_rows(raw)
    assert [c.text for c in lifted.rows[0]] == ["科目编码", "科目名称", "金额"]
    assert re.sub(r"\s+", "", lifted.title) == title.replace(" ", "")
    assert (lifted.unit, lifted.department) == (unit, department)
    assert lifted.label == label


def test_a_header_row_is_not_lifted() -> None:
    raw = RawTable(title="收入决算表", rows=[_row("项目", "金额"), _row("合计", "1.00")], page=2)
    assert lift_heading_rows(raw) is raw


@pytest.mark.parametrize(
    ("cover", "titles", "expected"),
    [
        (["上海市普陀区财政局", "2024年度部门决算"], ["收入支出决算总表"], ReportKind("决算", "部门")),
        (["上海市普陀区2025年区级部门预算", "预算主管部门：上海市普陀区财政局"], ["2025年部门财务收支预算总表"], ReportKind("预算", "部门")),
        (["上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区人民政府办公室"], ["2025年预算单位收入预算总表"], ReportKind("预算", "单位")),
        # Re-wrapped cover: the kind split over two lines.
        (["江苏省人大常委会办公厅2018年度部门", "预算公开"], ["收入预算总表"], ReportKind("预算", "部门")),
        (["某某单位 2024 年度", "单位 决算"], ["收入支出决算总表"], ReportKind("决算", "单位")),
    ],
)
def test_kind_comes_from_cover_and_table_titles(cover: list[str], titles: list[str], expected: ReportKind) -> None:
    kind, warnings = report_kind(_report(cover), titles)
    assert kind == expected
    assert warnings == []


def test_tables_decide_the_family_when_the_cover_disagrees() -> None:
    kind, warnings = report_kind(_report(["某某局2024年度部门决算"]), ["收入预算总表", "支出预算总表"])
    assert kind == ReportKind("预算", "部门")
    assert warnings == ["the cover says 部门决算 but the tables are 预算 tables; taken as 预算"]


def test_a_tables_only_budget_without_cover_is_a_budget_with_a_warning() -> None:
    kind, warnings = report_kind(_report([]), ["收支预算总表", "公开06表财政拨款基本支出预算表(经济科目)"])
    assert kind == ReportKind("预算", "部门")
    assert warnings == ["report level (部门/单位) not printed on the cover; taken as 部门预算"]


def test_unit_level_budget_titles_give_the_level() -> None:
    kind, _ = report_kind(_report([]), ["2025年预算单位财务收支预算总表", "2025年单位“三公”经费和机关运行经费预算表"])
    assert kind == ReportKind("预算", "单位")


def _provenance_kinds(corpus: Path) -> dict[str, str]:
    """Return file → kind from the budgets' PROVENANCE.md table (written by hand, not by the parser)."""
    out: dict[str, str] = {}
    for line in (corpus / "budgets" / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.split("|")]
        if len(cells) > 9 and cells[1].endswith(".pdf"):
            out[cells[1]] = cells[8]
    return out


def test_no_shared_budget_is_ever_published_as_final_accounts(corpus: Path) -> None:
    kinds = _provenance_kinds(corpus)
    assert len(kinds) == 11
    for name, kind in kinds.items():
        try:
            data = parse_report(corpus / "budgets" / name)
        except ReportError as exc:
            assert "决算" not in str(exc).split(":", 1)[1] or "budget" in str(exc), (name, str(exc))
            continue
        assert data.meta.kind == kind, name
        assert data.meta.kind_family == "预算", name
        assert all(not i.table.isdigit() for i in data.line_items), f"{name}: a 决算 table number on a budget"
