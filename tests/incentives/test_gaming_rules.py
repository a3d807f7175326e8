"""Gaming signals, rule by rule, on hand-made figures (docs/kpi-maths.md, "Gaming signals")."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incentives.gaming.detector import (
    RUSHING,
    SURVEY_DROP,
    SURVEY_MIX,
    THRESHOLD_CLUSTER,
    Cell,
    Counts,
    DailySeries,
    GamingInputs,
    ServiceTrend,
    SurveyMix,
    SurveyVolume,
    Thresholds,
    binomial_upper_tail,
    detect,
    normal_cdf,
    rushing,
    survey_drops,
    survey_mix,
    threshold_cluster,
    two_proportion_z,
    welch_z,
)

T = Thresholds()


def test_statistics_helpers_match_hand_values():
    assert normal_cdf(0) == 0.5
    assert binomial_upper_tail(10, 10, 0.5) == 1 / 1024
    assert binomial_upper_tail(11, 12, 0.5) == 13 / 4096
    assert binomial_upper_tail(0, 5, 0.3) == 1.0
    assert round(two_proportion_z(100, 1000, 50, 1000), 4) == -4.2448
    assert round(welch_z([500, 510, 490, 500], [400, 410, 390, 400]), 2) == -17.32
    assert round(T.z_critical, 4) == 3.0902


def test_flags_days_piled_just_above_a_threshold():
    # mean exactly 75 = threshold, so the expected paying share is 0.5; sd = sqrt(2.75), band 0.829.
    series = DailySeries(7, "csat", 75.0, False, (75.5,) * 10 + (70.0,))
    flag = threshold_cluster(series, T)
    assert flag is not None and flag.rule == THRESHOLD_CLUSTER and flag.team_id == 7
    assert flag.evidence == {
        "threshold": D("75.00"),
        "band": D("0.83"),
        "above": 10,
        "below": 0,
        "expected_pct": D("50.0"),
        "observed_pct": D("100.0"),
        "p_value": D("0.00098"),
    }


def test_mirrors_the_band_for_lower_is_better_kpis():
    series = DailySeries(7, "aht", 420.0, True, (419.5,) * 10 + (425.0,))
    flag = threshold_cluster(series, T)
    assert flag is not None and (flag.evidence["above"], flag.evidence["below"]) == (10, 0)


def test_does_not_flag_days_spread_evenly_around_the_threshold():
    series = DailySeries(7, "csat", 75.0, False, (75.5,) * 5 + (74.5,) * 5)
    assert threshold_cluster(series, T) is None


def test_does_not_flag_a_band_with_too_few_days():
    series = DailySeries(7, "csat", 75.0, False, (75.5,) * 7 + (72.0, 71.5))
    assert threshold_cluster(series, T) is None


def _volumes(elsewhere_now: int) -> list[SurveyVolume]:
    return [
        SurveyVolume(1, True, 100, 50, 1000, 1000),
        SurveyVolume(2, False, 100, elsewhere_now, 1000, 1000),
    ]


def test_flags_a_response_rate_that_falls_only_where_surveys_pay():
    (flag,) = survey_drops(_volumes(98), "csat", T)
    assert (flag.team_id, flag.rule, flag.kpi_code) == (1, SURVEY_DROP, "csat")
    assert flag.evidence == {
        "measure": "rate",
        "before": D("10.00"),
        "now": D("5.00"),
        "change_pct": D("-50.0"),
        "elsewhere_change_pct": D("-2.0"),
        "z": D("-4.24"),
    }


def test_does_not_flag_a_fall_that_happened_everywhere():
    assert survey_drops(_volumes(50), "csat", T) == []


def test_does_not_flag_without_uncovered_teams_to_compare():
    assert survey_drops([SurveyVolume(1, True, 100, 50, 1000, 1000)], "csat", T) == []


def test_falls_back_to_the_sample_when_contacts_are_unknown():
    volumes = [SurveyVolume(1, True, 400, 250), SurveyVolume(2, False, 400, 396)]
    (flag,) = survey_drops(volumes, "nps", T)
    assert flag.evidence["measure"] == "sample"
    assert (flag.evidence["before"], flag.evidence["now"], flag.evidence["z"]) == (D(400), D(250), D("-5.88"))


AHT_BEFORE, AHT_NOW = (500.0, 510.0, 490.0, 500.0), (400.0, 410.0, 390.0, 400.0)


def test_flags_handle_time_that_falls_with_first_contact_resolution():
    trend = ServiceTrend(3, AHT_BEFORE, AHT_NOW, Counts(800, 1000), Counts(700, 1000))
    flag = rushing(trend, "aht", T)
    assert flag is not None and flag.rule == RUSHING
    assert flag.evidence == {
        "aht_before": D(500),
        "aht_now": D(400),
        "z_aht": D("-17.32"),
        "fcr_before": D("80.0"),
        "fcr_now": D("70.0"),
        "z_fcr": D("-5.16"),
    }


def test_flags_handle_time_that_falls_while_repeat_contacts_rise():
    trend = ServiceTrend(
        3, AHT_BEFORE, AHT_NOW, Counts(800, 1000), Counts(800, 1000), Counts(100, 1000), Counts(150, 1000)
    )
    flag = rushing(trend, "aht", T)
    assert flag is not None
    assert (flag.evidence["repeat_before"], flag.evidence["repeat_now"], flag.evidence["z_repeat"]) == (
        D("10.0"),
        D("15.0"),
        D("3.38"),
    )
    assert "fcr_now" not in flag.evidence


def test_does_not_flag_faster_handling_when_resolution_holds():
    trend = ServiceTrend(3, AHT_BEFORE, AHT_NOW, Counts(800, 1000), Counts(795, 1000))
    assert rushing(trend, "aht", T) is None


def test_does_not_flag_a_small_fall_in_handle_time():
    trend = ServiceTrend(3, AHT_BEFORE, (470.0, 480.0, 460.0, 470.0), Counts(800, 1000), Counts(700, 1000))
    assert rushing(trend, "aht", T) is None


BEFORE = {"phone": Cell(100, 100 * 90.0), "email": Cell(100, 100 * 70.0)}


def test_flags_surveys_moved_to_the_best_scoring_channel():
    mix = SurveyMix(4, "csat", "channel", BEFORE, {"phone": Cell(300, 300 * 90.0), "email": Cell(100, 100 * 70.0)})
    flag = survey_mix(mix, T)
    assert flag is not None and flag.rule == SURVEY_MIX
    # mix effect = (0.75 - 0.5) x 90 + (0.25 - 0.5) x 70 = 5 points
    assert flag.evidence == {
        "dimension": "channel",
        "best": ("phone",),
        "share_before": D("50.0"),
        "share_now": D("75.0"),
        "z": D("6.12"),
        "mix_effect": D("5.00"),
    }


def test_does_not_flag_an_unchanged_survey_mix():
    mix = SurveyMix(4, "csat", "weekday", BEFORE, {"phone": Cell(100, 9000.0), "email": Cell(100, 7000.0)})
    assert survey_mix(mix, T) is None


def test_detect_orders_flags_by_team_then_rule():
    inputs = GamingInputs(
        series=(DailySeries(9, "csat", 75.0, False, (75.5,) * 10 + (70.0,)),),
        volumes={"csat": tuple(_volumes(98))},
        trends=(ServiceTrend(9, AHT_BEFORE, AHT_NOW, Counts(800, 1000), Counts(700, 1000)),),
    )
    assert [(f.team_id, f.rule) for f in detect(inputs, T)] == [(1, SURVEY_DROP), (9, THRESHOLD_CLUSTER), (9, RUSHING)]


@pytest.mark.parametrize("alpha, expected", [(0.001, 3.0902), (0.01, 2.3263)])
def test_the_critical_value_follows_alpha(alpha, expected):
    assert round(Thresholds(alpha=alpha).z_critical, 4) == expected


# --- properties ---------------------------------------------------------------------------------
offsets = st.lists(st.floats(min_value=0.01, max_value=20, allow_nan=False), min_size=2, max_size=40)


@given(offsets, st.booleans())
def test_never_flags_days_mirrored_around_the_threshold(deltas, lower_is_better):
    days = tuple(75 + x for x in deltas) + tuple(75 - x for x in deltas)
    assert threshold_cluster(DailySeries(1, "csat", 75.0, lower_is_better, days), T) is None


counts = st.integers(min_value=1, max_value=5000)


@given(counts, counts, counts, counts)
def test_the_proportion_z_changes_sign_when_the_periods_swap(a, n, b, m):
    n, m = max(a, n), max(b, m)
    assert two_proportion_z(a, n, b, m) == pytest.approx(-two_proportion_z(b, m, a, n))


@given(st.lists(st.tuples(st.booleans(), counts, counts), min_size=1, max_size=12))
def test_flags_only_covered_teams_whose_sample_fell_by_the_drop_ratio(rows):
    volumes = [SurveyVolume(i, covered, before, now) for i, (covered, before, now) in enumerate(rows)]
    for flag in survey_drops(volumes, "nps", T):
        volume = volumes[flag.team_id]
        assert volume.covered
        assert volume.sample_now <= T.survey_drop_ratio * volume.sample_before


@given(st.dictionaries(st.sampled_from(["phone", "email", "chat"]), st.tuples(counts, st.floats(0, 100))))
def test_never_flags_an_unchanged_survey_mix(cells):
    same = {k: Cell(sample, sample * score) for k, (sample, score) in cells.items()}
    assert survey_mix(SurveyMix(1, "csat", "channel", same, same), T) is None
