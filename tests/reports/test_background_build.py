"""Without a broker (eager tasks), a requested report is built in a background thread: the request returns at
once with the report queued, and the page polls its progress as with a worker."""

from __future__ import annotations

import pytest

from reports import tasks
from reports.models import GeneratedReport

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_report_builds_off_the_request_and_finishes_in_the_background(settings, cco, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORTS_BACKGROUND_WHEN_EAGER = True
    settings.CELERY_TASK_ALWAYS_EAGER = True  # CI's PostgreSQL pass configures a broker; this is the no-broker case
    threads = []
    started = tasks.start_in_background

    def keep(report_id):
        thread = started(report_id)
        threads.append(thread)
        return thread

    monkeypatch.setattr(tasks, "start_in_background", keep)
    report = tasks.request_report(kind="board_report", parameters={"period": "2026-Q3"}, user=cco)
    assert len(threads) == 1, "the build was handed to a thread after the commit"
    assert report.status == GeneratedReport.Status.QUEUED  # what the request saw: not built in-line
    threads[0].join(timeout=120)
    assert not threads[0].is_alive()
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE and report.progress == 100
    assert report.file.read().startswith(b"%PDF-")


def test_tests_and_workers_build_in_line(settings, cco, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(tasks, "start_in_background", lambda _id: pytest.fail("no thread without the setting"))
    report = tasks.request_report(kind="board_report", parameters={"period": "2026-Q3"}, user=cco)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
