"""The report queue: Celery tasks, and the entry points that send a report to the worker.

Tasks call `reports.services`; the services that queue a report take `enqueue_report` from here, so the
enqueueing lives in this layer and services never import tasks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction

from . import services
from .models import GeneratedReport

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="reports.generate_report")
def generate_report(self, report_id: int) -> str | None:
    """Build one archived report; idempotent (see services.run_report)."""
    report = services.run_report(report_id=report_id, task_id=self.request.id or f"local-{report_id}")
    return report.status if report else None


def enqueue_report(report_id: int) -> None:
    """Send a report to the worker once the surrounding transaction commits.

    Without a broker (tasks run eagerly) the build would hold the request for as long as it takes (a 40-PDF
    batch: half a minute); with REPORTS_BACKGROUND_WHEN_EAGER it runs in a background thread instead, and the
    page polls its progress exactly as with a worker.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.REPORTS_BACKGROUND_WHEN_EAGER:
        transaction.on_commit(lambda: start_in_background(report_id))
    else:
        generate_report.delay_on_commit(report_id)


def start_in_background(report_id: int) -> threading.Thread:
    """Build a report in a daemon thread with its own database connection (closed when done)."""

    def work() -> None:
        try:
            generate_report.apply(args=[report_id], task_id=f"thread-{report_id}-{uuid.uuid4().hex[:8]}")
        except Exception:  # recorded on the report by run_report; a thread has no one to raise to
            logger.exception("report %s failed in the background", report_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name=f"report-{report_id}", daemon=True)
    thread.start()
    return thread


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
