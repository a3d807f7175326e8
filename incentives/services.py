"""Every write in incentives: plans, payout runs (compute, approve, pay), adjustments; plus the what-if.

Services load rows into the pure dataclasses of `calculations`, let it do the math, and persist the
result. KPI actuals come from the culture scorecards through exactly one adapter, `load_actuals`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.audit import record, snapshot
from core.money import round_money
from culture.models import Department, Membership, Person, Team
from culture.scorecards import parse_period, previous_period

from . import calculations as calc
from .bulk import delete_run_rows, replace_run_lines
from .explain import stint_components_json
from .models import Adjustment, Component, ImmutableRunError, PayoutRun, Plan

PLAN_FIELDS = ["name", "period", "reward_type", "currency", "target_amount", "eligible_roles", "status"]
COMPONENT_FIELDS = [
    "plan",
    "kpi",
    "level",
    "weight",
    "threshold",
    "target",
    "stretch",
    "threshold_payout_pct",
    "stretch_payout_pct",
    "cap_pct",
    "is_gate",
    "min_sample",
    "min_response_rate_pct",
]
SIX_PLACES = Decimal("0.000001")
TEN_PLACES = Decimal("1E-10")
CONTACTS_KPI = "fcr"  # response rate = survey sample / FCR denominator (contacts) of the same scope and period


def _build_scorecards(**kwargs):
    """The culture scorecard service (imported late: the one seam tests replace)."""
    from culture.scorecards import build_scorecards

    return build_scorecards(**kwargs)


# --- plans --------------------------------------------------------------------------------------
LOCKED_PLAN_MESSAGE = (
    "This plan has an approved or paid payout run, so its rules (amounts, components, eligibility, "
    "overrides) can no longer change: they explain that run. Only its status can. Create a new plan instead."
)


def _lock_plan(plan_id: int | None) -> None:
    """Hold the plan row until commit: approving a run and editing its plan's rules take turns."""
    if plan_id is not None:
        list(Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk"))


def _refuse_if_plan_locked(plan: Plan) -> None:
    _lock_plan(plan.pk)
    if plan.is_locked:
        raise ValidationError(LOCKED_PLAN_MESSAGE)


@transaction.atomic
def save_plan(*, plan: Plan, actor, reason: str = "") -> Plan:
    """Create or update a plan (validated) and audit the change; a locked plan may change its status only."""
    _lock_plan(plan.pk)
    before = snapshot(Plan.objects.get(pk=plan.pk), PLAN_FIELDS) if plan.pk else None
    if before is not None and plan.is_locked:
        after = snapshot(plan, PLAN_FIELDS)
        if any(before[name] != after[name] for name in PLAN_FIELDS if name != "status"):
            raise ValidationError(LOCKED_PLAN_MESSAGE)
    if plan.pk is None:
        plan.created_by = actor
    plan.full_clean()
    plan.save()
    record(actor=actor, action="plan.save", obj=plan, before=before, after=snapshot(plan, PLAN_FIELDS), reason=reason)
    return plan


@transaction.atomic
def set_plan_eligibility(*, plan: Plan, teams: Iterable[Team], departments: Iterable[Department], actor) -> None:
    """Replace the plan's eligible teams and departments, audited (a locked plan refuses any change)."""
    before = {
        "teams": sorted(plan.eligible_teams.values_list("pk", flat=True)),
        "departments": sorted(plan.eligible_departments.values_list("pk", flat=True)),
    }
    teams, departments = list(teams), list(departments)
    wanted = {"teams": sorted(t.pk for t in teams), "departments": sorted(d.pk for d in departments)}
    _lock_plan(plan.pk)
    if plan.is_locked:
        if wanted != before:
            raise ValidationError(LOCKED_PLAN_MESSAGE)
        return
    plan.eligible_teams.set(teams)
    plan.eligible_departments.set(departments)
    after = {
        "teams": sorted(plan.eligible_teams.values_list("pk", flat=True)),
        "departments": sorted(plan.eligible_departments.values_list("pk", flat=True)),
    }
    record(actor=actor, action="plan.eligibility", obj=plan, before=before, after=after)


@transaction.atomic
def set_override(*, plan: Plan, person_id: int, target_amount: Decimal | None, actor, reason: str = "") -> None:
    """Set (or, with None, remove) a person's own target amount in a plan, audited."""
    _refuse_if_plan_locked(plan)
    current = plan.overrides.filter(person_id=person_id).first()
    before = {"person": person_id, "target_amount": current.target_amount if current else None}
    if target_amount is None:
        plan.overrides.filter(person_id=person_id).delete()
    else:
        if target_amount < 0:
            raise ValidationError({"target_amount": "A target amount cannot be negative."})
        plan.overrides.update_or_create(person_id=person_id, defaults={"target_amount": target_amount})
    after = {"person": person_id, "target_amount": target_amount}
    record(actor=actor, action="plan.override", obj=plan, before=before, after=after, reason=reason)


@transaction.atomic
def save_component(*, component: Component, actor, reason: str = "") -> Component:
    """Create or update a plan component; its curve is validated by `Component.clean`."""
    _refuse_if_plan_locked(component.plan)
    before = snapshot(Component.objects.get(pk=component.pk), COMPONENT_FIELDS) if component.pk else None
    component.full_clean()
    component.save()
    record(
        actor=actor,
        action="component.save",
        obj=component,
        before=before,
        after=snapshot(component, COMPONENT_FIELDS),
        reason=reason,
    )
    return component


# --- loading inputs -----------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamInfo:
    pk: int
    name: str
    department_id: int


@dataclass(frozen=True)
class PlanInputs:
    """A plan loaded for the math: component specs, period, eligible stints and actuals."""

    plan: Plan
    components: tuple[Component, ...]
    specs: tuple[calc.ComponentSpec, ...]
    period_days: int
    people: tuple[calc.PersonInput, ...]
    teams: Mapping[int, TeamInfo]


def component_specs(components: Iterable[Component]) -> tuple[calc.ComponentSpec, ...]:
    """Components as pure specs (keys are component ids)."""
    return tuple(
        calc.ComponentSpec(
            key=c.key,
            label=c.label,
            kpi_code=c.kpi.code if c.kpi_id else None,
            weight=c.weight,
            curve=c.curve(),
            is_gate=c.is_gate,
            min_sample=c.min_sample,
            min_response_rate_pct=c.min_response_rate_pct,
        )
        for c in components
    )


def eligible_team_ids(plan: Plan) -> set[int] | None:
    """Ids of the teams a plan covers (departments include sub-departments); None means every team."""
    team_ids = set(plan.eligible_teams.values_list("pk", flat=True))
    department_ids = set(plan.eligible_departments.values_list("pk", flat=True))
    if not team_ids and not department_ids:
        return None
    if department_ids:
        children: dict[int | None, list[int]] = defaultdict(list)
        for pk, parent in Department.objects.values_list("pk", "parent_id"):
            children[parent].append(pk)
        stack, seen = list(department_ids), set()
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(children[node])
        team_ids |= set(Team.objects.filter(department_id__in=seen).values_list("pk", flat=True))
    return team_ids


def _stints_by_person(
    plan: Plan, start: dt.date, end: dt.date, person_ids: Iterable[int] | None
) -> dict[int, dict[int, int]]:
    """person -> team -> eligible days in [start, end] (memberships in the same team add up)."""
    memberships = Membership.objects.overlapping(start, end)
    team_ids = eligible_team_ids(plan)
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=team_ids)
    if plan.eligible_roles:
        memberships = memberships.filter(role__in=plan.eligible_roles)
    if person_ids is not None:
        memberships = memberships.filter(person_id__in=list(person_ids))
    days: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, team_id, m_start, m_end in memberships.values_list("person_id", "team_id", "start", "end"):
        first, last = max(m_start, start), min(m_end or end, end)
        days[person_id][team_id] += (last - first).days + 1
    return days


