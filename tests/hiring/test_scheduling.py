"""Scheduling pages: the interview form starts from the position's panel; reschedule and cancel pages keep
input, explain errors, ask before cancelling and tell every interviewer with an .ics that parses."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, Notification
from hiring.interviews.services import cancel_interview
from hiring.models import Interview, Scorecard
from tests.factories import UserFactory

from .factories import InterviewFactory, submit

pytestmark = pytest.mark.django_db


def _event(note: Notification) -> tuple[icalendar.Calendar, icalendar.Event]:
    [attachment] = note.attachments
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.fixture
def upcoming(application_a, interviewer_x, interviewer_y):
    when = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    return InterviewFactory(application=application_a, scheduled_at=when, interviewers=[interviewer_x, interviewer_y])


def test_interview_form_starts_with_the_positions_panel_selected(client, recruiter, application_a, position_a):
    outsider = UserFactory(name="Olga Outside")
    client.force_login(recruiter)
    response = client.get(reverse("hiring:interview_create", kwargs={"pk": application_a.pk}))
    assert response.status_code == 200
    assert set(response.context["form"].initial["interviewers"]) == set(position_a.interviewers.all())
    body = response.content.decode()
    for person in position_a.interviewers.all():
        assert f'<option value="{person.pk}" selected>' in body
    assert f'<option value="{outsider.pk}">' in body


def test_reschedule_page_moves_the_interview_and_sends_sequence_1_with_the_reason(client, recruiter, upcoming):
    client.force_login(recruiter)
    url = reverse("hiring:interview_reschedule", kwargs={"pk": upcoming.pk})
    assert client.get(url).status_code == 200
    new_time = timezone.localtime(upcoming.scheduled_at + dt.timedelta(days=1, hours=2))

    response = client.post(url, {"scheduled_at": new_time.strftime("%Y-%m-%dT%H:%M"), "reason": "Room taken"})

    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.scheduled_at == new_time
    assert upcoming.sequence == 1
    notes = Notification.objects.filter(key__contains=".1.update.")
    assert notes.count() == 2
    for note in notes:
        calendar, event = _event(note)
        assert calendar["method"] == "REQUEST"
        assert event["sequence"] == 1
        assert event.decoded("dtstart") == new_time
        assert "Room taken" in note.body
        assert note.subject.startswith("Moved:")
    entry = AuditEntry.objects.get(action="hiring.interview.rescheduled")
    assert entry.after["reason"] == "Room taken"


def test_reschedule_page_keeps_input_and_explains_each_error(client, recruiter, upcoming, application_a):
    client.force_login(recruiter)
    url = reverse("hiring:interview_reschedule", kwargs={"pk": upcoming.pk})
    same = timezone.localtime(upcoming.scheduled_at).strftime("%Y-%m-%dT%H:%M")

    response = client.post(url, {"scheduled_at": same, "reason": ""})
    errors = response.context["form"].errors
    assert "Pick a time other than the current one." in errors["scheduled_at"]
    assert errors["reason"]

    before_application = dt.datetime.combine(application_a.applied_on - dt.timedelta(days=3), dt.time(10, 0))
    response = client.post(url, {"scheduled_at": before_application.strftime("%Y-%m-%dT%H:%M"), "reason": "Typo"})
    assert response.status_code == 200
    assert "cannot be before the application" in response.content.decode()
    assert 'value="Typo"' not in response.content.decode()  # a textarea keeps it as text
    assert "Typo</textarea>" in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.sequence == 0
    assert not Notification.objects.filter(key__contains=".update.").exists()


def test_cancel_page_asks_first_then_sends_method_cancel(client, recruiter, upcoming):
    client.force_login(recruiter)
    url = reverse("hiring:interview_cancel", kwargs={"pk": upcoming.pk})

    page = client.get(url)
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    assert Interview.objects.get(pk=upcoming.pk).cancelled_at is None  # asking changes nothing

    missing = client.post(url, {"reason": "  "})
    assert missing.status_code == 200 and missing.context["form"].errors["reason"]
    assert Interview.objects.get(pk=upcoming.pk).cancelled_at is None

    response = client.post(url, {"reason": "Candidate withdrew"})
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.cancelled_at is not None and upcoming.sequence == 1
    notes = Notification.objects.filter(key__contains=".cancel.")
    assert sorted(n.email for n in notes) == ["x@example.com", "y@example.com"]
    for note in notes:
        calendar, event = _event(note)
        assert calendar["method"] == "CANCEL"
        assert event["status"] == "CANCELLED"
        assert event["sequence"] == 1
        assert "Candidate withdrew" in note.body
    # the pages now refuse to move or cancel it again
    assert client.get(url).status_code == 302
    assert client.get(reverse("hiring:interview_reschedule", kwargs={"pk": upcoming.pk})).status_code == 302


def test_an_interview_with_a_scorecard_is_not_offered_for_moving(client, recruiter, interview_a, interviewer_x):
    submit(interview_a, interviewer_x, evidence="ok", empathy=4)
    client.force_login(recruiter)
    for name in ("interview_reschedule", "interview_cancel"):
        response = client.post(reverse(f"hiring:{name}", kwargs={"pk": interview_a.pk}), {"reason": "x"})
        assert response.status_code == 302 and response["Location"] == interview_a.get_absolute_url()
    interview_a.refresh_from_db()
    assert interview_a.cancelled_at is None and interview_a.sequence == 0


def test_cancelled_interview_takes_no_scorecard(recruiter, interview_a, interviewer_x):
    from django.core.exceptions import ValidationError

    Interview.objects.filter(pk=interview_a.pk).update(cancelled_at=timezone.now())
    with pytest.raises(ValidationError):
        submit(interview_a, interviewer_x, evidence="ok", empathy=4)


@pytest.mark.parametrize("name", ["interview_reschedule", "interview_cancel"])
def test_only_hr_moves_or_cancels(client, name, upcoming, interviewer_x, lead_a, lead_b):
    url = reverse(f"hiring:{name}", kwargs={"pk": upcoming.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in (interviewer_x, lead_a, lead_b):
        client.force_login(user)
        assert client.post(url, {"reason": "x", "scheduled_at": "2027-01-05T10:00"}).status_code == 403
    upcoming.refresh_from_db()
    assert upcoming.sequence == 0 and upcoming.cancelled_at is None


def test_kit_offers_reschedule_and_cancel_to_hr_only(client, recruiter, upcoming, interviewer_x):
    kit = reverse("hiring:interview_kit", kwargs={"pk": upcoming.pk})
    cancel = reverse("hiring:interview_cancel", kwargs={"pk": upcoming.pk})
    client.force_login(recruiter)
    assert cancel in client.get(kit).content.decode()
    client.force_login(interviewer_x)
    assert cancel not in client.get(kit).content.decode()


def test_a_cancelled_interview_keeps_nobody_blind(client, recruiter, interview_a, interviewer_x, interviewer_y):
    submit(interview_a, interviewer_x, evidence="mine", empathy=3)
    other = submit(interview_a, interviewer_y, evidence="Theirs-marker", empathy=5)
    follow_up = InterviewFactory(
        application=interview_a.application,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        interviewers=[interviewer_x],
    )
    visible = Scorecard.objects.visible_to(interviewer_x)
    assert other not in visible  # the follow-up is still owed: blind again
    client.force_login(interviewer_x)
    page = client.get(interview_a.application.get_absolute_url()).content.decode()
    assert "Theirs-marker" not in page

    cancel_interview(actor=recruiter, interview=follow_up, reason="Not needed")

    assert other in Scorecard.objects.visible_to(interviewer_x)
    page = client.get(interview_a.application.get_absolute_url()).content.decode()
    assert "Theirs-marker" in page
    assert reverse("hiring:scorecard_create", kwargs={"pk": follow_up.pk}) not in page
    kit = client.get(reverse("hiring:scorecard_create", kwargs={"pk": follow_up.pk}))
    assert kit.status_code == 302 and kit["Location"] == follow_up.get_absolute_url()
