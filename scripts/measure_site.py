"""Measure a built site's weight in headless Chromium at a phone viewport (390×844), empty cache.

Serves the site folder with a small local server that gzips text (as GitHub Pages does) and counts
the bytes of every response body it sends, then measures:
  first view   a report page opened with an empty cache, charts drawn (everything it loads)
  second page  another page opened from it in the same visit (by a click: instant navigation)
  search       opening the search and typing a query, until its results are shown
and counts requests that leave the site and console errors (both must be 0). Sizes and counts only,
no timings. Exit status 1 when a budget is exceeded.

    .venv/bin/python scripts/measure_site.py build/site [--query 公务接待] [--port 8000] [--json out.json]

The site must be built for the address it is served at for instant navigation (`--port`,
JUESUAN_SITE_URL=http://127.0.0.1:PORT/); otherwise the second page is a plain page load.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("JUESUAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # Nothing leaves the machine: every host but 127.0.0.1 is unresolvable. (Not page.route: routing
    # turns off the HTTP cache, and the second page must be measured with the first one's cache.)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 390, "height": 844}
# Budgets from issue 11 (bytes as sent, gzip where the server compresses).
BUDGETS = {"first_view": 600_000, "second_page": 50_000, "search": 300_000, "external_requests": 0,
           "console_errors": 0}
_COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".csv", ".md", ".map")
_WAIT = 30_000


@dataclass
class Measurement:
    """What one visit to the site cost, in bytes sent and counts."""

    first_view: int = 0
    first_view_requests: int = 0
    second_page: int = 0
    second_page_requests: int = 0
    second_page_instant: bool = False
    search: int = 0
    search_requests: int = 0
    search_top: str | None = None
    external_requests: int = 0
    console_errors: int = 0
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)

    def over_budget(self) -> list[str]:
        """Return one line per exceeded budget."""
        values = asdict(self)
        return [f"{name}: {values[name]} > {limit}" for name, limit in BUDGETS.items() if values[name] > limit]


class _Log:
    """Response body sizes the server sent, in order (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent.append((path, size))

    def mark(self) -> int:
        with self.lock:
            return len(self.sent)

    def since(self, mark: int) -> list[tuple[str, int]]:
        with self.lock:
            return list(self.sent[mark:])


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files, gzip-compressing text when the browser accepts it; log each body's size."""

    log: _Log

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # Like GitHub Pages: cached for 10 minutes, so a second page re-fetches nothing it has.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not wants_gzip or path.suffix not in _COMPRESSIBLE:
            f = super().send_head()
            if f is not None and hasattr(f, "fileno"):
                self.log.add(self.path, os.fstat(f.fileno()).st_size)
            return f
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.log.add(self.path, len(body))
        import io

        return io.BytesIO(body)


@contextmanager
def serve_gzip(directory: Path, port: int = 0) -> Iterator[tuple[str, _Log]]:
    """Serve `directory` on 127.0.0.1 (port 0: a free one); yield its base URL and the size log."""
    log = _Log()
    handler_cls = type("Handler", (_GzipHandler,), {"log": log})
    handler = functools.partial(handler_cls, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", log
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def report_pages(site: Path) -> list[str]:
    """Return the site-relative paths of the report pages, sorted."""
    folder = site / "data" / "reports"
    return sorted(f"data/reports/{p.name}" for p in folder.glob("*.html") if p.name != "index.html")


@contextmanager
def chromium() -> Iterator[Any]:
    """Launch headless Debian Chromium through playwright; yield the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, base: str, m: Measurement) -> Any:
    """Open a phone-sized page with an empty cache that records errors and requests leaving the site."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.on("console", lambda msg: m.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: m.errors.append(str(exc)))

    def request(r: Any) -> None:
        if not r.url.startswith((base, "data:", "blob:")):
            m.external.append(r.url)

    page.on("request", request)
    return page


def wait_for_charts(page: Any) -> None:
    """Wait until every chart container on the page holds a drawn Plotly figure."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-chart')].every(el => el.querySelector('.main-svg'))",
        timeout=_WAIT,
    )


def search(page: Any, query: str) -> str | None:
    """Open the site search on a freshly loaded page, type `query`; return the first result's URL.

    Returns None when the search finds nothing.
    """
    page.click(".juesuan-search__open")
    page.wait_for_selector(".pagefind-ui__search-input", timeout=_WAIT)
    page.fill(".pagefind-ui__search-input", query)
    # Done when the message names this query and says what was found (Pagefind UI's zh-cn texts:
    # 找到 N 个 … / 未找到 …, not 正在搜索 …), and the FIRST result has its link drawn (results load
    # their excerpts one by one, so a later one may be drawn before the first).
    handle = page.wait_for_function(
        "q => { const m = document.querySelector('.pagefind-ui__message');"
        " if (!m || !m.textContent.includes(q)) return false;"
        " if (/未找到|No results/.test(m.textContent)) return 'none';"
        " if (!/找到\\s*[1-9]|[1-9][0-9]* results?/.test(m.textContent)) return false;"
        " const first = document.querySelector('.pagefind-ui__result');"
        " const a = first && first.querySelector('.pagefind-ui__result-link');"
        " return a ? a.href : false; }",
        arg=query, timeout=_WAIT,
    )
    top = handle.json_value()
    page.wait_for_load_state("networkidle")
    return None if top == "none" else str(top)


def _settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")


def measure(site: Path, query: str = "公务接待", port: int = 0, first: str | None = None,
            second: str | None = None) -> Measurement:
    """Measure a first view, a second page and a search of the site in `site`."""
    reports = report_pages(site)
    if not reports:
        raise SystemExit(f"{site}: no report pages under data/reports/")
    first = first or reports[0]
    second = second or (reports[1] if len(reports) > 1 else "data/reports/index.html")
    m = Measurement(pages={"first": first, "second": second})
    with serve_gzip(site, port) as (base, log), chromium() as browser:
        page = new_page(browser, base, m)
        mark = log.mark()
        page.goto(base + first, wait_until="load")
        wait_for_charts(page)
        _settle(page)
        sent = log.since(mark)
        m.first_view, m.first_view_requests = sum(n for _, n in sent), len(sent)

        page.evaluate("window.__juesuanVisit = 1")
        mark = log.mark()
        # A click on a link, as a reader would (Material's instant navigation takes it when on).
        page.evaluate("href => { const a = document.createElement('a'); a.href = href;"
                      " document.querySelector('article').append(a); a.click(); }", base + second)
        page.wait_for_url(base + second, timeout=_WAIT)
        _settle(page)
        wait_for_charts(page)
        _settle(page)
        sent = log.since(mark)
        m.second_page, m.second_page_requests = sum(n for _, n in sent), len(sent)
        m.second_page_instant = page.evaluate("window.__juesuanVisit === 1")

        mark = log.mark()
        m.search_top = search(page, query)
        sent = log.since(mark)
        m.search, m.search_requests = sum(n for _, n in sent), len(sent)
        page.context.close()
    m.external_requests = len(m.external)
    m.console_errors = len(m.errors)
    return m


def main(argv: list[str] | None = None) -> int:
    """Measure, print the figures, exit 1 when a budget is exceeded."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, help="built site folder (e.g. build/site)")
    parser.add_argument("--query", default="公务接待", help="search query to measure (default: 公务接待)")
    parser.add_argument("--port", type=int, default=0, help="port to serve at (the site's URL port; 0: any)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"measure_site: error: {CHROMIUM} not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    m = measure(args.site, args.query, args.port)
    reports = len(report_pages(args.site))
    print(f"site: {args.site} ({reports} report pages); first: {m.pages['first']}; second: {m.pages['second']}")
    print(f"first view:  {m.first_view:>9,} B in {m.first_view_requests} requests (budget {BUDGETS['first_view']:,})")
    print(f"second page: {m.second_page:>9,} B in {m.second_page_requests} requests (budget {BUDGETS['second_page']:,}),"
          f" instant navigation: {'yes' if m.second_page_instant else 'no'}")
    print(f"search {args.query}: {m.search:>9,} B in {m.search_requests} requests (budget {BUDGETS['search']:,}),"
          f" top result: {m.search_top}")
    print(f"requests leaving the site: {m.external_requests} {m.external[:5]}")
    print(f"console errors: {m.console_errors} {m.errors[:5]}")
    if args.json:
        args.json.write_text(json.dumps(asdict(m), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    over = m.over_budget()
    for line in over:
        print(f"over budget: {line}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
