"""Worked cases for the payout math: every expected value below was computed by hand."""

from __future__ import annotations

from decimal import Decimal as D
from functools import partial

import pytest

from core.money import round_money
from incentives.calculations import (
    Actual,
    ComponentSpec,
    Curve,
    CurvePoint,
    PersonInput,
    Stint,
    calculate_line,
    calculate_run,
    curve_errors,
    curve_position,
    gate_is_met,
    kpi_change,
    pct_per_unit,
    proration_factors,
    quality_failure,
    response_rate_pct,
    with_overrides,
)

FCR = Curve(threshold=D(70), target=D(80), stretch=D(90))  # 50 % at threshold, 150 % at stretch and cap
AHT = Curve(threshold=D(400), target=D(300), stretch=D(240), lower_is_better=True)
NPS = Curve(threshold=D(10), target=D(20), stretch=D(40))
NPS_AROUND_ZERO = Curve(threshold=D(-10), target=D(0), stretch=D(10))
CAPPED = Curve(threshold=D(70), target=D(80), stretch=D(90), cap_pct=D(120))
EUR = partial(round_money, currency="EUR")
PTS = partial(round_money, currency="PTS")
JPY = partial(round_money, currency="JPY")


def spec(key="fcr", curve=FCR, weight=1, **kwargs):
    return ComponentSpec(key=key, label=key.upper(), kpi_code=key, weight=D(weight), curve=curve, **kwargs)


def stint(team_id=1, days=30, **actuals):
    values = {k: v if isinstance(v, Actual) else Actual(value=D(str(v))) for k, v in actuals.items()}
    return Stint(team_id=team_id, team_label=f"Team {team_id}", days=days, actuals=values)


def line(specs, stints, target="1000", period_days=30, rounder=EUR):
    person = PersonInput(person_id=1, target_amount=D(target), stints=tuple(stints))
    return calculate_line(specs=tuple(specs), person=person, period_days=period_days, rounder=rounder)


# --- curves: higher is better -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("actual", "pct", "point"),
    [
        ("69.99", "0", CurvePoint.BELOW_THRESHOLD),
        ("70", "50", CurvePoint.THRESHOLD_TO_TARGET),
        ("75", "75", CurvePoint.THRESHOLD_TO_TARGET),
        ("78.4", "92", CurvePoint.THRESHOLD_TO_TARGET),
        ("80", "100", CurvePoint.TARGET_TO_STRETCH),
        ("82.4", "112", CurvePoint.TARGET_TO_STRETCH),
        ("90", "150", CurvePoint.AT_STRETCH),
        ("120", "150", CurvePoint.AT_STRETCH),
    ],
)
def test_higher_is_better_curve_points(actual, pct, point):
    assert curve_position(FCR, D(actual)) == (D(pct), point)


# --- curves: lower is better (axis reversed) ----------------------------------------------------
@pytest.mark.parametrize(
    ("actual", "pct", "point"),
    [
        ("401", "0", CurvePoint.BELOW_THRESHOLD),
        ("400", "50", CurvePoint.THRESHOLD_TO_TARGET),
        ("350", "75", CurvePoint.THRESHOLD_TO_TARGET),
        ("300", "100", CurvePoint.TARGET_TO_STRETCH),
        ("270", "125", CurvePoint.TARGET_TO_STRETCH),
        ("240", "150", CurvePoint.AT_STRETCH),
        ("100", "150", CurvePoint.AT_STRETCH),
    ],
)
def test_lower_is_better_curve_points(actual, pct, point):
    assert curve_position(AHT, D(actual)) == (D(pct), point)


# --- caps and zero targets ----------------------------------------------------------------------
def test_caps_payout_below_stretch_payout():
    assert curve_position(CAPPED, D(85)) == (D(120), CurvePoint.CAPPED)


def test_exactly_at_cap_is_capped_better_results_pay_no_more():
    # issue 14: at exactly the cap a statement still promised "each 1.0 better adds ..."
    assert curve_position(CAPPED, D(84)) == (D(120), CurvePoint.CAPPED)
    assert pct_per_unit(CAPPED, D(84)) == 0
    assert curve_position(CAPPED, D("83.9")) == (D("119.50"), CurvePoint.TARGET_TO_STRETCH)


def test_far_beyond_stretch_stays_at_cap():
    assert curve_position(CAPPED, D(1000)) == (D(120), CurvePoint.CAPPED)


@pytest.mark.parametrize(("actual", "pct"), [("0", "100"), ("-5", "75"), ("5", "125"), ("-10.01", "0")])
def test_kpi_target_of_zero_works_on_both_sides(actual, pct):
    assert curve_position(NPS_AROUND_ZERO, D(actual))[0] == D(pct)


def test_zero_threshold_payout_pays_nothing_at_threshold_but_is_on_the_curve():
    curve = Curve(threshold=D(70), target=D(80), stretch=D(90), threshold_payout_pct=D(0))
    assert curve_position(curve, D(70)) == (D(0), CurvePoint.THRESHOLD_TO_TARGET)
    assert curve_position(curve, D(75))[0] == D(50)


