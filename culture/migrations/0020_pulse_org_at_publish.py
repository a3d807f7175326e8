"""Each pulse keeps the org it was published into (team -> department chain), so its result groups never change
when teams or departments move later. Pulses published before this get today's tree: the best record there is,
and from now on it stays put."""

from django.db import migrations, models


def snapshot_existing(apps, schema_editor):
    Department = apps.get_model("culture", "Department")
    Pulse = apps.get_model("culture", "Pulse")
    parents = dict(Department.objects.values_list("pk", "parent_id"))

    def chain(department_id):
        nodes, node = [], department_id
        while node is not None and node not in nodes:
            nodes.append(node)
            node = parents.get(node)
        return nodes

    for pulse in Pulse.objects.prefetch_related("teams"):
        pulse.org_at_publish = {str(team.pk): chain(team.department_id) for team in pulse.teams.all()}
        pulse.save(update_fields=["org_at_publish"])


class Migration(migrations.Migration):
    dependencies = [
        ("culture", "0019_data_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="pulse",
            name="org_at_publish",
            field=models.JSONField(default=dict, editable=False, verbose_name="departments at publishing"),
        ),
        migrations.RunPython(snapshot_existing, migrations.RunPython.noop),
    ]
