"""Who sees which team and person: the `visible_to` scopes and their 404s over the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from culture.models import Membership, Person, Team
from tests.factories import MembershipFactory, PersonFactory

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
