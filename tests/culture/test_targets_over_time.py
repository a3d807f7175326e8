"""Quarter and year scorecards rated with targets derived from the months; future months visible without data."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from culture.scorecards import build_scorecards, close_period

from .scorecard_helpers import measure, period, target

pytestmark = pytest.mark.django_db

Q3 = ["2026-07", "2026-08", "2026-09"]


def planned(row, volume):
    row.planned_volume = Decimal(volume)
    row.save(update_fields=["planned_volume"])
    return row


@pytest.fixture
def q3_fcr(team_a):
    """FCR months 80 / 90 / 70 (on track from 75 / 85 / 65, off track from 70 / 80 / 60), planned at
    100 / 300 / 100 contacts.

    Quarter target (80 x 100 + 90 x 300 + 70 x 100) / 500 = 84; on track from (7500 + 25500 + 6500) / 500 = 79;
    off track from (7000 + 24000 + 6000) / 500 = 74. Actual 380 / 500 = 76.0: strictly between 74 and 79, so at risk;
    score 100 x (76 - 74) / (84 - 74) = 20.
    """
    for code, (t, a, r, volume) in zip(Q3, [(80, 75, 70, 100), (90, 85, 80, 300), (70, 65, 60, 100)], strict=True):
        planned(target("fcr", period(code), t, a, r), volume)
    measure(team_a, "fcr", "2026-08-10", numerator=380, denominator=500)


def test_quarter_is_rated_with_the_target_derived_from_planned_denominators(team_a, q3_fcr):
    line = build_scorecards(period_code="2026-Q3", ids=[team_a.pk])[team_a.pk].lines["fcr"]
    assert (line.target, line.on_track_from, line.off_track_from) == (
        Decimal("84.0000"),
        Decimal("79.0000"),
        Decimal("74.0000"),
    )
    assert line.target_derived and line.target_scope == "company"
    assert (line.actual, line.status, line.score) == (Decimal("76.0"), "amber", Decimal("20.0"))


def test_churn_quarter_target_compounds(team_a):
    for code in Q3:
        target("churn_rate", period(code), 2, "2.5", 3)
    line = build_scorecards(period_code="2026-Q3", ids=[team_a.pk])[team_a.pk].lines["churn_rate"]
    # 100 x (1 - 0.98^3) = 5.8808; on track from 100 x (1 - 0.975^3) = 7.3141;
    # off track from 100 x (1 - 0.97^3) = 8.7327
    assert (line.target, line.on_track_from, line.off_track_from) == (
        Decimal("5.8808"),
        Decimal("7.3141"),
        Decimal("8.7327"),
    )


def test_year_sum_adds_the_months_and_a_missing_month_derives_nothing(team_a):
    for month in range(1, 13):
        target("customers_gained", period(f"2026-{month:02d}"), 100, 90, 80)
    line = build_scorecards(period_code="2026", ids=[team_a.pk])[team_a.pk].lines["customers_gained"]
    assert (line.target, line.on_track_from, line.off_track_from, line.target_derived) == (
        Decimal("1200.0000"),
        Decimal("1080.0000"),
        Decimal("960.0000"),
        True,
    )
    for code in ["2027-01", "2027-02"]:  # March has none
        target("customers_gained", period(code), 100, 90, 80)
    card = build_scorecards(period_code="2027-Q1", ids=[team_a.pk])[team_a.pk]
    assert card.lines["customers_gained"].target is None


def test_a_target_set_for_the_quarter_wins_and_the_most_specific_months_are_used(team_a, q3_fcr):
    for code in Q3:
        target("fcr", period(code), 95, 90, 85, team=team_a)  # the team's own months
    line = build_scorecards(period_code="2026-Q3", ids=[team_a.pk])[team_a.pk].lines["fcr"]
    assert (line.target, line.target_scope, line.target_derived) == (Decimal("95.0000"), "team", True)
    target("fcr", period("2026-Q3"), 60, 55, 50)  # set for the quarter itself, at company scope
    line = build_scorecards(period_code="2026-Q3", ids=[team_a.pk])[team_a.pk].lines["fcr"]
    assert (line.target, line.target_scope, line.target_derived) == (Decimal("60.0000"), "company", False)


def test_page_and_api_agree_on_the_derived_quarter(client, team_a, lead_a, q3_fcr):
    client.force_login(lead_a)
    page = client.get(f"/culture/scorecards/teams/{team_a.slug}/", {"period": "2026-Q3"}).content.decode()
    assert "derived from the months" in page
    api = APIClient()
    api.force_authenticate(lead_a)
    data = api.get(f"/api/v1/scorecards/{team_a.slug}/", {"period": "2026-Q3"}).json()
    fcr = next(line for line in data["lines"] if line["kpi_code"] == "fcr")
    assert (fcr["target"], fcr["on_track_from"], fcr["off_track_from"]) == ("84.0000", "79.0000", "74.0000")
    assert (fcr["status"], fcr["score"], fcr["target_derived"]) == ("amber", "20.0", True)
    row = page.split("First-contact resolution", 1)[1].split("</tr>", 1)[0]
    assert "84.0" in row and "on track from 79.0" in row and "off track from 74.0" in row and "20.0" in row


def test_a_closed_quarter_keeps_its_derived_target(team_a, q3_fcr):
    close_period(code="2026-Q3", actor=None)
    line = build_scorecards(period_code="2026-Q3", ids=[team_a.pk])[team_a.pk].lines["fcr"]
    assert line.is_survey is False and (line.target, line.target_derived) == (Decimal("84.0000"), True)


def test_a_future_month_shows_its_targets_with_no_data_yet(client, team_a, lead_a):
    target("fcr", period("2031-01"), 80, 75, 70)
    client.force_login(lead_a)
    page = client.get(f"/culture/scorecards/teams/{team_a.slug}/", {"period": "2031-01"}).content.decode()
    row = page.split("First-contact resolution", 1)[1].split("</tr>", 1)[0]
    assert "80.0" in row and "no data yet" in row
