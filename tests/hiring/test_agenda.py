"""The agenda's date arithmetic, exact: when a scorecard is due and overdue, which reminder is due when."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hiring.interviews.agenda import (
    Status,
    first_reminder_at,
    interview_end,
    interview_status,
    reminder_number,
    reminders_left,
    scorecard_due_on,
)

UTC = dt.UTC
AT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # a Tuesday, 09:00; the interview blocks 09:00-10:00


def _status(now: dt.datetime, *, cancelled=False, submitted=False) -> Status:
    return interview_status(
        scheduled_at=AT,
        interview_day=AT.date(),
        now=now,
        today=now.date(),
        is_cancelled=cancelled,
        has_submitted=submitted,
    )


def test_interview_ends_an_hour_after_it_starts_and_the_first_reminder_an_hour_later():
    assert interview_end(AT) == dt.datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    assert first_reminder_at(AT) == dt.datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


def test_scorecard_is_due_the_day_after_and_overdue_from_the_second_day():
    assert scorecard_due_on(dt.date(2026, 3, 10)) == dt.date(2026, 3, 11)
    assert _status(AT - dt.timedelta(days=1)) == Status.UPCOMING
    assert _status(dt.datetime(2026, 3, 10, 9, 59, tzinfo=UTC)) == Status.UPCOMING  # still in the room
    assert _status(dt.datetime(2026, 3, 10, 10, 0, tzinfo=UTC)) == Status.DUE
    assert _status(dt.datetime(2026, 3, 11, 23, 59, tzinfo=UTC)) == Status.DUE
    assert _status(dt.datetime(2026, 3, 12, 0, 0, tzinfo=UTC)) == Status.OVERDUE


def test_cancelled_and_submitted_win_over_the_clock():
    late = dt.datetime(2026, 3, 20, tzinfo=UTC)
    assert _status(late, cancelled=True) == Status.CANCELLED
    assert _status(late, submitted=True) == Status.SUBMITTED
    assert _status(late, cancelled=True, submitted=True) == Status.CANCELLED


def test_reminders_an_hour_after_then_daily_up_to_the_limit():
    limit = 3
    assert reminder_number(AT, dt.datetime(2026, 3, 10, 10, 59, tzinfo=UTC), limit) is None
    assert reminder_number(AT, dt.datetime(2026, 3, 10, 11, 0, tzinfo=UTC), limit) == 0
    assert reminder_number(AT, dt.datetime(2026, 3, 11, 10, 59, tzinfo=UTC), limit) == 0
    assert reminder_number(AT, dt.datetime(2026, 3, 11, 11, 0, tzinfo=UTC), limit) == 1
    assert reminder_number(AT, dt.datetime(2026, 3, 12, 11, 0, tzinfo=UTC), limit) == 2
    assert reminder_number(AT, dt.datetime(2026, 4, 30, tzinfo=UTC), limit) == 2  # the last one stays the last
    assert reminder_number(AT, dt.datetime(2026, 4, 30, tzinfo=UTC), 0) is None  # reminders off
    assert [reminders_left(n, limit) for n in range(limit)] == [2, 1, 0]


@given(
    minutes=st.integers(min_value=-10_000, max_value=60 * 24 * 30),
    later=st.integers(min_value=0, max_value=60 * 24 * 10),
    limit=st.integers(min_value=1, max_value=10),
)
def test_reminder_numbers_never_go_back_and_stay_under_the_limit(minutes, later, limit):
    first = reminder_number(AT, AT + dt.timedelta(minutes=minutes), limit)
    second = reminder_number(AT, AT + dt.timedelta(minutes=minutes + later), limit)
    if first is not None:
        assert second is not None and first <= second
    for number in (first, second):
        assert number is None or 0 <= number < limit
