"""Scorecard reminders: the interviewers whose scorecard is not in get one email an hour after the interview,
then one a day, up to settings.HIRING_SCORECARD_REMINDER_LIMIT. Each reminder has its own notify key
(interview, revision, number, interviewer), so a sweep run twice, or by two workers, sends it once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.models import Notification
from core.notifications import notify

from ..models import Interview, Scorecard
from .agenda import REMINDER_INTERVAL, first_reminder_at, reminder_number, reminders_left


def reminder_key(interview: Interview, number: int, user_id: int) -> str:
    # The revision is part of the key: an interview moved after its first date starts its reminders afresh.
    return f"hiring.interview.{interview.pk}.{interview.sequence}.remind.{number}.{user_id}"


def open_assignments(*, now: dt.datetime, limit: int):
    """(interview, interviewer) rows whose reminders may be due: held, not cancelled, no scorecard yet."""
    first_after = first_reminder_at(now) - now  # from the start of an interview to its first reminder
    # one interval of slack past the last reminder, so a sweep that ran late still sends it
    window_start = now - first_after - REMINDER_INTERVAL * limit
    submitted = Scorecard.objects.filter(interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id"))
    return (
        Interview.interviewers.through.objects.filter(
            interview__cancelled_at__isnull=True,
            interview__scheduled_at__lte=now - first_after,
            interview__scheduled_at__gte=window_start,
            user__is_active=True,
        )
        .exclude(Exists(submitted))
        .select_related("interview", "user")
        .order_by("interview__scheduled_at", "pk")
    )


def send_scorecard_reminders(*, now: dt.datetime | None = None, limit: int | None = None) -> int:
    """Queues the reminder due at `now` for every open assignment; returns how many were new. Idempotent."""
    now = now or timezone.now()
    limit = settings.HIRING_SCORECARD_REMINDER_LIMIT if limit is None else limit
    if limit <= 0:
        return 0
    due: dict[str, tuple] = {}
    for row in open_assignments(now=now, limit=limit):
        number = reminder_number(row.interview.scheduled_at, now, limit)
        if number is not None:
            due[reminder_key(row.interview, number, row.user_id)] = (row.interview, row.user, number)
    already = set(Notification.objects.filter(key__in=due).values_list("key", flat=True))
    for key, (interview, user, number) in due.items():
        if key in already:
            continue
        with transaction.atomic():  # notify's get_or_create keeps a racing second sweep to one row
            notify(
                recipient=user,
                key=key,
                template="hiring/email/scorecard_reminder",
                context={"interview": interview, "number": number, "remaining": reminders_left(number, limit)},
            )
    return len(due) - len(already)
