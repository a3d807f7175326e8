import datetime as dt
from decimal import Decimal

import pytest

from core.audit import record, snapshot
from core.models import AuditEntry
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_records_who_what_before_after_and_why_as_json():
    actor = UserFactory()
    team = TeamFactory(name="Old")
    before = snapshot(team, ["name", "department"])
    team.name = "New"
    entry = record(
        actor=actor,
        action="rename",
        obj=team,
        before=before,
        after={"name": "New", "at": dt.date(2026, 1, 2)},
        reason="typo",
    )
    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.object_type == "culture.team"
    assert entry.object_id == str(team.pk)
    assert entry.before == {"name": "Old", "department": team.department_id}
    assert entry.after == {"name": "New", "at": "2026-01-02"}
    assert entry.reason == "typo"


def test_decimals_are_stored_exactly_as_text():
    entry = record(actor=None, action="set", obj=TeamFactory(), after={"amount": Decimal("10.10")})
    assert AuditEntry.objects.get(pk=entry.pk).after == {"amount": "10.10"}
