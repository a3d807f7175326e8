"""Scorecards for teams, departments and the company: the contract incentives and reports build on.

`build_scorecards` computes in the database with one grouped aggregation over Measurement (raw sums per
team, department or the whole company, KPI and period, for the period and the previous one), plus one query
per period for `last` KPIs. A department adds up the sums of its own teams and of its sub-departments' and
runs the same math as a team (`culture.calculations`): never an average of averages. A closed period returns
its frozen `ScorecardSnapshot` rows instead.

The number of queries does not depend on the number of teams, KPIs or measurements.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from .calculations import (
    ZERO,
    KpiLine,
    KpiSpec,
    Scorecard,
    Sums,
    TargetSpec,
    composite,
    resolve_target,
    scorecard,
    total,
)
from .models import Department, Kpi, Measurement, Period, ScorecardSnapshot, Target, Team
from .periods import PeriodSpan, parse_period, previous_period, shift_period

__all__ = [
    "COMPANY",
    "DEPARTMENT",
    "LEVELS",
    "TEAM",
    "KpiLine",
    "OrgTree",
    "Scorecard",
    "build_scorecard_levels",
    "build_scorecard_series",
    "build_scorecards",
    "kpi_spec",
    "load_org",
]

TEAM, DEPARTMENT, COMPANY = "team", "department", "company"
LEVELS = (TEAM, DEPARTMENT, COMPANY)
_DEC = DecimalField(max_digits=30, decimal_places=6)


def kpi_spec(kpi: Kpi) -> KpiSpec:
    """The pure-math view of a catalogue row."""
    return KpiSpec(
        code=kpi.code,
        name=kpi.name,
        unit=kpi.unit,
        decimals=kpi.decimals,
        direction=kpi.direction,
        aggregation=kpi.aggregation,
        scale=Decimal(kpi.scale),
        survey=kpi.survey,
    )


@dataclass(frozen=True)
class OrgTree:
    """Teams and departments as id maps (two queries), for target resolution and roll-ups."""

    team_department: dict[int, int]
    department_parent: dict[int, int | None]
    active_teams: frozenset[int]

    def department_chain(self, department_id: int) -> list[int]:
        """The department and its ancestors, nearest first."""
        chain, node, seen = [], department_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            chain.append(node)
            node = self.department_parent.get(node)
        return chain

    def scopes(self, level: str, object_id: int | None) -> list[tuple[str, int | None]]:
        """Target scopes to try, most specific first."""
        if level == TEAM:
            assert object_id is not None
            department = self.team_department[object_id]
            return [(TEAM, object_id), *((DEPARTMENT, d) for d in self.department_chain(department)), (COMPANY, None)]
        if level == DEPARTMENT:
            assert object_id is not None
            return [*((DEPARTMENT, d) for d in self.department_chain(object_id)), (COMPANY, None)]
        return [(COMPANY, None)]

    def departments_under(self) -> dict[int, set[int]]:
        """Department id -> its own id and the ids of all its sub-departments."""
        result: dict[int, set[int]] = {d: set() for d in self.department_parent}
        for department in self.department_parent:
            for node in self.department_chain(department):
                result.setdefault(node, set()).add(department)
        return result


def load_org() -> OrgTree:
    """Read the org's ids (two queries)."""
    teams = Team.objects.values_list("pk", "department_id", "is_active")
    return OrgTree(
        team_department={pk: department for pk, department, _active in teams},
        department_parent=dict(Department.objects.values_list("pk", "parent_id")),
        active_teams=frozenset(pk for pk, _department, active in teams if active),
    )


def build_scorecards(
    *,
    period_code: str,
    level: str = TEAM,
    ids: Collection[int] | None = None,
    kpi_codes: Collection[str] | None = None,
    with_trend: bool = True,
) -> dict[int | None, Scorecard]:
    """Scorecards of one period by object id (None for the company); `ids=None` means all (active teams).

    `with_trend=False` skips the previous period (no trend, `previous` is None): half the rows to read
    for callers that only need this period's actuals, such as payout runs.
    """
    code = parse_period(period_code).code
    return build_scorecard_series(
        period_codes=[code], level=level, ids=ids, kpi_codes=kpi_codes, with_trend=with_trend
    )[code]


def build_scorecard_series(
    *,
    period_codes: Sequence[str],
    level: str = TEAM,
    ids: Collection[int] | None = None,
    kpi_codes: Collection[str] | None = None,
    org: OrgTree | None = None,
    with_trend: bool = True,
) -> dict[str, dict[int | None, Scorecard]]:
    """Scorecards for several periods at once (e.g. a 12-period trend) in a fixed number of queries."""
    return build_scorecard_levels({level: period_codes}, ids=ids, kpi_codes=kpi_codes, org=org, with_trend=with_trend)[
        level
    ]


