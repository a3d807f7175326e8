"""Celery tasks of the culture app (found by autodiscovery): thin wrappers around the culture services; the
import jobs live with the imports."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from culture.measurements.rollups import check_rollups as check
from culture.pulse.schedule import publish_due_repeats

from .measurements.tasks import run_import_job
from .scorecards.tasks import warm_scorecards

__all__ = [
    "check_rollups",
    "fold_data_changes",
    "publish_due_pulses",
    "remind_overdue_actions",
    "run_import_job",
    "warm_scorecards",
]


@shared_task(name="culture.fold_data_changes")
def fold_data_changes() -> int:
    """Fold the culture data's change rows into one (the scorecard cache's generation is kept)."""
    from culture.scorecards.memo import fold_changes

    with transaction.atomic():
        return fold_changes()


@shared_task(name="culture.publish_due_pulses")
def publish_due_pulses(today: str | None = None) -> list[int]:
    """Publish the repeating pulses whose next opening day has come (ISO date; default today). Idempotent."""
    day = dt.date.fromisoformat(today) if today else None
    return [pulse.pk for pulse in publish_due_repeats(today=day)]


@shared_task(name="culture.remind_overdue_actions")
def remind_overdue_actions(today: str | None = None) -> int:
    """Remind owners and leads of open review actions past due (ISO date; default: today). Safe to run twice."""
    from culture.scorecards.actions import remind_overdue_actions as remind

    return remind(today=dt.date.fromisoformat(today) if today else timezone.localdate())


@shared_task(name="culture.check_rollups")
def check_rollups(today: str | None = None) -> int:
    """Compare the monthly rollups with the daily rows; differences are logged and sent to the admins."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    with transaction.atomic():
        return len(check(today=day))
