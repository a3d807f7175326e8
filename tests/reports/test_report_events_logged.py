"""A built report is an event in the structured log (core.logs): its id, kind and size as fields."""

import logging

import pytest

from reports.tasks import request_report

pytestmark = pytest.mark.django_db


def test_a_built_report_is_logged_with_its_fields(demo_kind, cco, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="reports.services"), django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="demo", parameters={"period": "2026-q3"}, user=cco)
    (line,) = [record for record in caplog.records if getattr(record, "event", None) == "report.built"]
    assert line.report_id == report.pk and line.kind == "demo" and line.bytes == len(b"%PDF-demo 2026-Q3")