def load_actuals(
    *, period_code: str, components: Iterable[Component], teams: Mapping[int, TeamInfo]
) -> dict[int, dict[str, calc.Actual]]:
    """THE adapter from culture scorecards to payout inputs: team id -> component key -> Actual.

    One `build_scorecards` call per level in use. Team components read the team's scorecard,
    department components the team's department, company components the company. Contacts for
    the response rate are the FCR denominator of the same scope and period.
    """
    components = list(components)
    by_level: dict[str, list[Component]] = defaultdict(list)
    for component in components:
        by_level[component.level].append(component)
    result: dict[int, dict[str, calc.Actual]] = {team_id: {} for team_id in teams}
    for level, level_components in by_level.items():
        codes = {c.kpi.code for c in level_components if c.kpi_id}
        if any(c.min_response_rate_pct for c in level_components):
            codes.add(CONTACTS_KPI)
        if level == Component.Level.TEAM:
            ids: list[int] | None = sorted(teams)
            scope_of = {team_id: team_id for team_id in teams}
        elif level == Component.Level.DEPARTMENT:
            ids = sorted({t.department_id for t in teams.values()})
            scope_of = {team_id: t.department_id for team_id, t in teams.items()}
        else:
            ids = None
            scope_of = dict.fromkeys(teams)
        # The composite score needs every KPI of the scorecard, so a composite component asks for all.
        kpi_codes = None if any(not c.kpi_id for c in level_components) else sorted(codes)
        cards = (
            _build_scorecards(period_code=period_code, level=level, ids=ids, kpi_codes=kpi_codes, with_trend=False)
            if teams
            else {}
        )
        for team_id, scope in scope_of.items():
            card = cards.get(scope)
            for component in level_components:
                result[team_id][component.key] = _actual_from_card(card, component)
    return result


