"""core.formatting: Babel-backed numbers, money and dates; English keeps the house style, Swedish its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from core.formatting import babel_locale, format_day, format_money, format_number, format_percent
from core.money import format_amount
from core.numbers import half_up

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        (Decimal("1234.5"), "EUR"),
        (Decimal("1234.505"), "SEK"),
        (Decimal("-0.005"), "EUR"),
        (Decimal("1234.5"), "JPY"),
        (Decimal("1.0005"), "KWD"),
        (Decimal("1"), "PTS"),
        (Decimal("1234.4"), "PTS"),
    ],
)
def test_english_money_is_todays_format_amount(amount, currency):
    assert format_money(amount, currency, "en-gb") == format_amount(amount, currency)


def test_swedish_money_uses_the_locales_pattern_and_rounds_half_up_once():
    assert format_money(Decimal("1234.50"), "SEK", "sv") == f"1{NBSP}234,50{NBSP}kr"
    assert format_money(Decimal("1234.505"), "SEK", "sv") == f"1{NBSP}234,51{NBSP}kr"
    assert format_money(Decimal("1234.5"), "EUR", "sv") == f"1{NBSP}234,50{NBSP}€"
    assert format_money(Decimal("1234.5"), "JPY", "sv") == f"1{NBSP}235{NBSP}JPY"


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        format_money(1234.5, "EUR", "sv")  # type: ignore[arg-type]


def test_numbers_and_percentages():
    assert format_number(Decimal("1234.56"), 1, "en-gb") == "1,234.6"
    assert format_number(Decimal("1234.56"), 1, "sv") == f"1{NBSP}234,6"
    assert format_number(None, 1, "sv") == "—"
    assert format_percent(Decimal("12.5"), 1, "en-gb") == "12.5%"
    assert format_percent(Decimal("12.5"), 1, "sv") == f"12,5{NBSP}%"


def test_numbers_round_exact_halves_up_in_every_language():
    # One rule with core.numbers: halves away from zero (half-to-even would give 2.2 and -12).
    assert format_number(Decimal("2.25"), 1, "en-gb") == "2.3"
    assert format_number(Decimal("2.25"), 1, "sv") == "2,3"
    assert format_number(Decimal("-12.5"), 0, "en-gb") == "-13"
    assert format_percent(Decimal("1.125"), 2, "sv") == f"1,13{NBSP}%"


def test_days():
    day = dt.date(2026, 12, 6)
    assert format_day(day, "sv") == "6 dec. 2026"
    assert format_day(day, "en-gb") == "6 Dec 2026"
    assert format_day(dt.datetime(2026, 12, 6, 23, 0), "sv") == "6 dec. 2026"


def test_unknown_languages_read_as_english():
    assert format_number(Decimal("1234.5"), 2, "qps") == "1,234.50"


_LANGUAGES = ["en-gb", "sv", "de", "fr", "nb", "pl", None]


@given(
    value=st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=6),
    decimals=st.integers(min_value=0, max_value=4),
    language=st.sampled_from(_LANGUAGES),
)
def test_numbers_read_exactly_as_babels_pattern_formatter_lays_them_out(value, decimals, language):
    # Given Babel's own formatter on the same half-up value, when the fast path formats it, then the text is the same.
    reference = format_decimal(
        half_up(value, decimals),
        format="#,##0" + ("." + "0" * decimals if decimals else ""),
        locale=babel_locale(language),
        decimal_quantization=True,
    )
    assert format_number(value, decimals, language) == reference


def test_swedish_numbers_group_with_no_break_spaces_and_a_decimal_comma():
    assert format_number(Decimal("-1234567.505"), 2, "sv") == "-1\xa0234\xa0567,51"
    assert format_number(Decimal("1234567.505"), 0, "en-gb") == "1,234,568"
