"""Demo scorecards: targets from the data, overrides, reviews and closed months, on whatever measurements exist."""

import datetime as dt
import random

import pytest

from culture.models import Measurement, Period, Review, ScorecardSnapshot, Target
from culture.org.demo import seed_org
from culture.scorecards import build_scorecards
from culture.scorecards.demo import seed_scorecards

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def org():
    return seed_org(rng=random.Random(3), team_count=10, people_per_team=3, history_start=dt.date(2025, 1, 1))


def test_seeds_targets_reviews_and_closes_recent_months(org):
    result = seed_scorecards(rng=random.Random(1), teams=org.teams, today=TODAY, months=6, reviewed_months=2)

    assert result.closed == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    assert Measurement.objects.exists()  # the fallback ran: no measurement seed before it
    assert all(Period.objects.get(code=code).is_closed for code in result.closed)
    assert not Period.objects.get(code="2026-10").is_closed
    assert ScorecardSnapshot.objects.filter(period__code="2026-09", level="team").count() == 10
    assert Target.objects.filter(team__isnull=True, department__isnull=True, period__code="2026-10").count() == 10
    assert Target.objects.filter(department__isnull=False).exists() and Target.objects.filter(team__isnull=False)
    assert Review.objects.filter(period__code="2026-10").exists()
    assert Review.objects.filter(period__code="2026-08").exists()
    assert not Review.objects.filter(period__code="2026-07").exists()
    statuses = {
        line.status for card in build_scorecards(period_code="2026-10").values() for line in card.lines.values()
    }
    assert {"green", "red"} <= statuses


def test_uses_existing_measurements_instead_of_the_fallback(org):
    seed_scorecards(rng=random.Random(1), teams=org.teams, today=TODAY, months=2, reviewed_months=0)
    count = Measurement.objects.count()
    Target.objects.all().delete()
    Review.objects.all().delete()
    seed_scorecards(rng=random.Random(1), teams=org.teams, today=TODAY, months=2, reviewed_months=0)
    assert Measurement.objects.count() == count
