"""Deterministic measurements, targets and reviews for document tests, visual checks and the PDF benches.

Each team gets one measurement per KPI per month (on the 15th; customer bases on the 1st) for the months
asked; values are a simple function of the team index and month, so expected figures can be computed by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from culture.measurements.rollups import refresh_rows
from culture.models import Kpi, Measurement, Period, Review, ReviewAction, Target, Team
from culture.scorecards import parse_period
from reports.services import save_value_model

# code -> (target, amber, red) at company level
TARGETS = {
    "nps": (40, 30, 20),
    "csat": (85, 80, 75),
    "fcr": (75, 70, 65),
    "retention_rate": (92, 90, 88),
    "churn_rate": (4, 5, 6),
    "aht": (300, 330, 360),
    "self_service_rate": (40, 35, 30),
}


def month_codes(last: str, count: int) -> list[str]:
    span = parse_period(last)
    year, month = span.start.year, span.start.month
    codes = []
    for _ in range(count):
        codes.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(codes))


def _rows(team: Team, index: int, month_index: int, day: dt.date, kpis: dict[str, Kpi]) -> list[Measurement]:
    i, m = index, month_index
    responses = 100 + 10 * i
    promoters = 45 + (i % 5) + m % 3
    detractors = 15 + (i % 4)
    contacts = 1000 + 50 * i
    start_customers = 2000 + 100 * i
    lost = 60 + (i % 7) - m % 2
    gained = 50 + (i % 6)

    def ratio(code, numerator, denominator, sample=None):
        return Measurement(
            team=team,
            kpi=kpis[code],
            date=day,
            channel="all",
            numerator=Decimal(numerator),
            denominator=Decimal(denominator),
            sample_size=sample,
            sum_squares=Decimal(numerator) if code == "nps" else None,
        )

    def value(code, amount, sample=None):
        return Measurement(
            team=team, kpi=kpis[code], date=day, channel="all", value=Decimal(amount), sample_size=sample
        )

    def base(code, opening, gained, lost):
        # The month's customer base on its first day (no gap: the base at the start is this opening), with
        # the month's flows; churn = lost / opening and retention = (closing - gained) / opening.
        return Measurement(
            team=team,
            kpi=kpis[code],
            date=day.replace(day=1),
            channel="all",
            opening=opening,
            gained=gained,
            lost=lost,
            closing=opening + gained - lost,
        )

    rows = [
        Measurement(
            team=team,
            kpi=kpis["nps"],
            date=day,
            channel="all",
            numerator=Decimal(promoters - detractors),
            denominator=Decimal(responses),
            sample_size=responses,
            sum_squares=Decimal(promoters + detractors),
        ),
        ratio("csat", responses * (80 + i % 8 + m % 2) // 100, responses, responses),
        ratio("fcr", contacts * (68 + i % 9) // 100, contacts),
        base("retention_rate", start_customers, gained, lost),
        base("churn_rate", start_customers, gained, lost),
        value("aht", 280 + 7 * (i % 9) + m),
        ratio("self_service_rate", contacts * (30 + i % 6 + m) // 100, contacts),
        value("customers_gained", gained),
        value("customers_lost", lost),
    ]
    return rows


def seed_measurements(teams: Sequence[Team], *, last_month: str = "2026-09", months: int = 13) -> list[str]:
    """One row per team, KPI and month for `months` months ending with `last_month`; returns the month codes."""
    kpis = {k.code: k for k in Kpi.objects.filter(code__in=[*TARGETS, "customers_gained", "customers_lost"])}
    codes = month_codes(last_month, months)
    rows = []
    for month_index, code in enumerate(codes):
        day = parse_period(code).start.replace(day=15)
        for index, team in enumerate(teams):
            rows += _rows(team, index, month_index, day, kpis)
    Measurement.objects.bulk_create(rows, batch_size=2000)
    refresh_rows(rows)
    return codes


def seed_targets(period_code: str) -> Period:
    period, _created = Period.objects.get_or_create_for_code(period_code)
    kpis = {k.code: k for k in Kpi.objects.filter(code__in=list(TARGETS))}
    Target.objects.bulk_create(
        Target(
            kpi=kpis[code],
            period=period,
            target_value=Decimal(t),
            on_track_from=Decimal(a),
            off_track_from=Decimal(r),
            weight=Decimal(1),
            min_sample=30 if code in ("nps", "csat") else 0,
        )
        for code, (t, a, r) in TARGETS.items()
    )
    return period


def seed_review(team: Team, period: Period, owner, *, kpi_code: str = "fcr") -> Review:
    review = Review.objects.create(
        team=team, period=period, comment="First contact resolution slipped after the tool change."
    )
    ReviewAction.objects.create(
        review=review,
        kpi=Kpi.objects.get(code=kpi_code),
        comment="New ticketing tool hides the customer history.",
        action="Restore the history panel and coach on it.",
        owner=owner,
        due_date=dt.date(2026, 10, 31),
    )
    return review


def seed_value_model(period_code: str = "2026-09"):
    """The board report's value model as the sample company's CCO would fill it in (EUR)."""
    return save_value_model(
        period_code=period_code,
        values={
            "currency": "EUR",
            "customers": 10000,
            "revenue_per_customer": Decimal("500.00"),
            "cost_per_assisted_contact": Decimal("6.00"),
            "cost_per_self_service_contact": Decimal("1.00"),
        },
        actor=None,
    )
