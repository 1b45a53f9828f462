"""The data model shared by every stage: raw cells in, tidy records out.

Stages and the types they exchange:

    read        path            -> RawReport   (RawTable grids + TextLine prose, with provenance)
    recognize   RawTable        -> StandardTable | None   (by title and header, never by position)
    normalize   StandardTable   -> list[LineItem]          (the faithful layer, one row per numeric cell)
    canonical   list[LineItem]  -> dict[resource, rows]     (same columns for every layout)
    check       ReportData      -> list[Finding]
    package     list[ReportData] -> datapackage/ on disk
"""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, dataclass_transform

InputKind = Literal["text", "pdf"]
Severity = Literal["error", "warning", "rounding", "pass", "not-checked"]
# Every outcome of a check, in the order reports list them; not-checked: the rule could not run.
SEVERITIES: tuple[Severity, ...] = ("pass", "rounding", "warning", "error", "not-checked")
ColumnRole = Literal["code", "code_part", "item", "amount", "line_no", "ignore"]


@dataclass_transform(field_specifiers=(field,))
def dataclass(cls: Any = None, /, **kwargs: Any) -> Any:
    """Make a dataclass (`dataclasses.dataclass`) that, when slotted, pickles as a tuple of its fields.

    A slotted dataclass's own pickling calls `dataclasses.fields()` for every object: reading
    1,000 cached reports (1.3 million objects) spent half its time there.
    """
    def wrap(c: Any) -> Any:
        made = dataclasses.dataclass(c, **kwargs)
        if kwargs.get("slots"):
            names = tuple(f.name for f in dataclasses.fields(made))
            get = operator.attrgetter(*names)
            setters = [getattr(made, n).__set__ for n in names]  # the slots' own descriptors (frozen too)

            def getstate(self: Any) -> tuple[Any, ...]:
                values = get(self)
                return values if len(names) > 1 else (values,)

            def setstate(self: Any, state: Any) -> None:
                for put, value in zip(setters, state, strict=True):
                    put(self, value)

            made.__getstate__ = getstate
            made.__setstate__ = setstate
        return made

    return wrap if cls is None else wrap(cls)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on a PDF page in points, origin top-left (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class RawCell:
    """One grid cell as printed: text plus where it came from.

    A merged cell puts its text in its top-left grid position and leaves the positions it
    covers blank; `colspan`/`rowspan` say how far it reaches where the reader knows (PDF),
    and stay 1 where it does not (text export).
    """

    text: str
    page: int | None = None
    line: int | None = None
    box: Box | None = None
    colspan: int = 1
    rowspan: int = 1


@dataclass(slots=True)
class RawTable:
    """A table as found in the source: title lines above it and a rectangular grid of cells."""

    title: str
    rows: list[list[RawCell]]
    label: str | None = None  # e.g. "公开01表" where printed
    unit: str | None = None  # "万元" or "元" from the 单位： line, None when not printed
    department: str | None = None  # from a "部门：…" line where printed
    notes: list[str] = field(default_factory=list)  # 注：… lines under the table
    page: int | None = None  # page of the title (PDF)
    line: int | None = None  # line of the title (text export)
    pages: list[int] = field(default_factory=list)  # every page the table spans (PDF)
    # True when grid columns are geometric (PDF); False when cells keep their order but a
    # merged cell may have been dropped (text export), so amounts are mapped by order.
    aligned: bool = True

    @property
    def width(self) -> int:
        """Return the number of grid columns."""
        return max((len(r) for r in self.rows), default=0)


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line (or paragraph) of prose in reading order."""

    text: str
    page: int | None = None
    line: int | None = None


@dataclass(slots=True)
class RawReport:
    """Everything a reader extracted from one file, before any interpretation."""

    source_file: Path
    source_sha256: str
    input_kind: InputKind
    pages: int | None  # PDF page count; None for the text export
    tables: list[RawTable]  # every table met, standard or not, in document order
    lines: list[TextLine]  # all non-table text in reading order (cover, headings, narrative)
    warnings: list[str] = field(default_factory=list)
    # A report published as two files: the narrative part joined to this tables part.
    narrative_file: Path | None = None
    narrative_sha256: str = ""
    narrative_pages: int | None = None


@dataclass(frozen=True, slots=True)
class Amount:
    """A parsed amount cell: exact value, or blank, plus any repair made to read it."""

    value: Decimal | None  # None when printed blank
    raw: str
    blank: bool
    repair: str = ""  # e.g. "joined digits split by cell wrapping: '3658.4 4'"
    repair_code: str = ""  # the kind of repair, a code of normalize.REPAIR_CODES ("digits-joined")


@dataclass(slots=True)
class Column:
    """What one grid column of a standard table holds."""

    index: int
    role: ColumnRole
    group: int = 0  # side-by-side column groups (01/04: 收入|支出; 06: up to three)
    section: str = ""  # 收入/支出 for 01/04; 人员经费/公用经费 for 06 groups
    measure: str = ""  # header path, whitespace removed, levels joined by "/"
    measure_id: str = ""  # canonical measure from catalog.MEASURES, "" when unknown


@dataclass(slots=True)
class StandardTable:
    """A recognized 公开NN表 with its columns understood and its data rows separated."""

    number: str  # "01" … "09"
    raw: RawTable
    columns: list[Column]
    body: list[list[RawCell]]  # data rows only: no header, no 栏次 row
    unit: str  # "万元" or "元"; recognize() warns where the table prints none
    empty: bool = False  # printed with no data (本表无数据 / all blank)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LineItem:
    """One numeric cell of a standard table: the faithful layer of the data package."""

    report_id: str
    table: str
    row: int  # 1-based data row within the table
    col: int  # 1-based grid column the cell was printed in
    group: int  # column group (01/04: 0 收入, 1 支出; 06: 0..2)
    section: str
    code: str
    item: str
    parent: str
    measure: str
    measure_id: str
    amount: Decimal | None  # in 万元; None where printed blank
    raw: str
    blank: bool
    unit_printed: str
    repair: str
    page: int | None
    line: int | None
    box: Box | None
    repair_code: str = ""  # comma-separated codes of normalize.REPAIR_CODES, in the order made


@dataclass(slots=True)
class ReportMeta:
    """Who, where, when and what a report is."""

    report_id: str
    department: str
    region: str
    year: int | None
    kind: str  # 部门决算 / 单位决算 / 部门预算 / 单位预算
    unit: str  # unit printed on the tables, "万元" after conversion is what amounts are in
    source_file: str
    source_sha256: str
    pages: int | None
    parser_version: str
    input_kind: InputKind
    is_template: bool = False
    kind_family: str = "决算"  # 决算 / 预算
    level: str = "部门"  # 部门 / 单位
    narrative_file: str = ""  # the 情况说明 file, where the report was published as two files
    narrative_sha256: str = ""


@dataclass(slots=True)
class Finding:
    """One consistency check result (a pass is a finding too)."""

    report_id: str
    rule: str  # stable kebab-case code
    severity: Severity
    tables: str  # e.g. "01" or "01,03"
    row: str  # the row(s) involved, e.g. a code or item label
    pages: str  # e.g. "6,7"
    expected: Decimal | None
    actual: Decimal | None
    message: str  # plain Chinese explanation
    lines: str = ""  # text-export lines involved, comma-separated
    unit: str = "万元"  # unit of expected/actual: 万元, % (rates) or "" (counts)

    @property
    def difference(self) -> Decimal | None:
        """Return actual minus expected where both are known."""
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected


@dataclass(slots=True)
class ReportData:
    """One report after normalize: metadata, faithful cells, canonical rows, findings."""

    meta: ReportMeta
    line_items: list[LineItem]
    resources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tables: dict[str, StandardTable] = field(default_factory=dict)
    missing_tables: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raw: RawReport | None = None
