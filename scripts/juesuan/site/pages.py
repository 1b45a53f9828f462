"""Write the generated Markdown of the site from the WRITTEN data package.

Everything under `out_dir` (normally `site_src/data/`) is generated on every build; a file
whose bytes did not change is not rewritten (its mtime stays), and files no longer generated
are removed, only inside that folder, which carries juesuan's marker. Report text reaches HTML only through `html.escape` (`htmlkit.h`) or, in Markdown
context, `htmlkit.md`, which also neutralizes Markdown syntax. The sections beyond the
standard tables (checks, performance, year-on-year, profile) live in `sections.py`.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from juesuan.errors import EnvironmentProblem
from juesuan.fsutil import copy_if_changed, walk_files, write_bytes_if_changed
from juesuan.hashcache import HashCache
from juesuan.site import (
    charts,
    corpus_pages,
    explorer,
    frozen,
    package_zip,
    report_sections,
    sections,
    units,
    vendor,
    workbooks,
    xlsx,
)
from juesuan.site.htmlkit import Sources, fmt, fold_long, h, html_table, md
from juesuan.site.load import Package, Row, load_package
from juesuan.spreadsheet import POLICY_ZH

MARKER = ".juesuan-generated"
# The SHA-256 of the files the build checks it kept, by their stat (hashcache.py); a dot file MkDocs does not publish.
HASHES = ".juesuan-file-hashes.json"
ZIP_NAME = "juesuan-datapackage.zip"
PLOTLY_JS = "plotly.min.js"


_h = h
_md = md
_fmt = fmt
_html_table = html_table
_Sources = Sources


# Report page ---------------------------------------------------------------------------------


def _find_total(totals: list[Row], side: str, name: str) -> Decimal | None:
    for r in totals:
        if r.get("table") == "01" and r.get("side") == side and name in ((r.get("item") or "") + (r.get("label") or "")):
            return r.get("amount")
    return None


def _headline(package: Package, rid: str) -> list[tuple[str, Decimal | None, str]]:
    totals = package.rows("totals", rid)
    total_03 = next((r for r in package.rows("expenditure_by_function", rid) if r.get("level") == "合计"), {})
    three = next((r for r in package.rows("three_public", rid) if r.get("item") == "total"), {})
    return [
        ("收入合计", _find_total(totals, "收入", "本年收入合计"), "公开01表 本年收入合计"),
        ("支出合计", _find_total(totals, "支出", "本年支出合计"), "公开01表 本年支出合计"),
        ("基本支出", total_03.get("basic"), "公开03表 合计行"),
        ("项目支出", total_03.get("project"), "公开03表 合计行"),
        ("“三公”经费合计", three.get("actual"), "公开07表 合计 决算数"),
    ]


def _headline_html(items: list[tuple[str, Decimal | None, str]]) -> str:
    out = ['<div class="juesuan-headline">']
    for label, value, source in items:
        shown = f"{_fmt(value)}<small> 万元</small>" if value is not None else "—"
        out.append(
            f'<div class="juesuan-figure"><div class="juesuan-figure__label">{_h(label)}</div>'
            f'<div class="juesuan-figure__value">{shown}</div>'
            f'<div class="juesuan-figure__source">{_h(source)}</div></div>'
        )
    out.append("</div>")
    return "\n".join(out)


# The repairs a reader is told about, by line_items.repair_code. Only `digits-joined` changes a
# printed number (※); an unreadable cell shows what was printed (？). The other codes say how a
# cell was placed in its column: they stay in the data (repair, repair_code), not on the page.
MARKS = {
    "digits-joined": ("※", "juesuan-repair", "原文此数被单元格换行折成两段，印作“{raw}”，已接合为 {amount}"),
    "amount-unreadable": ("？", "juesuan-unreadable", "原文此处印作“{raw}”，不能读作金额，未计入"),
}


def _marks(cell: Row) -> str:
    """Return the markers of a cell's reader-facing repairs, each with its Chinese explanation."""
    out = []
    for code in (cell.get("repair_code") or "").split(","):
        if code in MARKS:
            sign, css, text = MARKS[code]
            tip = text.format(raw=(cell.get("raw") or "").strip(), amount=_fmt(cell.get("amount")))
            out.append(f' <abbr class="{css}" title="{_h(tip)}">{sign}</abbr>')
    return "".join(out)


