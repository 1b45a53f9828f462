"""The text export of a report as a standalone HTML page: numbered lines, each with an anchor.

Citations such as 第409行 link to `<name>.html#L409`. The page declares UTF-8 itself, so a
server that sends no charset still shows Chinese, and it needs no script.
"""

from __future__ import annotations

import html

_STYLE = """
body { margin: 0; font: 14px/1.6 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f1f1f; }
header { padding: 0.8rem 1rem; border-bottom: 1px solid #ccc; }
header h1 { font-size: 1rem; margin: 0 0 0.3rem; }
header p { margin: 0; font-size: 0.85rem; color: #4d4d4d; }
a { color: #1a4fa0; }
ol { margin: 0; padding: 0.5rem 0; list-style: none; counter-reset: none; }
li { display: flex; padding: 0 1rem 0 0; }
li:target { background: #fff1b8; outline: 2px solid #b38600; }
.n { flex: 0 0 3.6em; text-align: right; padding-right: 0.8em; color: #595959; user-select: none; text-decoration: none; }
.t { white-space: pre-wrap; word-break: normal; overflow-wrap: normal; tab-size: 4; font-family: inherit; }
li { scroll-margin-top: 2rem; }
"""


def text_page(text: str, title: str, file_name: str) -> str:
    """Return the HTML page of a text export: every line numbered, `id="L<n>"` from 1."""
    lines = text.splitlines()
    items = "\n".join(
        f'<li id="L{n}"><a class="n" href="#L{n}">{n}</a><span class="t">{html.escape(line)}</span></li>'
        for n, line in enumerate(lines, start=1)
    )
    name = html.escape(file_name)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}（原文）</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1><p>原文（文本导出）共 {len(lines)} 行，左侧为行号；"
        f'<a href="{name}" download>下载原文件</a>。</p></header>\n'
        f'<ol>\n{items}\n</ol>\n</body>\n</html>\n'
    )


_MAP_STYLE = """
body { margin: 0; font: 14px/1.6 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f1f1f; }
header { padding: 0.8rem 1rem; border-bottom: 1px solid #ccc; }
header h1 { font-size: 1rem; margin: 0 0 0.3rem; }
header p { margin: 0.2rem 0; font-size: 0.85rem; color: #4d4d4d; }
a { color: #1a4fa0; }
svg { display: block; width: calc(100% - 1rem); height: auto; max-width: 60rem; margin: 0.5rem; }
rect { fill: #fff; stroke: #8c8c8c; stroke-width: 0.5; }
text { font-size: 7px; fill: #1f1f1f; font-family: inherit; }
g:target > rect, g:target > g > rect { fill: #ffd54f; stroke: #8a5a00; stroke-width: 1.5; }
.map { overflow-x: auto; }
/* A page image stays legible on a phone: wider than the screen, scrolled sideways. */
.map .juesuan-map--image { min-width: 44rem; max-width: 60rem; }
.juesuan-map--image rect { fill: transparent; stroke: #1a4fa0; stroke-opacity: 0.35; }
.juesuan-map--image g:target > rect, .juesuan-map--image g:target > g > rect {
  fill: #ffd54f; fill-opacity: 0.45; stroke: #b34700; stroke-opacity: 1; stroke-width: 1.5; }
"""


def _cell_id(cell: dict[str, object]) -> str:
    return f"c-{cell.get('table')}-{cell.get('row')}-{cell.get('col')}"


def row_id(table: object, row: object, first_col: object) -> str:
    """Return the anchor of one table row's cells on a cell map page.

    A printed row can hold two rows of the data (表01: 收入 left, 支出 right, same row number):
    the anchor names the row's first column too, so only the cells of one of them light up.
    """
    return f"r-{table}-{row}-{first_col}"


