"""Data and SQL for the payout benchmark: the seeded company and the one-statement baselines.

`seed` builds 500 teams of 20 people (~5 % move team mid-period) with three months of two KPIs and a
plan on them (plus the same plan for two teams, to show the query count does not grow). `LINES_SQL`
computes every line of that plan in one statement: the main team, target amount, proration, exact
amount and the once-rounded amount, from the measurements. It handles what the bench plan uses
(ratio and mean KPIs, higher is better, eligible teams, overrides), not gates or quality rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

PERIOD = "2025-03"
MIRROR = "bench_sql_payoutline"  # same columns, indexes, checks and foreign keys as incentives_payoutline

# Actuals per team (ratio and sample-weighted mean, rounded like the scorecard), stints per person and
# team, the curve per component, then per person: main team (most days), proration, exact and rounded amount.
LINES_SQL = """
WITH params AS (
    SELECT %(start)s::date AS p_start, %(end)s::date AS p_end, (%(end)s::date - %(start)s::date + 1) AS p_days
),
actuals AS (
    SELECT m.team_id, m.kpi_id,
           CASE WHEN k.aggregation = 'ratio'
                THEN ROUND(k.scale * SUM(m.numerator) / NULLIF(SUM(m.denominator), 0), k.decimals)
                ELSE ROUND(SUM(m.value * COALESCE(m.sample_size, 1))
                           / NULLIF(SUM(CASE WHEN m.value IS NOT NULL THEN COALESCE(m.sample_size, 1) END), 0),
                           k.decimals)
           END AS actual
    FROM culture_measurement m
    JOIN culture_kpi k ON k.id = m.kpi_id, params
    WHERE m.date BETWEEN params.p_start AND params.p_end
      AND m.kpi_id IN (SELECT kpi_id FROM incentives_component WHERE plan_id = %(plan)s)
    GROUP BY m.team_id, m.kpi_id, k.aggregation, k.scale, k.decimals
),
stints AS (
    SELECT ms.person_id, ms.team_id,
           SUM(LEAST(COALESCE(ms."end", params.p_end), params.p_end)
               - GREATEST(ms.start, params.p_start) + 1) AS days
    FROM culture_membership ms, params
    WHERE ms.start <= params.p_end AND (ms."end" IS NULL OR ms."end" >= params.p_start)
      AND ms.team_id IN (SELECT team_id FROM incentives_plan_eligible_teams WHERE plan_id = %(plan)s)
    GROUP BY ms.person_id, ms.team_id
),
people AS (
    SELECT s.person_id,
           GREATEST(SUM(s.days), (SELECT p_days FROM params)) AS denominator,
           SUM(s.days) AS days,
           (ARRAY_AGG(s.team_id ORDER BY s.days DESC, s.team_id DESC))[1] AS main_team,
           COALESCE(o.target_amount, p.target_amount) AS target_amount
    FROM stints s
    JOIN incentives_plan p ON p.id = %(plan)s
    LEFT JOIN incentives_planoverride o ON o.plan_id = p.id AND o.person_id = s.person_id
    GROUP BY s.person_id, o.target_amount, p.target_amount
),
curve AS (
    SELECT s.person_id, s.days, c.weight,
           CASE WHEN a.actual IS NULL OR a.actual < c.threshold THEN 0
                WHEN a.actual < c.target THEN c.threshold_payout_pct
                    + (100 - c.threshold_payout_pct) * (a.actual - c.threshold) / (c.target - c.threshold)
                WHEN a.actual < c.stretch THEN LEAST(
                    100 + (c.stretch_payout_pct - 100) * (a.actual - c.target) / (c.stretch - c.target), c.cap_pct)
                ELSE LEAST(c.stretch_payout_pct, c.cap_pct)
           END AS pct
    FROM stints s
    CROSS JOIN incentives_component c
    LEFT JOIN actuals a ON a.team_id = s.team_id AND a.kpi_id = c.kpi_id
    WHERE c.plan_id = %(plan)s
),
exact AS (
    SELECT pe.person_id, pe.main_team, pe.target_amount, ROUND(pe.days / pe.denominator, 6) AS proration,
           SUM(pe.target_amount * cv.days * cv.weight * cv.pct
               / (pe.denominator * (SELECT SUM(weight) FROM incentives_component WHERE plan_id = %(plan)s) * 100))
           AS amount
    FROM curve cv
    JOIN people pe ON pe.person_id = cv.person_id
    GROUP BY pe.person_id, pe.main_team, pe.target_amount, pe.days, pe.denominator
)
SELECT person_id, main_team, target_amount, proration, ROUND(amount, 10), ROUND(amount, 2) FROM exact
"""


def insert_sql(table: str = MIRROR, *, breakdown: bool = True) -> str:
    """The same lines written as a payout run writes them: into a logged table shaped like ours."""
    columns, values = ("breakdown_id, ", "%(breakdown)s, ") if breakdown else ("", "")
    return (
        f"INSERT INTO {table} (run_id, {columns}person_id, team_id, target_amount, proration, exact_amount, amount) "
        f"SELECT %(run)s, {values}lines.* FROM ({LINES_SQL}) AS lines"
    )


def create_mirror(cursor, name: str = MIRROR, *, drop: tuple[str, ...] = ()) -> None:
    """A logged table like incentives_payoutline: columns, defaults, checks, indexes, and its foreign keys."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TABLE {name} (LIKE incentives_payoutline INCLUDING ALL)")
    cursor.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'incentives_payoutline'::regclass AND contype = 'f'"
    )
    for (definition,) in cursor.fetchall():
        if not any(f"({column})" in definition for column in drop):
            cursor.execute(f"ALTER TABLE {name} ADD {definition}")
    for column in drop:
        cursor.execute(f"ALTER TABLE {name} DROP COLUMN {column}")


