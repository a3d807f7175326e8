"""Demo measurements for `seed_demo`: daily figures per team and standard KPI, from a seeded RNG.

Each team has a customer base, a contact volume and a quality level; quality improves slowly over the
two years (the culture programme working), with weekly and yearly seasonality and day-to-day noise.
Survey KPIs come with sample sizes and sums of squares that a real response distribution could give.
The rows go through the import write path (`write_measurement_rows`), not row-by-row saves.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .rules import MeasurementRow

CENT = Decimal("0.01")
SIX = Decimal("0.000001")


@dataclass(frozen=True)
class TeamProfile:
    team_id: int
    customers: int  # base at the start of the history
    contacts: int  # contacts on an ordinary weekday
    quality: float  # -1 (struggling) .. 1 (excellent)
    survey_rate: float  # share of contacts answering a survey


def profile_teams(rng: random.Random, team_ids: list[int]) -> list[TeamProfile]:
    return [
        TeamProfile(
            team_id=team_id,
            customers=rng.randint(2_000, 20_000),
            contacts=rng.randint(150, 900),
            quality=max(-1.0, min(1.0, rng.gauss(0, 0.45))),
            survey_rate=rng.uniform(0.03, 0.08),
        )
        for team_id in team_ids
    ]


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """A binomial draw (normal approximation, clipped): exact enough for demo data and fast."""
    p = min(max(p, 0.0), 1.0)
    if n <= 0:
        return 0
    return min(n, max(0, round(n * p + rng.gauss(0, math.sqrt(n * p * (1 - p))))))


def _ces_tally(rng: random.Random, n: int, mean: float) -> tuple[int, int]:
    """Sum and sum of squares of n CES answers (1-7) around `mean`, drawn from a discretised normal."""
    total = squares = 0
    for _ in range(n):
        score = min(7, max(1, round(rng.gauss(mean, 1.2))))
        total += score
        squares += score * score
    return total, squares


def iter_demo_rows(
    *, rng: random.Random, profiles: list[TeamProfile], kpi_ids: dict[str, int], start: dt.date, end: dt.date
) -> Iterator[MeasurementRow]:
    """Every team, every standard KPI, every day from `start` to `end` (inclusive), channel `all`."""
    days = (end - start).days + 1
    for team in profiles:
        customers = team.customers
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            progress = offset / max(days - 1, 1)  # 0 -> 1 over the history: the programme's effect
            season = 1 + 0.15 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 350) / 365)  # December peak
            weekday = 0.45 if day.weekday() >= 5 else 1.0
            q = team.quality + 0.35 * progress
            contacts = max(1, round(team.contacts * season * weekday * rng.uniform(0.85, 1.15)))
            responses = max(1, round(contacts * team.survey_rate * rng.uniform(0.7, 1.3)))

            key = (team.team_id, day)

            def row(code, *, value=None, numerator=None, denominator=None, sample=None, squares=None, base=(), _k=key):
                team_id, day_ = _k
                return MeasurementRow(
                    team_id, kpi_ids[code], day_, "all", value, numerator, denominator, sample, squares, *base
                )

            promoters = _binomial(rng, responses, 0.42 + 0.12 * q)
            detractors = _binomial(rng, responses - promoters, (0.22 - 0.08 * q) / (0.58 - 0.12 * q))
            yield row(
                "nps",
                numerator=Decimal(promoters - detractors),
                denominator=Decimal(responses),
                sample=responses,
                squares=Decimal(promoters + detractors),
            )
            satisfied = _binomial(rng, responses, 0.76 + 0.08 * q)
            yield row(
                "csat",
                numerator=Decimal(satisfied),
                denominator=Decimal(responses),
                sample=responses,
                squares=Decimal(satisfied),
            )
            ces_n = max(1, responses // 2)
            total, squares = _ces_tally(rng, ces_n, 5.0 + 0.5 * q)
            yield row(
                "ces",
                value=(Decimal(total) / ces_n).quantize(SIX),
                numerator=Decimal(total),
                denominator=Decimal(ces_n),
                sample=ces_n,
                squares=Decimal(squares),
            )
            resolved = _binomial(rng, contacts, 0.70 + 0.06 * q)
            yield row("fcr", numerator=Decimal(resolved), denominator=Decimal(contacts))
            handle = max(60.0, (430 - 60 * q) * (1 + 0.05 * (season - 1)) * rng.uniform(0.9, 1.1))
            yield row("aht", value=Decimal(round(handle)), sample=contacts)
            self_served = _binomial(rng, contacts, 0.24 + 0.05 * q + 0.06 * progress)
            yield row("self_service_rate", numerator=Decimal(self_served), denominator=Decimal(contacts))
            cost = contacts * (5.2 - 0.6 * q - 0.4 * progress) * rng.uniform(0.92, 1.08)
            yield row("cost_per_contact", numerator=Decimal(cost).quantize(CENT), denominator=Decimal(contacts))
            buyers = max(1, round(customers * 0.012 * weekday * season))
            repeat = _binomial(rng, buyers, 0.31 + 0.05 * q)
            yield row("repeat_purchase_rate", numerator=Decimal(repeat), denominator=Decimal(buyers))
            lost = _binomial(rng, customers, (0.00055 - 0.00012 * q) * season)
            gained = _binomial(rng, customers, 0.0006 + 0.0001 * q + 0.0001 * progress)
            # About 1.2-2.2 % of a team's customers leave a month (seasonal, fewer in better teams); the day's
            # base balances (opening + gained - lost = closing) and the next day opens where this one closed.
            closing = customers + gained - lost
            base = (customers, gained, lost, closing)
            yield row("churn_rate", base=base)
            yield row("retention_rate", base=base)
            yield row("customers_gained", value=Decimal(gained))
            yield row("customers_lost", value=Decimal(lost))
            customers = closing


def seed_measurements(*, rng: random.Random, team_ids: list[int], start: dt.date, end: dt.date) -> int:
    """Write the demo measurements through the fast write path; returns the number of rows."""
    from ..models import Kpi
    from .catalogue import STANDARD_KPIS
    from .services import write_measurement_rows

    for kpi in STANDARD_KPIS:  # migration 0004 loads them; a flushed database has lost them
        Kpi.objects.get_or_create(code=kpi["code"], defaults={**kpi, "is_standard": True})
    kpi_ids = dict(Kpi.objects.filter(is_standard=True).values_list("code", "pk"))
    rows = iter_demo_rows(rng=rng, profiles=profile_teams(rng, team_ids), kpi_ids=kpi_ids, start=start, end=end)
    counts = write_measurement_rows(rows=rows, source="command")
    return counts.total
