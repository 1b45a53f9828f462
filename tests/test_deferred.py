"""The MkDocs hooks that keep big raw HTML blocks away from Markdown: same pages, less parsing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from juesuan.site.deferred import MIN_CHARS, anchor_ids, defer_blocks, is_raw_block, restore_blocks
from site_helpers import PUBLISHED, build_fixture_site

ROWS = "\n".join(f'<tr><td id="r-{i}">{i}</td></tr>' for i in range(40))
TABLE = f'<div class="t">\n<table>\n{ROWS}\n</table>\n</div>'


@pytest.mark.parametrize(
    ("chunk", "raw"),
    [
        (TABLE, True),
        ("<h4>支出</h4>\n" + TABLE, True),  # two elements one after the other
        ('<script type="application/json" id="s">[{"a":"\\u003cb\\u003e"}]</script>', True),
        ("<div>\n**bold** in a div\n</div>", True),  # inside an element: raw whatever it holds
        ("<h4>支出</h4>\n**bold** after it", False),  # a Markdown line at depth 0 would be converted
        ("<span>inline</span> text", False),  # not a block-level element: a paragraph
        ("<div>\n<table>\n</div>", False),  # unbalanced
        ("</div>\n<div>", False),
        ("  <div>indented</div>", False),  # indented: code or a list's content, not raw
    ],
)
def test_a_chunk_is_raw_only_when_markdown_would_pass_it_through(chunk: str, raw: bool) -> None:
    assert is_raw_block(chunk) is raw


def test_blocks_are_deferred_and_restored_exactly() -> None:
    details = f"<details>\n<summary>展开</summary>\n\n{TABLE}\n\n</details>"  # spans blank lines
    small = "<p>short</p>"
    page = f"# 标题\n\n{TABLE}\n\n正文 **粗体**\n\n{details}\n\n{small}\n\n<h4>x</h4>\n正文\n"
    text, blocks = defer_blocks(page)
    assert blocks == [TABLE, details]
    assert text == "# 标题\n\n<!--juesuan-deferred 0-->\n\n正文 **粗体**\n\n<!--juesuan-deferred 1-->\n\n" \
                   f"{small}\n\n<h4>x</h4>\n正文\n"
    assert restore_blocks(text, blocks) == page
    assert anchor_ids(blocks) == {f"r-{i}" for i in range(40)}
    assert len(small) < MIN_CHARS


def test_an_unclosed_block_is_left_to_markdown() -> None:
    page = f"{TABLE}\n\n<details>\n<summary>x</summary>\n\n{TABLE}\n"
    text, blocks = defer_blocks(page)
    assert blocks == [TABLE] and text.endswith(f"<details>\n<summary>x</summary>\n\n{TABLE}\n")


@pytest.mark.slow
@pytest.mark.skipif(not (PUBLISHED / "datapackage.json").is_file(), reason="datapackage/ not built yet")
def test_the_hooks_change_no_byte_of_the_built_pages(tmp_path: Path) -> None:
    site = build_fixture_site(tmp_path, published=True)
    project = site.parents[1]
    config = project / "mkdocs.yml"
    plain = project / "mkdocs-without-hooks.yml"
    text = config.read_text(encoding="utf-8")
    assert "site_theme/hooks.py" in text
    plain.write_text(text.replace("hooks:\n  - site_theme/hooks.py\n", ""), encoding="utf-8")
    other = tmp_path / "plain-site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0", "JUESUAN_LASTMOD": ""}
    env.pop("JUESUAN_SITE_URL", None)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(plain), "--site-dir", str(other)],
                   cwd=project, env=env, check=True)
    pages = sorted(p.relative_to(other) for p in other.rglob("*.html"))
    assert len(pages) > 20
    deferred = [p for p in pages if "juesuan-deferred" in (site / p).read_text(encoding="utf-8")]
    assert deferred == []
    assert [p for p in pages if (site / p).read_bytes() != (other / p).read_bytes()] == []
