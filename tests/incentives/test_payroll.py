"""Adjustments need a second person (two above the limits) and count everywhere; payroll files are
recorded, immutable, and add up with lines + adjustments; reconcile_payouts checks it all (issue 14)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from incentives import services
from incentives.models import Adjustment, AdjustmentApproval, ImmutableRunError, PayoutLine, PayrollFile
from incentives.payroll import issue_payroll_file, reconcile_run
from tests.factories import UserFactory
from users.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(mfa_off):
    return UserFactory(email="finance@example.com", roles=[Role.APPROVER])


@pytest.fixture
def finance2(mfa_off):
    return UserFactory(email="finance2@example.com", roles=[Role.APPROVER])


def _draft(run, person, amount, actor, code="data_correction"):
    return services.add_adjustment(
        run_id=run.pk, person_id=person.pk, amount=D(amount), reason="late import", reason_code=code, actor=actor
    )


def test_drafter_cannot_approve_their_own_adjustment_and_a_draft_counts_nowhere(approved, cco, org):
    adjustment = _draft(approved, org["stayer"], "50.00", cco)
    assert adjustment.required_approvals == 1
    with pytest.raises(PermissionDenied, match="second person"):
        services.approve_adjustment(adjustment_id=adjustment.pk, actor=cco)
    assert approved.adjustments_total == D(0)
    assert approved.total_with_adjustments == approved.total == D("850.00")


def test_sums_of_adjustments_are_exact_where_floats_are_not(approved, cco, finance, org):
    # SQLite adds decimals as floats: 100.005 + -100.015 came back as -0.0100000000000051 (core.aggregates).
    for amount in ("100.005", "-100.015"):
        services.approve_adjustment(adjustment_id=_draft(approved, org["stayer"], amount, cco).pk, actor=finance)
    assert approved.adjustments_total == D("-0.01")
    assert approved.total_with_adjustments == D("849.99")
    line = PayoutLine.objects.with_adjustments().get(run=approved, person=org["stayer"])
    assert (line.adjusted, line.final_amount) == (D("-0.01"), D("449.99"))
    assert reconcile_run(approved).problems == ()


def test_one_other_approver_makes_it_count_in_run_total_statement_export_and_api(client, approved, cco, finance, org):
    adjustment = _draft(approved, org["stayer"], "50.00", cco)
    services.approve_adjustment(adjustment_id=adjustment.pk, actor=finance)
    with pytest.raises(ValidationError, match="already approved"):
        services.approve_adjustment(adjustment_id=adjustment.pk, actor=UserFactory(roles=[Role.CCO]))
    assert approved.adjustments_total == D("50.00")
    assert approved.total_with_adjustments == D("900.00")  # 850.00 lines + 50.00
    line = PayoutLine.objects.with_adjustments().get(run=approved, person=org["stayer"])
    assert (line.amount, line.adjusted, line.final_amount) == (D("450.00"), D("50.00"), D("500.00"))
    client.force_login(cco)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("incentives:run_detail", args=[approved.pk]), {"_export": "csv"}).getvalue().decode()
            )
        )
    )
    stayer = next(row for row in rows if row[1] == "Stayer")
    assert stayer[5:8] == ["450.00", "50.00", "500.00"]
    page = client.get(reverse("incentives:run_detail", args=[approved.pk])).content.decode()
    assert "EUR 900.00" in page and "EUR 850.00" in page
    api = APIClient()
    api.force_authenticate(cco)
    run_json = api.get(f"/api/v1/payout-runs/{approved.pk}/").json()
    assert (run_json["total"], run_json["adjustments_total"], run_json["total_with_adjustments"]) == (
        "850.000",
        "50.000",
        "900.000",
    )
    line_json = api.get(f"/api/v1/payout-lines/{line.pk}/").json()
    assert (line_json["amount"], line_json["adjustments"], line_json["total"]) == ("450.000", "50.000", "500.000")


def test_above_the_line_limit_two_approvers_are_needed(settings, approved, cco, finance, finance2, org):
    settings.CENTRIC_ADJUSTMENT_LINE_LIMIT = D("100")
    adjustment = _draft(approved, org["stayer"], "100.01", cco)
    assert adjustment.required_approvals == 2
    services.approve_adjustment(adjustment_id=adjustment.pk, actor=finance)
    assert approved.adjustments_total == D(0)  # one of two
    with pytest.raises(ValidationError, match="another person"):
        services.approve_adjustment(adjustment_id=adjustment.pk, actor=finance)
    services.approve_adjustment(adjustment_id=adjustment.pk, actor=finance2)
    assert approved.adjustments_total == D("100.01")
    assert _draft(approved, org["mover"], "-100.00", cco).required_approvals == 1  # at the limit: one


def test_above_the_run_limit_two_approvers_are_needed(settings, approved, cco, org):
    settings.CENTRIC_ADJUSTMENT_RUN_LIMIT = D("100")
    assert _draft(approved, org["stayer"], "60.00", cco).required_approvals == 1
    # |60| + |-60| = 120 > 100: small steps cannot walk around the run limit
    assert _draft(approved, org["stayer"], "-60.00", cco).required_approvals == 2


def test_the_issue_adjustment_of_minus_9999999_is_refused(approved, cco, org):
    with pytest.raises(ValidationError, match="below zero"):
        _draft(approved, org["stayer"], "-9999999", cco)
    assert not Adjustment.objects.exists()


def test_approver_may_not_draft_and_lead_may_not_approve(approved, cco, finance, lead_a, org):
    with pytest.raises(PermissionDenied):
        _draft(approved, org["stayer"], "5", finance)
    adjustment = _draft(approved, org["stayer"], "5", cco)
    with pytest.raises(PermissionDenied):
        services.approve_adjustment(adjustment_id=adjustment.pk, actor=lead_a)


def test_adjustment_approvals_are_append_only(approved, cco, finance, org):
    adjustment = _draft(approved, org["stayer"], "5", cco)
    approval = AdjustmentApproval.objects.create(adjustment=adjustment, approved_by=finance)
    with pytest.raises(ImmutableRunError):
        approval.delete()
    with pytest.raises(ImmutableRunError):
        AdjustmentApproval.objects.all().delete()


# --- payroll files ------------------------------------------------------------------------------
def _rows(payroll: PayrollFile) -> list[dict]:
    with payroll.file.open("rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode())))


def test_paying_issues_the_first_file_and_later_adjustments_go_into_the_next_as_changes(
    approved, cco, cco2, finance, org
):
    early = _draft(approved, org["stayer"], "50.00", cco)
    services.approve_adjustment(adjustment_id=early.pk, actor=finance)
    pending = _draft(approved, org["mover"], "-30.00", cco)  # not approved when paid: not in the first file
    services.mark_payout_run_paid(run_id=approved.pk, actor=cco2)
    first = PayrollFile.objects.get(run=approved)
    assert (first.sequence, first.rows, first.total, first.includes_lines) == (1, 3, D("900.00"), True)
    rows = _rows(first)
    # the lines (by employee number), then the adjustments approved by then as change rows
    assert {(r["person"], r["kind"], r["amount"]) for r in rows[:2]} == {
        ("Mover", "line", "400.00"),
        ("Stayer", "line", "450.00"),
    }
    assert (rows[2]["person"], rows[2]["kind"], rows[2]["amount"]) == ("Stayer", "change", "50.00")
    with pytest.raises(ValidationError, match="Nothing to pay"):
        issue_payroll_file(run_id=approved.pk, actor=cco2)
    services.approve_adjustment(adjustment_id=pending.pk, actor=finance)
    assert reconcile_run(approved).problems  # 870.00 owed, 900.00 filed... until the next file
    second = issue_payroll_file(run_id=approved.pk, actor=finance)
    assert (second.sequence, second.rows, second.total, second.includes_lines) == (2, 1, D("-30.00"), False)
    assert [(r["person"], r["kind"], r["amount"], r["reason_code"]) for r in _rows(second)] == [
        ("Mover", "change", "-30.00", "data_correction")
    ]
    result = reconcile_run(approved)
    assert result.problems == ()
    assert result.lines + result.adjustments == result.run_total == result.payroll_files == result.statements
    assert result.run_total == D("870.00")  # 850.00 + 50.00 - 30.00


def test_payroll_files_never_change_and_tampering_is_found(approved, cco2, org, capsys):
    org["stayer"].name = "=HYPERLINK(evil)"
    org["stayer"].save()
    services.mark_payout_run_paid(run_id=approved.pk, actor=cco2)
    payroll = PayrollFile.objects.get(run=approved)
    assert "'=HYPERLINK(evil)" in {row["person"] for row in _rows(payroll)}  # a spreadsheet will not run it
    payroll.rows = 99
    with pytest.raises(ImmutableRunError):
        payroll.save()
    with pytest.raises(ImmutableRunError):
        PayrollFile.objects.filter(pk=payroll.pk).update(rows=99)
    with pytest.raises(ImmutableRunError):
        payroll.delete()
    call_command("reconcile_payouts")
    assert "Every run reconciles to the cent." in capsys.readouterr().out
    storage, name = payroll.file.storage, str(payroll.file.name)
    storage.delete(name)
    storage.save(name, io.BytesIO(b"run,sequence,employee_number,person,kind,amount,currency,reason_code\n"))
    with pytest.raises(CommandError, match="1 run"):
        call_command("reconcile_payouts", str(approved.pk))
    assert "does not match its checksum" in capsys.readouterr().out


def test_payroll_file_download_is_for_finance_and_executives(client, approved, cco2, finance, lead_a):
    services.mark_payout_run_paid(run_id=approved.pk, actor=cco2)
    payroll = PayrollFile.objects.get(run=approved)
    client.force_login(lead_a)
    client.post(reverse("account_reauthenticate"), {"password": "pw-for-tests-1"})
    assert client.get(payroll.get_absolute_url()).status_code == 403
    client.force_login(finance)
    client.post(reverse("account_reauthenticate"), {"password": "pw-for-tests-1"})
    response = client.get(payroll.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"run,sequence,employee_number")


def test_issue_payroll_file_page_issues_the_next_file(client, approved, cco, cco2, finance, org):
    services.mark_payout_run_paid(run_id=approved.pk, actor=cco2)
    adjustment = _draft(approved, org["stayer"], "12.34", cco)
    services.approve_adjustment(adjustment_id=adjustment.pk, actor=finance)
    client.force_login(finance)
    response = client.post(reverse("incentives:payroll_file_issue", args=[approved.pk]), follow=True)
    assert f"payroll-run-{approved.pk}-2 issued: 1 rows." in response.content.decode()
    assert reconcile_run(approved).problems == ()


# --- the database itself (PostgreSQL triggers) --------------------------------------------------
def _refused(sql, params):
    from django.db import IntegrityError, connection, transaction

    with pytest.raises(IntegrityError, match="refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgresql
def test_database_refuses_changes_to_payroll_files_approvals_and_an_approved_runs_fingerprint(
    approved, cco, cco2, finance, org
):
    adjustment = _draft(approved, org["stayer"], "5", cco)
    services.approve_adjustment(adjustment_id=adjustment.pk, actor=finance)
    services.mark_payout_run_paid(run_id=approved.pk, actor=cco2)
    payroll = PayrollFile.objects.get(run=approved)
    _refused("UPDATE incentives_payrollfile SET total = 0 WHERE id = %s", [payroll.pk])
    _refused("DELETE FROM incentives_payrollfile WHERE id = %s", [payroll.pk])
    _refused("DELETE FROM incentives_payrollfile_adjustments WHERE payrollfile_id = %s", [payroll.pk])
    _refused("UPDATE incentives_adjustmentapproval SET approved_by_id = %s", [cco.pk])
    _refused("DELETE FROM incentives_adjustmentapproval WHERE adjustment_id = %s", [adjustment.pk])
    _refused("UPDATE incentives_payoutrun SET fingerprint = 'x' WHERE id = %s", [approved.pk])
    assert reconcile_run(approved).problems == ()


def test_pending_adjustments_are_due_for_approvers_in_a_fixed_number_of_queries(approved, cco, finance, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import due

    _draft(approved, org["stayer"], "5", cco)
    finance = type(finance).objects.get(pk=finance.pk)  # fresh: no cached roles or permissions
    with CaptureQueriesContext(connection) as one:
        items = [i for i in due.due_for(finance) if i.kind == "incentives.approve_adjustment"]
    assert [i.url for i in items] == [reverse("incentives:run_approval", args=[approved.pk])]
    assert not [i for i in due.due_for(cco) if i.kind == "incentives.approve_adjustment"]  # the drafter
    _draft(approved, org["mover"], "6", cco)
    _draft(approved, org["mover"], "7", cco)
    finance = type(finance).objects.get(pk=finance.pk)
    with CaptureQueriesContext(connection) as three:
        items = [i for i in due.due_for(finance) if i.kind == "incentives.approve_adjustment"]
    assert len(items) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
