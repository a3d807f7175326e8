"""The import benchmark on a tiny shape, so that its code cannot rot (the full run is `make bench`)."""

import pytest
from django.db import connection

from bench.bench_imports import run
from bench.datagen import BenchShape

pytestmark = pytest.mark.django_db


def test_import_benchmark_runs_on_a_tiny_shape(tmp_path):
    postgres = connection.vendor == "postgresql"
    figures = run(BenchShape(teams=2, kpis=3, days=4), tmp_path, baseline=postgres)
    assert figures["rows"] == 24
    assert figures["import_counts"] == {"created": 24, "updated": 0, "unchanged": 0}
    assert figures["reimport_counts"] == {"created": 0, "updated": 0, "unchanged": 24}
    if postgres:
        assert figures["ratio"] > 0 and figures["ratio_to_copy_without_batch"] > 0
