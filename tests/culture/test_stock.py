"""Stock KPIs (churn, retention) from customer bases, and the customer bridge: pure worked cases, a property
test against pooled raw counts, and the database path at team, department and company level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from culture.scorecards import build_scorecards
from culture.scorecards.calculations import KpiSpec, Sums, kpi_actual, kpi_line, total
from culture.scorecards.stock import DayBase, bridge, team_stock_sums
from tests.factories import DepartmentFactory, TeamFactory

from .scorecard_helpers import measure, period

CHURN = KpiSpec("churn_rate", "Churn", "percent", 2, "lower", "churn", Decimal(100))
RETENTION = KpiSpec("retention_rate", "Retention", "percent", 1, "higher", "retention", Decimal(100))
D = Decimal


def chain(start: dt.date, opening: int, flows: list[tuple[int, int]]) -> list[DayBase]:
    """Consecutive days from `start`, each opening where the previous closed; flows are (gained, lost)."""
    days, base = [], opening
    for offset, (gained, lost) in enumerate(flows):
        closing = base + gained - lost
        days.append(DayBase(start + dt.timedelta(days=offset), D(base), D(gained), D(lost), D(closing)))
        base = closing
    return days


# --- pure worked cases


def test_month_churn_and_retention_from_the_first_days_opening():
    # November 2026, 30 days: 1,000 customers on the 1st; 2 gained on each of the first 10 days (20) and 1 lost
    # every day (30). Closing 1,000 + 20 - 30 = 990.
    # churn = 100 x 30 / 1,000 = 3.00 %; retention = 100 x (990 - 20) / 1,000 = 97.0 %.
    days = chain(dt.date(2026, 11, 1), 1000, [(2 if i < 10 else 0, 1) for i in range(30)])
    sums = team_stock_sums(days, dt.date(2026, 11, 1), dt.date(2026, 11, 30))

    assert (sums.opening, sums.gained, sums.lost, sums.closing) == (D(1000), D(20), D(30), D(990))
    assert kpi_actual(CHURN, sums) == D(3)
    assert kpi_actual(RETENTION, sums) == D(97)
    assert sums.opening_gaps == 0 and sums.closing_gaps == 0
    assert bridge(sums).balances


def test_a_sum_of_daily_bases_is_never_the_base():
    # The old pooled figure: 30 lost / (1,000 + 999 + ... + 971 customer-days) = about 0.1 %. The definition
    # divides by the 1,000 at the start: 3.00 %.
    days = chain(dt.date(2026, 11, 1), 1000, [(0, 1)] * 30)
    sums = team_stock_sums(days, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    line = kpi_line(CHURN, sums, None)

    assert line.actual == D("3.00")
    assert line.sample_size == 1000


def test_missing_first_day_uses_the_previous_closing_and_flags_the_gap():
    # October closes at 1,000. November 1st is missing (it gained 5 and lost 1, unknown here); from the 2nd,
    # 1 is lost a day (29 days). Opening = the previous closing 1,000 (flagged); churn = 100 x 29 / 1,000 =
    # 2.90 %. Closing on the 30th = 1,004 - 29 = 975; the bridge 1,000 + 0 - 29 = 971 misses the 1st's +4.
    days = chain(dt.date(2026, 11, 2), 1004, [(0, 1)] * 29)
    sums = team_stock_sums(days, dt.date(2026, 11, 1), dt.date(2026, 11, 30), previous_closing=D(1000))

    assert sums.opening == D(1000) and sums.opening_gaps == 1
    assert kpi_actual(CHURN, sums) == D("2.9")
    # retention = 100 x (975 - 0) / 1,000 = 97.5 %
    assert kpi_actual(RETENTION, sums) == D("97.5")
    result = bridge(sums)
    assert (result.expected_closing, result.closing, result.difference) == (D(971), D(975), D(4))
    assert not result.balances


def test_missing_first_day_without_an_earlier_closing_uses_the_first_days_opening_flagged():
    days = chain(dt.date(2026, 11, 3), 500, [(1, 0)] * 28)
    sums = team_stock_sums(days, dt.date(2026, 11, 1), dt.date(2026, 11, 30))

    assert sums.opening == D(500) and sums.opening_gaps == 1
    # retention = 100 x (528 - 28) / 500 = 100.0 %; churn 0 / 500 = 0
    assert kpi_actual(RETENTION, sums) == D(100)
    assert kpi_actual(CHURN, sums) == D(0)


def test_quarter_and_year_read_the_base_on_their_first_day():
    # 2026: 1,200 customers on 1 January; every day 3 gained and 2 lost (365 days).
    flows = [(3, 2)] * 365
    days = chain(dt.date(2026, 1, 1), 1200, flows)
    # Q4 (1 Oct - 31 Dec, 92 days): opening = 1,200 + 273 x (3 - 2) = 1,473 (the base on 1 October after
    # 273 days); lost 184, gained 276, closing 1,473 + 92 = 1,565.
    # churn = 100 x 184 / 1,473 = 12.4915...; retention = 100 x (1,565 - 276) / 1,473 = 87.5085...
    q4 = team_stock_sums(days, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert (q4.opening, q4.lost, q4.gained, q4.closing) == (D(1473), D(184), D(276), D(1565))
    assert kpi_line(CHURN, q4, None).actual == D("12.49")
    assert kpi_line(RETENTION, q4, None).actual == D("87.5")
    # Year: opening 1,200, lost 730, gained 1,095, closing 1,565.
    # churn = 100 x 730 / 1,200 = 60.8333... -> 60.83; retention = 100 x (1,565 - 1,095) / 1,200 = 39.1666... -> 39.2
    year = team_stock_sums(days, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (year.opening, year.lost, year.gained, year.closing) == (D(1200), D(730), D(1095), D(1565))
    assert kpi_line(CHURN, year, None).actual == D("60.83")
    assert kpi_line(RETENTION, year, None).actual == D("39.2")
    assert bridge(year).balances and bridge(q4).balances


def test_department_pools_its_teams_bases_never_averages_their_rates():
    # Team A: 1,000 at start, 10 lost (1 %); team B: 100 at start, 10 lost (10 %). Department: 20 / 1,100 =
    # 1.8181... % -> 1.82 (the average of the rates would be 5.5 %).
    a = team_stock_sums(chain(dt.date(2026, 11, 1), 1000, [(0, 1)] * 10), dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    b = team_stock_sums(chain(dt.date(2026, 11, 1), 100, [(0, 1)] * 10), dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    department = total([a, b])

    assert kpi_line(CHURN, department, None).actual == D("1.82")
    assert department.closing_gaps == 2  # both teams' data end on the 10th
    assert bridge(department).balances


def test_bridge_values_customers_at_the_value_per_customer():
    sums = Sums(opening=D(1000), gained=D(20), lost=D(30), closing=D(990), based_teams=1)
    result = bridge(sums, value_per_customer=D("12.5"))

    assert result.value(result.lost) == D("375.0")  # 30 x 12.5
    assert result.to_json()["difference"] == "0"
    assert bridge(Sums()) is None


# --- property: pooled raw counts, the bridge balances

day_flows = st.tuples(st.integers(0, 40), st.integers(0, 40))


@st.composite
def team_history(draw):
    """A team's daily bases over Q4 2026 (92 days) plus 3 days before it, some days missing."""
    opening = draw(st.integers(50, 5000))
    flows = draw(st.lists(day_flows, min_size=95, max_size=95))
    flows = [(g, min(lost, opening)) for g, lost in flows]
    days = chain(dt.date(2026, 9, 28), opening, flows)
    missing = draw(st.sets(st.integers(0, 94), max_size=10))
    return [d for i, d in enumerate(days) if i not in missing], days


