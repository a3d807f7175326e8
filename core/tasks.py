from celery import shared_task
from celery.signals import before_task_publish
from django.db import connection

from .export_jobs import build_export, purge_stale_exports

__all__ = ["build_export", "health_check", "heartbeat", "purge_stale_exports", "send_notifications"]


@shared_task(name="core.health_check")
def health_check(token: str) -> dict[str, object]:
    """Answer with the token, the database's verdict and the worker's name: proves a worker is alive end to end."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"token": token, "database": one == 1, "worker": health_check.request.hostname}


@shared_task(name="core.send_notifications")
def send_notifications() -> int:
    """Sends the outbox's waiting emails (see core.notifications); safe to run twice at once."""
    from .notifications import send_pending

    return send_pending()


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Sent by beat, run by a worker: the worker's note is what /readyz reads (core.health)."""
    from .health import record_worker_heartbeat

    record_worker_heartbeat()


@before_task_publish.connect
def _beat_sent_heartbeat(sender: str | None = None, **kwargs: object) -> None:
    # Only beat's schedule sends core.heartbeat, so its publication is beat's proof of life.
    if sender == "core.heartbeat":
        from .health import record_beat_heartbeat

        record_beat_heartbeat()
