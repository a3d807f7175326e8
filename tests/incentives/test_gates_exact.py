"""Gates judge the exact actual, and a KPI within noise is judged like any other. Hand-computed cases."""

from __future__ import annotations

from decimal import Decimal as D

from incentives.calculations import Actual, ComponentSpec, Curve, gate_is_met

CSAT_GATE = ComponentSpec(
    key="csat",
    label="CSAT",
    kpi_code="csat",
    weight=D(0),
    curve=Curve(threshold=D(75), target=D(85), stretch=D(95)),
    is_gate=True,
)


def test_a_gate_compares_the_exact_actual_not_the_displayed_one():
    # 74.95 shows as 75.0 at one place (half up) but is below the gate's 75
    assert gate_is_met(CSAT_GATE, Actual(value=D("75.0"), exact=D("74.95"))) is False
    assert gate_is_met(CSAT_GATE, Actual(value=D("75.0"), exact=D("75.04"))) is True


def test_without_an_exact_actual_the_shown_value_is_judged():
    # what-if overrides and snapshots frozen before exact actuals carry only the value
    assert gate_is_met(CSAT_GATE, Actual(value=D(75))) is True


def test_a_kpi_within_noise_passes_a_gate_on_its_exact_actual_if_the_plan_evidence_rules_pass():
    # 41 of 50 = 82.0 % is "within noise" on a scorecard whose target asks for it (tests/culture/
    # test_intervals.py); the plan has no minimum sample, so the gate is met: 82.0 >= 75.
    assert gate_is_met(CSAT_GATE, Actual(value=D("82.0"), sample_size=50, exact=D(82))) is True
    # the plan's own minimum sample is what refuses thin evidence
    strict = ComponentSpec(**{**CSAT_GATE.__dict__, "min_sample": 60})
    assert gate_is_met(strict, Actual(value=D("82.0"), sample_size=50, exact=D(82))) is False
