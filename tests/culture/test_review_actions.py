"""Review actions as tracked items: carried into later reviews until done, amber actions, closing one,
overdue reminders (once per action, due date and person) and the culture items on the home page."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.due import due_for
from core.models import AuditEntry, Notification
from core.notifications import send_pending
from culture.models import ReviewAction
from culture.scorecards.actions import carried_actions, complete_action, remind_overdue_actions
from culture.scorecards.services import ActionInput, submit_review

from .scorecard_helpers import measure, period, target

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 10, 15)


@pytest.fixture
def two_months(team_a):
    september, october = period("2026-09"), period("2026-10")
    for p in (september, october):
        target("fcr", p, 70, 65, 60)
        target("aht", p, 300, 330, 360)
    measure(team_a, "fcr", "2026-09-01", numerator=50, denominator=100)  # red
    measure(team_a, "aht", "2026-09-01", value=340, sample_size=10)  # amber
    measure(team_a, "fcr", "2026-10-01", numerator=55, denominator=100)  # red again
    return september, october


def _september(lead, team, september, owner_user):
    """September's review with one action on the red FCR, owned by `owner_user`."""
    return submit_review(
        actor=lead, team=team, period=september, comment="ok", actions=[_answer("fcr", owner_user.person)]
    )


def _answer(code, owner, due=DUE):
    return ActionInput(code, "cause", f"fix {code}", owner.pk, due)


def test_an_amber_kpi_may_have_an_action_and_a_red_one_must(two_months, lead_a, team_a, employee_a):
    september, _ = two_months
    owner = employee_a.person
    review = submit_review(
        actor=lead_a,
        team=team_a,
        period=september,
        comment="ok",
        actions=[_answer("fcr", owner), _answer("aht", owner)],
    )
    assert sorted(review.actions.values_list("kpi__code", "status")) == [("aht", "open"), ("fcr", "open")]


def test_an_open_action_is_carried_into_the_next_review_and_covers_its_red_kpi(two_months, lead_a, team_a, employee_a):
    september, october = two_months
    _september(lead_a, team_a, september, employee_a)

    october_review = submit_review(actor=lead_a, team=team_a, period=october, comment="still red", actions=[])

    carried = carried_actions(team=team_a, start=october.start)
    assert [(a.kpi.code, a.review.period.code) for a in carried] == [("fcr", "2026-09")]
    assert october_review.actions.count() == 0  # shown there, not copied
    assert ReviewAction.objects.count() == 1


def test_a_done_action_is_no_longer_carried_and_the_red_kpi_needs_a_new_one(two_months, lead_a, team_a, employee_a):
    september, october = two_months
    _september(lead_a, team_a, september, employee_a)
    action = ReviewAction.objects.get()

    complete_action(actor=employee_a, action_id=action.pk)

    action.refresh_from_db()
    assert (action.status, action.done_by) == ("done", employee_a)
    assert carried_actions(team=team_a, start=october.start) == []
    with pytest.raises(Exception, match="missing fcr"):
        submit_review(actor=lead_a, team=team_a, period=october, comment="still red", actions=[])
    assert AuditEntry.objects.filter(action="review_action.done", object_id=str(action.pk)).count() == 1


def test_only_owner_lead_or_executive_closes_an_action(two_months, lead_a, team_a, employee_a, cco):
    from culture.models import Membership
    from tests.conftest import _person_in

    colleague = _person_in(team_a, Membership.Role.MEMBER, "colleague@example.com")
    september, _ = two_months
    _september(lead_a, team_a, september, employee_a)
    action = ReviewAction.objects.get()

    with pytest.raises(PermissionDenied):
        complete_action(actor=colleague, action_id=action.pk)
    complete_action(actor=lead_a, action_id=action.pk)
    complete_action(actor=cco, action_id=action.pk)  # already done: a no-op

    assert AuditEntry.objects.filter(action="review_action.done").count() == 1


def test_overdue_reminders_go_to_owner_and_lead_once(two_months, lead_a, team_a, employee_a):
    september, _ = two_months
    _september(lead_a, team_a, september, employee_a)

    assert remind_overdue_actions(today=DUE) == 0  # due today is not overdue
    assert remind_overdue_actions(today=DUE + dt.timedelta(days=1)) == 2
    assert remind_overdue_actions(today=DUE + dt.timedelta(days=2)) == 0
    send_pending()

    assert sorted(m.to[0] for m in mail.outbox) == ["employee.a@example.com", "lead.a@example.com"]
    assert Notification.objects.count() == 2
    owner_mail = next(m for m in mail.outbox if m.to == ["employee.a@example.com"])
    assert "Your action on" in owner_mail.body
    assert reverse("culture:action_detail", args=[ReviewAction.objects.get().pk]) in owner_mail.body


def test_a_done_action_is_not_reminded(two_months, lead_a, team_a, employee_a):
    september, _ = two_months
    _september(lead_a, team_a, september, employee_a)
    complete_action(actor=lead_a, action_id=ReviewAction.objects.get().pk)

    assert remind_overdue_actions(today=DUE + dt.timedelta(days=5)) == 0


def test_home_lists_the_owners_action_until_done(client, two_months, lead_a, team_a, employee_a):
    september, _ = two_months
    _september(lead_a, team_a, september, employee_a)
    action = ReviewAction.objects.get()
    client.force_login(employee_a)

    assert [i.kind for i in due_for(employee_a)] == ["culture.action"]
    assert action.get_absolute_url() in client.get("/").content.decode()
    page = client.get(action.get_absolute_url())
    assert page.status_code == 200 and "Mark done" in page.content.decode()

    response = client.post(action.get_absolute_url())

    assert response.status_code == 302
    assert [i.kind for i in due_for(employee_a)] == []


def test_a_member_not_owning_the_action_sees_it_but_cannot_close_it(client, two_months, lead_a, team_a, employee_a):
    from culture.models import Membership
    from tests.conftest import _person_in

    colleague = _person_in(team_a, Membership.Role.MEMBER, "colleague@example.com")
    september, _ = two_months
    _september(lead_a, team_a, september, employee_a)
    action = ReviewAction.objects.get()
    client.force_login(colleague)

    assert "Mark done" not in client.get(action.get_absolute_url()).content.decode()
    assert client.post(action.get_absolute_url()).status_code == 403


def test_another_teams_lead_gets_a_404(client, two_months, lead_a, lead_b, team_a, employee_a):
    september, _ = two_months
    _september(lead_a, team_a, september, employee_a)
    client.force_login(lead_b)

    assert client.get(ReviewAction.objects.get().get_absolute_url()).status_code == 404


def test_the_review_form_shows_the_carried_action(client, two_months, lead_a, team_a, employee_a):
    september, _ = two_months
    _september(lead_a, team_a, september, employee_a)
    client.force_login(lead_a)

    body = client.get(reverse("culture:review_edit", args=["team-a"]) + "?period=2026-10").content.decode()

    assert "carried from 2026-09" in body
    assert 'name="kpi-fcr-action"' not in body  # covered: no second form for fcr


def test_a_red_kpi_covered_by_a_carried_action_is_not_flagged(client, two_months, lead_a, team_a, employee_a, cco):
    september, _ = two_months
    _september(lead_a, team_a, september, employee_a)
    client.force_login(lead_a)

    scorecard = client.get(reverse("culture:team_scorecard", args=["team-a"]) + "?period=2026-10").content.decode()
    client.force_login(cco)
    status = client.get(reverse("culture:review_status") + "?period=2026-10").context["table"].data.data

    assert "Red without an action" not in scorecard
    assert [row["red_without_action"] for row in status if row["team"] == team_a] == [[]]
