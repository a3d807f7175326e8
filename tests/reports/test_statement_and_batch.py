"""Incentive statement PDF, and the batch of all team scorecards with one email per lead."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from core.pdf import STATIC_BASE, StaticOnlyFetcher
from incentives import services as incentive_services
from incentives.models import PayoutLine
from reports.documents.batch import notify_leads
from reports.documents.statement import gather_statement, render_statement
from reports.models import BatchNotification, GeneratedReport
from reports.services import run_report
from reports.tasks import request_report
from tests.incentives.conftest import cco2, org, plan, scorecards  # noqa: F401 - fixtures
from tests.incentives.factories import close_period_of

from .pdf_helpers import pdf_pages, pdf_text
from .sample import seed_measurements, seed_targets

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(cco, plan, org, team_a, team_b, scorecards):  # noqa: F811
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="90")
    created = incentive_services.create_payout_run(plan=plan, actor=cco)
    return incentive_services.calculate_payouts(run_id=created.pk, actor=cco)


def test_statement_pdf_explains_every_number(run, org):  # noqa: F811
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    fetcher = StaticOnlyFetcher()
    pdf, checksum = render_statement(gather_statement(line_id=line.pk), fetcher=fetcher)
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    assert len(pages) == 1
    assert "Incentive statement Mover · FCR bonus · period 2026-09" in text
    assert "Payout EUR 400.00" in text
    assert (
        "FCR (Team A) 80.0 -> between target and stretch -> 100.00 % of target x 100.0 % weight -> EUR 100.00" in text
    )
    assert "Moved teams during the period" in text
    assert fetcher.fetched == [f"{STATIC_BASE}static/css/pdf.css"]
    assert len(checksum) == 64


def test_statement_adds_adjustments(run, org, cco, cco2):  # noqa: F811
    close_period_of(run.plan)
    incentive_services.approve_payout_run(run_id=run.pk, actor=cco2)
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    adjustment = incentive_services.add_adjustment(
        run_id=run.pk, person_id=org["mover"].pk, amount="25.000", reason="Missed a shift swap", actor=cco2
    )
    text = pdf_text(render_statement(gather_statement(line_id=line.pk))[0])
    assert "Payout EUR 400.00" in text  # drafted, not yet approved by a second person: it does not count
    incentive_services.approve_adjustment(adjustment_id=adjustment.pk, actor=cco)
    text = pdf_text(render_statement(gather_statement(line_id=line.pk))[0])
    assert "Payout EUR 425.00" in text
    assert "Missed a shift swap" in text


# --- batch --------------------------------------------------------------------------------------
@pytest.fixture
def batch_data(team_a, team_b, lead_a, lead_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_measurements([team_a, team_b], last_month="2026-09", months=13)
    seed_targets("2026-09")


def _run_batch(cco, capture):
    with capture(execute=True):
        batch = request_report(kind="team_scorecards_batch", parameters={"period": "2026-09"}, user=cco)
    batch.refresh_from_db()
    return batch


def test_batch_zips_every_team_and_emails_each_lead_once(
    batch_data, cco, lead_a, lead_b, mailoutbox, django_capture_on_commit_callbacks
):
    batch = _run_batch(cco, django_capture_on_commit_callbacks)
    assert batch.status == GeneratedReport.Status.DONE and batch.progress == 100
    archive = zipfile.ZipFile(io.BytesIO(batch.file.read()))
    names = sorted(archive.namelist())
    assert names == ["manifest.json", "scorecard-team-a-2026-09.pdf", "scorecard-team-b-2026-09.pdf"]
    assert "Team B: customer scorecard 2026-09" in pdf_text(archive.read("scorecard-team-b-2026-09.pdf"))
    assert json.loads(archive.read("manifest.json"))["teams"]["team-a"]["file"] == "scorecard-team-a-2026-09.pdf"
    assert sorted(m.to[0] for m in mailoutbox) == ["lead.a@example.com", "lead.b@example.com"]
    mail_a = next(m for m in mailoutbox if m.to == ["lead.a@example.com"])
    copy = GeneratedReport.objects.visible_to(lead_a).get(kind="team_scorecard")
    assert f"http://127.0.0.1:8000/reports/{copy.pk}/download/" in mail_a.body
    assert copy.parameters == {"team": "team-a", "period": "2026-09"}
    assert not GeneratedReport.objects.visible_to(lead_b).filter(parameters__team="team-a").exists()
    assert BatchNotification.objects.filter(batch=batch, sent_at__isnull=False).count() == 2

    # a redelivered task and a second follow-up send nothing more
    run_report(report_id=batch.pk, task_id="redelivered")
    assert notify_leads(batch) == 0
    assert len(mailoutbox) == 2
    assert GeneratedReport.objects.filter(kind="team_scorecard").count() == 2


def test_batch_emails_go_through_the_outbox_once_even_after_a_crash(
    batch_data, cco, mailoutbox, django_capture_on_commit_callbacks
):
    from core.models import Notification
    from core.notifications import send_pending

    batch = _run_batch(cco, django_capture_on_commit_callbacks)
    notes = Notification.objects.filter(key__startswith=f"reports.batch:{batch.pk}:")
    assert sorted(notes.values_list("email", flat=True)) == ["lead.a@example.com", "lead.b@example.com"]
    # the follow-up crashed after recording lead B's copy but before the outbox row was stamped: a rerun
    # finds the same event key and queues nothing new
    BatchNotification.objects.filter(recipient__email="lead.b@example.com").update(sent_at=None)
    mailoutbox.clear()
    assert notify_leads(batch) == 1
    assert notes.count() == 2 and mailoutbox == []
    # the mail server never got lead B's email: the outbox sends it, once
    notes.filter(email="lead.b@example.com").update(status=Notification.Status.PENDING, sent_at=None)
    send_pending()
    send_pending()
    assert [m.to for m in mailoutbox] == [["lead.b@example.com"]]


def test_batch_page_lists_each_lead_and_what_was_sent(batch_data, cco, client, django_capture_on_commit_callbacks):
    batch = _run_batch(cco, django_capture_on_commit_callbacks)
    client.force_login(cco)
    page = client.get(f"/reports/{batch.pk}/").content.decode()
    assert "Sent to the team leads" in page
    for note in BatchNotification.objects.filter(batch=batch).select_related("recipient", "team"):
        assert note.recipient.email in page and note.team.name in page
        assert f"report #{note.report_id}" in page
    assert page.count(">Sent ") + page.count(">Sent<") >= 2


def test_lead_downloads_their_copy(batch_data, cco, lead_a, client, django_capture_on_commit_callbacks):
    _run_batch(cco, django_capture_on_commit_callbacks)
    copy = GeneratedReport.objects.get(kind="team_scorecard", requested_by=lead_a)
    client.force_login(lead_a)
    response = client.get(f"/reports/{copy.pk}/download/")
    assert response.status_code == 200
    assert 'filename="scorecard-team-a-2026-09.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_batch_progress_is_reported_per_team(batch_data, team_a, team_b):
    from reports.documents.batch import build

    seen: list[int] = []
    build({"period": "2026-09"}, seen.append)
    assert seen == [5, 50, 95]


def test_one_batch_per_period_and_kind_at_a_time(cco, lead_a):
    from django.db import IntegrityError, transaction

    from reports import services

    queued: list[int] = []
    first = services.request_report(
        kind="team_scorecards_batch", parameters={"period": "2026-09"}, user=cco, enqueue=queued.append
    )
    # a request that does not see the first one (a race: both found nothing) still gets the batch under way
    second = services.request_report(
        kind="team_scorecards_batch", parameters={"period": "2026-09"}, user=lead_a, enqueue=queued.append
    )
    assert second.pk == first.pk and queued == [first.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedReport.objects.create(kind="team_scorecards_batch", parameters={}, request_key=first.request_key)
    # another period is another batch; once the first is done, a new one may start
    other = services.request_report(
        kind="team_scorecards_batch", parameters={"period": "2026-08"}, user=cco, enqueue=queued.append
    )
    assert other.pk != first.pk
    GeneratedReport.objects.filter(pk=first.pk).update(status=GeneratedReport.Status.FAILED)
    again = services.request_report(
        kind="team_scorecards_batch", parameters={"period": "2026-09"}, user=lead_a, enqueue=queued.append
    )
    assert again.pk not in (first.pk, other.pk)
