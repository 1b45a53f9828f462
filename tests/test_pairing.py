"""Pair a report published as two files (narrative + tables) and join the parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.errors import ReportError
from juesuan.model import RawCell, RawReport, RawTable, TextLine
from juesuan.pairing import ReportFiles, join_report_parts, pair_report_files


def _paths(*names: str) -> list[Path]:
    return [Path("in") / n for n in names]


@pytest.mark.parametrize(
    ("narrative", "tables"),
    [
        ("js_party_office_2017_dept_budget.pdf", "js_party_office_2017_dept_budget_tables.pdf"),
        ("江苏省委办公厅2017年部门预算.pdf", "江苏省委办公厅2017年预算公开表格.pdf"),
        ("江苏省政协办公厅2018年度部门预算.pdf", "江苏省政协办公厅2018度部门预算公开表.pdf"),
        ("某局 2019 年 部门预算.pdf", "某局2019年部门预算-公开表.pdf"),
        ("x-2020-budget.pdf", "X_2020_Budget_Tables.PDF"),
    ],
)
def test_parts_of_one_report_pair(narrative: str, tables: str) -> None:
    paths = _paths("other_2017_dept_budget.pdf", narrative, tables)
    assert pair_report_files(paths) == [ReportFiles((paths[0],)), ReportFiles((paths[1], paths[2]))]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # The 部门 and the 单位 budget of one department and year are two reports.
        ("sh_putuo_govoffice_2025_dept_budget.pdf", "sh_putuo_govoffice_2025_unit_budget.pdf"),
        ("上海市普陀区人民政府办公室25年预算.pdf", "上海市普陀区人民政府办公室单位25年预算.pdf"),
        # Two years of one department are two reports.
        ("js_npc_office_2017_dept_budget.pdf", "js_npc_office_2018_dept_budget.pdf"),
        # A budget and a final account are two reports.
        ("putuo-finance-2025-budget.pdf", "putuo-finance-2025-final.pdf"),
    ],
)
def test_different_reports_stay_apart(a: str, b: str) -> None:
    paths = _paths(a, b)
    assert pair_report_files(paths) == [ReportFiles((paths[0],)), ReportFiles((paths[1],))]


def test_three_files_with_one_name_are_not_guessed_into_a_pair() -> None:
    paths = _paths("a_2017_budget.pdf", "a_2017_budget_tables.pdf", "a_2017_budget_table.pdf")
    assert pair_report_files(paths) == [ReportFiles((p,)) for p in paths]


def _raw(name: str, tables: list[RawTable], lines: list[str]) -> RawReport:
    return RawReport(Path(name), name[:1] * 64, "pdf", 3, tables, [TextLine(t, page=1) for t in lines], [f"{name} read"])


def test_join_takes_tables_and_identity_from_the_tables_part_and_the_cover_from_the_narrative() -> None:
    table = RawTable(title="收入预算总表", rows=[[RawCell("合计"), RawCell("1.00")]])
    narrative = _raw("n.pdf", [], ["某局2017年度部门预算", "目录"])
    tables = _raw("t.pdf", [table], ["公开02表"])
    joined = join_report_parts([narrative, tables], [False, True])
    assert (joined.source_file, joined.source_sha256, joined.tables) == (Path("t.pdf"), "t" * 64, [table])
    assert (joined.narrative_file, joined.narrative_sha256) == (Path("n.pdf"), "n" * 64)
    assert [line.text for line in joined.lines] == ["某局2017年度部门预算", "目录", "公开02表"]
    assert joined.warnings == ["n.pdf read", "t.pdf read"]


@pytest.mark.parametrize(("has_tables", "word"), [([True, True], "both"), ([False, False], "neither")])
def test_parts_that_are_not_narrative_and_tables_are_refused(has_tables: list[bool], word: str) -> None:
    parts = [_raw("a.pdf", [], []), _raw("b.pdf", [], [])]
    with pytest.raises(ReportError) as err:
        join_report_parts(parts, has_tables)
    assert str(err.value) == (
        f"a.pdf: a.pdf and b.pdf are named as parts of one report but {word} print tables; rename one so they are read apart"
    )
