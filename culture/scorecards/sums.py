"""The raw sums behind every scorecard: one grouped aggregation over the measurements (per period, team,
department or the company, and KPI), plus one query per period for `last` KPIs, and their roll-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, cast

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
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.aggregates import TrimmedExactSum

from ..models import Kpi, Measurement, MonthlyRollup
from .additive import sums_of
from .calculations import STOCK_AGGREGATIONS, Sums, total
from .periods import PeriodSpan
from .scopes import COMPANY, DEPARTMENT, TEAM
from .status import ZERO
from .stock import DayBase, team_edges

# Sums of columns of 6 places: TrimmedExactSum rounds SQLite's float sums back to them (core.aggregates).
_DEC = DecimalField(max_digits=30, decimal_places=6)

SumsKey = tuple[str, int, int]  # (period code, group id: team, department or 0 for the company, KPI id)


def _bucket_expression(buckets: list[PeriodSpan], field: str = "date"):
    """The GROUP BY expression telling the periods apart, and a map from its values to period codes.

    A period and the one right before it are split by one comparison (`date >= start`): PostgreSQL knows a
    boolean has two values, estimates the groups well and can aggregate in parallel. Other sets use a CASE.
    """
    if len(buckets) == 2 and buckets[1].end + dt.timedelta(days=1) == buckets[0].start:
        split = ExpressionWrapper(Q(**{f"{field}__gte": buckets[0].start}), output_field=BooleanField())
        return split, {True: buckets[0].code, False: buckets[1].code}  # SQLite gives 1 and 0: equal keys
    expression = Case(
        *(When(**{f"{field}__range": (s.start, s.end)}, then=Value(i)) for i, s in enumerate(buckets)),
        output_field=IntegerField(),
    )
    return expression, {i: s.code for i, s in enumerate(buckets)}


GROUP_FIELDS = {TEAM: "team_id", DEPARTMENT: "team__department_id", COMPANY: None}
COMPANY_GROUP = 0


def grouped_sums(
    buckets: list[PeriodSpan],
    aggregation_of: dict[int, str],
    last_kpis: list[int],
    team_ids: set[int] | None,
    level: str,
    *,
    rollups: bool = True,
) -> dict[SumsKey, Sums]:
    """One GROUP BY (period, team or department or nothing, KPI) over the measurements, plus one query per
    period for `last` KPIs. Keys are (period code, group id, KPI id); the company's group id is 0.

    Each KPI needs only the sums of its aggregation, so two folded columns carry them (a CASE on the KPI):
    numerator and denominator for ratios, sum(value x n) and n for means, lost and gained for stock KPIs,
    the value sum otherwise. Fewer numeric aggregates make the query markedly faster on large tables. The
    bases of stock KPIs are read at the periods' edges by `_stock_edges` (a few small queries). Periods of
    whole months read the monthly rollups instead of the daily rows (`rollups=False` forces the daily rows).
    """
    kpi_ids = list(aggregation_of)
    if not kpi_ids:
        return {}
    groups = disjoint_groups(buckets)
    if len(groups) > 1:
        # A row falls in one bucket of the grouping (the first CASE that matches), so overlapping periods (a
        # year and its months, in a year report) are read by one scan per set of periods that do not overlap.
        merged: dict[SumsKey, Sums] = {}
        for disjoint in groups:
            merged.update(grouped_sums(disjoint, aggregation_of, last_kpis, team_ids, level, rollups=rollups))
        return merged
    ratio_ids = [k for k, a in aggregation_of.items() if a == Kpi.Aggregation.RATIO]
    mean_ids = [k for k, a in aggregation_of.items() if a == Kpi.Aggregation.MEAN]
    stock_ids = [k for k, a in aggregation_of.items() if a in STOCK_AGGREGATIONS]
    monthly = rollups and whole_months(buckets)
    field = "month" if monthly else "date"
    if monthly and all(s.start.month == s.end.month and s.start.year == s.end.year for s in buckets):
        # One month per period (the dashboard's 13-month trend): the rollups' own month is the group, found by
        # the (month, KPI, team) index, instead of a CASE over every row.
        rows: QuerySet[Any] = MonthlyRollup.objects.filter(month__in=[s.start for s in buckets], kpi_id__in=kpi_ids)
        bucket, code_of = F("month"), {s.start: s.code for s in buckets}
    else:
        in_any = Q()
        for span in buckets:
            in_any |= Q(**{f"{field}__range": (span.start, span.end)})
        rows = (MonthlyRollup if monthly else Measurement).objects.filter(in_any, kpi_id__in=kpi_ids)
        bucket, code_of = _bucket_expression(buckets, field)
    if team_ids is not None:
        rows = rows.filter(team_id__in=team_ids)
    group_field = GROUP_FIELDS[level]
    keys = ("bucket", "grp", "kpi_id") if group_field else ("bucket", "kpi_id")
    if group_field:
        rows = rows.annotate(grp=F(group_field))
    folds = _rollup_folds if monthly else _daily_folds
    grouped = rows.annotate(bucket=bucket).values(*keys).order_by().annotate(**folds(ratio_ids, mean_ids, stock_ids))
    # Grouped by team, the same scan also gives each team's first and last day of stock data per period, so
    # the edges need one more (small) query instead of two.
    days_of: dict[tuple[str, int, int], tuple[dt.date, dt.date]] | None = None
    extra: tuple[str, ...] = ()
    if stock_ids and group_field == "team_id":
        first_day = Case(When(kpi_id__in=stock_ids, then=F("first_day" if monthly else "date")), default=None)
        last_day = Case(When(kpi_id__in=stock_ids, then=F("last_day" if monthly else "date")), default=None)
        grouped = grouped.annotate(s_first_day=Min(first_day), s_last_day=Max(last_day))
        extra, days_of = ("s_first_day", "s_last_day"), {}
    # Which Sums fields the two folded columns fill, per KPI (the others stay zero).
    folded = {kpi_id: _FOLDED.get(aggregation, ("value", None)) for kpi_id, aggregation in aggregation_of.items()}
    result: dict[SumsKey, Sums] = {}
    for row in _fetch(grouped, (*keys, *SUM_COLUMNS, *extra)):
        if not group_field:
            row = (row[0], COMPANY_GROUP, *row[1:])
        if days_of is not None:
            row, (first_day, last_day) = row[:-2], row[-2:]
            if first_day is not None:
                days_of[(code_of[row[0]], row[1], row[2])] = (_day(first_day), _day(last_day))
        bucket_, group, kpi_id, rows_, first_sum, second_sum, sample, sampled, squares, squared = row
        first_sum = ZERO if first_sum is None else first_sum
        second_sum = ZERO if second_sum is None else second_sum
        first_name, second_name = folded[kpi_id]
        fields = {
            "rows": rows_,
            "sample_size": int(sample or 0),
            "sampled_rows": sampled,
            "sum_squares": ZERO if squares is None else squares,
            "squared_rows": squared,
            first_name: first_sum,
        }
        if second_name:
            fields[second_name] = second_sum
        result[(code_of[bucket_], group, kpi_id)] = sums_of(fields)
    # Edges are read only for stock KPIs with rows in these periods: without any, no further query runs.
    stock_found = sorted({key[2] for key in result if key[2] in stock_ids})
    if stock_found:
        for key, edges in _stock_edges(buckets, stock_found, team_ids, group_field, days_of).items():
            found = result.get(key, Sums())
            result[key] = replace(
                found,
                opening=edges.opening,
                closing=edges.closing,
                based_teams=edges.based_teams,
                opening_gaps=edges.opening_gaps,
                closing_gaps=edges.closing_gaps,
            )
    if last_kpis:
        for span in buckets:
            for (group, kpi_id), value in _last_values(span, last_kpis, team_ids, group_field).items():
                key = (span.code, group, kpi_id)
                result[key] = _with_last(result.get(key, Sums()), value)
    return result


def disjoint_groups(buckets: Sequence[PeriodSpan]) -> list[list[PeriodSpan]]:
    """The periods in as few sets as possible (first fit, in order) whose periods do not overlap."""
    groups: list[list[PeriodSpan]] = []
    for span in buckets:
        for group in groups:
            if all(span.end < other.start or span.start > other.end for other in group):
                group.append(span)
                break
        else:
            groups.append([span])
    return groups


_FOLDED: dict[str, tuple[str, str | None]] = {
    Kpi.Aggregation.MEAN: ("value_x_n", "n"),
    Kpi.Aggregation.RATIO: ("numerator", "denominator"),
    **{aggregation: ("lost", "gained") for aggregation in STOCK_AGGREGATIONS},
}


def whole_months(buckets: list[PeriodSpan]) -> bool:
    """Every period starts on a month's first day and ends on a month's last: the rollups hold its sums."""
    return all(s.start.day == 1 and (s.end + dt.timedelta(days=1)).day == 1 for s in buckets)


def _daily_folds(ratio_ids: list[int], mean_ids: list[int], stock_ids: list[int]) -> dict[str, Any]:
    """The SUM_COLUMNS over the daily rows."""
    n = Coalesce("sample_size", Value(1))
    first = [When(kpi_id__in=ratio_ids, then=F("numerator"))] if ratio_ids else []
    # A survey mean's row carries its exact score sum as the numerator: used instead of the rounded mean x n.
    first += [When(kpi_id__in=mean_ids, then=Coalesce(F("numerator"), F("value") * n))] if mean_ids else []
    first += [When(kpi_id__in=stock_ids, then=F("lost"))] if stock_ids else []
    second = [When(kpi_id__in=ratio_ids, then=F("denominator"))] if ratio_ids else []
    second += [When(kpi_id__in=mean_ids, value__isnull=False, then=n)] if mean_ids else []
    second += [When(kpi_id__in=stock_ids, then=F("gained"))] if stock_ids else []
    return {
        "s_rows": Count("pk"),
        "s_first": TrimmedExactSum(Case(*first, default=F("value"), output_field=_DEC), output_field=_DEC),
        "s_second": TrimmedExactSum(Case(*second, default=Value(0), output_field=_DEC), output_field=_DEC)
        if second
        else Sum(Value(0), output_field=_DEC),
        "s_sample_size": Sum("sample_size"),
        "s_sampled_rows": Count("sample_size"),
        "s_sum_squares": TrimmedExactSum("sum_squares", output_field=_DEC),
        "s_squared_rows": Count("sum_squares"),
    }


def _rollup_folds(ratio_ids: list[int], mean_ids: list[int], stock_ids: list[int]) -> dict[str, Any]:
    """The same SUM_COLUMNS over the monthly rollups (whole months): sums of the stored sums."""
    first = [When(kpi_id__in=ratio_ids, then=F("numerator"))] if ratio_ids else []
    first += [When(kpi_id__in=mean_ids, then=F("mean_first"))] if mean_ids else []
    first += [When(kpi_id__in=stock_ids, then=F("lost"))] if stock_ids else []
    second = [When(kpi_id__in=ratio_ids, then=F("denominator"))] if ratio_ids else []
    second += [When(kpi_id__in=mean_ids, then=F("mean_n"))] if mean_ids else []
    second += [When(kpi_id__in=stock_ids, then=F("gained"))] if stock_ids else []
    return {
        "s_rows": Sum("rows"),
        "s_first": TrimmedExactSum(Case(*first, default=F("value"), output_field=_DEC), output_field=_DEC),
        "s_second": TrimmedExactSum(Case(*second, default=Value(0), output_field=_DEC), output_field=_DEC)
        if second
        else Sum(Value(0), output_field=_DEC),
        "s_sample_size": Sum("sample_size"),
        "s_sampled_rows": Sum("sampled_rows"),
        "s_sum_squares": TrimmedExactSum("sum_squares", output_field=_DEC),
        "s_squared_rows": Sum("squared_rows"),
    }


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


_BASE_SUMS = {
    "s_opening": Sum("opening"),
    "s_opened": Count("opening"),
    "s_gained": Sum("gained"),
    "s_lost": Sum("lost"),
    "s_closing": Sum("closing"),
}


def _stock_edges(
    buckets: list[PeriodSpan],
    stock_ids: list[int],
    team_ids: set[int] | None,
    group_field: str | None,
    days_of: dict[tuple[str, int, int], tuple[dt.date, dt.date]] | None = None,
) -> dict[SumsKey, Sums]:
    """Per (period, group, stock KPI): the teams' bases at the period's edges, added over the group's teams.

    One grouped query finds each team's first and last day with data per period, one reads those days'
    rows (channels added), and a period where some team lacks its first day looks up those teams' latest
    closing before it (two more). `stock.team_edges` decides which figure is the base and flags gaps.
    """
    in_any = Q()
    for span in buckets:
        in_any |= Q(date__range=(span.start, span.end))
    rows = Measurement.objects.filter(in_any, kpi_id__in=stock_ids, closing__isnull=False)
    if team_ids is not None:
        rows = rows.filter(team_id__in=team_ids)
    bucket, code_of = _bucket_expression(buckets)
    group_of: dict[int, int] = {}
    keys = ["bucket", "team_id", "kpi_id"] + ([group_field] if group_field and group_field != "team_id" else [])
    if days_of is not None:  # the main scan found them (grouped by team)
        index = {span.code: i for i, span in enumerate(buckets)}
        code_of = {i: code for code, i in index.items()}
        extents: list[dict[str, Any]] = [
            {"bucket": index[code], "team_id": team, "kpi_id": kpi_id, "first": first, "last": last}
            for (code, team, kpi_id), (first, last) in days_of.items()
            if kpi_id in stock_ids
        ]
    else:
        extents = cast(
            "list[dict[str, Any]]",
            list(rows.annotate(bucket=bucket).values(*keys).order_by().annotate(first=Min("date"), last=Max("date"))),
        )
    span_of = {span.code: span for span in buckets}
    wanted: set[tuple[int, int, dt.date]] = set()
    for extent in extents:
        group_of[extent["team_id"]] = extent.get(group_field, extent["team_id"]) if group_field else COMPANY_GROUP
        wanted.add((extent["team_id"], extent["kpi_id"], extent["first"]))
        wanted.add((extent["team_id"], extent["kpi_id"], extent["last"]))
    days = _day_bases(wanted)
    previous: dict[tuple[str, int, int], Decimal] = {}
    for span in buckets:
        gapped = {
            (e["team_id"], e["kpi_id"])
            for e in extents
            if code_of[e["bucket"]] == span.code
            and (e["first"] != span.start or days[(e["team_id"], e["kpi_id"], e["first"])].opening is None)
        }
        for (team, kpi_id), closing in _closings_before(span.start, gapped).items():
            previous[(span.code, team, kpi_id)] = closing
    result: dict[SumsKey, Sums] = {}
    for extent in extents:
        code = code_of[extent["bucket"]]
        span, team, kpi_id = span_of[code], extent["team_id"], extent["kpi_id"]
        edges = team_edges(
            span.start,
            span.end,
            days[(team, kpi_id, extent["first"])],
            days[(team, kpi_id, extent["last"])],
            previous.get((code, team, kpi_id)),
        )
        key = (code, group_of[team], kpi_id)
        result[key] = result[key] + edges if key in result else edges
    return result


def _day_bases(wanted: set[tuple[int, int, dt.date]]) -> dict[tuple[int, int, dt.date], DayBase]:
    """The bases of the given (team, KPI, day)s, channels added."""
    if not wanted:
        return {}
    found = (
        Measurement.objects.filter(
            team_id__in={t for t, _k, _d in wanted},
            kpi_id__in={k for _t, k, _d in wanted},
            date__in={d for _t, _k, d in wanted},
            closing__isnull=False,
        )
        .values("team_id", "kpi_id", "date")
        .order_by()
        .annotate(**_BASE_SUMS)
    )
    result: dict[tuple[int, int, dt.date], DayBase] = {}
    for row in cast("Iterable[dict[str, Any]]", found):
        key = (row["team_id"], row["kpi_id"], row["date"])
        if key in wanted:
            result[key] = DayBase(
                date=row["date"],
                opening=_d(row["s_opening"]) if row["s_opened"] else None,
                gained=_d(row["s_gained"]),
                lost=_d(row["s_lost"]),
                closing=_d(row["s_closing"]),
            )
    return result


def _closings_before(day: dt.date, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
    """Per (team, KPI): the closing base on the team's latest day with data before `day`."""
    if not pairs:
        return {}
    earlier = Measurement.objects.filter(
        team_id__in={t for t, _k in pairs}, kpi_id__in={k for _t, k in pairs}, date__lt=day, closing__isnull=False
    )
    latest = {
        (row["team_id"], row["kpi_id"]): row["latest"]
        for row in earlier.values("team_id", "kpi_id").order_by().annotate(latest=Max("date"))
        if (row["team_id"], row["kpi_id"]) in pairs
    }
    days = _day_bases({(t, k, d) for (t, k), d in latest.items()})
    return {(t, k): days[(t, k, d)].closing for (t, k), d in latest.items()}


def _with_last(sums: Sums, value: Decimal) -> Sums:
    return replace(sums, last=value)


def _day(value) -> dt.date:
    """A date from an aggregate over a CASE (SQLite returns it as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _d(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def rolled_up(
    sums: dict[SumsKey, Sums], period_code: str, teams: Iterable[int], code_by_id: dict[int, str]
) -> dict[str, Sums]:
    """Per KPI code: the sum of the given teams' raw sums in the period."""
    teams = teams if isinstance(teams, tuple | list) else list(teams)
    if len(teams) == 1:  # a team's own row (500 of them on the dashboard): a lookup per KPI, nothing to add
        only = teams[0]
        return {
            code: found
            for kpi_id, code in code_by_id.items()
            if (found := sums.get((period_code, only, kpi_id))) is not None
        }
    result: dict[str, Sums] = {}
    for kpi_id, code in code_by_id.items():
        parts = [found for team in teams if (found := sums.get((period_code, team, kpi_id))) is not None]
        if len(parts) == 1:
            result[code] = parts[0]
        elif parts:
            result[code] = total(parts)
    return result
