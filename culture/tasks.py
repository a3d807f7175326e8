"""Scheduled culture jobs: thin Celery wrappers around the culture services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(name="culture.remind_overdue_actions")
def remind_overdue_actions(today: str | None = None) -> int:
    """Remind owners and leads of open review actions past due (ISO date; default: today). Safe to run twice."""
    from culture.scorecards.actions import remind_overdue_actions as remind

    return remind(today=dt.date.fromisoformat(today) if today else timezone.localdate())