def _short_measures(measures: list[str]) -> dict[str, str]:
    """Name each column by its header's last level when that is unique in the table (the full path in a tooltip)."""
    last = [m.split("/")[-1] for m in measures]
    return {m: (s if last.count(s) == 1 else m) or "金额" for m, s in zip(measures, last, strict=True)}


def _standard_table(items: list[Row], sources: _Sources, rid: str) -> str:
    """Render one 公开NN表 from line_items: one sub-table per section, rows × measures.

    The first column names the row (code above the name), so it is the one kept in view on a
    phone; every number links to where it was printed (its page or line).
    """
    blocks: list[str] = []
    sections: list[str] = []
    for r in sorted(items, key=lambda r: (r["row"], r["col"])):
        if (r.get("section") or "") not in sections:
            sections.append(r.get("section") or "")
    for section in sections:
        cells = [r for r in items if (r.get("section") or "") == section]
        measure_col: dict[str, int] = {}
        rows: dict[tuple[int, str, str, str], dict[str, Row]] = {}
        first_col: dict[tuple[int, str, str, str], int] = {}
        for r in cells:
            m = r.get("measure") or ""
            measure_col[m] = min(measure_col.get(m, r["col"]), r["col"])
            key = (r["row"], r.get("code") or "", r.get("item") or "", r.get("parent") or "")
            rows.setdefault(key, {})[m] = r
            first_col[key] = min(first_col.get(key, r["col"]), r["col"])
        measures = sorted(measure_col, key=lambda m: measure_col[m])
        # Column groups printed side by side (表06) read top to bottom, group after group: a row
        # starting further right than the section's measures span belongs to a later group.
        start = min(measure_col.values())

        def group(key: tuple[int, str, str, str], start: int = start, span: int = len(measures),
                  first: dict[tuple[int, str, str, str], int] = first_col) -> int:
            return first[key] if first[key] - start >= span else start

        ordered = sorted(rows, key=lambda k: (group(k), k[0]))
        short = _short_measures(measures)
        headers = ["项目"] + [short[m] for m in measures]
        body: list[list[str]] = []
        for key in ordered:
            by_m = rows[key]
            label = _h(key[2] + (f"（{key[3]}）" if key[3] else ""))
            if key[1]:
                label = f'<span class="juesuan-code">{_h(key[1])}</span> {label}'
            boxed = next((c for c in by_m.values() if c.get("page") and c.get("x0") is not None), None)
            on_page = [c for c in by_m.values() if boxed and c.get("page") == boxed["page"] and c.get("x0") is not None]
            where = boxed and sources.row_map_href(rid, int(boxed["page"]), boxed.get("table"), key[0],
                                                   min(c["col"] for c in on_page))
            if boxed and where:
                label += (f' <a class="juesuan-where" href="{_h(where)}" title="在原文第{boxed["page"]}页上框出此行">'
                          "位置</a>")
            values = []
            for m in measures:
                c = by_m.get(m)
                if c is None:
                    values.append("")
                    continue
                if c.get("blank"):
                    values.append("")
                elif c.get("amount") is None:
                    values.append(sources.cell_link(rid, _h((c.get("raw") or "").strip()), c) + _marks(c))
                else:
                    values.append(sources.cell_link(rid, _h(_fmt(c.get("amount"))), c) + _marks(c))
            body.append([label, *values])
        title = f"<h4>{_h(section)}</h4>\n" if section and len(sections) > 1 else ""
        # Every cell here is already escaped: mark all columns raw.
        blocks.append(title + _html_table(headers, body, css="juesuan-standard",
                                          raw_cols=frozenset(range(len(headers)))))
    return "\n\n".join(blocks)


def _downloads_section(package: Package, rid: str) -> list[str]:
    out = ["## 下载 { #downloads }", "",
           f"- [本报告的 Excel 工作簿（{rid}.xlsx）](../downloads/{xlsx.report_xlsx(rid)})：每张表一个工作表，中文表头，金额为数值",
           f"- [全部报告的 Excel 工作簿（{xlsx.CORPUS_XLSX}）](../downloads/{xlsx.CORPUS_XLSX})",
           f"- [完整数据包（{ZIP_NAME}）](../downloads/{ZIP_NAME})：datapackage.json 和全部 CSV",
           "- [datapackage.json](../downloads/datapackage.json)：字段说明与表间关系（Frictionless Data Package）"]
    titles = {r["name"]: r.get("title") or r["name"] for r in _resources(package)}
    for name in package.names():
        title = titles.get(name, name)
        out.append(f"- [{name}.csv](../downloads/{name}.csv)：{_md(title)}（全部报告）")
    out += columnar_download_lines(package, "../")
    out += ["", "各字段的含义见[数据说明](../fields.md)。", ""]
    return out