def build_scorecard_levels(
    periods_by_level: dict[str, Sequence[str]],
    *,
    ids: Collection[int] | None = None,
    kpi_codes: Collection[str] | None = None,
    org: OrgTree | None = None,
    with_trend: bool = True,
) -> dict[str, dict[str, dict[int | None, Scorecard]]]:
    """Scorecard series of several levels (level -> period codes) sharing one grouped aggregation.

    With one level the measurements are grouped by that level. With more, they are grouped by team once and
    departments and the company add up their teams' sums: the same raw sums, so the same figures, for one
    scan of the table instead of one per level (the company dashboard needs all three).
    """
    unknown = set(periods_by_level) - set(LEVELS)
    if unknown:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    if ids is not None and len(periods_by_level) > 1:
        raise ValueError("ids select objects of one level; ask for one level at a time")
    kpi_rows = Kpi.objects.all()
    if kpi_codes is not None:
        kpi_rows = kpi_rows.filter(code__in=list(kpi_codes))
    kpis = [kpi_spec(kpi) for kpi in kpi_rows]
    kpi_ids = {kpi.code: kpi.pk for kpi in kpi_rows}
    all_codes = {parse_period(code).code for codes in periods_by_level.values() for code in codes}
    periods = {p.code: p for p in Period.objects.filter(code__in=all_codes)}
    org = org or load_org()
    shared = len(periods_by_level) > 1

    plans: list[tuple[str, list[int | None], list[PeriodSpan]]] = []
    result: dict[str, dict[str, dict[int | None, Scorecard]]] = {}
    frozen: dict[str, dict[str, dict[int | None, Scorecard]]] = {}
    for level, codes in periods_by_level.items():
        spans = [parse_period(code) for code in codes]
        object_ids = _object_ids(level, ids, org)
        closed = [periods[s.code] for s in spans if _is_closed(periods.get(s.code))]
        frozen[level] = _snapshots(level, object_ids, closed)
        result[level] = {}
        to_compute: list[PeriodSpan] = []
        for span in spans:
            cards = frozen[level].get(span.code, {})
            if _is_closed(periods.get(span.code)) and all(i in cards for i in object_ids):
                wanted = set(kpi_ids)
                result[level][span.code] = {i: _only_kpis(cards[i], wanted) for i in object_ids}
            else:
                to_compute.append(span)
        if to_compute:
            plans.append((level, object_ids, to_compute))
    if not plans:
        return result

    computing = [span for _level, _ids, spans in plans for span in spans]
    # Without the trend the previous period is not read; its sums are then simply absent (previous None).
    buckets = _unique_spans([*computing, *(previous_period(s) for s in computing if with_trend)])
    last_kpis = [kpi_ids[k.code] for k in kpis if k.aggregation == Kpi.Aggregation.LAST]
    aggregation_of = {kpi_ids[k.code]: k.aggregation for k in kpis}
    if shared:
        sums = _grouped_sums(buckets, aggregation_of, last_kpis, None, TEAM)
    else:
        level, object_ids, _spans = plans[0]
        sums = _grouped_sums(buckets, aggregation_of, last_kpis, _team_filter(level, ids, object_ids, org), level)
    code_by_id = {pk: code for code, pk in kpi_ids.items()}
    targets = _targets(sorted({periods[s.code].pk for s in computing if s.code in periods}), code_by_id)
    for level, object_ids, to_compute in plans:
        members = _team_members(level, object_ids, org) if shared else _members(level, object_ids, org)
        for span in to_compute:
            cards = _compute_cards(level, object_ids, members, span, sums, periods, targets, kpis, code_by_id, org)
            if span.code in frozen[level]:  # closed, but some object had no snapshot (e.g. a team created later)
                cards.update({i: c for i, c in frozen[level][span.code].items() if i in cards})
            result[level][span.code] = cards
    return result


