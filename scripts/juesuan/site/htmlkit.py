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
from juesuan.fsutil import copy_if_changed, write_bytes_if_changed
from juesuan.read.page_image import render_pages
from juesuan.site import sourcepage
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
_TAGS = re.compile(r"<[^>]*>")  # a number linked to its source (`<a …>3658.44</a>`) is still a number


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


STACK_FROM = 4  # tables with this many columns or more turn into one card per row on a phone


def html_table(headers: Sequence[str], rows: Sequence[list[str] | Tr | Group | Wide], css: str = "",
               raw_cols: frozenset[int] = frozenset(), text_cols: frozenset[int] = frozenset(),
               stack: bool | None = None) -> str:
    """Return an HTML table (one line per row, no blank lines) with every cell escaped.

    Columns in `raw_cols` hold HTML built by this package (links, escaped text) and are not
    escaped again. Number cells are right-aligned, and so is the header of a column holding
    only numbers; the first column and `text_cols` are always left-aligned (labels, years).
    The table itself carries no class, so Material styles it like a Markdown table; `css`
    goes on the scrolling wrapper. A table with `STACK_FROM` columns or more (or `stack`) is
    marked `juesuan-stack`: under 600 px the stylesheet shows each row as a card, every cell
    under its column's name (`data-label`), so no column hides behind a sideways scroll.
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
            label = f' data-label="{h(headers[i])}"' if i < len(headers) else ""
            if i > 0 and i not in text_cols and _NUMERIC.match(_TAGS.sub("", text)) and (
                    not text.startswith("<") or text.startswith("<a ")):
                out_cells.append(f'<td class="num"{label}>{text}</td>')
                numeric[i] += 1
            else:
                out_cells.append(f"<td{label}>{text}</td>")
                if text.strip() not in ("", "—") and i < len(textual):
                    textual[i] += 1
        body.append((attrs, out_cells, ""))
    stacked = len(headers) >= STACK_FROM if stack is None else stack
    wrapper = f"juesuan-table{' juesuan-stack' if stacked else ''} {css}".strip()
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


LONG_ROWS = 10  # a table longer than this is folded away under a summary that says how long it is


def fold_long(table: str, n_rows: int, what: str) -> str:
    """Return `table` (HTML built by this package) as is, or folded when it has more than LONG_ROWS rows."""
    if n_rows <= LONG_ROWS:
        return table
    return details(f"{h(what)}（{n_rows} 行，点击展开）", table, css="juesuan-fold")


def ints(text: object) -> list[int]:
    """Return the integers of a comma-separated list (pages, lines); [] for blank."""
    if text is None:
        return []
    if isinstance(text, int):
        return [text]
    return [int(t) for t in str(text).replace("，", ",").split(",") if t.strip().isdigit()]


class Sources:
    """Where a report's source file is published on the site, to link pages and lines.

    A PDF is copied as is and linked `#page=N`. A text export is copied too, and also
    published as an HTML page (`<name>.html`, UTF-8 declared, numbered lines with `#L<n>`
    anchors, see `sourcepage`), which every line citation links to.
    """

    def __init__(self, downloads: Path, sources_dir: Path | None) -> None:
        self.downloads = downloads
        self.sources_dir = sources_dir
        self.published: dict[str, str] = {}
        self.lines_page: dict[str, str] = {}
        self.mapped: dict[str, set[int]] = {}
        self.files: list[Path] = []  # every file written (or kept unchanged) under downloads/sources/

    def publish(self, report: Row, title: str = "") -> None:
        """Copy the report's source file into downloads/sources/ when it can be found."""
        name = report.get("source_file") or ""
        if not name or self.sources_dir is None:
            return
        src = self.sources_dir / Path(name).name
        if src.is_file():
            dst = self.downloads / "sources" / src.name
            copy_if_changed(src, dst)  # unchanged: mtime kept
            self.files.append(dst)
            self.published[report["report_id"]] = src.name
            if not src.name.lower().endswith(".pdf"):
                page = dst.with_name(src.name + ".html")
                text = sourcepage.text_page(src.read_text(encoding="utf-8", errors="replace"), title or src.name, src.name)
                write_bytes_if_changed(page, text.encode("utf-8"))
                self.files.append(page)
                self.lines_page[report["report_id"]] = page.name

    def publish_cell_maps(self, report: Row, cells: list[Row], title: str = "") -> None:
        """Write one cell map per PDF page that holds cells with a stored box: the page's image with the boxes drawn on it."""
        name = self.published.get(report["report_id"], "")
        if not name.lower().endswith(".pdf"):
            return
        by_page: dict[int, list[Row]] = {}
        for c in cells:
            if c.get("page") and c.get("x0") is not None:
                by_page.setdefault(int(c["page"]), []).append(c)
        images = render_pages(self.sources_dir / name, by_page) if self.sources_dir is not None and by_page else {}
        for page, members in by_page.items():
            shown: tuple[str, float, float] | None = None
            if (image := images.get(page)) is not None:
                png = self.downloads / "sources" / f"{name}.p{page}.png"
                write_bytes_if_changed(png, image.png)
                self.files.append(png)
                shown = (png.name, image.width, image.height)
            dst = self.downloads / "sources" / f"{name}.p{page}.html"
            write_bytes_if_changed(dst, sourcepage.cell_map_page(title or name, name, page, members, shown).encode("utf-8"))
            self.files.append(dst)
        self.mapped[report["report_id"]] = set(by_page)

    def row_map_href(self, report_id: str, page: int, table: object, row: object, first_col: object) -> str | None:
        """Return the URL of a row's cells on its page's position diagram, None when there is none."""
        if page not in self.mapped.get(report_id, set()):
            return None
        anchor = sourcepage.row_id(table, row, first_col)
        return f"../downloads/sources/{self.published[report_id]}.p{page}.html#{anchor}"

    def href(self, report_id: str) -> str | None:
        """Return the source file's URL relative to a report page, None when not published."""
        name = self.published.get(report_id)
        return f"../downloads/sources/{name}" if name else None

    def line_href(self, report_id: str, line: int) -> str | None:
        """Return the URL of one line of a published text export, None when there is none."""
        name = self.lines_page.get(report_id)
        return f"../downloads/sources/{name}#L{line}" if name else None

    def page_href(self, report_id: str, page: int) -> str | None:
        """Return the URL of one page of a published PDF (`#page=N`), None when there is none."""
        href = self.href(report_id)
        return f"{href}#page={page}" if href and href.lower().endswith(".pdf") else None

    def cell_link(self, report_id: str, text: str, cell: Row) -> str:
        """Return `text` (escaped HTML) linked to where the cell was printed, with a Chinese tooltip.

        A PDF cell opens its page (`#page=N`; its row's box is drawn on the page's position
        diagram, see `publish_cell_maps`). A text cell opens its line.
        """
        page, line = cell.get("page"), cell.get("line")
        if page:
            where = f"原文第{page}页"
            href = self.page_href(report_id, int(page))
        elif line:
            where, href = f"原文第{line}行", self.line_href(report_id, int(line))
        else:
            return text
        if not href:
            return f'<span title="{h(where)}">{text}</span>'
        return f'<a class="juesuan-src" href="{h(href)}" title="{h(where)}">{text}</a>'

    def cite(self, report_id: str, pages: list[int], lines: list[int], title: str = "") -> str:
        """Return HTML naming the source pages (linked `#page=N`) or text lines (linked `#L<n>`).

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
            target = self.line_href(report_id, ls[0]) or href
            if target:
                parts.append(f'<a href="{h(target)}"{tip}>{text}</a>')
            else:
                parts.append(f"<span{tip}>{text}</span>" if tip else text)
        return "、".join(parts)
