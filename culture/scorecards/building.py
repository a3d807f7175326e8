"""Building scorecards for teams, departments and the company: what incentives and reports build on.

`build_scorecards` computes in the database with one grouped aggregation over Measurement (raw sums per
team, department or the whole company, KPI and period, for the period and the previous one), plus one query
per period for `last` KPIs. A department adds up the sums of its own teams and of its sub-departments' and
runs the same math as a team (`calculations`): never an average of averages. A closed period returns its
frozen `ScorecardSnapshot` rows instead. The raw sums come from `sums`, the org's id maps from `scopes`.

The number of queries does not depend on the number of teams, KPIs or measurements.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import partial

from django.utils import timezone

from ..models import Kpi, Period, ScorecardSnapshot, Target
from .calculations import KpiSpec, Scorecard, Sums, TargetSpec, composite, lines_in_status, scorecard
from .derivation import period_target
from .memo import remembered
from .periods import PeriodKind, PeriodSpan, months_of, parse_period, previous_period, shift_period
from .scopes import COMPANY, DEPARTMENT, LEVELS, TEAM, OrgTree, load_org
from .sums import COMPANY_GROUP, SumsKey, grouped_sums, rolled_up, whole_months

__all__ = [
    "build_scorecard_levels",
    "build_scorecard_series",
    "build_scorecards",
    "default_period_code",
    "kpi_spec",
    "load_org",
]


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


def build_scorecards(
    *,
    period_code: str,
    level: str = TEAM,
    ids: Collection[int] | None = None,
    kpi_codes: Collection[str] | None = None,
    with_trend: bool = True,
    fresh: bool = False,
) -> dict[int | None, Scorecard]:
    """Scorecards of one period by object id (None for the company); `ids=None` means all (active teams).

    `with_trend=False` skips the previous period (no trend, `previous` is None): half the rows to read
    for callers that only need this period's actuals, such as payout runs.
    """
    code = parse_period(period_code).code
    return build_scorecard_levels({level: [code]}, ids=ids, kpi_codes=kpi_codes, with_trend=with_trend, fresh=fresh)[
        level
    ][code]


def build_scorecard_series(
    *,
    period_codes: Sequence[str],
    level: str = TEAM,
    ids: Collection[int] | None = None,
    kpi_codes: Collection[str] | None = None,
    org: OrgTree | None = None,
    with_trend: bool = True,
    figures_only: bool = False,
) -> dict[str, dict[int | None, Scorecard]]:
    """Scorecards for several periods at once (e.g. a 12-period trend) in a fixed number of queries."""
    return build_scorecard_levels(
        {level: period_codes},
        ids=ids,
        kpi_codes=kpi_codes,
        org=org,
        with_trend=with_trend,
        figures_only={level} if figures_only else (),
    )[level]


def build_scorecard_levels(
    periods_by_level: dict[str, Sequence[str]],
    *,
    ids: Collection[int] | None = None,
    kpi_codes: Collection[str] | None = None,
    org: OrgTree | None = None,
    with_trend: bool = True,
    fresh: bool = False,
    only_status: dict[str, str] | None = None,
    figures_only: Collection[str] = (),
    remember: bool = True,
) -> dict[str, dict[str, dict[int | None, Scorecard]]]:
    """Scorecard series of several levels (level -> period codes) sharing one grouped aggregation.

    With one level the measurements are grouped by that level. With more, they are grouped by team once and
    departments and the company add up their teams' sums: the same raw sums, so the same figures, for one
    scan of the table instead of one per level (the company dashboard needs all three).

    `only_status` (level -> status) keeps, on that level's cards, only the lines in that status and no
    composite (`calculations.lines_in_status`); the other lines are never built. The dashboard's list of
    off-track team KPIs needs every team's statuses but only its red lines.

    `figures_only` (levels) gives those levels' computed cards with lines that are `figures.LineFigures`
    (status, rounded actual, score, weight, with the KPI's name, decimals and unit) and the full composite:
    enough to order, count and filter cards (frozen cards stay whole).

    The result is remembered until the culture data changes (`memo`), except when `fresh` recomputes or the
    caller remembers what it derives from it instead (`remember=False`). `org`, when given, must be
    `load_org()`'s (it only saves its two queries): the remembered result is keyed by the data, not by it.
    """
    build = partial(
        _build_levels,
        periods_by_level,
        ids=ids,
        kpi_codes=kpi_codes,
        org=org,
        with_trend=with_trend,
        fresh=fresh,
        only_status=only_status,
        figures_only=figures_only,
    )
    if fresh or not remember:
        return build()
    parts = (
        "levels",
        sorted((level, tuple(parse_period(code).code for code in codes)) for level, codes in periods_by_level.items()),
        None if ids is None else tuple(sorted(ids)),
        None if kpi_codes is None else tuple(sorted(kpi_codes)),
        with_trend,
        sorted((only_status or {}).items()),
        tuple(sorted(figures_only)),
    )
    return remembered(parts, build)


def _build_levels(
    periods_by_level: dict[str, Sequence[str]],
    *,
    ids: Collection[int] | None,
    kpi_codes: Collection[str] | None,
    org: OrgTree | None,
    with_trend: bool,
    fresh: bool,
    only_status: dict[str, str] | None,
    figures_only: Collection[str],
) -> dict[str, dict[str, dict[int | None, Scorecard]]]:
    only_status = only_status or {}
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
    # A quarter's or year's targets may be derived from its months' (derivation), so their rows come too.
    month_codes = {m for code in all_codes for m in months_of(parse_period(code))}
    periods = {p.code: p for p in Period.objects.filter(code__in=all_codes | month_codes)}
    org = org or load_org()
    shared = len(periods_by_level) > 1

    plans: list[tuple[str, Sequence[int | None], list[PeriodSpan]]] = []
    result: dict[str, dict[str, dict[int | None, Scorecard]]] = {}
    frozen: dict[str, dict[str, dict[int | None, Scorecard]]] = {}
    for level, codes in periods_by_level.items():
        spans = [parse_period(code) for code in codes]
        object_ids = _object_ids(level, ids, org)
        # `fresh` computes closed periods too (re-snapshotting); everything else reads their snapshots.
        closed = [] if fresh else [periods[s.code] for s in spans if _is_closed(periods.get(s.code))]
        frozen[level] = _snapshots(level, object_ids, closed)
        result[level] = {}
        to_compute: list[PeriodSpan] = []
        for span in spans:
            cards = frozen[level].get(span.code, {})
            if not fresh and _is_closed(periods.get(span.code)) and all(i in cards for i in object_ids):
                wanted = set(kpi_ids)
                result[level][span.code] = {i: _only_kpis(cards[i], wanted) for i in object_ids}
            else:
                to_compute.append(span)
        if to_compute:
            plans.append((level, object_ids, to_compute))
    if not plans:
        return _keep_status(result, only_status)

    computing = [span for _level, _ids, spans in plans for span in spans]
    # Without the trend the previous period is not read; its sums are then simply absent (previous None).
    buckets = _unique_spans([*computing, *(previous_period(s) for s in computing if with_trend)])
    last_kpis = [kpi_ids[k.code] for k in kpis if k.aggregation == Kpi.Aggregation.LAST]
    aggregation_of = {kpi_ids[k.code]: k.aggregation for k in kpis}
    by_level: dict[str, dict[SumsKey, Sums]] = {}
    if shared and whole_months(buckets):
        # Whole months come from the rollups, where a scan per level is cheap: each level gets only its own
        # periods, grouped by the level itself, instead of every team's sums for every period (the company's
        # 13-month trend was 130,000 team sums added up in Python).
        for level, _ids, spans in plans:
            level_buckets = _unique_spans([*spans, *(previous_period(s) for s in spans if with_trend)])
            by_level[level] = grouped_sums(level_buckets, aggregation_of, last_kpis, None, level)
        sums = {}
    elif shared:
        sums = grouped_sums(buckets, aggregation_of, last_kpis, None, TEAM)
    else:
        level, object_ids, _spans = plans[0]
        sums = grouped_sums(buckets, aggregation_of, last_kpis, _team_filter(level, ids, object_ids, org), level)
    code_by_id = {pk: code for code, pk in kpi_ids.items()}
    target_codes = {s.code for s in computing} | {
        m for s in computing if s.kind != PeriodKind.MONTH for m in months_of(s)
    }
    targets = _targets(sorted(periods[code].pk for code in target_codes if code in periods), code_by_id)
    for level, object_ids, to_compute in plans:
        level_sums = by_level.get(level, sums)
        together = shared and level not in by_level
        members = _team_members(level, object_ids, org) if together else _members(level, object_ids, org)
        for span in to_compute:
            cards = _compute_cards(
                level,
                object_ids,
                members,
                span,
                level_sums,
                periods,
                targets,
                kpis,
                code_by_id,
                org,
                only_status.get(level),
                level in figures_only,
            )
            if span.code in frozen[level]:  # closed, but some object had no snapshot (e.g. a team created later)
                cards.update({i: c for i, c in frozen[level][span.code].items() if i in cards})
            result[level][span.code] = cards
    return _keep_status(result, only_status)


def _keep_status(
    result: dict[str, dict[str, dict[int | None, Scorecard]]], only_status: dict[str, str]
) -> dict[str, dict[str, dict[int | None, Scorecard]]]:
    """Frozen cards filtered like computed ones (which come filtered already: filtering again changes nothing)."""
    for level, wanted in only_status.items():
        for cards in result.get(level, {}).values():
            for object_id, card in cards.items():
                cards[object_id] = lines_in_status(card, wanted)
    return result


def _compute_cards(
    level: str,
    object_ids: Sequence[int | None],
    members: dict[int | None, Iterable[int]],
    span: PeriodSpan,
    sums: dict[SumsKey, Sums],
    periods: dict[str, Period],
    targets: dict[int, dict[tuple[str, str, int | None], TargetSpec]],
    kpis: list[KpiSpec],
    code_by_id: dict[int, str],
    org: OrgTree,
    only_status: str | None = None,
    figures_only: bool = False,
) -> dict[int | None, Scorecard]:
    previous = previous_period(span)
    period = periods.get(span.code)
    period_targets = targets.get(period.pk, {}) if period else {}
    month_targets = None
    if span.kind != PeriodKind.MONTH:
        month_targets = [targets.get(periods[m].pk, {}) if m in periods else {} for m in months_of(span)]
    # A team without targets of its own resolves like its department: resolved once per department chain.
    own_targets = {
        object_id
        for found in (period_targets, *(month_targets or ()))
        for _code, scope, object_id in found
        if scope == TEAM
    }
    resolved_for: dict[tuple[tuple[str, int | None], ...], dict[str, TargetSpec]] = {}
    cards: dict[int | None, Scorecard] = {}
    for object_id in object_ids:
        groups = members[object_id]
        scopes = org.scopes(level, object_id)
        shared = tuple(scopes[1:]) if level == TEAM and object_id not in own_targets else None
        resolved = resolved_for.get(shared) if shared is not None else None
        if resolved is None:
            resolved = {
                kpi.code: found
                for kpi in kpis
                if (found := period_target(kpi, scopes, period_targets, month_targets)) is not None
            }
            if shared is not None:
                resolved_for[shared] = resolved
        cards[object_id] = scorecard(
            level=level,
            object_id=object_id,
            period_code=span.code,
            kpis=kpis,
            sums=rolled_up(sums, span.code, groups, code_by_id),
            previous_sums=rolled_up(sums, previous.code, groups, code_by_id),
            targets=resolved,
            only_status=only_status,
            figures_only=figures_only,
        )
    return cards


def default_period_code(today: dt.date | None = None) -> str:
    """The last complete month: what a scorecard is usually read for."""
    today = today or timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    return f"{last_month.year}-{last_month.month:02d}"


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
    return Scorecard(
        card.level,
        card.object_id,
        card.period_code,
        lines,
        composite(lines.values()),
        card.is_snapshot,
        card.definition,
    )


def _object_ids(level: str, ids: Collection[int] | None, org: OrgTree) -> Sequence[int | None]:
    if level == COMPANY:
        return [None]
    if level == TEAM:
        known = org.team_department
        return sorted(i for i in ids if i in known) if ids is not None else sorted(org.active_teams)
    known_departments = org.department_parent
    return sorted(i for i in ids if i in known_departments) if ids is not None else sorted(known_departments)


def _members(level: str, object_ids: Sequence[int | None], org: OrgTree) -> dict[int | None, Iterable[int]]:
    """Which grouped rows make up each object: the team's own, a department's subtree, the company's one row."""
    if level == TEAM:
        return {i: (i,) for i in object_ids}  # type: ignore[misc]
    if level == DEPARTMENT:
        under = org.departments_under()
        return {i: under.get(i, {i}) for i in object_ids}  # type: ignore[arg-type]
    return {None: (COMPANY_GROUP,)}


def _team_members(level: str, object_ids: Sequence[int | None], org: OrgTree) -> dict[int | None, Iterable[int]]:
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
    level: str, ids: Collection[int] | None, object_ids: Sequence[int | None], org: OrgTree
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
            on_track_from=target.on_track_from,
            off_track_from=target.off_track_from,
            weight=target.weight,
            min_sample=target.min_sample,
            scope=scope,
            planned=target.planned_volume,
            noise_by_interval=target.noise_by_interval,
        )
    return result


def _snapshots(
    level: str, object_ids: Sequence[int | None], periods: list[Period]
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
        card = Scorecard.from_json(row.payload, is_snapshot=True)
        result[row.period.code][row.object_id] = replace(card, definition=row.definition)
    return result
