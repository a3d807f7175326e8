"""Scheduled culture jobs: thin Celery wrappers around the culture services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from culture.pulse.schedule import publish_due_repeats


@shared_task(name="culture.publish_due_pulses")
def publish_due_pulses(today: str | None = None) -> list[int]:
    """Publish the repeating pulses whose next opening day has come (ISO date; default today). Idempotent."""
    day = dt.date.fromisoformat(today) if today else None
    return [pulse.pk for pulse in publish_due_repeats(today=day)]
