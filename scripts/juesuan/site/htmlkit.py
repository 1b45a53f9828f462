"""HTML building blocks shared by the generated pages: escaping, tables, source citations.

Report text reaches HTML only through `h` (html.escape) or, in Markdown context, `md`, which
also neutralizes Markdown syntax. Tables are raw HTML (one line per row, no blank lines), so
Python-Markdown passes them through untouched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from juesuan.amounts import format_amount
from juesuan.fsutil import copy_if_changed
from juesuan.site.load import Row


def h(text: object) -> str:
    """Escape text for HTML (attribute-safe)."""
    return html.escape("" if text is None else str(text), quote=True)


_MD_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
    | {ch: f"&#{ord(ch)};" for ch in "\\*_`[]|#~{}"}
)


def md(text: object) -> str:
    """Escape text for Markdown: HTML-escape and defuse Markdown/attr_list syntax, in one pass."""
    return ("" if text is None else str(text)).translate(_MD_ESCAPES)


def fmt(value: Decimal | None) -> str:
    """Format an amount (万元) with two decimals; blank for None."""
    return format_amount(value) if value is not None else ""


def num(value: Decimal | None) -> str:
    """Format a score or count as printed (no forced decimals); blank for None."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return text


def pct(value: Decimal | None) -> str:
    """Format a percentage as printed with two decimals, e.g. 77.27%."""
    if value is None:
        return ""
    q = value.quantize(Decimal("0.01"))
    return f"{format_amount(q if q == value else value)}%"


def signed(value: Decimal | None, suffix: str = "") -> str:
    """Format a change with an explicit sign: +17.03, −765.56 (a real minus sign)."""
    if value is None:
        return ""
    text = format_amount(abs(value)) + suffix
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text


# A cell is a number when it starts with one (sign, thousands separators, decimals, optional %),
# followed by nothing, a space (“86.88 / 100”) or markup (“491.65 <abbr…>推算</abbr>”).
_NUMERIC = re.compile(r"^[-+−]?\d[\d,]*(\.\d+)?%?(\s|<|$)")


@dataclass
class Tr:
    """A table row with attributes: an id to link to, a CSS class."""

    cells: list[str]
    id: str = ""
    css: str = ""


@dataclass
class Group:
    """A row spanning the whole table that names the rows under it."""

    title: str
    css: str = "juesuan-group"
    cells: list[str] = field(default_factory=list)


@dataclass
class Wide:
    """A row whose one cell spans the whole table; `html` is built by this package (escaped)."""

    html: str
    css: str = ""


def html_table(headers: Sequence[str], rows: Sequence[list[str] | Tr | Group | Wide], css: str = "",
               raw_cols: frozenset[int] = frozenset(), text_cols: frozenset[int] = frozenset()) -> str:
    """Return an HTML table (one line per row, no blank lines) with every cell escaped.

    Columns in `raw_cols` hold HTML built by this package (links, escaped text) and are not
    escaped again. Number cells are right-aligned, and so is the header of a column holding
    only numbers; the first column and `text_cols` are always left-aligned (labels, years).
    The table itself carries no class, so Material styles it like a Markdown table; `css`
    goes on the scrolling wrapper.
    """
    body: list[tuple[str, list[str] | None, str]] = []  # (tr attributes, cells or None, group title)
    numeric = [0] * len(headers)
    textual = [0] * len(headers)
    for row in rows:
        if isinstance(row, Group):
            attrs = f' class="{h(row.css)}"'
            body.append((attrs, None, row.title))
            continue
        if isinstance(row, Wide):
            attrs = f' class="{h(row.css)}"' if row.css else ""
            body.append((attrs, [f'<td colspan="{len(headers)}">{row.html}</td>'], ""))
            continue
        cells = row.cells if isinstance(row, Tr) else row
        attrs = ""
        if isinstance(row, Tr):
            attrs = (f' id="{h(row.id)}"' if row.id else "") + (f' class="{h(row.css)}"' if row.css else "")
        out_cells = []
        for i, value in enumerate(cells):
            text = value if i in raw_cols else h(value)
            if i > 0 and i not in text_cols and not text.startswith("<") and _NUMERIC.match(text):
                out_cells.append(f'<td class="num">{text}</td>')
                numeric[i] += 1
            else:
                out_cells.append(f"<td>{text}</td>")
                if text.strip() not in ("", "—") and i < len(textual):
                    textual[i] += 1
        body.append((attrs, out_cells, ""))
    wrapper = f"juesuan-table {css}".strip()
    out = [f'<div class="{wrapper}">', "<table>", "<thead><tr>"]
    out += [f'<th class="num">{h(t)}</th>' if numeric[i] and not textual[i] else f"<th>{h(t)}</th>"
            for i, t in enumerate(headers)]
    out.append("</tr></thead><tbody>")
    for attrs, row_html, title in body:
        if row_html is None:
            out.append(f'<tr{attrs}><th colspan="{len(headers)}">{h(title)}</th></tr>')
        else:
            out.append(f"<tr{attrs}>" + "".join(row_html) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def details(summary: str, body: str, css: str = "note", open_: bool = False) -> str:
    """Return a collapsible block styled like Material's admonitions (raw `<details>`, no blank lines).

    `summary` and `body` are HTML built by this package (escape report text before).
    """
    opened = " open" if open_ else ""
    return f'<details class="{h(css)}"{opened}>\n<summary>{summary}</summary>\n{body}\n</details>'


def ints(text: object) -> list[int]:
    """Return the integers of a comma-separated list (pages, lines); [] for blank."""
    if text is None:
        return []
    if isinstance(text, int):
        return [text]
    return [int(t) for t in str(text).replace("，", ",").split(",") if t.strip().isdigit()]


class Sources:
    """Where a report's source file is published on the site, to link pages and lines."""

    def __init__(self, downloads: Path, sources_dir: Path | None) -> None:
        self.downloads = downloads
        self.sources_dir = sources_dir
        self.published: dict[str, str] = {}

    def publish(self, report: Row) -> None:
        """Copy the report's source file into downloads/sources/ when it can be found."""
        name = report.get("source_file") or ""
        if not name or self.sources_dir is None:
            return
        src = self.sources_dir / Path(name).name
        if src.is_file():
            copy_if_changed(src, self.downloads / "sources" / src.name)  # unchanged: mtime kept
            self.published[report["report_id"]] = src.name

    def href(self, report_id: str) -> str | None:
        """Return the source file's URL relative to a report page, None when not published."""
        name = self.published.get(report_id)
        return f"../downloads/sources/{name}" if name else None

    def cite(self, report_id: str, pages: list[int], lines: list[int], title: str = "") -> str:
        """Return HTML naming the source pages (linked `#page=N`) or text lines.

        `title` (plain text, e.g. the sentence a number was read from) becomes the tooltip.
        """
        href = self.href(report_id)
        tip = f' title="{h(title)}"' if title else ""
        parts: list[str] = []
        pdf = bool(href) and str(href).lower().endswith(".pdf")
        for p in sorted(set(pages)):
            parts.append(f'<a href="{h(href)}#page={p}"{tip}>第{p}页</a>' if pdf else f"<span{tip}>第{p}页</span>" if tip else f"第{p}页")
        if not parts and lines:
            ls = sorted(set(lines))
            text = f"第{ls[0]}行" if len(ls) == 1 else f"第{ls[0]}–{ls[-1]}行"
            if href:
                parts.append(f'<a href="{h(href)}"{tip}>{text}</a>')
            else:
                parts.append(f"<span{tip}>{text}</span>" if tip else text)
        return "、".join(parts)
