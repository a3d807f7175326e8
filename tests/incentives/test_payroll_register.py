"""Runs paid before payroll files were recorded: the register records what was paid (the lines) as file 1,
so the next file carries only the changes and nobody is paid twice; a paid run without any file is a
reconciliation problem (issue 14's payroll-file register)."""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from incentives import services
from incentives.models import Adjustment, PayoutLine, PayoutRun, PayrollFile
from incentives.payroll import issue_payroll_file, reconcile_run
from tests.factories import UserFactory
from users.roles import Role

pytestmark = pytest.mark.django_db
migration = importlib.import_module("incentives.migrations.0008_payroll_files_paid_before_register")


@pytest.fixture
def finance(mfa_off):
    return UserFactory(email="finance@example.com", roles=[Role.APPROVER])


def _paid_as_before_the_register(run: PayoutRun, actor) -> PayoutRun:
    """Paid as release 0.1.0 paid runs: status paid and no payroll file (paying now issues file 1 at once)."""
    run.status = PayoutRun.Status.PAID
    run.paid_by = actor
    run.paid_at = timezone.now()
    run.save(update_fields=["status", "paid_by", "paid_at"])
    return run


def _legacy_adjustment(run, person, amount, actor) -> Adjustment:
    """An adjustment recorded before approvals existed (required_approvals 0: it counts)."""
    return Adjustment.objects.create(
        run=run, person=person, amount=D(amount), reason="before approvals", required_approvals=0, created_by=actor
    )


def _rows(payroll: PayrollFile) -> list[dict]:
    with payroll.file.open("rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode())))


def _record_with_the_migration() -> list[int]:
    return migration.record_runs_paid_before_register(PayoutRun, PayrollFile, PayoutLine, AuditEntry)


def test_the_migration_itself_records_them_with_its_historical_models(settings, tmp_path, approved, cco2):
    settings.MEDIA_ROOT = tmp_path
    _paid_as_before_the_register(approved, cco2)
    state = MigrationLoader(connection).project_state(("incentives", "0008_payroll_files_paid_before_register"))
    migration.forwards(state.apps, None)
    opening = PayrollFile.objects.get(run=approved)
    assert (opening.sequence, opening.total, opening.before_register, opening.checksum) == (
        1,
        D("850.00"),
        True,
        hashlib.sha256(b"".join(opening.file.open("rb"))).hexdigest(),
    )
    assert reconcile_run(approved).problems == ()


def test_migration_records_the_lines_paid_and_the_next_file_carries_only_the_changes(
    settings, tmp_path, approved, cco, cco2, finance, org
):
    settings.MEDIA_ROOT = tmp_path
    run = _paid_as_before_the_register(approved, cco2)
    _legacy_adjustment(run, org["stayer"], "50.00", cco)
    assert reconcile_run(run).problems == ("paid, but no payroll file records what was paid",)

    assert _record_with_the_migration() == [run.pk]
    assert _record_with_the_migration() == []  # once: the run has its file now
    opening = PayrollFile.objects.get(run=run)
    assert (opening.sequence, opening.rows, opening.total) == (1, 2, D("850.00"))  # 400.00 + 450.00
    assert (opening.includes_lines, opening.before_register, opening.issued_by) == (True, True, cco2)
    assert {(r["person"], r["kind"], r["amount"]) for r in _rows(opening)} == {
        ("Mover", "line", "400.00"),
        ("Stayer", "line", "450.00"),
    }
    entry = AuditEntry.objects.get(action="payroll.record_paid_before_register", object_id=str(run.pk))
    assert entry.after == {"file": opening.pk, "rows": 2, "total": "850.00"}
    # the old export left the adjustment out: it is still owed, and reconciliation says so
    assert reconcile_run(run).problems == ("payroll files 850.000 != run total 900.000 (issue the next payroll file?)",)

    changes = issue_payroll_file(run_id=run.pk, actor=finance)
    assert (changes.sequence, changes.includes_lines, changes.before_register) == (2, False, False)
    assert [(r["person"], r["kind"], r["amount"]) for r in _rows(changes)] == [("Stayer", "change", "50.00")]
    result = reconcile_run(run)
    assert result.problems == ()
    assert result.lines + result.adjustments == result.run_total == result.payroll_files == D("900.00")


def test_without_the_migration_issuing_records_the_paid_lines_first_and_pays_no_line_twice(
    settings, tmp_path, approved, cco, cco2, finance, org
):
    settings.MEDIA_ROOT = tmp_path
    run = _paid_as_before_the_register(approved, cco2)
    _legacy_adjustment(run, org["mover"], "-30.00", cco)

    issued = issue_payroll_file(run_id=run.pk, actor=finance)

    opening, changes = PayrollFile.objects.filter(run=run).order_by("sequence")
    assert issued == changes
    assert (opening.before_register, opening.total, opening.issued_by) == (True, D("850.00"), finance)
    assert [(r["person"], r["kind"], r["amount"]) for r in _rows(changes)] == [("Mover", "change", "-30.00")]
    assert reconcile_run(run).problems == ()
    assert reconcile_run(run).payroll_files == D("820.00")


def test_a_run_paid_before_the_register_with_nothing_owed_issues_nothing(
    settings, tmp_path, approved, cco2, finance, org
):
    settings.MEDIA_ROOT = tmp_path
    run = _paid_as_before_the_register(approved, cco2)
    with pytest.raises(ValidationError, match="Nothing to pay"):
        issue_payroll_file(run_id=run.pk, actor=finance)
    assert not PayrollFile.objects.filter(run=run).exists()
    assert not list(tmp_path.rglob("*.csv"))  # checked before anything is written: no stray file in storage


def test_reconcile_payouts_fails_for_a_paid_run_without_a_payroll_file(approved, cco2, capsys):
    _paid_as_before_the_register(approved, cco2)
    with pytest.raises(CommandError, match="1 run"):
        call_command("reconcile_payouts", str(approved.pk))
    assert "paid, but no payroll file records what was paid" in capsys.readouterr().out


def test_the_run_page_marks_the_file_recorded_after_payment(settings, tmp_path, client, approved, cco, cco2):
    settings.MEDIA_ROOT = tmp_path
    _paid_as_before_the_register(approved, cco2)
    _record_with_the_migration()
    client.force_login(cco)
    page = client.get(reverse("incentives:run_detail", args=[approved.pk])).content.decode()
    assert f"payroll-run-{approved.pk}-1" in page
    assert "paid before payroll files were recorded; not sent again" in page


def test_paying_after_an_early_file_issues_the_adjustments_approved_since(
    settings, tmp_path, approved, cco, cco2, finance, org
):
    settings.MEDIA_ROOT = tmp_path
    early = issue_payroll_file(run_id=approved.pk, actor=finance)  # issued while approved, before payment
    adjustment = services.add_adjustment(
        run_id=approved.pk, person_id=org["stayer"].pk, amount=D("25.00"), reason="late import", actor=cco
    )
    services.approve_adjustment(adjustment_id=adjustment.pk, actor=finance)

    services.mark_payout_run_paid(run_id=approved.pk, actor=cco2)

    files = list(PayrollFile.objects.filter(run=approved).order_by("sequence"))
    assert [f.pk for f in files[:1]] == [early.pk] and len(files) == 2
    assert [(r["person"], r["kind"], r["amount"]) for r in _rows(files[1])] == [("Stayer", "change", "25.00")]
    result = reconcile_run(approved)
    assert result.problems == ()
    assert result.payroll_files == result.run_total == D("875.00")
