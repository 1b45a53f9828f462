"""Read the tab-separated text export of a report into raw tables and prose lines.

In the export a table is a run of lines holding tabs (blank lines may fall inside a run
where the PDF had a page break); everything else is prose. The lines just above a table
carry its title, `公开 NN 表` label, `部门：` and `单位：` lines; `注：` lines follow it.
Cells keep their order but not always their column: the export drops merged header cells,
so `RawTable.aligned` is False and the recognizer maps amounts by order, not by position.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from juesuan.catalog import match_label, match_title
from juesuan.errors import ReportError
from juesuan.model import RawCell, RawReport, RawTable, TextLine

_UNIT = re.compile(r"单位[:：]\s*(万元|元|千元|亿元)")
_DEPARTMENT = re.compile(r"^(?:部门|单位名称|编制部门|填报单位)[:：]\s*(.+?)\s*$")
_NOTE = re.compile(r"^(注[:：]|\d+[.、．]\s*本)")
_CONTEXT_LINES = 8  # how far above a table its title, label, unit and department lines sit

# Export-tool artefacts: HTML paragraph tags around cell text and LaTeX math for symbols.
_HTML_TAG = re.compile(r"</?(?:p|br|span|div|b|i|strong|em|sup|sub)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_LATEX_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_LATEX_SYMBOLS = {r"\geq": "≥", r"\ge": "≥", r"\leq": "≤", r"\le": "≤", r"\neq": "≠", r"\times": "×",
                  r"\div": "÷", r"\pm": "±", r"\%": "%", r"\gt": ">", r"\lt": "<", r"\sim": "～"}
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\%")


def read_text(path: Path) -> RawReport:
    """Read a text export; raise ReportError when it is not one."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ReportError(path, "not a text export: the file is neither UTF-8 nor GB18030 text") from None
    if "\x00" in text:
        raise ReportError(path, "not a text export: the file holds binary data")
    lines = [clean_export_artefacts(line) for line in text.splitlines()]
    if not any("\t" in line for line in lines):
        raise ReportError(path, "not a text export: no tab-separated table lines found")
    tables, prose = lines_to_tables(lines)
    return RawReport(
        source_file=path,
        source_sha256=hashlib.sha256(data).hexdigest(),
        input_kind="text",
        pages=None,
        tables=tables,
        lines=prose,
    )


def clean_export_artefacts(line: str) -> str:
    """Return one export line without the exporter's markup: <p> tags, LaTeX math ($\\geq 98\\%$ → ≥98%)."""
    line = _HTML_TAG.sub("", line)

    def math_to_text(m: re.Match[str]) -> str:
        body = _LATEX_COMMAND.sub(lambda c: _LATEX_SYMBOLS.get(c.group(0), c.group(0)), m.group(1))
        return body if "\\" not in body else m.group(0)  # an unknown command stays as printed

    line = _LATEX_MATH.sub(math_to_text, line)
    # Inside math the exporter spaces symbols from numbers ("≥ 98%"): a symbol binds to its number.
    return re.sub(r"([≥≤≠±])\s+(?=\d)", r"\1", line)


def lines_to_tables(lines: list[str]) -> tuple[list[RawTable], list[TextLine]]:
    """Split export lines into raw tables (with their context) and prose lines."""
    blocks = _table_blocks(lines)
    tables: list[RawTable] = []
    in_table: set[int] = set()
    previous_end = 0
    for start, end in blocks:
        in_table.update(range(start, end))
        context = [
            (i, lines[i].strip())
            for i in range(previous_end, start)
            if lines[i].strip() and "\t" not in lines[i]
        ][-_CONTEXT_LINES:]
        rows = [_split_row(lines[i], i + 1) for i in range(start, end) if lines[i].strip()]
        table = _context_to_table(context, rows)
        table.notes = _notes_after(lines, end, blocks)
        tables.append(table)
        previous_end = end
    prose = [
        TextLine(text=line.strip(), line=i + 1)
        for i, line in enumerate(lines)
        if i not in in_table and line.strip()
    ]
    return tables, prose


def _table_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Return [start, end) index ranges of runs of tab lines, blank lines allowed inside."""
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    last_tab = -1
    for i, line in enumerate(lines):
        if "\t" in line:
            if start is None:
                start = i
            last_tab = i
        elif line.strip() and start is not None:
            blocks.append((start, last_tab + 1))
            start = None
    if start is not None:
        blocks.append((start, last_tab + 1))
    return blocks


def _split_row(line: str, number: int) -> list[RawCell]:
    """Split one export line into cells, keeping empty cells (they hold column places)."""
    return [RawCell(text=cell.strip(), line=number) for cell in line.rstrip("\n").split("\t")]


def _context_to_table(context: list[tuple[int, str]], rows: list[list[RawCell]]) -> RawTable:
    """Build a RawTable from its grid and the lines above it."""
    title, title_line, label, unit, department = "", None, None, None, None
    for i, text in context:
        if match_title(text):
            title, title_line = text, i + 1
        elif (number := match_label(text)) is not None:
            label = f"公开{number}表"
        if m := _UNIT.search(text):
            unit = m.group(1)
        if m := _DEPARTMENT.match(text):
            department = m.group(1)
    if not title:
        # A non-standard table (单位构成, 绩效自评表): its caption is the first cell, or the
        # nearest short line above.
        first = next((c.text for c in rows[0] if c.text), "") if rows else ""
        short = [
            (i, t)
            for i, t in context
            if len(t) <= 40 and not _UNIT.search(t) and not re.fullmatch(r"[(（]\s*\d{4}\s*年度?\s*[)）]", t)
        ]
        if first and len(first) <= 20 and sum(1 for c in rows[0] if c.text) == 1:
            title, title_line = first, rows[0][0].line
        elif short:
            title, title_line = short[-1][1], short[-1][0] + 1
    # The unit is sometimes printed inside the first grid row.
    for cell in rows[0] if rows and unit is None else []:
        if m := _UNIT.search(cell.text):
            unit = m.group(1)
    width = max((len(r) for r in rows), default=0)
    grid = [r + [RawCell(text="", line=r[0].line)] * (width - len(r)) for r in rows]
    return RawTable(
        title=title, rows=grid, label=label, unit=unit, department=department, line=title_line, aligned=False
    )


def _notes_after(lines: list[str], end: int, blocks: list[tuple[int, int]]) -> list[str]:
    """Collect the 注： lines that follow a table, stopping at the next table or heading."""
    next_start = next((s for s, _ in blocks if s >= end), len(lines))
    notes: list[str] = []
    for i in range(end, min(next_start, end + 8)):
        text = lines[i].strip()
        if not text:
            continue
        if _NOTE.match(text) or (notes and re.match(r"^\d+[.、．]", text)):
            notes.append(text)
        else:
            break
    return notes
