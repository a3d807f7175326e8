"""Import jobs: the preview (dry run) and the confirmation of a big upload run on the Celery worker, with
their progress kept in the cache, so that no web request parses a large file.

A job runs in the language of the request that queued it (else the user's chosen language): its row errors,
hints and summary line are read by that user, not in the worker's default language.

A job is keyed by (user, checksum, mode). Its state is {"status": queued|running|done|failed, "rows": rows
checked so far, "summary": the outcome line, "error": why it failed}. A preview job stores its result as
the upload's kept preview (`pending.store_preview`): reloading the page shows it and never parses again.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.core.cache import cache
from django.utils import translation

from core.notifications import recipient_language

from ..models import ImportBatch
from ..scorecards.tasks import warm_after_change
from . import pending
from .responses import import_responses
from .services import import_measurements, summary_line
from .wizard import ImportOptions

JOB_SECONDS = 3600
PROGRESS_EVERY = 5000  # rows between two progress updates (a cache write each)
MODES = ("preview", "confirm")
SERVICES = {ImportBatch.Kind.MEASUREMENTS: import_measurements, ImportBatch.Kind.RESPONSES: import_responses}

logger = logging.getLogger(__name__)


def _key(user_id: int, checksum: str, mode: str) -> str:
    return f"import-job:{user_id}:{checksum}:{mode}"


def job_state(user_id: int, checksum: str, mode: str) -> dict[str, Any] | None:
    return cache.get(_key(user_id, checksum, mode))


def _set(user_id: int, checksum: str, mode: str, **state: Any) -> None:
    cache.set(_key(user_id, checksum, mode), state, JOB_SECONDS)


def clear_jobs(user_id: int, checksum: str) -> None:
    cache.delete_many([_key(user_id, checksum, mode) for mode in MODES])


def start_job(*, user_id: int, checksum: str, mode: str, entry: dict, language: str = "") -> dict[str, Any]:
    """Queue the job unless one is queued, running or done already; returns its state. The job speaks
    `language`, by default the active one (the language of the page the user is on)."""
    state = job_state(user_id, checksum, mode)
    if state is not None and state["status"] != "failed":
        return state
    _set(user_id, checksum, mode, status="queued", rows=0, summary="", error="")
    run_import_job.delay(user_id, checksum, mode, entry, language or translation.get_language() or "")
    return job_state(user_id, checksum, mode) or {"status": "queued", "rows": 0, "summary": "", "error": ""}


@shared_task(name="culture.run_import_job")
def run_import_job(user_id: int, checksum: str, mode: str, entry: dict, language: str = "") -> str:
    """Run one preview or confirmation of a stored upload as its user, reporting rows checked, in
    `language` (the requesting page's; else the user's chosen language, else the site's)."""
    from users.models import User

    user = User.objects.get(pk=user_id)
    with translation.override(language or recipient_language(user)):
        return _run_job(user, checksum, mode, entry)


def _run_job(user, checksum: str, mode: str, entry: dict) -> str:
    user_id = user.pk

    def progress(rows: int) -> None:
        _set(user_id, checksum, mode, status="running", rows=rows, summary="", error="")

    _set(user_id, checksum, mode, status="running", rows=0, summary="", error="")
    try:
        with pending.open_upload(checksum) as stream:
            result = SERVICES[entry["kind"]](
                stream=stream,
                filename=entry["filename"],
                user=user,
                source=ImportBatch.Source.WEB,
                dry_run=mode == "preview",
                options=ImportOptions.from_dict(entry.get("options")),
                progress=progress,
            )
    except Exception as error:  # the page must say the job failed rather than poll for ever
        logger.exception("import job %s %s failed", checksum[:12], mode)
        _set(user_id, checksum, mode, status="failed", rows=0, summary="", error=error.__class__.__name__)
        return "failed"
    if mode == "preview" or not result.is_valid:
        pending.store_preview(user_id, checksum, result)
    if mode == "confirm" and result.is_valid:
        pending.drop_preview(user_id, checksum)
        warm_after_change()
    status = "done" if result.is_valid or mode == "preview" else "refused"
    _set(user_id, checksum, mode, status=status, rows=result.row_count, summary=summary_line(result), error="")
    return status
