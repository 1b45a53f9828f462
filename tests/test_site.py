"""Site build smoke tests: strict MkDocs build, four charts with their tables, escaping, downloads."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import plotly.graph_objects as go
import pytest

from _site_package import REPORT_ID, write_fixture_package
from juesuan.errors import EnvironmentProblem
from juesuan.fields import RESOURCES
from juesuan.site import build as site_build
from juesuan.site import charts
from juesuan.site.load import load_package
from juesuan.site.pages import write_pages
from site_helpers import PUBLISHED, build_fixture_site, scratch_project

EVIL = "福州市<script>alert(1)</script>中心 & *强调* [链接](x) {: onclick=alert(2) }"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the fixture package, with a department name full of markup, into a site."""
    return build_fixture_site(tmp_path_factory.mktemp("site"), department=EVIL)


@pytest.fixture(scope="module")
def report_html(site: Path) -> str:
    return _unlabelled((site / "data" / "reports" / f"{REPORT_ID}.html").read_text(encoding="utf-8"))


def _unlabelled(text: str) -> str:
    """Drop the cells' data-label attributes (the phone layout's column names) to match cells simply."""
    return re.sub(r' data-label="[^"]*"', "", text)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_report_page_has_five_charts_each_with_its_data_table(report_html: str) -> None:
    containers = re.findall(r'<div class="js-chart[^"]*" data-spec-id="([^"]+)"', report_html)
    assert len(containers) == 5
    for spec_id in containers:
        m = re.search(rf'<script type="application/json" id="{re.escape(spec_id)}">(.*?)</script>', report_html, re.S)
        assert m, spec_id
        spec = json.loads(m.group(1))[0]
        assert spec["data"], spec_id
        # The data table follows its chart, before the next heading.
        after = report_html[m.end():]
        assert after.index("juesuan-chart-data") < after.index("<h2")
    assert report_html.count("juesuan-chart-data") == 5


def test_headline_figures(report_html: str) -> None:
    headline = report_html[report_html.index("juesuan-headline"):]
    headline = headline[: headline.index("</h2>") if "</h2>" in headline else None]
    for value in ("3658.44", "3982.04", "702.61", "3279.44", "2.26"):
        assert f"{value}<small>" in headline, value


