import datetime as dt
import hashlib

from celery import shared_task
from django.conf import settings

from . import services
from .services import run_report


@shared_task(bind=True, name="reports.generate_report")
def generate_report(self, report_id: int) -> str | None:
    """Build one archived report; idempotent (see services.run_report)."""
    report = run_report(report_id=report_id, task_id=self.request.id or f"local-{report_id}")
    return report.status if report else None


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
    )
