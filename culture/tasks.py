"""Scheduled culture jobs: thin Celery wrappers around the culture services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from culture.measurements.rollups import check_rollups as check


@shared_task(name="culture.check_rollups")
def check_rollups(today: str | None = None) -> int:
    """Compare the monthly rollups with the daily rows; differences are logged and sent to the admins."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    with transaction.atomic():
        return len(check(today=day))
