"""Segregation of duties on payout runs: contributors, fingerprints, closed periods, the approver role,
requests for approval and what is due (issue 14)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core import due
from core.models import Notification
from incentives import approvals, services
from incentives.models import Component, PayoutRun, RunContributor
from tests.factories import UserFactory
from users.roles import Role

from .factories import close_period_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(mfa_off):
    return UserFactory(email="finance@example.com", name="Finley Finance", roles=[Role.APPROVER])


@pytest.fixture
def actuals(scorecards, team_a, team_b):
    scorecards.set("team", team_a.pk, fcr="80")  # 100 % of target
    scorecards.set("team", team_b.pk, fcr="90")  # 150 % (stretch)
    return scorecards


def _prepared(plan, cco):
    run = services.create_payout_run(plan=plan, actor=cco)
    return services.calculate_payouts(run_id=run.pk, actor=cco)


def test_the_issue_story_second_cco_edits_an_override_recalculates_and_cannot_approve_alone(
    cco, cco2, finance, plan, org, actuals
):
    run = _prepared(plan, cco)
    # stayer: 300 x 150 % = 450.00; mover: 300 x 10/30 x 100 % + 300 x 20/30 x 150 % = 100.00 + 300.00 = 400.00
    assert run.total == D("850.00")
    services.set_override(plan=plan, person_id=org["stayer"].pk, target_amount=D("20000.00"), actor=cco2)
    run = services.calculate_payouts(run_id=run.pk, actor=cco2)
    assert run.total == D("30400.00")  # stayer 20000 x 150 % = 30000.00, plus the mover's 400.00
    close_period_of(plan)
    with pytest.raises(PermissionDenied, match="no hand in it"):
        services.approve_payout_run(run_id=run.pk, actor=cco2)
    kinds = set(run.contributors.filter(user=cco2).values_list("kind", flat=True))
    assert kinds == {RunContributor.Kind.CHANGED_RULES, RunContributor.Kind.RECALCULATED}
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.DRAFT
    approved = services.approve_payout_run(run_id=run.pk, actor=finance)  # someone with no hand in it
    assert approved.approved_by == finance


def test_whoever_changed_the_rules_before_the_run_existed_cannot_approve_it(cco, cco2, plan, org, actuals):
    component = plan.components.get()
    component.target = D("80")
    services.save_component(component=component, actor=cco2)  # an audited change, before any run
    run = _prepared(plan, cco)
    close_period_of(plan)
    assert run.contributors.filter(user=cco2, kind=RunContributor.Kind.CHANGED_RULES).exists()
    with pytest.raises(PermissionDenied):
        services.approve_payout_run(run_id=run.pk, actor=cco2)


def test_activating_a_plan_is_not_a_rule_change(cco, cco2, plan, org, actuals):
    plan.status = plan.Status.DRAFT
    plan.save()
    plan.status = plan.Status.ACTIVE
    services.save_plan(plan=plan, actor=cco2)
    run = _prepared(plan, cco)
    close_period_of(plan)
    assert services.approve_payout_run(run_id=run.pk, actor=cco2).status == PayoutRun.Status.APPROVED


def test_approval_refused_when_the_rules_changed_since_the_calculation(cco, cco2, finance, plan, org, actuals):
    run = _prepared(plan, cco)
    close_period_of(plan)
    services.set_override(plan=plan, person_id=org["stayer"].pk, target_amount=D("20000.00"), actor=cco2)
    with pytest.raises(ValidationError, match="recalculate first"):
        services.approve_payout_run(run_id=run.pk, actor=finance)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    assert services.approve_payout_run(run_id=run.pk, actor=finance).total == D("30400.00")


def test_approval_refused_when_the_actuals_changed_since_the_calculation(cco, finance, plan, org, actuals, team_b):
    run = _prepared(plan, cco)
    close_period_of(plan)
    before = run.fingerprint
    actuals.set("team", team_b.pk, fcr="85")
    with pytest.raises(ValidationError, match="recalculate first"):
        services.approve_payout_run(run_id=run.pk, actor=finance)
    run = services.calculate_payouts(run_id=run.pk, actor=cco)
    assert run.fingerprint != before
    services.approve_payout_run(run_id=run.pk, actor=finance)


def test_approval_refused_when_a_membership_changed(cco, finance, plan, org, actuals):
    run = _prepared(plan, cco)
    close_period_of(plan)
    membership = org["mover"].memberships.order_by("start").first()
    membership.end = membership.end.replace(day=5)
    membership.save()
    with pytest.raises(ValidationError, match="recalculate first"):
        services.approve_payout_run(run_id=run.pk, actor=finance)


def test_recalculating_unchanged_data_keeps_the_fingerprint(cco, plan, org, actuals):
    run = _prepared(plan, cco)
    first = run.fingerprint
    assert len(first) == 64
    assert services.calculate_payouts(run_id=run.pk, actor=cco).fingerprint == first
    assert approvals.current_fingerprint(run) == first


def test_approval_only_for_a_closed_period(cco, finance, plan, org, actuals):
    run = _prepared(plan, cco)
    with pytest.raises(ValidationError, match="closed period"):
        services.approve_payout_run(run_id=run.pk, actor=finance)
    close_period_of(plan)
    assert services.approve_payout_run(run_id=run.pk, actor=finance).status == PayoutRun.Status.APPROVED


def test_compensation_approver_approves_but_cannot_edit_plans(client, cco, finance, plan, org, actuals):
    assert finance.has_perm("incentives.approve_payoutrun")
    assert not finance.has_perm("incentives.change_plan")
    assert not finance.has_perm("incentives.add_plan")
    assert not finance.has_perm("incentives.add_payoutrun")
    client.force_login(finance)
    assert client.get(reverse("incentives:plan_update", args=[plan.pk])).status_code == 403
    assert client.get(reverse("incentives:plan_create")).status_code == 403
    assert client.post(reverse("incentives:override", args=[plan.pk]), {}).status_code == 403
    component = plan.components.get()
    url = reverse("incentives:component_update", args=[plan.pk, component.pk])
    assert client.post(url, {"target": "1"}).status_code == 403
    assert Component.objects.get(pk=component.pk).target == component.target
    assert client.post(reverse("incentives:run_create", args=[plan.pk])).status_code == 403
    assert not PayoutRun.objects.exists()


def test_request_approval_emails_approvers_and_lists_the_run_on_their_home(
    client, cco, cco2, finance, plan, org, actuals
):
    run = _prepared(plan, cco)
    assert due.due_for(finance) == []
    client.force_login(cco)
    response = client.post(reverse("incentives:run_request_approval", args=[run.pk]), follow=True)
    assert "Approval requested from 2 approver(s)." in response.content.decode()  # cco2 and finance, not cco
    recipients = set(Notification.objects.values_list("email", flat=True))
    assert recipients == {"finance@example.com", "cco2@example.com"}
    note = Notification.objects.get(email="finance@example.com")
    assert f"#{run.pk}" in note.subject
    assert reverse("incentives:run_approval", args=[run.pk]) in note.body
    items = [item for item in due.due_for(finance) if item.kind == "incentives.approve_run"]
    assert [item.url for item in items] == [reverse("incentives:run_approval", args=[run.pk])]
    assert not [item for item in due.due_for(cco) if item.kind == "incentives.approve_run"]  # the preparer
    client.force_login(finance)
    home = client.get(reverse("home")).content.decode()
    assert f"Approve payout run #{run.pk} of FCR bonus" in home
    client.force_login(cco)
    client.post(reverse("incentives:run_request_approval", args=[run.pk]))
    assert Notification.objects.count() == 2  # asking twice for the same calculation is one email each


def test_approval_pack_shows_totals_distribution_gates_and_who_had_a_hand(client, cco, finance, plan, org, actuals):
    run = _prepared(plan, cco)
    close_period_of(plan)
    client.force_login(finance)
    page = client.get(reverse("incentives:run_approval", args=[run.pk])).content.decode()
    assert "EUR 850.00" in page
    assert "prepared the run" in page
    assert "Approve this run" in page
    assert 'id="gaming-signals"' in page  # the plan's gaming signals are part of the pack (none in this data)
    client.force_login(cco)
    page = client.get(reverse("incentives:run_approval", args=[run.pk])).content.decode()
    assert "Approve this run" not in page
    assert "someone who had no hand in it must approve it" in page


def test_employee_cannot_open_the_approval_pack(client, plan, org, actuals, cco, team_a):
    from .conftest import person_with_login

    run = _prepared(plan, cco)
    user, _person = person_with_login(team_a, "member", "emp.a@example.com")
    client.force_login(user)
    assert client.get(reverse("incentives:run_approval", args=[run.pk])).status_code == 403


def test_an_approver_returns_a_run_to_its_preparer_with_a_reason(client, cco, finance, plan, org, actuals):
    run = _prepared(plan, cco)
    approvals.request_approval(run_id=run.pk, actor=cco)
    client.force_login(finance)
    url = reverse("incentives:run_return", args=[run.pk])
    response = client.post(url, {"reason": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()  # the form explains and keeps the page
    response = client.post(url, {"reason": "Team B's FCR looks too good: check the import."})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.approval_requested_at is None
    assert not [i for i in due.due_for(finance) if i.kind == "incentives.approve_run"]
    note = Notification.objects.get(email="cco@example.com")
    assert "Team B's FCR looks too good" in note.body
    with pytest.raises(ValidationError, match="awaiting approval"):
        approvals.return_run(run_id=run.pk, actor=finance, reason="again")
