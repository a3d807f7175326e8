"""Payout runs end to end over the stand-in scorecards: proration, idempotence, approval, adjustments."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry
from incentives import analysis, services
from incentives.explain import render_component
from incentives.models import Adjustment, PayoutLine, PayoutRun, PayoutStint

from .factories import ComponentFactory, close_period_of, kpi, line

pytestmark = pytest.mark.django_db


def _run(plan, actor):
    run = services.create_payout_run(plan=plan, actor=actor)
    run = services.calculate_payouts(run_id=run.pk, actor=actor)
    close_period_of(plan)  # runs are approved only for a closed period
    return run


def test_mover_is_paid_from_each_teams_actuals_for_their_days(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_a.pk, fcr="80")  # 100 %
    scorecards.set("team", team_b.pk, fcr="90")  # 150 %
    run = _run(plan, cco)
    mover = run.lines.get(person=org["mover"])
    assert mover.amount == D("400.00")  # 300 x (10/30 x 100 % + 20/30 x 150 %)
    stints = {s.team_id: s for s in mover.stints.all()}
    assert stints[team_a.pk].days == 10
    assert stints[team_b.pk].days == 20
    assert mover.team_id == team_b.pk


def test_run_total_is_the_sum_of_its_lines_and_is_audited(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="85")
    run = _run(plan, cco)
    assert run.total == sum(run.lines.values_list("amount", flat=True))
    assert run.line_count == 2
    assert AuditEntry.objects.filter(action="payoutrun.calculate", object_id=str(run.pk)).exists()


def test_recalculating_a_draft_gives_identical_lines(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_a.pk, fcr="78.4")
    scorecards.set("team", team_b.pk, fcr="82.4")
    run = _run(plan, cco)

    def state():
        return sorted(
            (
                line.person_id,
                line.amount,
                line.exact_amount,
                tuple((s.team_id, s.days, s.proration, s.exact_amount, s.components) for s in line.stints.all()),
            )
            for line in run.lines.all()
        ), sorted(
            PayoutStint.objects.filter(breakdown__run=run).values_list("team_id", "days", "exact_amount", "components")
        )

    first = state()
    services.calculate_payouts(run_id=run.pk, actor=cco)
    assert state() == first
    assert PayoutLine.objects.filter(run=run).count() == 2


def test_survey_component_below_minimum_sample_explains_why(cco, plan, org, team_a, team_b, scorecards):
    ComponentFactory(plan=plan, kpi=kpi("nps"), threshold=10, target=20, stretch=40, min_sample=30)
    scorecards.set("team", team_a.pk, fcr="80", nps=line(50, sample_size=12))
    scorecards.set("team", team_b.pk, fcr="80", nps=line(50, sample_size=12))
    run = _run(plan, cco)
    stayer = run.lines.get(person__name="Stayer")
    assert stayer.amount == D("150.00")
    nps = stayer.stints.get().components[1]
    assert nps["reason"] == "NPS sample 12 is below the minimum of 30"
    assert "NPS sample 12 is below the minimum of 30" in render_component(nps)


def test_response_rate_uses_fcr_contacts_of_the_same_team(cco, plan, org, team_a, team_b, scorecards):
    ComponentFactory(plan=plan, kpi=kpi("nps"), threshold=10, target=20, stretch=40, min_response_rate_pct=5)
    scorecards.set("team", team_b.pk, fcr=line(80, denominator=1000), nps=line(20, sample_size=60))
    run = _run(plan, cco)
    assert run.lines.get(person__name="Stayer").amount == D("300.00")


def test_unmet_gate_at_company_level_pays_nobody(cco, plan, org, team_a, team_b, scorecards):
    ComponentFactory(
        plan=plan, kpi=kpi("csat"), level="company", weight=0, is_gate=True, threshold=75, target=85, stretch=95
    )
    scorecards.set("team", team_a.pk, fcr="90")
    scorecards.set("team", team_b.pk, fcr="90")
    scorecards.set("company", None, csat="70")
    run = _run(plan, cco)
    assert run.total == D("0.00")
    assert set(run.lines.values_list("amount", flat=True)) == {D("0.00")}


def test_override_changes_one_persons_target(cco, plan, org, team_a, team_b, scorecards):
    plan.overrides.create(person=org["stayer"], target_amount=D("150.00"))
    scorecards.set("team", team_b.pk, fcr="80")
    run = _run(plan, cco)
    assert run.lines.get(person=org["stayer"]).amount == D("150.00")


def test_preparer_cannot_approve_their_own_run(cco, plan, org, scorecards):
    run = _run(plan, cco)
    with pytest.raises(PermissionDenied):
        services.approve_payout_run(run_id=run.pk, actor=cco)


def test_lead_without_permission_cannot_approve(cco, plan, org, scorecards, lead_a):
    run = _run(plan, cco)
    with pytest.raises(PermissionDenied):
        services.approve_payout_run(run_id=run.pk, actor=lead_a)


def test_second_executive_approves_then_marks_paid(cco, cco2, plan, org, scorecards):
    run = _run(plan, cco)
    services.approve_payout_run(run_id=run.pk, actor=cco2)
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.APPROVED
    assert run.approved_by == cco2
    services.mark_payout_run_paid(run_id=run.pk, actor=cco2)
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.PAID
    with pytest.raises(ValidationError):
        services.approve_payout_run(run_id=run.pk, actor=cco2)


def test_adjustment_needs_a_reason_and_an_approved_run(cco, cco2, plan, org, team_b, scorecards):
    scorecards.set("team", team_b.pk, fcr="80")
    run = _run(plan, cco)
    with pytest.raises(ValidationError):
        services.add_adjustment(run_id=run.pk, person_id=org["stayer"].pk, amount=D(10), reason="x", actor=cco)
    services.approve_payout_run(run_id=run.pk, actor=cco2)
    with pytest.raises(ValidationError):
        services.add_adjustment(run_id=run.pk, person_id=org["stayer"].pk, amount=D(10), reason=" ", actor=cco)
    adjustment = services.add_adjustment(
        run_id=run.pk, person_id=org["stayer"].pk, amount=D("10.005"), reason="late CSAT import", actor=cco
    )
    assert adjustment.amount == D("10.01")
    assert Adjustment.objects.count() == 1
    assert AuditEntry.objects.filter(action="payoutrun.adjust", reason="late CSAT import").exists()


def test_what_if_uses_the_same_math_as_the_run(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_b.pk, fcr="80")
    run = _run(plan, cco)
    component = plan.components.get()
    same = analysis.what_if(plan=plan, person_id=org["stayer"].pk, overrides={})
    assert same.amount == run.lines.get(person=org["stayer"]).amount
    better = analysis.what_if(plan=plan, person_id=org["stayer"].pk, overrides={component.key: D(90)})
    assert better.amount == D("450.00")


def test_plan_in_draft_cannot_run(cco, plan):
    plan.status = "draft"
    plan.save()
    with pytest.raises(ValidationError):
        services.create_payout_run(plan=plan, actor=cco)


def test_calculation_query_count_does_not_grow_with_people(cco, plan, org, team_a, team_b, scorecards):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MembershipFactory, PersonFactory

    scorecards.set("team", team_b.pk, fcr="85")
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    with CaptureQueriesContext(connection) as few:
        services.calculate_payouts(run_id=run.pk, actor=cco)
    for _ in range(30):
        MembershipFactory(person=PersonFactory(), team=team_b)
    with CaptureQueriesContext(connection) as many:
        services.calculate_payouts(run_id=run.pk, actor=cco)
    assert run.lines.count() == 32
    assert len(few.captured_queries) == len(many.captured_queries)


def test_department_eligibility_includes_sub_departments_and_reads_department_actuals(cco, scorecards):
    from tests.factories import DepartmentFactory, MembershipFactory, TeamFactory

    from .factories import PlanFactory

    parent = DepartmentFactory(name="Care")
    child = DepartmentFactory(name="Chat", parent=parent)
    inside = TeamFactory(department=child)
    outside = TeamFactory()
    member = MembershipFactory(team=inside).person
    MembershipFactory(team=outside)
    plan = PlanFactory()
    plan.eligible_departments.set([parent])
    ComponentFactory(plan=plan, level="department")
    scorecards.set("department", child.pk, fcr="85")
    run = services.create_payout_run(plan=plan, actor=cco)
    run = services.calculate_payouts(run_id=run.pk, actor=cco)
    assert list(run.lines.values_list("person_id", "amount")) == [(member.pk, D("375.00"))]


def test_composite_component_reads_the_scorecard_composite_over_all_kpis(cco, plan, org, team_b, scorecards):
    component = plan.components.get()
    component.kpi = None
    component.save()
    scorecards.composites[("team", team_b.pk)] = D("85")
    run = services.create_payout_run(plan=plan, actor=cco)
    run = services.calculate_payouts(run_id=run.pk, actor=cco)
    assert scorecards.last_kwargs["kpi_codes"] is None
    assert scorecards.last_kwargs["with_trend"] is False  # a run needs no trend: half the measurements to read
    assert run.lines.get(person=org["stayer"]).amount == D("375.00")
