"""Parquet files and the DuckDB database hold exactly the rows of the CSVs, typed, with their keys."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from juesuan.cli import main
from juesuan.columnar import DUCKDB_FILE, parquet_path
from juesuan.fields import RESOURCES, Resource

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "datapackage"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, fuzhou_path: Path) -> Path:
    out = tmp_path_factory.mktemp("columnar") / "pkg"
    assert main(["data", str(fuzhou_path), "--out", str(out)]) == 0
    return out


def _csv_rows(package_dir: Path, res: Resource) -> list[dict[str, str]]:
    with (package_dir / res.path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _expected(cell: str, ftype: str) -> Any:
    """Type one CSV cell the way the schema says (empty is missing)."""
    if cell == "":
        return None
    return {"number": Decimal, "integer": int, "boolean": lambda c: c == "true"}.get(ftype, str)(cell)


@pytest.mark.parametrize("name", list(RESOURCES))
def test_parquet_equals_csv(package: Path, name: str) -> None:
    res = RESOURCES[name]
    rows = _csv_rows(package, res)
    table = pq.read_table(package / parquet_path(res))
    assert table.num_rows == len(rows)
    assert table.column_names == res.field_names
    got = table.to_pylist()
    for f in res.fields:
        column = table.schema.field(f.name).type
        if f.type == "number":
            assert pa.types.is_decimal(column), (name, f.name)  # exact, never float
        want = [_expected(r[f.name], f.type) for r in rows]
        assert [g[f.name] for g in got] == want, (name, f.name)


def test_amounts_are_exact_in_parquet(package: Path) -> None:
    table = pq.read_table(package / parquet_path(RESOURCES["totals"]))
    amounts = {(r["side"], r["label"]): r["amount"] for r in table.to_pylist() if r["table"] == "01"}
    # 表01 of the Fuzhou report prints 总计 4052.48 on both sides.
    assert amounts[("收入", "总计")] == amounts[("支出", "总计")] == Decimal("4052.48")


def test_duckdb_sums_equal_the_csv(package: Path) -> None:
    con = duckdb.connect(str(package / DUCKDB_FILE), read_only=True)
    try:
        for name, res in RESOURCES.items():
            rows = _csv_rows(package, res)
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone() == (len(rows),), name
            for f in res.fields:
                if f.type != "number":
                    continue
                want = sum((Decimal(r[f.name]) for r in rows if r[f.name] != ""), Decimal(0))
                (got,) = con.execute(f'SELECT coalesce(sum("{f.name}"), 0) FROM "{name}"').fetchone()  # type: ignore[misc]
                assert Decimal(got) == want, (name, f.name)
    finally:
        con.close()


def test_duckdb_declares_the_keys(package: Path) -> None:
    con = duckdb.connect(str(package / DUCKDB_FILE), read_only=True)
    try:
        found = con.execute(
            "SELECT table_name, constraint_type, constraint_column_names, referenced_table "
            "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
        ).fetchall()
    finally:
        con.close()
    primary = {(t, tuple(cols)) for t, kind, cols, _ in found if kind == "PRIMARY KEY"}
    foreign = {(t, tuple(cols), ref) for t, kind, cols, ref in found if kind == "FOREIGN KEY"}
    for name, res in RESOURCES.items():
        assert (name, res.primary_key) in primary
        for src, ref, _dst in res.foreign_keys:
            assert (name, src, ref) in foreign


def test_duckdb_refuses_a_row_breaking_a_key(package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(package / DUCKDB_FILE, copy)
    con = duckdb.connect(str(copy))
    try:
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO line_items (report_id, \"table\", row, col) VALUES ('no-such-report', '01', 1, 1)")
    finally:
        con.close()


def test_two_duckdb_files_hold_the_same_rows(package: Path, tmp_path: Path, fuzhou_path: Path) -> None:
    # The bytes differ between writes (so the file is not committed); the contents must not.
    assert main(["data", str(fuzhou_path), "--out", str(tmp_path / "again")]) == 0
    dumps = []
    for folder in (package, tmp_path / "again"):
        con = duckdb.connect(str(folder / DUCKDB_FILE), read_only=True)
        try:
            dumps.append({name: con.execute(f'SELECT * FROM "{name}"').fetchall() for name in RESOURCES})
        finally:
            con.close()
    assert dumps[0] == dumps[1]
    assert sum(map(len, dumps[0].values())) > 0


def test_frictionless_cli_validates_the_package(package: Path) -> None:
    cli = Path(sys.executable).parent / "frictionless"
    if not cli.exists():
        pytest.skip(f"{cli} not installed")
    done = subprocess.run([str(cli), "validate", "--trusted", str(package / "datapackage.json")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]


def test_committed_package_lists_parquet_for_every_resource() -> None:
    for res in RESOURCES.values():
        assert (COMMITTED / parquet_path(res)).is_file(), res.name


def test_site_downloads_carry_parquet_and_duckdb(package: Path, tmp_path: Path) -> None:
    from juesuan.site.pages import write_pages

    write_pages(package, tmp_path / "data")
    downloads = tmp_path / "data" / "downloads"
    for res in RESOURCES.values():
        assert (downloads / f"{res.name}.parquet").read_bytes() == (package / parquet_path(res)).read_bytes()
    assert (downloads / DUCKDB_FILE).stat().st_size == (package / DUCKDB_FILE).stat().st_size
    page = next((tmp_path / "data" / "reports").glob("*-final.md")).read_text(encoding="utf-8")
    assert f"](../downloads/{DUCKDB_FILE})" in page and "](../downloads/line_items.parquet)" in page


def test_csv_reader_keeps_long_decimals_and_newlines(tmp_path: Path) -> None:
    from juesuan.columnar import read_csv_typed

    res = RESOURCES["unplaced_numbers"]
    rows = [{n: "" for n in res.field_names} for _ in range(2)]
    rows[0].update(report_id="r", seq="1", text="第一行\n第二行, 带逗号", value="1.1234567")
    rows[1].update(report_id="r", seq="2", text="", value="-20.5")
    (tmp_path / "data").mkdir()
    with (tmp_path / res.path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, res.field_names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    got = read_csv_typed(tmp_path, res).to_pylist()
    assert [g["value"] for g in got] == [Decimal("1.1234567"), Decimal("-20.5")]
    assert [g["text"] for g in got] == ["第一行\n第二行, 带逗号", None]
    assert [g["seq"] for g in got] == [1, 2]


def test_a_rebuild_updates_the_changed_reports_rows_in_the_last_duckdb_file(
        tmp_path: Path, fuzhou_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One report changed, one removed, one added: the last file is updated in place, and holds what a new one holds."""
    import juesuan.columnar as columnar
    from tree_bytes import duckdb_contents

    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("a-2024", "b-2024", "c-2024"):
        shutil.copyfile(fuzhou_path, reports / f"{name}.txt")
    out = tmp_path / "pkg"
    assert main(["data", *map(str, sorted(reports.glob("*.txt"))), "--out", str(out), "--no-cache"]) == 0
    (reports / "c-2024.txt").unlink()
    shutil.copyfile(fuzhou_path, reports / "d-2024.txt")
    text = (reports / "b-2024.txt").read_text(encoding="utf-8")
    (reports / "b-2024.txt").write_text(text.replace("3658.44", "3658.45", 1), encoding="utf-8")
    fresh: list[Path] = []
    real = columnar._write_duckdb
    monkeypatch.setattr(columnar, "_write_duckdb", lambda d, p: fresh.append(p) or real(d, p))
    assert main(["data", *map(str, sorted(reports.glob("*.txt"))), "--out", str(out), "--no-cache"]) == 0
    assert fresh == []  # updated, not written anew
    assert main(["data", *map(str, sorted(reports.glob("*.txt"))), "--out", str(tmp_path / "scratch"), "--no-cache"]) == 0
    assert len(fresh) == 1
    assert duckdb_contents(out / DUCKDB_FILE) == duckdb_contents(tmp_path / "scratch" / DUCKDB_FILE)
    con = duckdb.connect(str(out / DUCKDB_FILE), read_only=True)
    try:
        ids = [r[0] for r in con.execute("SELECT report_id FROM reports ORDER BY 1").fetchall()]
    finally:
        con.close()
    assert [i.split("-")[0] for i in ids] == ["a", "b", "d"]
