"""Compare output folders byte for byte, DuckDB files by their contents (their bytes differ per write).

The file-hash cache of the generated pages is left out: it records each file's stat (mtime,
inode), which differ per build, not what the build wrote.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from juesuan.columnar import DUCKDB_FILE, DUCKDB_SOURCE
from juesuan.site.pages import HASHES


def duckdb_contents(path: Path) -> bytes:
    """Return a digest of every table's schema and rows (in a fixed order) in a DuckDB file."""
    digest = hashlib.sha256()
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        for table in tables:
            cols = con.execute(f'DESCRIBE "{table}"').fetchall()
            digest.update(repr((table, cols)).encode())
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall():
                digest.update(repr(row).encode())
    finally:
        con.close()
    return b"duckdb-contents:" + digest.hexdigest().encode()


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Return {relative path: bytes} of every file; a DuckDB file by its contents, its sidecar left out."""
    out: dict[str, bytes] = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name in (DUCKDB_SOURCE, HASHES):
            continue
        out[p.relative_to(folder).as_posix()] = duckdb_contents(p) if p.name == DUCKDB_FILE else p.read_bytes()
    return out
