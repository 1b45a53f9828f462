"""Make a synthetic corpus of text-export reports from real ones, for benchmarks at scale.

Each synthetic report is a seed report's text export with its own department name and year,
and every amount (in the tables and the prose) multiplied by a per-report integer factor:
sums and differences stay exact, and rates and shares (printed with %) are left as printed,
since both years are scaled alike. Seeds are the bundled text exports plus text twins of
PDF reports (the raw grid written as tab-separated lines, see `report_to_text_export`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from juesuan.model import Column, RawCell, RawReport, RawTable
from juesuan.recognize import is_code, is_decimal_amount, recognize

# Text twins of read reports ------------------------------------------------------------------


def cell_text(cell: RawCell) -> str:
    """Return a cell's text on one line (a wrapped cell prints its lines joined by a space)."""
    return " ".join(part.strip() for part in cell.text.splitlines() if part.strip())


def fujian_row(row: list[RawCell], columns: list[Column]) -> list[str]:
    """Return a data row as the Fujian export prints it.

    Zeros are printed 0.00 (a blank amount in a column group that prints an amount), and a
    code is printed once: the empty cells between a row's code and its name are dropped
    (the row is padded at its end, as the export keeps the width of the grid).
    """
    texts = [cell_text(c) for c in row]
    by_index = {c.index: c for c in columns}
    printed_groups = {
        by_index[i].group
        for i, t in enumerate(texts)
        if i in by_index and by_index[i].role == "amount" and is_decimal_amount(t)
    }
    for i, text in enumerate(texts):
        col = by_index.get(i)
        if not text and col is not None and col.role == "amount" and col.group in printed_groups:
            texts[i] = "0.00"
    for group in sorted(printed_groups | {c.group for c in columns}):
        span = [c.index for c in columns if c.group == group and c.index < len(texts)]
        if span:
            texts[span[0] : span[-1] + 1] = _code_once(texts[span[0] : span[-1] + 1])
    return texts


def _code_once(texts: list[str]) -> list[str]:
    """Drop the empty cells between a group's leading code and its name; pad the group's end."""
    if not texts or not is_code(texts[0]):
        return texts
    name = next((i for i, t in enumerate(texts) if i and t and not is_code(t) and not t.isdigit()), None)
    if name is None:
        return texts
    gap = [i for i in range(1, name) if not texts[i]]
    return [t for i, t in enumerate(texts) if i not in gap] + [""] * len(gap)


def _table_lines(table: RawTable, drop_empty: bool, fujian_style: bool = False) -> list[str]:
    lines = ["", table.title or "表"]
    if table.unit:
        lines.append(f"单位：{table.unit}")
    standard = recognize(table) if fujian_style else None
    body = {id(row) for row in standard.body} if standard else set()
    for row in table.rows:
        cells = [" ".join(c.text.split()) for c in row]
        if standard is not None and id(row) in body:
            cells = fujian_row(row, standard.columns)
        if drop_empty:
            cells = [c for c in cells if c]
        if any(cells):
            # A row of one cell still needs a tab to be read as a table row.
            lines.append("\t".join(cells) if len(cells) > 1 else cells[0] + "\t")
    return [*lines, ""]


def report_to_text_export(raw: RawReport, *, drop_empty: bool = False, fujian_style: bool = False) -> str:
    """Return the text export of a read report: prose and tables in page order."""
    out: list[str] = []
    pages = sorted({t.page or 0 for t in raw.tables} | {ln.page or 0 for ln in raw.lines})
    for page in pages:
        out += [ln.text for ln in raw.lines if (ln.page or 0) == page and "\t" not in ln.text]
        for table in raw.tables:
            if (table.page or 0) == page:
                out += _table_lines(table, drop_empty, fujian_style)
    return "\n".join(out) + "\n"


# Synthetic variants --------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    """A report's text export and what it prints: department name and year."""

    name: str
    text: str
    department: str
    year: int
    # Integer factors that give no new error findings. Identities that hold only within rounding
    # (0.01 万元 per addend) drift by the factor times their residue, so some seeds allow only 1.
    factors: tuple[int, ...] = (1,)


# An amount: digits with a decimal part, not part of a longer number, and not a rate (… %).
# Text read from PDFs may split the decimals by a space ("3658.4 4"); the parser joins them.
_AMOUNT = re.compile(r"(?<![\d.])(-?\d[\d,]*\.\d+(?: \d+)?)(?![\d.])(?!\s*[%％])")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?=\s*年)")


def scale_amounts(text: str, factor: int) -> str:
    """Multiply every printed amount by an integer factor, keeping its decimals (and commas)."""

    def repl(m: re.Match[str]) -> str:
        printed = m.group(1)
        value = Decimal(printed.replace(",", "").replace(" ", "")) * factor
        out = f"{value:,f}" if "," in printed else format(value, "f")
        return out

    return _AMOUNT.sub(repl, text)


def shift_years(text: str, offset: int) -> str:
    """Move every year printed before 年 by offset (this year and last year alike)."""
    return _YEAR.sub(lambda m: str(int(m.group(1)) + offset), text)


def variant(seed: Seed, index: int, year: int, factor: int) -> str:
    """Return a seed's text as report number `index`: its own department, year and amounts."""
    text = seed.text.replace(seed.department, f"{seed.department}第{index}分部")
    return scale_amounts(shift_years(text, year - seed.year), factor)


FIRST_YEAR = 2015
YEARS = 10
CANDIDATE_FACTORS = (1, 2, 3, 5)


def plan(seed: Seed, index: int) -> tuple[int, int]:
    """Return the (year, factor) of report number `index`: years cycle, factors cycle over the seed's."""
    return FIRST_YEAR + index % YEARS, seed.factors[index % len(seed.factors)]


def write_corpus(seeds: list[Seed], n: int, out_dir: Path) -> list[Path]:
    """Write n synthetic reports into out_dir (a folder of its own); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        seed = seeds[i % len(seeds)]
        year, factor = plan(seed, i)
        short = re.sub(r"-20\d\d-final$", "", seed.name)
        path = out_dir / f"synth-{i:05d}-{short}-{year}-final.txt"
        path.write_text(variant(seed, i, year, factor), encoding="utf-8")
        written.append(path)
    return written


def load_seeds(paths: Iterable[Path]) -> list[Seed]:
    """Read seed reports (text exports as they are, PDFs through their text twin)."""
    from juesuan.pipeline import parse_report
    from juesuan.read import read_report

    seeds = []
    for path in paths:
        data = parse_report(path)
        if data.meta.is_template or data.meta.year is None or not data.line_items:
            continue
        text = path.read_text(encoding="utf-8") if path.suffix == ".txt" else report_to_text_export(read_report(path))
        seed = Seed(path.stem, text, data.meta.department, data.meta.year)
        seeds.append(replace(seed, factors=safe_factors(seed)))
    return seeds


def error_count(text: str) -> int:
    """Return how many error findings the checks give on a text export."""
    from juesuan.pipeline import parse_report

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(text, encoding="utf-8")
        return sum(f.severity == "error" for f in parse_report(path).findings)


def safe_factors(seed: Seed) -> tuple[int, ...]:
    """Return the candidate factors whose variant of the seed gives no more errors than the seed."""
    base = error_count(seed.text)
    return tuple(k for k in CANDIDATE_FACTORS if k == 1 or error_count(variant(seed, 1, seed.year, k)) <= base)
