"""Phasing an annual target into months and copying targets forward: all or nothing, audited, closed refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from culture.models import SeasonalProfile, Target
from culture.scorecards.services import PeriodClosedError
from culture.scorecards.target_plans import copy_forward, phase_annual_target, plan_copy_forward

from .scorecard_helpers import kpi, period, target

pytestmark = pytest.mark.django_db


def months(code: str, team=None):
    rows = Target.objects.filter(kpi=kpi(code), period__kind="month", team=team).select_related("period")
    return {t.period.code: t for t in rows}


def test_flat_phasing_writes_twelve_months_marked_as_phased(cco):
    annual = target("customers_gained", period("2026"), 1200, 1080, 960, weight=2, min_sample=5)
    counts = phase_annual_target(actor=cco, annual=annual)
    assert counts == {"written": 12, "kept": 0}
    rows = months("customers_gained")
    assert [rows[f"2026-{m:02d}"].target_value for m in range(1, 13)] == [Decimal(100)] * 12
    assert {(r.on_track_from, r.off_track_from, r.weight, r.min_sample) for r in rows.values()} == {
        (Decimal(90), Decimal(80), Decimal(2), 5)
    }
    assert all(r.phased_from_id == annual.pk for r in rows.values())
    assert AuditEntry.objects.filter(action="target.create").count() == 12
    assert AuditEntry.objects.filter(action="target.phase").count() == 1


def test_seasonal_phasing_keeps_months_set_directly_and_adds_up(cco):
    direct = target("customers_gained", period("2026-03"), 500, 450, 400)
    annual = target("customers_gained", period("2026"), 1400, 1260, 1120)
    profile = SeasonalProfile.objects.create(name="Year-end peak", weights=["1"] * 10 + ["2", "2"])
    counts = phase_annual_target(actor=cco, annual=annual, profile=profile)
    assert counts == {"written": 11, "kept": 1}
    rows = months("customers_gained")
    assert rows["2026-03"].target_value == Decimal(500) and rows["2026-03"].pk == direct.pk
    assert rows["2026-12"].target_value == Decimal(200) and rows["2026-01"].target_value == Decimal(100)
    # re-phasing flat updates the phased months only: 1400 / 12 = 116.6666..., 8 units to January-August
    phase_annual_target(actor=cco, annual=annual)
    rows = months("customers_gained")
    assert rows["2026-01"].target_value == Decimal("116.6667") and rows["2026-12"].target_value == Decimal("116.6666")
    assert rows["2026-03"].target_value == Decimal(500)


def test_phasing_refuses_a_closed_month_and_writes_nothing(cco):
    annual = target("customers_gained", period("2026"), 1200, 1080, 960)
    period("2026-06", closed=True)
    with pytest.raises(PeriodClosedError):
        phase_annual_target(actor=cco, annual=annual)
    assert months("customers_gained") == {}


def test_phasing_only_years(cco):
    with pytest.raises(ValidationError):
        phase_annual_target(actor=cco, annual=target("fcr", period("2026-Q1"), 80, 75, 70))


def test_copy_forward_previews_then_skips_or_overwrites(cco, team_a):
    target("fcr", period("2026-09"), 80, 75, 70)
    target("csat", period("2026-09"), 85, 80, 75)
    target("fcr", period("2026-09"), 90, 85, 80, team=team_a)
    target("fcr", period("2026-10"), 70, 65, 60)  # exists: skipped unless overwriting
    plan = plan_copy_forward(source="2026-09", periods=2, overwrite=False, company=True)
    assert [(r.period_code, r.source.kpi.code, r.action) for r in plan.rows] == [
        ("2026-10", "csat", "create"),
        ("2026-10", "fcr", "skip"),
        ("2026-11", "csat", "create"),
        ("2026-11", "fcr", "create"),
    ]
    assert Target.objects.filter(period__code="2026-11").count() == 0  # a preview writes nothing
    counts = copy_forward(actor=cco, plan=plan, source="2026-09")
    assert (counts["create"], counts["skip"]) == (3, 1)
    assert Target.objects.get(kpi=kpi("fcr"), period__code="2026-10", team=None).target_value == Decimal(70)
    assert not Target.objects.filter(period__code="2026-11", team=team_a).exists()  # company scope only

    plan = plan_copy_forward(source="2026-09", periods=2, overwrite=True, company=True)
    assert [r.action for r in plan.rows] == ["same", "overwrite", "same", "same"]
    copy_forward(actor=cco, plan=plan, source="2026-09")
    assert Target.objects.get(kpi=kpi("fcr"), period__code="2026-10", team=None).target_value == Decimal(80)
    assert AuditEntry.objects.filter(action="target.copy_forward").count() == 2
    assert AuditEntry.objects.filter(action="target.update").count() == 1


def test_copy_forward_chooses_kpis_and_scope(cco, team_a):
    target("fcr", period("2026-09"), 80, 75, 70)
    target("csat", period("2026-09"), 90, 85, 80, team=team_a)
    target("fcr", period("2026-09"), 90, 85, 80, team=team_a)
    plan = plan_copy_forward(source="2026-09", periods=1, overwrite=False, team=team_a, kpi_ids=[kpi("csat").pk])
    assert [(r.source.kpi.code, r.source.team_id) for r in plan.rows] == [("csat", team_a.pk)]


def test_copy_forward_into_a_closed_period_is_refused(cco):
    target("fcr", period("2026-09"), 80, 75, 70)
    period("2026-Q4", closed=True)
    plan = plan_copy_forward(source="2026-09", periods=2, overwrite=False)
    assert plan.closed == ["2026-10", "2026-11"]
    with pytest.raises(PeriodClosedError):
        copy_forward(actor=cco, plan=plan, source="2026-09")
    assert not Target.objects.filter(period__code="2026-10").exists()
