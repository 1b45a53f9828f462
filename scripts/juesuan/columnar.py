"""Write the package's resources as Parquet files and one DuckDB database, from the written CSVs.

Both are derived from the CSVs just written (not from the in-memory rows), so they hold exactly
what the CSVs hold: amounts as exact decimals (decimal128 / DECIMAL(38, s)), never floats.
Parquet bytes are reproducible for one pinned pyarrow version (fixed row order, no timestamps);
the DuckDB file is not byte-stable across writes, so it is rebuilt, not committed (see
`NOT_COMMITTED`), and tests compare its contents.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from juesuan.fields import RESOURCES, Resource

PARQUET_DIR = "parquet"
DUCKDB_FILE = "juesuan.duckdb"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
# Written into the package folder but kept out of git: its bytes differ from write to write.
# The sidecar records what the DuckDB file was built from, so an unchanged package keeps the
# previous file (bytes and mtime) instead of a new one with other bytes.
DUCKDB_SOURCE = DUCKDB_FILE + ".source"
NOT_COMMITTED = frozenset({DUCKDB_FILE, DUCKDB_SOURCE})
# Scale of every amount column: 万元 converted from 元 needs 6 decimals; more when the data needs it.
MIN_SCALE = 6
PRECISION = 38
BLOCK_SIZE = 16384
DUCKDB_FORMAT = 2  # bump when how the DuckDB file is written changes


def parquet_path(resource: Resource) -> str:
    """Return the Parquet path of a resource inside the package."""
    return f"{PARQUET_DIR}/{resource.name}.parquet"


def columnar_paths() -> set[str]:
    """Return the paths this module writes inside a package (folder included)."""
    return {PARQUET_DIR, DUCKDB_FILE, DUCKDB_SOURCE, *(parquet_path(r) for r in RESOURCES.values())}


def parquet_schema(resource: Resource) -> dict[str, Any]:
    """Return the CSV's Table Schema, with `nan` also read as missing.

    Frictionless 5 reads Parquet through pandas, where a null in an integer column becomes the
    float NaN, which it then sees as the cell "nan"; Parquet itself stores a real null.
    """
    schema = resource.schema()
    schema["missingValues"] = ["", "nan"]
    return schema


def parquet_resources() -> list[dict[str, Any]]:
    """Return the Data Package v2 resource descriptors of the Parquet files (the CSVs' schemas)."""
    return [
        {
            "name": f"{r.name}_parquet",
            "title": f"{r.title}（Parquet）",
            "description": f"与 {r.path} 内容相同的 Parquet 文件；金额为精确小数（decimal128），不经浮点。",
            "description_en": f"The same rows as {r.path}, as Parquet; amounts are exact decimal128, never float.",
            "path": parquet_path(r),
            "format": "parquet",
            "mediatype": PARQUET_MEDIATYPE,
            "schema": parquet_schema(r),
        }
        for r in RESOURCES.values()
    ]


def duckdb_property() -> dict[str, Any]:
    """Return the custom descriptor property documenting the DuckDB file."""
    return {
        "path": DUCKDB_FILE,
        "format": "duckdb",
        "mediatype": "application/vnd.duckdb",
        "description": "一个 DuckDB 数据库文件，每个资源一张同名表，带数据包声明的主键与外键；金额为 DECIMAL。",
        "description_en": "One DuckDB database file: a table per resource, named as the resource, "
        "with the primary and foreign keys the descriptor declares; amounts are DECIMAL.",
        "tables": list(RESOURCES),
    }


def read_csv_typed(package_dir: Path, resource: Resource) -> pa.Table:
    """Read one written CSV into an Arrow table typed from the field dictionary.

    pyarrow's CSV reader parses the decimals exactly (no float) and fast; a column with more
    decimals than MIN_SCALE makes it refuse, and the slower reader below takes the scale it needs.
    """
    path = package_dir / resource.path
    types = {f.name: _arrow_type(f.type, MIN_SCALE) for f in resource.fields}
    try:
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=True,
                                                  true_values=["true"], false_values=["false"],
                                                  include_columns=resource.field_names),
        )
    except pa.ArrowInvalid:
        return _read_csv_slow(path, resource)
    if table.column_names != resource.field_names:
        raise ValueError(f"{resource.path}: header {table.column_names} is not {resource.field_names}")
    return table.combine_chunks()


def _arrow_type(ftype: str, scale: int) -> pa.DataType:
    return {"number": pa.decimal128(PRECISION, scale), "integer": pa.int64(), "boolean": pa.bool_()}.get(ftype, pa.string())