@settings(max_examples=60, deadline=None)
@given(st.lists(team_history(), min_size=1, max_size=5))
def test_company_figures_are_the_formula_on_pooled_counts(teams):
    start, end = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    parts, opening, lost, gained, closing, unseen_flows = [], D(0), D(0), D(0), D(0), D(0)
    for present, complete in teams:
        before = [d for d in present if d.date < start]
        inside = [d for d in present if start <= d.date <= end]
        parts.append(team_stock_sums(present, start, end, before[-1].closing if before else None))
        if not inside:
            continue
        if inside[0].date == start:
            opening += inside[0].opening
        elif before:
            opening += before[-1].closing
        else:
            opening += inside[0].opening
        lost += sum(d.lost for d in inside)
        gained += sum(d.gained for d in inside)
        closing += inside[-1].closing
        # Flows the data cannot see: missing days from the last known base up to the last day with data.
        known = {d.date for d in present}
        first_known = start if inside[0].date == start or not before else before[-1].date + dt.timedelta(days=1)
        if inside[0].date != start and not before:
            first_known = inside[0].date + dt.timedelta(days=1)
        unseen_flows += sum(
            d.gained - d.lost for d in complete if first_known <= d.date <= inside[-1].date and d.date not in known
        )
    company = total(parts)

    assert (company.opening, company.lost, company.gained, company.closing) == (opening, lost, gained, closing)
    if opening:
        assert kpi_actual(CHURN, company) == 100 * lost / opening
        assert kpi_actual(RETENTION, company) == 100 * (closing - gained) / opening
    result = bridge(company)
    if result is not None:
        assert result.difference == unseen_flows
        assert result.balances == (unseen_flows == 0)


