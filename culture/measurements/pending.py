"""Uploaded files waiting between preview and confirmation: kept in the default storage by checksum.

Every read and write goes through Django's storage API, never the local disk, so the web node that took the
upload and the one that confirms it may be different machines sharing one bucket (docs/deployment.md).
The session remembers which checksums this user uploaded (and as what), so a user can confirm only
their own upload, and a checksum from a URL never reaches the storage unchecked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import BinaryIO, cast

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage

from core.storage import delete_older_than

SESSION_KEY = "pending_imports"
# The dry run of an upload is kept this long: reloading the preview must not parse the file again.
PREVIEW_SECONDS = 3600
_CHECKSUM = re.compile(r"[0-9a-f]{64}")


def name_for(checksum: str) -> str:
    """The storage name of a pending upload; only a SHA-256 checksum is accepted."""
    if not _CHECKSUM.fullmatch(checksum):
        raise ValueError("not a SHA-256 checksum")
    return f"{settings.CENTRIC_IMPORT_UPLOAD_DIR}/{checksum}"


def open_upload(checksum: str) -> BinaryIO:
    """The pending upload, opened for reading (a context manager)."""
    return cast(BinaryIO, default_storage.open(name_for(checksum), "rb"))  # a File opened "rb" reads bytes


def size_of(checksum: str) -> int:
    """The pending upload's size in bytes (the web runs big ones as a job)."""
    return default_storage.size(name_for(checksum))


def purge_stale(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete uploads nobody confirmed within `older_than`; returns how many."""
    return delete_older_than(settings.CENTRIC_IMPORT_UPLOAD_DIR, older_than)


def store_upload(upload) -> str:
    """Store an uploaded file under its SHA-256 (clearing out stale ones first); returns the checksum.

    The upload itself is handed to the storage, not a copy: a big one is already a temporary file, which the
    file-system storage moves into place (a rename on one disk) and any other storage reads once. Copying it
    first cost two more passes over the bytes, the upload's slowest part (about 1 s for 27 MB under load)."""
    purge_stale()
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    checksum = digest.hexdigest()
    name = name_for(checksum)
    if not default_storage.exists(name):  # same name, same content: an identical upload is already there
        upload.seek(0)
        saved = default_storage.save(name, upload)
        if saved != name:  # a concurrent identical upload won the name; keep one copy
            default_storage.delete(saved)
    return checksum


def remember(session, *, checksum: str, kind: str, filename: str, options: dict | None = None) -> None:
    """Remember an upload of this session, with how to read it (`wizard.ImportOptions.as_dict`, or None)."""
    pending = session.get(SESSION_KEY, {})
    pending[checksum] = {"kind": kind, "filename": filename[:255], "options": options}
    session[SESSION_KEY] = pending


def recall(session, checksum: str) -> dict | None:
    entry = session.get(SESSION_KEY, {}).get(checksum)
    if entry is None or not default_storage.exists(name_for(checksum)):
        return None
    return entry


def _preview_key(user_id: int, checksum: str) -> str:
    return f"import-preview:{user_id}:{checksum}"


def store_preview(user_id: int, checksum: str, result: object) -> None:
    cache.set(_preview_key(user_id, checksum), result, PREVIEW_SECONDS)


def stored_preview(user_id: int, checksum: str) -> object | None:
    return cache.get(_preview_key(user_id, checksum))


def drop_preview(user_id: int, checksum: str) -> None:
    """The kept dry run no longer holds (the file is read differently now)."""
    cache.delete(_preview_key(user_id, checksum))


def forget(session, checksum: str, *, user_id: int | None = None) -> None:
    pending = session.get(SESSION_KEY, {})
    pending.pop(checksum, None)
    session[SESSION_KEY] = pending
    if user_id is not None:
        cache.delete(_preview_key(user_id, checksum))
    # Another user who uploaded the identical file re-uploads it; files are cheap to send twice.
    default_storage.delete(name_for(checksum))
