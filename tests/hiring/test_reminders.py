"""Scorecard reminders at frozen times: an hour after the interview, then daily up to the limit, each sent
once however often the beat sweep runs; none for a submitted scorecard or a cancelled interview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import Notification
from hiring.interviews.reminders import send_scorecard_reminders
from hiring.interviews.services import cancel_interview
from hiring.models import Interview
from hiring.tasks import send_scorecard_reminders as reminder_task

from .factories import InterviewFactory, submit

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def held(application_a, interviewer_x, interviewer_y):
    return InterviewFactory(application=application_a, scheduled_at=AT, interviewers=[interviewer_x, interviewer_y])


def _reminders():
    return sorted(Notification.objects.filter(key__contains=".remind.").values_list("key", flat=True))


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC)


def test_first_reminder_an_hour_after_the_interview_then_daily_to_the_limit(held, interviewer_x, interviewer_y):
    x, y, i = interviewer_x.pk, interviewer_y.pk, held.pk
    assert send_scorecard_reminders(now=_at(10, 10, 59), limit=3) == 0
    assert send_scorecard_reminders(now=_at(10, 11), limit=3) == 2
    assert _reminders() == [f"hiring.interview.{i}.0.remind.0.{x}", f"hiring.interview.{i}.0.remind.0.{y}"]
    assert send_scorecard_reminders(now=_at(10, 11, 15), limit=3) == 0  # the next sweep: nothing new
    assert send_scorecard_reminders(now=_at(11, 10, 45), limit=3) == 0
    assert send_scorecard_reminders(now=_at(11, 11), limit=3) == 2
    assert send_scorecard_reminders(now=_at(12, 11), limit=3) == 2
    for day in (13, 14, 15):  # past the limit: silence
        assert send_scorecard_reminders(now=_at(day, 11), limit=3) == 0
    assert len(_reminders()) == 6
    note = Notification.objects.get(key=f"hiring.interview.{i}.0.remind.0.{x}")
    assert note.email == "x@example.com"
    assert "Reminder" in note.subject and held.title in note.subject
    assert f"/hiring/interviews/{i}/scorecard/" in note.body
    assert "2 more reminders" in note.body
    last = Notification.objects.get(key=f"hiring.interview.{i}.0.remind.2.{x}")
    assert "0 more reminders" in last.body


def test_no_reminder_once_the_scorecard_is_in(held, interviewer_x, interviewer_y):
    submit(held, interviewer_x, evidence="Clear example", empathy=4)
    assert send_scorecard_reminders(now=_at(10, 12), limit=3) == 1
    assert _reminders() == [f"hiring.interview.{held.pk}.0.remind.0.{interviewer_y.pk}"]


def test_no_reminder_for_a_cancelled_or_upcoming_interview(recruiter, held, application_a, interviewer_x):
    Interview.objects.filter(pk=held.pk).update(cancelled_at=AT)
    InterviewFactory(application=application_a, scheduled_at=_at(20, 9), interviewers=[interviewer_x])
    assert send_scorecard_reminders(now=_at(12, 12), limit=3) == 0
    assert _reminders() == []


def test_a_sweep_that_missed_days_sends_only_the_latest_reminder(held):
    assert send_scorecard_reminders(now=_at(12, 12), limit=4) == 2
    assert {key.split(".remind.")[1].split(".")[0] for key in _reminders()} == {"2"}


def test_limit_zero_turns_reminders_off(held):
    assert send_scorecard_reminders(now=_at(10, 12), limit=0) == 0
    assert _reminders() == []


def test_the_beat_task_takes_an_iso_time_uses_the_setting_and_is_safe_twice(settings, held):
    settings.HIRING_SCORECARD_REMINDER_LIMIT = 2
    assert reminder_task(now=_at(10, 12).isoformat()) == 2
    assert reminder_task(now=_at(10, 12).isoformat()) == 0
    assert reminder_task(now=_at(11, 12).isoformat()) == 2
    assert reminder_task(now=_at(12, 12).isoformat()) == 0  # the limit is 2
    assert len(_reminders()) == 4


def test_the_sweep_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["hiring-send-scorecard-reminders"]
    assert entry["task"] == "hiring.send_scorecard_reminders"
    assert reminder_task.name == "hiring.send_scorecard_reminders"


def test_a_moved_interview_starts_its_reminders_afresh(recruiter, held, interviewer_x):
    assert send_scorecard_reminders(now=_at(10, 12), limit=3) == 2
    Interview.objects.filter(pk=held.pk).update(scheduled_at=_at(11, 9), sequence=1)
    assert send_scorecard_reminders(now=_at(11, 12), limit=3) == 2
    assert f"hiring.interview.{held.pk}.1.remind.0.{interviewer_x.pk}" in _reminders()


def test_cancelling_after_a_reminder_stops_the_rest(recruiter, application_a, interviewer_x):
    interview = InterviewFactory(
        application=application_a, scheduled_at=timezone.now() - dt.timedelta(hours=3), interviewers=[interviewer_x]
    )
    assert send_scorecard_reminders(limit=3) == 1
    cancel_interview(actor=recruiter, interview=interview, reason="No-show")
    assert send_scorecard_reminders(now=timezone.now() + dt.timedelta(days=1), limit=3) == 0
