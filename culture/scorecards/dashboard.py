"""What the company dashboard builds, shared by its page and by the job that builds it ahead of the readers.

At 5,000 teams the dashboard's first build of a period takes seconds (100,000 team lines scored for the
off-track list); every later reader gets it remembered (`memo`) until the data changes. An import that
changed the data asks a worker to build the default period again at once (`warm_dashboard`), in every
language, so that the first executive after a nightly import does not wait either.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import translation

from ..models import Team
from .building import build_scorecard_levels, build_scorecard_series, default_period_code, series_codes
from .calculations import Scorecard
from .memo import remembered
from .scopes import COMPANY, DEPARTMENT, TEAM, OrgTree, load_org
from .status import Status

OFF_TRACK_SHOWN = 25  # red team lines listed on the dashboard
TREND_PERIODS = 12


def dashboard_levels(
    code: str, codes: Sequence[str], org: OrgTree
) -> dict[str, dict[str, dict[int | None, Scorecard]]]:
    """The company's cards over `codes` (its trend) and the departments' for `code`."""
    return build_scorecard_levels({COMPANY: codes, DEPARTMENT: [code]}, org=org)


def off_track_lines(code: str, org: OrgTree) -> tuple[int, int, list[tuple[int, str]]]:
    """The teams scored in the period, their red KPI lines, and the worst 25 of those (lowest score, then
    team name, then KPI code) as (team id, KPI code); remembered with the data (`memo`), one entry for every
    language, as it needs every team's figures (10,000 lines at 500 teams: `LineFigures`, without trend)."""

    def compute() -> tuple[int, int, list[tuple[int, str]]]:
        levels = build_scorecard_levels({TEAM: [code]}, org=org, figures_only={TEAM}, with_trend=False, remember=False)
        teams = levels[TEAM][code]
        names = dict(Team.objects.filter(pk__in=list(teams)).values_list("pk", "name"))
        red = sorted(
            (line.score or 0, names[team_id], line.kpi_code, team_id)
            for team_id, card in teams.items()
            if team_id is not None  # team cards are keyed by team (None is the company's key)
            for line in card.lines.values()
            if line.status == Status.RED
        )
        worst = [(team_id, kpi_code) for _score, _name, kpi_code, team_id in red[:OFF_TRACK_SHOWN]]
        return len(teams), len(red), worst

    return remembered(("off-track-lines", code), compute, per_language=False)  # ids, counts and codes only


def worst_team_cards(worst: list[tuple[int, str]], code: str, org: OrgTree) -> dict[int | None, Scorecard]:
    """The whole cards (with their trend) of the teams whose lines the off-track list shows."""
    wanted = sorted({team_id for team_id, _kpi_code in worst})
    if not wanted:
        return {}
    return build_scorecard_series(period_codes=[code], level=TEAM, ids=wanted, org=org)[code]


def warm_dashboard(code: str | None = None) -> str:
    """Build (and so remember) what the dashboard reads for the period (default: the one it opens on), in
    every language the site offers. Returns the period code."""
    code = code or default_period_code()
    codes = series_codes(code, TREND_PERIODS)
    org = load_org()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            dashboard_levels(code, codes, org)
            _teams, _red, worst = off_track_lines(code, org)
            worst_team_cards(worst, code, org)
    return code
