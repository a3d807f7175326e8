"""Requesting, running and retrying generated reports. Safe under at-least-once task delivery.

These functions never import the task queue: the ones that send a report to the worker take an
`enqueue(report_id)` callable, which `reports.tasks` supplies (tasks call services, not the other way round).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext

from .documents import DocumentKind, Stamp, get_kind
from .models import GeneratedReport, ValueModel

logger = logging.getLogger(__name__)


def request_key(kind: str, parameters: Mapping[str, Any]) -> str:
    canonical = json.dumps({"kind": kind, "parameters": parameters}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def new_verification_code() -> str:
    """Ten base32 characters of fresh randomness (50 bits): printed in the PDF, typed into the verify page."""
    return base64.b32encode(secrets.token_bytes(7)).decode()[:10]


def _frozen_key(document: DocumentKind, parameters: Mapping[str, Any]) -> str:
    return document.frozen_key(parameters) if document.frozen_key is not None else ""


def supersede_stale(*, key: str, frozen: str) -> int:
    """Mark the done copies of a request built from other data than `frozen` as superseded; returns how many.

    For a closed period, `frozen` is its closing's checksum: a copy built before the close (live data,
    key "") or from a closing since reopened is superseded. For a reopened (open) period, the copies of
    its former closings are. Live copies of an open period stay as they are: they are drafts.
    """
    stale = GeneratedReport.objects.filter(request_key=key, status=GeneratedReport.Status.DONE, superseded_at=None)
    stale = stale.exclude(snapshot_checksum=frozen)
    if not frozen:
        stale = stale.exclude(snapshot_checksum="")
    return stale.update(superseded_at=timezone.now())


def request_report(
    *, kind: str, parameters: Mapping[str, Any], user, enqueue: Callable[[int], None]
) -> GeneratedReport:
    """Queue a report, or return the archived copy of a final one, or the job already under way.

    A final copy is reused only when built from the same frozen data, in the same language and with the
    same template version; copies from other data are superseded first (`supersede_stale`).
    """
    document = get_kind(kind)
    cleaned = document.clean_parameters(parameters)
    key = request_key(kind, cleaned)
    language = get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        final = document.is_final(cleaned)
        frozen = _frozen_key(document, cleaned)
        supersede_stale(key=key, frozen=frozen)
        existing = GeneratedReport.objects.select_for_update().filter(request_key=key)
        same = existing.filter(
            superseded_at=None, snapshot_checksum=frozen, language=language, template_version=document.template_version
        )
        if final and (done := same.filter(status=GeneratedReport.Status.DONE).first()):
            if _sees(user, done):
                return done
            # someone else's archived copy: file it for this user too, without building it again
            return archive_copy(
                kind=kind,
                parameters=cleaned,
                source=done,
                name=done.file.name,
                checksum=done.checksum,
                input_checksum=done.input_checksum,
                user=user,
            )
        if running := next((r for r in existing.active().filter(language=language) if _sees(user, r)), None):
            return running
        try:
            with transaction.atomic():
                report = GeneratedReport.objects.create(
                    kind=kind,
                    parameters=cleaned,
                    request_key=key,
                    requested_by=user,
                    is_final=final,
                    language=language,
                    template_version=document.template_version,
                    verification_code=new_verification_code(),
                )
        except IntegrityError:
            # a concurrent request queued the same batch first (report_one_active_batch): that one is the job
            return GeneratedReport.objects.active().get(request_key=key)
        enqueue(report.pk)
    return report


def _sees(user, report: GeneratedReport) -> bool:
    """Whether the archive shows `report` to `user` (GeneratedReport.objects.visible_to, for one row)."""
    return bool(getattr(user, "is_executive", False)) or report.requested_by_id == getattr(user, "pk", None)


def retry_report(*, report_id: int, enqueue: Callable[[int], None]) -> GeneratedReport:
    """Put a failed report back in the queue."""
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().get(pk=report_id)
        if report.status != GeneratedReport.Status.FAILED:
            raise ValueError(gettext("Only a failed report can be retried."))
        report.status, report.progress, report.error, report.claimed_by = GeneratedReport.Status.QUEUED, 0, "", ""
        report.enqueued_at = timezone.now()
        report.save(update_fields=["status", "progress", "error", "claimed_by", "enqueued_at"])
        enqueue(report.pk)
    return report


def _claim(report_id: int, task_id: str) -> GeneratedReport | None:
    """Mark the report running for this task; None when it is done or another live task holds it."""
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == GeneratedReport.Status.DONE:
            return None
        # The same task id again means the broker redelivered our message: the earlier attempt died.
        if report.status == GeneratedReport.Status.RUNNING and report.claimed_by not in ("", task_id):
            return None
        report.status = GeneratedReport.Status.RUNNING
        report.verification_code = report.verification_code or new_verification_code()
        report.claimed_by = task_id
        report.attempts += 1
        report.progress = 0
        report.started_at = timezone.now()
        report.save(update_fields=["status", "verification_code", "claimed_by", "attempts", "progress", "started_at"])
        return report


def _store(report: GeneratedReport, content: bytes, filename: str) -> tuple[str, str]:
    """Write the file under a name fixed by report and content; an earlier partial write is replaced."""
    checksum = hashlib.sha256(content).hexdigest()
    storage = report.file.storage
    name = f"reports/{report.kind}/{report.pk}-{checksum[:16]}-{filename}"
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            if hashlib.sha256(existing.read()).hexdigest() == checksum:
                return name, checksum
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    return saved, checksum


def run_report(*, report_id: int, task_id: str) -> GeneratedReport | None:
    """Build and store one report. Running it twice, or after a crash, yields one file and one done row."""
    report = _claim(report_id, task_id)
    if report is None:
        done = GeneratedReport.objects.filter(pk=report_id, status=GeneratedReport.Status.DONE).first()
        if done is not None:
            _after_done(done)  # a redelivery after a crash between "done" and the follow-up finishes it
        return None
    document = get_kind(report.kind)

    def progress(percent: int) -> None:
        GeneratedReport.objects.filter(pk=report.pk, claimed_by=task_id).update(progress=max(0, min(percent, 99)))

    frozen = _frozen_key(document, report.parameters)  # what the build reads: the closing in force now
    base = getattr(settings, "CENTRIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    stamp = Stamp(verification_code=report.verification_code, verify_url=f"{base}{reverse('reports:verify')}")
    try:
        with translation.override(report.language or settings.LANGUAGE_CODE):
            built = document.build(report.parameters, progress, stamp)
        name, checksum = _store(report, built.content, built.filename)
    except Exception as error:
        logger.exception("report %s failed", report.pk)
        GeneratedReport.objects.filter(pk=report.pk, claimed_by=task_id).update(
            status=GeneratedReport.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        current = GeneratedReport.objects.select_for_update().get(pk=report.pk)
        if current.claimed_by != task_id or current.status != GeneratedReport.Status.RUNNING:
            return current
        current.file.name = name
        current.checksum = checksum
        current.input_checksum = built.input_checksum
        current.snapshot_checksum = frozen
        current.is_final = bool(frozen) or current.is_final
        current.status = GeneratedReport.Status.DONE
        current.progress = 100
        current.error = ""
        current.finished_at = timezone.now()
        current.save(
            update_fields=[
                *("file", "checksum", "input_checksum", "snapshot_checksum", "is_final"),
                *("status", "progress", "error", "finished_at"),
            ]
        )
    logger.info(
        "report %s built: %s, %d bytes",
        current.pk,
        current.kind,
        len(built.content),
        extra={"event": "report.built", "report_id": current.pk, "kind": current.kind, "bytes": len(built.content)},
    )
    _after_done(current)
    return current


def _after_done(report: GeneratedReport) -> None:
    """The kind's follow-up (e.g. the batch's emails); idempotent, so it may run again on redelivery."""
    document = get_kind(report.kind)
    if document.after_done is not None:
        document.after_done(report)


def archive_copy(
    *,
    kind: str,
    parameters: Mapping[str, Any],
    source: GeneratedReport,
    name: str | None,
    checksum: str,
    input_checksum: str,
    user,
    verification_code: str | None = None,
) -> GeneratedReport:
    """A done archive entry for `user` pointing at an already stored file (one per user, reused on reruns).
    `verification_code`: the code the file prints when it is not the source's (a team PDF of a batch)."""
    key = request_key(kind, parameters)
    with transaction.atomic():
        existing = (
            GeneratedReport.objects.select_for_update()
            .filter(request_key=key, requested_by=user, status=GeneratedReport.Status.DONE, checksum=checksum)
            .first()
        )
        if existing is not None:
            return existing
        now = timezone.now()
        report = GeneratedReport(
            kind=kind,
            parameters=dict(parameters),
            request_key=key,
            requested_by=user,
            status=GeneratedReport.Status.DONE,
            progress=100,
            checksum=checksum,
            input_checksum=input_checksum,
            snapshot_checksum=source.snapshot_checksum,
            language=source.language,
            template_version=source.template_version,
            verification_code=verification_code or source.verification_code,
            is_final=source.is_final,
            claimed_by=f"batch-{source.pk}",
            started_at=now,
            finished_at=now,
        )
        report.file.name = name
        report.save()
    return report


