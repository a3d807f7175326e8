"""Uploaded files waiting between preview and confirmation: stored under MEDIA_ROOT by checksum.

The session remembers which checksums this user uploaded (and as what), so a user can confirm only
their own upload, and a checksum from a URL never reaches the file system unchecked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

SESSION_KEY = "pending_imports"
# The dry run of an upload is kept this long: reloading the preview must not parse the file again.
PREVIEW_SECONDS = 3600
_CHECKSUM = re.compile(r"[0-9a-f]{64}")


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / settings.CENTRIC_IMPORT_UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def path_for(checksum: str) -> Path:
    if not _CHECKSUM.fullmatch(checksum):
        raise ValueError("not a SHA-256 checksum")
    return _folder() / checksum


def purge_stale(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete uploads nobody confirmed within `older_than`; returns how many."""
    cutoff = time.time() - older_than.total_seconds()
    stale = [path for path in _folder().iterdir() if path.is_file() and path.stat().st_mtime < cutoff]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def store_upload(upload) -> str:
    """Write an uploaded file under its SHA-256 (clearing out stale ones first); returns the checksum."""
    purge_stale()
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=_folder(), delete=False) as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    checksum = digest.hexdigest()
    Path(out.name).replace(path_for(checksum))
    return checksum


def remember(session, *, checksum: str, kind: str, filename: str) -> None:
    pending = session.get(SESSION_KEY, {})
    pending[checksum] = {"kind": kind, "filename": filename[:255]}
    session[SESSION_KEY] = pending


def recall(session, checksum: str) -> dict | None:
    entry = session.get(SESSION_KEY, {}).get(checksum)
    if entry is None or not path_for(checksum).is_file():
        return None
    return entry


def _preview_key(user_id: int, checksum: str) -> str:
    return f"import-preview:{user_id}:{checksum}"


def store_preview(user_id: int, checksum: str, result: object) -> None:
    cache.set(_preview_key(user_id, checksum), result, PREVIEW_SECONDS)


def stored_preview(user_id: int, checksum: str) -> object | None:
    return cache.get(_preview_key(user_id, checksum))


def forget(session, checksum: str, *, user_id: int | None = None) -> None:
    pending = session.get(SESSION_KEY, {})
    pending.pop(checksum, None)
    session[SESSION_KEY] = pending
    if user_id is not None:
        cache.delete(_preview_key(user_id, checksum))
    # Another user who uploaded the identical file re-uploads it; files are cheap to send twice.
    path_for(checksum).unlink(missing_ok=True)
