"""Benchmark: `build_scorecards` for every team against one raw SQL GROUP BY computing the same actuals.

On PostgreSQL with 500 teams x 20 KPIs x 365 days (3.65M measurements from `bench/datagen.py`, loaded with a
plain COPY). Pass: build_scorecards takes at most 1.5x the raw GROUP BY, with a fixed number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_bench .venv/bin/python bench/bench_scorecards.py

The database is created when missing and the data is loaded once (reused while its row count matches);
`--reload` forces a fresh load. Prints one result line and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/scorecards_bench"
TARGET_RATIO = 1.5
MAX_QUERIES = 8

RAW_SQL = """
SELECT m.team_id, m.kpi_id, (m.date >= %(start)s) AS is_current,
       CASE k.aggregation
         WHEN 'ratio' THEN k.scale * SUM(m.numerator) / NULLIF(SUM(m.denominator), 0)
         WHEN 'mean' THEN SUM(m.value * COALESCE(m.sample_size, 1))
                          / NULLIF(SUM(CASE WHEN m.value IS NOT NULL THEN COALESCE(m.sample_size, 1) END), 0)
         WHEN 'sum' THEN SUM(m.value)
       END AS actual
FROM culture_measurement m JOIN culture_kpi k ON k.id = m.kpi_id
WHERE m.date BETWEEN %(previous_start)s AND %(end)s AND m.kpi_id = ANY(%(kpis)s)
GROUP BY m.team_id, m.kpi_id, k.aggregation, k.scale, is_current
"""


def _ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()


def _load(shape, reload: bool) -> float:
    """Org, bench KPIs and the measurements (COPY); returns the load time, 0 when reused."""
    from django.core.management import call_command
    from django.db import connection

    from bench.datagen import is_ratio_kpi, iter_measurement_rows, kpi_code, team_slug
    from culture.models import Department, Kpi, Measurement, Team

    call_command("migrate", verbosity=0)
    bench_kpis = Kpi.objects.filter(code__startswith="bench_kpi_")
    if not reload and Measurement.objects.filter(kpi__in=bench_kpis).count() == shape.rows:
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE culture_measurement, culture_monthlyrollup, culture_target, culture_scorecardsnapshot CASCADE"
        )
    Team.objects.filter(slug__startswith="bench-").delete()
    Department.objects.filter(slug__startswith="bench-").delete()
    bench_kpis.delete()
    roots = [Department.objects.create(name=f"Bench division {i}", slug=f"bench-division-{i}") for i in range(5)]
    departments = [
        Department.objects.create(name=f"Bench dept {i}", slug=f"bench-dept-{i}", parent=roots[i % 5])
        for i in range(20)
    ]
    teams = Team.objects.bulk_create(
        Team(name=f"Bench team {i}", slug=team_slug(i), department=departments[i % 20]) for i in range(shape.teams)
    )
    kpis = Kpi.objects.bulk_create(
        Kpi(
            code=kpi_code(i),
            name=f"Bench KPI {i}",
            definition="benchmark",
            category="efficiency",
            unit="percent",
            aggregation="ratio" if is_ratio_kpi(i) else "mean",
            scale=100 if is_ratio_kpi(i) else 1,
            decimals=1,
        )
        for i in range(shape.kpis)
    )
    team_ids = {t.slug: t.pk for t in teams}
    kpi_ids = {k.code: k.pk for k in kpis}
    now = dt.datetime.now(dt.UTC)
    columns = "team_id, kpi_id, date, channel, value, numerator, denominator, sample_size, source, updated_at"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY culture_measurement ({columns}) FROM STDIN") as copy:
            for team, kpi, date, channel, value, numerator, denominator, sample_size in iter_measurement_rows(shape):
                copy.write_row(
                    (
                        team_ids[team],
                        kpi_ids[kpi],
                        date,
                        channel,
                        value or None,
                        numerator or None,
                        denominator or None,
                        sample_size or None,
                        "command",
                        now,
                    )
                )
        cursor.execute("ANALYZE culture_measurement")
    from culture.measurements.rollups import rebuild

    rebuild()  # a plain COPY bypasses the write paths: the monthly rollups are built once after it
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE culture_monthlyrollup")
    return time.perf_counter() - started


def _targets(period_code: str) -> None:
    from culture.models import Kpi, Period, Target

    period, _created = Period.objects.get_or_create_for_code(period_code)
    Target.objects.filter(period=period).delete()
    Target.objects.bulk_create(
        Target(
            kpi=kpi,
            period=period,
            target_value=Decimal(80),
            on_track_from=Decimal(75),
            off_track_from=Decimal(70),
        )
        for kpi in Kpi.objects.filter(code__startswith="bench_kpi_")
    )


def _timed(func) -> tuple[float, object]:
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def _interleaved(runs: int, first, second) -> tuple[list[float], list[float], object, object]:
    """Alternate the two sides so that load from other processes hits both alike."""
    first_times, second_times, first_result, second_result = [], [], None, None
    for _ in range(runs):
        elapsed, first_result = _timed(first)
        first_times.append(elapsed)
        elapsed, second_result = _timed(second)
        second_times.append(elapsed)
    return first_times, second_times, first_result, second_result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2025-06", help="period to score (default 2025-06)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each side; the best counts")
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--kpis", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--reload", action="store_true", help="reload the measurements even if present")
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        print("bench_scorecards needs PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    _ensure_database(url)
    _setup_django(url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.datagen import BenchShape
    from culture.models import Kpi
    from culture.scorecards import build_scorecards, parse_period, previous_period

    shape = BenchShape(teams=args.teams, kpis=args.kpis, days=args.days)
    load_seconds = _load(shape, args.reload)
    _targets(args.period)
    span = parse_period(args.period)
    previous = previous_period(span)
    codes = list(Kpi.objects.filter(code__startswith="bench_kpi_").values_list("code", flat=True))
    kpi_pks = list(Kpi.objects.filter(code__in=codes).values_list("pk", flat=True))
    params = {"start": span.start, "previous_start": previous.start, "end": span.end, "kpis": kpi_pks}

    def build():
        return build_scorecards(period_code=span.code, kpi_codes=codes)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, params)
            return cursor.fetchall()

    build()  # warm caches on both sides
    raw()
    with CaptureQueriesContext(connection) as ctx:
        cards = build()
    queries = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        build_scorecards(period_code=span.code, kpi_codes=codes, ids=list(cards)[:5])
    queries_five_teams = len(ctx.captured_queries)
    assert queries <= MAX_QUERIES, f"{queries} queries for all teams"
    assert queries == queries_five_teams, f"{queries} queries for all teams, {queries_five_teams} for five"

    build_times, sql_times, cards, rows = _interleaved(args.runs, build, raw)
    build_best, sql_best = min(build_times), min(sql_times)

    code_by_pk = dict(Kpi.objects.filter(code__in=codes).values_list("pk", "code"))
    mismatches = 0
    for team_id, kpi_id, is_current, actual in rows:
        line = cards[team_id].lines[code_by_pk[kpi_id]]
        expected = None if actual is None else actual.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
        mismatches += (line.actual if is_current else line.previous) != expected
    assert mismatches == 0, f"{mismatches} actuals differ from the raw SQL"

    ratio = build_best / sql_best
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    result = {
        "benchmark": "scorecards",
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": shape.rows,
        "teams": shape.teams,
        "kpis": shape.kpis,
        "days": shape.days,
        "period": span.code,
        "scorecards": len(cards),
        "compared_actuals": len(rows),
        "build_scorecards_seconds": round(build_best, 4),
        "raw_group_by_seconds": round(sql_best, 4),
        "build_runs": [round(t, 4) for t in build_times],
        "raw_runs": [round(t, 4) for t in sql_times],
        "median_ratio": round(statistics.median(build_times) / statistics.median(sql_times), 3),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "queries": queries,
        "load_seconds": round(load_seconds, 1),
        "postgres": server,
        "python": platform.python_version(),
        "passed": ratio <= TARGET_RATIO,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench_scorecards.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"bench_scorecards: {len(cards)} team scorecards for {span.code} over {shape.rows:,} rows: "
        f"build_scorecards {build_best * 1000:.0f} ms vs raw GROUP BY {sql_best * 1000:.0f} ms = {ratio:.2f}x "
        f"(target <= {TARGET_RATIO}x), {queries} queries, {'PASS' if result['passed'] else 'FAIL'}"
    )
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