VALUE_MODEL_FIELDS = [
    "currency",
    "customers",
    "baseline_code",
    "revenue_per_customer",
    "cost_per_assisted_contact",
    "cost_per_self_service_contact",
]


def save_value_model(*, period_code: str, values: Mapping[str, Any], actor) -> ValueModel:
    """Create or update a period's value model; refused for a closed period; audited."""
    from core.audit import record, snapshot
    from culture.models import Period

    with transaction.atomic():
        period, _created = Period.objects.get_or_create_for_code(period_code)
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.is_closed:
            raise ValueError(f"Period {period.code} is closed; its value model is frozen.")
        model = ValueModel.objects.filter(period=period).first()
        before = snapshot(model, VALUE_MODEL_FIELDS) if model else None
        model = model or ValueModel(period=period)
        for name in VALUE_MODEL_FIELDS:
            setattr(model, name, values.get(name, getattr(model, name)))
        model.updated_by = actor
        model.full_clean()
        model.save()
        record(
            actor=actor, action="value_model.save", obj=model, before=before, after=snapshot(model, VALUE_MODEL_FIELDS)
        )
    return model


def requeue_stale_reports(
    *, queued_for: dt.timedelta, running_for: dt.timedelta, enqueue: Callable[[int], None]
) -> list[int]:
    """Send again the reports whose message was lost (queued too long) or whose worker died (running past
    the hard time limit). A duplicate delivery is harmless: `_claim` lets one task build a report."""
    now = timezone.now()
    stale = Q(status=GeneratedReport.Status.QUEUED, enqueued_at__lt=now - queued_for) | Q(
        status=GeneratedReport.Status.RUNNING, started_at__lt=now - running_for
    )
    requeued = []
    with transaction.atomic():
        for report in GeneratedReport.objects.select_for_update(skip_locked=True).filter(stale):
            report.status, report.claimed_by, report.progress = GeneratedReport.Status.QUEUED, "", 0
            report.enqueued_at = now
            report.save(update_fields=["status", "claimed_by", "progress", "enqueued_at"])
            enqueue(report.pk)
            requeued.append(report.pk)
    if requeued:
        logger.warning("requeued %d stale reports: %s", len(requeued), requeued)
    return requeued
