"""Write folders so that readers never see them half-written."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing_dir(target: Path) -> Iterator[Path]:
    """Yield a fresh sibling folder to fill; on success it replaces `target`, on error it goes.

    The swap is two renames on one file system, so `target` is always either the old complete
    folder or the new complete one.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    tmp.chmod(0o755)  # mkdtemp makes it private; a published folder is readable
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
