"""Search tokens keep their person and site without database foreign keys (a derived index that
`mawa reindex` rebuilds; Django still cascades deletions to them).

On PostgreSQL the two constraints are dropped (`ALTER TABLE ... DROP CONSTRAINT`: quick at any
size). SQLite writes a foreign key into the table's own definition: dropping it means copying
the whole table (some twenty million rows at a million people), so an existing SQLite database
keeps its REFERENCES clauses (they stay correct: every token's person and site exist) and only
Django's state changes there.
"""

from django.db import migrations, models


class AlterTokenKeys(migrations.AlterField):
    """AlterField whose database side runs on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("registry", "0004_person_merged_into_compound_tokens"),
    ]

    operations = [
        AlterTokenKeys(
            model_name="searchtoken",
            name="person",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="registry.person",
            ),
        ),
        AlterTokenKeys(
            model_name="searchtoken",
            name="site",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="core.site",
            ),
        ),
    ]