# --- degenerate curves: rejected by validation, still total -------------------------------------
@pytest.mark.parametrize(("actual", "pct"), [("79", "0"), ("80", "100"), ("81", "100")])
def test_degenerate_curve_with_all_points_equal_never_divides_by_zero(actual, pct):
    flat = Curve(threshold=D(80), target=D(80), stretch=D(80))
    assert curve_position(flat, D(actual))[0] == D(pct)


def test_curve_with_threshold_above_target_is_total():
    odd = Curve(threshold=D(70), target=D(60), stretch=D(90))
    assert curve_position(odd, D(65))[0] == D(0)
    assert curve_position(odd, D(75))[0] == D(125)


def test_valid_curves_have_no_errors():
    assert curve_errors(FCR) == {}
    assert curve_errors(AHT) == {}


@pytest.mark.parametrize(
    ("curve", "field"),
    [
        (Curve(threshold=D(80), target=D(80), stretch=D(90)), "threshold"),
        (Curve(threshold=D(70), target=D(80), stretch=D(80)), "stretch"),
        (Curve(threshold=D(300), target=D(400), stretch=D(240), lower_is_better=True), "threshold"),
        (Curve(threshold=D(400), target=D(300), stretch=D(300), lower_is_better=True), "stretch"),
        (Curve(threshold=D(70), target=D(80), stretch=D(90), threshold_payout_pct=D(120)), "threshold_payout_pct"),
        (Curve(threshold=D(70), target=D(80), stretch=D(90), stretch_payout_pct=D(90)), "stretch_payout_pct"),
        (Curve(threshold=D(70), target=D(80), stretch=D(90), cap_pct=D(90)), "cap_pct"),
    ],
)
def test_rejects_degenerate_curves_with_a_named_field(curve, field):
    assert field in curve_errors(curve)


# --- lines: weights, gates, quality -------------------------------------------------------------
def test_two_weighted_components_full_period():
    result = line([spec("fcr"), spec("nps", NPS)], [stint(fcr="82.4", nps="30")])
    assert result.amount == D("1185.00")  # 1000 x (0.5 x 112 % + 0.5 x 125 %)


def test_unequal_weights_split_the_target_amount():
    result = line([spec("fcr", weight=3), spec("nps", NPS, weight=1)], [stint(fcr="80", nps="10")])
    assert result.amount == D("875.00")  # 750 x 100 % + 250 x 50 %


def test_unmet_gate_pays_nothing_and_says_why():
    gate = spec("csat", Curve(threshold=D(75), target=D(85), stretch=D(95)), weight=0, is_gate=True)
    result = line([gate, spec("fcr")], [stint(csat="74.9", fcr="90")])
    assert result.amount == D("0.00")
    assert "gate" in result.stints[0].components[1].reason
    assert result.stints[0].gates_met is False


def test_met_gate_at_threshold_lets_the_plan_pay():
    gate = spec("csat", Curve(threshold=D(75), target=D(85), stretch=D(95)), weight=0, is_gate=True)
    result = line([gate, spec("fcr")], [stint(csat="75", fcr="90")])
    assert result.amount == D("1500.00")


def test_gate_with_too_small_a_sample_is_not_met():
    gate = spec("csat", Curve(threshold=D(75), target=D(85), stretch=D(95)), weight=0, is_gate=True, min_sample=30)
    result = line([gate, spec("fcr")], [stint(csat=Actual(D(99), sample_size=29), fcr="90")])
    assert result.amount == D("0.00")
    assert "below the minimum of 30" in result.stints[0].components[0].reason


def test_survey_component_below_minimum_sample_pays_nothing_others_still_pay():
    nps = spec("nps", NPS, min_sample=30)
    result = line([spec("fcr"), nps], [stint(fcr="82.4", nps=Actual(D(30), sample_size=20))])
    assert result.amount == D("560.00")
    assert result.stints[0].components[1].reason == "NPS sample 20 is below the minimum of 30"


def test_survey_component_below_minimum_response_rate_pays_nothing():
    nps = spec("nps", NPS, min_response_rate_pct=D(5))
    result = line([nps], [stint(nps=Actual(D(40), sample_size=40, contacts=D(1000)))])
    assert result.amount == D("0.00")
    assert result.stints[0].components[0].reason == "NPS response rate 4.0 % is below the minimum of 5 %"


def test_survey_component_at_sufficient_response_rate_pays():
    nps = spec("nps", NPS, min_response_rate_pct=D(5))
    assert line([nps], [stint(nps=Actual(D(40), sample_size=60, contacts=D(1000)))]).amount == D("1500.00")


def test_response_rate_unknown_without_contacts():
    nps = spec("nps", NPS, min_response_rate_pct=D(5))
    assert quality_failure(nps, Actual(D(40), sample_size=60)) == "NPS response rate unknown (no contacts recorded)"
    assert response_rate_pct(60, D(0)) is None


