"""Incentive pages as anonymous, unauthorised and authorised users; scoping; exports; query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culture.models import Membership
from incentives import services
from incentives.models import Adjustment, PayoutLine, PayoutRun, Plan
from tests.factories import MembershipFactory, PersonFactory

from .conftest import person_with_login
from .factories import ComponentFactory, close_period_of, kpi

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="90")
    created = services.create_payout_run(plan=plan, actor=cco)
    return services.calculate_payouts(run_id=created.pk, actor=cco)


def _line_of(run, user):
    return PayoutLine.objects.get(run=run, person__user=user)


# --- anonymous / unauthorised / authorised ------------------------------------------------------
@pytest.mark.parametrize("name", ["incentives:plan_list", "incentives:statement_list"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_recruiter_has_no_access_to_incentives(client, recruiter, run):
    client.force_login(recruiter)
    assert client.get(reverse("incentives:plan_list")).status_code == 403
    assert client.get(reverse("incentives:statement_list")).status_code == 403
    assert client.get(reverse("incentives:run_detail", args=[run.pk])).status_code == 403


def test_cco_sees_plans_runs_and_every_line(client, cco, run):
    client.force_login(cco)
    assert client.get(reverse("incentives:plan_list")).status_code == 200
    assert client.get(reverse("incentives:plan_detail", args=[run.plan_id])).status_code == 200
    response = client.get(reverse("incentives:run_detail", args=[run.pk]))
    assert response.status_code == 200
    assert len(response.context["table"].rows) == run.line_count


def test_employee_sees_only_their_own_statement_once_approved(client, run, team_b, scorecards, cco, cco2):
    user, person = person_with_login(team_b, Membership.Role.MEMBER, "emp.b@example.com")
    services.calculate_payouts(run_id=run.pk, actor=cco)
    client.force_login(user)
    draft_line = _line_of(run, user)
    assert client.get(reverse("incentives:statement", args=[draft_line.pk])).status_code == 404
    close_period_of(run.plan)
    services.approve_payout_run(run_id=run.pk, actor=cco2)
    response = client.get(reverse("incentives:statement_list"))
    assert [row.record.person_id for row in response.context["table"].rows] == [person.pk]
    own = _line_of(run, user)
    assert client.get(reverse("incentives:statement", args=[own.pk])).status_code == 200
    other = PayoutLine.objects.filter(run=run).exclude(pk=own.pk).first()
    assert client.get(reverse("incentives:statement", args=[other.pk])).status_code == 404


def test_lead_sees_their_teams_lines_including_a_member_who_left(client, run, team_a, cco, org):
    lead, _person = person_with_login(team_a, Membership.Role.LEAD, "lead.x@example.com")
    services.calculate_payouts(run_id=run.pk, actor=cco)
    client.force_login(lead)
    response = client.get(reverse("incentives:run_detail", args=[run.pk]))
    names = sorted(row.record.person.name for row in response.context["table"].rows)
    assert names == ["Mover", "lead.x"]  # the mover spent 10 days in Team A; the stayer never did
    stayer = PayoutLine.objects.get(run=run, person=org["stayer"])
    assert client.get(reverse("incentives:statement", args=[stayer.pk])).status_code == 404


def test_lead_cannot_approve_or_recalculate(client, run, lead_a):
    client.force_login(lead_a)
    assert client.post(reverse("incentives:run_recalculate", args=[run.pk])).status_code == 403
    assert client.post(reverse("incentives:run_approve", args=[run.pk])).status_code in (403, 302)
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.DRAFT


def test_employee_of_an_uncovered_team_gets_404_on_the_run(client, run, other_team):
    user, _person = person_with_login(other_team, Membership.Role.MEMBER, "far@example.com")
    client.force_login(user)
    assert client.get(reverse("incentives:run_detail", args=[run.pk])).status_code == 404


# --- statement explains every number ------------------------------------------------------------
def test_statement_explains_kpi_actual_curve_point_and_amount(client, cco, run, org):
    client.force_login(cco)
    mover = PayoutLine.objects.get(run=run, person=org["mover"])
    html = client.get(reverse("incentives:statement", args=[mover.pk])).content.decode()
    assert (
        "FCR (Team A) 80.0 -&gt; between target and stretch -&gt; 100.00 % of target x 100.0 % weight -&gt; EUR 100.00"
        in html
    )
    assert "FCR (Team B) 90.0 -&gt; at or beyond stretch -&gt; 150.00 % of target" in html
    assert "Moved teams during the period" in html
    assert "EUR 400.00" in html


# --- export for payroll -------------------------------------------------------------------------
def test_run_exports_csv_for_payroll_with_neutralised_cells(client, cco, run, org):
    org["stayer"].name = "=HYPERLINK(evil)"
    org["stayer"].save()
    client.force_login(cco)
    response = client.get(reverse("incentives:run_detail", args=[run.pk]), {"_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == [
        "Employee number",
        "Person",
        "Main team",
        "Proration",
        "Target",
        "Line amount",
        "Approved adjustments",
        "Total",
        "Currency",
    ]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Mover"][5:8] == ["400.00", "0.00", "400.00"]  # in the currency's minor unit
    assert "'=HYPERLINK(evil)" in by_name


def test_run_exports_xlsx(client, cco, run):
    client.force_login(cco)
    response = client.get(reverse("incentives:run_detail", args=[run.pk]), {"_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- query counts independent of the number of people -------------------------------------------
def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_people(team, count):
    for _ in range(count):
        MembershipFactory(person=PersonFactory(), team=team, start=dt.date(2025, 1, 1))


def test_run_detail_and_statement_list_query_counts_do_not_grow(client, cco, run, team_b):
    client.force_login(cco)
    urls = [reverse("incentives:run_detail", args=[run.pk]), reverse("incentives:statement_list")]
    few = [_queries(client, url) for url in urls]
    _add_people(team_b, 25)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    assert PayoutLine.objects.filter(run=run).count() == 27
    many = [_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 15


def test_statement_query_count_does_not_grow_with_stints(client, cco, run, org):
    client.force_login(cco)
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    assert _queries(client, reverse("incentives:statement", args=[line.pk])) <= 12


# --- what-if ------------------------------------------------------------------------------------
def test_employee_what_if_shows_the_hypothetical_payout(client, run, team_b, scorecards):
    user, _person = person_with_login(team_b, Membership.Role.MEMBER, "whatif@example.com")
    client.force_login(user)
    component = run.plan.components.get()
    url = reverse("incentives:what_if", args=[run.plan_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"c{component.pk}": "80"})
    assert response.status_code == 200
    assert response.context["result"].amount == D("300.00")
    assert response.context["baseline"].amount == D("450.00")


def test_employee_cannot_what_if_another_person(client, run, team_b, org):
    user, _person = person_with_login(team_b, Membership.Role.MEMBER, "nosy@example.com")
    client.force_login(user)
    url = reverse("incentives:what_if", args=[run.plan_id]) + f"?person={org['stayer'].pk}"
    response = client.get(url)
    assert response.status_code == 200  # a message, never another person's figures
    assert response.context["baseline"] is None
    assert "That person is not covered by this plan" in response.content.decode()


def test_lead_what_if_for_a_member(client, run, team_b, org):
    lead, _person = person_with_login(team_b, Membership.Role.LEAD, "leadb2@example.com")
    client.force_login(lead)
    url = reverse("incentives:what_if", args=[run.plan_id]) + f"?person={org['stayer'].pk}"
    assert client.get(url).status_code == 200


def test_what_if_for_a_plan_the_user_cannot_see_is_404(client, run, other_team):
    user, _person = person_with_login(other_team, Membership.Role.MEMBER, "out@example.com")
    client.force_login(user)
    assert client.get(reverse("incentives:what_if", args=[run.plan_id])).status_code == 404


# --- plans and components -----------------------------------------------------------------------
def test_cco_creates_a_plan_and_rejects_a_degenerate_curve(client, cco, team_a):
    from culture.models import Kpi, Period

    period, _created = Period.objects.get_or_create_for_code("2026-10")
    client.force_login(cco)
    response = client.post(
        reverse("incentives:plan_create"),
        {
            "name": "Q4 bonus",
            "period": period.pk,
            "reward_type": "cash",
            "currency": "EUR",
            "target_amount": "500",
            "eligible_teams": [team_a.pk],
            "status": "active",
        },
    )
    plan = Plan.objects.get(name="Q4 bonus")
    assert response.status_code == 302
    assert list(plan.eligible_teams.all()) == [team_a]
    fcr = Kpi.objects.get(code="fcr")
    url = reverse("incentives:component_create", args=[plan.pk])
    fields = {"kpi": fcr.pk, "level": "team", "weight": "1", "threshold_payout_pct": "50"}
    fields |= {"stretch_payout_pct": "150", "cap_pct": "150", "position": "0"}
    response = client.post(url, {**fields, "threshold": "80", "target": "80", "stretch": "90"})
    assert response.status_code == 200
    assert "The threshold must be below the target." in response.content.decode()
    response = client.post(url, {**fields, "threshold": "70", "target": "80", "stretch": "90", "min_sample": "30"})
    assert "survey KPIs" in response.content.decode()
    response = client.post(url, {**fields, "threshold": "70", "target": "80", "stretch": "90"})
    assert response.status_code == 302
    assert plan.components.count() == 1


def test_points_plan_must_pay_in_points(client, cco):
    from culture.models import Period

    period, _created = Period.objects.get_or_create_for_code("2026-10")
    client.force_login(cco)
    data = {"name": "P", "period": period.pk, "reward_type": "points", "currency": "EUR", "target_amount": "100"}
    response = client.post(reverse("incentives:plan_create"), {**data, "status": "active"})
    assert response.status_code == 200
    assert "Points plans pay in PTS." in response.content.decode()


def test_lead_cannot_create_plans(client, lead_a):
    client.force_login(lead_a)
    assert client.get(reverse("incentives:plan_create")).status_code == 403


def test_new_run_is_calculated_by_the_task(
    client, cco, plan, org, team_b, scorecards, django_capture_on_commit_callbacks
):
    scorecards.set("team", team_b.pk, fcr="80")
    client.force_login(cco)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incentives:run_create", args=[plan.pk]))
    run = PayoutRun.objects.get(plan=plan)
    assert response.status_code == 302
    assert run.computed_at is not None
    assert run.lines.get(person=org["stayer"]).amount == D("300.00")


def test_impact_page_for_cco_only(client, cco, lead_a, run, team_a, team_b, other_team, scorecards):
    ComponentFactory(
        plan=run.plan,
        kpi=kpi("nps"),
        threshold=10,
        target=20,
        stretch=40,
    )
    client.force_login(lead_a)
    assert client.get(reverse("incentives:plan_impact", args=[run.plan_id])).status_code == 403
    client.force_login(cco)
    assert client.get(reverse("incentives:plan_impact", args=[run.plan_id])).status_code == 200


def test_seed_demo_adds_the_two_plans_and_spent_runs_in_the_months_before():
    from django.core.management import call_command

    call_command("seed_demo", teams=4, people_per_team=3)
    cash_plans = Plan.objects.filter(name="Customer Care bonus").order_by("period__start")
    # the two closed months before last month: a paid run, then an approved one (incentive spend for the
    # board report); last month: the draft run to look at; this month: running, no run yet (the home's estimate)
    assert [r.status for p in cash_plans for r in p.runs.all()] == ["paid", "approved", "draft"]
    assert all(r.approved_by != r.prepared_by for p in cash_plans[:2] for r in p.runs.all())
    assert cash_plans.count() == 4 and not cash_plans.last().runs.exists()
    cash = cash_plans[2]
    points = Plan.objects.get(name="Service points")
    assert cash.components.filter(is_gate=True, kpi__code="csat").exists()
    assert sorted(points.components.values_list("kpi__code", flat=True)) == ["fcr", "nps"]
    assert points.currency == "PTS"
    run = PayoutRun.objects.get(plan=cash)
    assert run.status == PayoutRun.Status.DRAFT
    assert run.total == sum(run.lines.values_list("amount", flat=True))
    for component in [*cash.components.all(), *points.components.all()]:
        component.full_clean()


def test_what_if_is_forbidden_to_hr_and_sends_anonymous_to_login(client, recruiter, plan):
    url = reverse("incentives:what_if", args=[plan.pk])
    assert client.get(url).status_code == 302
    client.force_login(recruiter)
    assert client.get(url).status_code == 403


def test_task_twice_on_a_draft_gives_the_same_lines(cco, run):
    from incentives.tasks import calculate_payouts_task

    before = sorted(run.lines.values_list("person_id", "amount"))
    assert calculate_payouts_task(run.pk) == "done"
    assert calculate_payouts_task(run.pk) == "done"
    assert sorted(run.lines.values_list("person_id", "amount")) == before


def test_cco_form_pages_render(client, cco, cco2, run):
    client.force_login(cco)
    component = run.plan.components.get()
    for url in (
        reverse("incentives:plan_create"),
        reverse("incentives:plan_update", args=[run.plan_id]),
        reverse("incentives:component_update", args=[run.plan_id, component.pk]),
        reverse("incentives:override", args=[run.plan_id]),
        reverse("incentives:adjustment_create", args=[run.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_adjustment_page_corrects_an_approved_run(client, cco, cco2, run, org):
    close_period_of(run.plan)
    services.approve_payout_run(run_id=run.pk, actor=cco2)
    client.force_login(cco)
    url = reverse("incentives:adjustment_create", args=[run.pk])
    form = {"person": org["stayer"].pk, "amount": "-12.50", "reason_code": "membership", "reason": "double-counted day"}
    response = client.post(url, form)
    assert response.status_code == 302
    line = PayoutLine.objects.get(run=run, person=org["stayer"])
    page = client.get(reverse("incentives:statement", args=[line.pk])).content.decode()
    assert "double-counted day" not in page  # a draft adjustment counts nowhere until someone else approves it
    assert "EUR 450.00" in page
    adjustment = Adjustment.objects.get(run=run)
    client.force_login(cco2)
    pack = client.get(reverse("incentives:run_approval", args=[run.pk])).content.decode()
    assert "Approve adjustment" in pack
    assert client.post(reverse("incentives:adjustment_approve", args=[adjustment.pk])).status_code == 302
    client.force_login(cco)
    page = client.get(reverse("incentives:statement", args=[line.pk])).content.decode()
    assert "double-counted day" in page
    assert "EUR 437.50 (line EUR 450.00 plus adjustments)" in page


def test_lead_cannot_open_the_adjustment_page(client, lead_a, run):
    client.force_login(lead_a)
    assert client.get(reverse("incentives:adjustment_create", args=[run.pk])).status_code == 403
    assert client.get(reverse("incentives:adjustment_create", args=[99999])).status_code == 403
