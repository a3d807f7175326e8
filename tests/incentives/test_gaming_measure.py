"""The gaming detector measured on the separate generator's data, fixed seed (figures in docs/kpi-maths.md)."""

from __future__ import annotations

from bench.bench_gaming import MAX_FALSE_FLAGS, MIN_DETECTION, measure
from bench.gaming_data import PATTERNS, company_period


def test_flags_at_least_90_percent_of_gamed_and_at_most_1_percent_of_clean_team_periods():
    result = measure(periods=250, seed=1)
    assert sum(result.gamed.values()) > 1000 and result.clean > 3000
    assert result.detection >= MIN_DETECTION
    assert result.false_flag_rate <= MAX_FALSE_FLAGS


def test_the_generator_is_reproducible_and_uses_every_pattern():
    first, again = company_period(5), company_period(5)
    assert first.gamed == again.gamed and first.inputs.series == again.inputs.series
    patterns = set()
    for seed in range(20):
        patterns |= set(company_period(seed).gamed.values())
    assert patterns == set(PATTERNS)