def _compute_cards(
    level: str,
    object_ids: list[int | None],
    members: dict[int | None, Iterable[int]],
    span: PeriodSpan,
    sums: dict[SumsKey, Sums],
    periods: dict[str, Period],
    targets: dict[int, dict[tuple[str, str, int | None], TargetSpec]],
    kpis: list[KpiSpec],
    code_by_id: dict[int, str],
    org: OrgTree,
) -> dict[int | None, Scorecard]:
    previous = previous_period(span)
    period = periods.get(span.code)
    period_targets = targets.get(period.pk, {}) if period else {}
    cards: dict[int | None, Scorecard] = {}
    for object_id in object_ids:
        groups = members[object_id]
        scopes = org.scopes(level, object_id)
        resolved = {kpi.code: found for kpi in kpis if (found := resolve_target(kpi.code, scopes, period_targets))}
        cards[object_id] = scorecard(
            level=level,
            object_id=object_id,
            period_code=span.code,
            kpis=kpis,
            sums=_rolled_up(sums, span.code, groups, code_by_id),
            previous_sums=_rolled_up(sums, previous.code, groups, code_by_id),
            targets=resolved,
        )
    return cards


def series_codes(period_code: str, count: int = 12) -> list[str]:
    """The codes of `count` periods of the same kind ending with `period_code`, oldest first."""
    span = parse_period(period_code)
    return [shift_period(span, -steps).code for steps in range(count - 1, -1, -1)]


def _is_closed(period: Period | None) -> bool:
    return period is not None and period.is_closed


def _only_kpis(card: Scorecard, codes: set[str]) -> Scorecard:
    if set(card.lines) <= codes:
        return card
    lines = {code: line for code, line in card.lines.items() if code in codes}
    return Scorecard(card.level, card.object_id, card.period_code, lines, composite(lines.values()), card.is_snapshot)


def _object_ids(level: str, ids: Collection[int] | None, org: OrgTree) -> list[int | None]:
    if level == COMPANY:
        return [None]
    if level == TEAM:
        known = org.team_department
        return sorted(i for i in ids if i in known) if ids is not None else sorted(org.active_teams)
    known_departments = org.department_parent
    return sorted(i for i in ids if i in known_departments) if ids is not None else sorted(known_departments)


def _members(level: str, object_ids: list[int | None], org: OrgTree) -> dict[int | None, Iterable[int]]:
    """Which grouped rows make up each object: the team's own, a department's subtree, the company's one row."""
    if level == TEAM:
        return {i: (i,) for i in object_ids}  # type: ignore[misc]
    if level == DEPARTMENT:
        under = org.departments_under()
        return {i: under.get(i, {i}) for i in object_ids}  # type: ignore[arg-type]
    return {None: (COMPANY_GROUP,)}


def _team_members(level: str, object_ids: list[int | None], org: OrgTree) -> dict[int | None, Iterable[int]]:
    """Which teams' grouped rows make up each object, when every level is rolled up from team sums."""
    if level == TEAM:
        return {i: (i,) for i in object_ids}  # type: ignore[misc]
    if level == DEPARTMENT:
        under = org.departments_under()
        teams_of: dict[int, list[int]] = defaultdict(list)
        for team, department in org.team_department.items():
            teams_of[department].append(team)
        return {i: [t for d in under.get(i, {i}) for t in teams_of[d]] for i in object_ids}  # type: ignore[arg-type]
    return {None: list(org.team_department)}


def _team_filter(
    level: str, ids: Collection[int] | None, object_ids: list[int | None], org: OrgTree
) -> set[int] | None:
    """Teams whose measurements are needed; None for all."""
    if ids is None or level == COMPANY:
        return None
    if level == TEAM:
        return {i for i in object_ids if i is not None}
    under = org.departments_under()
    departments = {d for i in object_ids if i is not None for d in under.get(i, {i})}
    return {team for team, department in org.team_department.items() if department in departments}


def _unique_spans(spans: Iterable[PeriodSpan]) -> list[PeriodSpan]:
    seen: dict[str, PeriodSpan] = {}
    for span in spans:
        seen.setdefault(span.code, span)
    return list(seen.values())


SumsKey = tuple[str, int, int]  # (period code, group id: team, department or 0 for the company, KPI id)


def _bucket_expression(buckets: list[PeriodSpan]):
    """The GROUP BY expression telling the periods apart, and a map from its values to period codes.

    A period and the one right before it are split by one comparison (`date >= start`): PostgreSQL knows a
    boolean has two values, estimates the groups well and can aggregate in parallel. Other sets use a CASE.
    """
    if len(buckets) == 2 and buckets[1].end + dt.timedelta(days=1) == buckets[0].start:
        expression = ExpressionWrapper(Q(date__gte=buckets[0].start), output_field=BooleanField())
        return expression, {True: buckets[0].code, False: buckets[1].code}  # SQLite gives 1 and 0: equal keys
    expression = Case(
        *(When(date__range=(s.start, s.end), then=Value(i)) for i, s in enumerate(buckets)),
        output_field=IntegerField(),
    )
    return expression, {i: s.code for i, s in enumerate(buckets)}


