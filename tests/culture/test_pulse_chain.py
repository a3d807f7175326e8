"""The service-profit chain maths: Pearson's r against published data (Anscombe's quartet; NIST's certified
Norris data set), Fisher's interval by hand, the refusals."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from culture.pulse.chain import ChainRefused, correlate, fisher_interval, pearson

# Anscombe's quartet, data set I (Anscombe 1973): r = 0.81642 to five places.
ANSCOMBE_X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
ANSCOMBE_Y1 = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]


def test_anscombe_one():
    assert pearson(ANSCOMBE_X, ANSCOMBE_Y1) == pytest.approx(0.816421, abs=1e-6)


def test_anscombe_interval_by_hand():
    # atanh(0.816421) = 1.14599; 1.96 / sqrt(8) = 0.69296; tanh(0.45302) = 0.42438, tanh(1.83895) = 0.95069
    result = correlate(ANSCOMBE_X, ANSCOMBE_Y1, minimum_teams=8)
    assert result.n == 11
    assert result.low == pytest.approx(0.42438, abs=1e-4)
    assert result.high == pytest.approx(0.95069, abs=1e-4)


# NIST StRD linear regression, data set Norris (lower difficulty, 36 observations): certified R-squared
# 0.999993745883712, so r = sqrt(R^2) = 0.99999687293697 (the slope is positive: 1.00211681802045).
NORRIS_X = [
    0.2, 337.4, 118.2, 884.6, 10.1, 226.5, 666.3, 996.3, 448.6, 777.0, 558.2, 0.4, 0.6, 775.5, 666.9, 338.0,
    447.5, 11.6, 556.0, 228.1, 995.8, 887.6, 120.2, 0.3, 0.3, 556.8, 339.1, 887.2, 999.0, 779.0, 11.1, 118.3,
    229.2, 669.1, 448.9, 0.5,
]  # fmt: skip
NORRIS_Y = [
    0.1, 338.8, 118.1, 888.0, 9.2, 228.1, 668.5, 998.5, 449.1, 778.9, 559.2, 0.3, 0.1, 778.1, 668.8, 339.3,
    448.9, 10.8, 557.7, 228.3, 998.0, 888.8, 119.6, 0.3, 0.6, 557.6, 339.3, 888.0, 998.5, 778.9, 10.2, 117.6,
    228.9, 668.4, 449.2, 0.2,
]  # fmt: skip


def test_nist_norris_certified_r_squared():
    r = pearson(NORRIS_X, NORRIS_Y)
    assert r * r == pytest.approx(0.999993745883712, abs=1e-12)


def test_nist_norris_interval_by_hand():
    # atanh(0.99999687293697) = 6.68428097; 1.96 / sqrt(33) = 0.34119221;
    # tanh(6.34308876) = 0.99999381283, tanh(7.02547318) = 0.99999841955
    result = correlate(NORRIS_X, NORRIS_Y, minimum_teams=8)
    assert result.n == 36
    assert result.low == pytest.approx(0.99999381283, abs=1e-10)
    assert result.high == pytest.approx(0.99999841955, abs=1e-10)


def test_small_hand_set():
    # x 1..4, y 2,4,5,4: dx -1.5,-.5,.5,1.5; dy -1.75,.25,1.25,.25; sxy 3.5; sxx 5; syy 4.75 -> 3.5/sqrt(23.75)
    assert pearson([1, 2, 3, 4], [2, 4, 5, 4]) == pytest.approx(3.5 / math.sqrt(23.75), rel=1e-12)


def test_perfect_lines():
    assert pearson([1, 2, 3, 4, 5], [3, 5, 7, 9, 11]) == pytest.approx(1.0)
    assert pearson([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]) == pytest.approx(-1.0)
    assert fisher_interval(1.0, 10) == (1.0, 1.0)


def test_refuses_below_minimum_teams():
    with pytest.raises(ChainRefused, match="Only 7 teams"):
        correlate(list(range(7)), list(range(7)), minimum_teams=8)


def test_never_fewer_than_four_teams():
    with pytest.raises(ChainRefused, match="at least 4"):
        correlate([1, 2, 3], [1, 3, 2], minimum_teams=2)


def test_refuses_without_spread():
    with pytest.raises(ChainRefused, match="same value"):
        correlate([1, 2, 3, 4, 5, 6, 7, 8], [5] * 8, minimum_teams=8)


def test_tiny_spreads_do_not_divide_by_zero():
    assert pearson([0.0, 1e-160, 0.0, 1e-160], [0.0, 1e-160, 1e-160, 0.0]) == pytest.approx(0.0)
    assert pearson([0.0, 0.0, 0.0, 5e-324], [1.0, 2.0, 3.0, 4.0]) is None


def test_mismatched_lengths():
    with pytest.raises(ValueError):
        pearson([1, 2], [1])


values = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)
pairs = st.lists(st.tuples(values, values), min_size=4, max_size=40)


@given(pairs)
def test_properties(data):
    xs = [x for x, _y in data]
    ys = [y for _x, y in data]
    r = pearson(xs, ys)
    assume(r is not None)
    assert -1.0 <= r <= 1.0
    assert pearson(ys, xs) == pytest.approx(r, abs=1e-9)
    low, high = fisher_interval(r, len(xs))
    assert -1.0 <= low <= r <= high <= 1.0