def columnar_download_lines(package: Package, prefix: str) -> list[str]:
    """Return the download list entries of the Parquet files and the DuckDB database, when published."""
    out = []
    parquet = [r for r in package.descriptor.get("resources", []) if r.get("format") == "parquet"]
    if parquet:
        links = "、".join(f"[{Path(r['path']).name}]({prefix}downloads/{Path(r['path']).name})" for r in parquet)
        out.append(f"- 列式文件（`Parquet` 格式，每表一个文件，金额为精确小数）：{links}；"
                   f"也可在[SQL 查询]({prefix}explorer.md)页直接查询")
    duck = package.descriptor.get("duckdb")
    # The DuckDB file is rebuilt, not committed (its bytes differ per write): link it only when present.
    if duck and (package.path / duck["path"]).is_file():
        out.append(f"- [{_md(duck['path'])}]({prefix}downloads/{duck['path']})：`DuckDB` 数据库文件，每表一张，带主键与外键")
    return out


def copy_duckdb(package: Package, downloads: Path) -> list[Path]:
    """Copy the package's DuckDB file (declared in the descriptor) into the downloads; return it."""
    duck = package.descriptor.get("duckdb")
    if duck and (package.path / duck["path"]).is_file():
        copy_if_changed(package.path / duck["path"], downloads / duck["path"])
        return [downloads / duck["path"]]
    return []


def table_names(package: Package, family: str) -> dict[str, str]:
    """Return {table number: name} of the template's standard tables (`standard_tables` resource), in order."""
    rows = sorted((r for r in package.rows("standard_tables") if r.get("kind_family") == family), key=lambda r: r.get("seq") or 0)
    return {r["table"]: r.get("name") or "" for r in rows}


def _budget_tables_section(package: Package, rid: str, sources: _Sources) -> list[str]:
    """Return the budget tables (B01…, recognized by the budget catalogue) with every printed number."""
    out = ["## 预算表 { #tables }", "",
           "以下逐表列出本预算报告各表中的每个数字（万元，由原表单位精确换算），与原表一致；点击数字可打开它在原文中的页。", ""]
    items = package.rows("line_items", rid)
    for number, name in table_names(package, "预算").items():
        cells = [r for r in items if r.get("table") == number]
        if cells:
            out += [f"### {number} {_md(name)} {{ #table-{number.lower()} }}", "",
                    _collapsed(f"展开{number}（{sum(1 for c in cells if not c.get('blank'))} 个数字）",
                               _standard_table(cells, sources, rid)), ""]
    return out


# The charts of a 决算 report page before its sections: heading, resource drawn, chart builder.
_REPORT_CHARTS: tuple[tuple[str, str, Callable[[list[Row]], charts.Chart]], ...] = (
    ("收入来源", "totals", charts.income_by_source),
    ("支出功能分类", "expenditure_by_function", charts.expenditure_by_function),
    ("基本支出经济分类", "basic_expenditure", charts.basic_by_economic_class),
    ("“三公”经费", "three_public", charts.three_public),
)


def _charts(package: Package, rid: str) -> list[tuple[str, charts.Chart]]:
    """The charts of a 决算 report page before its sections, with their headings."""
    return [(heading, build(package.rows(resource, rid))) for heading, resource, build in _REPORT_CHARTS]


