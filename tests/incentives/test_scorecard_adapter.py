"""The one adapter against the real culture scorecards (no stand-in): measurements in, payouts out."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from incentives import analysis, services
from tests.culture.scorecard_helpers import measure, nps_day

from .factories import ComponentFactory, kpi

pytestmark = pytest.mark.django_db


def test_run_reads_team_actuals_from_scorecards(cco, plan, org, team_a, team_b):
    measure(team_a, "fcr", "2026-09-05", numerator=80, denominator=100)  # 80.0 -> 100 %
    measure(team_b, "fcr", "2026-09-05", numerator=170, denominator=200)  # 85.0 -> 125 %
    measure(team_b, "fcr", "2026-08-05", numerator=50, denominator=100)  # previous period: ignored
    run = services.create_payout_run(plan=plan, actor=cco)
    run = services.calculate_payouts(run_id=run.pk, actor=cco)
    assert run.lines.get(person=org["stayer"]).amount == D("375.00")
    assert run.lines.get(person=org["mover"]).amount == D("350.00")  # 300 x (10/30 x 1 + 20/30 x 1.25)


def test_response_rate_gate_uses_fcr_contacts_from_scorecards(cco, plan, org, team_b):
    ComponentFactory(plan=plan, kpi=kpi("nps"), threshold=10, target=20, stretch=40, min_response_rate_pct=5)
    measure(team_b, "fcr", "2026-09-05", numerator=800, denominator=1000)
    nps_day(team_b, "2026-09-05", promoters=20, passives=15, detractors=5)  # 40 responses, NPS 37.5
    run = services.create_payout_run(plan=plan, actor=cco)
    run = services.calculate_payouts(run_id=run.pk, actor=cco)
    stayer = run.lines.get(person=org["stayer"])
    nps = stayer.stints.get().components[1]
    assert nps["reason"] == "NPS response rate 4.0 % is below the minimum of 5.00 %"
    assert stayer.amount == D("150.00")


def test_company_level_component_reads_the_company_scorecard(cco, plan, org, team_a, team_b):
    component = plan.components.get()
    component.level = "company"
    component.save()
    measure(team_a, "fcr", "2026-09-05", numerator=70, denominator=100)
    measure(team_b, "fcr", "2026-09-05", numerator=90, denominator=100)  # company: 160 / 200 = 80.0
    run = services.create_payout_run(plan=plan, actor=cco)
    run = services.calculate_payouts(run_id=run.pk, actor=cco)
    assert set(run.lines.values_list("amount", flat=True)) == {D("300.00")}


def test_plan_impact_compares_covered_with_uncovered_teams(cco, plan, org, team_a, team_b, other_team):
    for team, before, now in ((team_a, 70, 80), (team_b, 80, 84), (other_team, 80, 81)):
        measure(team, "fcr", "2026-08-10", numerator=before, denominator=100)
        measure(team, "fcr", "2026-09-10", numerator=now, denominator=100)
    impact = analysis.plan_impact(plan=plan)
    row = impact.rows[0]
    assert (row.covered_teams, row.uncovered_teams) == (2, 1)
    assert row.covered_change == D(7)  # mean of +10 and +4
    assert row.uncovered_change == D(1)
    assert row.difference == D(6)
    assert impact.spend == D(0)


def test_composite_component_pays_on_the_real_composite_score(cco, plan, org, team_b):
    from culture.scorecards import build_scorecards
    from tests.culture.scorecard_helpers import target

    component = plan.components.get()
    component.kpi = None
    component.threshold, component.target, component.stretch = 40, 60, 90
    component.save()
    target("fcr", plan.period, 80, 75, 70)
    target("nps", plan.period, 20, 10, 0)
    measure(team_b, "fcr", "2026-09-05", numerator=82, denominator=100)
    nps_day(team_b, "2026-09-05", promoters=20, passives=15, detractors=5)
    composite = build_scorecards(period_code="2026-09", ids=[team_b.pk])[team_b.pk].composite
    assert composite is not None
    run = services.create_payout_run(plan=plan, actor=cco)
    run = services.calculate_payouts(run_id=run.pk, actor=cco)
    stint = run.lines.get(person=org["stayer"]).stints.get()
    assert D(stint.components[0]["actual"]) == composite