def cell_map_page(title: str, pdf_name: str, page: int, cells: list[dict[str, object]],
                  image: tuple[str, float, float] | None = None) -> str:
    """Return a page showing where the numbers of one PDF page were printed, at their stored boxes.

    With `image` (the page image's file name and the page's width and height in PDF points) the
    boxes from line_items (x0, top, x1, bottom, PDF points from the top left) are drawn over the
    page as printed, cropped to the rows that hold numbers, labels included. Without one, a
    diagram of the boxes and the numbers they hold. Either way a linked row
    (`#r-<table>-<row>-<first col>`) is highlighted; the page itself opens from the link to
    the PDF (`#page=N`).
    """
    boxed = [c for c in cells if all(c.get(k) is not None for k in ("x0", "top", "x1", "bottom"))]
    tops = [float(str(c["top"])) for c in boxed]
    bottoms = [float(str(c["bottom"])) for c in boxed]
    if image is not None:
        # The whole width (the row labels are left of the numbers), from above the first row
        # (the table's title and header, over several lines) to below the last.
        name, page_width, page_height = image
        left, width = 0.0, page_width
        top_edge = max(min(tops, default=0.0) - 120, 0.0)
        height = min(max(bottoms, default=page_height) + 12, page_height) - top_edge
        backdrop = (f'<image href="{html.escape(name)}" x="0" y="0" width="{page_width:.1f}" height="{page_height:.1f}" '
                    'preserveAspectRatio="none"/>')
        kind, css, what = "原文图像", "juesuan-map juesuan-map--image", (
            f"下图是原文第{page}页的图像（由 PDF 渲染），框出数据包记录的数字位置"
            "（line_items 的 x0、top、x1、bottom）；所点的一行以黄色标出。")
    else:
        # The drawing spans the numbers printed on the page (the labels' boxes are not stored).
        left = min((float(str(c["x0"])) for c in boxed), default=0.0) - 10
        top_edge = min(tops, default=0.0) - 10
        width = max((float(str(c["x1"])) for c in boxed), default=600.0) + 10 - left
        height = max(bottoms, default=800.0) + 10 - top_edge
        backdrop, kind, css, what = "", "位置示意", "juesuan-map", (
            "下图不是原文图像，而是按数据包记录的单元格位置（line_items 的 x0、top、x1、bottom）画出本页印的数字；"
            "所点的一行以黄色标出。")
    rows: dict[tuple[object, object, object], list[dict[str, object]]] = {}
    for c in boxed:
        rows.setdefault((c.get("table"), c.get("row"), c.get("section") or ""), []).append(c)
    groups = []
    for (table, row, _), members in rows.items():
        first_col = min(int(str(c.get("col") or 0)) for c in members)
        parts = []
        for c in members:
            x0, top, x1, bottom = (float(str(c[k])) for k in ("x0", "top", "x1", "bottom"))
            tip = html.escape(f"公开{table}表 {c.get('item') or ''} {c.get('measure') or ''}：{c.get('raw') or ''}")
            label = "" if image is not None else (
                f'<text x="{x1 - 2:.1f}" y="{bottom - 3:.1f}" text-anchor="end">{html.escape(str(c.get("raw") or ""))}</text>')
            parts.append(f'<g id="{_cell_id(c)}"><title>{tip}</title>'
                         f'<rect x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" height="{bottom - top:.1f}"/>'
                         f"{label}</g>")
        groups.append(f'<g id="{row_id(table, row, first_col)}">{"".join(parts)}</g>')
    pdf = html.escape(pdf_name)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)} 第{page}页（{kind}）</title>\n<style>{_MAP_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)} · 原文第{page}页</h1>"
        f'<p><a href="{pdf}#page={page}">在 PDF 中打开第{page}页</a></p>'
        f"<p>{what}</p></header>\n"
        f'<div class="map"><svg class="{css}" viewBox="{left:.0f} {top_edge:.0f} {width:.0f} {height:.0f}" role="img" '
        f'aria-label="原文第{page}页各数字的位置">'
        f'{backdrop}{"".join(groups)}</svg></div>\n</body>\n</html>\n'
    )
