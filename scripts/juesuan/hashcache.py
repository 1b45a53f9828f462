"""Remember files' SHA-256 by their stat, so a rebuild reads only the files that changed.

A build checks that the files it keeps still hold the bytes it wrote (units' pages, source
copies, workbooks, the ZIP): at 1,000 reports some 600 MB, hashed on every build. Like git's
index, a `HashCache` keeps each file's size, mtime and inode beside its hash (in a dot file
of the folder it serves) and trusts the hash while the three are unchanged. A file whose
mtime is within `RACY_NS` of when the cache was saved could have changed again in the same
clock tick unseen: it is hashed again ("racily clean", as git calls it).
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from juesuan.fsutil import file_sha256, write_bytes_if_changed

FORMAT = 1
RACY_NS = 2_000_000_000


class HashCache:
    """File hashes by (size, mtime, inode), read from and saved to one JSON file."""

    def __init__(self, store: Path | None) -> None:
        """Read the hashes `store` holds (none when it is None, absent or unreadable)."""
        self.store = store
        self._lock = threading.Lock()
        self._old: dict[str, list[int | str]] = {}
        self._new: dict[str, list[int | str]] = {}
        self._saved_ns = 0
        try:
            data = json.loads(store.read_text(encoding="utf-8")) if store is not None else {}
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("files"), dict):
            self._old = data["files"]
            self._saved_ns = int(data.get("saved_ns", 0))

    def sha256(self, path: Path) -> str:
        """Return the SHA-256 of `path`'s bytes, from the cache when its stat is as recorded."""
        st = path.stat()
        key = os.path.abspath(path)
        stat: list[int | str] = [st.st_size, st.st_mtime_ns, st.st_ino]
        with self._lock:
            entry = self._new.get(key) or self._old.get(key)
        if entry is not None and entry[:3] == stat and st.st_mtime_ns < self._saved_ns - RACY_NS:
            sha = str(entry[3])
        else:
            sha = file_sha256(path)
        with self._lock:
            self._new[key] = [*stat, sha]
        return sha

    def save(self) -> Path | None:
        """Write the hashes looked up since the cache was opened (only those); return the store."""
        if self.store is None:
            return None
        with self._lock:
            files = dict(sorted(self._new.items()))
        data = {"format": FORMAT, "saved_ns": time.time_ns(), "files": files}
        self.store.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_if_changed(self.store, json.dumps(data, indent=0).encode("utf-8"))
        return self.store

