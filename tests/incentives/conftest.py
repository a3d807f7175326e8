from __future__ import annotations

import datetime as dt

import pytest

from culture.models import Membership
from incentives import services
from tests.factories import MembershipFactory, PersonFactory, TeamFactory, UserFactory
from users.roles import Role

from .factories import ComponentFactory, FakeScorecards, PlanFactory, close_period_of


@pytest.fixture
def scorecards(monkeypatch):
    """Stand-in KPI actuals for incentives: set team/department/company lines in the test."""
    fake = FakeScorecards()
    monkeypatch.setattr("incentives.inputs._build_scorecards", fake)
    return fake


@pytest.fixture
def cco2(mfa_off):
    return UserFactory(email="cco2@example.com", roles=[Role.CCO])


@pytest.fixture
def org(team_a, team_b):
    """Team A (lead + employee from the shared fixtures' style) and Team B, and a mover A -> B on 10 Sept."""
    mover = PersonFactory(name="Mover")
    MembershipFactory(person=mover, team=team_a, start=dt.date(2025, 1, 1), end=dt.date(2026, 9, 10))
    MembershipFactory(person=mover, team=team_b, start=dt.date(2026, 9, 11))
    stayer = PersonFactory(name="Stayer")
    MembershipFactory(person=stayer, team=team_b, start=dt.date(2025, 1, 1))
    return {"mover": mover, "stayer": stayer}


@pytest.fixture
def plan(team_a, team_b):
    plan = PlanFactory(name="FCR bonus", teams=[team_a, team_b])
    ComponentFactory(plan=plan)
    return plan


def person_with_login(team, role, email):
    user = UserFactory(email=email, roles=[Role.LEAD if role == Membership.Role.LEAD else Role.EMPLOYEE])
    person = PersonFactory(user=user, name=email.split("@")[0])
    MembershipFactory(person=person, team=team, role=role)
    return user, person


@pytest.fixture
def other_team():
    return TeamFactory(name="Elsewhere", slug="elsewhere")


@pytest.fixture
def approved(cco, cco2, plan, org, team_a, team_b, scorecards):
    """An approved run of `plan` (prepared by cco, approved by cco2)."""
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="90")
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    close_period_of(plan)
    return services.approve_payout_run(run_id=run.pk, actor=cco2)
