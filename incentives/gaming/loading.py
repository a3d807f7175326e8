"""The gaming detector's inputs from the database: one grouped query per signal, for all teams at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField as Bool
from django.db.models import Case, Count, Sum, Value, When

from culture.models import Kpi, Measurement, Team
from culture.models.kpis import Channel
from culture.scorecards import parse_period, previous_period

from ..inputs import CONTACTS_KPI, eligible_team_ids
from ..models import Component, Plan
from . import detector as d

_SETTING_NAMES = {
    "alpha": "ALPHA",
    "cluster_alpha": "CLUSTER_ALPHA",
    "cluster_band_sd": "CLUSTER_BAND_SD",
    "cluster_min_days": "CLUSTER_MIN_DAYS",
    "cluster_min_share": "CLUSTER_MIN_SHARE",
    "survey_drop_ratio": "SURVEY_DROP_RATIO",
    "survey_hold_ratio": "SURVEY_HOLD_RATIO",
    "aht_drop_pct": "AHT_DROP_PCT",
    "fcr_drop_points": "FCR_DROP_POINTS",
    "mix_shift_points": "MIX_SHIFT_POINTS",
    "mix_effect_points": "MIX_EFFECT_POINTS",
}


def thresholds_from_settings() -> d.Thresholds:
    """The detector's thresholds from `GAMING_SIGNALS` (missing keys keep the documented defaults)."""
    configured = getattr(settings, "GAMING_SIGNALS", {})
    return d.Thresholds(**{field: configured[name] for field, name in _SETTING_NAMES.items() if name in configured})


@dataclass(frozen=True)
class _Window:
    """The plan's period and the previous one: one date range, split by `is_now`."""

    start: dt.date
    now_start: dt.date
    end: dt.date

    def rows(self, **filters):
        """Measurements of both periods, annotated with `is_now`."""
        is_now = Case(When(date__gte=self.now_start, then=Value(True)), default=Value(False), output_field=Bool())
        return Measurement.objects.filter(date__gte=self.start, date__lte=self.end, **filters).annotate(is_now=is_now)


def _daily_value(kpi: Kpi, row: Mapping[str, Any]) -> float | None:
    """A day's value: scale x numerator / denominator for ratio KPIs, else the mean of the day's values."""
    if kpi.aggregation == Kpi.Aggregation.RATIO:
        return float(kpi.scale * row["num"] / row["den"]) if row["den"] else None
    return float(row["vsum"] / row["n"]) if row["n"] else None


_SUMS = {"vsum": Sum("value"), "n": Count("value"), "num": Sum("numerator"), "den": Sum("denominator")}


def _threshold_series(window: _Window, components: list[Component], team_ids: Iterable[int]) -> list[d.DailySeries]:
    """(a) one query: daily sums per team, KPI and day of the plan's period."""
    by_kpi = {c.kpi.pk: (c, c.kpi) for c in components if c.kpi is not None and c.level == Component.Level.TEAM}
    if not by_kpi:
        return []
    rows = (
        Measurement.objects.filter(
            date__gte=window.now_start, date__lte=window.end, kpi_id__in=by_kpi, team_id__in=team_ids
        )
        .values("team_id", "kpi_id", "date")
        .annotate(**_SUMS)
        .order_by("team_id", "kpi_id", "date")
    )
    days: dict[tuple[int, int], list[float]] = defaultdict(list)
    for row in rows:
        value = _daily_value(by_kpi[row["kpi_id"]][1], row)
        if value is not None:
            days[(row["team_id"], row["kpi_id"])].append(value)
    series = []
    for (team_id, kpi_id), values in days.items():
        component, kpi = by_kpi[kpi_id]
        series.append(
            d.DailySeries(team_id, kpi.code, float(component.threshold), component.lower_is_better, tuple(values))
        )
    return series


def _survey_volumes(window: _Window, survey_kpis: list[Kpi], covered: set[int] | None):
    """(b) one query: survey sample and contacts per team, KPI and period, for every active team."""
    rows = (
        window.rows(kpi__code__in=[k.code for k in survey_kpis] + [CONTACTS_KPI], team__is_active=True)
        .values("team_id", "kpi__code", "is_now")
        .annotate(sample=Sum("sample_size"), den=Sum("denominator"))
    )
    sums: dict[tuple[int, str, bool], int] = {}
    for row in rows:
        measured = row["sample"] if row["kpi__code"] != CONTACTS_KPI and row["sample"] else row["den"]
        sums[(row["team_id"], row["kpi__code"], row["is_now"])] = int(measured or 0)
    team_ids = {team_id for team_id, _, _ in sums}
    volumes = {}
    for kpi in survey_kpis:
        volumes[kpi.code] = tuple(
            d.SurveyVolume(
                team_id,
                covered is None or team_id in covered,
                sums.get((team_id, kpi.code, False), 0),
                sums.get((team_id, kpi.code, True), 0),
                sums.get((team_id, CONTACTS_KPI, False)),
                sums.get((team_id, CONTACTS_KPI, True)),
            )
            for team_id in sorted(team_ids)
            if (team_id, kpi.code, False) in sums
        )
    return volumes


