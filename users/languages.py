"""The languages a user may choose, kept apart so the middleware, the adapters and the views share it."""

from __future__ import annotations

from django.utils import translation


def supported_language(code: str) -> str | None:
    """The configured language for a saved code, or None when it is empty or no longer offered."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None
