"""zipjoin: ZIPs joined from deflated pieces read back whole, and reuse the last file's unchanged pieces."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from juesuan.site import zipjoin
from juesuan.site.zipjoin import (
    Member,
    Piece,
    crc32_combine,
    crc32_combine_py,
    deflate_piece,
    piece_key,
    write_zip,
)


@given(st.binary(max_size=3000), st.binary(max_size=3000))
def test_combined_crc_is_the_crc_of_the_joined_bytes(a: bytes, b: bytes) -> None:
    want = zlib.crc32(a + b)
    assert crc32_combine_py(zlib.crc32(a), zlib.crc32(b), len(b)) == want
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == want


def _members(texts: dict[str, list[bytes]], made: list[str]) -> list[Member]:
    """One member per name, a piece per text, keyed by the text; `made` collects the keys deflated."""
    members = []
    for name, parts in texts.items():
        by_key = {piece_key(name, p.decode()): p for p in parts}

        def make(keys: list[str], by_key: dict[str, bytes] = by_key) -> Iterator[Piece]:
            for k in keys:
                made.append(k)
                yield deflate_piece(k, [by_key[k]], 6)

        members.append(Member(name, list(by_key), make))
    return members


TEXTS = {"a.csv": [b"report_id,x\n", b"r1,1\nr1,2\n" * 50, b"r2,3\n" * 80, b"r3,4\n" * 30],
         "b.txt": [b"one piece only\n"], "empty.txt": []}


def _read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None  # every CRC checks
        return {n: zf.read(n) for n in zf.namelist()}


def test_a_joined_zip_reads_back_whole(tmp_path: Path) -> None:
    made: list[str] = []
    path = tmp_path / "out.zip"
    assert write_zip(path, _members(TEXTS, made))
    assert _read(path) == {n: b"".join(p) for n, p in TEXTS.items()}
    assert zipjoin.layout_path(path).is_file() and len(made) == 5


def test_a_rewrite_deflates_only_the_changed_piece_and_matches_a_scratch_write(tmp_path: Path) -> None:
    path = tmp_path / "out.zip"
    write_zip(path, _members(TEXTS, []))
    changed = {**TEXTS, "a.csv": [TEXTS["a.csv"][0], TEXTS["a.csv"][1], b"r2,33\n" * 80, TEXTS["a.csv"][3]]}
    made: list[str] = []
    assert write_zip(path, _members(changed, made))
    assert made == [piece_key("a.csv", (b"r2,33\n" * 80).decode())]
    assert _read(path)["a.csv"] == b"".join(changed["a.csv"])
    scratch = tmp_path / "scratch.zip"
    write_zip(scratch, _members(changed, []))
    assert scratch.read_bytes() == path.read_bytes()
    made.clear()
    assert not write_zip(path, _members(changed, made)) and made == []  # same bytes: the file is kept


def test_a_layout_that_does_not_match_the_file_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "out.zip"
    write_zip(path, _members(TEXTS, []))
    path.write_bytes(path.read_bytes()[:-1] + b"\x01")  # changed behind juesuan's back
    made: list[str] = []
    write_zip(path, _members(TEXTS, made))
    assert len(made) == 5 and _read(path) == {n: b"".join(p) for n, p in TEXTS.items()}


@pytest.mark.parametrize("large", [False, True])
def test_zip64_fields_read_back(tmp_path: Path, large: bool) -> None:
    """With the ZIP64 limit set low, the ZIP64 extra fields and end records are written, and read."""
    path = tmp_path / "out.zip"
    members = _members(TEXTS, [])
    for m in members:
        m.may_be_large = large
    if not large:
        with pytest.raises(RuntimeError, match="ZIP64"):
            write_zip(path, members, zip64_limit=100)
        return
    write_zip(path, members, zip64_limit=100)
    assert _read(path) == {n: b"".join(p) for n, p in TEXTS.items()}
