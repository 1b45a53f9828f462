"""Formula-injection policy for every table juesuan publishes (CSV and XLSX).

Spreadsheet programs run a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula; real reports print such text (绩效 target values like `=100%`).

- The data package CSVs (`datapackage/data/*.csv`) stay raw: they are data for programs, and
  a value must read back exactly as printed. Nothing here touches them.
- XLSX workbooks write every text value as an explicit string cell (never a formula), so the
  value is shown and read back exactly, with no prefix.
- CSV downloads meant to be opened in Excel (chart data, table downloads) prefix a single quote
  to text that begins with one of those characters; numbers are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

# The policy as the data guide (数据说明) states it; the page is generated from this text.
POLICY_ZH = (
    "电子表格公式防护：数据包中的 CSV 保留报告原文，不作任何改写（例如绩效指标值 `=100%` 原样保存，"
    "程序读取即得原值）。以 `=`、`+`、`-`、`@`、制表符或回车开头的文字在 Excel 等电子表格软件中"
    "可能被当作公式执行，因此：本站的 XLSX 文件把文字写成字符串单元格，不会被当作公式，值与原文相同；"
    "供电子表格打开的 CSV 下载（图表数据等）在这类文字前加一个单引号 `'`，去掉开头的 `'` 即得原值；"
    "数字不加前缀。用程序处理数据请使用数据包中的 CSV。"
)


def is_formula_like(text: str) -> bool:
    """Tell whether a spreadsheet program would read this text as a formula."""
    return text.startswith(FORMULA_STARTS)


def value_to_text(value: Any) -> str:
    """Format one value as the package does: exact decimals, lowercase booleans, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def excel_csv_cell(value: Any) -> str:
    """Return the text of one cell of an Excel-facing CSV: formula-like text gets a `'` prefix.

    Numbers (Decimal, int, float) are written as they are, so `-1.20` stays a number.
    """
    text = value_to_text(value)
    if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        return text
    return QUOTE + text if is_formula_like(text) else text


def write_excel_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a CSV for spreadsheet users: UTF-8 with BOM (Excel reads Chinese right), cells neutralized."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([excel_csv_cell(h) for h in header])
        for row in rows:
            writer.writerow([excel_csv_cell(v) for v in row])


def set_xlsx_cell(cell: Any, value: Any) -> None:
    """Put a value in an openpyxl cell: numbers as numbers, everything else as an explicit string.

    openpyxl turns a str beginning with `=` into a formula; setting the data type after the
    value keeps it a string cell.
    """
    if value is None:
        cell.value = None
    elif isinstance(value, (bool, Decimal, int, float)):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"


def write_xlsx(path: Path, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """Write a workbook with one sheet per entry (name → header, rows); text cells are strings."""
    from openpyxl import Workbook  # imported here: only the XLSX download needs it

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=name[:31])  # Excel's limit on sheet names
        for c, text in enumerate(header, start=1):
            set_xlsx_cell(sheet.cell(row=1, column=c), text)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                set_xlsx_cell(sheet.cell(row=r, column=c), value)
    book.save(Path(path))
