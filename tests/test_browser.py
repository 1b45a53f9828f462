"""Headless Chromium opens the built site and sees the five charts drawn, with no console errors.

At a phone (390×844) and a desktop (1366×900) viewport, on the home, a report and the
rule catalogue: chart titles and legends do not overlap, the key column of every table is in
view (on a phone no table scrolls sideways), no English in visible text or tooltips, and every
text has a contrast of at least 4.5:1. Screenshots go to ARTIFACTS.

Uses Debian's `/usr/bin/chromium` driven by the pip package `playwright` (playwright's own
browser download does not work on these machines). CI installs chromium (`make install`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_helpers import build_fixture_site, serve

CHROMIUM = Path(os.environ.get("JUESUAN_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots are test artefacts, to look at: $JUESUAN_ARTIFACTS, else tests/artifacts/ (gitignored).
ARTIFACTS = Path(os.environ.get("JUESUAN_ARTIFACTS") or Path(__file__).parent / "artifacts")
SCREENSHOT_DIR = ARTIFACTS
SCREENSHOT = SCREENSHOT_DIR / "juesuan-report-page.png"
# 收入来源, 支出功能分类, 基本支出经济分类, “三公”经费, 项目绩效 (both packages have projects).
CHARTS = 5
# The home page's corpus charts (corpus_pages._home_charts): 各年度报告数, 决算支出合计 (the fixture
# has a final report with 支出合计), 勾稽检查结果.
HOME_CHARTS = 3

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve, then build the site there (from the committed datapackage/ when present).

    The site is built for the served URL: Material's instant navigation only intercepts links
    whose host and port match site_url.
    """
    tmp = tmp_path_factory.mktemp("browser")
    with serve(tmp / "project" / "build" / "site") as url:
        build_fixture_site(tmp, published=True, site_url=url)
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Launch headless Debian Chromium through playwright."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser: object, errors: list[str]) -> object:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def _wait_for_charts(page: object, count: int = CHARTS) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => { const c = document.querySelectorAll('.js-chart');"
        f" return c.length === {count} && [...c].every(el => el.querySelector('.main-svg')); }}",
        timeout=30_000,
    )


REPORT_LINK = "article a[href*='data/reports/'][href$='.html']:not([href$='index.html'])"


def _report_url(page: object) -> str:
    """Return the absolute URL of the first report linked from the home page's report list."""
    href = page.eval_on_selector(REPORT_LINK, "a => a.href")  # type: ignore[attr-defined]
    assert href, "home page links to no report page"
    return href


def test_report_page_draws_five_charts(browser: object, site_url: str) -> None:
    errors: list[str] = []
    page = _open(browser, errors)
    page.goto(site_url, wait_until="load")  # type: ignore[attr-defined]
    page.goto(_report_url(page), wait_until="load")  # type: ignore[attr-defined]
    _wait_for_charts(page)
    drawn = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".js-chart", "els => els.map(el => el.querySelectorAll('.main-svg path, .main-svg rect').length)"
    )
    assert len(drawn) == CHARTS and all(n > 0 for n in drawn), drawn
    # The performance chart: one bar per project and series, each drawn with a width.
    bars = page.eval_on_selector(  # type: ignore[attr-defined]
        "#performance-projects ~ .js-chart",
        "el => [...el.querySelectorAll('.main-svg .bars .point path')].filter(p => p.getBBox().width > 0).length",
    )
    assert bars >= 2, bars
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)  # type: ignore[attr-defined]
    # One screenshot per new section, to look at the layout.
    for anchor in ("profile", "yoy", "performance", "checks"):
        page.locator(f"h2#{anchor}").scroll_into_view_if_needed()  # type: ignore[attr-defined]
        page.screenshot(path=str(SCREENSHOT_DIR / f"juesuan-report-{anchor}.png"))  # type: ignore[attr-defined]
    assert errors == []


def test_instant_navigation_from_home_draws_charts(browser: object, site_url: str) -> None:
    errors: list[str] = []
    page = _open(browser, errors)
    page.goto(site_url, wait_until="load")  # type: ignore[attr-defined]
    page.evaluate("window.__juesuanMarker = 'same document'")  # type: ignore[attr-defined]
    _report_url(page)
    page.click(REPORT_LINK)  # type: ignore[attr-defined]
    # The report list sits below the home charts, so the click scrolls first; Material's scroll
    # tracking may then append the home heading's anchor to the new URL (`….html#chart-…`).
    page.wait_for_url("**/data/reports/*.html*")  # type: ignore[attr-defined]
    _wait_for_charts(page)
    # Material's instant navigation swapped the content without a full page load.
    assert page.evaluate("window.__juesuanMarker") == "same document"  # type: ignore[attr-defined]
    assert errors == []