GROUP_FIELDS = {TEAM: "team_id", DEPARTMENT: "team__department_id", COMPANY: None}
COMPANY_GROUP = 0


def _grouped_sums(
    buckets: list[PeriodSpan],
    aggregation_of: dict[int, str],
    last_kpis: list[int],
    team_ids: set[int] | None,
    level: str,
) -> dict[SumsKey, Sums]:
    """One GROUP BY (period, team or department or nothing, KPI) over the measurements, plus one query per
    period for `last` KPIs. Keys are (period code, group id, KPI id); the company's group id is 0.

    Each KPI needs only the sums of its aggregation, so two folded columns carry them (a CASE on the KPI):
    numerator and denominator for ratios, sum(value x n) and n for means, the value sum otherwise. Fewer
    numeric aggregates make the query markedly faster on large tables.
    """
    kpi_ids = list(aggregation_of)
    if not kpi_ids:
        return {}
    ratio_ids = [k for k, a in aggregation_of.items() if a == Kpi.Aggregation.RATIO]
    mean_ids = [k for k, a in aggregation_of.items() if a == Kpi.Aggregation.MEAN]
    in_any = Q()
    for span in buckets:
        in_any |= Q(date__range=(span.start, span.end))
    rows = Measurement.objects.filter(in_any, kpi_id__in=kpi_ids)
    if team_ids is not None:
        rows = rows.filter(team_id__in=team_ids)
    bucket, code_of = _bucket_expression(buckets)
    group_field = GROUP_FIELDS[level]
    keys = ("bucket", "grp", "kpi_id") if group_field else ("bucket", "kpi_id")
    if group_field:
        rows = rows.annotate(grp=F(group_field))
    n = Coalesce("sample_size", Value(1))
    first = [When(kpi_id__in=ratio_ids, then=F("numerator"))] if ratio_ids else []
    first += [When(kpi_id__in=mean_ids, then=F("value") * n)] if mean_ids else []
    second = [When(kpi_id__in=ratio_ids, then=F("denominator"))] if ratio_ids else []
    second += [When(kpi_id__in=mean_ids, value__isnull=False, then=n)] if mean_ids else []
    grouped = (
        rows.annotate(bucket=bucket)
        .values(*keys)
        .order_by()
        .annotate(
            s_rows=Count("pk"),
            s_first=Sum(Case(*first, default=F("value"), output_field=_DEC), output_field=_DEC),
            s_second=Sum(Case(*second, default=Value(0), output_field=_DEC), output_field=_DEC)
            if second
            else Sum(Value(0), output_field=_DEC),
            s_sample_size=Sum("sample_size"),
            s_sampled_rows=Count("sample_size"),
            s_sum_squares=Sum("sum_squares", output_field=_DEC),
            s_squared_rows=Count("sum_squares"),
        )
    )
    result: dict[SumsKey, Sums] = {}
    for row in _fetch(grouped, (*keys, *SUM_COLUMNS)):
        if not group_field:
            row = (row[0], COMPANY_GROUP, *row[1:])
        bucket_, group, kpi_id, rows_, first_sum, second_sum, sample, sampled, squares, squared = row
        first_sum = ZERO if first_sum is None else first_sum
        second_sum = ZERO if second_sum is None else second_sum
        aggregation = aggregation_of[kpi_id]
        result[(code_of[bucket_], group, kpi_id)] = Sums(
            rows=rows_,
            value=first_sum if aggregation not in (Kpi.Aggregation.RATIO, Kpi.Aggregation.MEAN) else ZERO,
            value_x_n=first_sum if aggregation == Kpi.Aggregation.MEAN else ZERO,
            n=second_sum if aggregation == Kpi.Aggregation.MEAN else ZERO,
            numerator=first_sum if aggregation == Kpi.Aggregation.RATIO else ZERO,
            denominator=second_sum if aggregation == Kpi.Aggregation.RATIO else ZERO,
            sample_size=int(sample or 0),
            sampled_rows=sampled,
            sum_squares=ZERO if squares is None else squares,
            squared_rows=squared,
        )
    if last_kpis:
        for span in buckets:
            for (group, kpi_id), value in _last_values(span, last_kpis, team_ids, group_field).items():
                key = (span.code, group, kpi_id)
                result[key] = _with_last(result.get(key, Sums()), value)
    return result


