"""The scorecard table renders and exports the same text through core.tables' rows and row template as through
django-tables2's own (which inspect each cell's render method and resolve each cell in a template), in English and
Swedish."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation
from django_tables2 import RequestConfig
from django_tables2.rows import BoundRows

from core.exports import export_values
from core.tables import CellRows
from culture.scorecards.building import build_scorecard_series
from culture.scorecards.scopes import TEAM
from culture.scorecards.tables import ScorecardTable, kpi_columns

from .test_scorecard_views import PERIOD, scored  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _table(team_a, team_b, rows_class):
    teams = [team_a, team_b]
    cards = build_scorecard_series(period_codes=[PERIOD], level=TEAM, ids=[t.pk for t in teams])[PERIOD]
    data = [
        {
            "team": team,
            "department": team.department.name,
            "composite": cards[team.pk].composite,
            "red": cards[team.pk].count("red"),
            "amber": cards[team.pk].count("amber"),
            "green": cards[team.pk].count("green"),
            "period": PERIOD,
            **{f"kpi_{code}": line for code, line in cards[team.pk].lines.items()},
        }
        for team in teams
    ]
    table = ScorecardTable(data=data, extra_columns=kpi_columns(next(iter(cards.values())).lines.values()))
    table.rows = rows_class(data=table.data, table=table, pinned_data=table.pinned_data)
    return RequestConfig(RequestFactory().get("/?sort=-composite"), paginate={"per_page": 25}).configure(table)


@pytest.mark.parametrize("language", ["en-gb", "sv"])
def test_scorecard_table_html_and_export_match_django_tables2s_own_rows(scored, team_a, team_b, language):  # noqa: F811
    with translation.override(language):
        stock, fast = _table(team_a, team_b, BoundRows), _table(team_a, team_b, CellRows)
        stock.template_name = "django_tables2/bootstrap5-responsive.html"
        stock_html, fast_html = stock.as_html(RequestFactory().get("/")), fast.as_html(RequestFactory().get("/"))
        stock_values, fast_values = list(stock.as_values()), list(fast.as_values())
        streamed = list(export_values(fast))
    assert 'class="status-' in fast_html and team_a.name in fast_html
    assert _tags(fast_html) == _tags(stock_html)
    assert fast_values == stock_values
    assert len(fast_values) == 3
    assert streamed == [[str(cell) if isinstance(cell, str) else cell for cell in row] for row in fast_values]


def _tags(html: str) -> str:
    """The HTML without the whitespace between tags (the templates indent differently)."""
    return re.sub(r">\s+<", "><", html).strip()
