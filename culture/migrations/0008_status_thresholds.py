"""One status rule: thresholds named by the band they start, and the "within noise" option.

`amber_threshold` becomes `on_track_from` and `red_threshold` becomes `off_track_from`, values kept.
Under the old rule a value at "amber from" was green and a value at "red from" was amber; under the new
one a value at "on track from" is on track and a value at "off track from" is off track. Keeping the
values therefore changes exactly one case: an actual exactly equal to the stored red threshold turns
from amber to red (off track). Every other actual keeps its status, including targets whose two
thresholds are equal (on track at the shared value, off track beyond it, as before).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("culture", "0007_targets_over_time")]

    operations = [
        migrations.RenameField("target", "amber_threshold", "on_track_from"),
        migrations.RenameField("target", "red_threshold", "off_track_from"),
        migrations.AlterField(
            "target",
            "on_track_from",
            models.DecimalField(decimal_places=4, max_digits=14, verbose_name="on track from"),
        ),
        migrations.AlterField(
            "target",
            "off_track_from",
            models.DecimalField(decimal_places=4, max_digits=14, verbose_name="off track from"),
        ),
        migrations.AddField(
            "target",
            "noise_by_interval",
            models.BooleanField(
                default=False, verbose_name="within noise when the interval straddles a threshold"
            ),
        ),
    ]
