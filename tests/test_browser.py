"""Headless Chromium opens the built site and sees the five charts drawn, with no console errors.

Uses Debian's `/usr/bin/chromium` driven by the pip package `playwright` (playwright's own
browser download does not work on these machines). CI installs chromium (`make install`).
"""

from __future__ import annotations

import os
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
SCREENSHOT_DIR = Path(os.environ.get("JUESUAN_SCREENSHOT_DIR", "/tmp"))
SCREENSHOT = SCREENSHOT_DIR / "juesuan-report-page.png"
# 收入来源, 支出功能分类, 基本支出经济分类, “三公”经费, 项目绩效 (both packages have projects).
CHARTS = 5

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


def _wait_for_charts(page: object) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => { const c = document.querySelectorAll('.js-chart');"
        f" return c.length === {CHARTS} && [...c].every(el => el.querySelector('.main-svg')); }}",
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
