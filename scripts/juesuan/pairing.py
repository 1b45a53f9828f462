"""One report published as two files (情况说明 narrative + 公开表 tables): pair them, then join them.

Pairing is by name before anything is read (so a parallel parse can take one group per task),
then confirmed by content when the files are joined: exactly one of them prints the tables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from juesuan.errors import ReportError
from juesuan.model import RawReport

# Words that tell a report's parts apart in their file names, not the report itself:
# `…_tables.pdf`, `…预算公开表格.pdf`, `…公开表.pdf`, and the 年/年度/度 after the year that one
# of the two names often drops. 部门 goes too (`2017年部门预算` vs `2017年预算公开表格`); 单位
# stays, so a 部门 report never pairs with the 单位 report of the same department.
_PART_WORDS = re.compile(r"(tables?|narrative|公开表格|表格|公开表|情况说明|公开|部门|年度|度|年|[\s_\-.()（）]+)", re.IGNORECASE)


@dataclass(frozen=True)
class ReportFiles:
    """The files of one report: one file, or a narrative and a tables file to be joined."""

    paths: tuple[Path, ...]


def report_files_key(path: Path) -> str:
    """Return the name a report's parts share: the file stem without part words and separators."""
    return _PART_WORDS.sub("", path.stem.lower())


def pair_report_files(paths: Sequence[Path]) -> list[ReportFiles]:
    """Group files that are parts of one report (same name but for part words), in input order.

    Only two files pair: three or more with one key are kept apart, since which two belong
    together is then a guess.
    """
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in paths:
        groups[report_files_key(Path(path))].append(Path(path))
    out: list[ReportFiles] = []
    seen: set[str] = set()
    for path in paths:
        key = report_files_key(Path(path))
        if key in seen:
            continue
        seen.add(key)
        group = groups[key]
        if len(group) == 2 and group[0] != group[1]:
            out.append(ReportFiles(tuple(group)))
        else:
            out.extend(ReportFiles((p,)) for p in group)
    return out


def join_report_parts(parts: Sequence[RawReport], has_tables: Sequence[bool]) -> RawReport:
    """Join a narrative part and a tables part into one RawReport; raise ReportError otherwise.

    The joined report takes its tables and file identity from the tables part and reads its
    cover and prose from the narrative part first, so the cover names the report.
    """
    if len(parts) == 1:
        return parts[0]
    with_tables = [p for p, t in zip(parts, has_tables, strict=True) if t]
    without = [p for p, t in zip(parts, has_tables, strict=True) if not t]
    names = " and ".join(p.source_file.name for p in parts)
    if len(with_tables) != 1 or len(without) != 1:
        raise ReportError(
            parts[0].source_file,
            f"{names} are named as parts of one report but {'both' if with_tables else 'neither'} print tables; rename one so they are read apart",
        )
    tables, narrative = with_tables[0], without[0]
    return RawReport(
        source_file=tables.source_file,
        source_sha256=tables.source_sha256,
        input_kind=tables.input_kind,
        pages=tables.pages,
        tables=tables.tables,
        lines=narrative.lines + tables.lines,
        warnings=[*narrative.warnings, *tables.warnings],
        narrative_file=narrative.source_file,
        narrative_sha256=narrative.source_sha256,
        narrative_pages=narrative.pages,
    )
