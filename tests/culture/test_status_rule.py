"""The one status rule at every boundary, the monotonic score, composite labels and the vocabulary. No database.

The published rule (docs/kpi-maths.md): on track at or better than "on track from" G (G included), off
track at or worse than "off track from" R (R included), at risk strictly between; "better" follows the
KPI's direction; judged on the exact actual.
"""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.scorecards.calculations import KpiSpec, Sums, TargetSpec, kpi_line
from culture.scorecards.status import (
    STATUS_LABELS,
    band,
    composite_status,
    label,
    score,
    thresholds_problem,
)

# FCR-like, higher is better: target 80, on track from 75, off track from 70.
HIGHER = ("higher", D(80), D(75), D(70))
# AHT-like, lower is better: target 300, on track from 330, off track from 360.
LOWER = ("lower", D(300), D(330), D(360))
# NPS with negative thresholds: target -10, on track from -20, off track from -30.
NEGATIVE = ("higher", D(-10), D(-20), D(-30))


@pytest.mark.parametrize(
    ("case", "actual", "expected"),
    [
        (HIGHER, D(81), "green"),
        (HIGHER, D(80), "green"),
        (HIGHER, D(75), "green"),  # G itself is on track
        (HIGHER, D("74.9999"), "amber"),
        (HIGHER, D("70.0001"), "amber"),
        (HIGHER, D(70), "red"),  # R itself is off track (was amber before the rename)
        (HIGHER, D("69.9999"), "red"),
        (LOWER, D(290), "green"),
        (LOWER, D(330), "green"),
        (LOWER, D("330.0001"), "amber"),
        (LOWER, D("359.9999"), "amber"),
        (LOWER, D(360), "red"),
        (LOWER, D(361), "red"),
        (NEGATIVE, D(-20), "green"),
        (NEGATIVE, D("-20.01"), "amber"),
        (NEGATIVE, D("-29.99"), "amber"),
        (NEGATIVE, D(-30), "red"),
        (NEGATIVE, D(-45), "red"),
    ],
)
def test_band_at_every_boundary(case, actual, expected):
    direction, _target, on_track_from, off_track_from = case
    assert band(actual, on_track_from, off_track_from, direction) == expected


@pytest.mark.parametrize(
    ("case", "actual", "expected"),
    [
        (HIGHER, D(85), D("100.0")),
        (HIGHER, D(80), D("100.0")),  # at the target
        (HIGHER, D(75), D("50.0")),  # 100 x (75 - 70) / (80 - 70)
        (HIGHER, D(72), D("20.0")),  # 100 x 2 / 10
        (HIGHER, D(70), D("0.0")),  # at R
        (HIGHER, D(60), D("0.0")),
        (HIGHER, D("70.001"), D("0.1")),  # 0.01 exactly, but a score above 0 never shows 0.0
        (HIGHER, D("79.999"), D("99.9")),  # 99.99 exactly, but only the target shows 100.0
        (LOWER, D(300), D("100.0")),
        (LOWER, D(345), D("25.0")),  # 100 x (345 - 360) / (300 - 360)
        (LOWER, D(360), D("0.0")),
        (NEGATIVE, D(-20), D("50.0")),  # 100 x (-20 + 30) / (-10 + 30)
        (NEGATIVE, D(-25), D("25.0")),
        (NEGATIVE, D(-30), D("0.0")),
    ],
)
def test_score_is_100_at_target_0_at_off_track_and_linear_between(case, actual, expected):
    direction, target, _on_track_from, off_track_from = case
    assert score(actual, target, off_track_from, direction) == expected


def test_status_and_score_judge_the_exact_actual_not_the_displayed_one():
    # 2999 of 4000 resolved = 74.975 %: shown as 75.0 (one place, half up) but below "on track from 75"
    fcr = KpiSpec("fcr", "FCR", "percent", 1, "higher", "ratio", D(100))
    target = TargetSpec(target=D(80), on_track_from=D(75), off_track_from=D(70))
    line = kpi_line(fcr, Sums(rows=1, numerator=D(2999), denominator=D(4000)), target)
    assert (line.actual, line.exact_actual, line.status) == (D("75.0"), D("74.975"), "amber")
    # score 100 x (74.975 - 70) / 10 = 49.75 -> 49.8 (half up), not the 50.0 of the displayed 75.0
    assert line.score == D("49.8")


def test_on_track_never_scores_below_at_risk_with_the_target_inside_the_on_track_band():
    direction, target, on_track_from, off_track_from = HIGHER
    worst_on_track = score(on_track_from, target, off_track_from, direction)
    best_at_risk = score(on_track_from - D("0.0001"), target, off_track_from, direction)
    assert worst_on_track >= best_at_risk


@pytest.mark.parametrize(
    ("composite", "expected"),
    [
        (None, "neutral"),
        (D("100.0"), "green"),
        (D("80.0"), "green"),  # on track from 80
        (D("79.9"), "amber"),
        (D("50.1"), "amber"),
        (D("50.0"), "red"),  # off track from 50 (was amber: the old band was "red below 50")
        (D("0.0"), "red"),
    ],
)
def test_composite_label_follows_the_same_rule(composite, expected):
    assert composite_status(composite) == expected


def test_one_vocabulary_for_people_and_codes_for_the_api():
    assert STATUS_LABELS == {
        "green": "On track",
        "amber": "At risk",
        "red": "Off track",
        "neutral": "Not rated",
        "noise": "Within noise",
    }
    assert label("") == "Not rated"


@pytest.mark.parametrize(
    ("direction", "values", "ok"),
    [
        ("higher", (80, 75, 70), True),
        ("higher", (75, 75, 70), True),  # the target may sit on "on track from"
        ("higher", (74, 75, 70), False),  # target outside the on-track band
        ("higher", (80, 70, 70), False),  # equal thresholds: 70 would be on and off track
        ("higher", (80, 70, 75), False),
        ("lower", (300, 330, 360), True),
        ("lower", (331, 330, 360), False),
        ("lower", (300, 360, 360), False),
        ("higher", (-10, -20, -30), True),
        ("higher", (-25, -20, -30), False),
    ],
)
def test_thresholds_are_validated_with_the_target_inside_the_on_track_band(direction, values, ok):
    target, on_track_from, off_track_from = (D(v) for v in values)
    assert (thresholds_problem(direction, target, on_track_from, off_track_from) is None) is ok


# --- properties

values = st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False)
RANK = {"red": 0, "amber": 1, "green": 2}


@st.composite
def valid_targets(draw):
    direction = draw(st.sampled_from(["higher", "lower"]))
    triple = sorted(draw(st.lists(values, min_size=3, max_size=3, unique=True)))
    off_track_from, on_track_from, target = triple if direction == "higher" else triple[::-1]
    if draw(st.booleans()):
        target = on_track_from
    return direction, target, on_track_from, off_track_from


@given(valid_targets(), values, values)
def test_status_and_score_rise_together(case, first, second):
    direction, target, on_track_from, off_track_from = case
    assert thresholds_problem(direction, target, on_track_from, off_track_from) is None
    worse, better = sorted([first, second], reverse=direction == "lower")
    worse_band = band(worse, on_track_from, off_track_from, direction)
    better_band = band(better, on_track_from, off_track_from, direction)
    worse_score = score(worse, target, off_track_from, direction)
    better_score = score(better, target, off_track_from, direction)
    assert RANK[worse_band] <= RANK[better_band]
    assert D(0) <= worse_score <= better_score <= D(100)
    # the score says the band's extremes: 0 exactly when off track, 100 only at or better than the target
    assert (worse_score == 0) == (worse_band == "red")
