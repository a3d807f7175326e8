"""The approval pack of a payout run: what an approver reads before consenting.

Total (lines and approved adjustments) and its change from the plan's previous approved run, the
distribution of line amounts (nearest-rank quantiles), who was gated out and why, the adjustments and
the largest lines. `quantiles` and `change` are pure; `approval_pack` reads (a fixed number of queries).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .models import Adjustment, PayoutLine, PayoutRun, PayoutStint

QUANTILES: tuple[Decimal, ...] = tuple(Decimal(q) for q in ("0", "0.1", "0.25", "0.5", "0.75", "0.9", "1"))
LARGEST = 10


def quantiles(amounts: Sequence[Decimal], points: Sequence[Decimal] = QUANTILES) -> list[tuple[Decimal, Decimal]]:
    """Nearest-rank quantiles: for q, the ceil(q x n)-th smallest amount (the smallest for q = 0). Exact."""
    ordered = sorted(amounts)
    if not ordered:
        return []
    n = len(ordered)
    return [(q, ordered[max(1, math.ceil(q * n)) - 1]) for q in points]


def change(current: Decimal, previous: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """(difference, percent change rounded to 0.1) from the previous total; None without a previous run."""
    if previous is None:
        return None, None
    difference = current - previous
    if previous == 0:
        return difference, None
    return difference, (difference * 100 / previous).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class GatedTeam:
    team: str
    people: int
    gates: list[str]


@dataclass
class ApprovalPack:
    run: PayoutRun
    lines_total: Decimal
    adjustments_total: Decimal
    total: Decimal
    previous: PayoutRun | None
    previous_total: Decimal | None
    difference: Decimal | None
    difference_pct: Decimal | None
    distribution: list[tuple[Decimal, Decimal]]
    zero_lines: int
    gated: list[GatedTeam]
    adjustments: list[Adjustment]
    largest: list[PayoutLine]
    contributors: list[Any] = field(default_factory=list)


def approval_pack(run: PayoutRun) -> ApprovalPack:
    """Everything an approver needs about `run`, read in a fixed number of queries."""
    amounts = list(run.lines.values_list("amount", flat=True))
    adjustments_total = run.adjustments_total
    previous = (
        PayoutRun.objects.locked()
        .filter(plan__period__start__lt=run.plan.period.start, plan__name=run.plan.name)
        .exclude(pk=run.pk)
        .order_by("-plan__period__start", "-approved_at")
        .first()
    )
    if previous is None:
        previous = run.plan.runs.locked().exclude(pk=run.pk).order_by("-approved_at").first()
    previous_total = previous.total_with_adjustments if previous is not None else None
    total = run.total + adjustments_total
    difference, pct = change(total, previous_total)
    gated: dict[int, dict[str, Any]] = {}
    stints = PayoutStint.objects.filter(breakdown__run=run, gates_met=False).select_related("team")
    people_by_breakdown: dict[int, int] = {}
    for breakdown_id in run.lines.values_list("breakdown_id", flat=True):
        people_by_breakdown[breakdown_id] = people_by_breakdown.get(breakdown_id, 0) + 1
    for stint in stints:
        entry = gated.setdefault(stint.team_id, {"team": stint.team.name, "people": 0, "gates": set()})
        entry["people"] += people_by_breakdown.get(stint.breakdown_id, 0)
        entry["gates"].update(c["text"] for c in stint.components if c.get("is_gate"))
    return ApprovalPack(
        run=run,
        lines_total=run.total,
        adjustments_total=adjustments_total,
        total=total,
        previous=previous,
        previous_total=previous_total,
        difference=difference,
        difference_pct=pct,
        distribution=quantiles(amounts),
        zero_lines=sum(1 for a in amounts if a == 0),
        gated=[GatedTeam(e["team"], e["people"], sorted(e["gates"])) for e in gated.values()],
        adjustments=list(
            Adjustment.objects.filter(run=run).with_approval_count().select_related("person", "created_by")
        ),
        largest=list(run.lines.select_related("person", "team").order_by("-amount", "person__name")[:LARGEST]),
        contributors=list(run.contributors.select_related("user")),
    )
