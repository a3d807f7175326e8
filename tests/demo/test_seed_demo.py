import pytest
from django.core.management import CommandError, call_command

from culture.models import Department, Membership, Person, Team
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
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert Team.objects.count() == 40
    assert Person.objects.count() == 400
    assert Department.objects.filter(parent__isnull=True).count() == 4
    assert Membership.objects.current().filter(role=Membership.Role.LEAD).values("team").distinct().count() == 40
    assert Membership.objects.filter(end__isnull=False).exists(), "some people moved team"
    for email, role in [("cco@centric.demo", Role.CCO), ("hr@centric.demo", Role.HR), ("lead@centric.demo", Role.LEAD)]:
        assert User.objects.get(email=email).has_role(role)
        assert email in out
    assert "centric-demo" in out
    lead = User.objects.get(email="lead@centric.demo")
    assert Team.objects.led_by(lead).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_seed_gives_same_company():
    call_command("seed_demo", teams=6, people_per_team=4, seed=7)
    first = _org_fingerprint()
    call_command("flush", interactive=False)
    sync_role_groups()
    call_command("seed_demo", teams=6, people_per_team=4, seed=7)
    assert _org_fingerprint() == first


def test_refuses_to_seed_twice_but_if_empty_skips_quietly(capsys):
    call_command("seed_demo", teams=3, people_per_team=3)
    with pytest.raises(CommandError, match="already has teams"):
        call_command("seed_demo", teams=3, people_per_team=3)
    call_command("seed_demo", teams=3, people_per_team=3, if_empty=True)
    assert "skipped" in capsys.readouterr().out
    assert Team.objects.count() == 3


def test_rejects_nonsense_sizes():
    with pytest.raises(CommandError):
        call_command("seed_demo", teams=0)


def test_standard_kpis_survive_the_flushing_test_above():
    from culture.models import Kpi

    assert Kpi.objects.filter(is_standard=True).count() == 12
