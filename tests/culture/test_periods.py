import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.scorecards.periods import (
    PeriodKind,
    parse_period,
    periods_containing,
    previous_period,
    same_period_last_year,
    shift_period,
)


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2026-09", PeriodKind.MONTH, dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
        ("2024-02", PeriodKind.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026-Q3", PeriodKind.QUARTER, dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("2026-q1", PeriodKind.QUARTER, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026", PeriodKind.YEAR, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_parses_month_quarter_and_year(code, kind, start, end):
    span = parse_period(code)
    assert (span.kind, span.start, span.end) == (kind, start, end)


@pytest.mark.parametrize("code", ["", "2026-13", "2026-Q5", "26-01", "2026-1", "Q3-2026", "abc"])
def test_rejects_malformed_codes_with_a_hint(code):
    with pytest.raises(ValueError, match="2026-Q3"):
        parse_period(code)


@pytest.mark.parametrize(
    ("code", "previous", "last_year"),
    [
        ("2026-01", "2025-12", "2025-01"),
        ("2026-Q1", "2025-Q4", "2025-Q1"),
        ("2026-Q3", "2026-Q2", "2025-Q3"),
        ("2026", "2025", "2025"),
    ],
)
def test_previous_and_last_year(code, previous, last_year):
    span = parse_period(code)
    assert previous_period(span).code == previous
    assert same_period_last_year(span).code == last_year


def test_periods_containing_a_day():
    assert periods_containing(dt.date(2026, 8, 15)) == ["2026-08", "2026-Q3", "2026"]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(-30, 30))
def test_shifting_is_reversible_and_contiguous(day, steps):
    for code in periods_containing(day):
        span = parse_period(code)
        assert span.contains(day)
        assert shift_period(shift_period(span, steps), -steps) == span
        assert shift_period(span, 1).start == span.end + dt.timedelta(days=1)
