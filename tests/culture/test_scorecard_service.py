"""build_scorecards: sums in the database, roll-ups from raw sums, target resolution, fixed query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.models import Kpi
from culture.scorecards import build_scorecard_levels, build_scorecard_series, build_scorecards, series_codes
from tests.factories import DepartmentFactory, TeamFactory

from .scorecard_helpers import measure, nps_day, period, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    root = DepartmentFactory(name="Care")
    child = DepartmentFactory(name="Contact", parent=root)
    other = DepartmentFactory(name="Sales")
    return {
        "root": root,
        "child": child,
        "other": other,
        "a": TeamFactory(name="A", department=child),
        "b": TeamFactory(name="B", department=child),
        "c": TeamFactory(name="C", department=other),
    }


def test_team_actual_is_the_ratio_of_summed_numerators_and_denominators(org):
    period("2026-09")
    measure(org["a"], "fcr", "2026-09-01", numerator=10, denominator=20)
    measure(org["a"], "fcr", "2026-09-02", numerator=70, denominator=80)
    measure(org["a"], "fcr", "2026-08-31", numerator=1, denominator=2)  # previous month

    line = build_scorecards(period_code="2026-09", ids=[org["a"].pk])[org["a"].pk].lines["fcr"]

    assert line.actual == Decimal("80.0")
    assert line.previous == Decimal("50.0")
    assert line.trend == Decimal("30.0")
    assert line.sample_size == 100


def test_without_trend_reads_only_the_period_and_gives_the_same_actuals_and_composite(org):
    target("fcr", period("2026-09"), 75, 70, 60, team=org["a"])
    measure(org["a"], "fcr", "2026-09-01", numerator=10, denominator=20)
    measure(org["a"], "fcr", "2026-09-02", numerator=70, denominator=80)
    measure(org["a"], "fcr", "2026-08-31", numerator=1, denominator=2)  # previous month

    full = build_scorecards(period_code="2026-09", ids=[org["a"].pk])[org["a"].pk]
    lean = build_scorecards(period_code="2026-09", ids=[org["a"].pk], with_trend=False)[org["a"].pk]

    assert (lean.lines["fcr"].actual, lean.lines["fcr"].sample_size) == (Decimal("80.0"), 100)
    assert lean.lines["fcr"].sums == full.lines["fcr"].sums
    assert (lean.lines["fcr"].status, lean.composite) == (full.lines["fcr"].status, full.composite)
    assert full.composite is not None
    assert (lean.lines["fcr"].previous, lean.lines["fcr"].trend) == (None, None)


def test_department_rolls_up_raw_sums_not_averages_of_team_actuals(org):
    period("2026-09")
    measure(org["a"], "fcr", "2026-09-01", numerator=10, denominator=20)  # 50 %
    measure(org["b"], "fcr", "2026-09-01", numerator=90, denominator=100)  # 90 %
    measure(org["c"], "fcr", "2026-09-01", numerator=0, denominator=100)

    departments = build_scorecards(period_code="2026-09", level="department")
    company = build_scorecards(period_code="2026-09", level="company")[None]

    assert departments[org["child"].pk].lines["fcr"].actual == Decimal("83.3")  # 100/120, not (50+90)/2
    assert departments[org["root"].pk].lines["fcr"].actual == Decimal("83.3")  # sub-departments count
    assert departments[org["other"].pk].lines["fcr"].actual == Decimal("0.0")
    assert company.lines["fcr"].actual == Decimal("45.5")  # 100/220


def test_mean_kpi_is_weighted_by_sample_size_and_lower_is_better(org):
    p = period("2026-09")
    target("aht", p, 300, 330, 360)
    measure(org["a"], "aht", "2026-09-01", value=200, sample_size=30)
    measure(org["a"], "aht", "2026-09-02", value=400, sample_size=10)

    line = build_scorecards(period_code="2026-09", ids=[org["a"].pk])[org["a"].pk].lines["aht"]

    assert line.actual == Decimal("250")  # (200x30 + 400x10) / 40
    assert line.status == "green"
    assert line.score == Decimal("100.0")
    assert line.attainment == Decimal("120.0")


def test_most_specific_target_wins(org):
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    target("fcr", p, 75, 70, 65, department=org["root"])
    target("fcr", p, 80, 75, 70, team=org["b"])
    cards = build_scorecards(period_code="2026-09")

    assert cards[org["a"].pk].lines["fcr"].target == Decimal("75")  # from the grandparent department
    assert cards[org["a"].pk].lines["fcr"].target_scope == "department"
    assert cards[org["b"].pk].lines["fcr"].target == Decimal("80")
    assert cards[org["c"].pk].lines["fcr"].target == Decimal("70")
    assert cards[org["c"].pk].lines["fcr"].target_scope == "company"


def test_nearest_department_target_beats_a_farther_one(org):
    p = period("2026-09")
    target("fcr", p, 75, 70, 65, department=org["root"])
    target("fcr", p, 72, 70, 65, department=org["child"])

    assert build_scorecards(period_code="2026-09")[org["a"].pk].lines["fcr"].target == Decimal("72")


def test_survey_kpi_has_sample_ci_and_is_within_noise_below_min_sample(org):
    p = period("2026-09")
    target("nps", p, 30, 20, 10, min_sample=30)
    nps_day(org["a"], "2026-09-01", promoters=2, passives=3, detractors=7)  # 12 responses, NPS -42
    nps_day(org["b"], "2026-09-01", promoters=50, passives=30, detractors=20)  # 100 responses, NPS 30

    cards = build_scorecards(period_code="2026-09", kpi_codes=["nps"])
    small, big = cards[org["a"].pk].lines["nps"], cards[org["b"].pk].lines["nps"]

    assert (small.actual, small.sample_size, small.status) == (Decimal("-42"), 12, "noise")
    assert (big.actual, big.sample_size, big.status) == (Decimal("30"), 100, "green")
    # NPS margin: p+ + p- = 0.70, NPS 0.30, variance 0.70 - 0.30^2 = 0.61 (over n), half width
    # 1.96 x sqrt(0.61/100) = 0.15308 -> 14.692 .. 45.308, one place
    assert (big.ci_low, big.ci_high) == (Decimal("14.7"), Decimal("45.3"))
    assert cards[org["a"].pk].composite is None
    assert cards[org["b"].pk].composite == Decimal("100.0")


def test_empty_period_gives_no_data_not_errors(org):
    period("2026-09")
    cards = build_scorecards(period_code="2026-09", level="company")
    line = cards[None].lines["nps"]
    assert (line.actual, line.status, line.score, line.trend) == (None, "neutral", None, None)
    assert cards[None].composite is None


def test_zero_denominator_is_no_data(org):
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    measure(org["a"], "fcr", "2026-09-01", numerator=0, denominator=0)
    line = build_scorecards(period_code="2026-09", ids=[org["a"].pk])[org["a"].pk].lines["fcr"]
    assert (line.actual, line.status) == (None, "neutral")


def test_period_without_a_period_row_has_no_targets(org):
    measure(org["a"], "fcr", "2030-01-05", numerator=1, denominator=2)
    line = build_scorecards(period_code="2030-01", ids=[org["a"].pk])[org["a"].pk].lines["fcr"]
    assert (line.actual, line.target, line.status) == (Decimal("50.0"), None, "neutral")


def test_last_kpi_takes_the_latest_day_per_team_and_sums_across_teams(org):
    Kpi.objects.create(
        code="customers",
        name="Customers",
        definition="customers at period end",
        category="retention",
        unit="count",
        aggregation="last",
        decimals=0,
    )
    period("2026-09")
    measure(org["a"], "customers", "2026-09-01", value=100)
    measure(org["a"], "customers", "2026-09-20", value=120)
    measure(org["a"], "customers", "2026-09-20", value=5, channel="email")
    measure(org["b"], "customers", "2026-09-03", value=40)
    measure(org["b"], "customers", "2026-08-30", value=35)

    teams = build_scorecards(period_code="2026-09", kpi_codes=["customers"])
    company = build_scorecards(period_code="2026-09", level="company", kpi_codes=["customers"])[None]

    assert teams[org["a"].pk].lines["customers"].actual == Decimal("125")
    assert teams[org["b"].pk].lines["customers"].actual == Decimal("40")
    assert teams[org["b"].pk].lines["customers"].previous == Decimal("35")
    assert company.lines["customers"].actual == Decimal("165")
    departments = build_scorecards(period_code="2026-09", level="department", kpi_codes=["customers"])
    assert departments[org["root"].pk].lines["customers"].actual == Decimal("165")
    assert departments[org["other"].pk].lines["customers"].actual is None


def test_composite_weights_the_scored_kpis(org):
    p = period("2026-09")
    target("fcr", p, 80, 70, 60, weight=3)
    target("aht", p, 300, 330, 360, weight=1)
    measure(org["a"], "fcr", "2026-09-01", numerator=70, denominator=100)  # score 50
    measure(org["a"], "aht", "2026-09-01", value=300, sample_size=10)  # score 100
    card = build_scorecards(period_code="2026-09", ids=[org["a"].pk])[org["a"].pk]
    assert card.composite == Decimal("62.5")


def _queries(**kwargs):
    with CaptureQueriesContext(connection) as ctx:
        build_scorecards(**kwargs)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("level", ["team", "department", "company"])
def test_query_count_does_not_grow_with_teams(org, level):
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    measure(org["a"], "fcr", "2026-09-01", numerator=1, denominator=2)
    few = _queries(period_code="2026-09", level=level)
    for team in TeamFactory.create_batch(15, department=org["other"]):
        measure(team, "fcr", "2026-09-01", numerator=1, denominator=2)
        measure(team, "aht", "2026-08-01", value=1)
    many = _queries(period_code="2026-09", level=level)
    assert few == many <= 8


def test_series_covers_twelve_periods_in_a_fixed_number_of_queries(org):
    for month in range(1, 10):
        measure(org["a"], "fcr", f"2026-{month:02d}-01", numerator=month, denominator=10)
    codes = series_codes("2026-09")
    with CaptureQueriesContext(connection) as ctx:
        series = build_scorecard_series(period_codes=codes, ids=[org["a"].pk], kpi_codes=["fcr"])
    assert codes[0] == "2025-10" and codes[-1] == "2026-09"
    assert [series[c][org["a"].pk].lines["fcr"].actual for c in codes[-3:]] == [
        Decimal("70.0"),
        Decimal("80.0"),
        Decimal("90.0"),
    ]
    assert len(ctx.captured_queries) <= 8


def test_no_teams_gives_empty_scorecards_not_errors(org):
    empty = DepartmentFactory(name="Empty")
    assert build_scorecards(period_code="2026-09", ids=[]) == {}
    card = build_scorecards(period_code="2026-09", level="department", ids=[empty.pk])[empty.pk]
    assert card.composite is None and card.lines["fcr"].actual is None


def test_levels_built_together_equal_levels_built_apart(org):
    """The dashboard rolls departments and the company up from one team-grouped scan: same figures."""
    Kpi.objects.create(
        code="customers",
        name="Customers",
        definition="customers at period end",
        category="retention",
        unit="count",
        aggregation="last",
        decimals=0,
    )
    p = period("2026-09")
    period("2026-08", closed=False)
    target("fcr", p, 80, 70, 60, weight=3)
    target("aht", p, 300, 330, 360, department=org["child"])
    inactive = TeamFactory(name="Gone", department=org["other"], is_active=False)
    for team, base in ((org["a"], 10), (org["b"], 40), (org["c"], 70), (inactive, 5)):
        measure(team, "fcr", "2026-09-01", numerator=base, denominator=100)
        measure(team, "fcr", "2026-08-11", numerator=base + 3, denominator=90)
        measure(team, "aht", "2026-09-02", value=300 + base, sample_size=base)
        measure(team, "customers", "2026-09-12", value=base * 10)
        measure(team, "customers", "2026-09-12", value=base, channel="email")
        nps_day(team, "2026-09-03", base, 20, 7)
    codes = series_codes("2026-09", 3)

    together = build_scorecard_levels({"company": codes, "department": ["2026-09"], "team": ["2026-09"]})

    assert together["company"] == build_scorecard_series(period_codes=codes, level="company")
    assert together["department"] == build_scorecard_series(period_codes=["2026-09"], level="department")
    assert together["team"] == build_scorecard_series(period_codes=["2026-09"], level="team")
    assert together["company"]["2026-09"][None].lines["customers"].actual == Decimal("1375")


def test_levels_built_together_scan_the_rollups_once_per_level(org):
    period("2026-09")
    measure(org["a"], "fcr", "2026-09-01", numerator=1, denominator=2)
    with CaptureQueriesContext(connection) as ctx:
        build_scorecard_levels({"company": ["2026-09"], "department": ["2026-09"], "team": ["2026-09"]})
    grouped = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"]]
    # Whole months: one small scan of the monthly rollups per level, none of the daily rows.
    assert len([sql for sql in grouped if "culture_monthlyrollup" in sql]) == 3
    assert not [sql for sql in grouped if "culture_measurement" in sql]
    with pytest.raises(ValueError, match="one level"):
        build_scorecard_levels({"company": ["2026-09"], "team": ["2026-09"]}, ids=[org["a"].pk])
