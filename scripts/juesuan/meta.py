"""Report metadata: department, region, year and kind, from the cover and the table titles."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pypinyin import lazy_pinyin

from juesuan import __version__
from juesuan.catalog import match_title
from juesuan.model import RawReport, ReportMeta, StandardTable

_YEAR = re.compile(r"(20\d{2})\s*年")
_REGION = re.compile(
    r"^(?:中共|中国共产党)?((?:[\u4e00-\u9fa5]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{2,4}?(?:市|自治州|地区|盟))?"
    r"(?:[\u4e00-\u9fa5]{1,3}?(?:区|县|旗))?)"
)
_COVER_NOISE = re.compile(r"(20\d{2}\s*年\s*度?|部门决算|部门预算|决算|预算|年度|报告|公开|目录|目\s*录)")


def extract_meta(raw: RawReport, tables: list[StandardTable]) -> tuple[ReportMeta, list[str]]:
    """Return the report's metadata and warnings about what was unknown or conflicting."""
    warnings: list[str] = []
    department = _department(raw, tables, warnings)
    year = _year(raw, warnings)
    kind = "部门预算" if _mentions_budget(raw) else "部门决算"
    units = Counter(t.unit for t in tables if t.unit)
    unit = units.most_common(1)[0][0] if units else ""
    if len(units) > 1:
        warnings.append(f"tables print different units: {dict(units)}")
    region = _region(department)
    if not region:
        warnings.append(f"region unknown: department name {department!r} names no province, city or district")
    meta = ReportMeta(
        report_id=report_id_for(raw.source_file, department, year, kind),
        department=department,
        region=region,
        year=year,
        kind=kind,
        unit=unit,
        source_file=raw.source_file.name,
        source_sha256=raw.source_sha256,
        pages=raw.pages,
        parser_version=__version__,
        input_kind=raw.input_kind,
    )
    return meta, warnings


def _department(raw: RawReport, tables: list[StandardTable], warnings: list[str]) -> str:
    printed = Counter(t.raw.department for t in tables if t.raw.department)
    if len(printed) > 1:
        warnings.append(f"tables name different departments: {sorted(printed)}")
    if printed:
        return printed.most_common(1)[0][0]
    cover = cover_department(raw)
    if cover:
        return cover
    warnings.append("department unknown: no 部门 line and no cover title; using the file name")
    return raw.source_file.stem


def cover_department(raw: RawReport) -> str:
    """Return the department named on the cover: the lines before 目录, noise words removed."""
    cover: list[str] = []
    for line in raw.lines[:12]:
        text = re.sub(r"\s+", "", line.text)
        # The cover ends at the contents, the first part, or a table (title, 单位, 注 lines).
        if text.startswith(("目录", "第一部分", "注")) or "单位：" in text or match_title(text):
            break
        cover.append(text)
    name = _COVER_NOISE.sub("", "".join(cover)).strip("（）() ")
    # A department name is short; anything longer is prose, not a cover title.
    return name if 2 <= len(name) <= 40 else ""


def _year(raw: RawReport, warnings: list[str]) -> int | None:
    years = Counter(int(m.group(1)) for line in raw.lines[:60] for m in _YEAR.finditer(line.text))
    if years:
        return years.most_common(1)[0][0]
    if m := re.search(r"(20\d{2})", raw.source_file.name):
        warnings.append("year not printed on the cover; taken from the file name")
        return int(m.group(1))
    warnings.append("year unknown")
    return None


def _mentions_budget(raw: RawReport) -> bool:
    head = "".join(line.text for line in raw.lines[:10])
    return "预算" in head and "决算" not in head


def _region(department: str) -> str:
    m = _REGION.match(department)
    return m.group(1) if m else ""


def report_id_for(path: Path, department: str, year: int | None, kind: str) -> str:
    """Return a stable ASCII slug: the file name when it is ASCII, else pinyin of the department."""
    stem = path.stem
    if re.fullmatch(r"[A-Za-z0-9._-]+", stem):
        return slugify(stem)
    words = lazy_pinyin(re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", department))
    suffix = "final" if kind == "部门决算" else "budget"
    return slugify("-".join(["".join(words)[:48], str(year or ""), suffix]))


def slugify(text: str) -> str:
    """Return lowercase ASCII words joined by hyphens."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")
