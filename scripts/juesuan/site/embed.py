"""Make each chart linkable, embeddable, downloadable and citable.

For one chart this module renders: its data as an Excel-facing CSV (exactly the values drawn),
a ZIP of that CSV and a README, a standalone chart page that works inside an `<iframe>` on
another origin (it posts its height to the parent; the copy-paste snippet resizes the frame),
the citation, a text summary for screen readers, and the toolbar (嵌入/数据/图片/引用) shown
under the chart on the report page. Writing the files and the dated copies is `frozen.py`'s job.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.site.charts import Chart, Drawn, spec_json
from juesuan.spreadsheet import POLICY_ZH, excel_csv_cell

SITE_NAME = "部门决算公开数据"  # mkdocs.yml site_name; the citation names the site
MESSAGE_TYPE = "juesuan-embed-height"
CSV_HEADER = ["项目", "系列", "数值", "单位"]
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
VERSION_TOKEN = "{{version}}"  # stands for the version label while hashing a chart's content


@dataclass(frozen=True)
class ChartMeta:
    """Where a chart comes from: its report and the pages its numbers are printed on."""

    chart_id: str
    report_id: str
    department: str
    year: str
    report_title: str
    kind: str = ""
    pages: list[int] = field(default_factory=list)
    licence: str = ""
    lines: list[int] = field(default_factory=list)  # text exports: the lines, where no page is known


def h(text: object) -> str:
    """Escape text for HTML element content and attribute values."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def pages_text(pages: list[int]) -> str:
    """Return `第3页` / `第3–5页` / `第3、7页` for the printed pages, empty when unknown."""
    ps = sorted(set(pages))
    if not ps:
        return ""
    if ps == list(range(ps[0], ps[-1] + 1)) and len(ps) > 1:
        return f"第{ps[0]}–{ps[-1]}页"
    return "第" + "、".join(str(p) for p in ps) + "页"


def source_line(chart: Chart, meta: ChartMeta) -> str:
    """Return the chart's source: department, report, year, table and page."""
    place = pages_text(meta.pages) or (f"文本第{min(meta.lines)}–{max(meta.lines)}行" if meta.lines else "")
    where = "，".join(x for x in (chart.source_tables, place) if x)
    return f"来源：{meta.department}《{meta.report_title}》（{meta.year}年度）" + (f"，{where}" if where else "")


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def summary(chart: Chart) -> str:
    """Return a text alternative for the chart, generated from the values it draws."""
    values = [d for d in chart.drawn if d.value is not None]
    if not values:
        return f"{chart.title}：没有数据。"
    series = list(dict.fromkeys(d.series for d in values))
    parts = []
    for s in series:
        mine = sorted((d for d in values if d.series == s), key=lambda d: -(d.value or 0))
        shown = "；".join(f"{d.category} {_number(d.value)}{d.unit}" for d in mine[:6])
        more = f"；另有 {len(mine) - 6} 项" if len(mine) > 6 else ""
        parts.append(f"{s}（从大到小）：{shown}{more}")
    return f"{chart.title}，{len(series)} 个系列。" + "。".join(parts) + "。"


def csv_rows(chart: Chart) -> list[list[str | Decimal | None]]:
    """Return the CSV rows of a chart: one per value drawn, in drawing order."""
    return [[d.category, d.series, d.value, d.unit] for d in chart.drawn]


def csv_bytes(chart: Chart) -> bytes:
    """Return the chart's CSV: UTF-8 with BOM, CRLF, formula-like text quoted (spreadsheet.py)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([excel_csv_cell(x) for x in CSV_HEADER])
    for row in csv_rows(chart):
        writer.writerow([excel_csv_cell(x) for x in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def readme_text(chart: Chart, meta: ChartMeta, version: str, url: str) -> str:
    """Return the README.txt shipped in the chart's ZIP."""
    lines = [
        chart.title, "",
        source_line(chart, meta),
        f"报告编号：{meta.report_id}",
        f"图表编号：{meta.chart_id}",
        f"版本日期：{version}",
        f"本版本地址：{url}",
        f"许可：{meta.licence}" if meta.licence else "许可：见数据包 datapackage.json",
        "",
        f"文件：{meta.chart_id}.csv（UTF-8 带 BOM，列：{'、'.join(CSV_HEADER)}）。",
        "数值为图中所画的数字，按原表精确换算，不经浮点运算；金额单位为万元。",
        "说明：" + (chart.note or "图中所画即本文件的全部数字。"),
        "口径：数字取自报告所附公开表格；部门决算与单位决算的范围不同，比较时请注意。",
        POLICY_ZH.replace("`", ""),
        "",
    ]
    return "\r\n".join(lines)


