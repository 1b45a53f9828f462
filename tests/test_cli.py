"""CLI: exit codes (0 ok, 1 a report failed, 2 usage) and exact error lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_data_writes_only_the_package(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["data", str(fuzhou_path), "--out", str(tmp_path / "pkg")], capsys)
    assert code == 0 and err == ""
    assert out == f"juesuan: wrote {tmp_path / 'pkg'}/ (1 report(s), 542 cells)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]
    assert (tmp_path / "pkg" / "datapackage.json").is_file()


def test_a_bad_report_fails_alone(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just prose, no table\n", encoding="utf-8")
    code, _, err = run(["data", str(bad), str(fuzhou_path), "--out", str(tmp_path / "pkg")], capsys)
    assert code == 1
    assert err == "juesuan: error: notes.txt: not a text export: no tab-separated table lines found\n"
    reports = (tmp_path / "pkg" / "data" / "reports.csv").read_text(encoding="utf-8").splitlines()
    assert len(reports) == 2 and reports[1].startswith("fuzhou-zhihui-fuzhou-center-2024-final,")


def test_non_report_table_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "prices.txt"
    other.write_text("品名\t价格\n苹果\t3.50\n", encoding="utf-8")
    code, _, err = run(["data", str(other), "--out", str(tmp_path / "pkg")], capsys)
    assert code == 1
    assert err.splitlines() == [
        "juesuan: error: prices.txt: not a final-accounts report: no standard table (公开01–09表) found",
        "juesuan: no report could be read; nothing written",
    ]
    assert not (tmp_path / "pkg").exists()


def test_failed_run_keeps_the_previous_package(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    assert run(["data", str(fuzhou_path), "--out", str(out)], capsys)[0] == 0
    before = (out / "data" / "line_items.csv").read_bytes()
    code, _, err = run(["data", str(tmp_path / "missing.pdf"), "--out", str(out)], capsys)
    assert code == 1
    assert err.splitlines()[0] == "juesuan: error: missing.pdf: no such file"
    assert (out / "data" / "line_items.csv").read_bytes() == before


def test_pdf_named_file_that_is_not_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"hello, not a pdf")
    code, _, err = run(["data", str(fake), "--out", str(tmp_path / "pkg")], capsys)
    assert code == 1
    assert err.splitlines()[0] == "juesuan: error: report.pdf: not a readable PDF: no PDF header"


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run(["data", str(empty), "--out", str(tmp_path / "pkg")], capsys)
    assert code == 1 and err.splitlines()[0] == "juesuan: error: empty.txt: empty file"


@pytest.mark.parametrize("args", [[], ["data"], ["data", "x.txt"], ["frobnicate"]])
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert "usage: juesuan" in capsys.readouterr().err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "build" in out and "data" in out


def test_build_without_reports_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["build", "--reports", str(tmp_path / "none"), "--no-site"], capsys)
    assert code == 2 and err == f"juesuan: error: no reports folder {tmp_path / 'none'}/\n"