def seed(teams: int, people_per_team: int):
    """Org, two bench KPIs with three months of measurements, a plan on them; ~5% move team mid-period."""
    import random

    from django.db import connection, transaction

    from bench.datagen import BenchShape, iter_measurement_rows, kpi_code, team_slug
    from culture.measurements.rollups import rebuild as rebuild_rollups
    from culture.models import Department, Kpi, Measurement, Membership, Period, Person, Team
    from incentives.models import Component, Plan

    with transaction.atomic():
        with connection.cursor() as cursor:  # bench rows only; approved runs are never created here
            cursor.execute(
                "TRUNCATE incentives_payoutstint, incentives_payoutline, incentives_payoutbreakdown,"
                " incentives_adjustment, incentives_payoutrun,"
                " incentives_component, incentives_planoverride, incentives_plan_eligible_teams,"
                " incentives_plan_eligible_departments, incentives_plan, culture_measurement, culture_membership"
                " RESTART IDENTITY CASCADE"
            )
        Person.objects.filter(email__endswith="@bench.example").delete()
        Team.objects.filter(slug__startswith="bench-team-").delete()
        department, _created = Department.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
        team_rows = Team.objects.bulk_create(
            Team(name=f"Bench team {i}", slug=team_slug(i), department=department) for i in range(teams)
        )
        by_slug = {t.slug: t.pk for t in team_rows}
        kpis = {}
        for index, aggregation in ((0, "ratio"), (1, "mean")):
            kpis[kpi_code(index)], _created = Kpi.objects.update_or_create(
                code=kpi_code(index),
                defaults={
                    "name": f"Bench KPI {index}",
                    "definition": "bench",
                    "category": "efficiency",
                    "unit": "percent",
                    "aggregation": aggregation,
                    "scale": Decimal(100),
                    "decimals": 1,
                },
            )
        shape = BenchShape(teams=teams, kpis=2, days=90, start=dt.date(2025, 1, 1))
        batch = []
        kpi_ids = {code: kpi.pk for code, kpi in kpis.items()}

        def dec(text):
            return Decimal(text) if text else None

        for team, kpi, date, channel, value, numerator, denominator, sample in iter_measurement_rows(shape):
            batch.append(
                Measurement(
                    team_id=by_slug[team],
                    kpi_id=kpi_ids[kpi],
                    date=dt.date.fromisoformat(date),
                    channel=channel,
                    value=dec(value),
                    numerator=dec(numerator),
                    denominator=dec(denominator),
                    sample_size=int(sample) if sample else None,
                )
            )
            if len(batch) == 10000:
                Measurement.objects.bulk_create(batch)
                batch = []
        Measurement.objects.bulk_create(batch)
        # bulk_create bypasses the writes that keep the monthly rollups; scorecards (and so the run) read
        # whole months from them, so without this every line would pay nothing.
        rebuild_rollups()

        rng = random.Random(4)
        people = Person.objects.bulk_create(
            Person(name=f"Bench person {i}", email=f"p{i}@bench.example", employee_number=f"B{i:06d}")
            for i in range(teams * people_per_team)
        )
        memberships = []
        moved_on = dt.date(2025, 3, 12)
        for index, person in enumerate(people):
            team = team_rows[index // people_per_team]
            if rng.random() < 0.05:
                other = team_rows[rng.randrange(teams)]
                memberships.append(Membership(person=person, team=team, start=dt.date(2024, 1, 1), end=moved_on))
                memberships.append(Membership(person=person, team=other, start=moved_on + dt.timedelta(days=1)))
            else:
                memberships.append(Membership(person=person, team=team, start=dt.date(2024, 1, 1)))
        Membership.objects.bulk_create(memberships)

        period, _created = Period.objects.get_or_create_for_code(PERIOD)
        plan = Plan.objects.create(
            name="Bench plan",
            period=period,
            reward_type="cash",
            currency="EUR",
            target_amount=Decimal(500),
            status="active",
        )
        plan.eligible_teams.set(team_rows)
        small = Plan.objects.create(
            name="Bench plan, two teams",
            period=period,
            reward_type="cash",
            currency="EUR",
            target_amount=Decimal(500),
            status="active",
        )
        small.eligible_teams.set(team_rows[:2])
        for each in (plan, small):
            Component.objects.create(plan=each, kpi=kpis[kpi_code(0)], weight=2, threshold=60, target=75, stretch=90)
            Component.objects.create(
                plan=each,
                kpi=kpis[kpi_code(1)],
                weight=1,
                threshold=55,
                target=70,
                stretch=85,
                cap_pct=140,
                stretch_payout_pct=160,
            )
    return plan, small, len(people), len(memberships)
