"""In headless Chromium: a chart embedded from another origin resizes to its content; citations resolve.

The site is served on one port; a host page holding the copy-paste snippet (read from the
report page's 嵌入 box after juesuan.js made its address absolute) is served on a second port,
so the iframe is cross-origin as in a newsroom's article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_helpers import build_fixture_site, serve
from test_browser import ARGS, CHROMIUM, SCREENSHOT_DIR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Serve, then build the site there; yield its URL and folder."""
    tmp = tmp_path_factory.mktemp("embed")
    folder = tmp / "project" / "build" / "site"
    with serve(folder) as url:
        build_fixture_site(tmp, published=True, site_url=url)
        yield url, folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _report_page(browser: object, site_url: str, folder: Path, errors: list[str]) -> object:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    report = next(p for p in sorted((folder / "data" / "reports").glob("*.html")) if p.name != "index.html")
    page.goto(site_url + report.relative_to(folder).as_posix(), wait_until="load")
    page.wait_for_function("() => document.querySelector('.js-chart-toolbar[data-ready=\"1\"]')", timeout=30_000)
    return page


def test_embedded_chart_resizes_its_iframe(browser: object, site: tuple[str, Path], tmp_path: Path) -> None:
    site_url, folder = site
    errors: list[str] = []
    page = _report_page(browser, site_url, folder, errors)
    snippet = page.eval_on_selector(".js-embed-code", "el => el.value")  # type: ignore[attr-defined]
    src = re.search(r'<iframe src="([^"]+)"', snippet)
    assert src and src.group(1).startswith(site_url + "data/v/"), snippet
    # The host page: a paragraph, the snippet, a paragraph; on another port (another origin).
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    (host_dir / "index.html").write_text(
        f'<!doctype html><html><head><meta charset="utf-8"></head><body><p>报道正文</p>{snippet}'
        "<p>报道正文</p></body></html>", encoding="utf-8")
    with serve(host_dir) as host_url:
        assert host_url != site_url
        host = browser.new_page(viewport={"width": 390, "height": 800})  # type: ignore[attr-defined]
        host.on("pageerror", lambda exc: errors.append(str(exc)))
        host.goto(host_url + "index.html", wait_until="load")
        frame_el = host.wait_for_selector("iframe")
        frame = frame_el.content_frame()
        frame.wait_for_function("() => document.querySelector('#chart .main-svg')", timeout=30_000)
        content = frame.evaluate("() => document.documentElement.scrollHeight")
        initial = int(frame_el.get_attribute("height"))
        host.wait_for_function(
            "h => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) <= 2",
            arg=content, timeout=10_000)
        shown = host.evaluate("() => document.querySelector('iframe').getBoundingClientRect().height")
        assert abs(shown - content) <= 2 and shown != initial, (shown, content, initial)
        # Opening a table of data inside the frame makes the page taller: the iframe follows.
        frame.click("details summary")
        taller = frame.evaluate("() => document.documentElement.scrollHeight")
        assert taller > content
        host.wait_for_function(
            "h => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) <= 2",
            arg=taller, timeout=10_000)
        host.screenshot(path=str(SCREENSHOT_DIR / "juesuan-embed-host.png"), full_page=True)
    assert errors == []


def test_citation_url_resolves_to_the_dated_copy(browser: object, site: tuple[str, Path]) -> None:
    site_url, folder = site
    errors: list[str] = []
    page = _report_page(browser, site_url, folder, errors)
    texts = page.eval_on_selector_all(".js-citation", "els => els.map(e => e.textContent)")  # type: ignore[attr-defined]
    assert len(texts) == 5
    for text in texts:
        url = re.search(r"(https?://\S+)$", text)
        assert url, text
        assert re.match(re.escape(site_url) + r"data/v/\d{4}-\d{2}-\d{2}(\.\d+)?/charts/[^/]+\.html$", url.group(1))
        response = page.request.get(url.group(1))  # type: ignore[attr-defined]
        assert response.status == 200
        local = folder / url.group(1)[len(site_url):]
        assert response.body() == local.read_bytes()
        assert "部门决算公开数据，版本 " in text
    bar = page.locator(".js-chart-toolbar").first  # type: ignore[attr-defined]
    bar.locator("summary", has_text="引用").click()
    bar.locator("button", has_text="复制引用").click()
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('.js-copy')].some(b => b.textContent === '已复制')", timeout=5_000)
    page.locator(".js-chart-toolbar").first.screenshot(  # type: ignore[attr-defined]
        path=str(SCREENSHOT_DIR / "juesuan-chart-toolbar.png"))
    # The toolbar's links are clickable (not covered by the chart's layers) and open the dated page.
    bar.locator("summary", has_text="嵌入").click()
    bar.locator("a", has_text="打开此版本图表页").click(timeout=5_000)
    page.wait_for_url("**/data/v/**")  # type: ignore[attr-defined]
    page.wait_for_function("() => document.querySelector('#chart .main-svg')", timeout=15_000)  # type: ignore[attr-defined]
    assert page.url == re.search(r"(https?://\S+)$", texts[0]).group(1)  # type: ignore[attr-defined, union-attr]
    assert errors == []


def test_image_download_png_and_svg(browser: object, site: tuple[str, Path], tmp_path: Path) -> None:
    site_url, folder = site
    errors: list[str] = []
    page = _report_page(browser, site_url, folder, errors)
    page.wait_for_function("() => [...document.querySelectorAll('.js-chart')].every(e => e.querySelector('.main-svg'))",
                           timeout=30_000)  # type: ignore[attr-defined]
    bar = page.locator(".js-chart-toolbar").nth(3)  # type: ignore[attr-defined]
    bar.locator("summary", has_text="图片").click()
    for fmt in ("svg", "png"):
        with page.expect_download() as info:  # type: ignore[attr-defined]
            bar.locator(f".js-image[data-format={fmt}]").click()
        download = info.value
        assert download.suggested_filename.endswith(f"--three-public.{fmt}")
        path = tmp_path / download.suggested_filename
        download.save_as(str(path))
        data = path.read_bytes()
        if fmt == "svg":
            text = data.decode("utf-8")
            assert "“三公”经费" in text and "年度" in text and "来源：" in text
        else:
            assert data.startswith(b"\x89PNG") and len(data) > 5000
            (SCREENSHOT_DIR / "juesuan-chart-download.png").write_bytes(data)
    assert errors == []