def _actual_from_card(card, component: Component) -> calc.Actual:
    if card is None:
        return calc.Actual(value=None)
    if not component.kpi_id:
        return calc.Actual(value=card.composite)
    line = card.lines.get(component.kpi.code)
    if line is None:
        return calc.Actual(value=None)
    contacts_line = card.lines.get(CONTACTS_KPI)
    contacts = None
    if contacts_line is not None:
        # The FCR denominator (contacts); the scorecard also reports it as FCR's sample size.
        sums = getattr(contacts_line, "sums", None)
        contacts = getattr(sums, "denominator", None) or None
        if contacts is None and contacts_line.sample_size:
            contacts = Decimal(contacts_line.sample_size)
    return calc.Actual(value=line.actual, sample_size=line.sample_size, contacts=contacts)


def load_plan_inputs(*, plan: Plan, person_ids: Iterable[int] | None = None) -> PlanInputs:
    """Read everything a run (or a what-if for some people) needs, in a fixed number of queries."""
    span = parse_period(plan.period.code)
    components = tuple(plan.components.select_related("kpi").order_by("position", "pk"))
    days = _stints_by_person(plan, span.start, span.end, person_ids)
    team_ids = {team_id for teams in days.values() for team_id in teams}
    teams = {
        pk: TeamInfo(pk, name, department)
        for pk, name, department in Team.objects.filter(pk__in=team_ids).values_list("pk", "name", "department_id")
    }
    overrides = dict(plan.overrides.values_list("person_id", "target_amount"))
    actuals = load_actuals(period_code=span.code, components=components, teams=teams)
    shared: dict[tuple[int, int], calc.Stint] = {}  # one Stint per (team, days): computed once per run

    def stint(team_id: int, team_days: int) -> calc.Stint:
        found = shared.get((team_id, team_days))
        if found is None:
            found = shared[(team_id, team_days)] = calc.Stint(
                team_id=team_id, team_label=teams[team_id].name, days=team_days, actuals=actuals[team_id]
            )
        return found

    shared_stints: dict[tuple, tuple[calc.Stint, ...]] = {}
    people = []
    for person_id in sorted(days):
        spells = tuple(sorted(days[person_id].items()))
        stints = shared_stints.get(spells)
        if stints is None:
            stints = shared_stints[spells] = tuple(stint(team_id, d) for team_id, d in spells)
        people.append(calc.PersonInput(person_id, overrides.get(person_id, plan.target_amount), stints))
    return PlanInputs(
        plan=plan,
        components=components,
        specs=component_specs(components),
        period_days=span.days,
        people=tuple(people),
        teams=teams,
    )


