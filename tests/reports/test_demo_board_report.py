"""The demo's last closed month's board report, read back from the PDF text: page 1 a written summary; revenue
retained, cost saved, incentive return and hiring quality each with its formula and range; at most 8 pages with
every off-track KPI still listed."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from culture.models import Period
from reports.documents.board_report import gather_board_report, render_board_report
from reports.documents.board_sections import off_track, off_track_sections
from reports.documents.board_value import value_section
from reports.documents.common import DASH

from .pdf_helpers import pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_report():
    call_command("seed_demo", months=14)
    period = Period.objects.filter(status=Period.Status.CLOSED, kind="month").order_by("-start").first()
    assert period is not None, "the demo closes months"
    data = gather_board_report(period_code=period.code)
    pdf, _checksum = render_board_report(data)
    return data, pdf_pages(pdf)


def test_demo_board_report_shows_value_with_formula_and_range_and_every_off_track_kpi(demo_report):
    data, pages = demo_report
    text = " ".join(pages)
    assert len(pages) <= 8, len(pages)
    # The year of that month: the CX index over its months with targets (the demo sets none for later months).
    year = gather_board_report(period_code=data.period_code[:4])
    year_pages = pdf_pages(render_board_report(year)[0])
    assert len(year_pages) <= 8, len(year_pages)
    assert year.year_index is not None and year.year_index.composite is not None
    count = len(year.year_index.months)
    assert count == 12 or f"CX index over the {count} months with targets, " in " ".join(year_pages)
    assert "Executive summary" in pages[0] and "Since the last board report" in pages[0]
    assert "Value, " in pages[0] and "an association, not a cause" in pages[0]
    assert data.incentive_spend > 0, "the demo has an approved or paid run in its last closed month"
    for name, formula in (
        ("Revenue retained EUR", "(retention rate now - retention rate"),
        ("Cost saved by self-service EUR", "(self-service rate now - self-service rate"),
        ("Incentive return (association, not a cause)", "(revenue retained + cost saved) / incentive spend"),
        ("Hiring quality (", "mean interview score (0-100) of the period's hires"),
    ):
        assert name in text, name
        assert formula in text, formula
    assert "unknown:" not in text and "Revenue retained unknown" not in text and "self-service unknown" not in text
    # Each of the four lines as printed: name, amount, range (or why it has none), formula and the figures filled
    # in, read back from the PDF (whitespace-insensitive: long cells wrap).
    squeezed = "".join(text.split())
    value = value_section(data)
    assert value is not None
    lines = {line["key"]: line for line in value["comparisons"][0]["lines"]}
    hiring = value["hiring"]
    assert data.hiring.scores and hiring["amount"] != DASH, "the demo hires (and scored them) in its last closed month"
    shown = [lines["revenue_retained"], lines["cost_saved"], lines["incentive_return"], hiring]
    for line in shown:
        row = f"{line['name']}{line['amount']}{line['range']}Formula:{line['formula']}={line['filled']}"
        assert "".join(row.split()) in squeezed, line["key"]
        assert line["range"] and line["filled"]
    assert "EUR" in lines["revenue_retained"]["filled"] and " : 1" in lines["incentive_return"]["amount"]
    assert f"/ {len(data.hiring.scores)} hires = " in hiring["filled"]
    assert "= (" in text  # the formulas with the figures filled in
    # each value line states a range or why it has none (a counted KPI is exact)
    assert "exact: retention is counted from customer bases, not sampled (no interval)" in text
    assert "n = " in text  # hiring quality's n
    # every off-track KPI is listed, in the body (top 15 by gap x weight) or the appendix, grouped by team
    sections = off_track_sections(data)
    assert sections["count"] == len(off_track(data)) > 0, "the demo has off-track KPIs"
    rows = [row for group in sections["top"] + sections["appendix"] for row in group["rows"]]
    assert len(rows) == sections["count"]
    if sections["appendix"]:
        assert "Appendix: every other off-track KPI" in text
    for group in sections["top"]:
        assert group["team"] in text
        for row in group["rows"]:
            assert f"{row['name']} {row['actual']} {row['target']}" in text
    compact = text.replace("- ", "-")  # the appendix wraps long KPI names at their hyphen
    for group in sections["appendix"]:
        assert group["team"] in text
        for row in group["rows"]:
            assert f"{row['name']} {row['actual']} / {row['target']}".replace("- ", "-") in compact
