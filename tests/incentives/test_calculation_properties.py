"""Properties of the payout math over generated curves, actuals and people."""

from __future__ import annotations

from decimal import Decimal as D
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from core.money import round_money
from incentives.calculations import (
    Actual,
    ComponentSpec,
    Curve,
    PersonInput,
    Stint,
    calculate_line,
    calculate_run,
    curve_errors,
    payout_pct,
)

EUR = partial(round_money, currency="EUR")
amounts = st.decimals(min_value=D(0), max_value=D(100000), places=2, allow_nan=False, allow_infinity=False)
actuals = st.decimals(min_value=D(-500), max_value=D(500), places=3, allow_nan=False, allow_infinity=False)
pcts = st.decimals(min_value=D(0), max_value=D(100), places=1, allow_nan=False, allow_infinity=False)
extra = st.decimals(min_value=D(0), max_value=D(200), places=1, allow_nan=False, allow_infinity=False)


@st.composite
def curves(draw):
    """Valid curves only (what validation lets through), in either direction."""
    threshold = draw(st.decimals(min_value=D(-100), max_value=D(100), places=2))
    gap1 = draw(st.decimals(min_value=D("0.01"), max_value=D(50), places=2))
    gap2 = draw(st.decimals(min_value=D("0.01"), max_value=D(50), places=2))
    lower = draw(st.booleans())
    sign = -1 if lower else 1
    stretch_pct = D(100) + draw(extra)
    curve = Curve(
        threshold=threshold,
        target=threshold + sign * gap1,
        stretch=threshold + sign * (gap1 + gap2),
        threshold_payout_pct=draw(pcts),
        stretch_payout_pct=stretch_pct,
        cap_pct=D(100) + draw(extra),
        lower_is_better=lower,
    )
    assert curve_errors(curve) == {}
    return curve


@given(curves(), actuals, actuals)
def test_payout_is_monotone_in_attainment(curve, a, b):
    worse, better = sorted([a, b], reverse=curve.lower_is_better)
    assert payout_pct(curve, worse) <= payout_pct(curve, better)


@given(curves(), actuals)
def test_payout_is_never_above_the_cap_nor_negative(curve, actual):
    assert D(0) <= payout_pct(curve, actual) <= curve.cap_pct


@st.composite
def people(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    result = []
    for person_id in range(count):
        stints = tuple(
            Stint(
                team_id=t,
                team_label=f"T{t}",
                days=draw(st.integers(min_value=0, max_value=31)),
                actuals={"k": Actual(value=draw(st.one_of(st.none(), actuals)))},
            )
            for t in range(draw(st.integers(min_value=1, max_value=3)))
        )
        result.append(PersonInput(person_id=person_id, target_amount=draw(amounts), stints=stints))
    return result


@settings(max_examples=200)
@given(curves(), people())
def test_run_total_is_exactly_the_sum_of_rounded_lines(curve, persons):
    specs = (ComponentSpec(key="k", label="K", kpi_code="k", weight=D(1), curve=curve),)
    run = calculate_run(specs=specs, people=persons, period_days=30, rounder=EUR)
    assert run.total == sum((line.amount for line in run.lines), D(0))
    for line in run.lines:
        assert line.amount == EUR(line.exact_amount)
        assert line.amount <= EUR(line.target_amount * curve.cap_pct / 100)
        assert line.proration <= 1


@given(curves(), amounts, actuals, actuals)
def test_line_is_monotone_in_the_actual(curve, target, a, b):
    worse, better = sorted([a, b], reverse=curve.lower_is_better)
    specs = (ComponentSpec(key="k", label="K", kpi_code="k", weight=D(1), curve=curve),)

    def amount(value):
        stint = Stint(team_id=1, team_label="T", days=30, actuals={"k": Actual(value=value)})
        person = PersonInput(person_id=1, target_amount=target, stints=(stint,))
        return calculate_line(specs=specs, person=person, period_days=30, rounder=EUR).amount

    assert amount(worse) <= amount(better)
