"""Files kept for a while in the default storage (local folder or S3): what is older than a cut-off goes."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.utils import timezone


def delete_older_than(folder: str, age: dt.timedelta) -> int:
    """Delete the files directly in `folder` last modified more than `age` ago; returns how many."""
    cutoff = timezone.now() - age
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:  # the local storage has no folder until its first file
        return 0
    stale = [
        name for name in (f"{folder}/{file}" for file in files) if default_storage.get_modified_time(name) < cutoff
    ]
    for name in stale:
        default_storage.delete(name)
    return len(stale)
