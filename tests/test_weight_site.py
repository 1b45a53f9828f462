"""Addresses and search loading: a local build needs no site URL, a publishing build must have one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from juesuan.errors import EnvironmentProblem
from juesuan.site.build import site_url_for
from site_helpers import build_fixture_site

URL = "https://example.org/juesuan/"
REPORT = "data/reports/fuzhou-zhihui-fuzhou-center-2024-final.html"


def test_publishing_build_requires_the_site_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUESUAN_SITE_URL", raising=False)
    monkeypatch.delenv("JUESUAN_PUBLISH", raising=False)
    assert site_url_for(None, publish=False) is None
    with pytest.raises(EnvironmentProblem, match="JUESUAN_SITE_URL"):
        site_url_for(None, publish=True)
    monkeypatch.setenv("JUESUAN_PUBLISH", "1")
    with pytest.raises(EnvironmentProblem, match="JUESUAN_SITE_URL"):
        site_url_for(None, publish=False)
    monkeypatch.setenv("JUESUAN_SITE_URL", URL)
    assert site_url_for(None, publish=True) == URL
    assert site_url_for("http://127.0.0.1:9123/", publish=True) == "http://127.0.0.1:9123/"
    for bad in ("example.org/juesuan/", "https://example.org/juesuan", "file:///tmp/site/"):
        with pytest.raises(EnvironmentProblem, match="must be absolute"):
            site_url_for(bad, publish=True)


def test_local_build_points_nowhere_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a site URL: no canonical link, no absolute address of this site, an empty sitemap."""
    monkeypatch.delenv("JUESUAN_SITE_URL", raising=False)
    monkeypatch.delenv("JUESUAN_PUBLISH", raising=False)
    site = build_fixture_site(tmp_path, published=True)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in text, page
        assert "127.0.0.1" not in text and "localhost" not in text, page
    assert "<loc>" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_published_build_points_at_its_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUESUAN_SITE_URL", raising=False)
    site = build_fixture_site(tmp_path, published=True, site_url=URL)
    report = (site / REPORT).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{URL}{REPORT}">' in report
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert f"{URL}{REPORT}" in locs and all(loc.startswith(URL) for loc in locs)


def test_search_loads_nothing_until_used(tmp_path: Path) -> None:
    """Pages name no Pagefind file and no search index; only the small loader script."""
    site = build_fixture_site(tmp_path, published=True)
    report = (site / REPORT).read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', report)
    assert "../../assets/javascripts/juesuan-search.js" in scripts
    assert not [s for s in scripts if "pagefind" in s or "search_index" in s or "workers/search" in s]
    assert not re.search(r'<link[^>]+pagefind', report)
    assert (site / "assets" / "javascripts" / "juesuan-search.js").stat().st_size < 5_000
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    assert not (site / "search" / "search_index.json").exists()
