from django.db import migrations


def load_catalogue(apps, schema_editor):
    from culture.measurements.catalogue import catalogue_for

    Kpi = apps.get_model("culture", "Kpi")
    # The live catalogue as this historical model holds it: later fields left out, churn and retention
    # loaded as the ratios they were here (0009 moves them to the stock aggregations).
    for row in catalogue_for(Kpi):
        Kpi.objects.update_or_create(code=row["code"], defaults={**row, "is_standard": True})


class Migration(migrations.Migration):
    dependencies = [("culture", "0003_kpis_periods_targets")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
