"""MkDocs hooks of the juesuan site: see juesuan.site.deferred (MkDocs does not publish .py theme files)."""

from juesuan.site.deferred import on_page_content, on_page_markdown, on_post_build, on_post_page

__all__ = ["on_page_content", "on_page_markdown", "on_post_build", "on_post_page"]
