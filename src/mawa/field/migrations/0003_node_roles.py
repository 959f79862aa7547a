"""A node is described by what it does: its roles. Nodes made before roles were distribution
points, and keep that role."""

from django.db import migrations, models


def distribution(apps, schema_editor):
    apps.get_model("field", "Node").objects.update(roles=["distribution"])
    apps.get_model("field", "ThisDatabase").objects.filter(kind="node").update(
        roles=["distribution"]
    )


class Migration(migrations.Migration):
    dependencies = [("field", "0002_field_merge")]

    operations = [
        migrations.AddField(
            model_name="node",
            name="roles",
            field=models.JSONField(default=list, verbose_name="roles"),
        ),
        migrations.AddField(
            model_name="thisdatabase",
            name="roles",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="node",
            name="cycles",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="assistance.cycle", verbose_name="cycles"
            ),
        ),
        migrations.AlterField(
            model_name="node",
            name="points",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="assistance.stocklocation",
                verbose_name="distribution points",
            ),
        ),
        migrations.RunPython(distribution, migrations.RunPython.noop),
    ]
