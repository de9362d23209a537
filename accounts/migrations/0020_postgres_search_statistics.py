"""On PostgreSQL, finer statistics on the account list's search column, so the planner guesses
how many accounts a search matches.

A search for "%WORD%" is estimated from the column's histogram. With the default 100 entries it
was off a hundredfold both ways at 1,000,000 accounts, and the plan depended on the sample
ANALYZE happened to draw: an email matching 206 accounts was guessed at 10,000 and walked the
name index through 332,000 accounts (772 ms instead of 23 ms through the trigram index), and a
city matching 17,000 was guessed at 100 and sorted them all (67 ms instead of 19 ms walking the
name index). 1,000 entries make both guesses close enough to choose the right plan.
"""

from django.db import migrations

TARGET = 1000


def set_statistics(apps, schema_editor, target: int = TARGET) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE accounts_account ALTER COLUMN listing_search SET STATISTICS {target}"
        )
        schema_editor.execute("ANALYZE accounts_account")


def reset_statistics(apps, schema_editor) -> None:
    set_statistics(apps, schema_editor, target=-1)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0019_sqlite_list_search_index")]

    operations = [migrations.RunPython(set_statistics, reset_statistics)]
