"""Every report kind built by a real Celery worker, then read back from the stored file.

Run by .ci/run, whose worker uses the test database (pytest-django's `test_` copy) so that it sees the rows a
transactional test commits; MEDIA_ROOT is the same directory for both processes (the test settings' default).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
import zipfile
from decimal import Decimal

import pytest

from config.celery_app import app
from incentives import services as incentive_services
from incentives.models import PayoutLine, PayoutRun
from reports.models import BatchNotification, GeneratedReport
from reports.tasks import request_report
from tests.factories import PersonFactory
from tests.incentives.conftest import org, plan, scorecards  # noqa: F401 - fixtures
from tests.incentives.factories import PlanFactory

from .pdf_helpers import pdf_pages, pdf_text
from .sample import seed_measurements, seed_review, seed_targets, seed_value_model

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WAIT_SECONDS = 180


@pytest.fixture(autouse=True)
def _real_worker():
    assert os.environ.get("CELERY_BROKER_URL"), "set CELERY_BROKER_URL and start a worker (see .ci/run)"
    assert app.conf.task_always_eager is False


@pytest.fixture
def measured(team_a, team_b):
    seed_measurements([team_a, team_b], last_month="2026-09", months=13)
    period = seed_targets("2026-09")
    seed_targets("2026-08")
    seed_targets("2025-09")
    seed_review(team_a, period, PersonFactory(name="Ada Owner"), kpi_code="nps")
    return period


def _built_by_worker(report: GeneratedReport) -> GeneratedReport:
    """Wait for the worker's task (follow-ups included) through the result backend; the report must be done."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not report.claimed_by and time.monotonic() < deadline:
        time.sleep(0.2)
        report.refresh_from_db()
    assert report.claimed_by, f"no worker claimed report {report.pk} within {WAIT_SECONDS} s"
    assert app.AsyncResult(report.claimed_by).get(timeout=WAIT_SECONDS) == GeneratedReport.Status.DONE
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE, report.error
    assert report.progress == 100 and report.attempts == 1
    return report


def _content(report: GeneratedReport) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def test_worker_builds_a_team_scorecard(measured, team_a, cco):
    report = request_report(kind="team_scorecard", parameters={"team": "team-a", "period": "2026-09"}, user=cco)
    pages = pdf_pages(_content(_built_by_worker(report)))
    assert "Team A: customer scorecard 2026-09" in pages[0]
    assert "Ada Owner" in " ".join(pages)


def test_worker_builds_the_board_report(measured, cco):
    seed_value_model()
    PayoutRun.objects.create(
        plan=PlanFactory(period=measured),
        status="paid",
        currency="EUR",
        total=Decimal("1000.000"),
        approved_by=cco,
        approved_at=dt.datetime(2026, 10, 5, tzinfo=dt.UTC),
    )
    report = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    text = pdf_text(_content(_built_by_worker(report)))
    assert "Customer board report 2026-09" in text
    # contacts from the data: (871 - 851) / 2,050 x 2,050 contacts x (EUR 6 - EUR 1) = EUR 100 (test_board_report)
    assert "Cost saved by self-service EUR 100.00" in text
    assert "Incentive spend EUR 1,000.00" in text


def test_worker_builds_an_incentive_statement(cco, org, team_a, team_b, plan, scorecards):  # noqa: F811
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="90")
    run = incentive_services.create_payout_run(plan=plan, actor=cco)
    incentive_services.calculate_payouts(run_id=run.pk, actor=cco)
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    report = request_report(kind="incentive_statement", parameters={"line": line.pk}, user=cco)
    text = pdf_text(_content(_built_by_worker(report)))
    assert "Incentive statement Mover · FCR bonus · period 2026-09" in text
    assert f"Payout EUR {line.amount:,.2f}" in text


def test_worker_builds_the_batch_and_files_each_leads_copy(measured, cco, lead_a, lead_b):
    batch = request_report(kind="team_scorecards_batch", parameters={"period": "2026-09"}, user=cco)
    archive = zipfile.ZipFile(io.BytesIO(_content(_built_by_worker(batch))))
    assert sorted(archive.namelist()) == [
        "manifest.json",
        "scorecard-team-a-2026-09.pdf",
        "scorecard-team-b-2026-09.pdf",
    ]
    assert json.loads(archive.read("manifest.json"))["period"] == "2026-09"
    assert "Team B: customer scorecard 2026-09" in pdf_text(archive.read("scorecard-team-b-2026-09.pdf"))
    copies = GeneratedReport.objects.filter(kind="team_scorecard", status=GeneratedReport.Status.DONE)
    assert sorted(copies.values_list("requested_by__email", flat=True)) == ["lead.a@example.com", "lead.b@example.com"]
    assert BatchNotification.objects.filter(batch=batch, sent_at__isnull=False).count() == 2
