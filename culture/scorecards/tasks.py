"""The scorecards' Celery task (registered through culture.tasks): building the dashboard ahead of its readers."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .memo import remembering


@shared_task(name="culture.warm_scorecards")
def warm_scorecards(period_code: str | None = None) -> str:
    """Build what the dashboard reads for the period (default: the one it opens on), so readers find it
    remembered. Returns the period code."""
    from .dashboard import warm_dashboard

    return warm_dashboard(period_code)


def warm_after_change() -> bool:
    """Ask a worker to build the dashboard again after an import changed the data, where scorecards are
    remembered and warming is on (`CENTRIC_WARM_SCORECARDS`, production's default). Returns whether it asked."""
    if not (settings.CENTRIC_WARM_SCORECARDS and remembering()):
        return False
    warm_scorecards.delay()
    return True
