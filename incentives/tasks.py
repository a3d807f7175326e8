"""Celery tasks: ids in, one service call, safe to run twice (a locked run is left alone)."""

from __future__ import annotations

from celery import shared_task

from .models import ImmutableRunError
from .services import calculate_payouts


@shared_task(acks_late=True)
def calculate_payouts_task(run_id: int) -> str:
    """Compute a draft run; a second delivery recomputes the same lines, an approved run is skipped."""
    try:
        calculate_payouts(run_id=run_id)
    except ImmutableRunError:
        return "locked"
    return "done"
