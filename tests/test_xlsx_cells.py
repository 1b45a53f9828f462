"""The vectorized cell writer of the XLSX downloads writes what the per-value one writes."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from juesuan.site.load import Package
from juesuan.site.xlsx import _buffers, _cell, _cells_xml, _row, rows_xml
from juesuan.spreadsheet import value_to_text

# Text as reports print it, plus what XML may not hold (control characters, U+FFFE) and markup.
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("&<>\x00\x0b\ufffe\uffff"))


@given(TEXT)
def test_text_cells_match(text: str) -> None:
    assert _cells_xml(pa.array([text]), "string")[0].as_py() == _cell(text or None)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6) | st.integers())
def test_number_cells_match(value: Decimal | int) -> None:
    kind = "integer" if isinstance(value, int) else "number"
    assert _cells_xml(pa.array([value_to_text(value)]), kind)[0].as_py() == _cell(value)


def test_boolean_and_blank_cells_match() -> None:
    got = _cells_xml(pa.array(["true", "false", ""]), "boolean").to_pylist()
    assert got == [_cell(True), _cell(False), _cell(None)]


def test_long_text_is_cut_at_excels_limit() -> None:
    text = "&" + "财" * 40_000
    assert _cells_xml(pa.array([text]), "string")[0].as_py() == _cell(text)


def test_rows_of_a_package_join_as_the_row_writer_does() -> None:
    rows = [{"report_id": "甲", "amount": Decimal("1.20"), "note": "a<b"}, {"report_id": "乙", "amount": None, "note": None}]  # a blank loads as None
    package = Package.from_rows(None, {}, {"x": rows})  # type: ignore[arg-type]
    xml = rows_xml(package.text_table("x", ["report_id", "amount", "note"]), ["string", "number", "string"])
    expected = [_row(r.values()) for r in rows]
    assert xml.to_pylist() == expected
    assert b"".join(_buffers(xml.slice(1).chunks)) == expected[1].encode()
