"""The admin: closed-period data read-only, every change of domain data audited with before and after."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEntry
from culture.models import Period, Review
from tests.factories import DepartmentFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _review(status):
    period = Period.objects.create(
        code="2026-09", kind=Period.Kind.MONTH, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30), status=status
    )
    review = Review.objects.create(team=TeamFactory(), period=period, comment="Before")
    return review


def test_closed_period_review_cannot_be_changed_or_deleted_in_the_admin(admin_client):
    review = _review(Period.Status.CLOSED)
    url = reverse("admin:culture_review_change", args=[review.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    admin_client.post(url, {"team": review.team_id, "period": review.period_id, "comment": "After"})
    review.refresh_from_db()
    assert review.comment == "Before"
    assert admin_client.get(reverse("admin:culture_review_delete", args=[review.pk])).status_code == 403
    inline = page.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission and not inline.has_change_permission and not inline.has_delete_permission


def test_admin_change_of_a_team_is_audited_with_before_and_after(admin_client):
    team = TeamFactory(name="Old name")
    url = reverse("admin:culture_team_change", args=[team.pk])
    data = {"name": "New name", "slug": team.slug, "department": team.department_id, "is_active": "on"}
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="admin.change", object_type="culture.team", object_id=str(team.pk))
    assert entry.actor == admin_client.user
    assert entry.before["name"] == "Old name" and entry.after["name"] == "New name"


def test_admin_delete_of_a_department_is_audited(admin_client):
    department = DepartmentFactory()
    url = reverse("admin:culture_department_delete", args=[department.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action="admin.delete", object_type="culture.department")
    assert entry.before["slug"] == department.slug


def test_admin_change_of_a_person_is_audited_without_personal_data(admin_client):
    person = PersonFactory(name="Ada Example")
    url = reverse("admin:culture_person_change", args=[person.pk])
    data = {
        "name": "Ada Renamed",
        "email": person.email or "",
        "employee_number": person.employee_number or "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.get(action="admin.change", object_type="culture.person")
    assert entry.before["name"] == entry.after["name"] == "(personal data)"
    assert "Ada" not in str(entry.before) + str(entry.after)


def test_admin_change_of_a_membership_inline_is_audited_with_before_and_after(admin_client):
    """Memberships change in the admin only as the person's inline rows: each row's change is audited too."""
    from culture.models import Membership

    team, other = TeamFactory(), TeamFactory()
    person = PersonFactory(name="Ada Example")
    membership = Membership.objects.create(person=person, team=team, start=dt.date(2026, 1, 1))
    url = reverse("admin:culture_person_change", args=[person.pk])
    data = {
        "name": person.name,
        "email": person.email or "",
        "employee_number": person.employee_number or "",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-person": person.pk,
        "memberships-0-team": team.pk,
        "memberships-0-role": "lead",
        "memberships-0-start": "2026-01-01",
        "memberships-0-end": "2026-06-30",
        "memberships-1-person": person.pk,
        "memberships-1-team": other.pk,
        "memberships-1-role": "member",
        "memberships-1-start": "2026-07-01",
        "memberships-1-end": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    changed = AuditEntry.objects.get(action="admin.change", object_type="culture.membership")
    assert changed.actor == admin_client.user and changed.object_id == str(membership.pk)
    assert (changed.before["role"], changed.before["end"]) == ("member", None)
    assert (changed.after["role"], changed.after["end"]) == ("lead", "2026-06-30")
    added = AuditEntry.objects.get(action="admin.add", object_type="culture.membership")
    assert added.actor == admin_client.user and added.after["team"] == other.pk
