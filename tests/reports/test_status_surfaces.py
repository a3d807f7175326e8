"""The status of one KPI reads the same on the team scorecard page, the team scorecard PDF, the board
report and the API: one rule (culture.scorecards.status), one vocabulary, the API's codes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from culture.scorecards.status import STATUS_LABELS
from reports.documents.board_report import gather_board_report
from reports.documents.board_sections import off_track_sections
from reports.documents.common import line_row
from reports.documents.team_scorecard import render_team_scorecard

from .pdf_helpers import pdf_text
from .test_team_scorecard import _one, scored  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_status_agrees_on_page_pdf_board_report_and_api(scored, team_a, client, cco):  # noqa: F811
    api = APIClient()
    api.force_authenticate(cco)
    lines = api.get(f"/api/v1/scorecards/{team_a.slug}/", {"period": "2026-09"}).json()["lines"]
    codes = {line["kpi_code"]: line["status"] for line in lines}
    assert set(codes.values()) >= {"green", "amber"}, codes  # the sample has more than one status

    client.force_login(cco)
    page = client.get(f"/culture/scorecards/teams/{team_a.slug}/", {"period": "2026-09"}).content.decode()
    data = _one(team_a)
    pdf = pdf_text(render_team_scorecard(data)[0])
    board = gather_board_report(period_code="2026-09")
    sections = off_track_sections(board)
    board_red = {
        row["name"]
        for group in sections["top"] + sections["appendix"]
        if group["team"] == team_a.name
        for row in group["rows"]
    }

    for code, status in codes.items():
        line = data.card.lines[code]
        word = STATUS_LABELS[status]
        assert line.status == status
        # the page's badge: colour class and word
        assert f'<span class="badge status-{status}">{word}</span>' in page
        # the PDF's table row: target, attainment, then the status word
        row = line_row(line, {})
        assert f"{row['target']} {row['attainment']} {word}" in pdf, (code, word)
        # the board report lists exactly the off-track KPIs
        assert (line.kpi_name in board_red) is (status == "red")
