from celery import shared_task

from .services import run_report


@shared_task(bind=True, name="reports.generate_report")
def generate_report(self, report_id: int) -> str | None:
    """Build one archived report; idempotent (see services.run_report)."""
    report = run_report(report_id=report_id, task_id=self.request.id or f"local-{report_id}")
    return report.status if report else None