def test_missing_actual_pays_nothing_and_says_so():
    result = line([spec("fcr")], [stint()])
    assert result.amount == D("0.00")
    assert result.stints[0].components[0].reason == "no FCR data in the period"


def test_composite_component_uses_the_same_curve_math():
    composite = ComponentSpec(key="composite", label="Composite", kpi_code=None, weight=D(1), curve=FCR)
    assert line([composite], [stint(composite="85")]).amount == D("1250.00")


def test_lower_is_better_component_in_a_line():
    assert line([spec("aht", AHT)], [stint(aht="270")], target="200").amount == D("250.00")


# --- proration across a team move ---------------------------------------------------------------
def test_team_move_uses_each_teams_actuals_for_its_days():
    result = line([spec("fcr")], [stint(1, 10, fcr="80"), stint(2, 20, fcr="90")], target="300")
    assert result.amount == D("400.00")  # 300 x (10/30 x 100 % + 20/30 x 150 %)
    assert [s.amount for s in result.stints] == [D(100), D(300)]


def test_joining_mid_period_pays_half():
    assert line([spec("fcr")], [stint(1, 15, fcr="80")], target="300").amount == D("150.00")


def test_overlapping_stints_never_pay_more_than_the_period():
    assert proration_factors([stint(1, 30), stint(2, 30)], 30) == [D("0.5"), D("0.5")]


def test_empty_period_pays_nothing():
    assert line([spec("fcr")], [stint(fcr="90")], period_days=0).amount == D("0.00")


# --- rounding once per line ---------------------------------------------------------------------
def test_thirds_round_per_line_and_total_is_sum_of_lines():
    people = [PersonInput(person_id=i, target_amount=D(100), stints=(stint(i, 10, fcr="80"),)) for i in range(1, 4)]
    run = calculate_run(specs=(spec("fcr"),), people=people, period_days=30, rounder=EUR)
    assert [ln.amount for ln in run.lines] == [D("33.33")] * 3
    assert run.total == D("99.99")


def test_points_round_half_up_to_whole_points():
    result = line([spec("fcr")], [stint(1, 20, fcr="80")], target="100", rounder=PTS)
    assert result.exact_amount.quantize(D("0.0001")) == D("66.6667")
    assert result.amount == D("67")


def test_half_cent_rounds_up_once():
    result = line([spec("fcr")], [stint(fcr="70")], target="24.69")
    assert result.exact_amount == D("12.345")
    assert result.amount == D("12.35")


def test_yen_has_no_minor_unit():
    assert line([spec("fcr")], [stint(1, 10, fcr="80")], target="1000", rounder=JPY).amount == D("333")


def test_zero_target_amount_pays_zero():
    assert line([spec("fcr")], [stint(fcr="90")], target="0").amount == D("0.00")


def test_negative_target_amount_is_treated_as_zero():
    assert line([spec("fcr")], [stint(fcr="90")], target="-50").amount == D("0.00")


def test_no_positive_weight_pays_nothing():
    assert line([spec("fcr", weight=0)], [stint(fcr="90")]).amount == D("0.00")


# --- what-if and KPI movement -------------------------------------------------------------------
def test_what_if_overrides_only_the_value_and_keeps_the_sample():
    base = stint(nps=Actual(D(5), sample_size=50, contacts=D(500)))
    changed = with_overrides(base, {"nps": D(40)})
    assert changed.actuals["nps"] == Actual(D(40), sample_size=50, contacts=D(500))
    assert line([spec("nps", NPS, min_sample=30)], [changed]).amount == D("1500.00")


def test_gate_met_helper_matches_threshold():
    gate = spec("csat", Curve(threshold=D(75), target=D(85), stretch=D(95)), is_gate=True)
    assert gate_is_met(gate, Actual(D(75))) is True
    assert gate_is_met(gate, Actual(None)) is False


def test_kpi_change_is_positive_when_lower_is_better_drops():
    assert kpi_change(D(280), D(300), lower_is_better=True) == D(20)
    assert kpi_change(D(82), D(80)) == D(2)
    assert kpi_change(None, D(80)) is None


# --- sensitivity: what one unit better is worth ----------------------------------------------------
@pytest.mark.parametrize(
    ("curve", "actual", "slope"),
    [(FCR, "75", "5"), (FCR, "85", "5"), (FCR, "69", "0"), (FCR, "95", "0"), (AHT, "350", "0.5"), (CAPPED, "86", "0")],
)
def test_pct_per_unit_follows_the_segment(curve, actual, slope):
    assert pct_per_unit(curve, D(actual)) == D(slope)


def test_statement_sensitivity_amount_per_point():
    result = line([spec("fcr", weight=1), spec("nps", NPS, weight=1)], [stint(fcr="75", nps="20")])
    assert result.stints[0].components[0].amount_per_unit == D(25)  # 1000 x 50 % share x 5 % per point
