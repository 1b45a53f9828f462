"""The corpus workbook is joined from pieces: a rebuild makes the XML of the changed report only, and
gives the bytes a scratch build gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from juesuan.site import workbooks, xlsx, zipjoin
from juesuan.site.load import load_package
from juesuan.site.workbooks import Span, sheet_parts
from test_charts_embed import OTHER_ID, REPORT_ID, write_package

REPORTS = {REPORT_ID: "甲单位", OTHER_ID: "乙单位"}


def test_a_changed_report_remakes_only_its_rows_and_the_bytes_match_a_scratch_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    downloads = tmp_path / "downloads"
    workbooks.write_workbooks(load_package(write_package(tmp_path / "one", REPORTS)), downloads)
    changed = load_package(write_package(tmp_path / "two", REPORTS, bump_three_public=OTHER_ID))
    rows_made: list[int] = []
    real = workbooks.rows_xml_batches

    def counting(table: object, types: object) -> object:
        rows_made.append(table.num_rows)  # type: ignore[attr-defined]
        return real(table, types)  # type: ignore[arg-type]

    monkeypatch.setattr(workbooks, "rows_xml_batches", counting)
    workbooks.write_workbooks(changed, downloads)
    # The corpus workbook made the XML of OTHER_ID's three_public rows, and no other.
    assert rows_made == [len(changed.rows("three_public", OTHER_ID))]
    corpus = downloads / xlsx.CORPUS_XLSX
    title = next(r["title"] for r in changed.descriptor["resources"] if r["name"] == "three_public")
    sheet = openpyxl.load_workbook(corpus)[title]
    header = [c.value for c in sheet[1]]
    got = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(got) == len(changed.rows("three_public"))
    monkeypatch.setattr(workbooks, "rows_xml_batches", real)
    scratch = tmp_path / "scratch"
    workbooks.write_workbooks(changed, scratch)
    assert (scratch / xlsx.CORPUS_XLSX).read_bytes() == corpus.read_bytes()
    assert zipjoin.layout_path(scratch / xlsx.CORPUS_XLSX).read_bytes() == zipjoin.layout_path(corpus).read_bytes()
    shutil.rmtree(scratch)


def test_sheets_past_the_row_limit_are_cut_between_reports() -> None:
    spans = [Span(0, 4, "a"), Span(4, 3, "b"), Span(7, 5, "c")]
    assert [[s.digest for s in part] for part in sheet_parts(spans, limit=7)] == [["a", "b"], ["c"]]
    # A report longer than a sheet is cut inside it, each cut named by where it lies.
    cut = sheet_parts([Span(0, 2, "a"), Span(2, 9, "big")], limit=4)
    assert [[(s.start, s.length, s.digest) for s in p] for p in cut] == [
        [(0, 2, "a")], [(2, 4, "big@0")], [(6, 4, "big@4")], [(10, 1, "big@8")]]
