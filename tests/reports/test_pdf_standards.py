"""PDF/UA-1 (team scorecard, statement) and PDF/A-3a (board report) as far as reading the file can tell.

No validator is installable here (veraPDF is not packaged for Debian or PyPI; Debian's PDFBox Preflight checks
PDF/A-1b only, see the README), so these tests check the requirements one by one on the files we make.
"""

from __future__ import annotations

import logging

import pytest

from core.pdf import render_html_to_pdf
from incentives import services as incentive_services
from incentives.models import PayoutLine
from reports.documents.board_report import gather_board_report, render_board_report
from reports.documents.statement import gather_statement, render_statement
from reports.documents.team_scorecard import gather_team_scorecards, render_team_scorecard
from tests.factories import PersonFactory
from tests.incentives.conftest import org, plan, scorecards  # noqa: F401 - fixtures

from . import pdf_standards as standard
from .sample import seed_measurements, seed_review, seed_targets, seed_value_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(team_a, team_b):
    seed_measurements([team_a, team_b], last_month="2026-09", months=13)
    period = seed_targets("2026-09")
    seed_targets("2026-08")
    seed_review(team_a, period, PersonFactory(name="Ada Owner"), kpi_code="nps")
    return period


@pytest.fixture
def weasyprint_errors(caplog):
    """WeasyPrint logs an error for what it knows PDF/UA needs (an image's alt text, the root's lang)."""
    caplog.set_level(logging.ERROR, logger="weasyprint")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "weasyprint"]


def _accessibility_problems(pdf) -> list[str]:
    elements = standard.structure(pdf)
    problems = standard.catalogue_problems(pdf) + standard.heading_problems(elements)
    problems += standard.table_problems(elements) + standard.font_problems(pdf)
    problems += [f"page {page}: {count} untagged marks" for page, count in standard.untagged_content(pdf).items()]
    return problems


def test_team_scorecard_is_tagged_pdf_ua(measured, team_a, weasyprint_errors):
    (data,) = gather_team_scorecards(period_code="2026-09", team_ids=[team_a.pk])
    pdf = standard.reader(render_team_scorecard(data)[0])

    assert _accessibility_problems(pdf) == []
    assert 'pdfuaid:part="1"' in standard.xmp(pdf)
    assert str(pdf.trailer["/Root"]["/Lang"]) == "en"
    elements = standard.structure(pdf)
    assert {"/Table", "/TH", "/TD", "/H1", "/H2"} <= {e.type for e in elements}
    # the composite chart, then one trend chart per KPI with data, each described by its figures
    alts = standard.figures(elements)
    charted = sorted(line.kpi_name for line in data.card.lines.values() if line.actual is not None)
    assert len(alts) == 1 + len(charted)
    assert alts[0].startswith("Team A composite score, last 12 periods: 2025-10 ")
    assert [alt.split(",")[0] for alt in alts[1:]] == charted
    assert all("2026-09 " in alt for alt in alts)
    assert weasyprint_errors() == []


def test_statement_is_tagged_pdf_ua(cco, org, team_a, team_b, plan, scorecards, weasyprint_errors):  # noqa: F811
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="90")
    run = incentive_services.create_payout_run(plan=plan, actor=cco)
    incentive_services.calculate_payouts(run_id=run.pk, actor=cco)
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    pdf = standard.reader(render_statement(gather_statement(line_id=line.pk))[0])

    assert _accessibility_problems(pdf) == []
    assert 'pdfuaid:part="1"' in standard.xmp(pdf)
    assert {"/Table", "/TH", "/L", "/LI", "/H1", "/H2", "/H3"} <= {e.type for e in standard.structure(pdf)}
    assert weasyprint_errors() == []


def test_board_report_is_pdf_a_3a(measured, weasyprint_errors):
    seed_value_model()
    pdf = standard.reader(render_board_report(gather_board_report(period_code="2026-09"))[0])

    assert standard.pdfa_problems(pdf, part=3, conformance="A") == []
    # "a" conformance is the tagged level: the same structure as the accessible documents
    assert _accessibility_problems(pdf) == []
    alts = standard.figures(standard.structure(pdf))
    assert [alt.split(":")[0] for alt in alts] == [
        "CX index, 2025-10 to 2026-09",
        "Net Promoter Score",
        "Customer satisfaction",
        "Customer retention rate",
    ]
    assert all(len(alt) > 40 for alt in alts)
    assert weasyprint_errors() == []


def test_the_checks_find_what_an_untidy_document_lacks(weasyprint_errors):
    html = (
        "<html><body><h1>Title</h1><h3>Skipped a level</h3><table><tr><td>1</td></tr></table>"
        "<img src=\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'/>\">"
        "</body></html>"
    )
    pdf = standard.reader(render_html_to_pdf(html))
    elements = standard.structure(pdf)

    assert standard.catalogue_problems(pdf) == ["no document /Lang", "no dc:title in the XMP metadata"]
    assert standard.heading_problems(elements) == ["heading level jumps from H1 to H3"]
    assert standard.table_problems(elements) == ["TD without Headers"]
    assert standard.figures(elements) == [""]
    assert standard.pdfa_problems(pdf, part=3, conformance="A") == [
        "no GTS_PDFA1 output intent with a destination profile",
        "XMP does not say PDF/A-3a",
    ]
    assert len(weasyprint_errors()) == 2
