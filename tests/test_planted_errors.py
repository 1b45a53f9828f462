"""End to end: errors planted in a copy of the Fuzhou text export are found, and only they."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.pipeline import parse_report


def plant(source: Path, tmp_path: Path, line: int, old: str, new: str) -> Path:
    """Copy the report with one printed value changed on one line (1-based)."""
    lines = source.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], (line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    out = tmp_path / source.name
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def errors(path: Path) -> set[tuple[str, str]]:
    return {(f.rule, f.row) for f in parse_report(path).findings if f.severity == "error"}


def test_unbroken_report_has_no_error(fuzhou_path: Path) -> None:
    assert errors(fuzhou_path) == set()


@pytest.mark.parametrize(
    ("line", "old", "new", "expected_rule"),
    [
        # 表01 本年收入合计 with transposed digits.
        (139, "3658.44\t本年支出合计", "3685.44\t本年支出合计", "t01-income-total"),
        # 表03 项 2010350 基本支出 off by ten.
        (194, "508.68\t508.68", "508.68\t518.68", "t03-row-total"),
        # 表05 项 2060503 a cent-level slip beyond rounding.
        (279, "2316.53\t0.00\t2316.53", "2316.58\t0.00\t2316.53", "t05-row-total"),
        # 表07 合计 not the sum of its items.
        (352, "2.26", "2.62", "t07-total"),
        # 表06 人员经费合计 not the sum of 301 and 303.
        (337, "670.96", "607.96", "t06-category-total"),
    ],
)
def test_planted_error_is_found(tmp_path: Path, fuzhou_path: Path, line: int, old: str, new: str, expected_rule: str) -> None:
    found = errors(plant(fuzhou_path, tmp_path, line, old, new))
    assert expected_rule in {rule for rule, _ in found}, found
