"""Read a written data package back: typed rows per resource, amounts as exact Decimals.

A corpus of a thousand reports holds millions of cells; as Python dicts they would take
gigabytes. So each resource stays in columnar form (an Arrow table of the CSV's text, about the
CSV's size) and rows become typed dicts only when asked for, one report at a time.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from juesuan.errors import EnvironmentProblem
from juesuan.spreadsheet import value_to_text

Row = dict[str, Any]
# How many (resource, report) row lists stay converted: a report page asks for the same few
# resources many times, then the build moves on to the next report.
_CACHED_SLICES = 64
_CACHED_WHOLE = 20_000


class RowStore(Protocol):
    """The rows of one resource."""

    def all(self) -> list[Row]:
        """Return every row, in the file's order."""

    def of_report(self, report_id: str) -> list[Row]:
        """Return the rows of one report, in the file's order."""

    def text_table(self, columns: Sequence[str]) -> pa.Table:
        """Return `columns` as the CSV's text (a blank as ""), in the file's order."""

    def report_groups(self) -> dict[str, np.ndarray]:
        """Return each report's row numbers, in the file's order (none when the resource has no report_id)."""

    def count(self, columns: Sequence[str]) -> Counter[tuple[Any, ...]]:
        """Count the rows by the values of `columns` (None for a blank)."""

    def digests(self) -> dict[str | None, str]:
        """Return the SHA-256 of each report's rows, and under None that of every row."""


@dataclass
class ListStore:
    """Rows already in memory (tests and small packages)."""

    rows: list[Row]
    _index: dict[str, list[Row]] | None = field(default=None, repr=False)

    def all(self) -> list[Row]:
        return self.rows

    def of_report(self, report_id: str) -> list[Row]:
        if self._index is None:
            # Built once: a per-report lookup must not scan the corpus (quadratic over a thousand reports).
            index: dict[str, list[Row]] = {}
            for r in self.rows:
                index.setdefault(str(r.get("report_id")), []).append(r)
            self._index = index  # published whole (two threads may ask)
        return list(self._index.get(report_id, []))  # a copy: callers may sort or extend it

    def count(self, columns: Sequence[str]) -> Counter[tuple[Any, ...]]:
        return Counter(tuple(r.get(c) for c in columns) for r in self.rows)

    def text_table(self, columns: Sequence[str]) -> pa.Table:
        return pa.table({c: pa.array([value_to_text(r.get(c)) for r in self.rows], pa.string()) for c in columns})

    def report_groups(self) -> dict[str, np.ndarray]:
        groups: dict[str, list[int]] = {}
        for i, r in enumerate(self.rows):
            groups.setdefault(str(r.get("report_id")), []).append(i)
        return {rid: np.asarray(ix, dtype=np.int64) for rid, ix in groups.items()}

    def digests(self) -> dict[str | None, str]:
        def digest(rows: list[Row]) -> str:
            return hashlib.sha256(repr([sorted(r.items()) for r in rows]).encode()).hexdigest()

        out: dict[str | None, str] = {None: digest(self.rows)}
        for rid, ix in self.report_groups().items():
            out[rid] = digest([self.rows[i] for i in ix])
        return out


def _convert(value: str, type_: str) -> Any:
    if value == "":
        return None
    if type_ == "number":
        return Decimal(value)
    if type_ == "integer":
        return int(value)
    if type_ == "boolean":
        return value.strip().lower() in ("true", "1", "yes")
    return value