def chart_sentence(package: Package) -> str:
    """Return the home page's line about the report pages' charts, counted from what they draw.

    Every 决算 page has the four standard charts (one without data says so); the 预算执行 and
    项目绩效 charts only where the report has their data.
    """
    finals = [r["report_id"] for r in package.rows("reports") if r.get("kind_family") != "预算"]
    if not finals:
        return "- 本站的报告页面暂无图表；\n"
    names = {heading: len(finals) for heading, _, _ in _REPORT_CHARTS}
    extras = {rid: (report_sections.has_budget_execution(package, rid), sections.has_project_chart(package, rid))
              for rid in finals}
    for name, position in (("预算执行", 0), ("项目绩效", 1)):
        if count := sum(1 for flags in extras.values() if flags[position]):
            names[name] = count
    most = len(_REPORT_CHARTS) + max(sum(flags) for flags in extras.values())
    listed = "、".join(_md(n) + ("" if k == len(finals) else f"（{k} 份报告有）") for n, k in names.items())
    return f"- 决算报告页面最多 {most} 张图：{listed}，每张图下附图中数据；\n"


def _provenance(report: Row, sources: _Sources) -> list[str]:
    """The source file, its SHA-256 and the parser version: at the end of the page, for checking."""
    rid = report["report_id"]
    href = sources.href(rid)
    src_name = _h(report.get("source_file"))
    rows = [["源文件", f'<a href="{_h(href)}">{src_name}</a>' if href else src_name]]
    if sources.lines_page.get(rid):
        rows.append(["原文（带行号）", f'<a href="../downloads/sources/{_h(sources.lines_page[rid])}">逐行查看</a>'])
    rows += [["源文件 SHA-256", f"<code>{_h(report.get('source_sha256'))}</code>"],
             ["解析器版本", _h(report.get("parser_version"))]]
    return ["## 来源与版本 { #provenance }", "",
            "本页数字均由下列源文件读出；SHA-256 可用来确认手中的文件与此相同。", "",
            _html_table(["项目", "内容"], rows, css="juesuan-meta", raw_cols=frozenset({0, 1}),
                        text_cols=frozenset({1})), ""]


def _byline(report: Row, sources: _Sources) -> list[str]:
    """One line under the title: region, year, unit and the source (the full provenance is at the end)."""
    rid = report["report_id"]
    unit = "万元" + (f"（原表单位：{_h(report.get('unit'))}，已精确换算）" if report.get("unit") not in (None, "万元") else "")
    parts = [_h(report.get("region")), f"{_h(report.get('year'))}年度", f"金额单位：{unit}"]
    href = sources.href(rid)
    if href:
        parts.append(f'<a href="{_h(href)}">原文</a>')
    parts.append('<a href="#provenance">来源与版本</a>')
    return [f'<p class="juesuan-byline">{" · ".join(x for x in parts if x)}</p>', ""]


def _collapsed(summary: str, body: str) -> str:
    """A long table folded away under its summary (raw HTML: `body` is built by this package)."""
    return f'<details class="juesuan-fold">\n<summary>{summary}</summary>\n{body}\n</details>'


