"""Intervals of survey KPIs against published worked examples, and the noise state. No database."""

from decimal import Decimal as D

import pytest

from culture.scorecards.calculations import KpiSpec, Sums, TargetSpec, kpi_line
from culture.scorecards.intervals import nps_margin, t_975, t_interval, wilson

NPS = KpiSpec("nps", "NPS", "score", 0, "higher", "ratio", D(100), "nps")
CSAT = KpiSpec("csat", "CSAT", "percent", 1, "higher", "ratio", D(100), "csat")
CES = KpiSpec("ces", "CES", "score", 2, "higher", "mean", D(1), "ces")
FCR = KpiSpec("fcr", "FCR", "percent", 1, "higher", "ratio", D(100))
CHURN = KpiSpec("churn_rate", "Churn", "percent", 2, "lower", "ratio", D(100))


def four(value):
    return value.quantize(D("0.0001"))


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe R.G. (1998), "Two-sided confidence intervals for the single proportion: comparison of
        # seven methods", Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score, no
        # continuity correction), examples (a)-(d).
        (81, 263, D("0.2553"), D("0.3662")),
        (15, 148, D("0.0624"), D("0.1605")),
        (0, 20, D("0.0000"), D("0.1611")),
        (1, 29, D("0.0061"), D("0.1718")),
    ],
)
def test_wilson_matches_newcombe_1998(successes, n, low, high):
    interval = wilson(D(successes), D(n))
    assert (four(interval.low), four(interval.high)) == (low, high)


def test_twelve_of_twelve_satisfied_keeps_a_width():
    # Wilson at p = 1, n = 12: centre (1 + 3.8416/24) / (1 + 3.8416/12) = 1.160067 / 1.320133 = 0.878751,
    # half width 1.96 / 1.320133 x sqrt(3.8416 / 576) = 0.121252 -> low 0.757499, high exactly 1
    line = kpi_line(CSAT, Sums(rows=1, numerator=D(12), denominator=D(12)), None)
    assert (line.ci_low, line.ci_high, line.ci_method) == (D("75.75"), D("100.00"), "wilson")


def test_nps_margin_matches_the_cross_validated_worked_example():
    # whuber's answer to "How can I calculate margin of error in a NPS (Net Promoter Score) result?"
    # (Cross Validated): promoters 1/2, passives 1/3, detractors 1/6 give NPS 1/3 and variance
    # (1 - 1/3)^2/2 + (1/3)^2/3 + (4/3)^2/6 = 5/9, which is p+ + p- - (p+ - p-)^2 = 2/3 - 1/9.
    # With n = 300 (150 / 100 / 50): SE sqrt(5/9/300) = 0.0430331, margin 1.96 x SE = 0.0843449.
    interval = nps_margin(D(150 - 50), D(150 + 50), D(300))
    assert (four(interval.low), four(interval.high)) == (D("0.2490"), D("0.4177"))
    assert four((interval.high - interval.low) / 2) == D("0.0843")


@pytest.mark.parametrize(
    ("df", "t"),
    [(1, "12.706"), (3, "3.182"), (12, "2.179"), (30, "2.042"), (40, "2.021"), (60, "2.000"), (120, "1.980")],
)
def test_t_table_values(df, t):
    # Two-sided 95 % quantiles of Student's t (any standard table, e.g. NIST/SEMATECH e-Handbook 1.4.2.7.3)
    assert t_975(df) == D(t)


def test_t_between_table_rows_is_linear_in_one_over_df():
    # df 50 between 40 (2.021) and 60 (2.000): share (1/40 - 1/50) / (1/40 - 1/60) = 0.6 -> 2.021 - 0.6 x 0.021
    assert t_975(50) == D("2.0084")  # the exact quantile is 2.0086
    # df 240 beyond 120: 1.96 + (1.98 - 1.96) x 120/240 = 1.970 (exact 1.9699)
    assert t_975(240) == D("1.970")


def test_t_interval_of_a_mean():
    # scores 4, 5, 6, 7, 3: mean 5, sum of squares 135, s^2 = (135 - 25 x 5) / 4 = 2.5,
    # half width t(4) 2.776 x sqrt(2.5 / 5) = 1.962929 -> 3.037071 .. 6.962929
    interval = t_interval(D(25), D(135), D(5))
    assert (four(interval.low), four(interval.high)) == (D("3.0371"), D("6.9629"))
    assert t_interval(D(5), D(25), D(1)) is None


def test_counted_kpis_have_no_interval():
    sums = Sums(rows=1, numerator=D(80), denominator=D(100), sum_squares=D(80), squared_rows=1)
    assert kpi_line(FCR, sums, None).ci_low is None
    assert kpi_line(CHURN, Sums(rows=1, numerator=D(2), denominator=D(100)), None).ci_method == ""


def test_nps_and_mean_intervals_need_the_sum_of_squares_on_every_row():
    with_squares = Sums(rows=1, numerator=D(30), denominator=D(100), sum_squares=D(70), squared_rows=1)
    without = Sums(rows=1, numerator=D(10), denominator=D(50))
    assert kpi_line(NPS, with_squares, None).ci_method == "nps-margin"
    assert kpi_line(NPS, with_squares + without, None).ci_low is None


TARGET = TargetSpec(target=D(85), on_track_from=D(80), off_track_from=D(70), noise_by_interval=True)


def test_within_noise_when_the_interval_straddles_a_threshold():
    # 41 of 50 satisfied = 82.0 %, Wilson 69.2 .. 90.2 straddles both 80 and 70: not judged
    line = kpi_line(CSAT, Sums(rows=1, numerator=D(41), denominator=D(50)), TARGET)
    assert line.status == "noise"
    assert line.score == D("80.0")  # still shown (100 x (82 - 70) / 15) but left out of the composite


def test_judged_when_the_interval_clears_the_thresholds_or_the_target_does_not_ask():
    # 4100 of 5000 = 82.0 %, Wilson 80.9 .. 83.0: wholly on track
    big = kpi_line(CSAT, Sums(rows=1, numerator=D(4100), denominator=D(5000)), TARGET)
    assert big.status == "green"
    plain = TargetSpec(target=D(85), on_track_from=D(80), off_track_from=D(70))
    assert kpi_line(CSAT, Sums(rows=1, numerator=D(41), denominator=D(50)), plain).status == "green"
