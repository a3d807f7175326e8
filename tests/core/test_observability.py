"""The error-reporting hook: off unless SENTRY_DSN is set; when set, Django and Celery errors are captured
with no personal data. No network: the DSN points at 127.0.0.1 and a transport records the envelopes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sentry_sdk
from django.conf import settings
from sentry_sdk.transport import Transport

from core.observability import init_sentry


class RecordingTransport(Transport):
    def __init__(self, options=None) -> None:
        super().__init__(options)
        self.envelopes: list = []

    def capture_envelope(self, envelope) -> None:
        self.envelopes.append(envelope)


@pytest.fixture
def restore_sentry():
    yield
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_off_by_default():
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()
    assert init_sentry("") is False


def test_initialised_when_a_dsn_is_given_with_django_and_celery_and_no_pii(restore_sentry):
    transport = RecordingTransport()
    assert init_sentry("http://public@127.0.0.1:9/1", environment="ci", transport=transport)
    client = sentry_sdk.get_client()
    assert client.options["send_default_pii"] is False
    assert client.options["environment"] == "ci"
    assert {"django", "celery"} <= set(client.integrations)
    sentry_sdk.capture_message("ops hook test")
    client.flush(timeout=2)
    assert len(transport.envelopes) == 1
    event = transport.envelopes[0].get_event()
    assert event["message"] == "ops hook test"


def _settings_sentry_active(extra: dict[str, str]) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"} | extra
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    code = "import django, sentry_sdk; django.setup(); print(sentry_sdk.get_client().is_active())"
    result = subprocess.run(  # our own interpreter and a fixed program
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip()


def test_the_settings_start_sentry_only_when_sentry_dsn_is_set():
    assert _settings_sentry_active({}) == "False"
    # Nothing is sent: no event is captured, and the DSN's host is loopback on a closed port.
    assert _settings_sentry_active({"SENTRY_DSN": "http://public@127.0.0.1:9/1"}) == "True"
