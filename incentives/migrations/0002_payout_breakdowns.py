"""Stints belong to a breakdown shared by a run's lines with the same stints and target amount.

Existing lines each get a breakdown of their own holding their stints, so every statement reads as before.
"""

import django.db.models.deletion
from django.db import migrations, models


def one_breakdown_per_line(apps, schema_editor):
    PayoutLine = apps.get_model("incentives", "PayoutLine")
    PayoutBreakdown = apps.get_model("incentives", "PayoutBreakdown")
    PayoutStint = apps.get_model("incentives", "PayoutStint")
    lines = list(PayoutLine.objects.order_by("pk"))
    created = PayoutBreakdown.objects.bulk_create(PayoutBreakdown(run_id=line.run_id) for line in lines)
    by_line = {}
    for line, breakdown in zip(lines, created, strict=True):
        line.breakdown_id = by_line[line.pk] = breakdown.pk
    PayoutLine.objects.bulk_update(lines, ["breakdown"], batch_size=500)
    stints = list(PayoutStint.objects.all())
    for stint in stints:
        stint.breakdown_id = by_line[stint.line_id]
    PayoutStint.objects.bulk_update(stints, ["breakdown"], batch_size=500)
    _check_now(schema_editor)


def _check_now(schema_editor):
    """Check the deferred foreign keys now: PostgreSQL refuses ALTER TABLE while their checks are pending."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def stints_per_line(apps, schema_editor):
    """Back to one stint row per line: each line gets a copy of its breakdown's stints."""
    PayoutLine = apps.get_model("incentives", "PayoutLine")
    PayoutStint = apps.get_model("incentives", "PayoutStint")
    fields = ["team_id", "days", "proration", "gates_met", "exact_amount", "components"]
    shared = list(PayoutStint.objects.filter(line__isnull=True).order_by("pk"))
    by_breakdown = {}
    for stint in shared:
        by_breakdown.setdefault(stint.breakdown_id, []).append(stint)
    copies = [
        PayoutStint(line_id=line_id, **{name: getattr(stint, name) for name in fields})
        for line_id, breakdown_id in PayoutLine.objects.order_by("pk").values_list("pk", "breakdown_id")
        for stint in by_breakdown.get(breakdown_id, [])
    ]
    PayoutStint.objects.filter(pk__in=[s.pk for s in shared]).delete()
    PayoutStint.objects.bulk_create(copies, batch_size=500)
    _check_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("culture", "0005_scorecards_snapshots_reviews"),
        ("incentives", "0001_plans_runs"),
    ]

    operations = [
        migrations.CreateModel(
            name="PayoutBreakdown",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="breakdowns",
                        to="incentives.payoutrun",
                        verbose_name="run",
                    ),
                ),
            ],
            options={
                "verbose_name": "payout breakdown",
                "verbose_name_plural": "payout breakdowns",
                "ordering": ["pk"],
            },
        ),
        migrations.AddField(
            model_name="payoutline",
            name="breakdown",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="lines",
                to="incentives.payoutbreakdown",
                verbose_name="breakdown",
            ),
        ),
        migrations.AddField(
            model_name="payoutstint",
            name="breakdown",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stints",
                to="incentives.payoutbreakdown",
                verbose_name="breakdown",
            ),
        ),
        migrations.AlterField(
            model_name="payoutstint",
            name="line",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stints",
                to="incentives.payoutline",
                verbose_name="line",
            ),
        ),
        migrations.RunPython(one_breakdown_per_line, stints_per_line),
        migrations.RemoveIndex(model_name="payoutstint", name="incentives__team_id_417b14_idx"),
        migrations.RemoveField(model_name="payoutstint", name="line"),
        migrations.AlterField(
            model_name="payoutline",
            name="breakdown",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="lines",
                to="incentives.payoutbreakdown",
                verbose_name="breakdown",
            ),
        ),
        migrations.AlterField(
            model_name="payoutstint",
            name="breakdown",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stints",
                to="incentives.payoutbreakdown",
                verbose_name="breakdown",
            ),
        ),
        migrations.AddIndex(
            model_name="payoutstint",
            index=models.Index(fields=["team", "breakdown"], name="incentives__team_id_fab273_idx"),
        ),
        migrations.AlterField(
            model_name="payoutline",
            name="run",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="incentives.payoutrun",
                verbose_name="run",
            ),
        ),
    ]
