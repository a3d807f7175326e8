"""Board report PDF: figures read back against scorecards and the value model, evidence, reproducibility."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from core.pdf import STATIC_BASE, StaticOnlyFetcher
from culture.scorecards import COMPANY, build_scorecards, close_period
from reports.documents import get_kind
from reports.documents.board_report import gather_board_report, render_board_report
from reports.models import GeneratedReport
from reports.tasks import request_report
from tests.factories import TeamFactory

from .pdf_helpers import pdf_pages, pdf_text
from .sample import seed_measurements, seed_value_model

pytestmark = pytest.mark.django_db


def test_report_states_company_figures_and_value_proven(board):
    fetcher = StaticOnlyFetcher()
    data = gather_board_report(period_code="2026-09")
    pdf, checksum = render_board_report(data, fetcher=fetcher)
    text = pdf_text(pdf)
    company = build_scorecards(period_code="2026-09", level=COMPANY)[None]
    assert f"CX index (composite 0{chr(0x2013)}100) {company.composite}" in text
    # retention (1940 + 2039) / 4100 = 97.0 % against (1941 + 2040) / 4100 = 97.1 % in 2026-08
    assert "Customer retention rate 97.0 % 97.1 % -0.1" in text
    # self-service 871 / 2050 = 42.5 % against 851 / 2050 = 41.5 %
    assert "Self-service rate 42.5 % 41.5 % +1.0" in text
    # From the unrounded rates and the counts in the data (base at the start 4,100 customers, 2,050 contacts):
    # (3,979 - 3,981) / 4,100 x 100 points / 100 x 4,100 customers x EUR 500 = -2 customers x 500 = EUR -1,000;
    # (871 - 851) / 2,050 x 100 points / 100 x 2,050 contacts x (6 - 1) = 20 contacts moved x 5 = EUR 100.
    assert "Revenue retained EUR -1,000.00" in text
    assert "= (97.05 % - 97.10 %) / 100 x 4,100 x EUR 500.00 = EUR -1,000.00" in text
    assert "Cost saved by self-service EUR 100.00" in text
    assert "= (42.49 % - 41.51 %) / 100 x 2,050 x (EUR 6.00 - EUR 1.00) = EUR 100.00" in text
    assert "Value (total) EUR -900.00" in text
    assert "Incentive spend EUR 1,000.00" in text
    assert "Incentive return (association, not a cause) -0.90 : 1" in text
    assert "= EUR -900.00 / EUR 1,000.00 = -0.90 : 1" in text
    assert "Restore the history panel and coach on it." in text  # the lead's action on the red NPS
    assert "100 x (promoters (9-10) - detractors (0-6)) / responses" in text
    assert "Source: live data 2026-09" in text
    assert checksum in text.replace(" ", "")
    assert fetcher.fetched == [f"{STATIC_BASE}static/css/pdf.css"]


def test_report_lists_departments_and_customers_per_team(board, team_a, team_b):
    text = pdf_text(render_board_report(gather_board_report(period_code="2026-09"))[0])
    assert team_a.department.name in text and team_b.department.name in text
    # team A gained 50, lost 60; team B gained 51, lost 61; the company 101 and 121
    assert "Team A 50 60 -10 Team B 51 61 -10" in text
    assert "Company 101 121 -20" in text


def test_report_pages(board):
    pages = pdf_pages(render_board_report(gather_board_report(period_code="2026-09"))[0])
    assert len(pages) == 4  # summary; trends and league; actions and value; customers and evidence
    assert "Executive summary" in pages[0]
    assert "Trends" in pages[1] and "Executive summary" not in pages[1]
    assert "Evidence" in pages[-1] and f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_gathering_does_not_grow_with_teams(board):
    with CaptureQueriesContext(connection) as two:
        gather_board_report(period_code="2026-09")
    seed_measurements([TeamFactory() for _ in range(8)], last_month="2026-09", months=2)
    with CaptureQueriesContext(connection) as ten:
        data = gather_board_report(period_code="2026-09")
    assert len(data.teams) == 10
    assert len(ten) == len(two)


def test_closed_period_is_byte_identical_and_names_its_snapshots(board):
    close_period(code="2026-09", actor=None)
    first, checksum = render_board_report(gather_board_report(period_code="2026-09"))
    again, again_checksum = render_board_report(gather_board_report(period_code="2026-09"))
    assert first == again and checksum == again_checksum
    text = pdf_text(first)
    data = gather_board_report(period_code="2026-09")
    company_checksum = data.snapshots["2026-09"]["company"]
    assert company_checksum in text.replace(" ", "")
    assert f"snapshot 2026-09 · {company_checksum[:8]}" in text


def test_archive_reuses_a_closed_board_report(board, cco, django_capture_on_commit_callbacks):
    close_period(code="2026-09", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE and report.is_final
    first = report.file.read()
    with django_capture_on_commit_callbacks(execute=True):
        assert request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco).pk == report.pk
    assert first.startswith(b"%PDF")
    # a regenerated copy (e.g. the archive file lost) has the same figures: the same input checksum (its bytes
    # differ by the verification code each archived copy prints)
    assert render_board_report(gather_board_report(period_code="2026-09"))[1] == report.input_checksum


def test_archival_copy_is_pdf_a(board):
    pdf = render_board_report(gather_board_report(period_code="2026-09"))[0]
    xmp = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert xmp is not None and b"pdfaid" in xmp.stream.get_data()


def test_without_a_value_model_the_section_says_so(board):
    from reports.models import ValueModel

    ValueModel.objects.all().delete()
    text = pdf_text(render_board_report(gather_board_report(period_code="2026-09"))[0])
    assert "No value model is set for 2026-09" in text


def test_command_writes_the_board_report(board, tmp_path):
    call_command("board_report", period="2026-09", out=str(tmp_path))
    assert "Customer board report 2026-09" in pdf_text((tmp_path / "board-report-2026-09.pdf").read_bytes())


def test_only_the_cco_may_ask_for_it():
    assert get_kind("board_report").permission == "reports.change_valuemodel"


def test_report_of_a_company_without_data_says_so(settings, tmp_path):
    pdf, _checksum = render_board_report(gather_board_report(period_code="2026-Q3"))
    text = pdf_text(pdf)
    assert "Customer board report 2026-Q3" in text
    assert "No team KPI is off track in 2026-Q3." in text
    assert "No value model is set for 2026-Q3" in text
    assert "No team reports customers gained or lost for 2026-Q3." in text


def test_value_is_carried_forward_and_shown_since_the_baseline(board):
    from reports.models import ValueModel

    ValueModel.objects.all().delete()
    seed_value_model("2026-08")
    ValueModel.objects.filter(period__code="2026-08").update(baseline_code="2026-07")
    data = gather_board_report(period_code="2026-09")
    assert data.value_model.period.code == "2026-08" and data.baseline_code == "2026-07"
    text = pdf_text(render_board_report(data)[0])
    assert "Prices carried forward from the value model of 2026-08." in text
    assert "2026-09 against 2026-08 (previous period)" in text
    assert "2026-09 against the baseline 2026-07" in text
    assert "(retention rate now - retention rate 2026-07)" in text
    # nothing is carried backwards: July has no value model in force
    assert gather_board_report(period_code="2026-07").value_model is None
