"""Shared by the document commands: build a registered kind and write the file atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from reports.documents import NO_STAMP, get_kind


def write_document(kind: str, parameters: dict, out: str) -> tuple[Path, str, int]:
    """Build `kind` with `parameters`; write it to `out` via a temporary file and a rename (never half-written)."""
    document = get_kind(kind)
    try:
        cleaned = document.clean_parameters(parameters)
    except ValueError as error:
        raise CommandError(str(error)) from error
    # Not archived, so no verification code: the verify page knows only documents the archive built.
    built = document.build(cleaned, lambda _percent: None, NO_STAMP)
    path = Path(out)
    if path.is_dir():
        path = path / built.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(built.content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path, built.input_checksum, len(built.content)