def test_report_text_is_escaped_everywhere(site: Path, report_html: str) -> None:
    assert "<script>alert(1)</script>" not in report_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report_html
    assert "<em>强调</em>" not in report_html  # Markdown in report text is not interpreted
    assert 'onclick="' not in report_html  # nor attr_list syntax
    assert "&amp;&#35;" not in report_html and "&amp;#" not in report_html  # escaped once, not twice
    for page in ("index.html", "data/reports/index.html", "data/fields.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in text, page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home
    # Check messages are escaped too.
    assert "表06基本支出合计&lt;应&gt;等于表03基本支出" in report_html


def test_every_standard_table_is_rendered_with_provenance(report_html: str) -> None:
    for number in ("01", "02", "03", "04", "05", "06", "07", "08", "09"):
        assert f"公开{number}表" in report_html
    assert "第139行" in report_html  # 表01 本年收入合计 cites its text line
    assert "2316.53" in report_html
    # Each number links to its line of the text export's HTML page.
    assert 'href="../downloads/sources/' not in report_html or '.txt.html#L139"' in report_html


def test_markers_only_on_repaired_numbers(report_html: str) -> None:
    """※ marks the one cell whose digits were joined (表04 3658.4 4), not cells placed in order."""
    marks = re.findall(r'<abbr class="juesuan-repair" title="([^"]*)">※</abbr>', report_html)
    assert marks == ["原文此数被单元格换行折成两段，印作“3658.4 4”，已接合为 3658.44"]
    # 表03's 合计 row (line 191, 3982.04 printed intact) was only mapped in order: no marker.
    table_03 = report_html[report_html.index('id="table-03"'):report_html.index('id="table-04"')]
    assert "3982.04" in table_03 and "juesuan-repair" not in table_03
    assert "mapped in order" not in report_html and "out of line" not in report_html


def _section(html_text: str, anchor: str) -> str:
    """Return the page from the h2 with this id up to the next h2."""
    start = html_text.index(f'<h2 id="{anchor}"')
    end = html_text.find("<h2", start + 1)
    return html_text[start: end if end > 0 else None]


def test_checks_section_explains_findings(report_html: str) -> None:
    section = _section(report_html, "checks")
    for text in ("成立", "尾数误差", "错误", "702.61", "702.60", "−0.01", "第12页"):
        assert text in section, text
    assert "totals-01-balance" not in section  # passes are counted, not listed
    # Findings are table rows, not headings: the table of contents stays short.
    assert "<h3" not in section
    assert '<tr id="check-3">' in section and '<tr id="check-2">' in section
    # Errors come first; rounding is folded away in a details block.
    assert section.index('id="check-3"') < section.index("<details") < section.index('id="check-2"')
    # The rule's plain-Chinese statement comes from the catalogue, with a link to it.
    assert "表01 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余" not in section  # not this rule
    assert 'href="../checks.html#rule-basic-06-vs-03"' in section


def test_check_summary_counts(report_html: str) -> None:
    section = _section(report_html, "checks")
    cards = dict(re.findall(r'juesuan-figure__label">([^<]+)</div><div class="juesuan-figure__value">(\d+)<', section))
    assert cards == {"检查项数": "3", "成立": "1", "尾数误差": "1", "警告": "0", "错误": "1", "未能核对": "0"}


def test_rule_catalogue_lists_every_rule(site: Path) -> None:
    from juesuan.checks import RULES

    text = (site / "data" / "checks.html").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f'<tr id="rule-{rule.code}">' in text, rule.code
    assert "表01 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余" in text
    # Codes in the package that the catalogue lacks still get an anchor for the report pages' links.
    assert '<tr id="rule-basic-06-vs-03">' in text


def test_profile_section(report_html: str) -> None:
    section = _section(report_html, "profile")
    assert "财政全额拨款事业单位" in section
    assert "（二）牵头开展智慧城市建设重要问题的调查研究。" in section
    assert "第47–49行" in section


def test_year_on_year_panel_marks_derived_figures(report_html: str) -> None:
    section = _section(report_html, "yoy")
    row = re.search(r"<tr><td>2010350 事业运行</td>(.*?)</tr>", section)
    assert row, section[:500]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[0] == "508.68"
    assert cells[1].startswith("491.65 ") and "推算" in cells[1]
    assert cells[2] == "+17.03" and cells[3] == "+3.46%"
    assert "第443行" in cells[4] and 'title="2010350 事业运行支出508.68万元' in cells[4]
    assert "较上年决算数增加17.03万元" in section  # the sentence, listed under the table


def test_performance_section(report_html: str) -> None:
    section = _section(report_html, "performance")
    assert "<h4" not in section and section.count("<h3") == 2
    assert "4734.35" in section and "77.27%" in section and "22.73%" in section
    assert '<td class="num">100 / 100</td>' in section  # 部门整体: 10 + 90 full marks
    # The project below full marks: its block is open, its lost indicator marked, its reason shown.
    assert "86.88 / 100" in section
    block = section[section.index('<details class="juesuan-project warning" open>'):]
    block = block[: block.index("</details>")]
    assert "数字福州建设提升咨询服务" in block
    assert '<tr class="juesuan-lost"><td>产出指标</td>' in block
    assert "延期至2025年4月验收&lt;b&gt;偏差&lt;/b&gt;" in block  # escaped, visible
    assert "<b>偏差</b>" not in report_html


def test_metadata_labels_are_left_aligned(report_html: str) -> None:
    meta = report_html[report_html.index("juesuan-meta"):]
    meta = meta[: meta.index("</table>")]
    assert "<td>0.1.0</td>" in meta and 'class="num"' not in meta


def test_wide_tables_name_each_cell_for_the_phone_layout(site: Path) -> None:
    """Tables of four columns or more stack on a phone, each cell labelled with its column's name."""
    raw = (site / "data" / "reports" / f"{REPORT_ID}.html").read_text(encoding="utf-8")
    table_03 = raw[raw.index('id="table-03"'):raw.index('id="table-04"')]
    assert "juesuan-stack" in table_03
    assert re.search(r'<td class="num" data-label="项目支出"><a class="juesuan-src"[^>]*>3279.44</a>', table_03)


def test_report_page_order(report_html: str) -> None:
    """Key numbers and the summary first, provenance (SHA-256, parser version) last; tables folded."""
    order = [report_html.index(s) for s in ('id="headline"', "juesuan-summary", 'id="tables"', 'id="provenance"')]
    assert order == sorted(order)
    assert report_html.index("SHA-256") > report_html.index('id="downloads"')
    tables = report_html[report_html.index('id="tables"'):report_html.index('id="downloads"')]
    assert "juesuan-standard" in tables
    unfolded = re.sub(r'<details class="juesuan-fold">.*?</details>', "", tables, flags=re.S)
    assert "juesuan-standard" not in unfolded


def test_summary_explains_spending_above_income(report_html: str) -> None:
    """Spending above income is paid from the carried-over balance, when 表01 bears it out."""
    summary = re.search(r'<p class="juesuan-summary">(.*?)</p>', report_html)
    assert summary
    text = summary.group(1)
    # 3982.04 − 3658.44 = 323.60 = 年初结转和结余 394.03 − 年末结转和结余 70.43 (表01, lines 139–141).
    for fact in ("本年收入 3658.44 万元", "本年支出 3982.04 万元", "多 323.60 万元", "年初结转和结余 394.03 万元",
                 "年末还剩结转和结余 70.43 万元"):
        assert fact in text, fact


def test_local_links_resolve(site: Path, report_html: str) -> None:
    parser = _Links()
    parser.feed(report_html)
    base = site / "data" / "reports"
    checked = 0
    for link in parser.links:
        if re.match(r"^[a-z]+:|^#|^//", link):
            continue
        target = (base / link.split("#")[0].split("?")[0]).resolve()
        assert target.exists(), link
        checked += 1
    assert checked > 10


def test_plotly_is_one_self_hosted_file(site: Path, report_html: str) -> None:
    from juesuan.site.vendor import PLOTLY_SHA256

    hosted = site / "data" / "assets" / "plotly.min.js"
    assert hashlib.sha256(hosted.read_bytes()).hexdigest() == PLOTLY_SHA256  # the pinned partial bundle
    scripts = re.findall(r'<script src="([^"]+)"', report_html)
    assert [s for s in scripts if "plotly" in s] == ["../assets/plotly.min.js"]
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))]
    assert "cdn.plot.ly" not in report_html and "plotly-latest" not in report_html


