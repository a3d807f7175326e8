"""A plan with an approved or paid run keeps its rules: services, pages and the API refuse to change them."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEntry
from incentives import services
from incentives.models import Component, Plan

from .factories import ComponentFactory

pytestmark = pytest.mark.django_db


def _rules(plan):
    plan = Plan.objects.get(pk=plan.pk)
    components = list(Component.objects.filter(plan=plan).order_by("pk").values_list("kpi_id", "weight", "target"))
    teams = sorted(plan.eligible_teams.values_list("pk", flat=True))
    overrides = list(plan.overrides.values_list("person_id", "target_amount"))
    return plan.name, plan.target_amount, plan.currency, components, teams, overrides


def test_plan_is_locked_only_once_a_run_is_approved(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_a.pk, fcr="80")
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    assert not plan.is_locked  # a draft run may still change with its plan
    plan.target_amount = D("999.00")
    services.save_plan(plan=plan, actor=cco)
    assert Plan.objects.get(pk=plan.pk).target_amount == D("999.00")


def test_services_refuse_rule_changes_of_a_locked_plan(approved, cco, org, team_a):
    plan = approved.plan
    before = _rules(plan)
    changed = Plan.objects.get(pk=plan.pk)
    changed.target_amount = D("1.00")
    with pytest.raises(ValidationError, match="approved or paid payout run"):
        services.save_plan(plan=changed, actor=cco)
    with pytest.raises(ValidationError, match="approved or paid payout run"):
        services.set_plan_eligibility(plan=plan, teams=[team_a], departments=[], actor=cco)
    with pytest.raises(ValidationError, match="approved or paid payout run"):
        services.set_override(plan=plan, person_id=org["stayer"].pk, target_amount=D("5"), actor=cco)
    component = plan.components.get()
    component.weight = D("7")
    with pytest.raises(ValidationError, match="approved or paid payout run"):
        services.save_component(component=component, actor=cco)
    with pytest.raises(ValidationError, match="approved or paid payout run"):
        services.save_component(component=ComponentFactory.build(plan=plan, kpi=component.kpi), actor=cco)
    assert _rules(plan) == before


def test_a_locked_plan_may_still_be_closed(approved, cco):
    plan = Plan.objects.get(pk=approved.plan_id)
    teams = list(plan.eligible_teams.all())
    plan.status = Plan.Status.CLOSED
    services.save_plan(plan=plan, actor=cco)
    services.set_plan_eligibility(plan=plan, teams=teams, departments=[], actor=cco)  # unchanged: fine
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.CLOSED
    assert AuditEntry.objects.filter(action="plan.save", object_id=str(plan.pk)).exists()


def test_edit_page_of_a_locked_plan_shows_the_rules_disabled_and_saves_only_the_status(client, cco, approved):
    plan = approved.plan
    before = _rules(plan)
    client.force_login(cco)
    url = reverse("incentives:plan_update", args=[plan.pk])
    html = client.get(url).content.decode()
    assert "approved or paid payout run" in html
    assert re.search(r'<input[^>]*name="target_amount"[^>]* disabled', html)
    assert re.search(r'<select[^>]*name="eligible_teams"[^>]* disabled', html)
    assert '<select name="status" id="id_status">' in html  # the one field left to change
    posted = {
        "name": "Renamed",
        "period": plan.period_id,
        "reward_type": plan.reward_type,
        "currency": "USD",
        "target_amount": "1.00",
        "status": Plan.Status.CLOSED,
    }
    response = client.post(url, posted)
    assert response.status_code == 302
    assert _rules(plan) == before
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.CLOSED


def test_component_and_override_pages_of_a_locked_plan_send_back_with_the_reason(client, cco, approved, org):
    plan = approved.plan
    before = _rules(plan)
    component = plan.components.get()
    client.force_login(cco)
    pages = [
        reverse("incentives:component_create", args=[plan.pk]),
        reverse("incentives:component_update", args=[plan.pk, component.pk]),
        reverse("incentives:override", args=[plan.pk]),
    ]
    for url in pages:
        for response in (client.get(url), client.post(url, {"weight": "9", "target_amount": "5", "reason": "x"})):
            assert response.status_code == 302
            assert response["Location"] == plan.get_absolute_url()
            assert any("approved or paid payout run" in str(m) for m in get_messages(response.wsgi_request))
    assert _rules(plan) == before
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Add component" not in detail
    assert reverse("incentives:component_update", args=[plan.pk, component.pk]) not in detail
    assert "Change status" in detail


def test_api_cannot_change_a_locked_plan(cco, approved):
    api = APIClient()
    api.force_authenticate(cco)
    url = f"/api/v1/incentive-plans/{approved.plan_id}/"
    before = _rules(approved.plan)
    assert api.get(url).status_code == 200
    assert api.patch(url, {"target_amount": "1.00"}, format="json").status_code == 405
    assert api.put(url, {"name": "x"}, format="json").status_code == 405
    assert api.delete(url).status_code in (403, 405)  # no delete permission, and no delete route
    assert _rules(approved.plan) == before
