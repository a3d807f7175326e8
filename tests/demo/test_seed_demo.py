from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from culture.measurements import STANDARD_KPIS
from culture.models import Department, Kpi, Measurement, Membership, Person, Team
from users.models import User
from users.roles import Role, sync_role_groups

pytestmark = pytest.mark.django_db


def _org_fingerprint():
    return (
        list(Team.objects.order_by("slug").values_list("slug", "department__slug")),
        list(Person.objects.order_by("employee_number").values_list("employee_number", "name")),
        list(Membership.objects.order_by("person__employee_number", "start").values_list("team__slug", "role")),
    )


def test_seeds_a_company_with_a_login_per_role(capsys):
    call_command("seed_demo", months=1)
    out = capsys.readouterr().out
    assert Team.objects.count() == 40
    # 10 people in each of the 40 teams, and the demo's hires (each joined their position's team)
    assert Person.objects.filter(hiring_applications__isnull=True).count() == 400
    assert Person.objects.filter(hiring_applications__isnull=False).count() == 14
    assert Department.objects.filter(parent__isnull=True).count() == 4
    assert Membership.objects.current().filter(role=Membership.Role.LEAD).values("team").distinct().count() == 40
    assert Membership.objects.filter(end__isnull=False).exists(), "some people moved team"
    for email, role in [("cco@centric.demo", Role.CCO), ("hr@centric.demo", Role.HR), ("lead@centric.demo", Role.LEAD)]:
        assert User.objects.get(email=email).has_role(role)
        assert email in out
    assert "centric-demo" in out
    lead = User.objects.get(email="lead@centric.demo")
    assert Team.objects.led_by(lead).count() == 1


def _measurement_fingerprint():
    return list(Measurement.objects.order_by("team__slug", "kpi__code", "date").values_list("numerator", "value"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_seed_gives_same_company_and_measurements():
    call_command("seed_demo", teams=4, people_per_team=3, months=1, seed=7)
    first = (_org_fingerprint(), _measurement_fingerprint())
    assert first[1], "the seed wrote measurements"
    call_command("flush", interactive=False)
    sync_role_groups()
    for row in STANDARD_KPIS:
        Kpi.objects.update_or_create(code=row["code"], defaults={**row, "is_standard": True})
    call_command("seed_demo", teams=4, people_per_team=3, months=1, seed=7)
    assert (_org_fingerprint(), _measurement_fingerprint()) == first


def test_refuses_to_seed_twice_but_if_empty_skips_quietly(capsys):
    call_command("seed_demo", teams=3, people_per_team=3, months=1)
    with pytest.raises(CommandError, match="already has teams"):
        call_command("seed_demo", teams=3, people_per_team=3, months=1)
    call_command("seed_demo", teams=3, people_per_team=3, months=1, if_empty=True)
    assert "skipped" in capsys.readouterr().out
    assert Team.objects.count() == 3


def test_rejects_nonsense_sizes():
    with pytest.raises(CommandError):
        call_command("seed_demo", teams=0)


def test_standard_kpis_survive_the_flushing_test_above():
    assert Kpi.objects.filter(is_standard=True).count() == 12


def test_seeds_daily_measurements_for_every_team_and_standard_kpi():
    call_command("seed_demo", teams=3, people_per_team=2, months=2)
    days = Measurement.objects.values("date").distinct().count()
    assert days >= 55
    assert Measurement.objects.count() == 3 * 12 * days
    for m in Measurement.objects.filter(kpi__code="nps"):
        assert m.denominator == m.sample_size > 0
        assert abs(m.numerator) <= m.sum_squares <= m.sample_size  # promoters - detractors, promoters + detractors
    for m in Measurement.objects.filter(kpi__code="ces"):
        n = m.sample_size
        assert 1 <= m.value <= 7
        assert m.sum_squares >= m.value * m.value * n - Decimal("0.01")  # Cauchy-Schwarz: sum(x^2) >= n * mean^2
        assert m.sum_squares <= 49 * n
    gained = Measurement.objects.filter(kpi__code="customers_gained")
    assert all(m.value == m.value.to_integral_value() for m in gained)
