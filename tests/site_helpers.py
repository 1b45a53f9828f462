"""Shared helpers for the site tests: build a site in a scratch copy of the project, serve it."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _site_package import write_fixture_package
from juesuan.site.build import build_site

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "datapackage"


def scratch_project(dst: Path) -> Path:
    """Copy what a site build reads (mkdocs.yml, hand-written site_src and site_theme, reports) into `dst`."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dst / "mkdocs.yml")
    shutil.copytree(ROOT / "site_theme", dst / "site_theme")
    shutil.copytree(ROOT / "site_src", dst / "site_src", ignore=shutil.ignore_patterns("data"))
    if (ROOT / "reports").is_dir():
        shutil.copytree(ROOT / "reports", dst / "reports")
    return dst


def build_fixture_site(tmp: Path, department: str | None = None, published: bool = False,
                       site_url: str | None = None) -> Path:
    """Build a site into `tmp/project/build/site` and return that folder.

    Uses the committed `datapackage/` when `published` is true and it exists, otherwise the
    hand-typed fixture package (optionally with another department name).
    """
    project = scratch_project(tmp / "project")
    if published and (PUBLISHED / "datapackage.json").is_file():
        package = PUBLISHED
    else:
        kwargs = {"department": department} if department else {}
        package = write_fixture_package(tmp / "package", **kwargs)
    site = project / "build" / "site"
    build_site(project, package, site, site_url=site_url)
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port in a thread; yield the base URL.

    The folder need not exist yet: build into it after learning the URL (site_url must match).
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
