from django.db import migrations


def load_catalogue(apps, schema_editor):
    from culture.measurements import STANDARD_KPIS

    Kpi = apps.get_model("culture", "Kpi")
    for row in STANDARD_KPIS:
        # The column held 5 characters here; 0006 widens it and moves churn and retention to the stock
        # aggregations, so this step keeps loading them as the ratios they were then.
        aggregation = row["aggregation"] if len(str(row["aggregation"])) <= 5 else "ratio"
        Kpi.objects.update_or_create(code=row["code"], defaults={**row, "aggregation": aggregation, "is_standard": True})


class Migration(migrations.Migration):
    dependencies = [("culture", "0003_kpis_periods_targets")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
