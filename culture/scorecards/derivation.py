"""Quarter and year targets derived from the months' targets by the KPI's own arithmetic. Pure: no ORM.

A quarter or a year without a target set for it directly takes one derived from its months, each month's
target resolved as that month's own scorecard resolves it (most specific scope first). Derived only when every
month of the period has a target; the target and each threshold are derived the same way:

- `sum`: the months add up.
- `ratio`: the months weighted by their planned denominators (`planned` on the month's target: contacts,
  responses); when any month has none planned, every month weighs the same.
- `mean`: the months weighted by their planned samples, or equally when any month has none planned.
- `last`: the last month's.
- `loss_rate` (churn): compounds, scale x (1 - product of (1 - month / scale)): three months of 2 % give
  100 x (1 - 0.98^3) = 5.8808 %.
- `survival_rate` (retention): compounds, scale x product of (month / scale).

Each of these rises with every month's figure, so ordered monthly thresholds give ordered derived ones. The
result is rounded half up to the 4 places of a stored target. Weight: the months' weight when they agree, else
their mean. Minimum sample: the largest month's (the period pools every month's sample, so a floor that was
enough for one month is enough for it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .calculations import KpiSpec, TargetSpec, resolve_target
from .phasing import PLACES, Arithmetic, arithmetic_of

SCOPE_ORDER = ("team", "department", "company")
_PRECISION = 40
_WEIGHT_PLACES = Decimal("0.01")


def derive_figure(
    arithmetic: Arithmetic,
    months: Sequence[Decimal],
    *,
    scale: Decimal = Decimal(1),
    planned: Sequence[Decimal | None] | None = None,
) -> Decimal:
    """One figure (target or threshold) of a quarter or year from its months' figures, on 4 places."""
    if not months:
        raise ValueError("A derived figure needs at least one month.")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        value = _derive(arithmetic, months, scale, planned)
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def _derive(
    arithmetic: Arithmetic, months: Sequence[Decimal], scale: Decimal, planned: Sequence[Decimal | None] | None
) -> Decimal:
    if arithmetic is Arithmetic.SUM:
        return sum(months, Decimal(0))
    if arithmetic is Arithmetic.LAST:
        return months[-1]
    if arithmetic is Arithmetic.LOSS_RATE:
        kept = Decimal(1)
        for month in months:
            kept *= 1 - month / scale
        return scale * (1 - kept)
    if arithmetic is Arithmetic.SURVIVAL_RATE:
        kept = Decimal(1)
        for month in months:
            kept *= month / scale
        return scale * kept
    weights = _planned_weights(planned, len(months))
    return sum((m * w for m, w in zip(months, weights, strict=True)), Decimal(0)) / sum(weights, Decimal(0))


def _planned_weights(planned: Sequence[Decimal | None] | None, count: int) -> list[Decimal]:
    """The planned volumes when every month has a positive one in total, else equal weights."""
    if planned is None or len(planned) != count or any(p is None or p < 0 for p in planned):
        return [Decimal(1)] * count
    weights = [p for p in planned if p is not None]
    if sum(weights, Decimal(0)) <= 0:
        return [Decimal(1)] * count
    return weights


def thresholds_of(spec: TargetSpec) -> tuple[Decimal, Decimal]:
    """A target's two thresholds, in the order they are stored (the one place this module names them)."""
    return spec.on_track_from, spec.off_track_from


def with_figures(spec: TargetSpec, target: Decimal, thresholds: tuple[Decimal, Decimal]) -> TargetSpec:
    return replace(spec, target=target, on_track_from=thresholds[0], off_track_from=thresholds[1])


def derive_target(kpi: KpiSpec, months: Sequence[TargetSpec | None]) -> TargetSpec | None:
    """The period's target from its months' resolved targets; None unless every month has one."""
    if not months or any(month is None for month in months):
        return None
    present = [month for month in months if month is not None]
    arithmetic = arithmetic_of(kpi)
    planned = [month.planned for month in present]

    def derived(values: Iterable[Decimal]) -> Decimal:
        return derive_figure(arithmetic, list(values), scale=kpi.scale, planned=planned)

    target = derived(month.target for month in present)
    first, second = zip(*(thresholds_of(month) for month in present), strict=True)
    weights = {month.weight for month in present}
    weight = (
        weights.pop()
        if len(weights) == 1
        else (sum((m.weight for m in present), Decimal(0)) / len(present)).quantize(_WEIGHT_PLACES, ROUND_HALF_UP)
    )
    scope = min((month.scope for month in present), key=_scope_rank)
    total_planned = None if any(p is None for p in planned) else sum((p for p in planned if p), Decimal(0))
    base = replace(
        present[-1],
        weight=weight,
        min_sample=max(month.min_sample for month in present),
        scope=scope,
        derived=True,
        planned=total_planned,
    )
    return with_figures(base, target, (derived(first), derived(second)))


def _scope_rank(scope: str) -> int:
    return SCOPE_ORDER.index(scope) if scope in SCOPE_ORDER else len(SCOPE_ORDER)


def period_target(
    kpi: KpiSpec,
    scopes: Sequence[tuple[str, int | None]],
    direct: dict[tuple[str, str, int | None], TargetSpec],
    months: Sequence[dict[tuple[str, str, int | None], TargetSpec]] | None,
) -> TargetSpec | None:
    """A scorecard's target: one set for the period (most specific scope first), else one derived from the
    months (`months`: each month's targets; None for a month's own scorecard)."""
    found = resolve_target(kpi.code, scopes, direct)
    if found is not None or months is None:
        return found
    return derive_target(kpi, [resolve_target(kpi.code, scopes, month) for month in months])
