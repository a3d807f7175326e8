"""Benchmark: a payout run for 10,000 people in 500 teams against one SQL statement doing the same work.

Run on PostgreSQL (`BENCH_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/incentives_bench; the
database is created and migrated when missing, its bench rows replaced each time):

    .venv/bin/python bench/bench_payouts.py [--people-per-team 20] [--teams 500] [--repeat 7]

Two comparisons, each against one SQL statement (bench/payouts_data.py):
- compute: our scorecard adapter and pure math producing every line, against one SELECT computing
  the same lines (main team, target, proration, exact and rounded amount) from the measurements;
- full run: `calculate_payouts` in a new run (read, compute, explain, write lines, breakdowns and
  stints, audit, commit), against one INSERT ... SELECT writing the same lines into a logged table
  with the columns, indexes, checks and foreign keys of our line table, committed on its own.
It checks that our lines equal the statement's line for line, that the run's statement count is the
same for two teams and for all, and times the contenders in turns (a busy host slows all alike):
median and best of `--repeat` rounds, wall clock and CPU (ours plus the PostgreSQL backend's).
Prints the figures and writes JSON to bench/results/payouts.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/incentives_bench"
MAX_QUERIES = 30  # plan and components, org, scorecard aggregation, deletes, writes, audit: fixed
TARGET_RATIO = 2.0


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Clock:
    """Wall and CPU seconds of a call: this process plus its PostgreSQL backend (from /proc schedstat)."""

    def __init__(self, connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")

    def _backend_seconds(self) -> float:
        return int(self.backend.read_text().split()[0]) / 1e9 if self.backend.exists() else 0.0

    def __call__(self, function):
        wall, cpu, server = time.perf_counter(), time.process_time(), self._backend_seconds()
        value = function()
        cpu_seconds = time.process_time() - cpu + self._backend_seconds() - server
        return value, time.perf_counter() - wall, cpu_seconds


def _rounds(clock: Clock, functions: dict, repeat: int) -> tuple[dict[str, dict[str, list[float]]], dict]:
    """Each function `repeat` times, taking turns; wall and CPU seconds of every call."""
    times: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in functions}
    results: dict = {}
    for _ in range(repeat):
        for name, (prepare, function) in functions.items():
            call = partial(function, prepare()) if prepare else function
            results[name], wall, cpu = clock(call)
            times[name]["wall"].append(wall)
            times[name]["cpu"].append(cpu)
    return times, results


@contextmanager
def counting_statements(connection):
    """Count executed statements and COPY streams (CaptureQueriesContext does not see COPY)."""
    from django.test.utils import CaptureQueriesContext
    from psycopg import Cursor

    copies = []
    original = Cursor.copy

    def copy(self, statement, *args, **kwargs):
        copies.append(statement)
        return original(self, statement, *args, **kwargs)

    Cursor.copy = copy
    try:
        with CaptureQueriesContext(connection) as captured:
            yield lambda: (len(captured.captured_queries), len(copies))
    finally:
        Cursor.copy = original


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--people-per-team", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    _setup(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))

    from django.db import connection

    from bench.payouts_data import LINES_SQL, MIRROR, PERIOD, create_mirror, insert_sql, seed
    from core.money import round_money
    from culture.scorecards import parse_period
    from incentives.calculations import calculate_run
    from incentives.inputs import load_plan_inputs
    from incentives.models import PayoutBreakdown, PayoutLine, PayoutRun, PayoutStint
    from incentives.services import _main_team, calculate_payouts

    plan, small, people, memberships = seed(args.teams, args.people_per_team)
    with connection.cursor() as cursor:
        create_mirror(cursor)
        create_mirror(cursor, f"{MIRROR}_plain", drop=("breakdown_id",))
        # Parallel workers' CPU would escape the backend's clock; at this size PostgreSQL plans none anyway.
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    # Seeding leaves ~100,000 long-lived objects behind; a worker computing a run would not carry them.
    gc.collect()
    gc.freeze()
    span = parse_period(PERIOD)
    params = {"start": span.start, "end": span.end, "plan": plan.pk}
    rounder = partial(round_money, currency=plan.currency)
    clock = Clock(connection)

    def new_run(of=plan):
        run = PayoutRun.objects.create(plan=of, currency=of.currency)
        return calculate_payouts(run_id=run.pk)

    runs = {}
    for name, of in (("small", small), ("full", plan)):
        with counting_statements(connection) as counted:
            runs[name] = new_run(of)
            runs[f"{name}_counts"] = counted()
    run = runs["full"]
    queries, copies = runs["full_counts"]
    assert runs["small_counts"] == runs["full_counts"], f"statements grow with people: {runs}"
    assert queries <= MAX_QUERIES, f"calculate_payouts ran {queries} queries (max {MAX_QUERIES})"

    def compute():
        inputs = load_plan_inputs(plan=plan)
        return calculate_run(specs=inputs.specs, people=inputs.people, period_days=inputs.period_days, rounder=rounder)

    def sql_select():
        with connection.cursor() as cursor:
            cursor.execute(LINES_SQL, params)
            return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}

    def placeholder():  # untimed: the run and breakdown the statement's lines point at
        baseline_run = PayoutRun.objects.create(plan=plan, currency=plan.currency)
        return baseline_run.pk, PayoutBreakdown.objects.create(run=baseline_run).pk

    def sql_insert(table, breakdown=True):
        sql = insert_sql(table, breakdown=breakdown)

        def insert(ids):
            with connection.cursor() as cursor:  # autocommit: its own transaction, committed
                cursor.execute(sql, {**params, "run": ids[0], "breakdown": ids[1]})
                return ids[0]

        return insert

    load_before = os.getloadavg()
    times, results = _rounds(
        clock,
        {
            "sql_select": (None, sql_select),
            "compute": (None, compute),
            "sql_insert": (placeholder, sql_insert(MIRROR)),
            "run": (None, new_run),
            "rerun": (None, lambda: calculate_payouts(run_id=run.pk)),
            "sql_insert_plain": (placeholder, sql_insert(f"{MIRROR}_plain", breakdown=False)),
        },
        args.repeat,
    )
    load_after = os.getloadavg()

    # Line for line: our run, the SELECT, the INSERT's rows and the compute-only result agree.
    columns = ("person_id", "team_id", "target_amount", "proration", "exact_amount", "amount")
    ours = {row[0]: tuple(row[1:]) for row in PayoutLine.objects.filter(run=run).values_list(*columns)}
    expected = results["sql_select"]
    assert len(ours) == len(expected) == people, (len(ours), len(expected), people)
    different = [person for person, line in ours.items() if expected.get(person) != line]
    assert not different, (
        f"{len(different)} lines differ, e.g. {different[0]}: {ours[different[0]]} vs {expected.get(different[0])}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {MIRROR} WHERE run_id = %s", [results["sql_insert"]])
        assert {row[0]: tuple(row[1:]) for row in cursor.fetchall()} == expected
    computed = results["compute"]
    assert {line.person_id: (_main_team(line), line.amount) for line in computed.lines} == {
        person: (line[0], line[4]) for person, line in ours.items()
    }
    assert run.total == sum(line[4] for line in ours.values())

    median = {name: {kind: statistics.median(values) for kind, values in t.items()} for name, t in times.items()}
    best = {name: {kind: min(values) for kind, values in t.items()} for name, t in times.items()}

    def ratio(ours_name, sql_name, kind):
        return round(median[ours_name][kind] / median[sql_name][kind], 2)

    result = {
        "benchmark": "payouts",
        "database": connection.vendor,
        "people": people,
        "teams": args.teams,
        "memberships": memberships,
        "lines": run.line_count,
        "breakdowns": PayoutBreakdown.objects.filter(run=run).count(),
        "stints": PayoutStint.objects.filter(breakdown__run=run).count(),
        "rounds": args.repeat,
        "median_seconds": {name: {k: round(v, 4) for k, v in m.items()} for name, m in median.items()},
        "best_seconds": {name: {k: round(v, 4) for k, v in m.items()} for name, m in best.items()},
        "ratio_run_vs_sql_insert": {
            "wall": ratio("run", "sql_insert", "wall"),
            "cpu": ratio("run", "sql_insert", "cpu"),
        },
        "ratio_compute_vs_sql_select": {
            "wall": ratio("compute", "sql_select", "wall"),
            "cpu": ratio("compute", "sql_select", "cpu"),
        },
        "ratio_rerun_vs_sql_insert": {
            "wall": ratio("rerun", "sql_insert", "wall"),
            "cpu": ratio("rerun", "sql_insert", "cpu"),
        },
        "ratio_run_vs_sql_insert_plain": {"wall": ratio("run", "sql_insert_plain", "wall")},
        "target_ratio": TARGET_RATIO,
        "queries": queries,
        "copy_streams": copies,
        "queries_two_teams": runs["small_counts"][0],
        "max_queries": MAX_QUERIES,
        "total": str(run.total),
        "identical_lines": True,
        "load_average": [round(x, 2) for x in (*load_before, *load_after)],
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "payouts.json").write_text(json.dumps(result, indent=2) + "\n")
    full, comp = result["ratio_run_vs_sql_insert"], result["ratio_compute_vs_sql_select"]
    verdict = "OK" if full["wall"] <= TARGET_RATIO else "SLOWER THAN TARGET"

    def fig(name):
        return f"{median[name]['wall']:.3f}s wall / {median[name]['cpu']:.3f}s CPU"

    print(
        f"payouts: {people} people / {args.teams} teams, median of {args.repeat} rounds, load average "
        f"{load_before[0]:.2f} -> {load_after[0]:.2f}\n"
        f"  full run (compute, explain, write {run.line_count} lines + {result['breakdowns']} breakdowns "
        f"+ {result['stints']} stints, commit) {fig('run')} vs one INSERT ... SELECT into a line-shaped "
        f"logged table, committed {fig('sql_insert')} = {full['wall']:.2f}x wall, {full['cpu']:.2f}x CPU "
        f"(target <= {TARGET_RATIO}x) {verdict}\n"
        f"  compute only {fig('compute')} vs one SELECT {fig('sql_select')} = {comp['wall']:.2f}x wall, "
        f"{comp['cpu']:.2f}x CPU\n"
        f"  re-run of a draft {fig('rerun')}; the INSERT without the breakdown column {fig('sql_insert_plain')}\n"
        f"  {queries} queries + {copies} COPY streams for 2 teams and for {args.teams}; lines identical to the SQL's"
    )
    return result


if __name__ == "__main__":
    main()
