"""Rubric aggregation, calibration and validity: exact cases and properties, no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiring.insights.calculations import competency_validity, correlation_interval, interviewer_calibration, pearson
from hiring.rubrics.calculations import (
    CompetencySpec,
    ScorecardInput,
    aggregate_application,
    competency_summary,
    weighted_score,
)

D = Decimal
RUBRIC = (
    CompetencySpec("empathy", D(2)),
    CompetencySpec("listening", D(1)),
    CompetencySpec("ownership", D(1)),
)


def card(interviewer_id, **ratings):
    return ScorecardInput(interviewer_id=interviewer_id, ratings=ratings)


def test_weighted_score_uses_weights_and_maps_1_to_5_onto_0_to_100():
    panel = [card(1, empathy=4, listening=3, ownership=None), card(2, empathy=5, listening=3, ownership=2)]
    result = aggregate_application(RUBRIC, panel, D("62.5"))
    # means 4.5, 3, 2 -> (2*3.5 + 2 + 1) / 4 = 2.5 points above 1 -> 62.5
    assert result.score == D("62.5")
    assert result.meets_bar is True
    assert [(s.key, s.count, s.mean, s.spread) for s in result.competencies] == [
        ("empathy", 2, D("4.50"), 1),
        ("listening", 2, D("3.00"), 0),
        ("ownership", 1, D("2.00"), 0),
    ]
    assert result.has_disagreement is False
    assert result.scorecard_count == 2


def test_score_just_below_the_bar_does_not_meet_it():
    panel = [card(1, empathy=4, listening=3, ownership=None), card(2, empathy=5, listening=3, ownership=2)]
    assert aggregate_application(RUBRIC, panel, D("62.6")).meets_bar is False


def test_not_assessed_competencies_are_left_out_and_weights_renormalised():
    # Only empathy rated: its weight alone counts, no zero for the others.
    assert aggregate_application(RUBRIC, [card(1, empathy=5)], None).score == D("100.0")
    assert aggregate_application(RUBRIC, [card(1, empathy=5, listening=None, ownership=None)], None).score == D("100.0")


def test_missing_key_and_none_are_the_same():
    with_none = aggregate_application(RUBRIC, [card(1, empathy=3, listening=None, ownership=1)], None)
    without = aggregate_application(RUBRIC, [card(1, empathy=3, ownership=1)], None)
    assert with_none == without
    # (2*2 + 1*0) / 3 = 1.333 points above 1 -> 33.3
    assert with_none.score == D("33.3")


def test_no_ratings_at_all_gives_no_score_and_no_bar_verdict():
    result = aggregate_application(RUBRIC, [], D("50"))
    assert result.score is None
    assert result.meets_bar is None
    assert all(s.mean is None and s.spread is None for s in result.competencies)


def test_two_point_spread_is_flagged_as_disagreement_but_one_point_is_not():
    assert competency_summary("empathy", [2, 4]).has_disagreement is True
    assert competency_summary("empathy", [3, 4]).has_disagreement is False
    result = aggregate_application(RUBRIC, [card(1, empathy=2), card(2, empathy=3), card(3, empathy=4)], None)
    assert result.has_disagreement is True
    assert result.summary_for("empathy").spread == 2


def test_means_and_score_round_half_up_once_from_exact_values():
    single = (CompetencySpec("empathy", D(1)),)
    result = aggregate_application(single, [card(1, empathy=1), card(2, empathy=2), card(3, empathy=2)], None)
    assert result.summary_for("empathy").mean == D("1.67")
    assert result.score == D("16.7")  # (5/3 - 1) * 25 = 16.666..


def test_ratings_outside_one_to_five_are_rejected():
    with pytest.raises(ValueError, match="outside"):
        competency_summary("empathy", [0])
    with pytest.raises(ValueError, match="outside"):
        aggregate_application(RUBRIC, [card(1, empathy=6)], None)


def test_non_positive_weight_is_rejected():
    with pytest.raises(ValueError, match="positive"):
        weighted_score([CompetencySpec("empathy", D(0))], {"empathy": D(3)})


def test_calibration_measures_distance_from_the_rest_of_the_panel():
    panels = [
        [card(1, empathy=5, listening=5), card(2, empathy=3, listening=3), card(3, empathy=3, listening=3)],
        [card(1, empathy=4), card(2, empathy=2)],
    ]
    result = {c.interviewer_id: c for c in interviewer_calibration(panels)}
    # interviewer 1: |5-3|, |5-3|, |4-2| -> 2.00, all lenient
    assert result[1].mean_distance == D("2.00")
    assert result[1].mean_offset == D("2.00")
    assert result[1].leaning == "lenient"
    assert result[1].compared_ratings == 3
    assert result[1].applications == 2
    # interviewer 2: |3-4|, |3-4|, |2-4| -> 4/3
    assert result[2].mean_distance == D("1.33")
    assert result[2].mean_offset == D("-1.33")
    assert result[2].leaning == "harsh"
    assert result[3].mean_distance == D("1.00")
    assert [c.interviewer_id for c in interviewer_calibration(panels)] == [1, 2, 3]


def test_calibration_ignores_lone_raters_and_not_assessed():
    panels = [[card(1, empathy=5, listening=None), card(2, listening=2)]]
    assert interviewer_calibration(panels) == []


def test_pearson_exact_values_and_degenerate_cases():
    assert pearson([1, 2, 3], [2, 4, 6]) == D("1.00")
    assert pearson([1, 2, 3], [3, 2, 1]) == D("-1.00")
    assert pearson([1, 2, 3, 4], [1, 3, 2, 4]) == D("0.80")
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert pearson([1], [1]) is None


def test_validity_is_suppressed_below_five_hires_and_flagged_as_indicative_below_thirty():
    four = [(D(3), 3), (D(4), 4), (D(2), 2), (D(5), 5)]
    small = competency_validity("empathy", four)
    assert small.correlation is None
    assert small.sample_size == 4
    assert "Not enough hires" in small.verdict
    five = competency_validity("empathy", [*four, (D(1), 1)])
    assert five.correlation == D("1.00")
    assert "Indicative only: 5 hires" in five.verdict
    assert five.interval is not None


def test_correlation_interval_narrows_with_sample_size():
    low5, high5 = correlation_interval(D("0.5"), 5)
    low100, high100 = correlation_interval(D("0.5"), 100)
    assert (high5 - low5) > (high100 - low100)
    assert low100 == D("0.34")
    assert high100 == D("0.63")
    assert correlation_interval(D("0.5"), 3) is None


ratings = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
weights = st.decimals(min_value=D("0.01"), max_value=D("100"), places=2)
panels = st.lists(
    st.fixed_dictionaries({"empathy": ratings, "listening": ratings, "ownership": ratings}), min_size=0, max_size=6
)
rubrics = st.tuples(weights, weights, weights).map(
    lambda w: tuple(CompetencySpec(k, v) for k, v in zip(("empathy", "listening", "ownership"), w, strict=True))
)


def _cards(rows):
    return [ScorecardInput(interviewer_id=i, ratings=row) for i, row in enumerate(rows)]


@given(rubrics, panels)
def test_score_is_between_0_and_100_or_none_when_nothing_rated(rubric, rows):
    score = aggregate_application(rubric, _cards(rows), None).score
    anything_rated = any(v is not None for row in rows for v in row.values())
    assert (score is not None) == anything_rated
    if score is not None:
        assert D(0) <= score <= D(100)


@given(rubrics, panels)
def test_order_of_scorecards_does_not_change_the_result(rubric, rows):
    forward = aggregate_application(rubric, _cards(rows), None)
    backward = aggregate_application(rubric, list(reversed(_cards(rows))), None)
    assert forward.score == backward.score
    assert forward.competencies == backward.competencies


@given(st.integers(min_value=1, max_value=5), rubrics, st.integers(min_value=1, max_value=5))
def test_unanimous_ratings_give_the_linear_score(rating, rubric, count):
    rows = [dict.fromkeys(("empathy", "listening", "ownership"), rating)] * count
    result = aggregate_application(rubric, _cards(rows), None)
    assert result.score == D((rating - 1) * 25).quantize(D("0.1"))
    assert not result.has_disagreement


@given(rubrics, panels, st.integers(min_value=1, max_value=50))
def test_scaling_all_weights_does_not_change_the_score(rubric, rows, factor):
    scaled = tuple(CompetencySpec(c.key, c.weight * factor) for c in rubric)
    assert (
        aggregate_application(rubric, _cards(rows), None).score
        == aggregate_application(scaled, _cards(rows), None).score
    )


@given(rubrics, panels.filter(lambda rows: len(rows) > 0), st.sampled_from(["empathy", "listening", "ownership"]))
def test_raising_one_rating_never_lowers_the_score(rubric, rows, key):
    before = aggregate_application(rubric, _cards(rows), None).score
    raised = [dict(rows[0], **{key: min(5, (rows[0][key] or 0) + 1) if rows[0][key] else None}), *rows[1:]]
    after = aggregate_application(rubric, _cards(raised), None).score
    if before is not None:
        assert after >= before


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=40))
def test_pearson_is_bounded_and_symmetric(pairs):
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    r = pearson(xs, ys)
    assert r == pearson(ys, xs)
    if r is not None:
        assert D(-1) <= r <= D(1)


@given(st.lists(st.fixed_dictionaries({"empathy": st.integers(1, 5)}), min_size=2, max_size=5))
def test_identical_panellists_sit_at_zero_distance(rows):
    same = [card(i, empathy=rows[0]["empathy"]) for i in range(len(rows))]
    assert all(c.mean_distance == D("0.00") for c in interviewer_calibration([same]))
