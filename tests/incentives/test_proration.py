"""Proration: each calendar day counts once per person (touching, overlapping and two-team spells)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.models import Membership
from incentives import services
from incentives.proration import Spell, days_by_team
from tests.factories import MembershipFactory, PersonFactory

SEPT = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def day(n: int) -> dt.date:
    return dt.date(2026, 9, n)


def test_one_spell_counts_its_days_inside_the_period():
    assert days_by_team([Spell(1, dt.date(2026, 8, 1), day(10))], *SEPT) == {1: 10}
    assert days_by_team([Spell(1, day(11), None)], *SEPT) == {1: 20}


def test_touching_spells_in_one_team_count_the_shared_day_once():
    # member until the 20th, lead from the 20th: 30 days, not 31
    assert days_by_team([Spell(1, day(1), day(20)), Spell(1, day(20), None)], *SEPT) == {1: 30}


def test_adjacent_spells_in_one_team_add_up():
    assert days_by_team([Spell(1, day(1), day(19)), Spell(1, day(20), None)], *SEPT) == {1: 30}


def test_overlapping_spells_in_one_team_count_each_day_once():
    assert days_by_team([Spell(1, day(1), day(25)), Spell(1, day(10), day(30))], *SEPT) == {1: 30}
    assert days_by_team([Spell(1, day(5), day(14)), Spell(1, day(10), day(12))], *SEPT) == {1: 10}


def test_spells_in_two_teams_split_by_day_the_move_day_goes_to_the_new_team():
    # in A until the 20th, in B from the 20th: A 19 days (1-19), B 11 days (20-30)
    assert days_by_team([Spell(1, day(1), day(20)), Spell(2, day(20), None)], *SEPT) == {1: 19, 2: 11}


def test_overlapping_spells_in_two_teams_give_the_overlap_to_the_later_spell():
    # A all month, B from the 11th to the 20th: B owns 11-20, A the other 20 days
    assert days_by_team([Spell(1, dt.date(2025, 1, 1), None), Spell(2, day(11), day(20))], *SEPT) == {1: 20, 2: 10}


def test_spells_outside_the_period_count_nothing():
    assert days_by_team([Spell(1, dt.date(2026, 10, 1), None)], *SEPT) == {}
    assert days_by_team([Spell(1, day(1), day(2)), Spell(2, dt.date(2026, 10, 1), None)], *SEPT) == {1: 2}


spells = st.lists(
    st.builds(
        Spell,
        team_id=st.integers(1, 3),
        start=st.dates(dt.date(2026, 8, 1), dt.date(2026, 10, 31)),
        end=st.one_of(st.none(), st.dates(dt.date(2026, 8, 1), dt.date(2026, 10, 31))),
    ).filter(lambda s: s.end is None or s.end >= s.start),
    max_size=6,
)


@given(spells)
def test_days_counted_never_exceed_the_period_nor_the_covered_days(person_spells):
    start, end = SEPT
    counted = days_by_team(person_spells, start, end)
    covered = {
        start + dt.timedelta(days=n)
        for n in range((end - start).days + 1)
        for s in person_spells
        if s.start <= start + dt.timedelta(days=n) <= (s.end or end)
    }
    assert sum(counted.values()) == len(covered) <= 30
    assert all(days > 0 for days in counted.values())
    # day by day, the owner is the covering spell that began last (ties: the higher team id)
    owners: dict[int, int] = {}
    for day in covered:
        claims = [(s.start, s.team_id) for s in person_spells if s.start <= day <= (s.end or end)]
        team_id = max(claims)[1]
        owners[team_id] = owners.get(team_id, 0) + 1
    assert counted == owners


@pytest.mark.django_db
def test_member_then_lead_from_the_20th_is_paid_for_the_period_once(cco, team_a, team_b, scorecards):
    from .factories import ComponentFactory, PlanFactory

    plan = PlanFactory(name="FCR bonus", teams=[team_a])
    ComponentFactory(plan=plan)
    person = PersonFactory(name="Promoted")
    MembershipFactory(person=person, team=team_a, start=dt.date(2025, 1, 1), end=day(20))
    MembershipFactory(person=person, team=team_a, start=day(20), role=Membership.Role.LEAD)
    scorecards.set("team", team_a.pk, fcr="80")  # 100 %
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    line = run.lines.get(person=person)
    assert line.amount == D("300.00")  # the full target, not 31/30 of it
    assert line.proration == 1
    assert [s.days for s in line.stints.all()] == [30]
