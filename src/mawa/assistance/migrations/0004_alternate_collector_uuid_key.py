"""Alternate collectors get UUIDv7 keys (a field node may name one when it issues a card): a
new table, every row copied in the order of its old key, the old table dropped, the new renamed;
the same on SQLite and PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

import mawa.core.ids


def copy(apps, schema_editor):
    old = apps.get_model("assistance", "AlternateCollector")
    new = apps.get_model("assistance", "AlternateCollectorKeyed")
    new.objects.bulk_create(
        new(id=mawa.core.ids.new_id(), **values)
        for values in old.objects.order_by("id").values("card_id", "name", "relation")
    )


class Migration(migrations.Migration):
    dependencies = [("assistance", "0003_offline_doubles")]

    operations = [
        migrations.CreateModel(
            name="AlternateCollectorKeyed",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=mawa.core.ids.new_id,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("relation", models.CharField(max_length=60, verbose_name="relation")),
                (
                    "card",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="assistance.rationcard",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="AlternateCollector"),
        migrations.RenameModel(old_name="AlternateCollectorKeyed", new_name="AlternateCollector"),
        migrations.AlterField(
            model_name="alternatecollector",
            name="card",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alternates",
                to="assistance.rationcard",
            ),
        ),
    ]
