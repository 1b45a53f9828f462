"""Read printed amounts exactly: Decimal, blank kept apart from 0.00, units converted to 万元."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from juesuan.model import Amount

# Placeholders that mean "nothing printed here" in the national template.
_BLANKS = {"", "-", "—", "－", "--", "——", "/", "…", "……", "\\"}
_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
# More integer digits than any real report prints (a national total in 元 has 14): beyond
# this a cell is not read as an amount (exact arithmetic on it would overflow Decimal's context).
MAX_INTEGER_DIGITS = 16
_DIGIT_LOOKALIKES = set("OoDQlIiSsBbZzGgq")
_DAMAGED = re.compile(r"^[-+(（]?[0-9A-Za-z.,，·'`]+[)）]?$")
_UNIT_DIVISOR = {"万元": Decimal(1), "元": Decimal(10000), "千元": Decimal(10), "亿元": Decimal("0.0001")}


def clean_number_text(text: str) -> str:
    """Return the text with full-width digits, minus signs and padding normalized."""
    table = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
    return text.translate(table).replace("\u00a0", " ").strip()


def parse_amount(text: str) -> Amount | None:
    """Parse a printed amount cell; None when the text is not an amount at all.

    Handles thousands separators (`2,940.05`), parentheses for negatives (`(1.20)`),
    blank markers (`""`, `-`, `—`), and digits split by cell wrapping (`3658.4 4`),
    recording that repair.
    """
    s = clean_number_text(text)
    if s in _BLANKS:
        return Amount(value=None, raw=text, blank=True)
    negative = False
    if s.startswith(("(", "（")) and s.endswith((")", "）")):
        negative, s = True, s[1:-1].strip()
    repair = ""
    compact = re.sub(r"\s+", "", s)
    if compact != s:
        # A wrapped cell splits digits with spaces; only a run with a decimal point may be
        # joined (so that split code parts such as "201 06" never become an amount).
        if not re.fullmatch(r"[-+]?[\d,.\s]+", s) or "." not in s:
            return None
        repair = f"joined digits split by cell wrapping: {text.strip()!r}"
        s = compact
    if not _NUMBER.match(s) or len(s.split(".")[0].replace(",", "").lstrip("+-")) > MAX_INTEGER_DIGITS:
        return None
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None
    if negative:
        value = -value
    return Amount(value=value, raw=text, blank=False, repair=repair, repair_code="digits-joined" if repair else "")


def looks_like_damaged_amount(text: str) -> bool:
    """Tell whether text is an amount damaged in print or OCR (`5O8.68`, `1,2l4.00`, 30 digits).

    Digits with decimal separators and a few letters in place of digits; not an amount
    parse_amount reads, and not a classification code.
    """
    s = re.sub(r"\s+", "", clean_number_text(text))
    if not s or parse_amount(s) is not None or not _DAMAGED.match(s):
        return False
    digits = sum(ch.isdigit() for ch in s)
    letters = sum(ch.isalpha() for ch in s)
    if letters == 0:
        return digits > MAX_INTEGER_DIGITS  # all digits, yet no amount: too long to be one
    # Letters OCR reads for digits (O for 0, l for 1, S for 5 …) may stand for every digit.
    others = sum(ch.isalpha() and ch not in _DIGIT_LOOKALIKES for ch in s)
    return bool(re.search(r"\.[0-9A-Za-z]{2}$", s) or digits >= 2) and others <= max(1, digits // 2)


def unreadable_amount(text: str) -> Amount:
    """Return the Amount of a cell that should hold an amount and holds something else."""
    return Amount(value=None, raw=text, blank=False, repair=f"amount unreadable: printed {text.strip()!r}",
                  repair_code="amount-unreadable")


def is_unreadable(amount: Amount) -> bool:
    """Tell whether an Amount is a printed cell that could not be read (not a blank)."""
    return amount.value is None and not amount.blank


def to_wanyuan(value: Decimal | None, unit: str) -> Decimal | None:
    """Convert an amount printed in `unit` to 万元 exactly (no rounding)."""
    if value is None:
        return None
    try:
        divisor = _UNIT_DIVISOR[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r}; expected one of {sorted(_UNIT_DIVISOR)}") from None
    if divisor == 1:
        return value
    return (value / divisor).normalize() if value else Decimal("0.00")


def format_amount(value: Decimal | None) -> str:
    """Format a Decimal for CSV: plain notation, no exponent, at least two decimals."""
    if value is None:
        return ""
    q = value if value.as_tuple().exponent <= -2 else value.quantize(Decimal("0.01"))  # type: ignore[operator]
    return format(q, "f")
