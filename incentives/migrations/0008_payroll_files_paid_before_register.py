# Runs paid before payroll files were recorded (0007) have none: the first file issued for them would carry
# every line again, paying everyone twice. This records, for each, what was paid: its lines (the old export
# left adjustments out), as file 1 marked `before_register`; approved adjustments go into the next file.

import hashlib

from django.core.files.base import ContentFile
from django.db import migrations, models

REASON = (
    "Migration incentives 0008: the run was paid before payroll files were recorded; its lines are recorded "
    "as its first payroll file (adjustments were not in the old export: they go into the next file)."
)


def record_runs_paid_before_register(run_model, file_model, line_model, audit_model) -> list[int]:
    """Record file 1 (the lines) for every paid run without a payroll file; the runs recorded."""
    from incentives.payroll import payroll_content

    recorded = []
    runs = run_model.objects.filter(status="paid", payroll_files__isnull=True).order_by("pk")
    for run in runs:
        actor_id = run.paid_by_id or run.approved_by_id
        if actor_id is None:
            continue  # recorded when its next payroll file is issued (`issue_payroll_file`)
        lines = line_model.objects.filter(run_id=run.pk).select_related("person")
        lines = lines.order_by("person__employee_number", "person__name", "pk")
        rows = [(line.person.employee_number, line.person.name, "line", line.amount, "") for line in lines]
        content, amounts = payroll_content(run_id=run.pk, sequence=1, currency=run.currency, rows=rows)
        total = sum(amounts, 0)
        payroll = file_model(
            run_id=run.pk,
            sequence=1,
            checksum=hashlib.sha256(content).hexdigest(),
            rows=len(rows),
            total=total,
            includes_lines=True,
            before_register=True,
            issued_by_id=actor_id,
        )
        payroll.file.save(f"payroll-run-{run.pk}-1.csv", ContentFile(content), save=False)
        payroll.save()
        audit_model.objects.create(
            actor=None,
            action="payroll.record_paid_before_register",
            object_type="incentives.payoutrun",
            object_id=str(run.pk),
            before={},
            after={"file": payroll.pk, "rows": len(rows), "total": str(total)},
            reason=REASON,
        )
        recorded.append(run.pk)
    return recorded


def forwards(apps, schema_editor):
    record_runs_paid_before_register(
        apps.get_model("incentives", "PayoutRun"),
        apps.get_model("incentives", "PayrollFile"),
        apps.get_model("incentives", "PayoutLine"),
        apps.get_model("core", "AuditEntry"),
    )


class Migration(migrations.Migration):
    dependencies = [("incentives", "0007_consent_and_payroll_files"), ("core", "0003_audit_actor_protect")]

    operations = [
        migrations.AddField(
            model_name="payrollfile",
            name="before_register",
            field=models.BooleanField(
                default=False,
                help_text="Records the lines of a run paid before payroll files were recorded; never sent to payroll.",
                verbose_name="paid before the register",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
