"""The package ZIP is joined from each report's lines: it holds the package's files, and a rebuild
after one report changed deflates that report's lines only."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from juesuan.site import package_zip, zipjoin
from juesuan.site.load import load_package
from juesuan.site.package_zip import report_ranges
from test_charts_embed import OTHER_ID, REPORT_ID, write_package

REPORTS = {REPORT_ID: "甲单位", OTHER_ID: "乙单位"}


def _zipped(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return {n: zf.read(n) for n in zf.namelist()}


def _files(package_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(package_dir).as_posix(): p.read_bytes()
            for p in [package_dir / "datapackage.json", *sorted((package_dir / "data").glob("*.csv"))]}


def test_the_zip_holds_the_package_and_a_rebuild_deflates_only_the_changed_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dst = tmp_path / "downloads" / "p.zip"
    dst.parent.mkdir()
    one = write_package(tmp_path / "one", REPORTS)
    package_zip.write_package_zip(load_package(one), one, dst)
    assert _zipped(dst) == _files(one)
    two = write_package(tmp_path / "two", REPORTS, bump_three_public=OTHER_ID)
    deflated: list[bytes] = []
    real = zipjoin.deflate_piece

    def counting(key: str, chunks: list[bytes], level: int) -> zipjoin.Piece:
        chunks = [bytes(c) for c in chunks]
        deflated.append(b"".join(chunks))
        return real(key, chunks, level)

    monkeypatch.setattr(zipjoin, "deflate_piece", counting)
    package_zip.write_package_zip(load_package(two), two, dst)
    assert _zipped(dst) == _files(two)
    # datapackage.json is the same; of the CSVs, three_public's lines of OTHER_ID only.
    assert len(deflated) == 1 and deflated[0].startswith(OTHER_ID.encode() + b",")
    assert all(line.startswith(OTHER_ID.encode() + b",") for line in deflated[0].splitlines())
    monkeypatch.setattr(zipjoin, "deflate_piece", real)
    scratch = tmp_path / "scratch.zip"
    package_zip.write_package_zip(load_package(two), two, scratch)
    assert scratch.read_bytes() == dst.read_bytes()


@given(st.lists(st.sampled_from(["a", "b", "c", "ab"]), max_size=30), st.booleans())
def test_report_ranges_cut_the_whole_file(ids: list[str], shuffled: bool) -> None:
    """Whatever the lines, the ranges run from 0 to the end without a gap: the ZIP holds the file as it is."""
    data = ("report_id,x\n" + "".join(f"{r},{i}\n" for i, r in enumerate(ids))).encode()
    order = list(dict.fromkeys(ids))
    if shuffled:
        order.reverse()
    ranges = report_ranges(data, order)
    assert b"".join(data[a:b] for a, b in ranges) == data
    assert all(a < b for a, b in ranges) and all(b == c for (_, b), (c, _) in itertools.pairwise(ranges))
