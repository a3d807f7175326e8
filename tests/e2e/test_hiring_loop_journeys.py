"""The closed hiring loop in the browser: invitation, reminders, draft notes, two scorecards, debrief, a hire below the
bar with its reason, the hire in the team, and the 90-day review scheduled.

Fixtures create only the org, the users and a published rubric (see test_hiring_journeys); the rest is done
through the pages.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.formatting import format_day
from core.models import Notification
from hiring.models import HireReview, Interview
from hiring.tasks import send_scorecard_reminders

from .conftest import assert_accessible, log_in, screenshot
from .test_hiring_journeys import CANDIDATE, hiring_org, recruiter_schedules_interview  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DRAFT_NOTE = "Owned the refund mix-up without being asked"
SECOND_NOTE = "Spoke over the caller twice"
BELOW_BAR_REASON = "The only applicant who speaks Portuguese and Cantonese; coaching plan agreed."
REMINDER_SUBJECT = "Reminder: your scorecard for Service-orientation interview"


def _reminders_to(email: str) -> list:
    return [m for m in mail.outbox if m.subject == REMINDER_SUBJECT and m.to == [email]]


def _sweep(at: dt.datetime) -> int:
    """The beat job, run as Celery beat would (an ISO time), at a chosen moment after the interview."""
    return send_scorecard_reminders.delay(at.isoformat()).get()


def _rate(page, label: str, rating: int | None, evidence: str = "") -> None:
    group = page.get_by_role("radiogroup", name=f"Rating for {label}")
    group.get_by_label("Not assessed" if rating is None else str(rating), exact=True).check()
    if evidence:
        page.get_by_label(f"Evidence for {label}").fill(evidence)


def test_from_interview_to_team_member_with_a_scheduled_90_day_review(open_page, hiring_org):  # noqa: F811
    recruiter = open_page()
    interview_url = recruiter_schedules_interview(recruiter, hiring_org)
    application_url = recruiter.url

    # The invitations went through the outbox, one per interviewer, each with its calendar file.
    invitations = Notification.objects.filter(key__startswith="hiring.interview.", key__contains=".invite.")
    assert sorted(n.email for n in invitations) == ["ari@example.com", "lena@example.com"]
    sent = [m for m in mail.outbox if m.subject.startswith("Invitation: ")]
    assert sorted(m.to[0] for m in sent) == ["ari@example.com", "lena@example.com"]
    assert all(any(name.endswith(".ics") for name, _body, _type in m.attachments) for m in sent)

    # The first interviewer keeps notes as a draft, comes back to them, then submits.
    first = open_page()
    log_in(first, hiring_org["first"].email)
    first.goto(interview_url)
    first.get_by_role("link", name="Take notes and fill in your scorecard").click()
    _rate(first, "Ownership", None)
    first.get_by_label("Evidence for Empathy").fill(DRAFT_NOTE)
    first.get_by_role("button", name="Save draft").click()
    assert "Draft saved" in first.locator("main").inner_text()
    assert_accessible(first)
    first.goto(interview_url)
    first.get_by_role("link", name="Continue your notes (draft)").click()
    assert first.get_by_label("Evidence for Empathy").input_value() == DRAFT_NOTE
    screenshot(first, "hiring-loop-draft")
    recruiter.reload()
    assert DRAFT_NOTE not in recruiter.content(), "a draft is its author's alone"

    # The reminder sweep an hour after the interview's hour: a draft is not a scorecard, so both are reminded.
    held = Interview.objects.get().scheduled_at
    assert _sweep(held + dt.timedelta(hours=2)) == 2
    assert _sweep(held + dt.timedelta(hours=2, minutes=30)) == 0, "each reminder is sent once"
    assert len(_reminders_to("ari@example.com")) == len(_reminders_to("lena@example.com")) == 1

    _rate(first, "Empathy", 4)
    _rate(first, "Listening", 2, "Summarised the problem back")
    first.get_by_role("group", name="Overall recommendation").get_by_label("Yes", exact=True).check()
    first.get_by_role("button", name="Submit scorecard").click()
    assert "Scorecard submitted" in first.locator("main").inner_text()

    # The debrief waits for the whole panel.
    debrief_url = reverse("hiring:application_debrief", args=[int(application_url.rstrip("/").split("/")[-1])])
    recruiter.goto(debrief_url)
    assert "Waiting for 1 of 2 scorecards" in recruiter.locator("main").inner_text()
    assert DRAFT_NOTE not in recruiter.content()
    assert_accessible(recruiter)

    # A day later only the second interviewer is still reminded, and follows the reminder's link.
    assert _sweep(held + dt.timedelta(days=1, hours=2)) == 1
    assert len(_reminders_to("ari@example.com")) == 1
    [_first_reminder, reminder] = _reminders_to("lena@example.com")
    [link] = [line for line in reminder.body.splitlines() if "/scorecard/" in line]
    second = open_page()
    log_in(second, hiring_org["second"].email)
    second.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    _rate(second, "Empathy", 2, SECOND_NOTE)
    _rate(second, "Listening", 2, "Missed the second question")
    _rate(second, "Ownership", 3, "Followed up the next day")
    second.get_by_role("group", name="Overall recommendation").get_by_label("No", exact=True).check()
    second.get_by_role("button", name="Submit scorecard").click()
    assert "Scorecard submitted" in second.locator("main").inner_text()

    # Debrief: who said what per competency, the 2-point gap on empathy marked, evidence side by side.
    recruiter.goto(debrief_url)
    empathy = recruiter.get_by_role("region", name="Empathy")
    text = empathy.inner_text()
    assert "Disagreement: 2 points apart" in text
    assert DRAFT_NOTE in text and SECOND_NOTE in text
    assert "Ari Interviewer" in text and "Lena Lead" in text
    assert "Disagreement" not in recruiter.get_by_role("region", name="Listening").inner_text()
    assert_accessible(recruiter)
    screenshot(recruiter, "hiring-loop-debrief")

    # Panel means 3, 2, 3 -> (2 x 2 + 1 + 2) / 4 = 1.75 above 1 on the 1-5 scale -> 43.8 of 100: below the bar.
    recruiter.goto(application_url)
    assert "43.8 / 100" in recruiter.locator("main").inner_text()
    recruiter.get_by_label("Move to stage").select_option(label="Offer")
    recruiter.get_by_label("Reason").fill("Strong on ownership")
    recruiter.get_by_label("Why set the process aside").fill(BELOW_BAR_REASON)
    recruiter.get_by_role("button", name="Record decision").click()
    assert "Stage Offer" in recruiter.locator("main").inner_text()

    recruiter.get_by_role("link", name="Hire…").click()
    assert "is below the bar 60.0: hiring needs a written reason" in recruiter.locator("main").inner_text()
    assert_accessible(recruiter)
    recruiter.get_by_label("Reason").fill("Accepted the offer")
    recruiter.get_by_label("Work email").fill("carla.candidate@centric.example")
    recruiter.get_by_label("Employee number").fill("E-4711")
    recruiter.get_by_role("button", name="Hire and add to the team").click()
    assert "below the bar" in recruiter.locator("main").inner_text()
    assert recruiter.get_by_label("Employee number").input_value() == "E-4711", "the input is kept"
    assert_accessible(recruiter)
    screenshot(recruiter, "hiring-loop-hire-needs-reason")
    recruiter.get_by_label("Why hire below the bar").fill(BELOW_BAR_REASON)
    recruiter.get_by_role("button", name="Hire and add to the team").click()
    text = recruiter.locator("main").inner_text()
    assert "Hired: now a member of the team" in text
    due = timezone.localdate() + dt.timedelta(days=90)
    assert f"Scheduled: the review opens on {format_day(due, 'en-gb')}" in text
    assert "Rate this hire" not in text, "the review form is offered only when due"
    assert_accessible(recruiter)
    screenshot(recruiter, "hiring-loop-hired")
    review = HireReview.objects.get()
    assert (review.due_on, review.is_recorded) == (due, False)

    # The team's lead finds the hire among the team's current members.
    second.goto(reverse("culture:team_detail", args=[hiring_org["team"].slug]))
    members = second.get_by_role("table", name="Current members of Care Lisbon").inner_text()
    assert CANDIDATE in members and format_day(timezone.localdate(), "en-gb") in members
    assert_accessible(second)
    screenshot(second, "hiring-loop-team-member")
    # Quality of hire per competency stays honest until enough hires have their 90-day review.
    recruiter.goto(reverse("hiring:rubric_validity", args=[hiring_org["rubric"].pk]))
    assert "Too few hires to tell yet: 0 reviewed, at least 5 needed." in recruiter.locator("main").inner_text()
    assert_accessible(recruiter)
    screenshot(recruiter, "hiring-loop-quality-too-few")
    for page in (recruiter, first, second):
        assert page.console_errors == []
