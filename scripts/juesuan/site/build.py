"""Build the static site: generated pages from the data package, then `mkdocs build --strict`."""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import Any

from juesuan.errors import EnvironmentProblem
from juesuan.fsutil import check_output_dir, replacing_dir
from juesuan.site import dirty
from juesuan.site.frozen import ARCHIVE_DIR
from juesuan.site.pages import write_pages

GENERATED = Path("site_src") / "data"
SITE_KIND = "site"  # the output marker is `.juesuan-site`
_PR_SET_PDEATHSIG = 1
# Top-level names MkDocs Material writes into a site folder (a partial build holds some of them).
_MKDOCS_OUTPUT_NAMES = {
    "assets", "search", "pagefind", "data", "reports", "index.html", "404.html", "about.html", "sitemap.xml", "sitemap.xml.gz",
}


class SiteBuildError(Exception):
    """MkDocs refused the site (a warning under --strict, or an error); carries its output."""


def check_environment() -> None:
    """Raise EnvironmentProblem, saying how to fix it, when MkDocs or Material is missing."""
    missing = [name for name in ("mkdocs", "material", "pagefind") if importlib.util.find_spec(name) is None]
    if missing:
        raise EnvironmentProblem(
            f"{', '.join(missing)} not installed in {sys.executable}; "
            "run `make install` (or `pip install -e '.[test]'` in the project's virtualenv)"
        )


def site_url_for(site_url: str | None, publish: bool) -> str | None:
    """Return the site URL to build for (`site_url`, else $JUESUAN_SITE_URL), or None for a local build.

    A publishing build (`publish`, or $JUESUAN_PUBLISH=1) must be given one: its canonical links,
    sitemap and instant navigation point there. The URL must be absolute http(s) and end in `/`.
    """
    url = site_url or os.environ.get("JUESUAN_SITE_URL") or None
    publish = publish or os.environ.get("JUESUAN_PUBLISH") == "1"
    if url is None:
        if publish:
            raise EnvironmentProblem(
                "a publishing build needs the site's address: set JUESUAN_SITE_URL "
                "(e.g. JUESUAN_SITE_URL=https://example.github.io/juesuan/ make publish)"
            )
        return None
    if not re.match(r"^https?://[^/\s]+/(\S*/)?$", url):
        raise EnvironmentProblem(f"site URL {url!r} must be absolute http(s) and end with `/`")
    return url


