"""The Celery app: eager in-process without a broker; a real worker round trip when CI starts one."""

import os
import uuid

import pytest
from django.conf import settings

from config.celery_app import app
from core.tasks import health_check


def test_reliability_settings_are_on():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_max_tasks_per_child
    assert conf.accept_content == ["json"]


def test_eager_exactly_when_no_broker_is_configured():
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.CELERY_BROKER_URL)


@pytest.mark.django_db
def test_health_check_task_answers_with_token_and_database_state():
    result = health_check.apply(args=["abc"]).get(timeout=5)
    assert result == {"token": "abc", "database": True, "worker": result["worker"]}
    assert result["database"] is True


@pytest.mark.worker
def test_task_round_trip_through_a_real_worker():
    assert os.environ.get("CELERY_BROKER_URL"), "set CELERY_BROKER_URL and start a worker (see .ci/run)"
    assert app.conf.task_always_eager is False
    token = uuid.uuid4().hex
    result = health_check.delay(token).get(timeout=60)
    assert result["token"] == token
    assert result["database"] is True
    assert result["worker"].startswith("ci@")
