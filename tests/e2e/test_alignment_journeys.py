"""Alignment journeys (issue 16): a seeded due item appears on a lead's and an employee's home, its link opens
and it disappears once done; a lead's open action is carried into the next period until done; a colleague
recognises another. axe finds nothing serious or critical on any page visited."""

from __future__ import annotations

import datetime as dt

import pytest

from culture.models import Membership, Period, Recognition, Review, ReviewAction
from culture.scorecards.building import default_period_code
from culture.scorecards.periods import parse_period, shift_period
from tests.culture.scorecard_helpers import kpi, period

from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ACTION_TEXT = "Call back every caller whose issue stayed open"


@pytest.fixture
def open_action(team_a, lead_a, employee_a):
    """Last month's review of team A with one open FCR action owned by the employee, due yesterday."""
    last_month = period(default_period_code())
    review = Review.objects.create(team=team_a, period=last_month, comment="A hard month", submitted_by=lead_a)
    return ReviewAction.objects.create(
        review=review,
        kpi=kpi("fcr"),
        comment="Callbacks were missed",
        action=ACTION_TEXT,
        owner=employee_a.person,
        due_date=dt.date.today() - dt.timedelta(days=1),
    )


def _due_links(page, kind: str):
    return page.locator(f"[data-due-kind='{kind}'] a")


def test_employee_marks_their_action_done_from_the_home_page(page, open_action, employee_a):
    log_in(page, employee_a.email)
    assert _due_links(page, "culture.action").count() == 1
    assert ACTION_TEXT in page.locator("[data-home-panel='culture.team']").inner_text()
    assert_accessible(page)
    screenshot(page, "alignment-employee-home")

    _due_links(page, "culture.action").first.click()
    page.wait_for_url(f"**/culture/actions/{open_action.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Mark done").click()
    page.wait_for_url(f"**/culture/actions/{open_action.pk}/")
    assert page.locator("[data-action-status]").get_attribute("data-action-status") == "done"

    page.goto("/")
    assert _due_links(page, "culture.action").count() == 0
    assert ACTION_TEXT not in page.locator("[data-home-panel='culture.team']").inner_text()


def test_lead_reviews_the_due_period_and_the_open_action_is_carried_until_done(page, open_action, lead_a):
    last_month = open_action.review.period
    ended = shift_period(parse_period(last_month.code), -1)
    Period.objects.get_or_create_for_code(ended.code)  # ended and open: its review is due

    log_in(page, lead_a.email)
    review_link = _due_links(page, "culture.review").filter(has_text=ended.code)
    assert review_link.count() == 1
    assert_accessible(page)
    review_link.click()
    page.wait_for_url("**/review/?period=*")
    assert_accessible(page)
    page.fill("textarea[name=comment]", "Quiet month; nothing off track.")
    page.get_by_role("button", name="Submit review").click()
    page.wait_for_url("**/culture/scorecards/teams/*/?period=*")
    page.goto("/")
    assert _due_links(page, "culture.review").filter(has_text=ended.code).count() == 0

    # The month after last month: the open action is carried (shown, not copied) until it is done.
    following = shift_period(parse_period(last_month.code), 1).code
    period(following)
    page.goto(f"/culture/scorecards/teams/{open_action.review.team.slug}/review/?period={following}")
    carried = page.locator(f"[data-carried-action='{open_action.pk}']")
    assert carried.count() == 1 and f"carried from {last_month.code}" in carried.inner_text()
    assert_accessible(page)
    screenshot(page, "alignment-review-carried")
    carried.get_by_role("link").click()
    page.wait_for_url(f"**/culture/actions/{open_action.pk}/")
    page.get_by_role("button", name="Mark done").click()
    page.wait_for_url(f"**/culture/actions/{open_action.pk}/")
    page.goto(f"/culture/scorecards/teams/{open_action.review.team.slug}/review/?period={following}")
    assert page.locator("[data-carried-action]").count() == 0
    assert ReviewAction.objects.count() == 1


def test_a_colleague_recognises_another(page, open_page, employee_a, lead_a):
    assert Membership.objects.filter(person=lead_a.person).exists()
    log_in(page, employee_a.email)
    page.goto("/culture/recognition/new/")
    assert_accessible(page)
    page.get_by_label("Colleague").select_option(label=lead_a.person.name)
    page.get_by_label("Culture value").select_option("empathy")
    page.get_by_label("What did they do for the customer?").fill(
        "Sat with a confused customer for an hour until the invoice made sense."
    )
    page.get_by_role("button", name="Recognise").click()
    page.wait_for_url("**/culture/recognition/")
    assert "Team A: 1" in page.locator("[data-team-count]").first.inner_text()
    assert_accessible(page)
    assert Recognition.objects.get().person == lead_a.person

    other = open_page()
    log_in(other, lead_a.email)
    panel = other.locator("[data-home-panel='culture.recognition']")
    assert "invoice made sense" in panel.inner_text()
    assert_accessible(other)
    screenshot(other, "alignment-recognition-home")
