"""Repeating pulses: the successor is published on its opening day, once, with the same teams and length."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.models import Pulse, PulseInvitation
from culture.pulse.calculations import add_months
from culture.pulse.services import install_standard_library, publish_pulse
from culture.tasks import publish_due_pulses

START = dt.date(2026, 1, 31)


def test_add_months_keeps_the_day_or_clamps_to_the_months_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2026, 3, 31), 12) == dt.date(2027, 3, 31)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(0, 24))
def test_add_months_moves_by_exactly_that_many_calendar_months(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day


@pytest.mark.django_db
def test_a_repeating_pulse_is_published_again_on_its_day_and_only_once(cco, team_a, employee_a):
    first = publish_pulse(
        actor=cco,
        title="Quarterly pulse",
        library_version=install_standard_library(actor=cco),
        teams=[team_a],
        opens_on=START,
        closes_on=START + dt.timedelta(days=10),
        repeat_every_months=3,
    )

    assert publish_due_pulses(today="2026-04-29") == []
    (pk,) = publish_due_pulses(today="2026-04-30")
    assert publish_due_pulses(today="2026-05-02") == []

    second = Pulse.objects.get(pk=pk)
    assert second.follows == first and second.repeat_every_months == 3
    assert (second.opens_on, second.closes_on) == (dt.date(2026, 4, 30), dt.date(2026, 5, 10))
    assert list(second.teams.all()) == [team_a]
    assert PulseInvitation.objects.filter(pulse=second, person__user=employee_a).exists()


@pytest.mark.django_db
def test_a_single_pulse_is_never_repeated(cco, team_a):
    publish_pulse(
        actor=cco,
        title="Once",
        library_version=install_standard_library(actor=cco),
        teams=[team_a],
        opens_on=START,
        closes_on=START,
    )
    assert publish_due_pulses(today="2027-01-01") == []
