"""One rounding rule for figures: half-up (halves away from zero), once, at display."""

from decimal import Decimal

import pytest

from core.numbers import fixed, half_up
from culture.templatetags.scorecards import figure
from reports.documents.common import number, signed


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.25", 1, "2.3"),  # half-to-even would give 2.2
        ("2.35", 1, "2.4"),
        ("-12.5", 0, "-13"),
        ("0.125", 2, "0.13"),
        ("-0.04", 1, "0.0"),  # no "-0.0"
        ("1234.5", 0, "1235"),
    ],
)
def test_half_up_at_exact_halves(value, places, expected):
    assert fixed(Decimal(value), places) == expected
    assert half_up(Decimal(value), places) == Decimal(expected)


def test_page_and_pdf_formatters_round_exact_halves_up():
    # Python's format(Decimal("2.25"), ".1f") is "2.2": the page filter and the PDF helpers must say 2.3.
    assert figure(Decimal("2.25"), 1) == "2.3"
    assert figure(Decimal("1234.5"), 0) == "1,235"
    assert number(Decimal("2.25"), 1, unit="percent") == "2.3 %"
    assert signed(Decimal("-12.5"), 0) == "-13"
    assert signed(Decimal("0.125"), 2) == "+0.13"
