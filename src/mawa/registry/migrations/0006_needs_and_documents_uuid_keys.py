"""Specific needs and identity documents get UUIDv7 keys, so that rows made at a field node and
at headquarters can never share an id. Every existing row is kept (with a new key, in the order
of its old one) on SQLite and PostgreSQL alike: a new table, the rows copied, the old table
dropped and the new one renamed."""

import django.db.models.deletion
from django.db import migrations, models

import mawa.core.ids

BATCH = 5000


def _copy(model_name, fields):
    def copy(apps, schema_editor):
        old = apps.get_model("registry", model_name)
        new = apps.get_model("registry", f"{model_name}Keyed")
        rows = []
        for values in old.objects.order_by("id").values(*fields).iterator(chunk_size=BATCH):
            rows.append(new(id=mawa.core.ids.new_id(), **values))
            if len(rows) >= BATCH:
                new.objects.bulk_create(rows)
                rows = []
        new.objects.bulk_create(rows)

    return copy


def _keyed(name, fields):
    return migrations.CreateModel(
        name=f"{name}Keyed",
        fields=[
            (
                "id",
                models.UUIDField(
                    default=mawa.core.ids.new_id, editable=False, primary_key=True, serialize=False
                ),
            ),
            *fields,
            (
                "person",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="registry.person",
                ),
            ),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_searchtoken_no_db_constraints")]

    operations = [
        _keyed(
            "SpecificNeed",
            [
                (
                    "code",
                    models.CharField(
                        choices=[
                            ("CR", "Child at risk"),
                            ("SC", "Unaccompanied or separated child"),
                            ("WR", "Woman at risk"),
                            ("ER", "Older person at risk"),
                            ("SP", "Single parent"),
                            ("DS", "Disability"),
                            ("SM", "Serious medical condition"),
                            ("FU", "Family unity"),
                            ("SV", "Survivor of violence"),
                        ],
                        max_length=2,
                        verbose_name="specific need",
                    ),
                )
            ],
        ),
        _keyed(
            "IdentityDocument",
            [
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("national_id", "Unified national ID card"),
                            ("civil_id", "Civil status ID"),
                            ("nationality", "Nationality certificate"),
                            ("passport", "Passport"),
                            ("pds_card", "Public Distribution System ration card"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="document type",
                    ),
                ),
                ("number", models.CharField(max_length=40, verbose_name="document number")),
            ],
        ),
        migrations.RunPython(
            _copy("SpecificNeed", ["person_id", "code"]), migrations.RunPython.noop
        ),
        migrations.RunPython(
            _copy("IdentityDocument", ["person_id", "kind", "number"]), migrations.RunPython.noop
        ),
        migrations.DeleteModel(name="SpecificNeed"),
        migrations.DeleteModel(name="IdentityDocument"),
        migrations.RenameModel(old_name="SpecificNeedKeyed", new_name="SpecificNeed"),
        migrations.RenameModel(old_name="IdentityDocumentKeyed", new_name="IdentityDocument"),
        migrations.AlterField(
            model_name="specificneed",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="needs",
                to="registry.person",
            ),
        ),
        migrations.AlterField(
            model_name="identitydocument",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="documents",
                to="registry.person",
            ),
        ),
        migrations.AddConstraint(
            model_name="specificneed",
            constraint=models.UniqueConstraint(fields=("person", "code"), name="need_once"),
        ),
        migrations.AddIndex(
            model_name="identitydocument",
            index=models.Index(fields=["number"], name="document_number"),
        ),
    ]
