"""Write a report's raw tables and prose as a tab-separated text export (its "twin").

The twin keeps the grid exactly as the PDF reader found it: one line per grid row, cells
joined by tabs, the empty cells of merged headers kept (the Shanghai export layout). With
`drop_empty` the empty cells are dropped instead, as the Fujian export does.
"""

from __future__ import annotations

from juesuan.model import RawReport, RawTable


def _table_lines(table: RawTable, drop_empty: bool) -> list[str]:
    lines = ["", table.title or "表"]
    if table.unit:
        lines.append(f"单位：{table.unit}")
    for row in table.rows:
        cells = [" ".join(c.text.split()) for c in row]
        if drop_empty:
            cells = [c for c in cells if c]
        if any(cells):
            # A row of one cell still needs a tab to be read as a table row.
            lines.append("\t".join(cells) if len(cells) > 1 else cells[0] + "\t")
    return [*lines, ""]


def report_to_text_export(raw: RawReport, *, drop_empty: bool = False) -> str:
    """Return the text export of a read report: prose and tables in page order."""
    out: list[str] = []
    pages = sorted({t.page or 0 for t in raw.tables} | {ln.page or 0 for ln in raw.lines})
    for page in pages:
        out += [ln.text for ln in raw.lines if (ln.page or 0) == page and "\t" not in ln.text]
        for table in raw.tables:
            if (table.page or 0) == page:
                out += _table_lines(table, drop_empty)
    return "\n".join(out) + "\n"
