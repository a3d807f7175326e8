"""Demo incentive plans for `seed_demo`: a cash bonus with a CSAT gate and a points plan on FCR and NPS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from culture.measurements import STANDARD_KPIS
from culture.models import Department, Kpi, Period
from culture.scorecards import parse_period, previous_period, shift_period

from .models import Component, PayoutRun, Plan
from .services import approve_payout_run, calculate_payouts, create_payout_run, mark_payout_run_paid


@dataclass(frozen=True)
class DemoPlans:
    cash: Plan
    points: Plan


def _standard_kpis(codes: list[str]) -> dict[str, Kpi]:
    """The catalogue rows (restored from the standard catalogue when a flush removed them)."""
    rows = {row["code"]: row for row in STANDARD_KPIS}
    return {
        code: Kpi.objects.get_or_create(code=code, defaults={**rows[code], "is_standard": True})[0] for code in codes
    }


def _cash_plan(period: Period, kpis: dict[str, Kpi], actor) -> Plan:
    """The Customer Care cash bonus of a period: a CSAT gate on a credible sample, FCR and handle time."""
    cash = Plan.objects.create(
        name="Customer Care bonus",
        period=period,
        reward_type=Plan.RewardType.CASH,
        currency="EUR",
        target_amount=Decimal("400.00"),
        status=Plan.Status.ACTIVE,
        created_by=actor,
    )
    care = Department.objects.filter(slug="customer-care")
    cash.eligible_departments.set(care)
    Component.objects.bulk_create(
        [
            # The gate: no bonus when customers are unhappy, and only on a credible sample.
            Component(
                plan=cash,
                kpi=kpis["csat"],
                weight=0,
                threshold=75,
                target=85,
                stretch=95,
                is_gate=True,
                min_sample=30,
                position=0,
            ),
            Component(plan=cash, kpi=kpis["fcr"], weight=2, threshold=65, target=75, stretch=85, position=1),
            Component(plan=cash, kpi=kpis["aht"], weight=1, threshold=420, target=360, stretch=300, position=2),
        ]
    )
    return cash


def seed_plans(*, today: dt.date, actor=None) -> DemoPlans:
    """Two active plans for last month (the last complete period) with a draft payout run of the cash plan, and
    this month's cash plan, still running."""
    span = previous_period(parse_period(f"{today.year}-{today.month:02d}"))
    period, _created = Period.objects.get_or_create_for_code(span.code)
    kpis = _standard_kpis(["csat", "fcr", "nps", "aht"])

    cash = _cash_plan(period, kpis, actor)

    points = Plan.objects.create(
        name="Service points",
        period=period,
        reward_type=Plan.RewardType.POINTS,
        currency="PTS",
        target_amount=Decimal("1000"),
        eligible_roles=["member"],
        status=Plan.Status.ACTIVE,
        created_by=actor,
    )
    Component.objects.bulk_create(
        [
            Component(
                plan=points,
                kpi=kpis["fcr"],
                weight=1,
                threshold=65,
                target=75,
                stretch=85,
                stretch_payout_pct=200,
                cap_pct=200,
                position=0,
            ),
            Component(
                plan=points,
                kpi=kpis["nps"],
                weight=1,
                threshold=10,
                target=30,
                stretch=50,
                min_sample=30,
                min_response_rate_pct=Decimal(2),
                position=1,
            ),
        ]
    )
    # This month's cash bonus, still running: Customer Care's employees see their estimate on their home.
    current, _created = Period.objects.get_or_create_for_code(f"{today.year}-{today.month:02d}")
    _cash_plan(current, kpis, actor)
    # A draft run to look at; a compensation approver who had no hand in it approves it once its period closes.
    run = create_payout_run(plan=cash, actor=actor)
    calculate_payouts(run_id=run.pk, actor=actor)
    return DemoPlans(cash=cash, points=points)


def prepare_spent_runs(*, today: dt.date, preparer, closing: Collection[str]) -> list[PayoutRun]:
    """The cash bonus of the two months before last, calculated by `preparer` before those months close, so
    the close freezes their spend (runs are approved only afterwards, `approve_spent_runs`). A month the demo
    leaves open (a short demo) gets no run."""
    last = previous_period(parse_period(f"{today.year}-{today.month:02d}"))
    kpis = _standard_kpis(["csat", "fcr", "nps", "aht"])
    runs = []
    for steps in (2, 1):
        span = shift_period(last, -steps)
        if span.code not in closing:
            continue
        period, _created = Period.objects.get_or_create_for_code(span.code)
        run = create_payout_run(plan=_cash_plan(period, kpis, preparer), actor=preparer)
        runs.append(calculate_payouts(run_id=run.pk, actor=preparer))
    return runs


def approve_spent_runs(runs: list[PayoutRun], *, approver) -> list[PayoutRun]:
    """Once their months are closed, `approver` approves the prepared runs; the older one is also paid."""
    done = []
    for index, run in enumerate(runs):
        run = approve_payout_run(run_id=run.pk, actor=approver)
        if index == 0 and len(runs) > 1:
            run = mark_payout_run_paid(run_id=run.pk, actor=approver)
        done.append(run)
    return done
