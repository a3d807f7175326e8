import hashlib

from celery import shared_task

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