SUM_COLUMNS = (
    "s_rows",
    "s_first",
    "s_second",
    "s_sample_size",
    "s_sampled_rows",
    "s_sum_squares",
    "s_squared_rows",
)


def _fetch(queryset, names: Sequence[str]) -> list[tuple]:
    """Rows of a values() queryset as tuples in `names` order.

    On PostgreSQL the driver already returns Decimal and int, so the compiled SQL runs on a plain cursor
    and skips Django's per-value converters (a third of the Python time for 20,000 groups). Other
    databases (SQLite stores decimals as floats) go through the ORM and its converters.
    """
    if connection.vendor != "postgresql":
        return list(queryset.values_list(*names))
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    selected = [alias or col.target.attname for col, _sql, alias in compiler.select]
    order = [selected.index(name) for name in names]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if order == list(range(len(selected))):
        return fetched
    return [tuple(row[i] for i in order) for row in fetched]


def _last_values(
    span: PeriodSpan, kpi_ids: list[int], team_ids: set[int] | None, group_field: str | None
) -> dict[tuple[int, int], Decimal]:
    """Per (group, KPI): each team's value on its latest day with data in the period (channels of that day
    added), summed over the group's teams."""
    in_span = Measurement.objects.filter(date__range=(span.start, span.end), value__isnull=False)
    latest = in_span.filter(team_id=OuterRef("team_id"), kpi_id=OuterRef("kpi_id")).order_by("-date").values("date")[:1]
    rows = in_span.filter(kpi_id__in=kpi_ids)
    if team_ids is not None:
        rows = rows.filter(team_id__in=team_ids)
    rows = rows.filter(date=Subquery(latest))
    if group_field:
        grouped = rows.values(group_field, "kpi_id").order_by().annotate(total=Sum("value", output_field=_DEC))
        return {(row[group_field], row["kpi_id"]): _d(row["total"]) for row in grouped}
    grouped = rows.values("kpi_id").order_by().annotate(total=Sum("value", output_field=_DEC))
    return {(COMPANY_GROUP, row["kpi_id"]): _d(row["total"]) for row in grouped}


def _with_last(sums: Sums, value: Decimal) -> Sums:
    return replace(sums, last=value)


def _d(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def _rolled_up(
    sums: dict[SumsKey, Sums], period_code: str, teams: Iterable[int], code_by_id: dict[int, str]
) -> dict[str, Sums]:
    """Per KPI code: the sum of the given teams' raw sums in the period."""
    result: dict[str, Sums] = {}
    for kpi_id, code in code_by_id.items():
        parts = [found for team in teams if (found := sums.get((period_code, team, kpi_id))) is not None]
        if len(parts) == 1:
            result[code] = parts[0]
        elif parts:
            result[code] = total(parts)
    return result


def _targets(
    period_ids: list[int], code_by_id: dict[int, str]
) -> dict[int, dict[tuple[str, str, int | None], TargetSpec]]:
    """period id -> {(kpi code, scope, object id): target} for the given periods (one query)."""
    result: dict[int, dict[tuple[str, str, int | None], TargetSpec]] = defaultdict(dict)
    if not period_ids:
        return result
    rows = Target.objects.filter(period_id__in=period_ids, kpi_id__in=list(code_by_id))
    for target in rows:
        if target.team_id:
            scope, object_id = TEAM, target.team_id
        elif target.department_id:
            scope, object_id = DEPARTMENT, target.department_id
        else:
            scope, object_id = COMPANY, None
        result[target.period_id][(code_by_id[target.kpi_id], scope, object_id)] = TargetSpec(
            target=target.target_value,
            amber=target.amber_threshold,
            red=target.red_threshold,
            weight=target.weight,
            min_sample=target.min_sample,
            scope=scope,
        )
    return result


def _snapshots(
    level: str, object_ids: list[int | None], periods: list[Period]
) -> dict[str, dict[int | None, Scorecard]]:
    """Frozen scorecards of closed periods (one query), by period code and object id."""
    if not periods:
        return {}
    rows = ScorecardSnapshot.objects.filter(period__in=periods, level=level).select_related("period")
    if level == TEAM:
        rows = rows.filter(team_id__in=[i for i in object_ids if i is not None])
    elif level == DEPARTMENT:
        rows = rows.filter(department_id__in=[i for i in object_ids if i is not None])
    result: dict[str, dict[int | None, Scorecard]] = defaultdict(dict)
    for row in rows:
        result[row.period.code][row.object_id] = Scorecard.from_json(row.payload, is_snapshot=True)
    return result
