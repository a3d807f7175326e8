"""SCIM tokens expire. Tokens issued before get a year from their creation (the new default lifetime), so a
token that has been in an identity provider for over a year stops working at once: issue a new one."""

import datetime as dt

from django.db import migrations, models


def expire_a_year_after_creation(apps, schema_editor):
    ScimToken = apps.get_model("scim", "ScimToken")
    for token in ScimToken.objects.all():
        token.expires_at = token.created_at + dt.timedelta(days=365)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("scim", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="scimtoken",
            name="expires_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="expires"),
        ),
        migrations.RunPython(expire_a_year_after_creation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scimtoken",
            name="expires_at",
            field=models.DateTimeField(editable=False, verbose_name="expires"),
        ),
    ]
