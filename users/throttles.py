"""API rate limits per user and per token, and a stricter one for bulk endpoints (rates in settings).

DRF's throttles read their rates once, at import; these read them per request, so a settings change
(environment or test) applies."""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings

from .models import ApiToken


class _LiveRates:
    scope: str | None

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)


class UserThrottle(_LiveRates, throttling.UserRateThrottle):
    """Per signed-in user (session or token), per client address for anonymous callers."""


class TokenThrottle(_LiveRates, throttling.SimpleRateThrottle):
    """Per API token: one leaked token of a busy user cannot use that user's whole budget unnoticed."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class BulkThrottle(_LiveRates, throttling.ScopedRateThrottle):
    """Endpoints that write many rows per call set `throttle_scope = "bulk"`."""


class VerifyThrottle(_LiveRates, throttling.SimpleRateThrottle):
    """The public "verify a report" page: per client address, signed in or not (rate "verify" in settings).

    Works on a plain Django view too: `allow_request(request, view)` reads only the address and the cache."""

    scope = "verify"

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
