"""Pure scorecard math: worked examples and properties. No database."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.scorecards.calculations import (
    KpiLine,
    KpiSpec,
    Sums,
    TargetSpec,
    attainment,
    composite,
    confidence_interval,
    kpi_actual,
    kpi_line,
    resolve_target,
    score,
    status,
    total,
    trend,
)
from culture.scorecards.status import thresholds_problem

NPS = KpiSpec("nps", "NPS", "score", 0, "higher", "ratio", D(100), "nps")
CSAT = KpiSpec("csat", "CSAT", "percent", 1, "higher", "ratio", D(100), "csat")
CES = KpiSpec("ces", "CES", "score", 2, "higher", "mean", D(1), "ces")
FCR = KpiSpec("fcr", "FCR", "percent", 1, "higher", "ratio", D(100))
AHT = KpiSpec("aht", "AHT", "seconds", 0, "lower", "mean", D(1))
GAINED = KpiSpec("gained", "Gained", "count", 0, "higher", "sum", D(1))
STOCK = KpiSpec("stock", "Customers", "count", 0, "higher", "last", D(1))

HIGH = TargetSpec(target=D(40), on_track_from=D(30), off_track_from=D(20))
LOW = TargetSpec(target=D(300), on_track_from=D(330), off_track_from=D(360))


def ratio(num, den, **extra):
    return Sums(rows=1, numerator=D(num), denominator=D(den), **extra)


def mean(value, n):
    return Sums(rows=1, value=D(value), value_x_n=D(value) * n, n=D(n), sample_size=n, sampled_rows=1)


def test_ratio_actual_is_scale_times_summed_numerator_over_denominator():
    assert kpi_actual(FCR, ratio(30, 40) + ratio(50, 60)) == D(80)


def test_zero_denominator_and_empty_sums_are_no_data():
    assert kpi_actual(FCR, ratio(0, 0)) is None
    for kpi in (NPS, CES, GAINED, STOCK):
        assert kpi_actual(kpi, Sums()) is None


def test_mean_actual_is_sample_weighted():
    assert kpi_actual(CES, mean(6, 30) + mean(3, 10)) == D("5.25")


def test_sum_and_last_actuals():
    assert kpi_actual(GAINED, Sums(rows=2, value=D(7))) == D(7)
    assert kpi_actual(STOCK, Sums(rows=1, last=D(120)) + Sums(rows=1, last=D(40))) == D(160)


def test_negative_nps_from_per_response_scores():
    sums = ratio(-30, 100, sample_size=100, sampled_rows=1, sum_squares=D(70), squared_rows=1)
    line = kpi_line(NPS, sums, HIGH)
    assert (line.actual, line.status, line.score, line.attainment) == (D(-30), "red", D("0.0"), None)
    # NPS margin: p+ + p- = 70/100 = 0.70, p+ - p- = -0.30, variance 0.70 - 0.09 = 0.61 (over n, no n - 1);
    # half width 1.96 x sqrt(0.61 / 100) = 0.15308; -0.30 -/+ 0.15308 = -0.45308, -0.14692 -> x100, 1 place
    assert (line.ci_low, line.ci_high, line.ci_method) == (D("-45.3"), D("-14.7"), "nps-margin")


def test_negative_nps_target_scores_linearly():
    target = TargetSpec(target=D(-10), on_track_from=D(-20), off_track_from=D(-30))
    assert score(D(-20), target, "higher") == D("50.0")
    assert status(D(-20), target, "higher", None) == "green"
    assert status(D(-25), target, "higher", None) == "amber"
    # -30 is "off track from" itself: off track (it was amber under the old "red below" rule)
    assert status(D(-30), target, "higher", None) == "red"
    assert status(D(-31), target, "higher", None) == "red"


def test_csat_interval_is_wilson():
    # 80 of 100 satisfied, Wilson: z^2/n = 3.8416/100, centre (0.8 + 0.019208) / 1.038416 = 0.788901,
    # half width 1.96 / 1.038416 x sqrt(0.0016 + 0.00009604) = 0.077733 -> 71.1169 .. 86.6634, 2 places
    sums = ratio(80, 100)
    assert confidence_interval(CSAT, sums) == (D("71.12"), D("86.66"))


def test_ces_interval_from_score_squares():
    # scores 5, 7, 6, 6: mean 6, sample variance (146 - 24 x 6) / 3 = 2/3, t(0.975, 3 df) = 3.182,
    # half width 3.182 x sqrt(2/3/4) = 1.29905 -> 4.70095 .. 7.29905, the top clipped to the scale's 7
    sums = Sums(rows=1, value=D(6), value_x_n=D(24), n=D(4), sample_size=4, sampled_rows=1)
    sums = Sums(**{**sums.__dict__, "sum_squares": D(146), "squared_rows": 1})
    assert confidence_interval(CES, sums) == (D("4.701"), D("7.000"))


def test_no_interval_for_non_survey_or_tiny_samples():
    assert confidence_interval(FCR, ratio(8, 10, sum_squares=D(8), squared_rows=1)) is None
    assert confidence_interval(NPS, ratio(1, 1, sum_squares=D(1), squared_rows=1)) is None
    assert confidence_interval(NPS, ratio(10, 20)) is None


@pytest.mark.parametrize(
    ("actual", "expected"),
    # 20 is "off track from" itself: off track (amber under the old rule, which started red below it)
    [(D(45), "green"), (D(30), "green"), (D("29.9"), "amber"), (D("20.01"), "amber"), (D(20), "red"), (D(19), "red")],
)
def test_status_higher_is_better(actual, expected):
    assert status(actual, HIGH, "higher", None) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    # 360 is "off track from" itself: off track (amber under the old rule)
    [(D(250), "green"), (D(330), "green"), (D(331), "amber"), (D("359.99"), "amber"), (D(360), "red"), (D(361), "red")],
)
def test_status_lower_is_better(actual, expected):
    assert status(actual, LOW, "lower", None) == expected


def test_status_neutral_without_data_or_target_and_noise_below_the_minimum_sample():
    noisy = TargetSpec(target=D(40), on_track_from=D(30), off_track_from=D(20), min_sample=30)
    assert status(None, HIGH, "higher", 100) == "neutral"
    assert status(D(10), None, "higher", 100) == "neutral"
    assert status(D(10), noisy, "higher", 12) == "noise"
    assert status(D(10), noisy, "higher", None) == "noise"
    assert status(D(10), noisy, "higher", 30) == "red"


@pytest.mark.parametrize(
    ("actual", "target", "direction", "expected"),
    [
        (D(40), HIGH, "higher", D("100.0")),
        (D(50), HIGH, "higher", D("100.0")),
        (D(30), HIGH, "higher", D("50.0")),
        (D(25), HIGH, "higher", D("25.0")),
        (D(20), HIGH, "higher", D("0.0")),
        (D(-5), HIGH, "higher", D("0.0")),
        (D(300), LOW, "lower", D("100.0")),
        (D(345), LOW, "lower", D("25.0")),
        (D(400), LOW, "lower", D("0.0")),
        (D(40), TargetSpec(D(40), D(40), D(40)), "higher", D("100.0")),
        (D(39), TargetSpec(D(40), D(40), D(40)), "higher", D("0.0")),
    ],
)
def test_score_is_linear_from_red_to_target(actual, target, direction, expected):
    assert score(actual, target, direction) == expected


def test_attainment_follows_direction_and_needs_positive_values():
    assert attainment(D(36), D(40), "higher") == D("90.0")
    assert attainment(D(360), D(300), "lower") == D("83.3")
    assert attainment(D(0), D(300), "lower") is None
    assert attainment(D(-5), D(40), "higher") is None
    assert attainment(D(5), D(-10), "higher") is None


def test_trend_is_actual_minus_previous():
    assert trend(D(42), D(40)) == D(2)
    assert trend(D(42), None) is None


def test_lower_is_better_line_with_trend():
    line = kpi_line(AHT, mean(345, 10), LOW, previous_sums=mean(360, 10))
    assert (line.actual, line.status, line.score, line.previous, line.trend) == (
        D(345),
        "amber",
        D("25.0"),
        D(360),
        D(-15),
    )


def _line(score_, weight, status_="green"):
    line = kpi_line(FCR, ratio(1, 2), HIGH)
    return KpiLine(**{**line.__dict__, "score": D(score_), "weight": D(weight), "status": status_})


def test_composite_is_weighted_and_skips_neutral_noise_and_zero_weight():
    lines = [_line(100, 2), _line(40, 1), _line(0, 5, "neutral"), _line(0, 5, "noise"), _line(0, 0)]
    assert composite(lines) == D("80.0")


def test_composite_is_none_when_nothing_scored():
    assert composite([]) is None
    assert composite([_line(50, 1, "neutral")]) is None


def test_resolve_target_most_specific_first():
    company, dept = TargetSpec(D(1), D(1), D(1)), TargetSpec(D(2), D(2), D(2), scope="department")
    targets = {("fcr", "company", None): company, ("fcr", "department", 7): dept}
    scopes = [("team", 1), ("department", 3), ("department", 7), ("company", None)]
    assert resolve_target("fcr", scopes, targets) is dept
    assert resolve_target("fcr", [("company", None)], targets) is company
    assert resolve_target("aht", scopes, targets) is None


def test_threshold_order_depends_on_direction():
    assert thresholds_problem("higher", D(40), D(30), D(20)) is None
    assert thresholds_problem("lower", D(300), D(330), D(360)) is None
    assert "at least" in thresholds_problem("higher", D(40), D(50), D(20))
    assert "at most" in thresholds_problem("lower", D(300), D(290), D(360))
    # equal thresholds would put one value in two bands
    assert "above" in thresholds_problem("higher", D(40), D(30), D(30))
    assert "below" in thresholds_problem("lower", D(300), D(330), D(330))


def test_line_survives_a_json_round_trip():
    line = kpi_line(NPS, ratio(30, 100, sum_squares=D(70), squared_rows=1), HIGH, ratio(10, 50))
    assert KpiLine.from_json(line.to_json()) == line


# --- properties

decimals = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=10_000)


@st.composite
def targets(draw, direction="higher"):
    values = sorted(draw(st.lists(decimals, min_size=3, max_size=3)))
    red, amber, target = values if direction == "higher" else values[::-1]
    weight = draw(st.decimals(0, 10, places=1))
    return TargetSpec(target=target, on_track_from=amber, off_track_from=red, weight=weight)


@given(st.lists(st.tuples(st.integers(0, 100), st.sampled_from(["higher", "lower"]), decimals), max_size=12), st.data())
def test_composite_stays_within_0_and_100(parts, data):
    lines = []
    for _index, (_w, direction, actual) in enumerate(parts):
        target = data.draw(targets(direction))
        line = kpi_line(FCR if direction == "higher" else AHT, Sums(), target)
        lines.append(
            KpiLine(**{**line.__dict__, "actual": actual, "score": score(actual, target, direction), "status": "green"})
        )
    result = composite(lines)
    assert result is None or D(0) <= result <= D(100)


RANK = {"red": 0, "amber": 1, "green": 2}


@given(st.sampled_from(["higher", "lower"]), st.data(), decimals, decimals)
def test_status_and_score_are_monotone_in_the_actual(direction, data, first, second):
    target = data.draw(targets(direction))
    worse, better = sorted([first, second], reverse=direction == "lower")
    assert RANK[status(worse, target, direction, None)] <= RANK[status(better, target, direction, None)]
    assert score(worse, target, direction) <= score(better, target, direction)
    assert D(0) <= score(worse, target, direction) <= D(100)


sums_strategy = st.builds(
    Sums,
    rows=st.integers(0, 50),
    value=decimals,
    value_x_n=decimals,
    n=st.decimals(0, 1000, places=0),
    numerator=st.decimals(0, 1000, places=2),
    denominator=st.decimals(0, 1000, places=2),
    sample_size=counts,
    sampled_rows=st.integers(0, 5),
    sum_squares=st.decimals(0, 1000, places=2),
    squared_rows=st.integers(0, 5),
)


@given(st.lists(sums_strategy, max_size=8))
def test_roll_up_of_sums_equals_the_sum_of_parts(parts):
    rolled = total(parts)
    assert rolled.numerator == sum((p.numerator for p in parts), D(0))
    assert rolled.denominator == sum((p.denominator for p in parts), D(0))
    assert rolled.rows == sum(p.rows for p in parts)
    assert total([total(parts[:3]), total(parts[3:])]) == rolled


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 500)), min_size=1, max_size=8))
def test_rolled_up_ratio_lies_between_the_parts(parts):
    actuals = [kpi_actual(FCR, ratio(min(n, d), d)) for n, d in parts]
    rolled = kpi_actual(FCR, total(ratio(min(n, d), d) for n, d in parts))
    assert min(actuals) <= rolled <= max(actuals)


def test_csat_interval_near_the_top_stays_inside_the_scale():
    # 40 of 41 satisfied, Wilson: centre (0.975610 + 0.046849) / 1.093698 = 0.934864, half width
    # 1.96 / 1.093698 x sqrt(0.000580 + 0.000571) = 0.060818 -> 87.4047 .. 99.5682 (2 places)
    low, high = confidence_interval(CSAT, ratio(40, 41))
    assert (low, high) == (D("87.40"), D("99.57"))
