"""Factories and a stand-in for the culture scorecard service (the one adapter's input)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import factory

from culture.models import Kpi, Period
from incentives.models import Component, Plan


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("code",)

    code = "2026-09"
    kind = "month"
    start = dt.date(2026, 9, 1)
    end = dt.date(2026, 9, 30)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Plan {n}")
    period = factory.SubFactory(PeriodFactory)
    reward_type = Plan.RewardType.CASH
    currency = "EUR"
    target_amount = Decimal("300.00")
    status = Plan.Status.ACTIVE

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if extracted:
            self.eligible_teams.set(extracted)


def kpi(code: str) -> Kpi:
    return Kpi.objects.get(code=code)


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    plan = factory.SubFactory(PlanFactory)
    kpi = factory.LazyFunction(lambda: kpi("fcr"))
    level = Component.Level.TEAM
    weight = Decimal(1)
    threshold = Decimal(70)
    target = Decimal(80)
    stretch = Decimal(90)


def line(actual, sample_size=None, denominator=None):
    return SimpleNamespace(
        actual=None if actual is None else Decimal(str(actual)),
        sample_size=sample_size,
        sums=SimpleNamespace(denominator=Decimal(denominator) if denominator is not None else Decimal(0)),
    )


class FakeScorecards:
    """Replaces `incentives.inputs._build_scorecards`: data[(level, id)] = {kpi_code: line(...)}."""

    def __init__(self):
        self.data: dict[tuple[str, int | None], dict] = {}
        self.composites: dict[tuple[str, int | None], Decimal] = {}
        self.calls = 0

    def set(self, level, object_id, **lines):
        self.data.setdefault((level, object_id), {}).update(
            {code: value if isinstance(value, SimpleNamespace) else line(value) for code, value in lines.items()}
        )

    def __call__(self, *, period_code, level="team", ids=None, kpi_codes=None, with_trend=True):
        self.calls += 1
        self.last_kwargs = {
            "period_code": period_code,
            "level": level,
            "ids": ids,
            "kpi_codes": kpi_codes,
            "with_trend": with_trend,
        }
        keys = [key for key in self.data if key[0] == level and (ids is None or key[1] in ids)]
        keys += [key for key in self.composites if key[0] == level and key not in keys]
        return {
            key[1]: SimpleNamespace(lines=self.data.get(key, {}), composite=self.composites.get(key)) for key in keys
        }


def close_period_of(plan) -> None:
    """Mark the plan's period closed (runs are approved only for a closed period); no snapshots needed here."""
    Period.objects.filter(pk=plan.period_id).update(status=Period.Status.CLOSED)
    plan.period.refresh_from_db()
