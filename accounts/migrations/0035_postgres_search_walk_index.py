"""On PostgreSQL, an index that lets a search of the account list walk active accounts in name
order without reading their rows (common.pagination.WalkedSearch).

The list looks for a search's first page among the first 12,000 accounts by name and sorts
every match only when those hold too few. Walked through the (name, id) index, each account's
row is read to test its search column: 12,000 rows took 33 to 85 ms at a million accounts; from
this index, which carries the search column of active accounts, 3 ms. SQLite has its own
(migration 0019).

PostgreSQL refuses an index row over 2,704 bytes. The app keeps the search column within
accounts.listing.SEARCH_MAX_BYTES (1,600), longer ones are cut here first (on every database,
so that all hold what the rebuild writes), and the index leaves out any longer one: a row
written around the app, or a cut row's old version, which an index built while an older
transaction runs would otherwise have to hold.
"""

from django.db import migrations
from django.db.models.functions import Length

INDEX = "account_search_walk_idx"


def shorten_long_search_columns(apps, schema_editor):
    # The services' own refresh, as the rebuild command runs it: this is the newest migration.
    from accounts.copies import account_copies_refresh
    from accounts.listing import SEARCH_MAX_BYTES

    Account = apps.get_model("accounts", "Account")
    # Over the bytes means over a quarter of them in characters.
    long = Account.objects.annotate(chars=Length("listing_search")).filter(
        chars__gt=SEARCH_MAX_BYTES // 4
    )
    account_copies_refresh(account_ids=list(long.values_list("pk", flat=True)))


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON accounts_account (name, id) "
            "INCLUDE (listing_search) WHERE is_active AND OCTET_LENGTH(listing_search) <= 1600"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0034_contact_sort_name_index")]

    operations = [
        migrations.RunPython(shorten_long_search_columns, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