class ArrowStore:
    """One resource's CSV as an Arrow table of strings, typed into dicts on demand."""

    def __init__(self, table: pa.Table, types: dict[str, str]) -> None:
        self.table = table
        self.types = {c: types.get(c, "string") for c in table.column_names}
        self._groups: dict[str, np.ndarray] | None = None
        self._digests: dict[str | None, str] | None = None

    def _typed(self, table: pa.Table) -> list[Row]:
        columns = {c: table.column(c).to_pylist() for c in table.column_names}
        out: list[Row] = [{} for _ in range(table.num_rows)]
        for c, values in columns.items():
            t = self.types[c]
            if t == "string":
                for row, v in zip(out, values, strict=True):
                    row[c] = v if v != "" else None
            else:
                for row, v in zip(out, values, strict=True):
                    row[c] = _convert(v, t)
        return out

    def all(self) -> list[Row]:
        return self._typed(self.table)

    def text_table(self, columns: Sequence[str]) -> pa.Table:
        present = [c for c in columns if c in self.types]
        table = self.table.select(present)
        for c in columns:
            if c not in self.types:  # a field the CSV lacks: blank, as the dict rows say
                table = table.append_column(c, pa.array([""] * table.num_rows, pa.string()))
        return table.select(list(columns))

    def report_groups(self) -> dict[str, np.ndarray]:
        if self._groups is None:
            groups: dict[str, np.ndarray] = {}
            if "report_id" in self.types:
                ids = self.table.column("report_id")
                order = np.asarray(pc.sort_indices(ids))  # stable: each report's rows keep the file's order
                sorted_ids = ids.take(pa.array(order)).to_pylist()
                start = 0
                for i in range(1, len(sorted_ids) + 1):
                    if i == len(sorted_ids) or sorted_ids[i] != sorted_ids[start]:
                        groups[sorted_ids[start]] = order[start:i]
                        start = i
            self._groups = groups  # published whole (two threads may ask)
        return self._groups

    def of_report(self, report_id: str) -> list[Row]:
        rows = self.report_groups().get(report_id)
        return [] if rows is None else self._typed(rows_at(self.table, rows))

    def digests(self) -> dict[str | None, str]:
        if self._digests is None:
            # Made whole, then published: another thread (the downloads) may ask at the same time.
            groups: dict[str | None, np.ndarray] = {None: np.arange(self.table.num_rows)}
            groups.update(self.report_groups())
            self._digests = group_digests(self.table, groups)
        return self._digests

    def count(self, columns: Sequence[str]) -> Counter[tuple[Any, ...]]:
        counted = self.table.group_by(list(columns), use_threads=False).aggregate([([], "count_all")])
        keys = [[v if v != "" else None for v in counted.column(c).to_pylist()] for c in columns]
        return Counter(dict(zip(zip(*keys, strict=True), counted.column("count_all").to_pylist(), strict=True)))


