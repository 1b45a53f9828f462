"""Amount parsing: exact decimals, blanks kept apart from zero, wrapped digits joined."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from juesuan.amounts import parse_amount, to_wanyuan


@pytest.mark.parametrize(
    ("text", "value", "blank", "repaired"),
    [
        ("3658.44", "3658.44", False, False),
        ("2,940.05", "2940.05", False, False),
        ("0.00", "0.00", False, False),
        ("", None, True, False),
        ("—", None, True, False),
        ("-", None, True, False),
        ("3658.4 4", "3658.44", False, True),
        ("1147.9 9", "1147.99", False, True),
        ("(1.20)", "-1.20", False, False),
        ("-0.52", "-0.52", False, False),
        ("１２.５０", "12.50", False, False),
    ],
)
def test_parse_amount_examples(text: str, value: str | None, blank: bool, repaired: bool) -> None:
    parsed = parse_amount(text)
    assert parsed is not None
    assert parsed.value == (None if value is None else Decimal(value))
    assert parsed.blank is blank
    assert bool(parsed.repair) is repaired


@pytest.mark.parametrize("text", ["合计", "201 06", "≥3 个", "12,34.5", "1.2.3", "abc"])
def test_parse_amount_rejects_non_amounts(text: str) -> None:
    assert parse_amount(text) is None


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False))
def test_parse_amount_round_trips_printed_decimals(value: Decimal) -> None:
    printed = f"{value:,.2f}"
    parsed = parse_amount(printed)
    assert parsed is not None and parsed.value == value and not parsed.blank


@given(st.decimals(min_value=0, max_value=Decimal("1e7"), places=2), st.integers(min_value=1, max_value=6))
def test_wrapped_digits_join_back(value: Decimal, cut: int) -> None:
    printed = f"{value:.2f}"
    cut = min(cut, len(printed) - 1)
    parsed = parse_amount(printed[:cut] + " " + printed[cut:])
    assert parsed is not None and parsed.value == value and parsed.repair


@given(st.decimals(min_value=0, max_value=Decimal("1e12"), places=2))
def test_yuan_converts_exactly_to_wanyuan(value: Decimal) -> None:
    wan = to_wanyuan(value, "元")
    assert wan is not None and wan * 10000 == value
