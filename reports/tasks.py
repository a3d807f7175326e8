"""The report queue: Celery tasks, and the entry points that send a report to the worker.

Tasks call `reports.services`; the services that queue a report take `enqueue_report` from here, so the
enqueueing lives in this layer and services never import tasks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from celery import shared_task
from django.conf import settings

from . import services
from .models import GeneratedReport


@shared_task(bind=True, name="reports.generate_report")
def generate_report(self, report_id: int) -> str | None:
    """Build one archived report; idempotent (see services.run_report)."""
    report = services.run_report(report_id=report_id, task_id=self.request.id or f"local-{report_id}")
    return report.status if report else None


def enqueue_report(report_id: int) -> None:
    """Send a report to the worker once the surrounding transaction commits."""
    generate_report.delay_on_commit(report_id)


def request_report(*, kind: str, parameters: Mapping[str, Any], user) -> GeneratedReport:
    """Queue a report, or return the archived copy of a final one, or the job already under way."""
    return services.request_report(kind=kind, parameters=parameters, user=user, enqueue=enqueue_report)


def retry_report(*, report_id: int) -> GeneratedReport:
    """Put a failed report back in the queue."""
    return services.retry_report(report_id=report_id, enqueue=enqueue_report)


@shared_task(name="reports.render_html_pdf")
def render_html_pdf(html: str) -> str:
    """Print ready HTML (our static files only) and return the PDF's SHA-256: a unit of fan-out work.

    Stores nothing, so it is safe to run twice; the batch bench compares it with a plain process pool.
    """
    from core.pdf import render_html_to_pdf

    return hashlib.sha256(render_html_to_pdf(html)).hexdigest()


@shared_task(name="reports.requeue_stale_reports")
def requeue_stale_reports() -> list[int]:
    """Beat: re-send reports whose message was lost or whose worker died (see services)."""
    return services.requeue_stale_reports(
        queued_for=dt.timedelta(seconds=settings.REPORTS_REQUEUE_QUEUED_AFTER_SECONDS),
        running_for=dt.timedelta(seconds=settings.REPORTS_REQUEUE_RUNNING_AFTER_SECONDS),
        enqueue=enqueue_report,
    )
