"""Shared by the document commands: build a registered kind through the archive and write the file atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from reports.documents import get_kind
from reports.models import GeneratedReport
from reports.services import request_report, run_report


def archived_document(kind: str, parameters: dict) -> GeneratedReport:
    """The archive's done copy of the document: built now in this process (stamped with a verification code and
    filed, so the verify page and `verify_report` accept it), or a closed period's copy already archived (the
    same bytes again). The command asks as nobody in particular (`requested_by` empty)."""
    document = get_kind(kind)
    try:
        cleaned = document.clean_parameters(parameters)
    except ValueError as error:
        raise CommandError(str(error)) from error
    queued: list[int] = []
    report = request_report(kind=kind, parameters=cleaned, user=None, enqueue=queued.append)
    for pk in queued:  # run here, after request_report's transaction, instead of on a worker
        report = run_report(report_id=pk, task_id=f"command-{pk}") or GeneratedReport.objects.get(pk=pk)
    report.refresh_from_db()
    if report.status == GeneratedReport.Status.FAILED:
        raise CommandError(f"Report #{report.pk} failed: {report.error}")
    if report.status != GeneratedReport.Status.DONE:
        raise CommandError(f"Report #{report.pk} is being built by a worker ({report.status}): run again when done.")
    return report


def write_document(kind: str, parameters: dict, out: str) -> tuple[Path, GeneratedReport, int]:
    """Build (or reuse) `kind` with `parameters`; write it to `out` via a temporary file and a rename (never
    half-written). Returns the path, the archive entry (its input checksum and verification code) and the size."""
    report = archived_document(kind, parameters)
    with report.file.open("rb") as stored:
        content = stored.read()
    path = Path(out)
    if path.is_dir():
        path = path / _filename(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path, report, len(content)


def _filename(report: GeneratedReport) -> str:
    """The download name: what follows the report id and the hash prefix in the stored name."""
    return Path(report.file.name or "report.pdf").name.split("-", 2)[-1]
