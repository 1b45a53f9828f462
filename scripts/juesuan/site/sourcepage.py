"""The text export of a report as a standalone HTML page: numbered lines, each with an anchor.

Citations such as 第409行 link to `<name>.html#L409`. The page declares UTF-8 itself, so a
server that sends no charset still shows Chinese, and it needs no script.
"""

from __future__ import annotations

import html

_STYLE = """
body { margin: 0; font: 14px/1.6 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f1f1f; }
header { padding: 0.8rem 1rem; border-bottom: 1px solid #ccc; }
header h1 { font-size: 1rem; margin: 0 0 0.3rem; }
header p { margin: 0; font-size: 0.85rem; color: #4d4d4d; }
a { color: #1a4fa0; }
ol { margin: 0; padding: 0.5rem 0; list-style: none; counter-reset: none; }
li { display: flex; padding: 0 1rem 0 0; }
li:target { background: #fff1b8; outline: 2px solid #b38600; }
.n { flex: 0 0 3.6em; text-align: right; padding-right: 0.8em; color: #595959; user-select: none; text-decoration: none; }
.t { white-space: pre-wrap; word-break: break-all; tab-size: 4; font-family: inherit; }
"""


def text_page(text: str, title: str, file_name: str) -> str:
    """Return the HTML page of a text export: every line numbered, `id="L<n>"` from 1."""
    lines = text.splitlines()
    items = "\n".join(
        f'<li id="L{n}"><a class="n" href="#L{n}">{n}</a><span class="t">{html.escape(line)}</span></li>'
        for n, line in enumerate(lines, start=1)
    )
    name = html.escape(file_name)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}（原文）</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1><p>原文（文本导出）共 {len(lines)} 行，左侧为行号；"
        f'<a href="{name}" download>下载原文件</a>。</p></header>\n'
        f'<ol>\n{items}\n</ol>\n</body>\n</html>\n'
    )
