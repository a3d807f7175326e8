"""An approved run cannot change through any path: models, querysets, services, views, API, admin, commands."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from incentives import services
from incentives.models import Adjustment, ImmutableRunError, PayoutBreakdown, PayoutLine, PayoutRun, PayoutStint
from tests.factories import PersonFactory, UserFactory
from users.roles import Role

from .factories import close_period_of

pytestmark = pytest.mark.django_db


def _snapshot(run):
    run = PayoutRun.objects.get(pk=run.pk)
    lines = sorted(PayoutLine.objects.filter(run=run).values_list("person_id", "amount", "exact_amount"))
    stints = sorted(PayoutStint.objects.filter(breakdown__run=run).values_list("breakdown_id", "days", "exact_amount"))
    return run.status, run.total, run.line_count, lines, stints


# --- model and queryset paths -------------------------------------------------------------------
def test_run_save_and_delete_refuse(approved):
    approved.total = D("1.00")
    with pytest.raises(ImmutableRunError):
        approved.save()
    with pytest.raises(ImmutableRunError):
        approved.delete()


def test_reverting_an_approved_run_to_draft_refuses(approved):
    approved.status = PayoutRun.Status.DRAFT
    with pytest.raises(ImmutableRunError):
        approved.save(update_fields=["status"])


def test_queryset_update_and_delete_refuse(approved):
    before = _snapshot(approved)
    with pytest.raises(ImmutableRunError):
        PayoutRun.objects.filter(pk=approved.pk).update(total=0)
    with pytest.raises(ImmutableRunError):
        PayoutRun.objects.filter(pk=approved.pk).delete()
    with pytest.raises(ImmutableRunError):
        PayoutLine.objects.filter(run=approved).update(amount=0)
    with pytest.raises(ImmutableRunError):
        PayoutLine.objects.filter(run=approved).delete()
    with pytest.raises(ImmutableRunError):
        PayoutStint.objects.filter(breakdown__run=approved).update(days=1)
    with pytest.raises(ImmutableRunError):
        PayoutStint.objects.filter(breakdown__run=approved).delete()
    with pytest.raises(ImmutableRunError):
        PayoutBreakdown.objects.filter(run=approved).update(run=approved)
    with pytest.raises(ImmutableRunError):
        PayoutBreakdown.objects.filter(run=approved).delete()
    with pytest.raises(ImmutableRunError):
        PayoutBreakdown.objects.bulk_create([PayoutBreakdown(run=approved)])
    with pytest.raises(ImmutableRunError):
        PayoutBreakdown(run=approved).save()
    assert _snapshot(approved) == before


def test_line_and_stint_instances_refuse(approved):
    line = approved.lines.first()
    line.amount = D("999.00")
    with pytest.raises(ImmutableRunError):
        line.save()
    with pytest.raises(ImmutableRunError):
        line.delete()
    stint = line.stints.first()
    with pytest.raises(ImmutableRunError):
        stint.save()
    with pytest.raises(ImmutableRunError):
        PayoutLine.objects.bulk_create(
            [
                PayoutLine(
                    run=approved,
                    person=line.person,
                    team=line.team,
                    target_amount=1,
                    proration=1,
                    exact_amount=1,
                    amount=1,
                )
            ]
        )


def test_plan_of_an_approved_run_cannot_be_deleted(approved):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        approved.plan.delete()


def test_adjustments_are_append_only(approved, cco, org):
    adjustment = services.add_adjustment(
        run_id=approved.pk, person_id=org["stayer"].pk, amount=D("5"), reason="missed day", actor=cco
    )
    with pytest.raises(ImmutableRunError):
        adjustment.save()
    with pytest.raises(ImmutableRunError):
        Adjustment.objects.all().update(amount=1)
    with pytest.raises(ImmutableRunError):
        Adjustment.objects.all().delete()


# --- services -----------------------------------------------------------------------------------
def test_recalculating_or_deleting_an_approved_run_refuses(approved, cco):
    before = _snapshot(approved)
    with pytest.raises(ImmutableRunError):
        services.calculate_payouts(run_id=approved.pk, actor=cco)
    with pytest.raises(ImmutableRunError):
        services.delete_draft_run(run_id=approved.pk, actor=cco)
    assert _snapshot(approved) == before


def test_paid_is_the_only_change_and_it_keeps_lines(approved, cco2):
    before = _snapshot(approved)
    services.mark_payout_run_paid(run_id=approved.pk, actor=cco2)
    after = _snapshot(approved)
    assert after[0] == "paid"
    assert after[1:] == before[1:]


def test_task_run_twice_leaves_an_approved_run_alone(approved):
    from incentives.tasks import calculate_payouts_task

    before = _snapshot(approved)
    assert calculate_payouts_task(approved.pk) == "locked"
    assert calculate_payouts_task(approved.pk) == "locked"
    assert _snapshot(approved) == before


# --- views --------------------------------------------------------------------------------------
def test_recalculate_view_refuses_an_approved_run(client, cco, approved):
    before = _snapshot(approved)
    client.force_login(cco)
    response = client.post(reverse("incentives:run_recalculate", args=[approved.pk]), follow=True)
    assert "cannot be recalculated" in response.content.decode()
    assert _snapshot(approved) == before


# --- API ----------------------------------------------------------------------------------------
def test_api_is_read_only(cco, approved):
    api = APIClient()
    api.force_authenticate(cco)
    url = f"/api/v1/payout-runs/{approved.pk}/"
    assert api.get(url).status_code == 200
    before = _snapshot(approved)
    refused = {403, 405}  # no write permission is defined for the API; the viewsets have no write methods
    assert api.put(url, {"total": "0"}).status_code in refused
    assert api.patch(url, {"status": "draft"}).status_code in refused
    assert api.delete(url).status_code in refused
    line = approved.lines.first()
    assert api.patch(f"/api/v1/payout-lines/{line.pk}/", {"amount": "0"}).status_code in refused
    assert api.post("/api/v1/payout-lines/", {"amount": "0"}).status_code in refused
    assert _snapshot(approved) == before


def test_api_scopes_lines_to_the_user(lead_a, approved):
    api = APIClient()
    api.force_authenticate(lead_a)
    response = api.get("/api/v1/payout-lines/")
    assert response.status_code == 200
    assert {row["person"] for row in response.json()["results"]} <= set(
        PayoutLine.objects.visible_to(lead_a).values_list("person_id", flat=True)
    )


# --- admin --------------------------------------------------------------------------------------
def test_admin_cannot_change_or_delete_runs(client, approved, mfa_off):
    admin = UserFactory(email="root@example.com", is_staff=True, is_superuser=True, roles=[Role.ADMIN])
    client.force_login(admin)
    before = _snapshot(approved)
    change = reverse("admin:incentives_payoutrun_change", args=[approved.pk])
    assert client.get(change).status_code == 200  # view only
    client.post(change, {"status": "draft", "total": "0"})
    assert (
        client.post(reverse("admin:incentives_payoutrun_delete", args=[approved.pk]), {"post": "yes"}).status_code
        == 403
    )
    line = approved.lines.first()
    client.post(reverse("admin:incentives_payoutline_change", args=[line.pk]), {"amount": "0"})
    breakdown = reverse("admin:incentives_payoutbreakdown_change", args=[line.breakdown_id])
    page = client.get(breakdown)
    assert page.status_code == 200  # view only, with the stints' explanation
    assert escape(line.stints.first().components[0]["curve_point"]) in page.content.decode()
    client.post(breakdown, {"stints-0-days": "1"})
    assert _snapshot(approved) == before


# --- commands -----------------------------------------------------------------------------------
def test_command_refuses_an_approved_run(approved):
    before = _snapshot(approved)
    with pytest.raises(CommandError, match="approved"):
        call_command("calculate_payouts", str(approved.pk))
    assert _snapshot(approved) == before


def test_command_recalculates_a_draft(cco, plan, org, scorecards, capsys):
    run = services.create_payout_run(plan=plan, actor=cco)
    call_command("calculate_payouts", str(run.pk))
    assert "2 lines" in capsys.readouterr().out


# --- approval through the page: re-authentication, four eyes ------------------------------------
def _reauthenticate(client):
    client.post(reverse("account_reauthenticate"), {"password": "pw-for-tests-1"})


def test_approval_asks_for_reauthentication_first(client, cco, cco2, plan, org, scorecards):
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    close_period_of(plan)
    client.force_login(cco2)
    response = client.post(reverse("incentives:run_approve", args=[run.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.DRAFT
    _reauthenticate(client)
    client.post(reverse("incentives:run_approve", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.APPROVED
    assert run.approved_by == cco2


def test_preparer_cannot_approve_through_the_page(client, cco, plan, org, scorecards):
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    client.force_login(cco)
    _reauthenticate(client)
    response = client.post(reverse("incentives:run_approve", args=[run.pk]), follow=True)
    assert "someone who had no hand in it must approve it" in response.content.decode()
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.DRAFT


# --- the database itself (PostgreSQL triggers) --------------------------------------------------
def _refused(sql, params):
    from django.db import IntegrityError, connection, transaction

    with pytest.raises(IntegrityError, match="refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgresql
def test_database_refuses_raw_sql_changes_to_an_approved_run(approved, cco):
    adjustment = services.add_adjustment(
        run_id=approved.pk, person_id=approved.lines.first().person_id, amount=D("5"), reason="typo", actor=cco
    )
    before = _snapshot(approved)
    run = [approved.pk]
    breakdowns = "SELECT id FROM incentives_payoutbreakdown WHERE run_id = %s"
    _refused("UPDATE incentives_payoutline SET amount = 0 WHERE run_id = %s", run)
    _refused("DELETE FROM incentives_payoutline WHERE run_id = %s", run)
    _refused(
        "INSERT INTO incentives_payoutline (run_id, person_id, team_id, breakdown_id, target_amount, proration,"
        " exact_amount, amount) SELECT run_id, %s, team_id, breakdown_id, 1, 1, 1, 1"
        " FROM incentives_payoutline WHERE run_id = %s LIMIT 1",
        [PersonFactory(name="Newcomer").pk, approved.pk],
    )
    _refused(f"UPDATE incentives_payoutstint SET days = 1 WHERE breakdown_id IN ({breakdowns})", run)  # noqa: S608
    _refused(f"DELETE FROM incentives_payoutstint WHERE breakdown_id IN ({breakdowns})", run)  # noqa: S608
    _refused("DELETE FROM incentives_payoutbreakdown WHERE run_id = %s", run)
    _refused("UPDATE incentives_adjustment SET amount = 500 WHERE id = %s", [adjustment.pk])
    _refused("DELETE FROM incentives_adjustment WHERE id = %s", [adjustment.pk])
    _refused("UPDATE incentives_payoutrun SET total = 0 WHERE id = %s", run)
    _refused("UPDATE incentives_payoutrun SET status = 'draft' WHERE id = %s", run)
    _refused("DELETE FROM incentives_payoutrun WHERE id = %s", run)
    assert _snapshot(approved) == before
    assert Adjustment.objects.get(pk=adjustment.pk).amount == D("5.00")


@pytest.mark.postgresql
def test_database_lets_an_approved_run_be_paid_and_then_refuses_going_back(approved, cco2):
    paid = services.mark_payout_run_paid(run_id=approved.pk, actor=cco2)
    assert paid.status == PayoutRun.Status.PAID
    _refused("UPDATE incentives_payoutrun SET status = 'approved' WHERE id = %s", [paid.pk])
    _refused("UPDATE incentives_payoutrun SET paid_at = NULL WHERE id = %s", [paid.pk])


@pytest.mark.postgresql
def test_database_leaves_draft_runs_free_to_recalculate_and_delete(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="90")
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    assert run.lines.count() == 2
    services.delete_draft_run(run_id=run.pk, actor=cco)
    assert not PayoutRun.objects.filter(pk=run.pk).exists()
