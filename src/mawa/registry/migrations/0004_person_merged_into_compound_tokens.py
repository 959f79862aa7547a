"""Person.merged_into gets a partial index; every person gets the compound search tokens
(given + father's, given + family name keys: mawa.registry.search.compound_tokens); on
PostgreSQL the planner keeps fuller statistics of search tokens.

The statistics: with the default target (100) PostgreSQL sees only the few hundred name tokens
and estimates each number token to match thousands of rows (it matches one to nine), and then
walks the person table backwards to meet a search's ORDER BY ... LIMIT (0.3-0.5 s a search at
a million people instead of 0.3 ms).
"""

from types import SimpleNamespace

from django.db import migrations, models
from django.db.models import Q

from mawa.registry.search import compound_tokens

NAME_COLUMNS = [
    f"{part}_name_{script}" for part in ("given", "father", "family") for script in ("ar", "lat")
]


def add_compound_tokens(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    SearchToken = apps.get_model("registry", "SearchToken")
    alias = schema_editor.connection.alias
    tokens = SearchToken.objects.using(alias)
    for prefix in ("gf:", "gl:"):  # a rerun after a partial one starts clean
        tokens.filter(token__gte=prefix, token__lt=prefix[:-1] + ";").delete()
    people = (
        Person.objects.using(alias)
        .filter(merged_into=None)
        .values_list("pk", "household__site_id", *NAME_COLUMNS)
    )
    pending = []
    for pk, site_id, *names in people.iterator(chunk_size=5000):
        person = SimpleNamespace(**dict(zip(NAME_COLUMNS, names, strict=True)))
        pending += [
            SearchToken(person_id=pk, site_id=site_id, token=token)
            for token in compound_tokens(person)
        ]
        if len(pending) >= 10_000:
            tokens.bulk_create(pending)
            pending.clear()
    tokens.bulk_create(pending)


def token_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE registry_searchtoken ALTER COLUMN token SET STATISTICS 1000"
        )
        schema_editor.execute("ANALYZE registry_searchtoken")


def default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE registry_searchtoken ALTER COLUMN token SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    atomic = False  # ANALYZE, and a million people's tokens in batches

    dependencies = [
        ("registry", "0003_search_token_site"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=Q(merged_into__isnull=False),
                fields=["merged_into"],
                name="person_merged_into",
            ),
        ),
        migrations.RunPython(add_compound_tokens, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(token_statistics, default_statistics),
    ]