def zip_bytes(chart: Chart, meta: ChartMeta, version: str, url: str) -> bytes:
    """Return a reproducible ZIP of the chart's CSV and README.txt (fixed timestamps)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in ((f"{meta.chart_id}.csv", csv_bytes(chart)),
                           ("README.txt", readme_text(chart, meta, version, url).encode("utf-8"))):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def citation(chart: Chart, meta: ChartMeta, version: str, url: str) -> str:
    """Return the citation of one dated version of a chart."""
    return citation_text(chart, meta, version) + url


def citation_text(chart: Chart, meta: ChartMeta, version: str) -> str:
    """Return the citation without its URL (the toolbar prints the URL as code)."""
    return f"{meta.department}：《{meta.report_title}》（{meta.year}年度），图表：{chart.title}。{SITE_NAME}，版本 {version}。"


def snippet(src: str, chart: Chart, meta: ChartMeta, height: int) -> str:
    """Return the copy-paste embed code: an iframe plus the script that keeps its height right.

    The chart page posts `{type, id, height}` to its parent; the script sets the height of the
    iframe whose window sent it (as Datawrapper's responsive embed does). Pasting two
    snippets on one page adds the listener once.
    """
    script = (
        "(function(){if(window.juesuanEmbed)return;window.juesuanEmbed=1;"
        "window.addEventListener('message',function(e){var d=e.data;"
        f"if(!d||d.type!=='{MESSAGE_TYPE}'||!(d.height>0))return;"
        "var f=document.getElementsByTagName('iframe');"
        "for(var i=0;i<f.length;i++){if(f[i].contentWindow===e.source){f[i].style.height=Math.ceil(d.height)+'px';}}"
        "});})();"
    )
    return (f'<iframe src="{h(src)}" title="{h(chart.title)}" id="juesuan-{h(meta.chart_id)}" '
            f'style="width:100%;min-width:280px;border:0" height="{height}" scrolling="no" loading="lazy">'
            f"</iframe><script>{script}</script>")


def figure_height(chart: Chart) -> int:
    """Return the chart's drawn height plus room for its title block and source line."""
    height = int(chart.figure["layout"].get("height") or 420) if chart.figure is not None else 120
    return height + 150


_PAGE_CSS = """
body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
color:#222;background:#fff}main{padding:8px 12px}h1{font-size:18px;margin:4px 0}
.sub,.source{font-size:13px;color:#555;margin:4px 0}a{color:#3f51b5}
table{border-collapse:collapse;font-size:13px;margin-top:6px}td,th{border:1px solid #ddd;padding:2px 6px}
td.n{text-align:right}details{margin:6px 0;font-size:13px}
"""

# Draw the chart and tell the parent page how tall this page is (on draw, on resize).
_PAGE_JS = """
(function(){"use strict";
var el=document.getElementById("chart");var spec=JSON.parse(document.getElementById("spec").textContent)[0];
function post(){if(window.parent===window)return;
window.parent.postMessage({type:"@TYPE@",id:el.dataset.chartId,height:document.documentElement.scrollHeight},"*");}
if(typeof Plotly!=="undefined"){var layout=Object.assign({},spec.layout||{},{autosize:true,title:{text:""}});
layout.margin=Object.assign({},layout.margin||{},{t:10});layout.height=Math.max(160,(layout.height||420)-38);
Plotly.newPlot(el,spec.data||[],layout,{responsive:true,displayModeBar:false,displaylogo:false,
scrollZoom:false,doubleClick:false,showTips:false}).then(post);}
window.addEventListener("load",post);window.addEventListener("resize",post);
if(typeof ResizeObserver!=="undefined"){new ResizeObserver(post).observe(document.body);}
document.querySelectorAll("details").forEach(function(d){d.addEventListener("toggle",post);});
document.querySelectorAll(".citation[data-rel]").forEach(function(p){
p.textContent=p.textContent.split(p.dataset.rel).join(new URL(p.dataset.rel,location.href).href);});
post();})();
""".replace("@TYPE@", MESSAGE_TYPE)


def _data_table(chart: Chart) -> str:
    head = "".join(f"<th>{h(x)}</th>" for x in CSV_HEADER)
    body = "".join(
        f"<tr><td>{h(d.category)}</td><td>{h(d.series)}</td><td class=\"n\">{h(_number(d.value))}</td>"
        f"<td>{h(d.unit)}</td></tr>" for d in chart.drawn)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@dataclass(frozen=True)
class PageLinks:
    """Relative links from a chart page: bundle, report page, its own data files; and its version."""

    bundle: str
    report: str
    csv: str
    zip: str
    version: str
    url: str  # the dated copy's address, relative to this page; the page's script makes it absolute


def chart_page(chart: Chart, meta: ChartMeta, links: PageLinks) -> str:
    """Return a standalone HTML page drawing one chart: no site chrome, nothing from another host."""
    assert chart.figure is not None
    cite = citation(chart, meta, links.version, links.url)
    return "\n".join([
        "<!doctype html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        # No favicon request (a 404 on hosts without /favicon.ico): the page asks for nothing but the bundle.
        '<link rel="icon" href="data:,">',
        f"<title>{h(chart.title)} · {h(meta.department)} {h(meta.year)}年度</title>",
        f"<style>{_PAGE_CSS}</style></head><body><main>",
        f"<h1>{h(chart.title)}</h1>",
        f'<p class="sub">{h(meta.department)} · {h(meta.year)}年度 · {h(meta.kind)} · 版本 {h(links.version)}</p>',
        f'<div id="chart" data-chart-id="{h(meta.chart_id)}" role="img" aria-label="{h(summary(chart))}"></div>',
        f'<script type="application/json" id="spec">{spec_json(chart.figure)}</script>',
        f'<p class="source">{h(source_line(chart, meta))}。 '
        f'<a href="{h(links.report)}#{h(meta.chart_id)}" target="_blank" rel="noopener">查看报告</a> · '
        f'<a href="{h(links.csv)}" download>数据（CSV）</a> · <a href="{h(links.zip)}" download>ZIP</a></p>',
        f"<details><summary>数据表</summary>{_data_table(chart)}</details>",
        f'<details><summary>引用</summary><p class="citation" data-rel="{h(links.url)}">{h(cite)}</p></details>',
        "</main>",
        f'<script src="{h(links.bundle)}"></script>',
        f"<script>{_PAGE_JS}</script>",
        "</body></html>",
        "",
    ])


def image_meta(chart: Chart, meta: ChartMeta) -> dict[str, str]:
    """Return what the downloaded PNG/SVG prints besides the chart: title, department, year, source."""
    return {"title": f"{chart.title} · {meta.department} {meta.year}年度",
            "source": f"{source_line(chart, meta)}。{SITE_NAME}", "filename": meta.chart_id}


def toolbar(chart: Chart, meta: ChartMeta, current: str, dated: str, version: str, csv_href: str,
            zip_href: str) -> str:
    """Return the toolbar under a chart on the report page (嵌入 / 数据 / 图片 / 引用).

    `dated` is the relative address of the dated copy; juesuan.js resolves it to an absolute
    URL in the snippet and the citation (the build does not know where the site is served).
    """
    code = snippet(dated, chart, meta, figure_height(chart))
    cite = citation_text(chart, meta, version)
    image = h(json.dumps(image_meta(chart, meta), ensure_ascii=False))
    return (
        f'<div class="juesuan-toolbar js-chart-toolbar" data-chart-id="{h(meta.chart_id)}" data-image="{image}">'
        '<details class="juesuan-tool"><summary>嵌入</summary>'
        '<p>把下面的代码粘贴到网页中（图表固定为此版本，高度自动适应）：</p>'
        f'<textarea class="js-embed-code" readonly rows="4" data-rel="{h(dated)}">{h(code)}</textarea>'
        '<button type="button" class="md-button js-copy">复制代码</button> '
        f'<a href="{h(dated)}">打开此版本图表页</a> · <a href="{h(current)}">最新图表页</a></details>'
        '<details class="juesuan-tool"><summary>数据</summary>'
        f'<p><a href="{h(csv_href)}" download>CSV（UTF-8，Excel 可直接打开）</a> · '
        f'<a href="{h(zip_href)}" download>ZIP（CSV + 说明 README.txt）</a></p>'
        '<p>文件中的数字即图中所画的数字（金额单位：万元）。</p></details>'
        '<details class="juesuan-tool"><summary>图片</summary>'
        '<p><button type="button" class="md-button js-image" data-format="png">下载 PNG</button> '
        '<button type="button" class="md-button js-image" data-format="svg">下载 SVG</button></p>'
        '<p>图片含标题、部门、年度与来源。</p></details>'
        '<details class="juesuan-tool"><summary>引用</summary>'
        # The URL is an address to copy, not prose: <code>, as the embed code is in its <textarea>.
        f'<p class="js-citation" data-rel="{h(dated)}">{h(cite)}<code>{h(dated)}</code></p>'
        '<button type="button" class="md-button js-copy">复制引用</button></details>'
        "</div>"
    )


def drawn_values(chart: Chart) -> list[Drawn]:
    """Return the values the chart draws (for tests and the XLSX cross-check)."""
    return list(chart.drawn)
