"""The text-export reader: tables from tab lines, their context lines, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.errors import ReportError
from juesuan.read.text import lines_to_tables, read_text

CELL = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\t\r\n\x0b\x0c\x1c\x1d\x1e\x85"), max_size=8).map(str.strip)


@st.composite
def grids(draw: st.DrawFn) -> list[list[str]]:
    width = draw(st.integers(min_value=2, max_value=7))
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=12))
    rows[0][0] = rows[0][0] or "项目"  # a table line always prints something
    return rows


@settings(max_examples=60)
@given(grids())
def test_grid_round_trips_with_its_context(grid: list[list[str]]) -> None:
    lines = ["二、收入决算表", "", "收入决算表", "公开 02 表", "单位：万元", "部门：某某局", ""]
    lines += ["\t".join(row) for row in grid]
    lines += ["", "注：本表反映部门本年度取得的各项收入情况。", "", "三、支出决算表"]
    tables, prose = lines_to_tables(lines)
    assert len(tables) == 1
    table = tables[0]
    assert (table.title, table.label, table.unit, table.department) == ("收入决算表", "公开02表", "万元", "某某局")
    assert table.notes == ["注：本表反映部门本年度取得的各项收入情况。"]
    # A row printing nothing at all (only tabs) carries no cell worth keeping.
    printed = [row for row in grid if any(row)]
    assert [[c.text for c in row] for row in table.rows] == printed
    assert [c.line for c in table.rows[0]] == [8] * len(grid[0])
    assert table.aligned is False
    assert [p.text for p in prose][-1] == "三、支出决算表"


def test_page_break_inside_a_table_keeps_one_table() -> None:
    tables, _ = lines_to_tables(["支出决算表", "a\t1.00", "", "b\t2.00", "注：x"])
    assert [[c.text for c in r] for r in tables[0].rows] == [["a", "1.00"], ["b", "2.00"]]
    assert [r[0].line for r in tables[0].rows] == [2, 4]


def test_gb18030_export_reads(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("收入决算表\n单位：万元\n项目\t合计\n合计\t1.00\n".encode("gb18030"))
    report = read_text(path)
    assert report.tables[0].unit == "万元" and report.tables[0].rows[1][1].text == "1.00"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00\x01binary\tstuff", "not a text export: the file holds binary data"),
        (b"plain prose only\n", "not a text export: no tab-separated table lines found"),
        (b"\xff\xfe\xfa\x80\x81", "not a text export: the file is neither UTF-8 nor GB18030 text"),
    ],
)
def test_bad_text_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ReportError) as exc:
        read_text(path)
    assert str(exc.value) == f"bad.txt: {reason}"


def test_export_artefacts_cleaned_by_the_reader(tmp_path: Path) -> None:
    """LaTeX math and <p> tags of the export tool never reach later stages."""
    from juesuan.read.text import clean_export_artefacts

    assert clean_export_artefacts(r"$\geq 98\%$") == "≥98%"
    assert clean_export_artefacts(r"$\leq 5$ 次") == "≤5 次"
    assert clean_export_artefacts("<p>文字</p>\t<P class='x'>b</P>") == "文字\tb"
    assert clean_export_artefacts(r"$\frac{1}{2}$") == r"$\frac{1}{2}$"  # unknown markup stays as printed
    path = tmp_path / "r.txt"
    path.write_text("标题\n<p>说明</p>\n列\t$\\geq 95\\%$\n", encoding="utf-8")
    raw = read_text(path)
    assert [tl.text for tl in raw.lines] == ["标题", "说明"]
    assert [c.text for c in raw.tables[0].rows[0]] == ["列", "≥95%"]
