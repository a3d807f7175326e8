"""Incentive spend of a period: what other apps (the board report) may read about payouts.

Runs are approved only once their period is closed, so the spend a period's board report states (and freezes
with the close, `frozen_spend`) is what the period committed: each plan's approved and paid runs, or, for a
plan with none yet, its latest calculated draft (approval requires the calculation unchanged), plus the
approved adjustments of those runs.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from core.aggregates import ExactSum

from .models import Adjustment, PayoutRun


def _counted_runs(period_code: str) -> list[int]:
    """Each plan's locked runs; for a plan without one, its latest calculated draft (two queries at most)."""
    runs = PayoutRun.objects.filter(plan__period__code=period_code)
    locked = list(runs.locked().values_list("pk", "plan_id"))
    settled = {plan for _pk, plan in locked}
    latest: dict[int, int] = {}
    drafts = runs.filter(status=PayoutRun.Status.DRAFT, computed_at__isnull=False).exclude(plan_id__in=settled)
    for pk, plan in drafts.order_by("computed_at", "pk").values_list("pk", "plan_id"):
        latest[plan] = pk
    return [pk for pk, _plan in locked] + list(latest.values())


def incentive_spend(period_code: str) -> dict[str, Decimal]:
    """The period's committed spend by currency (sorted by code): the counted runs' lines plus their approved
    adjustments (see the module's docstring)."""
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    runs = PayoutRun.objects.filter(pk__in=_counted_runs(period_code))
    for row in runs.values("currency").order_by("currency").annotate(total=ExactSum("total")):
        by_currency[row["currency"]] += row["total"] or Decimal(0)
    adjustments = Adjustment.objects.approved().filter(run__in=runs).values("run__currency").order_by("run__currency")
    for adjustment in adjustments.annotate(total=ExactSum("amount")):
        by_currency[adjustment["run__currency"]] += adjustment["total"] or Decimal(0)
    return dict(sorted(by_currency.items()))


def frozen_spend(period, org: Any) -> dict[str, str]:
    """The spend frozen with a period's close (registered as the "incentives.spend" freezer): exact strings."""
    return {currency: str(amount) for currency, amount in incentive_spend(period.code).items()}
