"""Pure checks on candidate input: the CV's real type from its first bytes, phone numbers for duplicate
matching, and the retention date bounded by policy. No ORM, no request: tested exactly and fast."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

MAX_CV_BYTES = 5 * 1024 * 1024
# Read at most this much of the upload to decide its type (a zip's directory sits at its end).
_ZIP_SCAN_BYTES = MAX_CV_BYTES

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff_cv_type(head: bytes, whole: bytes | None = None) -> str | None:
    """'pdf', 'docx', 'odt' or None (anything else), from the content, never the file name.

    `head` is the start of the file; `whole` the full content, needed to look inside a zip container
    (a DOCX holds word/document.xml; an ODT starts with its `mimetype` member).
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if head[30:38] == b"mimetype" and ODT_MIMETYPE in head[38:100]:
            return "odt"
        try:
            with zipfile.ZipFile(io.BytesIO(whole if whole is not None else head)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def cv_extension_matches(name: str, kind: str) -> bool:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension == kind


def phone_digits(phone: str) -> str:
    """The digits of a phone number, for matching '+31 6 5550 0001' with '+31-6-55500001'."""
    return re.sub(r"\D", "", phone or "")


def latest_retention(today: dt.date, days: int) -> dt.date:
    """The latest a candidate's data may be kept under the policy: today plus the retention period."""
    return today + dt.timedelta(days=days)


def retention_after_application(applied_on: dt.date, today: dt.date, days: int) -> dt.date:
    """Retention runs from the application, never beyond the policy's limit from today."""
    return min(applied_on + dt.timedelta(days=days), latest_retention(today, days))