def test_downloads(site: Path) -> None:
    downloads = site / "data" / "downloads"
    with zipfile.ZipFile(downloads / "juesuan-datapackage.zip") as zf:
        names = set(zf.namelist())
    assert "datapackage.json" in names
    for name in RESOURCES:
        assert f"data/{name}.csv" in names
        assert (downloads / f"{name}.csv").is_file()


def test_data_page_lists_every_resource_and_field(site: Path) -> None:
    text = (site / "data" / "fields.html").read_text(encoding="utf-8")
    for res in RESOURCES.values():
        assert f"<code>{res.name}</code>" in text
        for f in res.fields:
            assert f"<code>{f.name}</code>" in text


def test_pages_declare_zh_cn_and_chinese_permalinks(site: Path) -> None:
    for page in ("index.html", "data/fields.html", "data/checks.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert '<html lang="zh-CN"' in text, page
        assert "Permanent link" not in text, page
    assert 'title="本节链接"' in (site / "data" / "fields.html").read_text(encoding="utf-8")


def test_data_page_states_the_shipped_plotly_js_version(site: Path) -> None:
    from juesuan.site.pages import bundle_version

    shipped = bundle_version(site / "data" / "assets" / "plotly.min.js")
    text = (site / "data" / "fields.html").read_text(encoding="utf-8")
    assert f"Plotly.js {shipped}" in text
    assert re.findall(r"Plotly\.js (\d+\.\d+\.\d+)", text) == [shipped]


def test_search_is_a_pagefind_index_in_chinese(site: Path) -> None:
    """Pagefind's extended build indexed the site as zh-cn; no MkDocs search index is shipped."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh-cn"]
    assert entry["languages"]["zh-cn"]["page_count"] >= 4
    assert not (site / "search").exists()


def test_zip_is_reproducible(tmp_path: Path) -> None:
    package = write_fixture_package(tmp_path / "package")
    a = write_pages(package, tmp_path / "a" / "data")
    write_pages(package, tmp_path / "b" / "data")
    zips = [p for p in a if p.name == "juesuan-datapackage.zip"]
    assert zips
    other = tmp_path / "b" / "data" / "downloads" / "juesuan-datapackage.zip"
    assert zips[0].read_bytes() == other.read_bytes()


def test_write_pages_refuses_to_wipe_a_foreign_folder(tmp_path: Path) -> None:
    package = write_fixture_package(tmp_path / "package")
    out = tmp_path / "data"
    out.mkdir()
    (out / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(EnvironmentProblem, match="not written by juesuan"):
        write_pages(package, out)
    assert (out / "notes.md").exists()


def test_missing_mkdocs_is_an_environment_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = site_build.importlib.util.find_spec
    monkeypatch.setattr(site_build.importlib.util, "find_spec", lambda name: None if name == "mkdocs" else real(name))
    with pytest.raises(EnvironmentProblem, match="make install"):
        site_build.build_site(tmp_path, tmp_path / "package", tmp_path / "site")


def test_amounts_are_read_as_decimals(tmp_path: Path) -> None:
    package = load_package(write_fixture_package(tmp_path / "package"))
    row = next(r for r in package.rows("totals") if r["item"] == "本年收入合计")
    assert str(row["amount"]) == "3658.44"
    spec = charts.spec_json(charts.three_public(package.rows("three_public")).figure)  # type: ignore[arg-type]
    assert "<" not in spec and json.loads(spec)[0]["data"][0]["x"] == [0.0, 0.0, 2.08, 0.18]


def test_charts_draw_only_bar_and_scatter_traces(tmp_path: Path) -> None:
    """The site ships the plotly.js-basic bundle: bar and scatter only, no sunburst or treemap."""
    package = load_package(write_fixture_package(tmp_path / "package"))
    figures = [
        charts.income_by_source(package.rows("totals")).figure,
        charts.expenditure_by_function(package.rows("expenditure_by_function")).figure,
        charts.basic_by_economic_class(package.rows("basic_expenditure")).figure,
        charts.three_public(package.rows("three_public")).figure,
    ]
    for fig in figures:
        assert fig is not None
        spec = json.loads(charts.spec_json(fig))[0]
        go.Figure(spec)  # Plotly's validation: the plain specs hold only real properties
        assert "template" not in spec["layout"]  # no default template copied into every chart
        assert {t["type"] for t in spec["data"]} <= {"bar", "scatter"}, spec["layout"]["title"]
        assert all(t.get("orientation") == "h" for t in spec["data"])  # labels beside the bars on a phone


@pytest.mark.slow
@pytest.mark.skipif(not (PUBLISHED / "datapackage.json").is_file(), reason="datapackage/ not built yet")
def test_published_package_builds_strictly(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "project")
    site_build.build_site(project, PUBLISHED, project / "build" / "site")
    pages = list((project / "build" / "site" / "data" / "reports").glob("*.html"))
    report_pages = [p for p in pages if p.name != "index.html"]
    assert report_pages
    package = load_package(PUBLISHED)
    for page in report_pages:
        rid = page.stem
        has_projects = any(p.get("kind") == "项目" for p in package.rows("performance_projects", rid))
        assert page.read_text(encoding="utf-8").count('<div class="js-chart') == 4 + has_projects, page.name


# The committed Fuzhou package: real numbers on the real report page. -------------------------

FUZHOU = "fuzhou-zhihui-fuzhou-center-2024-final"
needs_published = pytest.mark.skipif(not (PUBLISHED / "data" / "performance_projects.csv").is_file(),
                                     reason="datapackage/ not built yet")


@pytest.fixture(scope="module")
def fuzhou_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    site = build_fixture_site(tmp_path_factory.mktemp("fuzhou"), published=True)
    return _unlabelled((site / "data" / "reports" / f"{FUZHOU}.html").read_text(encoding="utf-8"))


@needs_published
def test_fuzhou_check_summary_equals_the_published_checks(fuzhou_html: str) -> None:
    with (PUBLISHED / "data" / "checks.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["report_id"] == FUZHOU]
    counts = Counter(r["severity"] for r in rows)
    section = _section(fuzhou_html, "checks")
    cards = dict(re.findall(r'juesuan-figure__label">([^<]+)</div><div class="juesuan-figure__value">(\d+)<', section))
    assert cards == {"检查项数": str(len(rows)), "成立": str(counts["pass"]), "尾数误差": str(counts["rounding"]),
                     "警告": str(counts["warning"]), "错误": str(counts["error"]), "未能核对": str(counts["not-checked"])}
    # Every failed or rounded finding is one table row; not-checked ones are listed by reason; none is a heading.
    assert section.count('<tr id="check-') == len(rows) - counts["pass"] - counts["not-checked"]
    assert counts["not-checked"] == 0 or "未能核对" in section
    assert "<h3" not in section


@needs_published
def test_fuzhou_performance(fuzhou_html: str) -> None:
    section = _section(fuzhou_html, "performance")
    department = section[section.index('id="performance-department"'):section.index('id="performance-projects"')]
    for value in ("1758.07", "2976.28", "4734.35", "3658.45", "77.27%", "1075.90"):
        assert value in department, value
    assert re.search(r"<td>自评总分</td><td class=\"num\">100 / 100</td>", department)
    # The project scored 86.88: open, with its lost indicators and their reasons visible.
    assert "86.88 / 100" in section
    block = section[section.index('<details class="juesuan-project warning" open>\n<summary>3. '):]
    block = block[: block.index("</details>")]
    assert "数字福州建设提升咨询服务" in block
    assert block.count('<tr class="juesuan-lost">') == 4  # 7.5, 7.5, 12.5 and 9.38 of 10, 10, 20, 10
    assert "项目延期半年" in block
    # The project that lost its funding points (执行率 21.55%) is open too and says why.
    block5 = section[section.index("<summary>5. "):]
    assert "21.55%" in block5[: block5.index("</details>")] and "资金执行失分" in block5[: block5.index("</details>")]
    assert '<details class="juesuan-project note">\n<summary>1. ' in section  # full marks: folded


@needs_published
def test_fuzhou_year_on_year(fuzhou_html: str) -> None:
    section = _section(fuzhou_html, "yoy")
    row = re.search(r"<tr><td>2010350 事业运行</td>(.*?)</tr>", section)
    assert row
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[0] == "508.68" and cells[1].startswith("491.65 ") and "推算" in cells[1]
    assert cells[2] == "+17.03" and cells[3] == "+3.46%" and "第443行" in cells[4]
    assert re.search(r"<td>三公</td><td class=\"num\">2.26</td><td class=\"num\">2.78 ", section)


@needs_published
def test_fuzhou_profile(fuzhou_html: str) -> None:
    section = _section(fuzhou_html, "profile")
    assert "福州市市民卡综合数据交换中心" in section
    assert '<tr class="juesuan-total"><td>合计</td><td></td><td class="num">35</td></tr>' in section
    assert section.count("<li>") == 9


def test_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    """A strict build that fails raises SiteBuildError and leaves the published site whole."""
    site = build_fixture_site(tmp_path)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    project = tmp_path / "project"
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - 关于: about.md", "  - 关于: missing.md"),
                      encoding="utf-8")
    with pytest.raises(site_build.SiteBuildError, match=r"missing\.md"):
        site_build.build_site(project, write_fixture_package(tmp_path / "package2"), site)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".")]


def test_sitemap_is_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No build date in the sitemap unless SOURCE_DATE_EPOCH gives one; then that date."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    url = "https://example.org/juesuan/"  # a sitemap lists pages only when the site's address is known
    site = build_fixture_site(tmp_path / "a", site_url=url)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>" in sitemap and "<lastmod>" not in sitemap
    assert (site / "sitemap.xml.gz").read_bytes()[4:8] == b"\0\0\0\0"  # gzip header mtime
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "31536000")
    dated = build_fixture_site(tmp_path / "b", site_url=url)
    assert "<lastmod>1971-01-01</lastmod>" in (dated / "sitemap.xml").read_text(encoding="utf-8")
    assert (dated / "sitemap.xml").read_text(encoding="utf-8").replace("<lastmod>1971-01-01</lastmod>", "").split() == sitemap.split()


def test_home_counts_the_charts_the_report_pages_draw(site: Path, report_html: str) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    drawn = len(re.findall(r'<div class="js-chart', report_html))
    assert f"最多 {drawn} 张图" in home and "四张图" not in home
    assert "项目绩效" in home  # the fixture has projects, so its page draws that chart too


def test_text_export_is_published_with_line_anchors(tmp_path: Path) -> None:
    """The text export becomes an HTML page, UTF-8 declared, one anchor per line; numbers link to it."""
    site = build_fixture_site(tmp_path, published=True)
    pages = list((site / "data" / "downloads" / "sources").glob("*.txt.html"))
    assert len(pages) == 1
    page = pages[0].read_text(encoding="utf-8")
    source = pages[0].with_suffix("").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page[:300]
    assert page.count('<li id="L') == len(source.splitlines())
    # Line 191 of the export is 表03's 合计 row: 3982.04 printed intact.
    line_191 = re.search(r'<li id="L191">.*?</li>', page)
    assert line_191 and "3982.04" in line_191.group(0)
    report = _unlabelled(next((site / "data" / "reports").glob("fuzhou*.html")).read_text(encoding="utf-8"))
    name = pages[0].name
    assert re.search(rf'<a class="juesuan-src" href="../downloads/sources/{re.escape(name)}#L191" title="原文第191行">3982.04</a>',
                     report)
    table_03 = report[report.index('id="table-03"'):report.index('id="table-04"')]
    assert "※" not in table_03
