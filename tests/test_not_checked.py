"""A check that cannot run is a finding: not-checked, with the reason, never silence."""

from __future__ import annotations

from pathlib import Path

from juesuan.checks import RULES
from juesuan.cli import main
from test_text_layouts import T04_BODY, export, parse_text


def test_unplaced_table_04_sides_are_not_checked_with_a_reason(tmp_path: Path) -> None:
    # No 收入/支出 anywhere in the header: the sides cannot be told, so 表04's rules cannot run.
    header = [["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]]
    data = parse_text(tmp_path, export(("财政拨款收入支出决算总表", [*header, *T04_BODY])))
    only_04 = [code for code, rule in RULES.items() if rule.tables == "04"]
    outcome = {f.rule: f for f in data.findings if f.rule in only_04}
    assert set(outcome) == set(only_04), "every 表04 rule leaves a result"
    skipped = [f for f in outcome.values() if f.severity == "not-checked"]
    assert skipped and all(f.message.startswith("未能核对") for f in skipped)


def test_every_rule_leaves_a_result(tmp_path: Path) -> None:
    data = parse_text(tmp_path, export(("财政拨款收入支出决算总表", [["收入项目", "收入决算数", "支出项目", "支出决算数",
                                                                      "一般公共预算财政拨款", "政府性基金预算财政拨款",
                                                                      "国有资本经营预算财政拨款"], *T04_BODY])))
    assert {f.rule for f in data.findings} >= {c for c, r in RULES.items() if not r.tables.startswith("B")}
    missing = [f for f in data.findings if f.rule == "t07-total"]
    assert [f.severity for f in missing] == ["not-checked"] and "未找到表07" in missing[0].message


def test_check_command_counts_not_checked(tmp_path: Path, capsys) -> None:
    path = tmp_path / "report.txt"
    path.write_text(export(("财政拨款收入支出决算总表", [["收入项目", "收入决算数", "支出项目", "支出决算数",
                                                            "一般公共预算财政拨款", "政府性基金预算财政拨款",
                                                            "国有资本经营预算财政拨款"], *T04_BODY])), encoding="utf-8")
    main(["check", str(path)])
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "not-checked" in err and err.startswith("juesuan: ")
