"""Team scorecard PDF: figures read back against the scorecard data, pages, static-only fetching, reproducibility."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pdf import STATIC_BASE, StaticOnlyFetcher
from culture.measurements.rollups import refresh_rows
from culture.models import Measurement, Period
from culture.scorecards import close_period
from reports.documents import get_kind
from reports.documents.team_scorecard import gather_team_scorecards, render_team_scorecard
from reports.models import GeneratedReport
from reports.tasks import request_report
from tests.factories import PersonFactory, TeamFactory

from .pdf_helpers import pdf_pages, pdf_text
from .sample import seed_measurements, seed_review, seed_targets

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(team_a, team_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_measurements([team_a, team_b], last_month="2026-09", months=13)
    period = seed_targets("2026-09")
    seed_targets("2026-08")
    seed_review(team_a, period, PersonFactory(name="Ada Owner"))
    return period


def _one(team, code="2026-09"):
    (data,) = gather_team_scorecards(period_code=code, team_ids=[team.pk])
    return data


def test_pdf_states_the_team_figures_of_the_scorecard(scored, team_a):
    # team index 0, last month: AHT 280 + 12 = 292 s; FCR 680/1000; retention (2000-60)/2000; NPS (45-15)/100
    data = _one(team_a)
    fetcher = StaticOnlyFetcher()
    pdf, checksum = render_team_scorecard(data, fetcher=fetcher)
    text = pdf_text(pdf)
    assert "Team A: customer scorecard 2026-09" in text
    assert "Average handle time 292 s 300 s" in text
    assert "First-contact resolution 68.0 % 75.0 %" in text
    assert "Customer retention rate 97.0 % 92.0 %" in text
    assert "Net Promoter Score 30 40" in text
    assert f"Composite score (0{chr(0x2013)}100) {data.card.composite}" in text
    assert "Restore the history panel and coach on it." in text
    assert "100 x contacts resolved at first contact / contacts" in text  # the KPI definition
    assert checksum in text.replace(" ", "")
    assert fetcher.fetched == [f"{STATIC_BASE}static/css/pdf.css"]


def test_pdf_has_three_pages_with_numbers(scored, team_a):
    pdf, _checksum = render_team_scorecard(_one(team_a))
    pages = pdf_pages(pdf)
    assert len(pages) == 3
    assert "Page 1 of 3" in pages[0] and "Page 3 of 3" in pages[2]
    assert "Trends, last 12 periods" in pages[1]


def test_gathering_takes_the_same_queries_for_two_or_twelve_teams(scored, team_a, team_b):
    with CaptureQueriesContext(connection) as two:
        gather_team_scorecards(period_code="2026-09")
    more = [TeamFactory() for _ in range(10)]
    seed_measurements(more, last_month="2026-09", months=2)
    with CaptureQueriesContext(connection) as twelve:
        result = gather_team_scorecards(period_code="2026-09")
    assert len(result) == 12
    assert len(twelve) == len(two) <= 12


def test_closed_period_is_reproduced_byte_for_byte_with_its_snapshot_checksum(scored, team_a):
    close_period(code="2026-09", actor=None)
    first, checksum = render_team_scorecard(_one(team_a))
    again, checksum_again = render_team_scorecard(_one(team_a))
    assert first == again and checksum == checksum_again
    data = _one(team_a)
    assert data.is_final and len(data.snapshot_checksum) == 64
    assert data.snapshot_checksum in pdf_text(first).replace(" ", "")


def test_checksum_changes_when_a_figure_changes(scored, team_a):
    before = render_team_scorecard(_one(team_a))[1]
    changed = Measurement.objects.filter(team=team_a, kpi__code="aht", date__month=9, date__year=2026)
    changed.update(value=293)
    refresh_rows(changed)
    assert render_team_scorecard(_one(team_a))[1] != before


def test_archive_builds_it_and_reuses_a_closed_period(scored, team_a, cco, django_capture_on_commit_callbacks):
    close_period(code="2026-09", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="team_scorecard", parameters={"team": "team-a", "period": "2026-09"}, user=cco)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE and report.is_final
    assert report.file.name.endswith("scorecard-team-a-2026-09.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        again = request_report(kind="team_scorecard", parameters={"team": " team-a ", "period": "2026-09"}, user=cco)
    assert again.pk == report.pk


def test_unknown_team_or_period_is_refused():
    kind = get_kind("team_scorecard")
    with pytest.raises(ValueError, match="No team"):
        kind.clean_parameters({"team": "nope", "period": "2026-09"})


def test_command_writes_the_pdf(scored, team_a, tmp_path, capsys):
    out = tmp_path / "out" / "a.pdf"
    call_command("team_scorecard", team="team-a", period="2026-09", out=str(out))
    assert "Team A: customer scorecard 2026-09" in pdf_text(out.read_bytes())
    assert "Wrote" in capsys.readouterr().out
    assert not list(out.parent.glob("*.part"))


def test_command_refuses_an_unknown_team(tmp_path):
    with pytest.raises(CommandError, match="No team"):
        call_command("team_scorecard", team="nope", period="2026-09", out=str(tmp_path / "x.pdf"))


def test_open_period_is_not_final(scored):
    assert not get_kind("team_scorecard").is_final({"team": "team-a", "period": "2026-09"})
    Period.objects.filter(code="2026-09").update(status=Period.Status.CLOSED)
    assert get_kind("team_scorecard").is_final({"team": "team-a", "period": "2026-09"})


def test_lead_gets_their_own_copy_of_a_report_the_cco_archived(
    scored, team_a, cco, lead_a, django_capture_on_commit_callbacks
):
    close_period(code="2026-09", actor=None)
    params = {"team": "team-a", "period": "2026-09"}
    with django_capture_on_commit_callbacks(execute=True):
        first = request_report(kind="team_scorecard", parameters=params, user=cco)
    with django_capture_on_commit_callbacks(execute=True):
        copy = request_report(kind="team_scorecard", parameters=params, user=lead_a)
    first.refresh_from_db()
    assert copy.pk != first.pk and copy.requested_by == lead_a
    assert copy.file.name == first.file.name and copy.checksum == first.checksum
    assert GeneratedReport.objects.visible_to(lead_a).filter(pk=copy.pk).exists()
    assert GeneratedReport.objects.filter(kind="team_scorecard").count() == 2  # built once, filed twice
