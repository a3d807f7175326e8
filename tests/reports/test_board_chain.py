"""The service-profit chain enters the board report only when the CCO asks for it on the request."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from culture.models import PulseAnswer, Team
from culture.pulse.linkage import board_chain
from culture.pulse.results import pulse_results
from culture.scorecards import close_period
from reports.documents.board_format import board_context
from reports.documents.board_report import clean_parameters, gather_board_report
from reports.documents.common import input_checksum
from reports.forms import BoardReportRequestForm, TeamScorecardsBatchRequestForm
from tests.culture.test_pulse_linkage import _previous_quarter_end, _world

pytestmark = pytest.mark.django_db


def _quarter_code(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def test_absent_by_default_and_present_when_added(cco):
    closes = _previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20)
    _world(cco, [6] * 9, closes=closes)
    code = _quarter_code(closes)

    plain = gather_board_report(period_code=code)
    assert plain.chain is None and "chain" not in plain.evidence()
    assert board_context(plain, "x")["chain"] is None
    assert "Service-profit chain" not in render_to_string("pdf/board_report.html", board_context(plain, "x"))

    added = gather_board_report(period_code=code, chain=True)
    assert added.chain.correlation.n == 9 and len(added.evidence()["chain"]["points"]) == 9
    html = render_to_string("pdf/board_report.html", board_context(added, "x"))
    assert "Service-profit chain" in html and "<desc>9 teams; Pearson" in html and "Correlation is not cause" in html


def test_a_period_before_any_pulse_has_no_chain_even_when_asked(cco):
    closes = _previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20)
    _world(cco, [6] * 9, closes=closes)
    earlier = _quarter_code(closes - dt.timedelta(days=200))
    assert gather_board_report(period_code=earlier, chain=True).chain is None


def test_only_a_ticked_box_adds_the_parameter():
    assert clean_parameters({"period": "2026-q3"}) == {"period": "2026-Q3"}
    assert clean_parameters({"period": "2026-Q3", "chain": "yes"}) == {"period": "2026-Q3"}
    assert clean_parameters({"period": "2026-Q3", "chain": True}) == {"period": "2026-Q3", "chain": True}
    plain = BoardReportRequestForm({"period": "2026-Q3"})
    ticked = BoardReportRequestForm({"period": "2026-Q3", "chain": "on"})
    assert plain.is_valid() and ticked.is_valid()
    assert plain.parameters() == {"period": "2026-Q3"}
    assert ticked.parameters() == {"period": "2026-Q3", "chain": True}
    batch = TeamScorecardsBatchRequestForm({"period": "2026-Q3", "chain": "on"})
    assert "chain" not in batch.fields and batch.is_valid() and batch.parameters() == {"period": "2026-Q3"}


def test_a_closed_period_keeps_the_chain_it_closed_with(cco):
    """Pulse answers and a team renamed after the close leave a closed period's chain (and checksum) as it was."""
    closes = _previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20)
    pulse, teams = _world(cco, [6] * 9, closes=closes)
    code = _quarter_code(closes)
    close_period(code=code, actor=None)
    before = gather_board_report(period_code=code, chain=True)
    assert before.chain is not None and before.chain.correlation.n == 9

    enps = pulse.library_version.questions.get(key="enps")
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=uuid.uuid4(), pulse=pulse, team=teams[0], question=enps, score=10) for _ in range(20)
    )
    Team.objects.filter(pk=teams[1].pk).update(name="Renamed later")

    live = board_chain(code)
    after = gather_board_report(period_code=code, chain=True)
    assert live is not None and live.points != before.chain.points  # the live chain did move
    assert after.chain.points == before.chain.points and after.chain.correlation == before.chain.correlation
    assert after.chain.pulse.title == "Q pulse" and after.chain.kpi.name == before.chain.kpi.name
    assert input_checksum(after.evidence()) == input_checksum(before.evidence())


def test_the_board_report_shows_no_team_below_the_minimum_or_hidden_by_difference(cco, settings):
    """The PDF's chart, data table and evidence hold only the teams the results pages may show: T09 has 3
    answers, and the differencing rule then hides one more team (the company minus the shown teams >= 5)."""
    settings.CENTRIC_PULSE_MIN_GROUP = 5
    closes = _previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20)
    pulse, teams = _world(cco, [6] * 9 + [3], closes=closes)
    shown = {next(iter(row.teams)) for row in pulse_results(cco, pulse_id=pulse.pk, scope="team", question_key="")}
    hidden = [team for team in teams if team.pk not in shown]
    assert len(hidden) == 2 and teams[9] in hidden

    report = gather_board_report(period_code=_quarter_code(closes), chain=True)
    assert {point.team_id for point in report.chain.points} == shown
    html = render_to_string("pdf/board_report.html", board_context(report, "x"))
    assert "<desc>8 teams; Pearson" in html
    for team in hidden:
        assert team.name not in html
    assert {point[0] for point in report.evidence()["chain"]["points"]} == shown


def test_the_chain_chart_reads_in_the_reports_language(cco):
    closes = _previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20)
    _world(cco, [6] * 9, closes=closes)
    report = gather_board_report(period_code=_quarter_code(closes), chain=True)
    with translation.override("sv"):
        html = render_to_string("pdf/board_report.html", board_context(report, "x"))
    assert "en punkt per team" in html and "<desc>9 team; Pearsons r" in html
    assert "one dot per team" not in html and "Pearson's" not in html