def report_page(package: Package, report: Row, sources: _Sources) -> str:
    """Return the Markdown of one report page.

    Key numbers and a plain-language summary come first, then the charts, the sections, the
    tables (collapsed) and the downloads; the provenance (file, SHA-256, parser) closes the page.
    """
    rid = report["report_id"]
    title = f'{report.get("department") or rid} {report.get("year") or ""}年度{report.get("kind") or ""}'.strip()
    # An explicit title: MkDocs would otherwise take the H1's text unescaped into <title>, and
    # Material prints page.meta.title as is, so it gets the HTML-escaped text (JSON is YAML).
    out = ["---", f"title: {json.dumps(_h(title), ensure_ascii=False)}", "---", "", f"# {_md(title)}", ""]
    out += _byline(report, sources)

    if report.get("kind_family") == "预算":
        # A budget: its own tables only; the 决算 headline, charts and 公开01–09表 are not its.
        out += sections.profile_section(package, rid, sources)
        if package.has("checks"):
            out += sections.checks_section(package, rid, sources)
        out += report_sections.completeness_section(package, rid)
        out += _budget_tables_section(package, rid, sources)
        out += _downloads_section(package, rid)
        out += _provenance(report, sources)
        return "\n".join(out)

    out += ["## 主要数字 { #headline }", "", _headline_html(_headline(package, rid)), ""]
    out += sections.summary_paragraph(package.rows("totals", rid), package.rows("expenditure_by_function", rid),
                                      package.rows("three_public", rid))

    for heading, chart in _charts(package, rid):
        out += [f"## {heading} {{ #{chart.key} }}", "", frozen.chart_block(rid, chart), ""]
        out += [fold_long(_html_table(chart.headers, chart.rows, css="juesuan-chart-data"), len(chart.rows),
                          "图中数据"), ""]
        if chart.note:
            out += [f"<p class=\"juesuan-note\">{_h(chart.note)}</p>", ""]

    out += sections.profile_section(package, rid, sources)
    out += sections.yoy_section(package, rid, sources)
    out += report_sections.budget_execution_section(package, rid, sources)
    out += sections.performance_section(package, rid, sources)
    if package.has("checks"):
        out += sections.checks_section(package, rid, sources)
    out += report_sections.completeness_section(package, rid)

    items = package.rows("line_items", rid)
    repaired = any("digits-joined" in (r.get("repair_code") or "") for r in items)
    out += ["## 标准表 { #tables }", "",
            "以下逐表列出公开01–09表中的每个数字（万元），与原表一致；点击数字可打开它在原文中的页或行"
            + ("；※ 表示原文排版折断的数字已接合，鼠标移到 ※ 上可看到原文印法" if repaired else "")
            + "。各表默认折叠，点击表名展开。", ""]
    missing = set((report.get("tables_missing") or "").split(","))
    for number, name in table_names(package, "决算").items():
        out += [f"### 公开{number}表 {_md(name)} {{ #table-{number} }}", ""]
        cells = [r for r in items if r.get("table") == number]
        if cells:
            n = sum(1 for c in cells if not c.get("blank"))
            out += [_collapsed(f"展开公开{number}表（{n} 个数字）", _standard_table(cells, sources, rid)), ""]
        elif number in missing:
            out += ["报告中没有找到此表。", ""]
        else:
            out += ["此表没有数字。", ""]

    out += _downloads_section(package, rid)
    out += _provenance(report, sources)
    return "\n".join(out)


# Lists and the data dictionary ---------------------------------------------------------------


def _report_title(r: Row) -> str:
    return f'{r.get("department") or r["report_id"]} {r.get("year") or ""}年度{r.get("kind") or ""}'.strip()


def report_list(package: Package, prefix: str, totals: dict[str, dict[str, Decimal | None]] | None = None) -> str:
    """Return an HTML table of the reports, linking to `{prefix}{report_id}.html`.

    Raw HTML (MkDocs does not rewrite its links, hence .html) so that on a phone it stacks
    like the other wide tables and 支出合计 stays in view. `totals` is `list_totals(package)`,
    when made already.
    """
    reports = sorted(package.rows("reports"), key=lambda r: (-(r.get("year") or 0), r.get("region") or "", r["report_id"]))
    if not reports:
        return "暂无报告。\n"
    totals = list_totals(package) if totals is None else totals
    rows: list[list[str]] = []
    for r in reports:
        mine = totals.get(r["report_id"], {})
        rows.append([f'<a href="{_h(prefix + r["report_id"])}.html">{_h(_report_title(r))}</a>', _h(r.get("region")),
                     _h(r.get("year")), _h(_fmt(mine.get("收入"))), _h(_fmt(mine.get("支出")))])
    return _html_table(["报告", "地区", "年度", "收入合计（万元）", "支出合计（万元）"], rows, css="juesuan-reports",
                       raw_cols=frozenset(range(5)), text_cols=frozenset({2})) + "\n"


_LIST_TOTALS = {"收入": "本年收入合计", "支出": "本年支出合计"}


def list_totals(package: Package) -> dict[str, dict[str, Decimal | None]]:
    """Return each report's 本年收入合计 and 本年支出合计 (表01) by side, as `_find_total` finds them.

    Read from the resource's text in one pass, not a report at a time: at 1,000 reports that
    took seconds, twice (the list is on two pages).
    """
    if not package.has("totals"):
        return {}
    table = package.text_table("totals", ["report_id", "table", "side", "item", "label", "amount"])
    table = table.filter(pc.equal(table.column("table"), "01"))
    out: dict[str, dict[str, Decimal | None]] = {}
    for r in table.to_pylist():
        name = _LIST_TOTALS.get(r["side"])
        mine = out.setdefault(r["report_id"], {})
        if name is not None and r["side"] not in mine and name in r["item"] + r["label"]:
            mine[r["side"]] = Decimal(r["amount"]) if r["amount"] else None
    return out


