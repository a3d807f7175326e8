"""Issue 16: "my incentive progress this period" on the home page. The estimate is the run's own math on the
run's own inputs for the reader only: it equals a hand calculation and the line a run calculated on the same
data gives; a person sees only their own; nothing for someone in no plan; the page's queries do not grow with
the number of plans or participants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from culture.models import Membership, Period
from culture.scorecards import parse_period
from incentives import services
from incentives.analysis import current_plans, estimates
from incentives.models import Component, PayoutLine, Plan
from tests.culture.scorecard_helpers import measure, nps_day, period
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory
from tests.pages import home_with_query_count

from .conftest import person_with_login
from .factories import ComponentFactory, PlanFactory, kpi

pytestmark = pytest.mark.django_db

LABEL = "Estimate — the payout is calculated when the period closes"
LABEL_SV = "Uppskattning \u2013 utbetalningen beräknas när perioden stängs"


@pytest.fixture
def this_month():
    today = timezone.localdate()
    return period(f"{today.year}-{today.month:02d}")


def _figures(team, span_start, *, fcr=85, promoters=10, passives=5, detractors=5):
    measure(team, "fcr", span_start, numerator=fcr, denominator=100)
    nps_day(team, span_start, promoters, passives, detractors)


def _fcr_nps_plan(p: Period, teams, *, name="Service bonus", **kwargs) -> Plan:
    """FCR (weight 3) on 70/80/90 and NPS (weight 1) on 20/40/60, 300 EUR at target."""
    plan = PlanFactory(name=name, period=p, teams=teams, **kwargs)
    ComponentFactory(plan=plan, kpi=kpi("fcr"), weight=D(3), threshold=70, target=80, stretch=90, position=0)
    ComponentFactory(plan=plan, kpi=kpi("nps"), weight=D(1), threshold=20, target=40, stretch=60, position=1)
    return plan


def _run_line(plan: Plan, cco, person) -> PayoutLine:
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    return PayoutLine.objects.get(run=run, person=person)


def test_the_estimate_equals_a_hand_calculation_and_the_line_of_a_run_on_the_same_data(
    client, cco, this_month, team_a, employee_a
):
    _figures(team_a, this_month.start)  # FCR 85.0, NPS (10 - 5) / 20 = 25
    plan = _fcr_nps_plan(this_month, [team_a])
    person = employee_a.person

    (estimate,) = estimates(person_id=person.pk, plans=current_plans())

    # By hand: FCR 85 is halfway from target to stretch -> 100 + 50 * 0.5 = 125 %; NPS 25 is a quarter of
    # the way from threshold to target -> 50 + 50 * 0.25 = 62.5 %. Weighted (3 * 125 + 62.5) / 4 = 109.375 %
    # of 300 EUR for the full period = 328.125, rounded half up once: 328.13.
    assert estimate.line.exact_amount == D("328.125")
    assert estimate.line.amount == D("328.13")
    (stint,) = estimate.line.stints
    assert [c.payout_pct for c in stint.components] == [D(125), D("62.5")]

    line = _run_line(plan, cco, person)
    assert line.amount == estimate.line.amount
    assert line.exact_amount == estimate.line.exact_amount
    assert line.target_amount == estimate.line.target_amount

    _count, body = home_with_query_count(client, employee_a)
    assert 'data-home-panel="incentives.estimate"' in body
    assert "My incentive progress this period" in body
    assert LABEL in body
    assert "Service bonus" in body
    assert "EUR 328.13" in body
    assert "between target and stretch" in body  # where FCR stands on the curve


def test_the_estimate_is_money_in_the_readers_language(client, this_month, team_a, employee_a):
    _figures(team_a, this_month.start)
    _fcr_nps_plan(this_month, [team_a])
    employee_a.language = "sv"
    employee_a.save(update_fields=["language"])

    _count, body = home_with_query_count(client, employee_a)

    assert "Mina incitament hittills den här perioden" in body
    assert LABEL_SV in body
    assert "328,13\xa0€" in body


def test_estimates_across_moves_roles_departments_and_overrides_equal_the_runs_lines(cco, this_month, team_a):
    """Several plans at once through the batched reading, person by person, against real runs."""
    span = parse_period(this_month.code)
    department = DepartmentFactory(name="Service")
    team_b = TeamFactory(name="Team B", slug="team-b", department=department)
    _figures(team_a, span.start, fcr=78, promoters=12, passives=4, detractors=4)
    _figures(team_b, span.start, fcr=92, promoters=6, passives=6, detractors=8)
    mover = PersonFactory(name="Mover")
    move = span.start + dt.timedelta(days=9)
    MembershipFactory(person=mover, team=team_a, start=dt.date(2024, 1, 1), end=move)
    MembershipFactory(person=mover, team=team_b, start=move + dt.timedelta(days=1))
    joiner = PersonFactory(name="Joiner")
    MembershipFactory(person=joiner, team=team_b, start=span.start + dt.timedelta(days=4))
    lead = PersonFactory(name="Lead")
    MembershipFactory(person=lead, team=team_a, role=Membership.Role.LEAD)
    by_teams = _fcr_nps_plan(this_month, [team_a, team_b], name="By teams")
    by_department = _fcr_nps_plan(this_month, [], name="By department", target_amount=D("250.00"))
    by_department.eligible_departments.set([department])
    leads_only = _fcr_nps_plan(this_month, [], name="Leads", eligible_roles=[Membership.Role.LEAD])
    services.set_override(plan=by_teams, person_id=mover.pk, target_amount=D("450.00"), actor=cco)
    plans = [by_teams, by_department, leads_only]

    compared = 0
    for plan in plans:
        run = services.create_payout_run(plan=plan, actor=cco)
        services.calculate_payouts(run_id=run.pk, actor=cco)
    for person in (mover, joiner, lead):
        found = {e.plan.pk: e for e in estimates(person_id=person.pk, plans=current_plans())}
        lines = {line.run.plan_id: line for line in PayoutLine.objects.filter(person=person).select_related("run")}
        assert set(found) == set(lines), person.name
        for plan_id, estimate in found.items():
            line = lines[plan_id]
            stored = (  # the run stores the exact amount to 10 places and the proration to 6
                estimate.line.amount,
                estimate.line.exact_amount.quantize(D("1E-10")),
                estimate.line.proration.quantize(D("0.000001")),
            )
            assert stored == (
                line.amount,
                line.exact_amount,
                line.proration,
            ), (person.name, plan_id)
            compared += 1
    assert compared == 6  # mover, joiner: teams + department (team B); lead: teams + leads
    assert not estimates(person_id=PersonFactory().pk, plans=current_plans())


def test_a_person_sees_only_their_own_estimate(client, cco, this_month, team_a, lead_a, employee_a):
    _figures(team_a, this_month.start)
    plan = _fcr_nps_plan(this_month, [team_a])
    other, other_person = person_with_login(team_a, Membership.Role.MEMBER, "other@example.com")
    services.set_override(plan=plan, person_id=other_person.pk, target_amount=D("600.00"), actor=cco)
    services.set_override(plan=plan, person_id=lead_a.person.pk, target_amount=D("900.00"), actor=cco)
    amounts = {employee_a: "EUR 328.13", other: "EUR 656.25", lead_a: "EUR 984.38"}  # 109.375 % of each

    for user, own in amounts.items():
        _count, body = home_with_query_count(client, user)
        assert body.count("data-home-estimate=") == 1, user.email
        assert own in body, user.email
        for someone_else, theirs in amounts.items():
            if someone_else != user:
                assert theirs not in body, (user.email, theirs)


def test_nothing_for_someone_in_no_plan_or_in_no_current_plan(client, cco, this_month, team_a, team_b, lead_b):
    _figures(team_a, this_month.start)
    _fcr_nps_plan(this_month, [team_a])
    _fcr_nps_plan(this_month, [team_b], name="Draft", status=Plan.Status.DRAFT)
    _fcr_nps_plan(period("2020-01"), [team_b], name="Old, still open")
    closed = period("2020-02", closed=True)
    _fcr_nps_plan(closed, [team_b], name="Closed period")

    for user in (lead_b, cco):  # team B is in no active plan of this period; the CCO is no participant
        _count, body = home_with_query_count(client, user)
        assert 'data-home-panel="incentives.estimate"' not in body, user.email
        assert LABEL not in body


def test_the_home_costs_the_same_queries_for_one_plan_as_for_five(client, cco, this_month, team_a, employee_a):
    _figures(team_a, this_month.start)
    for code in ("csat", "aht"):
        measure(team_a, code, this_month.start, value=4)
    _fcr_nps_plan(this_month, [team_a], name="Plan 1")
    one, body = home_with_query_count(client, employee_a)
    assert body.count("data-home-estimate=") == 1

    for number in range(2, 6):
        plan = _fcr_nps_plan(this_month, [team_a], name=f"Plan {number}")
        Component.objects.filter(plan=plan, kpi__code="nps").update(kpi=kpi("csat" if number % 2 else "aht"))
    for number in range(6):
        person_with_login(team_a, Membership.Role.MEMBER, f"colleague{number}@example.com")

    five, body = home_with_query_count(client, employee_a)
    assert body.count("data-home-estimate=") == 5
    assert five == one, f"{one} queries for one plan, {five} for five"