@dataclass
class Package:
    """A data package as published: its descriptor and its rows, typed by the schema."""

    path: Path
    descriptor: dict[str, Any]
    stores: dict[str, RowStore] = field(default_factory=dict)
    _slices: OrderedDict[tuple[str, str], list[Row]] = field(default_factory=OrderedDict, repr=False)
    _whole: dict[str, list[Row]] = field(default_factory=dict, repr=False)
    # While a work unit is made (`recording`), each (resource, report or None for all) it reads;
    # per thread, so that the downloads written beside the pages are no unit's reads.
    _local: threading.local = field(default_factory=threading.local, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def from_rows(cls, path: Path, descriptor: dict[str, Any], tables: dict[str, list[Row]]) -> Package:
        """Make a package of rows held in memory."""
        return cls(path, descriptor, {name: ListStore(rows) for name, rows in tables.items()})

    def names(self) -> list[str]:
        """Return the names of the resources the package holds, in the descriptor's order."""
        return list(self.stores)

    def rows(self, resource: str, report_id: str | None = None) -> list[Row]:
        """Return the rows of a resource, only those of one report when `report_id` is given.

        The list is the caller's: it may be sorted or extended.
        """
        self._read(resource, report_id)
        store = self.stores.get(resource)
        if store is None:
            return []
        if report_id is None:
            whole = self._whole.get(resource)
            if whole is None:
                whole = store.all()
                if len(whole) <= _CACHED_WHOLE:  # small corpus-wide resources (reports, rules) are read often
                    self._whole[resource] = whole
            return list(whole)
        key = (resource, report_id)
        with self._lock:  # the LRU's order is shared by the threads that read
            cached = self._slices.get(key)
            if cached is not None:
                self._slices.move_to_end(key)
        if cached is None:
            cached = store.of_report(report_id)
            with self._lock:
                self._slices[key] = cached
                if len(self._slices) > _CACHED_SLICES:
                    self._slices.popitem(last=False)
        return list(cached)

    def count(self, resource: str, columns: Sequence[str]) -> Counter[tuple[Any, ...]]:
        """Count a resource's rows by the values of `columns`."""
        self._read(resource, None)
        store = self.stores.get(resource)
        return store.count(columns) if store is not None else Counter()

    def text_table(self, resource: str, columns: Sequence[str]) -> pa.Table:
        """Return a resource's `columns` as the CSV's text (a blank as "")."""
        self._read(resource, None)
        return self.stores[resource].text_table(columns)

    def report_groups(self, resource: str) -> dict[str, np.ndarray]:
        """Return each report's row numbers in a resource (empty when it has no report_id)."""
        self._read(resource, None)
        store = self.stores.get(resource)
        return store.report_groups() if store is not None else {}

    def report_order(self, resource: str) -> list[str]:
        """Return the reports with rows in a resource, in the order of their first row (the file's order)."""
        groups = self.report_groups(resource)
        return [rid for _, rid in sorted((int(ix[0]), rid) for rid, ix in groups.items() if len(ix))]

    def has(self, resource: str) -> bool:
        """Tell whether the package holds this resource (the descriptor says; no rows are read)."""
        return resource in self.stores

    def digest(self, resource: str, report_id: str | None = None) -> str:
        """Return the SHA-256 of a resource's rows (one report's when `report_id` is given; "" for none)."""
        store = self.stores.get(resource)
        if store is None:
            return ""
        return store.digests().get(report_id, "")

    @contextlib.contextmanager
    def recording(self) -> Iterator[set[tuple[str, str | None]]]:
        """Collect the (resource, report) slices read inside the block; (resource, None) is all of it.

        Anything read whole (rows without a report, counts, tables) counts as all of it.
        """
        outer: set[tuple[str, str | None]] | None = getattr(self._local, "reads", None)
        inner: set[tuple[str, str | None]] = set()
        self._local.reads = inner
        try:
            yield inner
        finally:
            self._local.reads = outer
            if outer is not None:
                outer |= inner

    def _read(self, resource: str, report_id: str | None) -> None:
        reads = getattr(self._local, "reads", None)
        if reads is not None:
            reads.add((resource, report_id))


def contiguous(rows: np.ndarray) -> bool:
    """Tell whether ascending row numbers run without a gap (the package writes a report's rows together)."""
    return int(rows[-1]) - int(rows[0]) + 1 == len(rows)


def rows_at(table: pa.Table, rows: np.ndarray) -> pa.Table:
    """Return the rows of `table` at these ascending row numbers: a zero-copy slice when they are contiguous."""
    if contiguous(rows):
        return table.slice(int(rows[0]), len(rows))
    return table.take(pa.array(rows.astype(np.int64)))


def string_values(chunk: pa.Array) -> tuple[np.ndarray, memoryview]:
    """Return a string array's value offsets (int64, `len + 1` of them, into the data) and its data buffer.

    Value i is `data[offsets[i]:offsets[i + 1]]`; nothing is copied.
    """
    _validity, offsets, data = chunk.buffers()[:3]
    wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
    bounds = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
    return bounds.astype(np.int64), memoryview(data) if data is not None else memoryview(b"")


def _column_parts(column: pa.ChunkedArray) -> tuple[bytes, np.ndarray, memoryview]:
    """Return a text column's value lengths (int64 bytes), offsets (from 0) and value bytes, one chunk's worth."""
    chunk = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if len(chunk) == 0:
        return b"", np.zeros(1, dtype=np.int64), memoryview(b"")
    bounds, data = string_values(chunk)
    return np.diff(bounds).tobytes(), bounds - bounds[0], data[int(bounds[0]):int(bounds[-1])]


def table_digest(table: pa.Table) -> str:
    """Return the SHA-256 of a table of text columns: each column's value lengths, then its bytes.

    How the table is cut into chunks does not change it (a report's rows hash the same
    wherever the CSV reader's blocks fall).
    """
    return group_digests(table, {None: np.arange(table.num_rows)})[None]


def group_digests(table: pa.Table, groups: dict[Any, np.ndarray]) -> dict[Any, str]:
    """Return `table_digest` of each group's rows (ascending row numbers), a column's buffers read once.

    A group whose rows are contiguous is hashed straight from the column's buffers; another
    from its rows taken out.
    """
    head = hashlib.sha256(repr(table.column_names).encode())
    out: dict[Any, str] = {}
    scattered = {key: rows for key, rows in groups.items() if len(rows) and not contiguous(rows)}
    digests = {key: head.copy() for key in groups if key not in scattered}
    for column in table.columns:
        lengths, offsets, values = _column_parts(column)
        for key, digest in digests.items():
            rows = groups[key]
            if len(rows):
                start, stop = int(rows[0]), int(rows[-1]) + 1
                digest.update(lengths[start * 8:stop * 8])
                digest.update(values[int(offsets[start]):int(offsets[stop])])
    out.update((key, d.hexdigest()) for key, d in digests.items())
    for key, rows in scattered.items():
        out[key] = table_digest(rows_at(table, rows))
    return out


def read_csv_strings(path: Path) -> pa.Table:
    """Read a CSV as text columns exactly as written: no type guessing, a blank stays ""."""
    with path.open("rb") as f:
        header = f.readline().decode("utf-8-sig").rstrip("\r\n")
    names = next(csv.reader([header]), [])
    return pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(use_threads=False, block_size=1 << 22),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names},
                                              strings_can_be_null=False, quoted_strings_can_be_null=False),
    )


def load_package(package_dir: Path) -> Package:
    """Read `datapackage.json` and every resource CSV it lists; never go through float."""
    descriptor_path = package_dir / "datapackage.json"
    if not descriptor_path.is_file():
        raise EnvironmentProblem(
            f"no data package at {descriptor_path}; build it first (`juesuan data reports/* --out {package_dir}`)"
        )
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    package = Package(path=package_dir, descriptor=descriptor)
    for res in descriptor.get("resources", []):
        if res.get("format", "csv") != "csv":  # the Parquet twins hold the same rows
            continue
        types = {f["name"]: f.get("type", "string") for f in res.get("schema", {}).get("fields", [])}
        package.stores[res["name"]] = ArrowStore(read_csv_strings(package_dir / res["path"]), types)
    return package
