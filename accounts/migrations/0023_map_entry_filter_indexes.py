"""Indexes for the overview map's filters on the maps' copy: type and industry by cell (with
the customer flag, so the counts need no visit to the table) and, on PostgreSQL, a trigram index
on the search words with the same fine statistics as the list's (migration 0020).
"""

from django.db import migrations, models

TRIGRAM_INDEX = "map_entry_search_trgm_idx"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
            "ON accounts_mapentry USING gin (search gin_trgm_ops)"
        )
        schema_editor.execute(
            "ALTER TABLE accounts_mapentry ALTER COLUMN search SET STATISTICS 1000"
        )
        schema_editor.execute("ANALYZE accounts_mapentry")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
        schema_editor.execute("ALTER TABLE accounts_mapentry ALTER COLUMN search SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0022_fill_map_entry_filters")]

    operations = [
        migrations.AddIndex(
            model_name="mapentry",
            index=models.Index(
                fields=["industry_id", "cell_y", "cell_x"],
                include=["customer"],
                name="map_entry_industry_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="mapentry",
            index=models.Index(
                fields=["relationship_type_id", "cell_y", "cell_x"],
                include=["customer"],
                name="map_entry_type_idx",
            ),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
