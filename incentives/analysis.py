"""Read-only questions about a plan: the what-if for one person, a person's estimate this period, and spend
against KPI movement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db.models import QuerySet
from django.utils import timezone

from core.aggregates import ExactSum
from core.money import round_money
from culture.models import Membership, Period, Person, Team
from culture.scorecards import parse_period, previous_period

from . import calculations as calc
from .inputs import PlanInputs, TeamInfo, eligible_team_ids, load_actuals, load_person_inputs, load_plan_inputs
from .models import Adjustment, Component, PayoutRun, Plan


# --- what-if ------------------------------------------------------------------------------------
def covered_memberships(*, plan: Plan, people):
    """Memberships of `people` that the plan covers in its period (eligible team and role), for the what-if."""
    span = parse_period(plan.period.code)
    memberships = Membership.objects.overlapping(span.start, span.end).filter(person__in=people)
    team_ids = eligible_team_ids(plan)
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=team_ids)
    if plan.eligible_roles:
        memberships = memberships.filter(role__in=plan.eligible_roles)
    return memberships


def first_covered_person(*, plan: Plan, people) -> Person | None:
    """The first of `people` (by name) with an eligible membership in the plan's period, for the what-if."""
    first = covered_memberships(plan=plan, people=people).select_related("person").order_by("person__name").first()
    return first.person if first else None


def what_if(*, plan: Plan, person_id: int, overrides: Mapping[str, Decimal]) -> calc.LineResult | None:
    """The person's line with hypothetical actuals (component key -> value), by the run's own math."""
    inputs = load_plan_inputs(plan=plan, person_ids=[person_id])
    if not inputs.people:
        return None
    person = inputs.people[0]
    changed = calc.PersonInput(
        person_id=person.person_id,
        target_amount=person.target_amount,
        stints=tuple(calc.with_overrides(stint, overrides) for stint in person.stints),
    )
    return calc.calculate_line(
        specs=inputs.specs,
        person=changed,
        period_days=inputs.period_days,
        rounder=partial(round_money, currency=plan.currency),
    )


# --- a person's estimate this period -------------------------------------------------------------
@dataclass(frozen=True)
class Estimate:
    """What a person's line of a plan would be if the period closed on today's KPI figures: the run's own
    math (`calculate_line`) on the run's own inputs, for this person only; nothing is written."""

    plan: Plan
    inputs: PlanInputs
    line: calc.LineResult


def current_plans(today: dt.date | None = None) -> QuerySet[Plan]:
    """Active plans of an open period that covers `today` (default: the local date), oldest period first."""
    today = today or timezone.localdate()
    return (
        Plan.objects.filter(
            status=Plan.Status.ACTIVE,
            period__status=Period.Status.OPEN,
            period__start__lte=today,
            period__end__gte=today,
        )
        .select_related("period")
        .order_by("period__start", "period__end", "name", "pk")
    )


def estimates(*, person_id: int, plans: Iterable[Plan]) -> list[Estimate]:
    """The person's estimated line in each of `plans` they are in (plans' order), in a fixed number of queries
    however many plans. Each equals the line a run calculated now, on the same data, would give them."""
    plans = list(plans)
    loaded = load_person_inputs(plans=plans, person_id=person_id)
    result = []
    for plan in plans:
        inputs = loaded.get(plan.pk)
        if inputs is None:
            continue
        (person,) = inputs.people
        line = calc.calculate_line(
            specs=inputs.specs,
            person=person,
            period_days=inputs.period_days,
            rounder=partial(round_money, currency=plan.currency),
        )
        result.append(Estimate(plan=plan, inputs=inputs, line=line))
    return result


# --- spend versus KPI movement ------------------------------------------------------------------
@dataclass(frozen=True)
class ImpactRow:
    """One KPI component: mean change (positive = better) of covered teams against uncovered ones."""

    label: str
    covered_change: Decimal | None
    uncovered_change: Decimal | None
    covered_teams: int
    uncovered_teams: int

    @property
    def difference(self) -> Decimal | None:
        if self.covered_change is None or self.uncovered_change is None:
            return None
        return self.covered_change - self.uncovered_change


@dataclass(frozen=True)
class PlanImpact:
    """What a plan cost (approved and paid runs plus adjustments) and how its KPIs moved."""

    plan: Plan
    currency: str
    spend: Decimal
    period_code: str
    previous_code: str
    rows: tuple[ImpactRow, ...]


def plan_impact(*, plan: Plan) -> PlanImpact:
    """Spend and KPI change (this period vs the previous) of covered versus uncovered active teams.

    Changes are per-team changes averaged without weights (each team counts once), read through
    the same scorecard adapter as the runs, at team level for every component.
    """
    runs = PayoutRun.objects.filter(plan=plan).locked()
    spend = (runs.aggregate(total=ExactSum("total"))["total"] or Decimal(0)) + (
        Adjustment.objects.approved().filter(run__in=runs).aggregate(total=ExactSum("amount"))["total"] or Decimal(0)
    )
    span = parse_period(plan.period.code)
    previous = previous_period(span)
    covered_ids = eligible_team_ids(plan)
    teams = {
        pk: TeamInfo(pk, name, department)
        for pk, name, department in Team.objects.filter(is_active=True).values_list("pk", "name", "department_id")
    }
    components = [c for c in plan.components.select_related("kpi").order_by("position", "pk") if c.kpi_id]
    as_team = [Component(pk=c.pk, kpi=c.kpi, level=Component.Level.TEAM) for c in components]
    now = load_actuals(period_code=span.code, components=as_team, teams=teams)
    before = load_actuals(period_code=previous.code, components=as_team, teams=teams)
    rows = []
    for component in components:
        changes: dict[bool, list[Decimal | None]] = {True: [], False: []}
        for team_id in teams:
            covered = covered_ids is None or team_id in covered_ids
            changes[covered].append(
                calc.kpi_change(
                    now[team_id][component.key].value,
                    before[team_id][component.key].value,
                    lower_is_better=component.lower_is_better,
                )
            )
        rows.append(
            ImpactRow(
                label=component.label,
                covered_change=calc.mean(changes[True]),
                uncovered_change=calc.mean(changes[False]),
                covered_teams=len(changes[True]),
                uncovered_teams=len(changes[False]),
            )
        )
    return PlanImpact(
        plan=plan,
        currency=plan.currency,
        spend=spend,
        period_code=span.code,
        previous_code=previous.code,
        rows=tuple(rows),
    )
