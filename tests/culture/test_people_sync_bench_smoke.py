"""The people-sync benchmark on a tiny shape, so that its code cannot rot (the full run is `make bench`)."""

import pytest

from bench.bench_people_sync import run

pytestmark = pytest.mark.django_db


def test_people_sync_benchmark_runs_on_a_tiny_shape(tmp_path):
    figures = run(100, tmp_path)
    assert figures["first_counts"]["joiner"] == 100
    assert figures["first_counts"]["new_team"] == 5
    assert figures["first_counts"]["manager_change"] == 0
    assert figures["second_counts"]["joiner"] == 3
    assert figures["second_counts"]["leaver"] == 2
    assert figures["second_counts"]["move"] == 10
    assert figures["repeat_is_empty"] is True
