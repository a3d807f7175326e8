"""The payout benchmark's data (bench/payouts_data.py) on a small company: our run pays, line for line, what
the benchmark's SQL baseline computes. It once seeded measurements without their monthly rollups, so every
line paid 0 and the benchmark failed its own check."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection

from bench.payouts_data import LINES_SQL, PERIOD, seed
from culture.scorecards import parse_period
from incentives.models import PayoutLine, PayoutRun
from incentives.services import calculate_payouts

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def test_the_bench_run_pays_what_its_sql_baseline_computes():
    plan, _small, people, _memberships = seed(teams=4, people_per_team=5)
    run = calculate_payouts(run_id=PayoutRun.objects.create(plan=plan, currency=plan.currency).pk)

    span = parse_period(PERIOD)
    with connection.cursor() as cursor:
        cursor.execute(LINES_SQL, {"start": span.start, "end": span.end, "plan": plan.pk})
        expected = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
    columns = ("person_id", "team_id", "target_amount", "proration", "exact_amount", "amount")
    ours = {row[0]: tuple(row[1:]) for row in PayoutLine.objects.filter(run=run).values_list(*columns)}

    assert len(ours) == people == 20
    assert ours == expected
    assert run.total == sum(line[4] for line in ours.values()) > D(0)
