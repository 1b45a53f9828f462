"""Run `mkdocs build` in this (child) process, cleanly or "dirty" over a copy of the last site.

    python -m juesuan.site.mkdocs_run [--dirty] --config-file mkdocs.yml --site-dir DIR

Clean, this is `mkdocs build --strict --clean`. Dirty (`juesuan.site.build` decides when that
is safe), MkDocs renders again only the generated pages (under `data/`) whose Markdown is newer
than their HTML, and every hand-written page (they include generated snippets, which MkDocs
does not track). The site folder is a copy of the last site whose files are hard links to it:
every write through MkDocs' writers first unlinks the file it replaces, so the last site is
never written through; the files MkDocs writes with a bare `open` on every build (the sitemap,
its .gz, 404.html) are not linked into the copy at all (`build.link_last_site`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
from typing import Any

GENERATED_PREFIX = "data/"
_DIRTY_WARNING = "A 'dirty' build is being performed"


class _DropDirtyWarning(logging.Filter):
    """Drop MkDocs' warning that a dirty build is for development: juesuan checks it is safe (and --strict would abort)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def _unlinking(write: Any) -> Any:
    """Wrap a writer of (…, output_path) so that it first unlinks the file it replaces (a hard link to the last site)."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = kwargs.get("output_path", args[-1] if args else None)
        if out is not None:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(out)
        return write(*args, **kwargs)
    return wrapper


def patch_for_dirty() -> None:
    """Make MkDocs' dirty build safe over a hard-linked copy, and always render hand-written pages."""
    from mkdocs import utils
    from mkdocs.structure.files import File

    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    utils.write_file = _unlinking(utils.write_file)
    shutil.copyfile = _unlinking(shutil.copyfile)  # type: ignore[assignment]  # MkDocs' utils.copy_file ends in it
    modified = File.is_modified

    def is_modified(self: File) -> bool:
        return not self.src_uri.startswith(GENERATED_PREFIX) or modified(self)

    File.is_modified = is_modified  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    """Run MkDocs' own command line (`build --strict`), dirty when `--dirty` leads the arguments."""
    from mkdocs.__main__ import cli

    dirty = bool(argv) and argv[0] == "--dirty"
    if dirty:
        patch_for_dirty()
        argv = argv[1:]
    try:
        cli.main(args=["build", "--strict", "--dirty" if dirty else "--clean", *argv], prog_name="mkdocs")
    except SystemExit as exc:  # click ends every run so, printing MkDocs' own errors
        return exc.code if isinstance(exc.code, int) else 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
