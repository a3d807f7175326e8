from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import format_amount, round_money


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("10.005"), "EUR", Decimal("10.01")),
        (Decimal("10.004"), "EUR", Decimal("10.00")),
        (Decimal("-10.005"), "EUR", Decimal("-10.01")),
        (Decimal("1234.5"), "JPY", Decimal("1235")),
        (Decimal("1.0005"), "KWD", Decimal("1.001")),
        (Decimal("99.5"), "PTS", Decimal("100")),
        (Decimal("100") / Decimal("3"), "EUR", Decimal("33.33")),
    ],
)
def test_rounds_half_up_to_minor_unit(amount, currency, expected):
    assert round_money(amount, currency) == expected


def test_refuses_floats():
    with pytest.raises(TypeError):
        round_money(0.1, "EUR")  # type: ignore[arg-type]


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=6))
def test_rounding_moves_at_most_half_a_minor_unit(amount):
    rounded = round_money(amount, "EUR")
    assert abs(rounded - amount) <= Decimal("0.005")
    assert rounded == round_money(rounded, "EUR")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("1234.5"), "EUR", "EUR 1,234.50"),
        (Decimal("1234.5"), "JPY", "JPY 1,235"),
        (Decimal("1.0005"), "KWD", "KWD 1.001"),
        (Decimal("1234.5"), "PTS", "1,235 points"),
        (Decimal("0.6"), "PTS", "1 point"),
        (Decimal("0"), "PTS", "0 points"),
    ],
)
def test_formats_amounts_in_their_unit(amount, currency, expected):
    assert format_amount(amount, currency) == expected
