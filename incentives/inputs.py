"""What a payout run is computed from: the plan's components, eligible teams, people's stints, KPI actuals.

Read-only. KPI actuals come from the culture scorecards through exactly one adapter, `load_actuals`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from culture.models import Membership, Team
from culture.org import department_tree
from culture.scorecards import parse_period

from . import calculations as calc
from .models import Component, Plan, PlanOverride
from .proration import Spell, days_by_team

CONTACTS_KPI = "fcr"  # response rate = survey sample / FCR denominator (contacts) of the same scope and period


def _build_scorecards(**kwargs):
    """The culture scorecard service (imported late: the one seam tests replace)."""
    from culture.scorecards import build_scorecards

    return build_scorecards(**kwargs)


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
            kpi_code=c.kpi.code if c.kpi is not None else None,
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
    return eligible_team_ids_of([plan])[plan.pk]


def eligible_team_ids_of(plans: Iterable[Plan]) -> dict[int, set[int] | None]:
    """`eligible_team_ids` of several plans by plan id, in a fixed number of queries however many plans."""
    plans = list(plans)
    teams: dict[int, set[int]] = {plan.pk: set() for plan in plans}
    departments: dict[int, set[int]] = {plan.pk: set() for plan in plans}
    through_teams = Plan.eligible_teams.through.objects.filter(plan__in=plans)
    for plan_id, team_id in through_teams.values_list("plan_id", "team_id"):
        teams[plan_id].add(team_id)
    through_departments = Plan.eligible_departments.through.objects.filter(plan__in=plans)
    for plan_id, department_id in through_departments.values_list("plan_id", "department_id"):
        departments[plan_id].add(department_id)
    subtrees: dict[int, set[int]] = {}
    team_department: list[tuple[int, int]] = []
    if any(departments.values()):
        tree = department_tree()
        subtrees = {plan_id: tree.subtree(ids) for plan_id, ids in departments.items() if ids}
        wanted = set().union(*subtrees.values())
        team_department = list(Team.objects.filter(department_id__in=wanted).values_list("pk", "department_id"))
    result: dict[int, set[int] | None] = {}
    for plan in plans:
        if not teams[plan.pk] and not departments[plan.pk]:
            result[plan.pk] = None
            continue
        subtree = subtrees.get(plan.pk, set())
        result[plan.pk] = teams[plan.pk] | {pk for pk, department in team_department if department in subtree}
    return result


def _stints_by_person(
    plan: Plan, start: dt.date, end: dt.date, person_ids: Iterable[int] | None
) -> dict[int, dict[int, int]]:
    """person -> team -> eligible days in [start, end]; each day counts once (`proration.days_by_team`)."""
    memberships = Membership.objects.overlapping(start, end)
    team_ids = eligible_team_ids(plan)
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=team_ids)
    if plan.eligible_roles:
        memberships = memberships.filter(role__in=plan.eligible_roles)
    if person_ids is not None:
        memberships = memberships.filter(person_id__in=list(person_ids))
    return _days_by_person(memberships.values_list("person_id", "team_id", "start", "end"), start, end)


def _days_by_person(
    rows: Iterable[tuple[int, int, dt.date, dt.date | None]], start: dt.date, end: dt.date
) -> dict[int, dict[int, int]]:
    """Eligible memberships (person, team, start, end) as person -> team -> days in [start, end]."""
    spells: dict[int, list[Spell]] = defaultdict(list)
    for person_id, team_id, m_start, m_end in rows:
        spells[person_id].append(Spell(team_id, m_start, m_end))
    days = {person_id: days_by_team(person_spells, start, end) for person_id, person_spells in spells.items()}
    return {person_id: team_days for person_id, team_days in days.items() if team_days}


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
        codes = {c.kpi.code for c in level_components if c.kpi is not None}
        if any(c.min_response_rate_pct for c in level_components):
            codes.add(CONTACTS_KPI)
        if level == Component.Level.TEAM:
            ids: list[int] | None = sorted(teams)
            scope_of: dict[int, int | None] = {team_id: team_id for team_id in teams}
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
    if component.kpi is None:
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
    exact = getattr(line, "exact_actual", None)  # gates judge the unrounded actual
    return calc.Actual(value=line.actual, sample_size=line.sample_size, contacts=contacts, exact=exact)


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
    return _plan_inputs(plan, span.days, components, days, teams, overrides, actuals)


def load_person_inputs(*, plans: Iterable[Plan], person_id: int) -> dict[int, PlanInputs]:
    """`load_plan_inputs(plan=plan, person_ids=[person_id])` for several plans at once, by plan id, in a
    fixed number of queries however many plans (one scorecard read per period and level in use): what a
    person's home needs for the estimate of every plan they are in. Plans the person is not in are left out.

    The same eligibility, day counting, target amounts and scorecard adapter as a run; only the reading is
    batched (the person's memberships once, filtered per plan here rather than in SQL)."""
    plans = list(plans)
    if not plans:
        return {}
    spans = {plan.pk: parse_period(plan.period.code) for plan in plans}
    eligible = eligible_team_ids_of(plans)
    first = min(span.start for span in spans.values())
    last = max(span.end for span in spans.values())
    memberships = list(
        Membership.objects.overlapping(first, last)
        .filter(person_id=person_id)
        .values_list("team_id", "role", "start", "end")
    )
    days: dict[int, dict[int, dict[int, int]]] = {}
    for plan in plans:
        span, team_ids = spans[plan.pk], eligible[plan.pk]
        rows = [
            (person_id, team_id, start, end)
            for team_id, role, start, end in memberships
            if start <= span.end
            and (end is None or end >= span.start)
            and (team_ids is None or team_id in team_ids)
            and (not plan.eligible_roles or role in plan.eligible_roles)
        ]
        plan_days = _days_by_person(rows, span.start, span.end)
        if plan_days:
            days[plan.pk] = plan_days
    plans = [plan for plan in plans if plan.pk in days]
    if not plans:
        return {}
    components: dict[int, list[Component]] = defaultdict(list)
    for component in Component.objects.filter(plan__in=plans).select_related("kpi").order_by("position", "pk"):
        components[component.plan_id].append(component)
    team_ids = {team_id for plan_days in days.values() for team_id in plan_days[person_id]}
    teams = {
        pk: TeamInfo(pk, name, department)
        for pk, name, department in Team.objects.filter(pk__in=team_ids).values_list("pk", "name", "department_id")
    }
    overrides: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for plan_id, amount in PlanOverride.objects.filter(plan__in=plans, person_id=person_id).values_list(
        "plan_id", "target_amount"
    ):
        overrides[plan_id][person_id] = amount
    # One adapter call per period in use: team, department and company figures of a scope do not depend on
    # which other scopes or components are read with them.
    by_period: dict[str, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_period[spans[plan.pk].code].append(plan)
    actuals: dict[str, dict[int, dict[str, calc.Actual]]] = {}
    for code, period_plans in by_period.items():
        period_teams = {team_id for plan in period_plans for team_id in days[plan.pk][person_id]}
        actuals[code] = load_actuals(
            period_code=code,
            components=[c for plan in period_plans for c in components[plan.pk]],
            teams={pk: teams[pk] for pk in period_teams},
        )
    result = {}
    for plan in plans:
        span = spans[plan.pk]
        keys = {c.key for c in components[plan.pk]}
        plan_actuals = {
            team_id: {key: actual for key, actual in actuals[span.code][team_id].items() if key in keys}
            for team_id in days[plan.pk][person_id]
        }
        plan_teams = {pk: teams[pk] for pk in plan_actuals}
        result[plan.pk] = _plan_inputs(
            plan, span.days, tuple(components[plan.pk]), days[plan.pk], plan_teams, overrides[plan.pk], plan_actuals
        )
    return result


def _plan_inputs(
    plan: Plan,
    period_days: int,
    components: tuple[Component, ...],
    days: Mapping[int, Mapping[int, int]],
    teams: Mapping[int, TeamInfo],
    overrides: Mapping[int, Decimal],
    actuals: Mapping[int, Mapping[str, calc.Actual]],
) -> PlanInputs:
    """The loaded rows as the math's inputs: one shared Stint per (team, days), each person's target amount."""
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
        period_days=period_days,
        people=tuple(people),
        teams=teams,
    )
