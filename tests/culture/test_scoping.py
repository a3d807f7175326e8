"""Who sees which team and person: the `visible_to` scopes and their 404s over the pages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culture.models import Membership, Person, Target, Team
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory

from .scorecard_helpers import period, target

pytestmark = pytest.mark.django_db


def test_lead_sees_only_teams_they_belong_to(lead_a, team_a, team_b):
    assert list(Team.objects.visible_to(lead_a)) == [team_a]


def test_executive_and_recruiter_see_every_team(cco, recruiter, team_a, team_b):
    assert set(Team.objects.visible_to(cco)) == {team_a, team_b}
    assert set(Team.objects.visible_to(recruiter)) == {team_a, team_b}


def test_anonymous_sees_nothing(team_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Team.objects.visible_to(AnonymousUser()).exists()
    assert not Person.objects.visible_to(AnonymousUser()).exists()


def test_lead_sees_current_members_of_led_team_but_not_former_ones(lead_a, team_a, team_b):
    current = MembershipFactory(team=team_a).person
    former = MembershipFactory(team=team_a, start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1)).person
    other = MembershipFactory(team=team_b).person
    visible = set(Person.objects.visible_to(lead_a))
    assert current in visible
    assert lead_a.person in visible
    assert former not in visible
    assert other not in visible


def test_employee_sees_only_themselves_among_people(employee_a, team_a):
    MembershipFactory(team=team_a)
    assert list(Person.objects.visible_to(employee_a)) == [employee_a.person]


def test_recruiter_sees_team_names_but_no_people(recruiter, team_a):
    MembershipFactory(team=team_a)
    assert not Person.objects.visible_to(recruiter).exists()


def test_lead_no_longer_leads_after_membership_ends(team_a, lead_a):
    Membership.objects.filter(person__user=lead_a).update(end=dt.date(2024, 6, 30))
    assert not Team.objects.visible_to(lead_a).exists()


def test_other_teams_page_is_404_for_lead(client, lead_a, team_b):
    client.force_login(lead_a)
    response = client.get(reverse("culture:team_detail", kwargs={"slug": team_b.slug}))
    assert response.status_code == 404


def test_own_team_page_shows_members_for_lead(client, lead_a, team_a):
    member = MembershipFactory(team=team_a, person=PersonFactory(name="Mina Member")).person
    client.force_login(lead_a)
    response = client.get(reverse("culture:team_detail", kwargs={"slug": team_a.slug}))
    assert response.status_code == 200
    assert member.name in response.content.decode()


def test_other_persons_page_is_404_for_employee(client, employee_a, team_a):
    colleague = MembershipFactory(team=team_a).person
    client.force_login(employee_a)
    assert client.get(reverse("culture:person_detail", kwargs={"pk": colleague.pk})).status_code == 404


def test_team_list_requires_login(client, team_a):
    response = client.get(reverse("culture:team_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_people_list_is_forbidden_for_recruiter(client, recruiter):
    client.force_login(recruiter)
    assert client.get(reverse("culture:person_list")).status_code == 403


def test_team_list_shows_lead_only_their_teams(client, lead_a, team_a, team_b):
    client.force_login(lead_a)
    body = client.get(reverse("culture:team_list")).content.decode()
    assert "Team A" in body
    assert "Team B" not in body


def test_team_page_lists_the_lead_first(client, cco, team_a):
    MembershipFactory(team=team_a, person=PersonFactory(name="Aaron Member"))
    MembershipFactory(team=team_a, person=PersonFactory(name="Zed Lead"), role=Membership.Role.LEAD)
    client.force_login(cco)
    memberships = client.get(reverse("culture:team_detail", kwargs={"slug": team_a.slug})).context[
        "current_memberships"
    ]
    assert [m.person.name for m in memberships] == ["Zed Lead", "Aaron Member"]


def test_lead_sees_the_targets_applying_to_their_team_and_not_another_teams(lead_a, employee_a, cco, team_a, team_b):
    team_a.department.parent = DepartmentFactory(name="Division")
    team_a.department.save()
    p = period("2026-09")
    company = target("fcr", p, 70, 65, 60)
    division = target("fcr", p, 71, 65, 60, department=team_a.department.parent)
    own_department = target("fcr", p, 72, 65, 60, department=team_a.department)
    own_team = target("fcr", p, 73, 65, 60, team=team_a)
    other_department = target("fcr", p, 74, 65, 60, department=team_b.department)
    other_team = target("fcr", p, 75, 65, 60, team=team_b)
    assert set(Target.objects.visible_to(lead_a)) == {company, division, own_department, own_team}
    assert set(Target.objects.visible_to(employee_a)) == {company, division, own_department, own_team}
    assert set(Target.objects.visible_to(cco)) == {
        company,
        division,
        own_department,
        own_team,
        other_department,
        other_team,
    }


def test_a_leads_target_list_is_scoped_and_its_queries_do_not_grow_with_teams(client, lead_a, team_a):
    p = period("2026-09")
    target("fcr", p, 73, 65, 60, team=team_a)
    client.force_login(lead_a)

    def queries() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("culture:target_list"))
        return len(ctx.captured_queries), [row.team for row in response.context["table"].data]

    few, rows = queries()
    for team in TeamFactory.create_batch(20):
        target("fcr", p, 75, 65, 60, team=team)
    many, rows_after = queries()
    assert rows == rows_after == [team_a]
    assert few == many <= 20
