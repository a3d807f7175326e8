"""Org management in the app: departments and teams created, renamed, moved, merged, closed; leads set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEntry
from culture.models import Department, Membership, Period, Team
from culture.org.filtersets import DepartmentFilterSet
from culture.org.services import close_team, merge_teams, set_team_lead, update_department
from culture.scorecards.services import PeriodClosedError
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

OCT_1 = dt.date(2026, 10, 1)


def _memberships(team):
    return sorted(team.memberships.values_list("person__name", "role", "start", "end"))


def test_merge_moves_members_with_dates_and_closes_the_source(cco):
    old, new = TeamFactory(name="Old"), TeamFactory(name="New")
    anna = PersonFactory(name="Anna")
    MembershipFactory(person=anna, team=old, role="lead", start=dt.date(2025, 1, 1))
    merge_teams(source=old, target=new, effective=OCT_1, actor=cco)
    assert _memberships(old) == [("Anna", "lead", dt.date(2025, 1, 1), dt.date(2026, 9, 30))]
    assert _memberships(new) == [("Anna", "lead", OCT_1, None)]
    assert Team.objects.get(pk=old.pk).is_active is False
    assert AuditEntry.objects.get(action="team.merge").after["into"] == new.pk


def test_merge_into_a_closed_period_is_refused(cco):
    Period.objects.create(
        code="2026-09", kind="month", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30), status="closed"
    )
    with pytest.raises(PeriodClosedError):
        merge_teams(source=TeamFactory(), target=TeamFactory(), effective=dt.date(2026, 9, 15), actor=cco)


def test_new_lead_takes_over_and_the_old_lead_stays_a_member(cco):
    team = TeamFactory()
    old_lead, member = PersonFactory(name="Old lead"), PersonFactory(name="Member")
    MembershipFactory(person=old_lead, team=team, role="lead", start=dt.date(2025, 1, 1))
    MembershipFactory(person=member, team=team, start=dt.date(2025, 1, 1))
    set_team_lead(team=team, person=member, effective=OCT_1, actor=cco)
    assert _memberships(team) == [
        ("Member", "lead", OCT_1, None),
        ("Member", "member", dt.date(2025, 1, 1), dt.date(2026, 9, 30)),
        ("Old lead", "lead", dt.date(2025, 1, 1), dt.date(2026, 9, 30)),
        ("Old lead", "member", OCT_1, None),
    ]
    assert Membership.objects.current(OCT_1).filter(team=team, role="lead").get().person == member


def test_team_with_members_cannot_be_closed(cco):
    team = TeamFactory()
    MembershipFactory(team=team, start=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        close_team(team=team, on=OCT_1, actor=cco)


def test_department_cannot_move_under_its_own_sub_department(cco):
    top = DepartmentFactory()
    below = DepartmentFactory(parent=top)
    with pytest.raises(ValidationError):
        update_department(department=top, name=top.name, parent=below, actor=cco)


def test_department_filterset_searches_and_filters_active():
    DepartmentFactory(name="Service", slug="service")
    DepartmentFactory(name="Closed", slug="closed", is_active=False)
    assert [d.slug for d in DepartmentFilterSet({"q": "serv"}, Department.objects.all()).qs] == ["service"]
    assert [d.slug for d in DepartmentFilterSet({"is_active": "false"}, Department.objects.all()).qs] == ["closed"]


def test_org_pages_send_anonymous_users_to_login(client):
    team = TeamFactory(slug="t")
    for url in (reverse("culture:department_list"), reverse("culture:team_merge", args=[team.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_missing_team_or_department_reads_like_an_existing_one_until_the_checks_pass(client, lead_a, team_a):
    """The lookup comes after the login and permission checks: a refused visitor cannot probe slugs or ids."""
    missing = [
        reverse("culture:team_update", args=["no-such-team"]),
        reverse("culture:team_merge", args=["no-such-team"]),
        reverse("culture:department_update", args=[999999]),
    ]
    existing = [
        reverse("culture:team_update", args=[team_a.slug]),
        reverse("culture:team_merge", args=[team_a.slug]),
        reverse("culture:department_update", args=[team_a.department.pk]),
    ]
    for url in missing + existing:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    client.force_login(lead_a)
    assert {client.get(url).status_code for url in missing + existing} == {403}


def test_leads_may_not_manage_the_org(client, lead_a, team_a):
    client.force_login(lead_a)
    assert client.get(reverse("culture:department_list")).status_code == 403
    assert client.get(reverse("culture:team_create")).status_code == 403
    assert client.post(reverse("culture:team_close", args=[team_a.slug]), {"on": "2026-10-01"}).status_code == 403
    assert Team.objects.get(pk=team_a.pk).is_active is True


def test_cco_creates_a_department_and_a_team_then_renames_and_moves_it(client, cco):
    client.force_login(cco)
    response = client.post(reverse("culture:department_create"), {"name": "Service", "parent": ""})
    assert response.status_code == 302
    service = Department.objects.get(slug="service")
    other = DepartmentFactory(name="Commercial")
    response = client.post(reverse("culture:team_create"), {"name": "Support desk", "department": service.pk})
    assert response["Location"] == reverse("culture:team_detail", args=["support-desk"])
    client.post(reverse("culture:team_update", args=["support-desk"]), {"name": "Help desk", "department": other.pk})
    team = Team.objects.get(slug="support-desk")
    assert (team.name, team.department) == ("Help desk", other)
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "department.create",
        "team.create",
        "team.update",
    ]
    page = client.get(reverse("culture:department_list")).content.decode()
    assert "Service" in page and "Commercial" in page


def test_merge_page_asks_for_confirmation_then_merges(client, cco):
    client.force_login(cco)
    old, new = TeamFactory(name="Old", slug="old"), TeamFactory(name="New", slug="new")
    page = client.get(reverse("culture:team_merge", args=["old"])).content.decode()
    assert "Every member moves to the chosen team" in page
    response = client.post(reverse("culture:team_merge", args=["old"]), {"target": new.pk, "effective": "2026-10-01"})
    assert response["Location"] == new.get_absolute_url()
    assert Team.objects.get(pk=old.pk).is_active is False


def test_refused_close_shows_the_reason_on_the_page(client, cco):
    client.force_login(cco)
    team = TeamFactory(slug="busy")
    MembershipFactory(team=team, start=dt.date(2025, 1, 1))
    response = client.post(reverse("culture:team_close", args=["busy"]), {"on": "2026-10-01"})
    assert response.status_code == 200
    assert "merge it into another team instead" in response.content.decode()


def test_set_lead_page_sets_a_dated_lead(client, cco):
    client.force_login(cco)
    team = TeamFactory(slug="desk")
    person = PersonFactory()
    response = client.post(
        reverse("culture:team_lead", args=["desk"]), {"person": person.pk, "effective": "2026-10-01"}
    )
    assert response.status_code == 302
    assert team.memberships.get().role == "lead"
