from django.db import migrations

# Substring search (icontains is UPPER(col) LIKE UPPER(%s)) needs trigram indexes on UPPER(col)
# to stay fast with a million accounts. PostgreSQL only; SQLite scans, which is fine at its sizes.
INDEXES = [
    ("account_name_upper_trgm", "accounts_account", "name"),
    ("account_email_upper_trgm", "accounts_account", "email"),
    ("address_city_upper_trgm", "accounts_address", "city"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_seed_relationship_types")]

    operations = [migrations.RunPython(create, drop)]
