"""Targets over time, pure: phasing an annual target into months, deriving quarters and years from months."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.scorecards.calculations import KpiSpec, TargetSpec
from culture.scorecards.derivation import derive_figure, derive_target, period_target
from culture.scorecards.periods import months_of, parse_period
from culture.scorecards.phasing import Arithmetic, arithmetic_of, phase, profile_problem, split_exactly

CHURN = KpiSpec("churn_rate", "Churn", "percent", 2, "lower", "ratio", D(100))
RETENTION = KpiSpec("retention_rate", "Retention", "percent", 1, "higher", "ratio", D(100))
CSAT = KpiSpec("csat", "CSAT", "percent", 1, "higher", "ratio", D(100), "csat")
AHT = KpiSpec("aht", "AHT", "seconds", 0, "lower", "mean", D(1))
GAINED = KpiSpec("customers_gained", "Gained", "count", 0, "higher", "sum", D(1))
BASE = KpiSpec("base", "Customers", "count", 0, "higher", "last", D(1))


def spec(target, on_track_from, off_track_from, **extra) -> TargetSpec:
    return TargetSpec(
        target=D(str(target)), on_track_from=D(str(on_track_from)), off_track_from=D(str(off_track_from)), **extra
    )


# --- phasing


def test_arithmetic_follows_the_kpi_and_compounds_stock_rates():
    assert arithmetic_of(CHURN) is Arithmetic.LOSS_RATE
    assert arithmetic_of(RETENTION) is Arithmetic.SURVIVAL_RATE
    assert arithmetic_of(CSAT) is Arithmetic.RATIO
    assert arithmetic_of(AHT) is Arithmetic.MEAN
    assert arithmetic_of(GAINED) is Arithmetic.SUM
    assert arithmetic_of(BASE) is Arithmetic.LAST


def test_the_stock_aggregations_compound_whatever_the_kpi_is_called():
    # The catalogue's churn and retention carry the stock aggregations; a user-defined KPI choosing one
    # compounds too (its code is not one of the standard ones).
    assert arithmetic_of(KpiSpec("churn_rate", "Churn", "percent", 2, "lower", "churn", D(100))) is Arithmetic.LOSS_RATE
    lost = KpiSpec("b2b_churn", "B2B churn", "percent", 2, "lower", "churn", D(100))
    kept = KpiSpec("b2b_retention", "B2B retention", "percent", 1, "higher", "retention", D(100))
    assert arithmetic_of(lost) is Arithmetic.LOSS_RATE
    assert arithmetic_of(kept) is Arithmetic.SURVIVAL_RATE
    # 100 x (1 - 0.98^3) = 5.8808, as for the standard churn
    assert derive_figure(arithmetic_of(lost), [D(2)] * 3, scale=D(100)) == D("5.8808")


def test_flat_sum_splits_evenly_and_adds_up_to_the_last_place():
    assert phase(D(12000), Arithmetic.SUM) == [D(1000)] * 12
    # 100 / 12 = 8.33333...: 8.3333 each is 99.9996, the 4 units left go to the first four months.
    months = phase(D(100), Arithmetic.SUM)
    assert months == [D("8.3334")] * 4 + [D("8.3333")] * 8
    assert sum(months) == D(100)


def test_seasonal_sum_follows_the_weights_exactly():
    weights = [D(1)] * 10 + [D(2), D(2)]  # November and December count double: sum of weights 14
    assert phase(D(1400), Arithmetic.SUM, weights=weights) == [D(100)] * 10 + [D(200)] * 2
    # 1000 / 14 = 71.428571...; 2000 / 14 = 142.857142...; floors at 4 places add to 999.9992, the 8 units
    # left go to the largest remainders: months 1-10 (.714285) before 11-12 (.428571), earliest first.
    months = phase(D(1000), Arithmetic.SUM, weights=weights)
    assert months == [D("71.4286")] * 8 + [D("71.4285")] * 2 + [D("142.8571")] * 2
    assert sum(months) == D(1000)


def test_levels_are_held_flat_or_scaled_by_relative_weight():
    assert phase(D(80), Arithmetic.RATIO) == [D(80)] * 12
    # weights 2, 1 x 11 (sum 13): January = 13 x 12 x 2 / 13 = 24, the others 12; the months average 13.
    months = phase(D(13), Arithmetic.MEAN, weights=[D(2)] + [D(1)] * 11)
    assert months == [D(24)] + [D(12)] * 11
    assert sum(months) / 12 == D(13)


def test_flat_churn_compounds_back_to_the_annual_rate():
    # 1 - 0.8^(1/12) = 1 - exp(ln 0.8 / 12) = 1 - exp(-0.0185952959) = 1 - 0.9815765299 = 0.0184234701
    months = phase(D(20), Arithmetic.LOSS_RATE, scale=D(100))
    assert months == [D("1.8423")] * 12
    assert derive_figure(Arithmetic.LOSS_RATE, months, scale=D(100)) == D("19.9995")  # within the 4-place rounding


def test_seasonal_churn_splits_the_kept_share_in_log_space():
    # weights 1 x 6 and 0 x 6: the whole year's 20 % falls in six months:
    # 1 - 0.8^(1/6) = 1 - exp(-0.2231435513 / 6) = 1 - exp(-0.0371905919) = 1 - 0.96349248 = 0.03650752 each.
    months = phase(D(20), Arithmetic.LOSS_RATE, scale=D(100), weights=[D(1)] * 6 + [D(0)] * 6)
    assert months == [D("3.6508")] * 6 + [D(0)] * 6


def test_retention_compounds():
    # 0.9^(1/12) = exp(ln 0.9 / 12) = exp(-0.00878004) = 0.99125839
    assert phase(D(90), Arithmetic.SURVIVAL_RATE, scale=D(100)) == [D("99.1258")] * 12


def test_profiles_and_rates_that_cannot_be_phased_are_refused():
    assert profile_problem([D(1)] * 11) is not None
    assert profile_problem([D(-1)] + [D(1)] * 11) is not None
    assert profile_problem([D(0)] * 12) is not None
    assert profile_problem([D(1)] * 12) is None
    with pytest.raises(ValueError):
        phase(D(100), Arithmetic.LOSS_RATE, scale=D(100))
    with pytest.raises(ValueError):
        phase(D(0), Arithmetic.SURVIVAL_RATE, scale=D(100))


@given(
    total=st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    weights=st.lists(st.integers(min_value=0, max_value=50), min_size=12, max_size=12).filter(lambda w: sum(w) > 0),
)
def test_split_adds_up_exactly_and_each_part_is_within_one_unit(total, weights):
    parts = split_exactly(total, [D(w) for w in weights])
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / whole) < D("0.0001")


@given(annual=st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_phased_sums_derive_back_to_the_annual_figure(annual):
    assert derive_figure(Arithmetic.SUM, phase(annual, Arithmetic.SUM)) == annual
    assert derive_figure(Arithmetic.RATIO, phase(annual, Arithmetic.RATIO)) == annual


# --- derivation


def test_three_months_of_two_percent_churn_compound_to_5_88_percent():
    # 100 x (1 - 0.98^3) = 100 x (1 - 0.941192) = 5.8808
    assert derive_figure(Arithmetic.LOSS_RATE, [D(2)] * 3, scale=D(100)) == D("5.8808")


def test_retention_multiplies():
    # 100 x 0.99 x 0.98 x 0.97 = 100 x 0.941094 = 94.1094
    assert derive_figure(Arithmetic.SURVIVAL_RATE, [D(99), D(98), D(97)], scale=D(100)) == D("94.1094")


def test_ratio_months_weigh_by_planned_denominators_or_equally():
    # (80 x 100 + 90 x 300 + 70 x 100) / 500 = 42000 / 500 = 84
    planned = [D(100), D(300), D(100)]
    assert derive_figure(Arithmetic.RATIO, [D(80), D(90), D(70)], planned=planned) == D(84)
    # one month without a plan: equal weights, (80 + 90 + 70) / 3 = 80
    assert derive_figure(Arithmetic.RATIO, [D(80), D(90), D(70)], planned=[D(100), None, D(100)]) == D(80)


def test_means_weigh_by_planned_sample_sums_add_last_takes_the_last():
    # (300 + 330 + 2 x 360) / 4 = 1350 / 4 = 337.5
    assert derive_figure(Arithmetic.MEAN, [D(300), D(330), D(360)], planned=[D(1), D(1), D(2)]) == D("337.5")
    assert derive_figure(Arithmetic.MEAN, [D(300), D(330), D(360)]) == D(330)
    assert derive_figure(Arithmetic.SUM, [D(100), D(200), D(300)]) == D(600)
    assert derive_figure(Arithmetic.LAST, [D(1), D(2), D(3)]) == D(3)
    # 100 / 3 = 33.33333...: rounded half up to the 4 places of a stored target
    assert derive_figure(Arithmetic.MEAN, [D(100), D(0), D(0)]) == D("33.3333")


def test_derived_target_derives_thresholds_the_same_way():
    months = [spec(2, "2.5", 3, weight=D(1), min_sample=10, scope="company")] * 2
    months.append(spec(2, "2.5", 3, weight=D(2), min_sample=40, scope="team"))
    derived = derive_target(CHURN, months)
    assert derived is not None and derived.derived
    assert derived.target == D("5.8808")
    # on track from: 100 x (1 - 0.975^3) = 7.3140625 -> 7.3141 (half up); off track from: 100 x (1 - 0.97^3) = 8.7327
    assert (derived.on_track_from, derived.off_track_from) == (D("7.3141"), D("8.7327"))
    assert derived.weight == D("1.33")  # (1 + 1 + 2) / 3
    assert derived.min_sample == 40
    assert derived.scope == "team"  # the most specific scope among the months


def test_no_derived_target_unless_every_month_has_one():
    assert derive_target(CHURN, [spec(2, "2.5", 3), None, spec(2, "2.5", 3)]) is None


def test_a_target_set_for_the_period_wins_over_the_derived_one():
    scopes = [("team", 7), ("company", None)]
    months = [{("churn_rate", "company", None): spec(2, "2.5", 3)}] * 3
    direct = {("churn_rate", "company", None): spec(5, 6, 7)}
    assert period_target(CHURN, scopes, direct, months).target == D(5)
    derived = period_target(CHURN, scopes, {}, months)
    assert derived.target == D("5.8808") and derived.derived
    assert period_target(CHURN, scopes, {}, None) is None  # a month derives nothing


def test_months_of_a_period():
    assert months_of(parse_period("2026-Q3")) == ["2026-07", "2026-08", "2026-09"]
    assert months_of(parse_period("2026")) == [f"2026-{m:02d}" for m in range(1, 13)]
    assert months_of(parse_period("2026-02")) == ["2026-02"]
