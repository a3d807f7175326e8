"""Every role's home shows what is due for them: the CCO's headline, a lead's teams with their review and open
actions, an employee's customer impact; the home's query count does not grow with the items shown."""

import datetime as dt

import pytest

from core.due import due_for
from culture.models import Membership, Period, Review, ReviewAction
from culture.scorecards.building import default_period_code
from tests.conftest import _person_in
from tests.factories import TeamFactory
from tests.pages import home_with_query_count

from .scorecard_helpers import kpi, measure, period, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month(team_a):
    code = default_period_code()
    p = period(code)
    target("fcr", p, 70, 65, 60)
    measure(team_a, "fcr", p.start, numerator=50, denominator=100)  # red
    return p


def _actions(review, owner, count):
    kpis = ["fcr", "csat", "nps", "aht", "ces", "churn_rate", "retention_rate", "self_service_rate"]
    for code in kpis[:count]:
        ReviewAction.objects.create(
            review=review, kpi=kpi(code), comment="c", action=f"improve {code}", owner=owner, due_date=review.period.end
        )


def test_employee_home_shows_the_teams_kpis_and_what_it_is_asked_to_improve(client, last_month, lead_a, employee_a):
    review = Review.objects.create(team=lead_a.person.memberships.get().team, period=last_month, comment="x")
    _actions(review, employee_a.person, 1)

    _count, body = home_with_query_count(client, employee_a)

    assert 'data-home-panel="culture.team"' in body
    assert "My customer impact" in body
    assert "improve fcr" in body
    assert 'data-home-panel="culture.company"' not in body


def test_lead_home_links_the_review_due_and_the_cco_sees_the_headline(client, team_a, lead_a, cco, employee_a):
    ended = period("2020-01")  # open and ended: the review is due, and the period is there to close
    assert ended.status == Period.Status.OPEN

    lead_kinds = {item.kind for item in due_for(lead_a)}
    cco_kinds = {item.kind for item in due_for(cco)}
    _count, body = home_with_query_count(client, cco)

    assert "culture.review" in lead_kinds and "culture.close" not in lead_kinds
    assert "culture.close" in cco_kinds and "culture.review" not in cco_kinds
    assert 'data-home-panel="culture.company"' in body
    assert "Company composite score" in body
    assert "culture.review" not in {item.kind for item in due_for(employee_a)}


def test_a_submitted_review_is_no_longer_due(team_a, lead_a):
    ended = period("2020-01")
    Review.objects.create(team=team_a, period=ended, comment="done", submitted_by=lead_a)

    assert "culture.review" not in {item.kind for item in due_for(lead_a)}


def test_employee_home_query_count_does_not_grow_with_open_actions(client, last_month, team_a, lead_a, employee_a):
    review = Review.objects.create(team=team_a, period=last_month, comment="x")
    _actions(review, employee_a.person, 1)
    few, _body = home_with_query_count(client, employee_a)
    ReviewAction.objects.all().delete()
    _actions(review, employee_a.person, 8)

    many, body = home_with_query_count(client, employee_a)

    assert body.count("data-open-action=") == 8
    assert many == few


def test_lead_home_query_count_does_not_grow_with_teams_led(client, last_month, team_a, lead_a):
    one, _body = home_with_query_count(client, lead_a)
    for number in range(4):
        team = TeamFactory(name=f"Extra {number}", slug=f"extra-{number}")
        Membership.objects.create(person=lead_a.person, team=team, role=Membership.Role.LEAD, start=dt.date(2024, 1, 1))
        measure(team, "fcr", last_month.start, numerator=70, denominator=100)
        review = Review.objects.create(team=team, period=last_month, comment="x")
        _actions(review, lead_a.person, 2)

    five, body = home_with_query_count(client, lead_a)

    assert body.count("data-home-team=") == 5
    assert five == one


def test_an_approver_sees_a_run_whose_approval_was_requested_until_approved(cco):
    from incentives import services
    from tests.incentives.factories import ComponentFactory, PlanFactory, close_period_of

    preparer = _person_in(TeamFactory(), Membership.Role.LEAD, "prep@example.com")
    plan = PlanFactory(period=period(default_period_code()))
    ComponentFactory(plan=plan)
    run = services.create_payout_run(plan=plan, actor=preparer)
    services.calculate_payouts(run_id=run.pk, actor=preparer)
    assert [i for i in due_for(cco) if i.section == "Incentives"] == []  # calculated, not yet put forward
    close_period_of(plan)
    services.request_approval(run_id=run.pk, actor=preparer)

    assert [i.kind for i in due_for(cco) if i.section == "Incentives"] == ["incentives.approve_run"]
    services.approve_payout_run(run_id=run.pk, actor=cco)
    assert [i for i in due_for(cco) if i.section == "Incentives"] == []
