"""XLSX exports of large lists as Celery jobs with progress, so that no web request writes a big workbook.

An XLSX cannot stream (the zip is finished at the end) and openpyxl writes some 10-20k rows a second, so a
list with more than `CENTRIC_EXPORT_XLSX_JOB_ROWS` filtered rows is exported by the worker: the list view
queues a job and sends the user to its page, which refreshes itself with the rows written so far and,
once done, offers the file. The job runs the same list view as its user (login, permission, scoping,
filters, order, columns, the user's language), so the workbook is exactly the one the page would send.

A job is keyed by (user, job id), as the import jobs are (culture.measurements.tasks): its state lives in
the cache, {"status": queued|running|done|failed, "rows": rows written, "total": rows to write,
"filename", "error"}, and only its user reaches it. The file is kept in the default storage (shared by the
web and worker nodes) under `CENTRIC_EXPORT_DIR` for JOB_SECONDS; `purge_stale` deletes older ones.

An erasure (core.erasure) deletes every workbook (`discard_all`): any list can name the erased person and a
workbook cannot be scrubbed. Each job remembers the erasure count it started under; a job started before an
erasure is "discarded" (its page says to export again), and one still writing deletes its own file.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
import uuid
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import resolve
from django.utils import translation

from .exports import write_xlsx
from .storage import delete_older_than

JOB_SECONDS = 24 * 3600
_JOB_ID = re.compile(r"[0-9a-f]{32}")
# A count, not a time: web and worker nodes' clocks need not agree. Kept without expiry; should the cache lose it,
# every job's count differs and its workbook is discarded, which errs on the safe side.
_ERASURES_KEY = "export-jobs:erasures"

logger = logging.getLogger(__name__)


def _key(user_id: int, job_id: str) -> str:
    return f"export-job:{user_id}:{job_id}"


def file_name(job_id: str) -> str:
    """The storage name of a job's workbook; only a job id (32 hex digits) is accepted."""
    if not _JOB_ID.fullmatch(job_id):
        raise ValueError("not an export job id")
    return f"{settings.CENTRIC_EXPORT_DIR}/{job_id}.xlsx"


def _erasures() -> int:
    return cache.get(_ERASURES_KEY, 0)


def _outdated(state: dict[str, Any]) -> bool:
    """True when a person was erased after the job started: its rows may hold their old name."""
    return state.get("erasures", 0) != _erasures()


def job_state(user_id: int, job_id: str) -> dict[str, Any] | None:
    """The job's state, or None for an unknown job or another user's."""
    if not _JOB_ID.fullmatch(job_id):
        return None
    state = cache.get(_key(user_id, job_id))
    if state is not None and state["status"] != "failed" and _outdated(state):
        return {**state, "status": "discarded"}
    return state


def discard_all() -> int:
    """Delete every export workbook, after a person's erasure; returns how many. The count goes up first, so a
    job that saves its file after the listing below still finds itself outdated and deletes that file."""
    cache.add(_ERASURES_KEY, 0, timeout=None)
    cache.incr(_ERASURES_KEY)
    return delete_older_than(settings.CENTRIC_EXPORT_DIR, dt.timedelta(0))


def _set(user_id: int, job_id: str, state: dict[str, Any], **changes: Any) -> dict[str, Any]:
    state = {**state, **changes}
    cache.set(_key(user_id, job_id), state, JOB_SECONDS)
    return state


def start_job(*, user_id: int, path: str, query: str, filename: str) -> str:
    """Queue the XLSX export of the list at `path` with `query` (its filters and order) for this user."""
    job_id = uuid.uuid4().hex
    state = {"status": "queued", "rows": 0, "total": None, "filename": filename, "error": "", "erasures": _erasures()}
    _set(user_id, job_id, state)
    build_export.delay(user_id, job_id, path, query)
    return job_id


class ExportJob:
    """Handed to the list view by the task: the view gives it the rows and title instead of a response."""

    def __init__(self, user_id: int, job_id: str, state: dict[str, Any]) -> None:
        self.user_id, self.job_id, self.state = user_id, job_id, state

    def begin(self, total: int | None) -> None:
        self.state = _set(self.user_id, self.job_id, self.state, status="running", rows=0, total=total)

    def progress(self, rows: int) -> None:
        self.state = _set(self.user_id, self.job_id, self.state, status="running", rows=rows)

    def write(self, rows: Any, *, title: str) -> HttpResponse:
        with tempfile.TemporaryFile() as out:
            written = write_xlsx(rows, out, title=title, progress=self.progress)
            out.seek(0)
            saved = default_storage.save(file_name(self.job_id), File(out))
        if _outdated(self.state):  # an erasure ran while the rows were read: they may name the person
            default_storage.delete(saved)
            self.state = _set(self.user_id, self.job_id, self.state, status="discarded", rows=written)
        else:
            self.state = _set(self.user_id, self.job_id, self.state, status="done", rows=written, total=written)
        return HttpResponse(status=204)


def _request(user: Any, path: str, query: str) -> HttpRequest:
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = user
    request.META["SERVER_NAME"] = "export-job"
    request.META["SERVER_PORT"] = "80"
    return request


@shared_task(name="core.build_export")
def build_export(user_id: int, job_id: str, path: str, query: str) -> str:
    """Run the list view at `path` as its user with `?query`, writing its XLSX export into the job's file."""
    User = get_user_model()  # core reads the user model through auth, never from users (layering)
    state = job_state(user_id, job_id) or {"rows": 0, "total": None, "filename": "export.xlsx", "error": ""}
    if state.get("status") == "discarded":  # queued before an erasure: its page already says to export again
        return "discarded"
    job = ExportJob(user_id, job_id, _set(user_id, job_id, state, status="running"))
    try:
        user = User.objects.get(pk=user_id, is_active=True)
        match = resolve(path)
        view_class = match.func.view_class  # type: ignore[attr-defined]
        request = _request(user, path, query)
        view = view_class(**match.func.view_initkwargs)  # type: ignore[attr-defined]
        view.setup(request, *match.args, **match.kwargs)
        view.export_job = job
        with translation.override(user.language or settings.LANGUAGE_CODE):
            response = view.dispatch(request, *match.args, **match.kwargs)
        if response.status_code != 204:  # refused (no longer allowed), or not an export at all
            raise PermissionError(f"the list answered {response.status_code}")
    except Exception as error:  # the page must say the job failed rather than poll for ever
        logger.exception("export job %s failed", job_id)
        _set(user_id, job_id, job.state, status="failed", error=error.__class__.__name__)
        return "failed"
    return "done"


def purge_stale(*, older_than: dt.timedelta = dt.timedelta(seconds=JOB_SECONDS)) -> int:
    """Delete finished exports older than `older_than` (their jobs are gone from the cache); returns how many."""
    return delete_older_than(settings.CENTRIC_EXPORT_DIR, older_than)


@shared_task(name="core.purge_stale_exports")
def purge_stale_exports() -> int:
    """Beat: delete export workbooks older than a day."""
    return purge_stale()
