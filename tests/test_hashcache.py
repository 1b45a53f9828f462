"""HashCache: a file's hash is trusted while its size, mtime and inode stay; else it is read again."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

import juesuan.hashcache
from juesuan.hashcache import RACY_NS, HashCache

HOUR_NS = 3600 * 10**9


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the files HashCache reads."""
    read: list[Path] = []
    real = juesuan.hashcache.file_sha256

    def counting(path: Path) -> str:
        read.append(path)
        return real(path)

    monkeypatch.setattr(juesuan.hashcache, "file_sha256", counting)
    return read


def _old_file(path: Path, data: bytes) -> None:
    """Write `data` with an mtime an hour ago (well before any save)."""
    path.write_bytes(data)
    then = time.time_ns() - HOUR_NS
    os.utime(path, ns=(then, then))


def test_an_unchanged_file_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _counting(monkeypatch)
    page = tmp_path / "page.html"
    _old_file(page, b"<p>one</p>")
    store = tmp_path / ".hashes.json"
    first = HashCache(store)
    assert first.sha256(page) == hashlib.sha256(b"<p>one</p>").hexdigest()
    first.save()
    assert read == [page]
    read.clear()
    assert HashCache(store).sha256(page) == hashlib.sha256(b"<p>one</p>").hexdigest()
    assert read == []


def test_a_changed_or_replaced_file_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _counting(monkeypatch)
    page, other = tmp_path / "page.html", tmp_path / "other.html"
    _old_file(page, b"<p>one</p>")
    store = tmp_path / ".hashes.json"
    cache = HashCache(store)
    cache.sha256(page)
    cache.save()

    page.write_bytes(b"<p>two</p>")  # same size, new mtime
    assert HashCache(store).sha256(page) == hashlib.sha256(b"<p>two</p>").hexdigest()

    _old_file(page, b"<p>one</p>")
    cache = HashCache(store)
    cache.sha256(page)
    cache.save()
    _old_file(other, b"<p>6ne</p>")
    shutil.copystat(page, other)
    other.replace(page)  # same size and mtime, another inode
    read.clear()
    assert HashCache(store).sha256(page) == hashlib.sha256(b"<p>6ne</p>").hexdigest() and read == [page]


def test_a_file_written_just_before_the_save_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Racily clean: a change in the same clock tick as the save could leave size and mtime as they were."""
    read = _counting(monkeypatch)
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>one</p>")
    stamp = page.stat().st_mtime_ns
    store = tmp_path / ".hashes.json"
    cache = HashCache(store)
    cache.sha256(page)
    cache.save()
    page.write_bytes(b"<p>two</p>")
    os.utime(page, ns=(stamp, stamp))  # the same size and mtime as recorded
    assert time.time_ns() - stamp < RACY_NS
    read.clear()
    assert HashCache(store).sha256(page) == hashlib.sha256(b"<p>two</p>").hexdigest() and read == [page]


def test_a_damaged_store_is_no_cache(tmp_path: Path) -> None:
    page, store = tmp_path / "page.html", tmp_path / ".hashes.json"
    _old_file(page, b"x")
    store.write_text("{not json", encoding="utf-8")
    assert HashCache(store).sha256(page) == hashlib.sha256(b"x").hexdigest()
    assert HashCache(None).save() is None
