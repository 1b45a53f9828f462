"""Report metadata: department, region, year and kind, from the cover and the table titles."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin

from juesuan import __version__
from juesuan.catalog import match_title, normalize_title
from juesuan.model import RawReport, ReportMeta, StandardTable

_YEAR = re.compile(r"(20\d{2})\s*年")
_REGION = re.compile(
    r"^(?:中共|中国共产党)?((?:[\u4e00-\u9fa5]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{2,4}?(?:市|自治州|地区|盟))?"
    r"(?:[\u4e00-\u9fa5]{1,3}?(?:区|县|旗))?)"
)
_COVER_NOISE = re.compile(r"(20\d{2}\s*年\s*度?|部门决算|部门预算|决算|预算|年度|报告|公开|目录|目\s*录)")
_NAMED_DEPARTMENT = re.compile(r"^(?:预算主管部门|主管部门|预算单位|部门名称|单位名称)[:：](\S{2,40})$")
# A cover names its kind: 部门决算, 单位预算, 区级部门预算, 部门预算公开 …
_COVER_KIND = re.compile(r"(部门|单位)(决算|预算)")
# A table title ends in its kind: …决算表, …决算总表, …预算表 (an optional bracketed note after).
_TITLE_FAMILY = re.compile(r"([决预])算(?:总|明细)?表(?:\(.*\))?$")
# Unit-level budget titles: "2025年预算单位财务收支预算总表", "2025年单位“三公”经费…".
_TITLE_UNIT_LEVEL = re.compile(r"^(?:.*?\d{4}年(?:度)?)?(?:预算)?单位")


@dataclass(frozen=True)
class ReportKind:
    """What a report is: 决算 (final accounts) or 预算 (budget), of a 部门 or a 单位."""

    family: str  # 决算 / 预算
    level: str  # 部门 / 单位

    @property
    def kind(self) -> str:
        """Return the kind as printed on covers: 部门决算, 单位决算, 部门预算, 单位预算."""
        return self.level + self.family


def title_family(title: str) -> str:
    """Return 决算 or 预算 when a table title ends in its kind (…决算表, …预算总表), else ""."""
    m = _TITLE_FAMILY.search(normalize_title(title))
    return m.group(1) + "算" if m else ""


def cover_text(raw: RawReport) -> str:
    """Return the cover lines joined without whitespace: the lines before 目录 or the first part."""
    cover: list[str] = []
    for line in raw.lines[:12]:
        text = re.sub(r"\s+", "", line.text)
        if text.startswith(("目录", "第一部分")) or "单位：" in text or match_title(text):
            break
        cover.append(text)
    return "".join(cover)


def report_kind(raw: RawReport, table_titles: Iterable[str]) -> tuple[ReportKind, list[str]]:
    """Return the report's kind from its cover title and its table titles, with warnings.

    Table titles decide the family (决算/预算) when they agree among themselves, since they
    are what the numbers are; a cover saying otherwise is a warning. The level (部门/单位)
    comes from the cover, else from unit-level table titles, else is taken as 部门 with a warning.
    """
    warnings: list[str] = []
    cover = cover_text(raw)
    printed = _COVER_KIND.findall(cover)
    cover_family = printed[0][1] if printed else ""
    cover_level = printed[0][0] if printed else ""
    titles = [normalize_title(t) for t in table_titles if t.strip()]
    families = Counter(f for t in titles if (f := title_family(t)))
    table_family = ""
    if families:
        table_family = families.most_common(1)[0][0]
        if len(families) > 1:
            warnings.append(f"table titles mix 决算 and 预算 ({dict(families)}); taken as {table_family}")
    family = table_family or cover_family
    if not family:
        family = "决算"
        warnings.append("report kind not printed on the cover nor in any table title; taken as 决算")
    elif cover_family and cover_family != family:
        warnings.append(f"the cover says {cover_level}{cover_family} but the tables are {family} tables; taken as {family}")
    level = cover_level
    if not level:
        kinded = [t for t in titles if _TITLE_FAMILY.search(t)]
        unit_titles = sum(bool(_TITLE_UNIT_LEVEL.match(t)) for t in kinded)
        level = "单位" if unit_titles and unit_titles * 2 >= len(kinded) else "部门"
        if not unit_titles:
            warnings.append(f"report level (部门/单位) not printed on the cover; taken as 部门{family}")
    return ReportKind(family, level), warnings


def extract_meta(raw: RawReport, tables: list[StandardTable], kind: ReportKind) -> tuple[ReportMeta, list[str]]:
    """Return the report's metadata and warnings about what was unknown or conflicting."""
    warnings: list[str] = []
    department = _department(raw, tables, warnings)
    year = _year(raw, warnings)
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
        kind=kind.kind,
        kind_family=kind.family,
        level=kind.level,
        unit=unit,
        source_file=raw.source_file.name,
        source_sha256=raw.source_sha256,
        narrative_file=raw.narrative_file.name if raw.narrative_file else "",
        narrative_sha256=raw.narrative_sha256,
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
    # A cover line naming the department outright (预算主管部门：…, 预算单位：…) beats the cover
    # title, which may name only the level (上海市普陀区2025年区级单位预算).
    for line in raw.lines[:12]:
        if m := _NAMED_DEPARTMENT.match(re.sub(r"\s+", "", line.text)):
            return m.group(1)
    cover = cover_department(raw)
    if cover:
        return cover
    warnings.append("department unknown: no 部门 line and no cover title; using the file name")
    return raw.source_file.stem