def build_site(project_root: Path, package_dir: Path, site_dir: Path, site_url: str | None = None,
               publish: bool = False, stage: Callable[[str], AbstractContextManager[Any]] | None = None) -> None:
    """Write the generated pages for `package_dir`, then build the site into `site_dir` strictly.

    Uses `project_root/mkdocs.yml`; generated pages go to `project_root/site_src/data/`,
    and the bundled report sources in `project_root/reports/` are published for provenance links.
    `site_url` (else $JUESUAN_SITE_URL) is where the site will be served: Material's instant
    navigation only works at that host and port. Without one (a local build) links are
    relative and there is no canonical link; `publish` requires one. Pagefind then indexes
    the built site for search. `stage(name)`, when given, wraps the "pages", "mkdocs" and
    "search" steps (progress and timing).
    """
    stage = stage or (lambda _name: contextlib.nullcontext())
    check_environment()
    url = site_url_for(site_url, publish)
    config = project_root / "mkdocs.yml"
    if not config.is_file():
        raise EnvironmentProblem(f"{config} not found; run `juesuan build` from the project folder")
    sources = project_root / "reports"
    with stage("pages"):
        write_pages(package_dir, project_root / GENERATED, sources_dir=sources if sources.is_dir() else None,
                    archive_dir=project_root / ARCHIVE_DIR)
    # Material 9.7 prints a banner about MkDocs 2; we pin mkdocs<2, so silence it.
    env = {**os.environ, "PYTHONHASHSEED": "0", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("JUESUAN_SITE_URL", None)
    if url:
        env["JUESUAN_SITE_URL"] = url
    # Two builds of the same data are byte-identical: the sitemap dates (and sitemap.xml.gz's
    # header) come from SOURCE_DATE_EPOCH when given, and are left out (epoch 0) otherwise.
    env["JUESUAN_LASTMOD"] = "1" if os.environ.get("SOURCE_DATE_EPOCH") else ""
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    remove_unmarked_work_dirs(site_dir.resolve())
    # Build beside the published site and swap it in: a failed build leaves the old site whole.
    docs_dir = project_root / "site_src"
    state = dirty.site_state(project_root, docs_dir, env, SITE_KIND)
    with replacing_dir(site_dir, SITE_KIND, legacy=is_unmarked_site) as tmp:
        with stage("mkdocs"):
            # Unchanged pages need no rendering: when nothing but the generated Markdown changed,
            # MkDocs renders only the pages that did, over hard links to the last site.
            last = dirty.read_state(site_dir) if site_dir.is_dir() else None
            incremental = last is not None and dirty.may_build_dirty(last, state)
            if incremental:
                assert last is not None
                dirty.link_last_site(site_dir, tmp, last, state, SITE_KIND)
            cmd = [sys.executable, "-m", "juesuan.site.mkdocs_run", *(["--dirty"] if incremental else []),
                   "--config-file", str(config), "--site-dir", str(tmp)]
            returncode, stdout, stderr = run_child(cmd, cwd=project_root, env=env)
            if returncode != 0:
                output = "\n".join(s for s in (stdout.strip(), stderr.strip()) if s)
                raise SiteBuildError(f"mkdocs build --strict failed (exit {returncode}):\n{output}")
        with stage("search"):
            # Pagefind has no incremental mode: when the pages it reads are the last build's
            # bytes, the last index is taken as it is (hard links) instead of made again.
            folders = indexed_folders(state["sources"])
            state["search"] = dirty.search_key(tmp, dirty.indexed_pages(tmp, folders), pagefind_args(folders))
            reuse = last is not None and last.get("search") == state["search"] and dirty.link_last_index(site_dir, tmp)
            if not reuse:
                index_site(tmp, project_root, env, folders)
        dirty.write_state(tmp, state)


def indexed_folders(sources: Iterable[str]) -> list[str]:
    """Return the folders of the HTML MkDocs writes for the Markdown pages among `sources` (paths under the docs folder).

    Only those pages carry `data-pagefind-body`; the chart pages, dated copies and cell maps
    (some 10,000 files at 1,000 reports) are static HTML that Pagefind would read for nothing.
    """
    return sorted({PurePosixPath(s).parent.as_posix() for s in sources if s.endswith(".md")})


def page_glob(folders: Iterable[str]) -> str:
    """Return Pagefind's glob for the HTML files directly in `folders` ("." the top)."""
    return "{" + ",".join("*.html" if f == "." else f"{f}/*.html" for f in folders) + "}"


def pagefind_args(folders: Iterable[str]) -> list[str]:
    """Return Pagefind's arguments but the site: extended build (segments Chinese), the pages of `folders`."""
    # --keep-index-url: result links end in index.html like the sitemap, so instant navigation takes them.
    return ["--keep-index-url", "--silent", "--exclude-selectors", ",".join(NOT_INDEXED), "--glob", page_glob(folders)]


# What a page shows that search should not find. Pagefind's time goes with the text it reads (at
# 1,000 reports some 42,000 characters a report page, 15 s in all), and these repeat what the
# page says elsewhere or say the same on every page:
NOT_INDEXED = (
    ".headerlink",  # headings' permalink signs (¶)
    ".juesuan-toolbar",  # a chart's embed code, download links and image buttons (the same on every chart)
    ".juesuan-rounding",  # the rounding notes of the checks: one explanation repeated per sum
    ".juesuan-not-checked",  # the rules that could not run: the rule catalogue's words again
)


def index_site(site: Path, cwd: Path, env: dict[str, str], folders: Iterable[str]) -> None:
    """Write Pagefind's search index into `site/pagefind/` for the pages directly in `folders`."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), *pagefind_args(folders)]
    returncode, stdout, stderr = run_child(cmd, cwd=cwd, env=env)
    if returncode != 0:
        output = "\n".join(s for s in (stdout.strip(), stderr.strip()) if s)
        raise SiteBuildError(f"pagefind failed (exit {returncode}):\n{output}")


def check_site_dir(site_dir: Path) -> Path:
    """Raise OutputRefused unless site_dir is absent, empty or a site juesuan built."""
    return check_output_dir(site_dir, SITE_KIND, legacy=is_unmarked_site)


def is_unmarked_site(folder: Path) -> bool:
    """Tell whether a folder is a site juesuan built before it marked its folders.

    MkDocs output with juesuan's downloads: sitemap.xml, search index and the package copy.
    """
    return all((folder / p).is_file() for p in ("sitemap.xml", "search/search_index.json", "data/downloads/datapackage.json"))


def remove_unmarked_work_dirs(site_dir: Path) -> list[Path]:
    """Remove `.site.XXXXXXXX` work folders an older juesuan left when killed mid-build.

    They carry no marker; they are recognized by the mkdtemp name and by holding nothing but
    MkDocs output (or nothing at all).
    """
    parent = site_dir.parent
    if not parent.is_dir():
        return []
    pattern = re.compile(rf"^\.{re.escape(site_dir.name)}\.[a-z0-9_]{{8}}$")
    removed = []
    for path in sorted(parent.iterdir()):
        if not pattern.match(path.name) or not path.is_dir() or path.is_symlink():
            continue
        names = {p.name for p in path.iterdir()}
        if names <= _MKDOCS_OUTPUT_NAMES or ("sitemap.xml" in names and "search" in names):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _die_with_parent() -> None:
    """In the child, before exec: get SIGKILL when the parent dies (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the process group kill below still applies
        pass


def run_child(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """Run a child process that cannot outlive juesuan; return (exit code, stdout, stderr).

    The child gets SIGKILL if juesuan dies (even by SIGKILL), and its process group is killed
    when juesuan stops it by an exception (Ctrl-C, SIGTERM turned into an exception).
    """
    with subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_die_with_parent, start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    return proc.returncode, stdout, stderr
