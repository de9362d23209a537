"""Fill the account list's columns of existing accounts, then index them.

The indexes come after the fill: each row written then updates no index but the old ones.

PostgreSQL gets a trigram index (extension pg_trgm) on the search column, which serves any
"contains" search of three letters or more; SQLite has no such index and scans.
"""

from django.db import migrations, models

from accounts.listing import listing_values
from common.bulk import update_rows

BATCH = 2_000


def fill_listing_columns(apps, schema_editor):
    Account = apps.get_model("accounts", "Account")
    ids = Account.objects.order_by("pk").values_list("pk", flat=True)
    batch = []
    for pk in ids.iterator(chunk_size=BATCH):
        batch.append(pk)
        if len(batch) == BATCH:
            _fill(Account, batch)
            batch = []
    _fill(Account, batch)


def _fill(Account, ids):
    rows = Account.objects.filter(pk__in=ids).values_list(
        "pk", "name", "email", "crm4_id", "relationship_type__name", "industry__name"
    )
    Address = Account._meta.get_field("addresses").related_model
    visits = dict(
        (account_id, (city, country))
        for account_id, city, country in Address.objects.filter(
            account_id__in=ids, kind="visit"
        ).values_list("account_id", "city", "country")
    )
    accounts = []
    for pk, name, email, crm4_id, type_name, industry_name in rows:
        city, country = visits.get(pk, ("", ""))
        values = listing_values(
            name=name,
            email=email,
            crm4_id=crm4_id,
            city=city,
            country=country,
            type_name=type_name,
            industry_name=industry_name,
        )
        accounts.append(Account(pk=pk, **values))
    update_rows(Account, accounts, list(values) if accounts else [])


# Migration 0004's indexes for searching name, email and city apart: every search now reads
# the one column, and each GIN index costs every write of an account.
OLD_INDEXES = [
    ("account_name_upper_trgm", "accounts_account", "name"),
    ("account_email_upper_trgm", "accounts_account", "email"),
    ("address_city_upper_trgm", "accounts_address", "city"),
]


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS account_list_search_trgm_idx "
        "ON accounts_account USING gin (listing_search gin_trgm_ops)"
    )
    for name, _table, _column in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS account_list_search_trgm_idx")
    for name, table, column in OLD_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER("{column}") gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0013_account_listing_columns")]

    operations = [
        migrations.RunPython(fill_listing_columns, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='account',
            index=models.Index(fields=['listing_city', 'id'], name='account_list_city_idx'),
        ),
        migrations.AddIndex(
            model_name='account',
            index=models.Index(fields=['listing_country', 'name', 'id'], name='account_list_country_idx'),
        ),
        migrations.AddIndex(
            model_name='account',
            index=models.Index(fields=['listing_type', 'id'], name='account_list_type_idx'),
        ),
        migrations.AddIndex(
            model_name='account',
            index=models.Index(fields=['listing_industry', 'id'], name='account_list_industry_idx'),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
