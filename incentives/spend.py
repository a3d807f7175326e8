"""Incentive spend of a period: what other apps (the board report) may read about payouts."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from .models import Adjustment, PayoutRun


def incentive_spend(period_code: str) -> dict[str, Decimal]:
    """Approved and paid runs of the period's plans plus their approved adjustments, by currency (sorted by code)."""
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    runs = PayoutRun.objects.filter(plan__period__code=period_code).locked()
    for row in runs.values("currency").order_by("currency").annotate(total=Sum("total")):
        by_currency[row["currency"]] += row["total"] or Decimal(0)
    adjustments = Adjustment.objects.approved().filter(run__in=runs).values("run__currency").order_by("run__currency")
    for adjustment in adjustments.annotate(total=Sum("amount")):
        by_currency[adjustment["run__currency"]] += adjustment["total"] or Decimal(0)
    return dict(sorted(by_currency.items()))