# --- payout runs --------------------------------------------------------------------------------
@transaction.atomic
def create_payout_run(*, plan: Plan, actor) -> PayoutRun:
    """An empty draft run for a plan; `calculate_payouts` fills it (often from a task)."""
    if plan.status != Plan.Status.ACTIVE:
        raise ValidationError("Only an active plan can have new payout runs (draft plans: activate; closed: done).")
    if not plan.components.exists():
        raise ValidationError("The plan has no components.")
    run = PayoutRun.objects.create(plan=plan, currency=plan.currency, prepared_by=actor)
    record(actor=actor, action="payoutrun.create", obj=run, after={"plan": plan.pk})
    return run


def _main_team(line: calc.LineResult) -> int:
    return max(line.stints, key=lambda s: (s.days, s.team_id)).team_id


@transaction.atomic
def calculate_payouts(*, run_id: int, actor=None) -> PayoutRun:
    """Compute a draft run's lines from current data, replacing any previous lines. Same data, same lines."""
    run = PayoutRun.objects.select_for_update().select_related("plan__period").get(pk=run_id)
    if run.is_locked:
        raise ImmutableRunError(f"Run #{run.pk} is {run.status}: it cannot be recalculated.")
    inputs = load_plan_inputs(plan=run.plan)
    rounder = partial(round_money, currency=run.currency)
    result = calc.calculate_run(
        specs=inputs.specs, people=inputs.people, period_days=inputs.period_days, rounder=rounder
    )
    kept = [line for line in result.lines if line.stints]
    explained: dict[int, dict] = {}  # identical stints share one result object: explain each once
    breakdowns: list[tuple[dict, list[dict]]] = []
    index_of: dict[int, int] = {}  # calculate_run gives lines with the same stints and target one tuple
    people: list[tuple[int, int]] = []

    def stint_row(stint: calc.StintResult) -> dict:
        row = explained.get(id(stint))
        if row is None:
            row = explained[id(stint)] = {
                "team_id": stint.team_id,
                "days": stint.days,
                "proration": stint.proration.quantize(SIX_PLACES),
                "gates_met": stint.gates_met,
                "exact_amount": stint.amount.quantize(TEN_PLACES),
                "components": stint_components_json(stint, inputs.components, run.currency),
            }
        return row

    for line in kept:
        index = index_of.get(id(line.stints))
        if index is None:
            index = index_of[id(line.stints)] = len(breakdowns)
            values = {
                "team_id": _main_team(line),
                "target_amount": line.target_amount,
                "proration": line.proration.quantize(SIX_PLACES),
                "exact_amount": line.exact_amount.quantize(TEN_PLACES),
                "amount": line.amount,
            }
            breakdowns.append((values, [stint_row(stint) for stint in line.stints]))
        people.append((line.person_id, index))
    replace_run_lines(run_id=run.pk, breakdowns=breakdowns, people=people)
    before = {"total": run.total, "line_count": run.line_count}
    run.total = result.total
    run.line_count = len(kept)
    run.computed_at = timezone.now()
    run.save(update_fields=["total", "line_count", "computed_at"])
    record(actor=actor, action="payoutrun.calculate", obj=run, before=before, after={"total": run.total})
    return run


def _check_approver(run: PayoutRun, actor) -> None:
    if not actor.has_perm("incentives.approve_payoutrun"):
        raise PermissionDenied("You may not approve payout runs.")
    if run.prepared_by_id == actor.pk:
        raise PermissionDenied("The person who prepared a run cannot approve it.")


