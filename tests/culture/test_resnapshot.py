"""Closed snapshots keep the figures and definitions they were frozen with; re-snapshotting is explicit."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from core.models import AuditEntry
from culture.models import ScorecardSnapshot
from culture.scorecards import build_scorecards, close_period, resnapshot_period
from tests.factories import DepartmentFactory, TeamFactory

from .scorecard_helpers import measure, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_with_old_figures():
    team = TeamFactory(name="A", department=DepartmentFactory(name="Care"))
    period("2026-09")
    measure(team, "churn_rate", "2026-09-01", opening=1000, gained=0, lost=30, closing=970)
    close_period(code="2026-09", actor=None, reason="month end")
    # As a snapshot frozen before the stock definitions: pooled figures, marked v1.
    row = ScorecardSnapshot.objects.get(period__code="2026-09", level="team")
    row.payload["lines"]["churn_rate"]["actual"] = "0.06"
    row.definition = ScorecardSnapshot.Definition.POOLED
    row.save()
    return team


def test_an_old_snapshot_keeps_its_figures_and_says_which_definitions(closed_with_old_figures):
    team = closed_with_old_figures
    card = build_scorecards(period_code="2026-09", ids=[team.pk])[team.pk]

    assert card.is_snapshot and card.actual("churn_rate") == Decimal("0.06")
    assert card.definition == "v1-pooled" and card.definition_label.startswith("v1: churn and retention pooled")


def test_new_snapshots_follow_the_current_definitions(closed_with_old_figures):
    assert ScorecardSnapshot.objects.get(period__code="2026-09", level="company").definition == "v2-stock"


def test_resnapshot_is_explicit_audited_and_recomputes(closed_with_old_figures, django_user_model):
    team = closed_with_old_figures
    with pytest.raises(ValidationError):
        resnapshot_period(code="2026-09", actor=None, reason=" ")
    with pytest.raises(CommandError), mock.patch("builtins.input", return_value="no"):
        call_command("resnapshot_period", "2026-09", reason="x")  # not confirmed: nothing changes
    assert build_scorecards(period_code="2026-09", ids=[team.pk])[team.pk].actual("churn_rate") == Decimal("0.06")

    resnapshot_period(code="2026-09", actor=None, reason="stock definitions (issue 12)")

    card = build_scorecards(period_code="2026-09", ids=[team.pk])[team.pk]
    # 100 x 30 / 1,000 = 3.00
    assert card.actual("churn_rate") == Decimal("3.00") and card.definition == "v2-stock"
    entry = AuditEntry.objects.get(action="period.resnapshot")
    assert entry.before["definitions"] == ["v1-pooled", "v2-stock"]
    assert entry.reason == "stock definitions (issue 12)"


def test_only_the_cco_may_resnapshot_and_only_a_closed_period(closed_with_old_figures, django_user_model):
    lead = django_user_model.objects.create_user(email="lead@example.com", password="x")
    with pytest.raises(PermissionDenied):
        resnapshot_period(code="2026-09", actor=lead, reason="why not")
    period("2026-10")
    with pytest.raises(ValidationError):
        resnapshot_period(code="2026-10", actor=None, reason="open")