def _service_trends(window: _Window, team_ids: Iterable[int], aht: str, repeat: str) -> list[d.ServiceTrend]:
    """(c) one query: daily handle time and FCR / repeat counts per team and period."""
    rows = (
        window.rows(kpi__code__in=[aht, CONTACTS_KPI, repeat], team_id__in=team_ids)
        .values("team_id", "kpi__code", "date", "is_now")
        .annotate(**_SUMS)
        .order_by("team_id", "date")
    )
    aht_days: dict[tuple[int, bool], list[float]] = defaultdict(list)
    counts: dict[tuple[int, str, bool], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        key = (row["team_id"], row["is_now"])
        if row["kpi__code"] == aht and row["n"]:
            aht_days[key].append(float(row["vsum"] / row["n"]))
        elif row["kpi__code"] != aht and row["den"]:
            total = counts[(row["team_id"], row["kpi__code"], row["is_now"])]
            total[0] += float(row["num"] or 0)
            total[1] += float(row["den"])

    def pair(team_id: int, code: str, is_now: bool) -> d.Counts | None:
        found = counts.get((team_id, code, is_now))
        return d.Counts(*found) if found else None

    return [
        d.ServiceTrend(
            team_id,
            tuple(aht_days.get((team_id, False), ())),
            tuple(aht_days.get((team_id, True), ())),
            pair(team_id, CONTACTS_KPI, False),
            pair(team_id, CONTACTS_KPI, True),
            pair(team_id, repeat, False),
            pair(team_id, repeat, True),
        )
        for team_id in sorted({team_id for team_id, _ in aht_days})
    ]


def _survey_mixes(window: _Window, survey_kpis: list[Kpi], team_ids: Iterable[int]) -> list[d.SurveyMix]:
    """(d) one query: survey sample and score per team, KPI, day and channel, both periods."""
    by_code = {k.code: k for k in survey_kpis}
    rows = (
        window.rows(kpi__code__in=list(by_code), team_id__in=team_ids)
        .values("team_id", "kpi__code", "date", "channel", "is_now")
        .annotate(sample=Sum("sample_size"), **_SUMS)
    )
    # cells[(team, kpi, dimension, is_now)][cell] = [sample, score_sum]
    cells: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    split_teams = {(r["team_id"], r["kpi__code"]) for r in rows if r["channel"] != Channel.ALL}
    for row in rows:
        kpi = by_code[row["kpi__code"]]
        score = _daily_value(kpi, row)
        weight = float(row["sample"] or row["den"] or 0)
        if score is None or weight <= 0:
            continue
        team_kpi = (row["team_id"], row["kpi__code"])
        is_split = row["channel"] != Channel.ALL
        dims = []
        if is_split:
            dims.append(("channel", row["channel"]))
        if is_split == (team_kpi in split_teams):
            dims.append(("weekday", str(row["date"].weekday())))  # "0" is Monday
        for dimension, cell in dims:
            total = cells[(*team_kpi, dimension, row["is_now"])][cell]
            total[0] += weight
            total[1] += weight * score
    mixes = []
    for (team_id, code, dimension, is_now), before in sorted(cells.items()):
        if is_now:
            continue
        now = cells.get((team_id, code, dimension, True), {})
        mixes.append(
            d.SurveyMix(
                team_id,
                code,
                dimension,
                {k: d.Cell(*v) for k, v in before.items()},
                {k: d.Cell(*v) for k, v in now.items()},
            )
        )
    return mixes


def load_inputs(*, plan: Plan) -> d.GamingInputs:
    """Everything the rules need for the plan's covered teams, its period and the previous one."""
    span = parse_period(plan.period.code)
    window = _Window(previous_period(span).start, span.start, span.end)
    config = getattr(settings, "GAMING_SIGNALS", {})
    aht, repeat = config.get("HANDLE_TIME_KPI", "aht"), config.get("REPEAT_KPI", "repeat_contact_rate")
    covered = eligible_team_ids(plan)
    team_ids = covered if covered is not None else set(Team.objects.filter(is_active=True).values_list("pk", flat=True))
    components = list(plan.components.select_related("kpi").filter(kpi__isnull=False))
    kpis = {c.kpi.code: c.kpi for c in components if c.kpi is not None}
    survey_kpis = [k for k in kpis.values() if k.survey]
    return d.GamingInputs(
        series=tuple(_threshold_series(window, components, team_ids)),
        volumes=_survey_volumes(window, survey_kpis, covered) if survey_kpis else {},
        trends=tuple(_service_trends(window, team_ids, aht, repeat)) if aht in kpis else (),
        aht_code=aht,
        mixes=tuple(_survey_mixes(window, survey_kpis, team_ids)) if survey_kpis else (),
    )
