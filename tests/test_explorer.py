"""The SQL explorer: pinned DuckDB-WASM, only on its own page, answering a ready query in Chromium.

Expected numbers come from the committed package's CSVs. The browser test prints what a
first query downloads (bytes served, counted by the test's HTTP server).
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import http.server
import os
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from juesuan.errors import EnvironmentProblem
from juesuan.site import explorer
from site_helpers import PUBLISHED, build_fixture_site

CHROMIUM = Path(os.environ.get("JUESUAN_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    served: Counter[str]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        self.served[self.path.split("?")[0]] += len(data)
        outputfile.write(data)


@contextmanager
def _serve(directory: Path) -> Iterator[tuple[str, Counter[str]]]:
    served: Counter[str] = Counter()
    handler = functools.partial(type("H", (_CountingHandler,), {"served": served}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Counter[str]]]:
    if not (PUBLISHED / "datapackage.json").is_file():
        pytest.skip("no committed datapackage/")
    tmp = tmp_path_factory.mktemp("explorer")
    folder = tmp / "project" / "build" / "site"
    with _serve(folder) as (url, served):
        build_fixture_site(tmp, published=True, site_url=url)
        yield folder, url, served


def _csv(name: str) -> list[dict[str, str]]:
    with (PUBLISHED / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_pinned_files_are_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = explorer.FILES[0]
    (tmp_path / spec.tarball).write_bytes(b"not the pinned tarball")
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm: a bad cached file cannot be replaced
    with pytest.raises(EnvironmentProblem, match="npm not found"):
        explorer.fetch_tarball(spec, tmp_path)


def test_vendored_files_match_the_pinned_tarballs(site: tuple[Path, str, Counter[str]]) -> None:
    folder, _, _ = site
    for spec in explorer.FILES:
        tarball = explorer.cache_dir() / spec.tarball
        assert hashlib.sha256(tarball.read_bytes()).hexdigest() == spec.sha256
        assert (folder / "data" / explorer.ASSET_DIR / spec.name).is_file()


def test_only_the_explorer_page_loads_duckdb(site: tuple[Path, str, Counter[str]]) -> None:
    folder, _, _ = site
    loading = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html")
                     if "explorer.js" in p.read_text(encoding="utf-8") or "duckdb-browser" in p.read_text(encoding="utf-8"))
    assert loading == ["data/explorer.html"]


browser = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)")


@pytest.mark.browser
@browser
def test_ready_query_shows_the_three_public_figures(site: tuple[Path, str, Counter[str]], tmp_path: Path) -> None:
    folder, url, served = site
    sync_api = pytest.importorskip("playwright.sync_api")
    expected = sorted((r["name"], Decimal(r["actual"])) for r in _csv("three_public"))
    assert expected
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = b.new_page(accept_downloads=True)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url + "data/explorer.html")
            page.wait_for_load_state("networkidle")
            served.clear()  # count what the first query downloads, not the page itself
            page.select_option("#explorer-ready", "three-public")
            page.click("#explorer-run")
            page.wait_for_function("() => window.juesuanExplorer.rows || window.juesuanExplorer.error", timeout=120_000)
            assert page.evaluate("() => window.juesuanExplorer.error") is None
            first = dict(served)
            headers = page.locator("#explorer-result th").all_inner_texts()
            cells = [row.locator("td").all_inner_texts() for row in page.locator("#explorer-result tbody tr").all()]
            name_col, actual_col = headers.index("项目"), headers.index("决算数")
            got = sorted((c[name_col], Decimal(c[actual_col])) for c in cells)
            assert got == expected
            with page.expect_download() as info:
                page.click("#explorer-csv")
            data = Path(info.value.path()).read_bytes()
            assert data.startswith(b"\xef\xbb\xbf") and "决算数".encode() in data
            assert len(data.decode("utf-8-sig").strip().splitlines()) == len(expected) + 1
            # Second ready query over another table: failing checks by rule, counted from the CSV.
            page.select_option("#explorer-ready", "failing-checks")
            page.click("#explorer-run")
            page.wait_for_function("() => window.juesuanExplorer.rows || window.juesuanExplorer.error", timeout=60_000)
            rows = page.evaluate("() => window.juesuanExplorer.rows")
            want = Counter((r["rule"], r["severity"]) for r in _csv("checks") if r["severity"] not in ("pass", "not-checked"))
            assert {(r[0], r[1]): int(r[2]) for r in rows} == dict(want)
            assert errors == []
        finally:
            b.close()
    total = sum(first.values())
    gz = sum(len(gzip.compress((folder / p.lstrip("/")).read_bytes(), 6)) for p in first if (folder / p.lstrip("/")).is_file())
    print(f"\nfirst query downloaded {total} bytes ({gz} gzipped) in {len(first)} files:")
    for path, n in sorted(first.items(), key=lambda kv: -kv[1]):
        print(f"  {n:>10}  {path}")
    assert any(p.endswith("duckdb-eh.wasm") for p in first) and any(p.endswith("three_public.parquet") for p in first)
