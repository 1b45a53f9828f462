"""Keep the generated pages' big raw-HTML blocks away from Markdown, and put them back after MkDocs.

Python-Markdown passes a raw HTML block through verbatim, but finds where it ends with a
pure-Python HTML parser, and MkDocs parses it once more for its anchor ids. A report page is
~98% raw HTML (standard tables, chart specs), so at 1,000 reports that parsing was most of the
MkDocs step. The MkDocs hooks below (registered by `site_theme/hooks.py`) take each top-level
raw HTML block out of a page's Markdown before conversion, leaving a comment in its place, tell
MkDocs the anchor ids the block holds (so `--strict` still validates links to them), and put the
block back into the finished page. The built HTML is byte-identical to a build without the
hooks (tested).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import tempfile
from pathlib import Path
from typing import Any

# Block-level elements a top-level raw HTML block of the generated pages starts with.
BLOCK_TAGS = ("address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figure", "footer",
              "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "iframe", "nav", "ol", "p", "pre", "script",
              "section", "style", "table", "ul")
MIN_CHARS = 400  # smaller blocks are left to Markdown: moving them saves nothing
_OPEN = re.compile(r"<(" + "|".join(BLOCK_TAGS) + r")[\s>]")
_CLOSE = re.compile(r"</(" + "|".join(BLOCK_TAGS) + r")\s*>")
_START = re.compile(r"^<(" + "|".join(BLOCK_TAGS) + r")[\s>]")
_PLACEHOLDER = re.compile(r"<!--juesuan-deferred (\d+)-->")
_IDS = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)="([^"]*)\"""")
_BLANK_RUN = re.compile(r"(\n[ \t]*\n)")


def _raw_depth(lines: list[str], depth: int) -> int | None:
    """Follow the open block elements over lines; None where a line at depth 0 is not raw HTML."""
    for line in lines:
        if depth == 0 and not _START.match(line):
            return None
        depth += len(_OPEN.findall(line)) - len(_CLOSE.findall(line))
        if depth < 0:
            return None
    return depth


def is_raw_block(chunk: str) -> bool:
    """Tell whether a chunk (text between blank lines) is raw HTML that Markdown passes through whole.

    Every line at depth 0 must open a block-level element at its first character, and every
    element the chunk opens must close inside it: then Markdown neither wraps nor converts any
    of it. A line inside an open element is raw whatever it holds.
    """
    return _raw_depth(chunk.split("\n"), 0) == 0


def defer_blocks(markdown: str) -> tuple[str, list[str]]:
    """Return the Markdown with its big top-level raw HTML blocks replaced by comments, and the blocks.

    A block may span blank lines (a `<details>` whose rows are separated by them): as in
    Python-Markdown, it ends where the element it opened closes, at the end of a chunk.
    """
    parts = _BLANK_RUN.split(markdown)  # chunks at even positions, the blank runs between them at odd
    blocks: list[str] = []
    i = 0
    while i < len(parts):
        end = _block_end(parts, i)
        if end == _UNCLOSED:  # Markdown takes the rest of the page as raw HTML: leave it be
            break
        if end is not None:
            chunk = "".join(parts[i:end + 1]).rstrip()
            if len(chunk) >= MIN_CHARS:
                tail = parts[end][len(parts[end].rstrip()):]
                parts[i:end + 1] = [f"<!--juesuan-deferred {len(blocks)}-->" + tail] + [""] * (end - i)
                blocks.append(chunk)
            i = end + 2
        else:
            i += 2
    return "".join(parts), blocks


_UNCLOSED = -1


def _block_end(parts: list[str], i: int) -> int | None:
    """Return the index of the chunk where a raw block starting at chunk i closes.

    None when chunk i does not start one, `_UNCLOSED` when its element never closes.
    """
    depth = 0
    for j in range(i, len(parts), 2):
        found = _raw_depth(parts[j].rstrip().split("\n"), depth)
        if found is None:
            return None
        if found == 0:
            return j
        depth = found
    return _UNCLOSED


def restore_blocks(text: str, blocks: list[str]) -> str:
    """Put the deferred blocks back in place of their comments."""
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], text)


def anchor_ids(blocks: list[str]) -> set[str]:
    """Return the id (and <a name>) values the blocks define, as MkDocs collects them from raw HTML."""
    return {html.unescape(v) for block in blocks for v in _IDS.findall(block)}


class Deferrer:
    """Hold each page's deferred blocks on disk (one file a page) between conversion and writing.

    MkDocs converts every page before it writes any: kept in memory, the blocks of 1,000
    report pages would be held all at once.
    """

    def __init__(self) -> None:
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._pages: set[str] = set()

    def _path(self, key: str) -> Path:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="juesuan-deferred-")
        return Path(self._dir.name) / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def take(self, key: str, markdown: str) -> tuple[str, set[str]]:
        """Defer the page's blocks; return its Markdown and the anchor ids the blocks hold."""
        text, blocks = defer_blocks(markdown)
        if blocks:
            self._path(key).write_text(json.dumps(blocks, ensure_ascii=False), encoding="utf-8")
            self._pages.add(key)
        return text, anchor_ids(blocks)

    def give_back(self, key: str, output: str) -> str:
        """Return the page's output with its blocks put back, and forget them."""
        if key not in self._pages:
            return output
        self._pages.discard(key)
        path = self._path(key)
        blocks = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()
        return restore_blocks(output, blocks)

    def close(self) -> None:
        """Remove the temporary folder."""
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
        self._pages.clear()


_DEFERRER = Deferrer()
_IDS_BY_PAGE: dict[str, set[str]] = {}


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """MkDocs hook: take the page's big raw HTML blocks out before Markdown converts it."""
    text, ids = _DEFERRER.take(page.file.src_uri, markdown)
    _IDS_BY_PAGE[page.file.src_uri] = ids
    return text


def on_page_content(html_text: str, page: Any, **_: Any) -> str:
    """MkDocs hook: add the deferred blocks' anchor ids to those MkDocs validates links against."""
    ids = _IDS_BY_PAGE.pop(page.file.src_uri, set())
    if ids and page.present_anchor_ids is not None:
        page.present_anchor_ids |= ids
    return html_text


def on_post_page(output: str, page: Any, **_: Any) -> str:
    """MkDocs hook: put the blocks back into the finished page."""
    return _DEFERRER.give_back(page.file.src_uri, output)


def on_post_build(**_: Any) -> None:
    """MkDocs hook: remove the temporary folder."""
    _DEFERRER.close()