def _read_csv_slow(path: Path, resource: Resource) -> pa.Table:
    """Read a CSV cell by cell in Python, giving each amount column the scale its data needs."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header != resource.field_names:
            raise ValueError(f"{resource.path}: header {header} is not {resource.field_names}")
        columns: list[list[str]] = [[] for _ in header]
        for row in reader:
            for i, cell in enumerate(row):
                columns[i].append(cell)
    arrays = [_array(f.type, cells, f"{resource.path}:{f.name}") for f, cells in zip(resource.fields, columns, strict=True)]
    return pa.Table.from_arrays(arrays, names=resource.field_names)


def _array(ftype: str, cells: list[str], where: str) -> pa.Array:
    """Convert CSV cells of one column; an empty cell is null (the schema's missingValues)."""
    if ftype == "number":
        values = [Decimal(c) if c != "" else None for c in cells]
        scale = max([MIN_SCALE, *(-v.as_tuple().exponent for v in values if v is not None)])  # type: ignore[operator]
        return pa.array(values, type=pa.decimal128(PRECISION, scale))
    if ftype == "integer":
        return pa.array([int(c) if c != "" else None for c in cells], type=pa.int64())
    if ftype == "boolean":
        bad = [c for c in cells if c not in ("", "true", "false")]
        if bad:
            raise ValueError(f"{where}: not a boolean: {bad[0]!r}")
        return pa.array([None if c == "" else c == "true" for c in cells], type=pa.bool_())
    return pa.array([c if c != "" else None for c in cells], type=pa.string())


def write_parquet(package_dir: Path, name: str, table: pa.Table) -> None:
    """Write one resource's Parquet file, without pandas metadata or timestamps."""
    (package_dir / PARQUET_DIR).mkdir(exist_ok=True)
    pq.write_table(table, package_dir / parquet_path(RESOURCES[name]), compression="zstd",
                   store_schema=True, write_statistics=True)


def _sql_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_decimal(arrow_type):
        return f"DECIMAL({arrow_type.precision}, {arrow_type.scale})"
    if pa.types.is_integer(arrow_type):
        return "BIGINT"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    return "VARCHAR"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(resource: Resource, table: pa.Table) -> str:
    """Return CREATE TABLE for a resource: its typed columns, primary key and foreign keys."""
    cols = [f"{_ident(f.name)} {_sql_type(f.type)}" for f in table.schema]
    cols.append(f"PRIMARY KEY ({', '.join(map(_ident, resource.primary_key))})")
    for src, ref, dst in resource.foreign_keys:
        cols.append(f"FOREIGN KEY ({', '.join(map(_ident, src))}) REFERENCES {_ident(ref)} "
                    f"({', '.join(map(_ident, dst))})")
    return f"CREATE TABLE {_ident(resource.name)} ({', '.join(cols)})"


def table_order() -> list[str]:
    """Return the resources with every referenced table before the tables that reference it."""
    done: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        for _, ref, _ in RESOURCES[name].foreign_keys:
            if ref != name:
                visit(ref)
        done.append(name)

    for name in RESOURCES:
        visit(name)
    return done


def duckdb_base() -> str:
    """Return a digest of how the DuckDB file is written: DuckDB's version and the settings below."""
    return hashlib.sha256(f"{DUCKDB_FORMAT}|{duckdb.__version__}|{BLOCK_SIZE}|{PRECISION}|{MIN_SCALE}".encode()).hexdigest()


def duckdb_source(package_dir: Path, parts: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    """Return what the DuckDB file is built from: per table, each report's rows' digest (from `parts`), else the CSV's.

    `parts` gives, per resource with a report_id, each report's digest of its rows (the package
    has them as each report's CSV text); any other table is digested whole ("*").
    """
    tables: dict[str, dict[str, str]] = {}
    for name in table_order():
        resource = RESOURCES[name]
        if parts is not None and name in parts and "report_id" in resource.field_names:
            tables[name] = dict(sorted(parts[name].items()))
        else:
            tables[name] = {"*": hashlib.sha256((package_dir / resource.path).read_bytes()).hexdigest()}
    return {"base": duckdb_base(), "tables": tables}


def _read_source(previous: Path | None) -> dict[str, Any] | None:
    """Return the sidecar of the previous package's DuckDB file, None when there is none to build on."""
    if previous is None or not (previous / DUCKDB_FILE).is_file():
        return None
    try:
        data = json.loads((previous / DUCKDB_SOURCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("tables"), dict) else None


@dataclass(frozen=True)
class Update:
    """What to change in the last DuckDB file: every row of `reports` in each per-report table, and the `whole` tables."""

    reports: frozenset[str]
    whole: frozenset[str]


def update_plan(last: dict[str, Any], now: dict[str, Any]) -> Update | None:
    """Return the update from the last file's sources to these, None when the file must be built afresh.

    Afresh when DuckDB or the settings changed, or a table others reference changed whole (its
    rows cannot go while referenced). A changed report's rows go from every table (the reports
    row is deleted and inserted again, and no row may reference it meanwhile), and so do the
    tables without report_id that reference reports.
    """
    if last.get("base") != now["base"] or set(last["tables"]) != set(now["tables"]):
        return None
    reports: set[str] = set()
    whole: set[str] = set()
    for name, parts in now["tables"].items():
        old = last["tables"][name]
        if old == parts:
            continue
        if "*" in parts or "*" in old:
            whole.add(name)
        else:
            reports |= {rid for rid in old.keys() | parts.keys() if old.get(rid) != parts.get(rid)}
    if reports:
        whole |= {n for n in now["tables"] if "report_id" not in RESOURCES[n].field_names and RESOURCES[n].foreign_keys}
    if whole & _referenced():
        return None
    return Update(frozenset(reports), frozenset(whole))


def _referenced() -> set[str]:
    """Return the tables another table's foreign key references."""
    return {ref for r in RESOURCES.values() for _, ref, _ in r.foreign_keys if ref != r.name}


def write_columnar(package_dir: Path, previous: Path | None = None, parts: dict[str, dict[str, str]] | None = None) -> None:
    """Write parquet/<resource>.parquet and juesuan.duckdb beside the CSVs in package_dir.

    One resource at a time (referenced tables first, for the foreign keys), so memory holds one
    table, not the package: at 1,000 reports all of them at once took 0.8 GB. DuckDB files are
    not byte-stable, so when `previous` (the package being replaced) holds one built from the
    same rows, that file is kept; when only some reports changed (`parts`, see duckdb_source), a
    copy of it has those reports' rows deleted and inserted again, which at 1,000 reports takes
    a tenth of the time of a new file.
    """
    path = package_dir / DUCKDB_FILE
    path.unlink(missing_ok=True)
    source = duckdb_source(package_dir, parts)
    last = _read_source(previous)  # None without a previous package holding a DuckDB file
    plan = update_plan(last, source) if last is not None and previous is not None else None
    if plan is not None and last is not None and previous is not None:
        last_sql = dict(last.get("sql", {}))
        if not plan.reports and not plan.whole:
            shutil.copy2(previous / DUCKDB_FILE, path)  # copy2: the mtime stays
            for name in table_order():
                write_parquet(package_dir, name, read_csv_typed(package_dir, RESOURCES[name]))
            _write_source(package_dir, {**source, "sql": last_sql})
            return
        shutil.copyfile(previous / DUCKDB_FILE, path)
        sql = _update_duckdb(package_dir, path, plan, last_sql)
        if sql is not None:
            _write_source(package_dir, {**source, "sql": sql})
            return
        path.unlink()
    _write_source(package_dir, {**source, "sql": _write_duckdb(package_dir, path)})


def _write_source(package_dir: Path, source: dict[str, Any]) -> None:
    (package_dir / DUCKDB_SOURCE).write_text(json.dumps(source, sort_keys=True, indent=0) + "\n", encoding="utf-8")


@contextlib.contextmanager
def _attached(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection using the DuckDB file at `path` (made when absent); checkpoint and close it after."""
    con = duckdb.connect(":memory:")
    try:
        # Small blocks: with the default 256 kB ones a table costs several blocks, and the file
        # of one report is 13 MB instead of 1 MB. Readable by DuckDB 1.2 and later.
        quoted = str(path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS juesuan (BLOCK_SIZE {BLOCK_SIZE})")
        con.execute("USE juesuan")
        yield con
        con.execute("CHECKPOINT juesuan")
        con.execute("USE memory")
        con.execute("DETACH juesuan")
    finally:
        con.close()


def _insert(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register("_incoming", table)
    con.execute(f"INSERT INTO {_ident(name)} SELECT * FROM _incoming")
    con.unregister("_incoming")


def _write_duckdb(package_dir: Path, path: Path) -> dict[str, str]:
    """Write a new DuckDB file of every table (and each Parquet file); return each table's CREATE TABLE."""
    sql: dict[str, str] = {}
    with _attached(path) as con:
        for name in table_order():
            table = read_csv_typed(package_dir, RESOURCES[name])
            write_parquet(package_dir, name, table)
            sql[name] = create_table_sql(RESOURCES[name], table)
            con.execute(sql[name])
            _insert(con, name, table)
            del table
    return sql


def _update_duckdb(package_dir: Path, path: Path, plan: Update, last_sql: dict[str, str]) -> dict[str, str] | None:
    """Apply `plan` to the copy of the last DuckDB file at `path` (and write each Parquet file); return the CREATE TABLEs.

    None when a table's columns are not those of the last file (an amount needing another
    scale): the file must be built afresh.
    """
    order = table_order()
    sql: dict[str, str] = {}
    with _attached(path) as con:
        con.register("_changed", pa.table({"report_id": pa.array(sorted(plan.reports), pa.string())}))
        for name in reversed(order):  # rows that reference others go first
            if name in plan.whole:
                con.execute(f"DELETE FROM {_ident(name)}")
            elif plan.reports and "report_id" in RESOURCES[name].field_names:
                con.execute(f"DELETE FROM {_ident(name)} WHERE report_id IN (SELECT report_id FROM _changed)")
        for name in order:
            table = read_csv_typed(package_dir, RESOURCES[name])
            write_parquet(package_dir, name, table)
            sql[name] = create_table_sql(RESOURCES[name], table)
            if sql[name] != last_sql.get(name):
                return None
            if name in plan.whole:
                _insert(con, name, table)
            elif plan.reports and "report_id" in RESOURCES[name].field_names:
                mine = pc.is_in(table.column("report_id"), value_set=pa.array(sorted(plan.reports), pa.string()))
                _insert(con, name, table.filter(mine))
            del table
        con.unregister("_changed")
    return sql