# What a reader sees: phone and desktop -------------------------------------------------------

VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
PAGES = ("home", "report", "checks")
# Latin words a reader may see: codes, units, formats, names of standards and of this project.
LATIN_OK = {
    "sha", "csv", "zip", "pdf", "json", "utf", "xlsx", "svg", "png", "url", "id",
    "plotly", "js", "frictionless", "data", "package", "datapackage", "juesuan", "cc", "by",
    "mkdocs", "material", "for", "github", "bom", "excel", "wcag",
}
# A word inside <code>, <pre> or <textarea> (the chart toolbar's embed snippet: HTML to copy), a
# link to a file, or a file name is a code, not prose.
_TEXT_NODES_JS = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest('script, style, code, pre, textarea, svg, [lang="en"], .md-search, [hidden]')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (el.closest('[lang="en"], svg')) continue;
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  return out;
}
"""
_FILE_NAME = re.compile(r"[\w.-]+\.(txt|pdf|csv|json|zip|html|xlsx|md|parquet|duckdb)\b|[0-9a-f]{16,}|[a-z0-9]+(-[a-z0-9]+)+", re.I)
# Acronyms printed in the reports' own Chinese (APP, QQ, PPP) are not English prose; the UI
# words this test exists to catch ("Made with", "Permanent link", "Share") are not all capitals.
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_WORD = re.compile(r"[A-Za-z]{2,}")
# Colour contrast of every visible text element against its effective background (alpha
# blended up the ancestors), per WCAG 2.1: large text (24 px, or 18.67 px bold) needs 3:1.
_CONTRAST_JS = """
() => {
  const parse = c => { const m = c.match(/[\\d.]+/g) || ['0','0','0','0'];
                       return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, under) => { const a = top[3];
    return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1]; };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const seen = new Set(); const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || seen.has(el) || el.closest('script, style, svg, .md-search')) continue;
    seen.add(el);
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el);
    const bg = background(el);
    const fg = over(parse(s.color), bg);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) bad.push(`${ratio.toFixed(2)} < ${need}: <${el.tagName.toLowerCase()} class="${el.className}"> ${n.textContent.trim().slice(0, 30)} (${s.color} on rgb(${bg.slice(0, 3).map(Math.round)}))`);
  }
  return bad;
}
"""
# Every table of the article, after opening the folded ones: the first (key) column must lie
# inside the viewport without scrolling; on a phone no table may scroll sideways at all.
_TABLES_JS = """
(phone) => {
  document.querySelectorAll('article details').forEach(d => d.open = true);
  const width = document.documentElement.clientWidth;
  const bad = [];
  let n = 0;
  for (const table of document.querySelectorAll('article table')) {
    if (table.closest('[lang="en"]')) continue;
    n++;
    const name = (table.closest('.juesuan-table') || table).className + ' #' + n + ' ' +
                 (table.querySelector('th, td') || {textContent: ''}).textContent.trim().slice(0, 12);
    for (const row of table.querySelectorAll('tbody tr')) {
      const cell = row.querySelector('td, th');
      if (!cell) continue;
      const r = cell.getBoundingClientRect();
      if (r.width > 0 && (r.left < -1 || r.right > width + 1)) { bad.push(`${name}: key cell at ${Math.round(r.left)}–${Math.round(r.right)}`); break; }
    }
    const scroller = table.closest('.juesuan-table, .md-typeset__scrollwrap') || table;
    if (phone && scroller.scrollWidth > scroller.clientWidth + 1) bad.push(`${name}: scrolls sideways (${scroller.scrollWidth} > ${scroller.clientWidth})`);
  }
  return {bad, n};
}
"""
# Chart titles, legends and plot areas: none overlaps another, and a title is not cut.
_CHARTS_JS = """
() => {
  const bad = [];
  let titles = 0;
  const box = el => el ? el.getBoundingClientRect() : null;
  const meets = (a, b) => a && b && a.width > 0 && b.width > 0 &&
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  document.querySelectorAll('.js-chart').forEach((chart, i) => {
    const svg = box(chart.querySelector('.main-svg'));
    const title = box(chart.querySelector('.gtitle'));
    const legend = box(chart.querySelector('g.legend'));
    const plot = box(chart.querySelector('.cartesianlayer .plot, .bglayer rect'));
    const name = chart.dataset.specId || i;
    if (title && title.width > 0) titles++;
    if (meets(title, legend)) bad.push(`${name}: title overlaps legend`);
    if (meets(title, plot)) bad.push(`${name}: title overlaps plot`);
    if (meets(legend, plot)) bad.push(`${name}: legend overlaps plot`);
    if (title && svg && (title.left < svg.left - 1 || title.right > svg.right + 1)) bad.push(`${name}: title cut`);
    if (legend && svg && (legend.left < svg.left - 1 || legend.right > svg.right + 1)) bad.push(`${name}: legend cut`);
  });
  return {bad, titles, charts: document.querySelectorAll('.js-chart').length};
}
"""


@pytest.fixture(scope="module")
def page_urls(browser: object, site_url: str) -> dict[str, str]:
    """The URLs of the pages looked at: home, the first report, the rule catalogue."""
    page = _open(browser, [])
    page.goto(site_url, wait_until="load")  # type: ignore[attr-defined]
    urls = {"home": site_url, "report": _report_url(page), "checks": site_url + "data/checks.html"}
    page.close()  # type: ignore[attr-defined]
    return urls


@pytest.fixture(scope="module")
def seen(browser: object, page_urls: dict[str, str]) -> dict[tuple[str, str], dict[str, object]]:
    """Open every page at every viewport once; measure, and save a screenshot of each."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out: dict[tuple[str, str], dict[str, object]] = {}
    for vp, (w, hgt) in VIEWPORTS.items():
        for name in PAGES:
            errors: list[str] = []
            page = browser.new_page(viewport={"width": w, "height": hgt})  # type: ignore[attr-defined]
            page.on("console", lambda msg, e=errors: e.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            page.goto(page_urls[name], wait_until="load")
            if name == "report":
                _wait_for_charts(page)
            elif name == "home":
                # Measured once drawn, and once corpus.js has put the sort buttons in the table's header.
                _wait_for_charts(page, HOME_CHARTS)
                page.wait_for_selector("table[data-corpus-table][data-wired='1']", state="attached")
            page.screenshot(path=str(ARTIFACTS / f"{name}-{vp}.png"))
            result: dict[str, object] = {
                "charts": page.evaluate(_CHARTS_JS),
                "english": page.evaluate(_TEXT_NODES_JS),
                "contrast": page.evaluate(_CONTRAST_JS),
            }
            result["tables"] = page.evaluate(_TABLES_JS, vp == "phone")  # opens the folded tables
            result["contrast_open"] = page.evaluate(_CONTRAST_JS)
            result["english_open"] = page.evaluate(_TEXT_NODES_JS)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{vp}-full.png"), full_page=True)
            result["errors"] = errors
            out[(vp, name)] = result
            page.close()
    return out


CASES = [(vp, name) for vp in VIEWPORTS for name in PAGES]


@pytest.mark.parametrize(("viewport", "name"), CASES)
def test_chart_titles_and_legends_do_not_overlap(seen: dict[tuple[str, str], dict[str, object]], viewport: str, name: str) -> None:
    charts = seen[(viewport, name)]["charts"]
    assert isinstance(charts, dict)
    assert charts["bad"] == []
    assert charts["titles"] == charts["charts"] == {"report": CHARTS, "home": HOME_CHARTS}.get(name, 0)


@pytest.mark.parametrize(("viewport", "name"), CASES)
def test_key_column_of_every_table_is_in_view(seen: dict[tuple[str, str], dict[str, object]], viewport: str, name: str) -> None:
    tables = seen[(viewport, name)]["tables"]
    assert isinstance(tables, dict)
    assert tables["n"] > 0 and tables["bad"] == []


@pytest.mark.parametrize(("viewport", "name"), CASES)
def test_no_english_in_visible_text(seen: dict[tuple[str, str], dict[str, object]], viewport: str, name: str) -> None:
    found = set()
    for text in [*seen[(viewport, name)]["english"], *seen[(viewport, name)]["english_open"]]:  # type: ignore[misc]
        for word in _WORD.findall(_FILE_NAME.sub(" ", str(text))):
            if word.lower() not in LATIN_OK and not _ACRONYM.fullmatch(word):
                found.add(f"{word} ← {str(text)[:60]}")
    assert sorted(found) == []


@pytest.mark.parametrize(("viewport", "name"), CASES)
def test_text_contrast_is_at_least_4_5(seen: dict[tuple[str, str], dict[str, object]], viewport: str, name: str) -> None:
    result = seen[(viewport, name)]
    assert result["contrast"] == [] and result["contrast_open"] == []
    assert result["errors"] == []


def test_home_table_sorts_and_filters_on_a_phone(browser: object, page_urls: dict[str, str]) -> None:
    """At 390 px the home table's rows are cards, and its sort buttons and filter box stay usable."""
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(page_urls["home"], wait_until="load")
    page.wait_for_selector("table[data-corpus-table][data-wired='1']", state="attached")
    button = page.locator("table[data-corpus-table] thead .juesuan-sort", has_text="年度")
    assert button.is_visible()
    button.click()
    assert page.get_attribute("table[data-corpus-table] thead th:nth-child(3)", "aria-sort") == "ascending"
    rows = page.locator("table[data-corpus-table] tbody tr")
    assert rows.count() > 0 and rows.first.evaluate("r => getComputedStyle(r).display") == "block"
    page.fill(".js-corpus-filter [data-filter='text']", "没有这个部门")
    assert page.locator("table[data-corpus-table] tbody tr:not([hidden])").count() == 0
    page.close()


PDF_REPORT = "shanghai-putuo-social-work-dept-2024-final"


def test_pdf_report_on_a_phone(browser: object, corpus: Path, tmp_path: Path) -> None:
    """A PDF report at 390×844: tables in view, Chinese, legible; numbers open their page; rows their box."""
    from juesuan.cli import main
    from juesuan.site.build import build_site
    from site_helpers import scratch_project

    pdf = corpus / f"{PDF_REPORT}.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not in the corpus")
    assert main(["data", str(pdf), "--out", str(tmp_path / "pkg")]) == 0
    project = scratch_project(tmp_path / "project")
    for old in (project / "reports").glob("*"):
        old.unlink()
    shutil.copy2(pdf, project / "reports" / pdf.name)
    site = project / "build" / "site"
    with serve(site) as url:
        build_site(project, tmp_path / "pkg", site, site_url=url)
        errors: list[str] = []
        page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{url}data/reports/{PDF_REPORT}.html", wait_until="load")
        page.wait_for_function("() => [...document.querySelectorAll('.js-chart')].every(el => el.querySelector('.main-svg'))")
        assert page.evaluate(_CHARTS_JS)["bad"] == []
        tables = page.evaluate(_TABLES_JS, True)
        assert tables["n"] > 0 and tables["bad"] == []
        assert page.evaluate(_CONTRAST_JS) == []
        # 表01's first income cell (307.82, page 5 of the PDF) opens page 5.
        href = page.eval_on_selector("#table-01 ~ details a.juesuan-src", "a => a.href")
        assert href == f"{url}data/downloads/sources/{pdf.name}#page=5"
        where = page.eval_on_selector("#table-01 ~ details a.juesuan-where", "a => a.href")
        page.screenshot(path=str(ARTIFACTS / "pdf-report-phone.png"))
        page.goto(where, wait_until="load")
        # Only that row's cell lights up (page 5 prints 表01's 收入 and 支出 rows side by side),
        # drawn over the image of page 5.
        lit = page.evaluate("() => [...document.querySelectorAll(':target title')].map(t => t.textContent)")
        assert len(lit) == 1 and lit[0].endswith("：307.82"), lit
        image = page.evaluate("() => document.querySelector('svg image').getAttribute('href')")
        assert image == f"{pdf.name}.p5.png"
        png = page.request.get(f"{url}data/downloads/sources/{image}")
        assert png.status == 200 and png.body().startswith(b"\x89PNG")
        box = page.evaluate("() => { const r = document.querySelector(':target rect').getBoundingClientRect();"
                            " const s = document.querySelector('svg').getBoundingClientRect();"
                            " return [r.left >= s.left, r.right <= s.right, r.width > 5, r.height > 3]; }")
        assert box == [True, True, True, True]
        page.screenshot(path=str(ARTIFACTS / "pdf-cell-box-phone.png"))
        page.close()
        assert errors == []
