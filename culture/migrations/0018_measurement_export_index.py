"""The measurement list's order as a covering index (issue 19): the CSV export reads it index-only on PostgreSQL.

It replaces the plain `date` index (date is its leading column, so date ranges still use it); on a big table
the build takes a while (12 s for 3.65M rows on the 2-core bench machine) and locks out writes meanwhile.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("culture", "0017_closing_frozen_inputs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="measurement",
            index=models.Index(
                fields=["-date", "-id"],
                include=(
                    "team",
                    "kpi",
                    "channel",
                    "value",
                    "numerator",
                    "denominator",
                    "sample_size",
                    "source",
                    "updated_at",
                ),
                name="measurement_export_order",
            ),
        ),
        migrations.RemoveIndex(
            model_name="measurement",
            name="culture_mea_date_7440f0_idx",
        ),
    ]
