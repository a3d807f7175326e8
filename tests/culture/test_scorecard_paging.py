"""Issue 19: the scorecard table scores only its page's teams when the order needs no scorecard, and the
dashboard builds only the red lines of team scorecards. Every figure must equal the full build's."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from culture.scorecards import close_period
from culture.scorecards.building import build_scorecard_levels, build_scorecard_series, series_codes
from culture.scorecards.calculations import EMPTY_SUMS, KpiSpec, Sums, TargetSpec, kpi_line
from culture.scorecards.figures import line_status
from culture.scorecards.scopes import COMPANY, DEPARTMENT, TEAM
from culture.scorecards.status import Direction
from culture.templatetags.scorecards import line_value
from tests.factories import DepartmentFactory, TeamFactory

from .scorecard_helpers import measure, nps_day, period, target

pytestmark = pytest.mark.django_db

PERIOD = "2026-09"


@pytest.fixture
def many_teams(team_a, team_b):
    """62 teams with FCR from 40 % to 101 % (red, amber and green against 70/65/60) and NPS for a few."""
    p = period(PERIOD)
    target("fcr", p, 70, 65, 60)
    target("nps", p, 30, 20, 10, min_sample=20)
    department = DepartmentFactory()
    teams = [team_a, team_b, *TeamFactory.create_batch(60, department=department)]
    for index, team in enumerate(teams):
        measure(team, "fcr", "2026-09-03", numerator=40 + index, denominator=100)
        measure(team, "fcr", "2026-08-03", numerator=60, denominator=100)
        if index % 10 == 0:
            nps_day(team, "2026-09-04", promoters=30 + index, passives=30, detractors=20)
    return teams


def _page(client, **params):
    response = client.get(reverse("culture:scorecard_list"), {"period": PERIOD, **params})
    assert response.status_code == 200
    return response.context["table"]


def _expected(teams):
    return build_scorecard_series(period_codes=[PERIOD], level=TEAM, ids=[t.pk for t in teams])[PERIOD]


def _cells(table):
    """Each shown row's team and scorecard cells (the records behind the page)."""
    shown = []
    for row in table.page.object_list:
        record = row.record
        lines = {key[4:]: value for key, value in record.items() if key.startswith("kpi_")}
        shown.append((record["team"], record["composite"], record["red"], record["amber"], record["green"], lines))
    return shown


def test_default_order_scores_the_page_with_the_full_builds_figures(client, cco, many_teams):
    client.force_login(cco)
    cards = _expected(many_teams)
    by_name = sorted(many_teams, key=lambda t: t.name)
    first, second = _page(client), _page(client, page=2)
    assert first.paginator.count == second.paginator.count == len(many_teams)
    shown = _cells(first) + _cells(second)
    assert [row[0] for row in shown] == by_name
    for team, composite, red, amber, green, lines in shown:
        card = cards[team.pk]
        assert (composite, red, amber, green) == (
            card.composite,
            card.count("red"),
            card.count("amber"),
            card.count("green"),
        )
        assert lines == card.lines
    # The KPI columns are the same as when every card was built.
    assert [c.name for c in first.columns if c.name.startswith("kpi_")] == [
        f"kpi_{code}" for code in cards[min(cards)].lines
    ]


def _shown(line):
    """What the table shows of a line: its status and its actual with the unit (`line_value`)."""
    return line.status, line_value(line)


def test_order_by_a_scorecard_column_or_a_status_filter_uses_every_teams_card(client, cco, many_teams):
    client.force_login(cco)
    cards = _expected(many_teams)
    table = _page(client, sort="-kpi_fcr")
    best = max(many_teams, key=lambda t: cards[t.pk].lines["fcr"].actual)
    assert table.page.object_list[0].record["team"] == best
    assert _shown(table.page.object_list[0].record["kpi_fcr"]) == _shown(cards[best.pk].lines["fcr"])
    assert all(
        _shown(row.record[f"kpi_{code}"]) == _shown(line)
        for row in table.page.object_list
        for code, line in cards[row.record["team"].pk].lines.items()
    )
    composite = _page(client, sort="composite,team")
    assert composite.paginator.count == len(many_teams)
    assert all(row.record["composite"] == cards[row.record["team"].pk].composite for row in composite.page.object_list)
    red = _page(client, status="red")
    assert red.paginator.count == sum(1 for card in cards.values() if card.count("red"))
    assert all(row.record["red"] for row in red.page.object_list)


def test_dashboard_red_lines_equal_the_full_builds(client, cco, many_teams):
    codes = series_codes(PERIOD, 12)
    wanted = {COMPANY: codes, DEPARTMENT: [PERIOD], TEAM: [PERIOD]}
    full = build_scorecard_levels(wanted)
    red = build_scorecard_levels(wanted, only_status={TEAM: "red"})
    assert red[COMPANY] == full[COMPANY] and red[DEPARTMENT] == full[DEPARTMENT]
    expected = {
        i: {c: line for c, line in card.lines.items() if line.status == "red"} for i, card in full[TEAM][PERIOD].items()
    }
    assert {i: card.lines for i, card in red[TEAM][PERIOD].items()} == expected
    assert sum(len(lines) for lines in expected.values()) == 21  # FCR 40-60 %: at or below off-track 60
    assert all(card.composite is None for card in red[TEAM][PERIOD].values())
    client.force_login(cco)
    response = client.get(reverse("culture:scorecard_home"), {"period": PERIOD})
    assert response.context["red_count"] == 21
    assert response.context["team_count"] == len(many_teams)
    shown = [(row["team"].pk, row["line"]) for row in response.context["red_rows"]]
    assert all(expected[team][line.kpi_code] == line for team, line in shown)


def test_dashboard_red_lines_from_frozen_scorecards(cco, many_teams):
    close_period(code=PERIOD, actor=cco)
    full = build_scorecard_levels({TEAM: [PERIOD]})[TEAM][PERIOD]
    red = build_scorecard_levels({TEAM: [PERIOD]}, only_status={TEAM: "red"})[TEAM][PERIOD]
    assert all(card.is_snapshot for card in red.values())
    assert {i: card.lines for i, card in red.items()} == {
        i: {c: line for c, line in card.lines.items() if line.status == "red"} for i, card in full.items()
    }


@pytest.mark.parametrize(
    ("sums", "target_spec"),
    [
        (Sums(rows=1, numerator=D(50), denominator=D(100)), TargetSpec(D(70), D(65), D(60))),
        (Sums(rows=1, numerator=D(62), denominator=D(100)), TargetSpec(D(70), D(65), D(60))),
        (Sums(rows=1, numerator=D(80), denominator=D(100)), TargetSpec(D(70), D(65), D(60))),
        (Sums(rows=1, numerator=D(80), denominator=D(100)), None),
        (EMPTY_SUMS, TargetSpec(D(70), D(65), D(60))),
        (Sums(rows=1, numerator=D(5), denominator=D(10)), TargetSpec(D(70), D(65), D(60), min_sample=20)),
    ],
)
def test_line_status_is_the_lines_status(sums, target_spec):
    kpi = KpiSpec("fcr", "FCR", "percent", 1, Direction.HIGHER, "ratio", scale=D(100))
    assert line_status(kpi, sums, target_spec).value == kpi_line(kpi, sums, target_spec).status
