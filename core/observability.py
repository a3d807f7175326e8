"""The optional error-reporting hook: Sentry, configured from settings only when SENTRY_DSN is set."""

from __future__ import annotations

from typing import Any


def init_sentry(
    dsn: str,
    *,
    environment: str = "production",
    traces_sample_rate: float = 0.0,
    transport: Any = None,
) -> bool:
    """Start the Sentry SDK with Django and Celery integrations; returns whether it is active.

    send_default_pii stays False: no user emails, cookies, addresses or request bodies leave the site;
    the user id and request id (core.logs) are enough to find the log lines of an error.
    """
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options: dict[str, Any] = {
        "dsn": dsn,
        "environment": environment,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        "send_default_pii": False,
        "traces_sample_rate": traces_sample_rate,
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    return sentry_sdk.get_client().is_active()
