"""Tolerances, defined once: what difference counts as 尾数误差 (rounding)."""

from __future__ import annotations

from decimal import Decimal

from juesuan.model import Severity

# One unit of the last printed digit per addend: each printed amount is rounded to 0.01 万元,
# so a sum of n rounded addends may drift from its rounded total by up to about 0.01 × n.
PER_ADDEND = Decimal("0.01")
ZERO = Decimal("0")


def tolerance(addends: int) -> Decimal:
    """Return the rounding tolerance for an identity with this many non-zero addends."""
    return PER_ADDEND * max(addends, 1)


def classify(expected: Decimal, actual: Decimal, addends: int, failure: Severity) -> Severity:
    """Return pass, rounding, or the rule's failure severity for a difference."""
    diff = abs(actual - expected)
    if diff == ZERO:
        return "pass"
    if diff <= tolerance(addends):
        return "rounding"
    return failure


def within(expected: Decimal, actual: Decimal, addends: int = 1) -> bool:
    """Tell whether actual ≤ expected holds, allowing rounding (for bounds, not identities)."""
    return actual - expected <= tolerance(addends)
