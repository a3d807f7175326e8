"""The archive's job state machine: request, run, reuse, fail, retry; idempotent under redelivery."""

import pytest
from django.urls import reverse

from reports.models import GeneratedReport
from reports.services import run_report
from reports.tasks import request_report, retry_report
from tests.factories import UserFactory
from users.roles import Role

pytestmark = pytest.mark.django_db


def test_request_runs_the_job_and_archives_the_file(demo_kind, cco, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="demo", parameters={"period": "2026-q3"}, user=cco)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
    assert report.progress == 100
    assert report.parameters == {"period": "2026-Q3"}
    assert report.file.read() == b"%PDF-demo 2026-Q3"
    assert len(report.checksum) == 64
    assert report.input_checksum == "abc123"
    assert report.attempts == 1


def test_final_request_is_served_from_the_archive(demo_kind, cco, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = request_report(kind="demo", parameters={"period": "2025-Q4"}, user=cco)
    with django_capture_on_commit_callbacks(execute=True):
        again = request_report(kind="demo", parameters={"period": "2025-q4"}, user=cco)
    assert again.pk == first.pk
    assert demo_kind.count == 1


def test_open_period_request_is_built_again(demo_kind, cco, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    assert GeneratedReport.objects.count() == 2
    assert demo_kind.count == 2


def test_a_request_while_one_is_queued_returns_the_queued_one(demo_kind, cco):
    first = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    second = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    assert first.pk == second.pk
    assert GeneratedReport.objects.get().status == GeneratedReport.Status.QUEUED


def test_running_twice_builds_once_and_keeps_one_file(demo_kind, cco, tmp_path):
    report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    run_report(report_id=report.pk, task_id="t1")
    run_report(report_id=report.pk, task_id="t1")
    run_report(report_id=report.pk, task_id="t2")
    assert demo_kind.count == 1
    files = list((tmp_path / "reports" / "demo").iterdir())
    assert len(files) == 1


def test_redelivered_message_takes_over_from_a_dead_worker(demo_kind, cco):
    report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    GeneratedReport.objects.filter(pk=report.pk).update(status="running", claimed_by="t1", attempts=1, progress=40)
    assert run_report(report_id=report.pk, task_id="t2") is None, "another live task holds it"
    finished = run_report(report_id=report.pk, task_id="t1")
    assert finished.status == GeneratedReport.Status.DONE
    assert finished.attempts == 2


def test_partial_file_from_a_crash_is_replaced(demo_kind, cco, tmp_path):
    import hashlib

    report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    content = b"%PDF-demo 2026-Q3"
    checksum = hashlib.sha256(content).hexdigest()
    partial = tmp_path / "reports" / "demo" / f"{report.pk}-{checksum[:16]}-demo.pdf"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"%PDF-de")
    done = run_report(report_id=report.pk, task_id="t1")
    assert done.file.read() == content
    assert len(list(partial.parent.iterdir())) == 1


def test_failure_is_recorded_with_its_reason_and_can_be_retried(demo_kind, cco, django_capture_on_commit_callbacks):
    demo_kind.fail_with = RuntimeError("no scorecard for 2026-Q3")
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.FAILED
    assert report.error == "RuntimeError: no scorecard for 2026-Q3"
    assert not report.file
    demo_kind.fail_with = None
    with django_capture_on_commit_callbacks(execute=True):
        retry_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
    assert report.attempts == 2


def test_only_failed_reports_can_be_retried(demo_kind, cco):
    report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    with pytest.raises(ValueError, match="Only a failed report"):
        retry_report(report_id=report.pk)


def test_unknown_kind_is_refused(cco):
    with pytest.raises(ValueError, match="Unknown report kind"):
        request_report(kind="nope", parameters={}, user=cco)


def test_pages_show_only_own_reports_to_non_executives(client, demo_kind, cco, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    other = UserFactory(roles=[Role.LEAD])
    client.force_login(other)
    for name in ("report_detail", "report_status", "report_download"):
        assert client.get(reverse(f"reports:{name}", kwargs={"pk": report.pk})).status_code == 404
    assert client.post(reverse("reports:report_retry", kwargs={"pk": report.pk})).status_code == 404
    assert "demo" not in client.get(reverse("reports:report_list")).content.decode()


def test_executive_downloads_and_polls_status(client, demo_kind, cco, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    client.force_login(cco)
    status = client.get(reverse("reports:report_status", kwargs={"pk": report.pk})).json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    response = client.get(status["download_url"])
    assert response["Content-Disposition"] == 'attachment; filename="demo.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-demo 2026-Q3"
    page = client.get(reverse("reports:report_detail", kwargs={"pk": report.pk})).content.decode()
    assert report.checksum in page
    assert f"Report #{report.pk}: Demo</h1>" in page  # the kind's label, not its code
    archive = client.get(reverse("reports:report_list")).context["table"]
    assert [row.get_cell("kind") for row in archive.rows] == ["Demo"]


def test_anonymous_is_sent_to_login(client, demo_kind, cco):
    report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    response = client.get(reverse("reports:report_detail", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_sweeper_requeues_lost_and_orphaned_reports_and_they_finish_once(
    demo_kind, cco, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from reports.services import requeue_stale_reports
    from reports.tasks import enqueue_report

    lost = request_report(kind="demo", parameters={"period": "2026-Q1"}, user=cco)
    orphan = request_report(kind="demo", parameters={"period": "2026-Q2"}, user=cco)
    fresh = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    long_ago = timezone.now() - dt.timedelta(hours=2)
    GeneratedReport.objects.filter(pk=lost.pk).update(enqueued_at=long_ago)
    GeneratedReport.objects.filter(pk=orphan.pk).update(status="running", claimed_by="dead-task", started_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = requeue_stale_reports(
            queued_for=dt.timedelta(minutes=10), running_for=dt.timedelta(minutes=31), enqueue=enqueue_report
        )

    assert sorted(requeued) == sorted([lost.pk, orphan.pk])
    for report in (lost, orphan):
        report.refresh_from_db()
        assert report.status == GeneratedReport.Status.DONE, "the eager re-send built it"
    fresh.refresh_from_db()
    assert fresh.status == GeneratedReport.Status.QUEUED
    assert demo_kind.count == 2
    assert (
        requeue_stale_reports(
            queued_for=dt.timedelta(minutes=10), running_for=dt.timedelta(minutes=31), enqueue=enqueue_report
        )
        == []
    )


def test_a_late_original_task_after_a_requeue_writes_nothing_twice(demo_kind, cco, tmp_path):
    report = request_report(kind="demo", parameters={"period": "2026-Q3"}, user=cco)
    run_report(report_id=report.pk, task_id="requeued")
    assert run_report(report_id=report.pk, task_id="original") is None
    assert demo_kind.count == 1
    assert len(list((tmp_path / "reports" / "demo").iterdir())) == 1
