"""Interview invitations: one email per interviewer with an .ics that parses, keeps its UID, raises its
SEQUENCE on a reschedule, says METHOD:CANCEL on a cancellation and keeps local time across DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Notification
from hiring.interviews.reminders import send_scorecard_reminders
from hiring.interviews.services import cancel_interview, reschedule_interview, schedule_interview

from .factories import submit

pytestmark = pytest.mark.django_db


def _calendar(note: Notification) -> icalendar.Calendar:
    [attachment] = note.attachments
    assert attachment["filename"].endswith(".ics")
    assert attachment["mimetype"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(attachment["content"])


def _event(calendar: icalendar.Calendar) -> icalendar.Event:
    [event] = calendar.walk("VEVENT")
    return event


def test_schedule_reschedule_cancel_across_a_dst_change(
    settings, monkeypatch, recruiter, application_a, interviewer_x, interviewer_y
):
    settings.TIME_ZONE = "Europe/Amsterdam"
    monkeypatch.setattr("hiring.interviews.services.MAX_DAYS_AHEAD", 10_000)  # fixed dates, whatever today is
    zone = ZoneInfo("Europe/Amsterdam")
    before_dst = dt.datetime(2030, 3, 29, 10, tzinfo=zone)  # CET, UTC+1
    after_dst = dt.datetime(2030, 4, 1, 10, tzinfo=zone)  # CEST, UTC+2 (the clocks moved on 31 March)

    interview = schedule_interview(
        actor=recruiter, application=application_a, scheduled_at=before_dst, interviewers=[interviewer_x, interviewer_y]
    )
    invites = Notification.objects.filter(key__endswith=".invite." + str(interviewer_x.pk))
    assert Notification.objects.count() == 2  # one per interviewer
    first = _calendar(invites.get())
    assert first["method"] == "REQUEST"
    event = _event(first)
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == before_dst
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)
    assert first.walk("VTIMEZONE")  # the zone travels with the invitation

    reschedule_interview(actor=recruiter, interview=interview, scheduled_at=after_dst)
    update = _calendar(Notification.objects.get(key__endswith=f".1.update.{interviewer_x.pk}"))
    moved = _event(update)
    assert moved["uid"] == event["uid"]
    assert moved["sequence"] == 1
    assert moved.decoded("dtstart").hour == 10  # still 10:00 local, now UTC+2
    assert moved.decoded("dtstart").utcoffset() == dt.timedelta(hours=2)

    cancel_interview(actor=recruiter, interview=interview)
    cancel_interview(actor=recruiter, interview=interview)  # twice: still one cancellation each
    cancellations = Notification.objects.filter(key__contains=".cancel.")
    assert cancellations.count() == 2
    cancelled = _calendar(cancellations.first())
    assert cancelled["method"] == "CANCEL"
    assert _event(cancelled)["uid"] == event["uid"]
    assert _event(cancelled)["sequence"] == 2
    assert "Cancelled:" in cancellations.first().subject


def test_an_interview_with_scorecards_is_not_moved_or_cancelled(recruiter, interview_a, interviewer_x):
    submit(interview_a, interviewer_x, evidence="ok", empathy=4)
    with pytest.raises(ValidationError):
        cancel_interview(actor=recruiter, interview=interview_a)
    with pytest.raises(ValidationError):
        reschedule_interview(actor=recruiter, interview=interview_a, scheduled_at=interview_a.scheduled_at)


def test_emails_give_the_time_in_the_company_zone_and_the_recipients_language(
    settings, monkeypatch, recruiter, application_a, interviewer_x, interviewer_y
):
    """10:00 in Amsterdam reads 10:00 CET before the clocks move and 10:00 CEST after, in English for one
    interviewer and Swedish for the other, even when the scheduling request had another zone active."""
    settings.TIME_ZONE = "Europe/Amsterdam"
    monkeypatch.setattr("hiring.interviews.services.MAX_DAYS_AHEAD", 10_000)
    interviewer_y.language = "sv"
    interviewer_y.save(update_fields=["language"])
    zone = ZoneInfo("Europe/Amsterdam")
    with timezone.override("America/New_York"):  # where the request came from must not matter
        interview = schedule_interview(
            actor=recruiter,
            application=application_a,
            scheduled_at=dt.datetime(2030, 3, 29, 10, tzinfo=zone),
            interviewers=[interviewer_x, interviewer_y],
        )
        moved = dt.datetime(2030, 4, 1, 10, tzinfo=zone)
        reschedule_interview(actor=recruiter, interview=interview, scheduled_at=moved)

    def body(kind: str, user) -> str:
        return Notification.objects.get(key__endswith=f".{kind}.{user.pk}").body

    assert "When: 29 Mar 2030 10:00 CET\n" in body("invite", interviewer_x)
    assert "När: 29 mars 2030 10:00 CET\n" in body("invite", interviewer_y)
    assert "When: 1 Apr 2030 10:00 CEST\n" in body("update", interviewer_x)
    assert "När: 1 apr. 2030 10:00 CEST\n" in body("update", interviewer_y)

    # The first reminder, an hour after the hour-long interview ends: 12:00 in Amsterdam, 10:00 UTC (CEST).
    assert send_scorecard_reminders(now=dt.datetime(2030, 4, 1, 10, 0, tzinfo=dt.UTC), limit=3) == 2
    reminders = {n.recipient_id: n.body for n in Notification.objects.filter(key__contains=".remind.")}
    assert "(1 Apr 2030 10:00 CEST)" in reminders[interviewer_x.pk]
    assert "(1 apr. 2030 10:00 CEST)" in reminders[interviewer_y.pk]
