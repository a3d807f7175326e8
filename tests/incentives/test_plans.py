"""Plan visibility, overrides, plan status and the admin's read-only plans."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEntry
from culture.models import Membership
from incentives import services
from incentives.models import Plan
from tests.factories import DepartmentFactory, TeamFactory, UserFactory
from users.roles import Role

from .conftest import person_with_login
from .factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_employee_sees_plans_of_their_team_department_ancestors_and_everyone_plans(team_a):
    parent = DepartmentFactory(name="Care")
    child = DepartmentFactory(name="Chat", parent=parent)
    team = TeamFactory(department=child)
    user, _person = person_with_login(team, Membership.Role.MEMBER, "e@example.com")
    by_parent = PlanFactory(name="By parent department")
    by_parent.eligible_departments.set([parent])
    everyone = PlanFactory(name="Everyone")
    elsewhere = PlanFactory(name="Elsewhere", teams=[team_a])
    visible = set(Plan.objects.visible_to(user))
    assert by_parent in visible
    assert everyone in visible
    assert elsewhere not in visible


def test_hr_and_anonymous_see_no_plans(recruiter, plan):
    from django.contrib.auth.models import AnonymousUser

    assert not Plan.objects.visible_to(AnonymousUser()).exists()
    assert not Plan.objects.visible_to(recruiter).exists()


def test_override_is_set_audited_and_removed(client, cco, plan, org):
    client.force_login(cco)
    number = org["stayer"].employee_number
    url = reverse("incentives:override", args=[plan.pk])
    response = client.post(url, {"employee_number": number, "target_amount": "150.00", "reason": "part-time"})
    assert response.status_code == 302
    assert plan.overrides.get().target_amount == D("150.00")
    assert AuditEntry.objects.filter(action="plan.override", reason="part-time").exists()
    client.post(url, {"employee_number": number, "target_amount": "", "reason": "full-time again"})
    assert not plan.overrides.exists()
    response = client.post(url, {"employee_number": "nobody", "target_amount": "1", "reason": "x"})
    assert "No person has this employee number." in response.content.decode()


def test_lead_cannot_set_overrides(client, lead_a, plan):
    client.force_login(lead_a)
    assert client.get(reverse("incentives:override", args=[plan.pk])).status_code == 403


@pytest.mark.parametrize("status", [Plan.Status.DRAFT, Plan.Status.CLOSED])
def test_only_active_plans_get_new_runs(cco, plan, status):
    plan.status = status
    plan.save()
    with pytest.raises(ValidationError):
        services.create_payout_run(plan=plan, actor=cco)


def test_plan_changes_are_audited(cco, plan):
    plan.target_amount = D("350.00")
    services.save_plan(plan=plan, actor=cco, reason="budget")
    entry = AuditEntry.objects.get(action="plan.save", object_id=str(plan.pk))
    assert entry.before["target_amount"] == "300.00"
    assert entry.after["target_amount"] == "350.00"


def test_admin_shows_plans_read_only(client, plan, mfa_off):
    admin = UserFactory(email="root2@example.com", is_staff=True, is_superuser=True, roles=[Role.ADMIN])
    client.force_login(admin)
    url = reverse("admin:incentives_plan_change", args=[plan.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"name": "Hacked", "target_amount": "1"})
    plan.refresh_from_db()
    assert plan.name == "FCR bonus"


def test_cco_what_if_defaults_to_a_covered_person(client, cco, plan, org, scorecards):
    client.force_login(cco)
    response = client.get(reverse("incentives:what_if", args=[plan.pk]))
    assert response.status_code == 200
    assert response.context["person"] in (org["mover"], org["stayer"])
