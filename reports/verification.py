"""Checking a document against the archive: by the PDF's own bytes (SHA-256) or by its verification code.

The answer says only whether the document is genuine (the archive holds it and it is still in force),
superseded (the archive holds it, but a later close or reopening replaced its data) or unknown, with its
period and issue date: nothing else about the archive or its figures. Read-only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from .documents import REGISTRY
from .models import GeneratedReport

GENUINE, SUPERSEDED, UNKNOWN = "genuine", "superseded", "unknown"
CODE_CHARACTERS = re.compile(r"[^A-Z2-7]")


@dataclass(frozen=True)
class Verdict:
    """What the verify page and command say about one document."""

    standing: str
    period: str = ""
    issued: dt.date | None = None
    kind: str = ""
    input_checksum: str = ""  # the command prints it; the public page does not


def standing(report: GeneratedReport) -> str:
    """Genuine, or superseded when marked so or when its period's frozen data has changed since it was built."""
    if report.superseded_at is not None:
        return SUPERSEDED
    document = REGISTRY.get(report.kind)
    if document is not None and document.frozen_key is not None and "period" in report.parameters:
        current = document.frozen_key(report.parameters)
        # Built from a closing no longer in force, or from live data of a period closed since.
        if report.snapshot_checksum != current and (current or report.snapshot_checksum):
            return SUPERSEDED
    return GENUINE


def _verdict(report: GeneratedReport | None) -> Verdict:
    if report is None:
        return Verdict(UNKNOWN)
    issued = report.finished_at.date() if report.finished_at else None
    period = str(report.parameters.get("period", ""))
    return Verdict(standing(report), period, issued, report.kind, report.input_checksum)


def _done() -> object:
    return GeneratedReport.objects.filter(status=GeneratedReport.Status.DONE).order_by("created_at", "pk")


def verify_file(content: bytes) -> Verdict:
    """The verdict on a document's bytes: only a byte-identical copy of an archived file is known."""
    checksum = hashlib.sha256(content).hexdigest()
    return _verdict(_done().filter(checksum=checksum).first())  # type: ignore[attr-defined]


def normalise_code(code: str) -> str:
    """A typed code in the form stored: capitals, without spaces or dashes (base32 letters and digits 2-7)."""
    return CODE_CHARACTERS.sub("", code.upper())


def verify_code(code: str) -> Verdict:
    """The verdict on a verification code as printed in a document's footer."""
    code = normalise_code(code)
    if len(code) < 10:
        return Verdict(UNKNOWN)
    return _verdict(_done().filter(verification_code=code).first())  # type: ignore[attr-defined]