def cover_department(raw: RawReport) -> str:
    """Return the department named on the cover: the lines before 目录, noise words removed."""
    cover: list[str] = []
    running = running_heads(raw)
    for line in raw.lines[:12]:
        text = re.sub(r"\s+", "", line.text)
        # The cover ends at the contents, the first part, or a table (title, 单位, 注 lines).
        if text.startswith(("目录", "第一部分", "注")) or "单位：" in text or match_title(text):
            break
        if text not in running:
            cover.append(text)
    name = _COVER_NOISE.sub("", "".join(cover)).strip("（）() ")
    # A department name is short; anything longer is prose, not a cover title.
    return name if 2 <= len(name) <= 40 else ""


RUNNING_HEAD_MIN = 3  # a line printed this often is a page heading, not the cover's title


def running_heads(raw: RawReport) -> set[str]:
    """Return the lines printed again and again (page headings above every table page)."""
    counts = Counter(re.sub(r"\s+", "", line.text) for line in raw.lines)
    return {text for text, n in counts.items() if n >= RUNNING_HEAD_MIN}


def _year(raw: RawReport, warnings: list[str]) -> int | None:
    # The cover title names the year; budget prose quotes last year's figures all along, so
    # the body only counts where the cover prints none, after the table titles (`2025年部门…`).
    for texts in ([cover_text(raw)], [t.title for t in raw.tables if title_family(t.title)]):
        printed = Counter(int(m.group(1)) for text in texts for m in _YEAR.finditer(text))
        if printed:
            return printed.most_common(1)[0][0]
    years = Counter(int(m.group(1)) for line in raw.lines[:60] for m in _YEAR.finditer(line.text))
    if years:
        return years.most_common(1)[0][0]
    if m := re.search(r"(20\d{2})", raw.source_file.name):
        warnings.append("year not printed on the cover; taken from the file name")
        return int(m.group(1))
    warnings.append("year unknown")
    return None


def _region(department: str) -> str:
    m = _REGION.match(department)
    return m.group(1) if m else ""


def report_id_for(path: Path, department: str, year: int | None, kind: ReportKind) -> str:
    """Return a stable ASCII slug: the file name when it is ASCII, else pinyin of the department."""
    stem = path.stem
    if re.fullmatch(r"[A-Za-z0-9._-]+", stem):
        return slugify(stem)
    words = lazy_pinyin(re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", department))
    suffix = ("final" if kind.family == "决算" else "budget") + ("-unit" if kind.level == "单位" else "")
    return slugify("-".join(["".join(words)[:48], str(year or ""), suffix]))


def slugify(text: str) -> str:
    """Return lowercase ASCII words joined by hyphens."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")
