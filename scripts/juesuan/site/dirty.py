"""Tell when MkDocs may build "dirty" over a copy of the last site, and make that copy.

A site holds `.juesuan-build.json`: a signature of everything but the Markdown that shapes
every page (mkdocs.yml, the theme folder, juesuan's code, MkDocs' and Material's versions, the
build's environment) and the list of files under `site_src` it was built from. The next build
may be dirty when the signature is the same and the same Markdown pages exist (so the
navigation and every link are as before): then the last site is copied as hard links (no
bytes copied), the outputs of source files since removed are taken out of the copy, and
MkDocs renders only what changed (`mkdocs_run`). Otherwise the build is clean.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from juesuan.fsutil import WORK_MARKER, file_sha256, marker_name
from juesuan.site.units import code_version

STATE = ".juesuan-build.json"
# MkDocs writes these on every build, some with a bare `open` (which would write through a
# hard link into the last site): they are never linked into the copy.
_REWRITTEN = {"404.html", "sitemap.xml", "sitemap.xml.gz"}
_ENV = ("JUESUAN_SITE_URL", "JUESUAN_LASTMOD", "SOURCE_DATE_EPOCH", "PYTHONHASHSEED")
_REINDEXED = "pagefind"  # Pagefind writes its index afresh after MkDocs


def site_state(project_root: Path, docs_dir: Path, env: dict[str, str], kind: str) -> dict[str, Any]:
    """Return what a site built now is built from: the signature and the files under `docs_dir`."""
    digest = hashlib.sha256(code_version().encode())
    digest.update((project_root / "mkdocs.yml").read_bytes())
    theme = project_root / "site_theme"
    for path in sorted(theme.rglob("*")) if theme.is_dir() else []:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(theme).as_posix().encode() + b"\0" + path.read_bytes())
    for dist in ("mkdocs", "mkdocs-material", "pagefind"):
        try:
            digest.update(f"{dist}={importlib.metadata.version(dist)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{dist}=none".encode())
    digest.update(json.dumps({k: env.get(k) for k in _ENV}, sort_keys=True).encode())
    sources = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file())
    return {"kind": kind, "signature": digest.hexdigest(), "sources": sources}


def read_state(site_dir: Path) -> dict[str, Any] | None:
    """Return the state the site was built from, None when it has none (or it is unreadable)."""
    try:
        state = json.loads((site_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def may_build_dirty(last: dict[str, Any] | None, now: dict[str, Any]) -> bool:
    """Tell whether a dirty build over the last site gives the site a clean build would."""
    if last is None or last.get("signature") != now["signature"] or last.get("kind") != now["kind"]:
        return False
    pages = {s for s in now["sources"] if s.endswith(".md")}
    return {s for s in last.get("sources", []) if s.endswith(".md")} == pages


def _output_of(source: str) -> str:
    """Return the site path MkDocs writes a source file to (use_directory_urls: false)."""
    return source[:-3] + ".html" if source.endswith(".md") else source


def link_last_site(last_site: Path, tmp: Path, last: dict[str, Any], now: dict[str, Any], site_kind: str) -> int:
    """Fill `tmp` with hard links to the last site's files, less what MkDocs rewrites; return how many.

    The outputs of source files gone since the last build are left out, as are the markers,
    the state and Pagefind's index (written afresh).
    """
    skip = {_output_of(s) for s in set(last.get("sources", [])) - set(now["sources"])}
    skip |= _REWRITTEN | {STATE, marker_name(site_kind), WORK_MARKER}
    return _link_tree(last_site, last_site, tmp, skip, prune_top={_REINDEXED})


def _link_tree(folder: Path, last_site: Path, tmp: Path, skip: Collection[str] = (), prune_top: Collection[str] = ()) -> int:
    """Hard-link every file under `folder` (in `last_site`) to the same place in `tmp`; return how many.

    `skip` names files (paths under the site) to leave out, `prune_top` folders of `folder`'s top level.
    """
    linked = 0
    for root, dirs, files in os.walk(folder):
        if Path(root) == folder:
            dirs[:] = [d for d in dirs if d not in prune_top]
        rel_root = Path(root).relative_to(last_site)
        (tmp / rel_root).mkdir(parents=True, exist_ok=True)
        for name in files:
            if (rel_root / name).as_posix() not in skip:
                os.link(Path(root) / name, tmp / rel_root / name)
                linked += 1
    return linked


def write_state(site: Path, state: dict[str, Any]) -> None:
    """Write the state into the finished site."""
    (site / STATE).write_text(json.dumps(state, ensure_ascii=False) + "\n", encoding="utf-8")


def indexed_pages(site: Path, folders: list[str]) -> list[str]:
    """Return the HTML files Pagefind indexes: those directly in each of `folders` ("." the top)."""
    pages = []
    for folder in folders:
        top = site / folder
        if top.is_dir():
            pages += [p.relative_to(site).as_posix() for p in top.glob("*.html") if p.is_file()]
    return sorted(pages)


def search_key(site: Path, pages: list[str], args: list[str]) -> str:
    """Return what Pagefind's index is made of: its arguments and the bytes of the pages it reads.

    Every page is read (some 400 MB at 1,000 reports, under a second): a stamp such as the
    mtime would also catch a page edited behind juesuan's back, but would make the state
    differ between two builds of the same site.
    """
    digest = hashlib.sha256(json.dumps(args).encode())
    for rel in pages:
        digest.update(f"{rel}\0{file_sha256(site / rel)}\0".encode())
    return digest.hexdigest()


def link_last_index(last_site: Path, tmp: Path) -> bool:
    """Link the last site's Pagefind index into `tmp`; False (and nothing linked) when it has none."""
    src = last_site / _REINDEXED
    if not (src / "pagefind-entry.json").is_file():
        return False
    _link_tree(src, last_site, tmp)
    return True
