"""Decimal sums behind scorecards are exact on SQLite too: SQLite adds DECIMAL columns as binary floats, and
0.1 + 0.1 + 0.1 - 0.3 came back as 5.55111512312578E-17 instead of 0 (from the daily rows and the rollups)."""

from decimal import Decimal as D

import pytest

from culture.models import Kpi
from culture.scorecards.periods import parse_period
from culture.scorecards.scopes import TEAM
from culture.scorecards.sums import grouped_sums

from .scorecard_helpers import kpi, measure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rollups", [True, False])
def test_sums_that_cancel_out_are_exactly_zero(team_a, rollups):
    for day, numerator in (("2026-09-01", "0.1"), ("2026-09-02", "0.1"), ("2026-09-03", "0.1"), ("2026-09-04", "-0.3")):
        measure(team_a, "nps", day, numerator=numerator, denominator="1")
    nps = kpi("nps")
    sums = grouped_sums([parse_period("2026-09")], {nps.pk: Kpi.Aggregation.RATIO}, [], None, TEAM, rollups=rollups)
    found = sums[("2026-09", team_a.pk, nps.pk)]
    assert found.numerator == D(0)
    assert found.denominator == D(4)
