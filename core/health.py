"""Health checks for load balancers: /healthz (the process answers) and /readyz (it can do its work).

The worker and beat are judged by timestamps in the cache, not by a round trip per probe: beat sends
`core.heartbeat` every CENTRIC_HEARTBEAT_EVERY_SECONDS and notes when (before_task_publish, in the beat
process); a worker that runs it notes when. Either note older than CENTRIC_HEARTBEAT_MAX_AGE_SECONDS fails.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views import View

logger = logging.getLogger(__name__)

HEARTBEAT_TASK = "core.heartbeat"
WORKER_KEY = "centric:health:worker"
BEAT_KEY = "centric:health:beat"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str = ""  # a fixed word or an age, never an error message (the endpoint is public)


def check_database() -> Outcome:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return Outcome(one == 1)


def check_cache() -> Outcome:
    key = "centric:health:probe"
    token = str(time.time_ns())
    cache.set(key, token, timeout=30)
    return Outcome(cache.get(key) == token)


def _eager() -> bool:
    from config.celery_app import app

    return bool(app.conf.task_always_eager)


def check_broker() -> Outcome:
    if _eager():
        return Outcome(True, "eager: tasks run in-process")
    from config.celery_app import app

    with app.connection_for_write(connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        conn.default_channel  # noqa: B018  # opening a channel talks to the broker (Redis: a PING)
    return Outcome(True)


def _age_check(key: str) -> Outcome:
    if _eager():
        return Outcome(True, "eager: no worker or beat")
    seen = cache.get(key)
    if seen is None:
        return Outcome(False, "never seen")
    age = time.time() - float(seen)
    return Outcome(age <= settings.CENTRIC_HEARTBEAT_MAX_AGE_SECONDS, f"{age:.0f}s ago")


def check_worker() -> Outcome:
    return _age_check(WORKER_KEY)


def check_beat() -> Outcome:
    return _age_check(BEAT_KEY)


CHECKS: dict[str, Callable[[], Outcome]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "worker": check_worker,
    "beat": check_beat,
}


def run_checks() -> tuple[bool, dict[str, dict[str, object]]]:
    """Every check, each timed; a check that raises has failed (the exception goes to the log only)."""
    results: dict[str, dict[str, object]] = {}
    for name in CHECKS:
        started = time.perf_counter()
        try:
            outcome = CHECKS[name]()  # looked up per call, so a test can patch one entry
        except Exception:
            logger.exception("readiness check %s failed", name)
            outcome = Outcome(False, "error")
        results[name] = {
            "ok": outcome.ok,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            **({"detail": outcome.detail} if outcome.detail else {}),
        }
    return all(result["ok"] for result in results.values()), results


def record_worker_heartbeat() -> None:
    cache.set(WORKER_KEY, time.time(), timeout=None)


def record_beat_heartbeat() -> None:
    cache.set(BEAT_KEY, time.time(), timeout=None)


class HealthzView(View):
    """Alive: answers 200 without touching the database, cache or broker (a load balancer's liveness probe)."""

    scoping = "none: a liveness probe shows no objects"

    def get(self, request: HttpRequest) -> JsonResponse:
        return _no_store(JsonResponse({"status": "ok"}))


class ReadyzView(View):
    """Ready: every dependency answers and the worker and beat were seen lately; 503 otherwise."""

    scoping = "none: a readiness probe shows no objects"

    def get(self, request: HttpRequest) -> JsonResponse:
        ready, checks = run_checks()
        if not ready:
            logger.warning("not ready: %s", ", ".join(name for name, result in checks.items() if not result["ok"]))
        body = {"status": "ok" if ready else "unavailable", "checks": checks}
        return _no_store(JsonResponse(body, status=200 if ready else 503))


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response