# Frictionless type names in Chinese, for readers; the code stays in datapackage.json.
TYPE_ZH = {"string": "文本", "integer": "整数", "number": "数值", "boolean": "布尔值"}
# Full bundles print "plotly.js v4.1.1", partial ones "plotly.js (basic - minified) v4.1.1".
_BUNDLE_VERSION = re.compile(rb"plotly\.js (?:\([^)\n]*\) )?v(\d+\.\d+\.\d+)")


def bundle_version(js: Path) -> str:
    """Return the Plotly.js version printed in a bundle's licence header (its first kilobyte)."""
    with js.open("rb") as f:
        found = _BUNDLE_VERSION.search(f.read(1024))
    if not found:
        raise EnvironmentProblem(f"{js} has no `plotly.js vX.Y.Z` header; is it a Plotly.js bundle?")
    return found.group(1).decode()


def _resources(package: Package) -> list[dict[str, Any]]:
    """Return the resource descriptors of the written datapackage.json, in its order."""
    return list(package.descriptor.get("resources", []))


def _strip_unit(text: str, unit: str, suffix: str) -> str:
    """Drop the unit the descriptor appends to titles and descriptions; the page gives it a column."""
    tail = suffix.format(unit=unit)
    return text[: -len(tail)] if unit and text.endswith(tail) else text


def data_page(package: Package, plotly_js_version: str | None = None) -> str:
    """Return the 数据说明 page: every resource and field, read from the written datapackage.json.

    `plotly_js_version` is the version of the bundle the site ships (read from the file);
    without it the page says nothing about Plotly.js.
    """
    charts_line = (f"页面图表使用随站点发布的 Plotly.js {_md(plotly_js_version)}（不从任何第三方加载）。"
                   if plotly_js_version else "")
    out = ["# 数据说明", "",
           "数据以 [Frictionless Data Package](https://datapackage.org/) 发布：一个 `datapackage.json` "
           "描述全部表格与字段，每张表一个 UTF-8 CSV 文件。金额一律为万元，按原表精确换算，不经浮点运算。"
           f"下载：[完整数据包（zip）](downloads/{ZIP_NAME})、[datapackage.json](downloads/datapackage.json)、"
           f"[Excel 工作簿（xlsx，每张表一个工作表，中文表头）](downloads/{xlsx.CORPUS_XLSX})；"
           "各报告的工作簿在报告页的“下载”一节。本页由 datapackage.json 生成。", "",
           *([*lines, ""] if (lines := columnar_download_lines(package, "")) else []),
           *([charts_line, ""] if charts_line else []),
           "每个字段的英文说明（供境外数据用户）写在 `datapackage.json` 的 `description_en` 属性中，"
           "也列在各表末尾的“英文说明”折叠栏里。", "",
           POLICY_ZH, ""]
    license_ = (package.descriptor.get("licenses") or [{}])[0]
    if license_.get("name"):
        out += [f"许可：{_md(license_.get('title') or license_['name'])}（{_md(license_['name'])}）。", ""]
    resources = _resources(package)
    out += ["| 表 | 名称 | 说明 |", "| --- | --- | --- |"]
    for res in resources:
        name = res["name"]
        out.append(f"| [{name}](downloads/{Path(res['path']).name}) | {_md(res.get('title') or '')} | {_md(res.get('description') or '')} |")
    out.append("")
    for res in resources:
        name, schema = res["name"], res.get("schema", {})
        out += [f"## {_md(res.get('title') or name)}（`{name}`） {{ #{name} }}", "", _md(res.get("description") or ""), ""]
        key = schema.get("primaryKey") or []
        out.append(f"主键：{'、'.join(f'`{k}`' for k in ([key] if isinstance(key, str) else key))}。")
        for fk in schema.get("foreignKeys", []):
            ref = fk.get("reference", {})
            out.append(f"外键：{'、'.join(f'`{k}`' for k in fk.get('fields', []))} → `{ref.get('resource')}`"
                       f"（{'、'.join(f'`{k}`' for k in ref.get('fields', []))}）。")
        out.append("")
        out += ["| 字段 | 中文名 | 类型 | 单位 | 说明 |", "| --- | --- | --- | --- | --- |"]
        for f in schema.get("fields", []):
            unit = f.get("unit") or ""
            enum = (f.get("constraints") or {}).get("enum") or []
            extra = f"（取值：{'、'.join(e for e in enum if e)}）" if any(enum) else ""
            title = _strip_unit(f.get("title") or "", unit, "（{unit}）")
            description = _strip_unit(f.get("description") or "", unit, "单位：{unit}。")
            type_zh = TYPE_ZH.get(f.get("type", "string"), f.get("type", ""))
            out.append(f"| `{f['name']}` | {_md(title)} | {type_zh} | {_md(unit)} | {_md(description + extra)} |")
        out += ["", _english_fields(res), ""]
    return "\n".join(out)