# --- the database path


@pytest.mark.django_db
def test_scorecards_read_bases_at_the_edges_for_team_department_and_company():
    department = DepartmentFactory(name="Care")
    a, b = TeamFactory(name="A", department=department), TeamFactory(name="B", department=department)
    c = TeamFactory(name="C", department=DepartmentFactory(name="Sales"))
    period("2026-11")
    # A: every day of November from 1,000, 1 lost and 2 gained a day -> opening 1,000, lost 30, gained 60,
    # closing 1,030. B: October closes at 400; November 1st missing; from the 2nd (opening 400) 2 lost a day
    # -> opening 400 (previous closing, flagged), lost 58, closing 342. C: 1 Nov - 30 Nov from 600, 3 lost a day
    # on channels phone and email (1 and 2) -> opening 600, lost 90, closing 510.
    for day in chain(dt.date(2026, 11, 1), 1000, [(2, 1)] * 30):
        measure(a, "churn_rate", day.date, **_base(day))
    measure(b, "churn_rate", "2026-10-31", opening=400, gained=0, lost=0, closing=400)
    for day in chain(dt.date(2026, 11, 2), 400, [(0, 2)] * 29):
        measure(b, "churn_rate", day.date, **_base(day))
    for day in chain(dt.date(2026, 11, 1), 600, [(0, 3)] * 30):
        phone, email = int(day.opening) // 2, int(day.opening) - int(day.opening) // 2
        measure(c, "churn_rate", day.date, channel="phone", opening=phone, gained=0, lost=1, closing=phone - 1)
        measure(c, "churn_rate", day.date, channel="email", opening=email, gained=0, lost=2, closing=email - 2)

    teams = build_scorecards(period_code="2026-11", kpi_codes=["churn_rate"])
    # A: 100 x 30 / 1,000 = 3.00; B: 100 x 58 / 400 = 14.50; C: 100 x 90 / 600 = 15.00
    assert teams[a.pk].lines["churn_rate"].actual == D("3.00")
    assert teams[b.pk].lines["churn_rate"].actual == D("14.50")
    assert teams[b.pk].lines["churn_rate"].sums.opening_gaps == 1
    assert teams[c.pk].lines["churn_rate"].actual == D("15.00")
    # Care = A + B: 100 x (30 + 58) / (1,000 + 400) = 6.2857... -> 6.29
    care = build_scorecards(period_code="2026-11", level="department", ids=[department.pk], kpi_codes=["churn_rate"])
    assert care[department.pk].lines["churn_rate"].actual == D("6.29")
    # Company: 100 x (30 + 58 + 90) / (1,000 + 400 + 600) = 8.90
    company = build_scorecards(period_code="2026-11", level="company", kpi_codes=["churn_rate"])[None]
    line = company.lines["churn_rate"]
    assert line.actual == D("8.90")
    assert (line.sums.opening, line.sums.lost, line.sums.gained, line.sums.closing) == (
        D(2000),
        D(178),
        D(60),
        D(1882),
    )
    assert line.sums.opening_gaps == 1
    # 2,000 + 60 - 178 = 1,882: balances (B's missing 1st had no flows)
    assert bridge(line.sums).balances


def _base(day: DayBase) -> dict[str, int]:
    return {"opening": int(day.opening), "gained": int(day.gained), "lost": int(day.lost), "closing": int(day.closing)}


@pytest.mark.django_db
def test_a_survey_mean_comes_from_stored_score_sums_not_rounded_means():
    team = TeamFactory(name="A", department=DepartmentFactory(name="Care"))
    period("2026-11")
    # Three days of CES answers 7, 5, 5 (stored mean 5.666667): the period's sums are the exact 51 over 9
    # responses, not the stored means multiplied back (3 x 5.666667 x 3 = 51.000003).
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        measure(team, "ces", day, value="5.666667", numerator=17, denominator=3, sample_size=3, sum_squares=99)
    line = build_scorecards(period_code="2026-11", ids=[team.pk], kpi_codes=["ces"])[team.pk].lines["ces"]

    assert line.sums.value_x_n == D(51) and line.sums.n == D(9)
