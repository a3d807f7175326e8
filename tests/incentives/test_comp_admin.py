"""Compensation admin: "New plan", removing a draft component or run (asked first, audited), thresholds on the
KPI's scale, and the what-if's team-then-person picker that refuses people outside the plan."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from core.models import AuditEntry
from culture.models import Membership
from incentives import services
from incentives.forms import ComponentForm, kpi_value_range
from incentives.models import Component, PayoutRun
from tests.factories import MembershipFactory, PersonFactory

from .conftest import person_with_login
from .factories import ComponentFactory, kpi

pytestmark = pytest.mark.django_db


def test_plans_list_has_a_new_plan_button_for_who_may_add_plans(client, cco, plan):
    client.force_login(cco)
    html = client.get(reverse("incentives:plan_list")).content.decode()
    assert f'href="{reverse("incentives:plan_create")}">New plan</a>' in html


def test_a_lead_sees_no_new_plan_button(client, plan, team_a):
    lead, _person = person_with_login(team_a, Membership.Role.LEAD, "lead-list@example.com")
    client.force_login(lead)
    assert "New plan" not in client.get(reverse("incentives:plan_list")).content.decode()


def test_removing_a_component_asks_first_then_removes_it_audited(client, cco, plan):
    extra = ComponentFactory(plan=plan, kpi=kpi("nps"), threshold=10, target=20, stretch=40)
    url = reverse("incentives:component_delete", args=[plan.pk, extra.pk])
    client.force_login(cco)
    page = client.get(url)
    assert page.status_code == 200
    assert "Remove the component NPS from FCR bonus?" in page.content.decode()
    assert Component.objects.filter(pk=extra.pk).exists()  # asking changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not Component.objects.filter(pk=extra.pk).exists()
    entry = AuditEntry.objects.get(action="component.delete", object_id=str(extra.pk))
    assert entry.before is not None and D(str(entry.before["threshold"])) == 10


def test_a_locked_plans_component_cannot_be_removed(client, cco, approved, plan):
    component = plan.components.first()
    client.force_login(cco)
    response = client.post(reverse("incentives:component_delete", args=[plan.pk, component.pk]))
    assert response.status_code == 302
    assert Component.objects.filter(pk=component.pk).exists()
    assert not AuditEntry.objects.filter(action="component.delete").exists()


def test_deleting_a_draft_run_asks_first_then_deletes_it_audited(client, cco, plan, org, scorecards, team_a, team_b):
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="80")
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    client.force_login(cco)
    detail = client.get(run.get_absolute_url()).content.decode()
    assert reverse("incentives:run_delete", args=[run.pk]) in detail
    url = reverse("incentives:run_delete", args=[run.pk])
    assert "Delete draft run #" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not PayoutRun.objects.filter(pk=run.pk).exists()
    assert AuditEntry.objects.filter(action="payoutrun.delete", object_id=str(run.pk)).exists()


def test_an_approved_run_is_never_deleted(client, cco, approved):
    client.force_login(cco)
    url = reverse("incentives:run_delete", args=[approved.pk])
    assert client.get(url).status_code == 302
    client.post(url)
    assert PayoutRun.objects.filter(pk=approved.pk).exists()


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fcr", (0, 100)), ("nps", (-100, 100)), ("csat", (0, 100)), ("ces", (1, 7)), ("aht", (0, None))],
)
def test_kpi_scales(code, expected):
    low, high = kpi_value_range(kpi(code))
    assert (low, high) == tuple(None if v is None else D(v) for v in expected)


def _component_form(plan, code, **values):
    data = {
        "kpi": kpi(code).pk,
        "level": "team",
        "weight": "1",
        "threshold_payout_pct": "50",
        "stretch_payout_pct": "150",
        "cap_pct": "150",
        "position": "0",
        **values,
    }
    return ComponentForm(data=data, instance=Component(plan=plan))


def test_thresholds_outside_a_percent_kpis_scale_are_refused_on_the_field(plan):
    form = _component_form(plan, "fcr", threshold="150", target="175", stretch="200")
    assert not form.is_valid()
    assert form.errors["threshold"] == ["First-contact resolution runs from 0 to 100; 150 is outside that scale."]
    assert "stretch" in form.errors
    assert form["threshold"].value() == "150"  # the input is kept


def test_nps_accepts_negative_thresholds_within_its_scale(plan):
    assert _component_form(plan, "nps", threshold="-20", target="0", stretch="20").is_valid()
    form = _component_form(plan, "nps", threshold="-120", target="0", stretch="20")
    assert list(form.errors) == ["threshold"]


def test_the_component_page_shows_the_scale_error_and_keeps_the_input(client, cco, plan):
    client.force_login(cco)
    url = reverse("incentives:component_create", args=[plan.pk])
    data = {"kpi": kpi("csat").pk, "level": "team", "weight": "1", "threshold": "999999", "target": "85"}
    data |= {"stretch": "95", "threshold_payout_pct": "50", "stretch_payout_pct": "150", "cap_pct": "150"}
    response = client.post(url, data | {"position": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Customer satisfaction runs from 0 to 100; 999999 is outside that scale." in html
    assert 'value="999999"' in html


def test_what_if_picks_a_team_then_a_person_the_plan_covers(client, cco, plan, org, team_a, team_b, other_team):
    outsider = PersonFactory(name="Outsider")
    MembershipFactory(person=outsider, team=other_team)
    client.force_login(cco)
    url = reverse("incentives:what_if", args=[plan.pk])
    page = client.get(url)
    assert [t.name for t in page.context["teams"]] == ["Team A", "Team B"]  # the plan's teams only
    page = client.get(url, {"team": team_b.pk})
    assert sorted(p.name for p in page.context["people"]) == ["Mover", "Stayer"]
    page = client.get(url, {"team": team_b.pk, "person": org["stayer"].pk})
    assert page.context["person"] == org["stayer"]
    assert page.context["baseline"] is not None


def test_what_if_refuses_someone_outside_the_plan_with_a_message(client, cco, plan, org, other_team):
    outsider = PersonFactory(name="Outsider")
    MembershipFactory(person=outsider, team=other_team)
    client.force_login(cco)
    response = client.get(reverse("incentives:what_if", args=[plan.pk]), {"person": outsider.pk})
    assert response.status_code == 200
    assert response.context["baseline"] is None
    assert "That person is not covered by this plan (or not in that team)" in response.content.decode()
    response = client.get(reverse("incentives:what_if", args=[plan.pk]), {"person": "x1"})
    assert response.status_code == 200 and response.context["baseline"] is None


def test_what_if_validates_hypothetical_actuals_against_the_scale(client, cco, plan, org, team_b, scorecards):
    scorecards.set("team", team_b.pk, fcr="80")
    client.force_login(cco)
    component = plan.components.get()
    url = reverse("incentives:what_if", args=[plan.pk])
    response = client.post(url, {"team": team_b.pk, "person": org["stayer"].pk, f"c{component.pk}": "999999"})
    assert response.status_code == 200
    assert "result" not in response.context or response.context["result"] is None
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    ok = client.post(url, {"team": team_b.pk, "person": org["stayer"].pk, f"c{component.pk}": "90"})
    assert ok.context["result"].amount == D("450.00")
