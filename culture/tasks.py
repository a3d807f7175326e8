"""Celery tasks of the culture app (found by autodiscovery): thin wrappers around the culture services; the
import jobs live with the imports."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from culture.pulse.schedule import publish_due_repeats

from .measurements.tasks import run_import_job

__all__ = ["publish_due_pulses", "run_import_job"]


@shared_task(name="culture.publish_due_pulses")
def publish_due_pulses(today: str | None = None) -> list[int]:
    """Publish the repeating pulses whose next opening day has come (ISO date; default today). Idempotent."""
    day = dt.date.fromisoformat(today) if today else None
    return [pulse.pk for pulse in publish_due_repeats(today=day)]
