from django.db import migrations


def load_catalogue(apps, schema_editor):
    from culture.measurements import STANDARD_KPIS

    Kpi = apps.get_model("culture", "Kpi")
    for row in STANDARD_KPIS:
        Kpi.objects.update_or_create(code=row["code"], defaults={**row, "is_standard": True})


class Migration(migrations.Migration):
    dependencies = [("culture", "0003_kpis_periods_targets")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
