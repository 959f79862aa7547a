"""Copy each search token's site from its household, for the (token, site, person) index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_sites(apps, schema_editor):
    SearchToken = apps.get_model("registry", "SearchToken")
    Person = apps.get_model("registry", "Person")
    site = Person.objects.filter(pk=OuterRef("person_id")).values("household__site_id")[:1]
    SearchToken.objects.update(site_id=Subquery(site))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("registry", "0002_person_merged_into_alter_household_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchtoken",
            name="site",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.site",
            ),
        ),
        migrations.RunPython(copy_sites, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchtoken",
            name="site",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.site",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Set when this record was found to be a duplicate of another person.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.person",
            ),
        ),
        migrations.AddIndex(
            model_name="searchtoken",
            index=models.Index(fields=["token", "site", "person"], name="search_token_site"),
        ),
    ]
