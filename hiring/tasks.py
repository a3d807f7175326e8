"""Scheduled hiring jobs: thin Celery wrappers around the hiring services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from hiring.candidates.privacy import anonymise_expired_candidates as anonymise_expired
from hiring.interviews.reminders import send_scorecard_reminders as send_reminders


@shared_task(name="hiring.anonymise_expired_candidates")
def anonymise_expired_candidates(today: str | None = None) -> list[int]:
    """Anonymise candidates whose retention date is before `today` (ISO date; default: today). Idempotent."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return anonymise_expired(today=day)


@shared_task(name="hiring.send_scorecard_reminders")
def send_scorecard_reminders(now: str | None = None) -> int:
    """Queue the scorecard reminders due at `now` (ISO datetime; default: now). Safe to run twice."""
    return send_reminders(now=dt.datetime.fromisoformat(now) if now else None)


@shared_task(name="hiring.remind_due_hire_reviews")
def remind_due_hire_reviews(today: str | None = None) -> int:
    """Remind the reviewers of every 90-day review that fell due (ISO date; default: today). Idempotent."""
    from hiring.interviews.services import remind_due_hire_reviews as remind

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return remind(today=day)
