"""Closing a period: snapshots for every scope, frozen figures, refusals, the command and the audit trail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry
from culture.models import Period, ScorecardSnapshot
from culture.scorecards import build_scorecards
from culture.scorecards.services import PeriodClosedError, close_period, ensure_period_open, payload_checksum
from tests.factories import DepartmentFactory, TeamFactory

from .scorecard_helpers import measure, period, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    department = DepartmentFactory()
    a, b = TeamFactory(department=department), TeamFactory(department=department)
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    measure(a, "fcr", "2026-09-01", numerator=30, denominator=40)
    measure(b, "fcr", "2026-09-01", numerator=10, denominator=40)
    return {"department": department, "a": a, "b": b, "period": p}


def test_close_freezes_every_team_department_and_the_company(data, cco):
    closed = close_period(code="2026-09", actor=cco)

    assert closed.is_closed and closed.closed_by == cco and closed.closed_at is not None
    snapshots = ScorecardSnapshot.objects.filter(period=closed)
    assert sorted(snapshots.values_list("level", flat=True)) == ["company", "department", "team", "team"]
    company = snapshots.get(level="company")
    assert company.payload["lines"]["fcr"]["actual"] == "50.0"
    assert company.checksum == payload_checksum(company.payload)


def test_closed_period_returns_the_snapshot_even_after_late_data(data, cco):
    close_period(code="2026-09", actor=cco)
    measure(data["a"], "fcr", "2026-09-02", numerator=0, denominator=1000)  # bypasses the import guard

    card = build_scorecards(period_code="2026-09", ids=[data["a"].pk])[data["a"].pk]

    assert card.is_snapshot
    assert card.lines["fcr"].actual == Decimal("75.0")
    assert card.lines["fcr"].status == "green"


def test_closing_twice_is_refused(data, cco):
    close_period(code="2026-09", actor=cco)
    with pytest.raises(PeriodClosedError, match="already closed"):
        close_period(code="2026-09", actor=cco)
    assert ScorecardSnapshot.objects.filter(level="company").count() == 1


def test_close_is_audited(data, cco):
    close_period(code="2026-09", actor=cco, reason="month end")
    entry = AuditEntry.objects.get(action="period.close")
    assert entry.actor == cco
    assert entry.before["status"] == "open" and entry.after["status"] == "closed"
    assert entry.after["snapshots"] == 4
    assert entry.reason == "month end"


def test_ensure_period_open_checks_days_codes_and_periods(data, cco):
    ensure_period_open(dt.date(2026, 9, 15))
    close_period(code="2026-09", actor=cco)
    with pytest.raises(PeriodClosedError, match="2026-09 was closed"):
        ensure_period_open(dt.date(2026, 9, 15))
    with pytest.raises(PeriodClosedError):
        ensure_period_open("2026-Q3")  # overlaps the closed month
    with pytest.raises(PeriodClosedError):
        ensure_period_open(data["period"])
    ensure_period_open(dt.date(2026, 10, 1))
    assert list(Period.objects.closed().covering(dt.date(2026, 9, 15))) == [data["period"]]


def test_close_period_command(data, capsys):
    call_command("close_period", "2026-09")
    assert "Closed 2026-09: 4 scorecards frozen." in capsys.readouterr().out
    with pytest.raises(CommandError, match="already closed"):
        call_command("close_period", "2026-09")
    with pytest.raises(CommandError, match="not a period"):
        call_command("close_period", "Sept")


def test_closing_creates_the_period_row_when_missing(data, cco):
    close_period(code="2026-10", actor=cco)
    assert Period.objects.get(code="2026-10").is_closed
