"""Property: applying a sync's plan and computing the difference again gives an empty plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from culture.models import Membership
from culture.org.sync import sync_people_records
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 15)
TEAMS = [("Service/Nordics", "Support"), ("Commercial", "Sales"), ("Service/Baltics", "Riga"), ("", "support")]
DAYS = [None, dt.date(2026, 3, 1), dt.date(2026, 9, 11), dt.date(2026, 10, 15), dt.date(2026, 12, 1)]


@st.composite
def records(draw) -> list[dict]:
    numbers = draw(st.lists(st.sampled_from(["E1", "E2", "E3", "E4", "E5"]), unique=True, max_size=5))
    rows = []
    for number in numbers:
        department, team = draw(st.sampled_from(TEAMS))
        row = {
            "employee_id": number,
            "name": draw(st.sampled_from(["Anna", "Bo", "Cy"])) + f" {number}",
            "email": f"{number.lower()}@{draw(st.sampled_from(['example.com', 'example.org']))}",
            "department": department,
            "team": team,
            "role": draw(st.sampled_from(["member", "lead", ""])),
            "end_date": draw(st.sampled_from(DAYS)),
            "effective_date": draw(st.sampled_from(DAYS[1:])),
        }
        if draw(st.booleans()):
            row["manager_id"] = draw(st.sampled_from(["", *[n for n in numbers if n != number]]))
        rows.append(row)
    return rows


@pytest.fixture
def stored():
    support = TeamFactory(
        name="Support",
        slug="support",
        department=DepartmentFactory(name="Nordics", parent=DepartmentFactory(name="Service")),
    )
    for number in ("E1", "E2"):
        person = PersonFactory(employee_number=number, email=f"{number.lower()}@example.com", name=f"Anna {number}")
        MembershipFactory(person=person, team=support, start=dt.date(2025, 1, 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=records(), second=records())
def test_applying_a_plan_then_diffing_again_gives_an_empty_plan(stored, first, second):
    with transaction.atomic():
        for batch in (first, second):
            result = sync_people_records(records=batch, actor=None, today=TODAY)
            again = sync_people_records(records=batch, actor=None, today=TODAY, dry_run=True)
            event(f"applied={result.applied} valid={result.is_valid}")
            if result.applied:
                assert again.is_valid
                assert again.plan.is_empty, again.plan.changes
        transaction.set_rollback(True)


def test_a_leaver_sent_again_without_an_end_date_gets_the_same_spell_back(stored):
    """Found by the property above: rejoining on the day a one-day spell began clashed with that spell."""
    row = {
        "employee_id": "E5",
        "name": "Anna E5",
        "email": "e5@example.com",
        "department": "Service/Nordics",
        "team": "Support",
        "role": "member",
        "effective_date": dt.date(2026, 3, 1),
    }
    assert sync_people_records(records=[{**row, "end_date": dt.date(2026, 3, 1)}], actor=None, today=TODAY).applied

    result = sync_people_records(records=[{**row, "end_date": None}], actor=None, today=TODAY)

    assert result.applied
    spells = list(Membership.objects.filter(person__employee_number="E5").values_list("role", "start", "end"))
    assert spells == [("member", dt.date(2026, 3, 1), None)]
    assert sync_people_records(records=[{**row, "end_date": None}], actor=None, today=TODAY, dry_run=True).plan.is_empty
