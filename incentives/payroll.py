"""Payroll files (issue, read back) and the reconciliation of every run's money, to the cent.

A run's first payroll file carries its lines and the adjustments approved by then; each later file
carries the adjustments approved since, as change rows. Files are recorded with a SHA-256 checksum and
never change, so for every run: lines + approved adjustments = run total = sum of its payroll files =
sum of its statements.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.aggregates import MONEY, ExactSum
from core.audit import record
from core.exports import neutralise_cell
from core.money import round_money

from .models import Adjustment, PayoutLine, PayoutRun, PayrollFile

HEADER = ["run", "sequence", "employee_number", "person", "kind", "amount", "currency", "reason_code"]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


Row = tuple[str, str, str, Decimal, str]  # employee number, name, kind, amount, reason code


def line_rows(run: PayoutRun) -> list[Row]:
    """The run's lines as payroll rows, by employee number."""
    lines = run.lines.select_related("person").order_by("person__employee_number", "person__name", "pk")
    return [(line.person.employee_number, line.person.name, "line", line.amount, "") for line in lines]


def payroll_content(*, run_id: int, sequence: int, currency: str, rows: list[Row]) -> tuple[bytes, list[Decimal]]:
    """A payroll file's bytes (names formula-neutralised) and its rows' amounts, rounded to the currency."""
    amounts = [round_money(amount, currency) for *_rest, amount, _code in rows]
    content = _csv(
        [
            [
                str(run_id),
                str(sequence),
                neutralise_cell(number),
                neutralise_cell(name),
                kind,
                f"{amount:f}",
                currency,
                code,
            ]
            for (number, name, kind, _amount, code), amount in zip(rows, amounts, strict=True)
        ]
    )
    return content, amounts


def _record_file(run: PayoutRun, *, sequence: int, rows: list[Row], actor, before_register: bool = False):
    content, amounts = payroll_content(run_id=run.pk, sequence=sequence, currency=run.currency, rows=rows)
    payroll = PayrollFile(
        run=run,
        sequence=sequence,
        checksum=hashlib.sha256(content).hexdigest(),
        rows=len(rows),
        total=sum(amounts, Decimal(0)),
        includes_lines=sequence == 1,
        before_register=before_register,
        issued_by=actor,
    )
    payroll.file.save(f"payroll-run-{run.pk}-{sequence}.csv", ContentFile(content), save=False)
    payroll.save()
    return payroll


def record_paid_before_register(run: PayoutRun, actor) -> PayrollFile | None:
    """Record, as the run's first payroll file, the lines of a run paid before payroll files were recorded.

    Such a run was paid from its lines alone (the old export left adjustments out), so the record holds the
    lines and no adjustment: approved adjustments go into the next file as changes. Without it the next
    file would be the run's first and carry every line again: everyone paid twice. Never sent to payroll.
    """
    if run.status != PayoutRun.Status.PAID or run.payroll_files.exists():
        return None
    payroll = _record_file(run, sequence=1, rows=line_rows(run), actor=actor, before_register=True)
    record(
        actor=actor,
        action="payroll.record_paid_before_register",
        obj=run,
        after={"file": payroll.pk, "rows": payroll.rows, "total": payroll.total},
    )
    return payroll


def unfiled_adjustments(run: PayoutRun) -> QuerySet[Adjustment]:
    """The run's approved adjustments that no payroll file carries yet."""
    filed = PayrollFile.adjustments.through.objects.filter(payrollfile__run=run).values("adjustment_id")
    return Adjustment.objects.approved().filter(run=run).exclude(pk__in=filed)


@transaction.atomic
def issue_payroll_file(*, run_id: int, actor) -> PayrollFile:
    """Issue the run's next payroll file: the lines and approved adjustments first, then approved changes."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    if not actor.has_perm("incentives.pay_payoutrun"):
        raise PermissionDenied(_("You may not issue payroll files."))
    if not run.is_locked:
        raise ValidationError(_("Only an approved run is paid through payroll."))
    adjustments = list(unfiled_adjustments(run).select_related("person").order_by("pk"))
    paid_before_register = run.status == PayoutRun.Status.PAID and not run.payroll_files.exists()
    if (paid_before_register or run.payroll_files.exists()) and not adjustments:
        raise ValidationError(_("Nothing to pay: every approved adjustment is already in a payroll file."))
    if paid_before_register:  # its lines were paid already: record them (checked first, so no stray file)
        record_paid_before_register(run, actor)
    sequence = run.payroll_files.count() + 1
    rows: list[Row] = line_rows(run) if sequence == 1 else []
    rows.extend((a.person.employee_number, a.person.name, "change", a.amount, a.reason_code) for a in adjustments)
    payroll = _record_file(run, sequence=sequence, rows=rows, actor=actor)
    payroll.adjustments.set(adjustments)
    record(
        actor=actor,
        action="payroll.issue",
        obj=run,
        after={"file": payroll.pk, "sequence": sequence, "rows": payroll.rows, "total": payroll.total},
    )
    return payroll


def read_payroll_file(payroll: PayrollFile) -> tuple[bytes, Decimal]:
    """The stored bytes (checked against the recorded checksum) and the sum of their amounts."""
    with payroll.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != payroll.checksum:
        raise ValidationError(_("Payroll file %(name)s does not match its checksum.") % {"name": payroll})
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    return content, sum((Decimal(row["amount"]) for row in reader), Decimal(0))


# --- reconciliation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Reconciliation:
    """A run's money counted four ways; `problems` is empty when they agree to the cent."""

    run_id: int
    lines: Decimal
    adjustments: Decimal
    run_total: Decimal
    statements: Decimal
    payroll_files: Decimal | None  # None: no payroll file issued yet (draft or not yet paid)
    problems: tuple[str, ...]


def reconcile_run(run: PayoutRun) -> Reconciliation:
    """Lines + approved adjustments = run total (with adjustments) = statements = payroll files (when issued)."""
    lines = run.lines.aggregate(total=ExactSum("amount"))["total"] or Decimal(0)
    adjustments = run.adjustments_total
    run_total = run.total_with_adjustments
    statements = (
        PayoutLine.objects.filter(run=run)
        .with_adjustments()
        .aggregate(total=ExactSum("final_amount", output_field=MONEY))["total"]
    )
    statements = statements or Decimal(0)
    problems = []
    if lines != run.total:
        problems.append(f"lines {lines} != stored run total {run.total}")
    if lines + adjustments != run_total:
        problems.append(f"lines + adjustments {lines + adjustments} != run total {run_total}")
    if statements != run_total:
        problems.append(f"statements {statements} != run total {run_total}")
    unlined = Adjustment.objects.approved().filter(run=run).exclude(person_id__in=run.lines.values("person_id"))
    if unlined.exists():
        problems.append("approved adjustments for people without a line (no statement shows them)")
    files_total: Decimal | None = None
    files = list(run.payroll_files.order_by("sequence"))
    if run.status == PayoutRun.Status.PAID and not files:
        problems.append("paid, but no payroll file records what was paid")
    if files:
        files_total = Decimal(0)
        for payroll in files:
            try:
                _content, read_total = read_payroll_file(payroll)
            except ValidationError as error:
                problems.append(" ".join(error.messages))
                continue
            if read_total != payroll.total:
                problems.append(f"{payroll}: rows add up to {read_total}, recorded {payroll.total}")
            files_total += payroll.total
        if files_total != run_total:
            problems.append(f"payroll files {files_total} != run total {run_total} (issue the next payroll file?)")
    return Reconciliation(run.pk, lines, adjustments, run_total, statements, files_total, tuple(problems))
