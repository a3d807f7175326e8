"""Structured logs: the request id (taken or made, echoed), the user id and the timing on every line."""

from __future__ import annotations

import json
import logging
import logging.config
import sys

import pytest

from core.logs import REQUEST_ID_HEADER, JsonFormatter, RequestContextFilter, logging_config

pytestmark = pytest.mark.django_db


def _request_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "centric.request"]


def test_a_request_id_is_made_echoed_and_logged_with_user_and_timing(client, cco, caplog):
    client.force_login(cco)
    with caplog.at_level(logging.INFO, logger="centric.request"):
        response = client.get("/culture/kpis/")
    request_id = response[REQUEST_ID_HEADER]
    assert len(request_id) == 32
    (line,) = _request_lines(caplog)
    assert line.request_id == request_id
    assert line.status == response.status_code
    assert line.method == "GET" and line.path == "/culture/kpis/"
    assert line.duration_ms >= 0
    RequestContextFilter().filter(line)
    assert json.loads(JsonFormatter().format(line))["user_id"] == cco.pk


def test_a_well_formed_client_request_id_is_kept_and_a_bad_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c2e-0001"})
    assert kept[REQUEST_ID_HEADER] == "lb-7f3a9c2e-0001"
    replaced = client.get("/healthz", headers={"X-Request-ID": "x\r\nSet-Cookie: a=b"})
    assert replaced[REQUEST_ID_HEADER] != "x\r\nSet-Cookie: a=b" and len(replaced[REQUEST_ID_HEADER]) == 32


def test_anonymous_requests_log_no_user_and_probes_log_quietly(client, caplog):
    with caplog.at_level(logging.INFO, logger="centric.request"):
        client.get("/healthz")
        client.get("/accounts/login/")
    (line,) = _request_lines(caplog)  # /healthz is DEBUG
    assert line.path == "/accounts/login/"
    RequestContextFilter().filter(line)
    assert line.user_id is None


def test_records_logged_inside_a_request_carry_its_id(client, cco, caplog, monkeypatch):
    from core import health

    monkeypatch.setitem(health.CHECKS, "cache", lambda: health.Outcome(False))
    with caplog.at_level(logging.WARNING, logger="core.health"):
        response = client.get("/readyz", headers={"X-Request-ID": "probe-0000000001"})
    (warning,) = [record for record in caplog.records if record.name == "core.health"]
    RequestContextFilter().filter(warning)
    assert warning.request_id == "probe-0000000001" == response[REQUEST_ID_HEADER]


def test_json_formatter_writes_one_object_with_extra_fields_and_the_exception():
    logger = logging.getLogger("centric.test")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logger.makeRecord(
            "centric.test",
            logging.ERROR,
            __file__,
            1,
            "import %s failed",
            ("b1",),
            exc_info=sys.exc_info(),
            extra={"batch_id": 7},
        )
    RequestContextFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "import b1 failed"
    assert entry["level"] == "ERROR" and entry["logger"] == "centric.test"
    assert entry["batch_id"] == 7
    assert "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_logging_config_json_in_production_and_plain_locally():
    assert logging_config("json")["handlers"]["console"]["formatter"] == "json"
    assert logging_config()["handlers"]["console"]["formatter"] == "plain"
    with pytest.raises(ValueError, match="json"):
        logging_config("xml")
    logging.config.dictConfig(logging_config("json"))  # it is a valid configuration
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
