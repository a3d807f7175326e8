"""Helpers for scorecard tests: periods, targets and measurements with readable defaults."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from culture.measurements.rollups import refresh_rows
from culture.models import Kpi, Measurement, Period, Target


def period(code: str = "2026-09", *, closed: bool = False) -> Period:
    row, _created = Period.objects.get_or_create_for_code(code)
    if closed and not row.is_closed:
        row.status = Period.Status.CLOSED
        row.save(update_fields=["status"])
    return row


def kpi(code: str) -> Kpi:
    return Kpi.objects.get(code=code)


def target(
    code: str, period_row: Period, target_value, amber, red, *, team=None, department=None, weight=1, min_sample=0
):
    return Target.objects.create(
        kpi=kpi(code),
        period=period_row,
        team=team,
        department=department,
        target_value=Decimal(str(target_value)),
        on_track_from=Decimal(str(amber)),
        off_track_from=Decimal(str(red)),
        weight=Decimal(str(weight)),
        min_sample=min_sample,
    )


def measure(team, code: str, day: dt.date | str, *, channel: str = "all", **values) -> Measurement:
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    clean = {
        k: (Decimal(str(v)) if k in {"value", "numerator", "denominator", "sum_squares"} else v)
        for k, v in values.items()
    }
    row = Measurement.objects.create(team=team, kpi=kpi(code), date=day, channel=channel, **clean)
    refresh_rows([row])  # what every write path does in its transaction
    return row


def nps_day(team, day, promoters: int, passives: int, detractors: int) -> Measurement:
    """A day of NPS as the survey import stores it: numerator = promoters - detractors, responses, squares."""
    responses = promoters + passives + detractors
    return measure(
        team,
        "nps",
        day,
        numerator=promoters - detractors,
        denominator=responses,
        sample_size=responses,
        sum_squares=promoters + detractors,
    )