def _english_fields(res: dict[str, Any]) -> str:
    """Return the English descriptions of a resource's fields, collapsed and marked lang="en"."""
    rows = "".join(
        f"<tr><td><code>{_h(f['name'])}</code></td><td>{_h(f.get('description_en') or '')}</td></tr>"
        for f in res.get("schema", {}).get("fields", [])
    )
    intro = f"<p>{_h(res['description_en'])}</p>" if res.get("description_en") else ""
    return (f'<details class="js-english" lang="en"><summary lang="zh-CN">英文说明</summary>{intro}'
            f"<table><thead><tr><th>field</th><th>description</th></tr></thead><tbody>{rows}</tbody></table>"
            "</details>")


# Entry point ---------------------------------------------------------------------------------


def _prepare(out_dir: Path) -> None:
    """Make `out_dir` ready to write, refusing a folder this module did not write.

    The marker's mtime is set to now: files older than it at the end were not written this
    time (by any code), and are removed unless kept unchanged on purpose.
    """
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise EnvironmentProblem(
            f"{out_dir} exists but was not written by juesuan; move it away, or delete it if it is stale"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / MARKER
    write_bytes_if_changed(marker, b"Written by juesuan.site.pages; files it no longer writes are removed on every build.\n")
    os.utime(marker)


def _remove_stale(out_dir: Path, kept: set[Path]) -> list[Path]:
    """Remove the files under out_dir (juesuan's own folder) neither kept nor written this build."""
    stamp = (out_dir / MARKER).stat().st_mtime_ns
    removed = []
    for rel, entry in walk_files(out_dir):
        path = out_dir / rel
        if entry.name != MARKER and path not in kept and entry.stat(follow_symlinks=False).st_mtime_ns < stamp:
            path.unlink()
            removed.append(path)
    for root, _dirs, _files in sorted(os.walk(out_dir), reverse=True):  # the deepest first
        if Path(root) != out_dir:
            with os.scandir(root) as entries:
                if next(entries, None) is None:
                    os.rmdir(root)
    return sorted(removed, reverse=True)




def copy_plotly_js(dst_dir: Path) -> Path:
    """Copy the pinned Plotly.js partial bundle (sha256 verified, see vendor.py); return its path."""
    src = vendor.verified_bundle()
    dst_dir.mkdir(parents=True, exist_ok=True)
    dst = dst_dir / PLOTLY_JS
    copy_if_changed(src, dst)
    return dst


def write_pages(package_dir: Path, out_dir: Path, sources_dir: Path | None = None,
                archive_dir: Path | None = None) -> list[Path]:
    """Write the generated pages, downloads and Plotly JS for the package; return the files written.

    `sources_dir`, when given, is where the reports' source files live; those found are
    published under downloads/sources/ so that provenance links (`#page=N`) resolve.
    `archive_dir` keeps the dated chart copies between builds (see `frozen.py`); without it
    the dated copies of this build only are written.
    """
    package = load_package(package_dir)
    _prepare(out_dir)
    hashes = HashCache(out_dir / HASHES)
    written: list[Path] = [copy_plotly_js(out_dir / "assets")]
    with tempfile.TemporaryDirectory() as scratch:
        archive = frozen.Archive(archive_dir if archive_dir is not None else Path(scratch))
        publisher = frozen.Publisher(package, out_dir, archive, written[0], frozen.publish_date())
        token = frozen.PUBLISHER.set(publisher)
        try:
            _write_site(package, package_dir, out_dir, sources_dir, written, hashes.sha256)
        finally:
            frozen.PUBLISHER.reset(token)
        written += publisher.finish()
    written.append(hashes.save() or out_dir / HASHES)
    _remove_stale(out_dir, set(written))
    return written


def _write_reports(package: Package, out_dir: Path, sources_dir: Path | None, write: Callable[[str, str], None],
                   written: list[Path], sha256: Callable[[Path], str]) -> None:
    """Write each report's unit (source copies, cell maps, page, charts) unless the ledger says it is unchanged."""
    sources = _Sources(out_dir / "downloads", sources_dir)
    publisher = frozen.PUBLISHER.get()
    charts_made: dict[str, str] = publisher.versions if publisher is not None else {}
    chart_files: list[Path] = publisher.written if publisher is not None else []
    ledger = units.Ledger.open(out_dir, package, f"{os.environ.get('JUESUAN_SITE_URL', '')}\0{sources_dir is not None}", sha256)

    def latest(cid: str) -> str | None:
        return publisher.archive.latest(cid) if publisher is not None else None

    for report in package.rows("reports"):
        rid = report["report_id"]
        stamp = units.source_stamp(sources_dir, report.get("source_file"), sha256)
        kept = ledger.kept(rid, package, stamp, latest)
        if kept is not None:
            written += kept.files
            charts_made.update(kept.charts)
            continue
        with units.making(package, {"pages": written, "sources": sources.files, "charts": chart_files},
                          charts_made) as made:
            sources.publish(report, _report_title(report))
            sources.publish_cell_maps(report, package.rows("line_items", rid), _report_title(report))
            write(f"reports/{rid}.md", report_page(package, report, sources))
        ledger.record(rid, package, stamp, made)
    written += sources.files
    written.append(ledger.save())


def _write_site(package: Package, package_dir: Path, out_dir: Path, sources_dir: Path | None,
                written: list[Path], sha256: Callable[[Path], str]) -> None:
    """Write downloads and pages into `out_dir`, appending each file to `written`."""

    downloads = out_dir / "downloads"
    downloads.mkdir(exist_ok=True)
    # The downloads (the ZIP; the copies and workbooks: zlib, file copies and Arrow kernels, which
    # let go of the GIL) are written in two threads beside the pages (Python): at 1,000 reports
    # each takes as long as the pages, and one thread for both made the pages wait for them.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="juesuan-downloads") as pool:
        zipped = pool.submit(package_zip.write_package_zip, package, package_dir, downloads / ZIP_NAME, sha256)
        copied = pool.submit(_write_downloads, package, package_dir, downloads, sha256)
        _write_pages(package, out_dir, sources_dir, written, sha256)
        written += zipped.result() + copied.result()


def _write_downloads(package: Package, package_dir: Path, downloads: Path, sha256: Callable[[Path], str]) -> list[Path]:
    """Write copies of the package's files and the workbooks into `downloads`; return them."""
    copied = [downloads / "datapackage.json"]
    copy_if_changed(package_dir / "datapackage.json", copied[-1])
    for res in package.descriptor.get("resources", []):
        copied.append(downloads / Path(res["path"]).name)
        copy_if_changed(package_dir / res["path"], copied[-1])
    copied += copy_duckdb(package, downloads)
    copied += workbooks.write_workbooks(package, downloads, sha256)
    return sorted(set(copied))


def _write_pages(package: Package, out_dir: Path, sources_dir: Path | None, written: list[Path],
                 sha256: Callable[[Path], str]) -> None:
    """Write the Markdown pages, the report units and the explorer into `out_dir`, appending each file to `written`."""

    def write(rel: str, text: str) -> None:
        """Write a page unless it holds these bytes already (then its mtime stays)."""
        path = out_dir / rel
        write_bytes_if_changed(path, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
        written.append(path)

    totals = list_totals(package)
    write("report_list.md", report_list(package, "data/reports/", totals))
    write("report_charts.md", chart_sentence(package))
    write("reports/index.md", "# 报告\n\n本站收录的报告（决算与预算，报告类型见各报告标题）：\n\n" + report_list(package, "", totals))
    _write_reports(package, out_dir, sources_dir, write, written, sha256)
    write("fields.md", data_page(package, bundle_version(written[0])))
    write("checks.md", sections.checks_page(package))
    for rel, text in corpus_pages.corpus_pages(package).items():
        write(rel, text)
    written += explorer.write_explorer(package, out_dir)
