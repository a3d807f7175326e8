"""/healthz and /readyz: public, JSON, 503 naming the failing dependency and nothing more."""

from __future__ import annotations

import time

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import health

pytestmark = pytest.mark.django_db


def _ok() -> health.Outcome:
    return health.Outcome(True)


@pytest.fixture
def all_ready(monkeypatch):
    """Every check passes (the test process has no broker, worker or beat); a test then breaks one."""
    for name in health.CHECKS:
        monkeypatch.setitem(health.CHECKS, name, _ok)


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_lists_every_check_with_its_time(client, all_ready):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "worker", "beat"}
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())


def test_the_real_database_and_cache_checks_pass(client):
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        assert health.check_database().ok
    assert len(queries) == 1
    assert health.check_cache().ok


@pytest.mark.parametrize("failing", ["database", "cache", "broker", "worker", "beat"])
def test_a_failing_dependency_makes_readyz_503(client, all_ready, monkeypatch, failing):
    def broken() -> health.Outcome:
        raise ConnectionError("secret-host:6379 refused password hunter2")

    monkeypatch.setitem(health.CHECKS, failing, broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failing] == {"ok": False, "ms": body["checks"][failing]["ms"], "detail": "error"}
    assert [name for name, check in body["checks"].items() if not check["ok"]] == [failing]
    assert b"secret-host" not in response.content and b"hunter2" not in response.content


def test_a_check_that_says_no_makes_readyz_503(client, all_ready, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "cache", lambda: health.Outcome(False))
    assert client.get("/readyz").status_code == 503


def test_probes_need_no_login_even_when_mfa_is_required(client, all_ready, settings):
    settings.CENTRIC_REQUIRE_MFA = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.fixture
def with_broker(monkeypatch):
    """The heartbeat checks as they run with a real broker (the test process is eager)."""
    monkeypatch.setattr(health, "_eager", lambda: False)


def test_worker_and_beat_fail_until_their_heartbeats_are_seen(with_broker):
    assert health.check_worker() == health.Outcome(False, "never seen")
    assert health.check_beat() == health.Outcome(False, "never seen")
    health.record_worker_heartbeat()
    health.record_beat_heartbeat()
    assert health.check_worker().ok and health.check_beat().ok


def test_a_stale_heartbeat_fails(with_broker, settings):
    from django.core.cache import cache

    cache.set(health.WORKER_KEY, time.time() - settings.CENTRIC_HEARTBEAT_MAX_AGE_SECONDS - 5)
    outcome = health.check_worker()
    assert not outcome.ok and outcome.detail.endswith("s ago")


def test_the_heartbeat_task_notes_the_worker_and_its_publication_notes_beat(with_broker):
    from core.tasks import heartbeat

    heartbeat.apply()
    assert health.check_worker().ok
    assert not health.check_beat().ok  # running it is the worker's part; sending it is beat's
    from celery.signals import before_task_publish

    # Eager tasks publish no message; send the signal beat's publication sends.
    before_task_publish.send(sender="core.heartbeat", body=None)
    assert health.check_beat().ok


def test_beat_schedules_the_heartbeat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["core-heartbeat"]
    assert entry["task"] == health.HEARTBEAT_TASK
    assert entry["schedule"] <= settings.CENTRIC_HEARTBEAT_MAX_AGE_SECONDS / 2


def test_eager_mode_needs_no_broker_worker_or_beat():
    assert health.check_broker().ok and health.check_worker().ok and health.check_beat().ok
