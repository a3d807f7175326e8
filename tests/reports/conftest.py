"""A registered test document kind, so the archive machinery is tested apart from the real documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from incentives.models import PayoutRun
from reports.documents import REGISTRY, BuiltDocument, DocumentKind, register
from tests.culture.scorecard_helpers import target
from tests.factories import PersonFactory
from tests.incentives.factories import PlanFactory

from .sample import seed_measurements, seed_review, seed_targets, seed_value_model


class Calls:
    def __init__(self) -> None:
        self.count = 0
        self.fail_with: Exception | None = None


@pytest.fixture
def demo_kind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    calls = Calls()

    def build(parameters, progress, stamp=None):
        calls.count += 1
        progress(50)
        if calls.fail_with:
            raise calls.fail_with
        return BuiltDocument(
            content=f"%PDF-demo {parameters['period']}".encode(), filename="demo.pdf", input_checksum="abc123"
        )

    register(
        DocumentKind(
            kind="demo",
            label="Demo",
            permission="",
            build=build,
            clean_parameters=lambda params: {"period": str(params["period"]).upper()},
            is_final=lambda params: params["period"].startswith("2025"),
        )
    )
    yield calls
    REGISTRY.pop("demo", None)


@pytest.fixture
def frozen_world(team_a, team_b, settings, tmp_path):
    """Two teams, 13 months of data, targets, a red KPI with its action and a value model; 2026-09 open."""
    settings.MEDIA_ROOT = tmp_path
    seed_measurements([team_a, team_b], last_month="2026-09", months=13)
    period = seed_targets("2026-09")
    seed_targets("2026-08")
    seed_targets("2025-09")
    target("nps", period, 50, 45, 40, team=team_a, min_sample=30)  # team A's NPS is red
    seed_review(team_a, period, PersonFactory(name="Ada Owner"), kpi_code="nps")
    seed_value_model()
    return period


@pytest.fixture
def board(frozen_world, cco):
    """`frozen_world` with incentive spend: the period's plan has a paid run of EUR 1,000.000 and a draft of
    EUR 999.000 that is not spent."""
    plan = PlanFactory(period=frozen_world)
    PayoutRun.objects.create(
        plan=plan,
        status="paid",
        currency="EUR",
        total=Decimal("1000.000"),
        approved_by=cco,
        approved_at=dt.datetime(2026, 10, 5, tzinfo=dt.UTC),
    )
    PayoutRun.objects.create(plan=plan, status="draft", currency="EUR", total=Decimal("999.000"))
    return frozen_world