@transaction.atomic
def approve_payout_run(*, run_id: int, actor) -> PayoutRun:
    """Draft -> approved, by someone other than the preparer; the run is immutable afterwards."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    _lock_plan(run.plan_id)  # the plan's rules freeze with this approval: wait for an edit in progress
    _check_approver(run, actor)
    if run.status != PayoutRun.Status.DRAFT:
        raise ValidationError(f"Run #{run.pk} is already {run.get_status_display().lower()}.")
    if run.computed_at is None:
        raise ValidationError("The run has not been calculated yet.")
    run.status = PayoutRun.Status.APPROVED
    run.approved_by = actor
    run.approved_at = timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        actor=actor,
        action="payoutrun.approve",
        obj=run,
        before={"status": "draft"},
        after={"status": run.status, "total": run.total},
    )
    return run


@transaction.atomic
def mark_payout_run_paid(*, run_id: int, actor) -> PayoutRun:
    """Approved -> paid (the only change an approved run allows)."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    if not actor.has_perm("incentives.pay_payoutrun"):
        raise PermissionDenied("You may not mark payout runs paid.")
    if run.status != PayoutRun.Status.APPROVED:
        raise ValidationError("Only an approved run can be marked paid.")
    run.status = PayoutRun.Status.PAID
    run.paid_by = actor
    run.paid_at = timezone.now()
    run.save(update_fields=["status", "paid_by", "paid_at"])
    record(actor=actor, action="payoutrun.paid", obj=run, before={"status": "approved"}, after={"status": "paid"})
    return run


@transaction.atomic
def add_adjustment(*, run_id: int, person_id: int, amount: Decimal, reason: str, actor) -> Adjustment:
    """Correct an approved or paid run for one person: a signed, rounded amount with a reason."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    if not actor.has_perm("incentives.approve_payoutrun"):
        raise PermissionDenied("You may not adjust payout runs.")
    if not run.is_locked:
        raise ValidationError("A draft run is corrected by recalculating it, not by adjustments.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the correction is needed."})
    rounded = round_money(Decimal(amount), run.currency)
    if rounded == 0:
        raise ValidationError({"amount": "The adjustment rounds to zero."})
    if not run.lines.filter(person_id=person_id).exists():
        raise ValidationError({"person": "This person has no line in the run."})
    adjustment = Adjustment.objects.create(
        run=run, person_id=person_id, amount=rounded, reason=reason.strip(), created_by=actor
    )
    record(
        actor=actor,
        action="payoutrun.adjust",
        obj=run,
        after={"adjustment": adjustment.pk, "person": person_id, "amount": rounded},
        reason=reason.strip(),
    )
    return adjustment


@transaction.atomic
def delete_draft_run(*, run_id: int, actor) -> None:
    """Discard a draft run (approved runs refuse)."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    if run.is_locked:
        raise ImmutableRunError(f"Run #{run.pk} is {run.status}: it cannot be deleted.")
    record(actor=actor, action="payoutrun.delete", obj=run, before={"total": run.total})
    delete_run_rows(run.pk)
    run.delete()


def first_covered_person(*, plan: Plan, people) -> Person | None:
    """The first of `people` (by name) with an eligible membership in the plan's period, for the what-if."""
    span = parse_period(plan.period.code)
    memberships = Membership.objects.overlapping(span.start, span.end).filter(person__in=people)
    team_ids = eligible_team_ids(plan)
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=team_ids)
    if plan.eligible_roles:
        memberships = memberships.filter(role__in=plan.eligible_roles)
    first = memberships.select_related("person").order_by("person__name").first()
    return first.person if first else None


# --- what-if ------------------------------------------------------------------------------------
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
    spend = (runs.aggregate(total=Sum("total"))["total"] or Decimal(0)) + (
        Adjustment.objects.filter(run__in=runs).aggregate(total=Sum("amount"))["total"] or Decimal(0)
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
