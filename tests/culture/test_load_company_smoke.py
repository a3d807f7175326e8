"""The load test's 500-team company builder (`bench/load/company500.py`) on three teams, so that it cannot rot:
its leads lead their own team and see its scorecard for the browsed month, not another team's; 2025-10 is closed
and 2025-11 has targets. The full load is `make load LOAD_COMPANY=bench500`."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from bench.datagen import kpi_code, team_slug
from bench.load import company500
from culture.models import Kpi, Membership, Period, Target, Team
from tests.factories import DepartmentFactory
from users.models import User
from users.roles import Role, group_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_teams(mfa_off):
    department = DepartmentFactory(name="Bench dept 0", slug="bench-dept-0")
    for index in range(3):
        Team.objects.create(name=f"Bench team {index}", slug=team_slug(index), department=department)
    for index in range(2):
        Kpi.objects.create(
            code=kpi_code(index),
            name=f"Bench KPI {index}",
            definition="benchmark",
            category="efficiency",
            unit="percent",
            aggregation="ratio" if index % 2 == 0 else "mean",
            scale=100 if index % 2 == 0 else 1,
            decimals=1,
        )


def test_each_team_gets_a_lead_login_members_and_the_cco(bench_teams):
    assert company500.people(teams=3) == 12
    assert company500.people(teams=3) == 12  # a re-run starts afresh instead of failing on duplicates

    assert User.objects.filter(email__endswith="@centric.bench").count() == 7
    lead = User.objects.get(email=company500.lead_email(1))
    assert lead.check_password(company500.PASSWORD)
    assert list(lead.groups.values_list("name", flat=True)) == [group_name(Role.LEAD)]
    led = Membership.objects.current().get(person__user=lead)
    assert (led.team.slug, led.role) == (team_slug(1), Membership.Role.LEAD)
    member = User.objects.get(email=company500.member_email(2))
    assert list(member.groups.values_list("name", flat=True)) == [group_name(Role.EMPLOYEE)]
    assert Membership.objects.current().filter(team__slug=team_slug(2)).count() == 4
    cco = User.objects.get(email=company500.CCO_EMAIL)
    assert cco.groups.get() == Group.objects.get(name=group_name(Role.CCO))


def test_a_lead_browses_their_own_team_scorecard_of_the_open_month(bench_teams, client):
    company500.people(teams=3)
    company500.periods(User.objects.get(email=company500.CCO_EMAIL))

    assert Period.objects.get(code=company500.CLOSED_PERIOD).is_closed
    assert not Period.objects.get(code=company500.BROWSED_PERIOD).is_closed
    targets = Target.objects.filter(period__code=company500.BROWSED_PERIOD)
    assert sorted(targets.values_list("kpi__code", "target_value")) == [
        (kpi_code(0), Decimal(80)),
        (kpi_code(1), Decimal(80)),
    ]
    client.force_login(User.objects.get(email=company500.lead_email(1)))
    period = f"?period={company500.BROWSED_PERIOD}"
    assert client.get(f"/culture/scorecards/teams/{team_slug(1)}/{period}").status_code == 200
    assert client.get(f"/culture/scorecards/teams/{team_slug(2)}/{period}").status_code in (403, 404)
