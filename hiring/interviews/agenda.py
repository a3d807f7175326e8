"""An interviewer's agenda as pure date arithmetic: when an interview ends, when its scorecard is due and
overdue, and which scorecard reminder is due at a given moment. No ORM, no settings."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

# Invitations block an hour; the scorecard is wanted by the end of the next day, while the evidence is fresh.
INTERVIEW_LENGTH = dt.timedelta(hours=1)
FIRST_REMINDER_AFTER_END = dt.timedelta(hours=1)
REMINDER_INTERVAL = dt.timedelta(days=1)
SCORECARD_DUE_AFTER_DAYS = 1


class Status(StrEnum):
    """Where an interview stands for one of its interviewers."""

    UPCOMING = "upcoming"
    DUE = "due"  # it took place; the interviewer's scorecard is wanted
    OVERDUE = "overdue"  # ... and its due day has passed
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"


def interview_end(scheduled_at: dt.datetime) -> dt.datetime:
    """The end of the hour the invitation blocks."""
    return scheduled_at + INTERVIEW_LENGTH


def scorecard_due_on(interview_day: dt.date) -> dt.date:
    """The scorecard is due by the end of the day after the interview (its local date)."""
    return interview_day + dt.timedelta(days=SCORECARD_DUE_AFTER_DAYS)


def interview_status(
    *,
    scheduled_at: dt.datetime,
    interview_day: dt.date,
    now: dt.datetime,
    today: dt.date,
    is_cancelled: bool,
    has_submitted: bool,
) -> Status:
    """The interview's status for one interviewer at `now` (aware) and `today` (the local date of now)."""
    if is_cancelled:
        return Status.CANCELLED
    if has_submitted:
        return Status.SUBMITTED
    if now < interview_end(scheduled_at):
        return Status.UPCOMING
    return Status.OVERDUE if today > scorecard_due_on(interview_day) else Status.DUE


def first_reminder_at(scheduled_at: dt.datetime) -> dt.datetime:
    return interview_end(scheduled_at) + FIRST_REMINDER_AFTER_END


def reminder_number(scheduled_at: dt.datetime, now: dt.datetime, limit: int) -> int | None:
    """The number (0 = the first, an hour after the interview) of the latest reminder due at `now`, else None.

    Reminders follow daily; after `limit` of them the last one's number stays, so a sweep keyed by the
    number sends nothing more. A sweep that missed days sends only the latest, not a backlog.
    """
    start = first_reminder_at(scheduled_at)
    if limit <= 0 or now < start:
        return None
    return min((now - start) // REMINDER_INTERVAL, limit - 1)


def reminders_left(number: int, limit: int) -> int:
    """How many reminders follow reminder `number` if the scorecard stays open."""
    return max(limit - 1 - number, 0)
