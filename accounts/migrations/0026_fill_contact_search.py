"""The contacts list searches one normalised column (accents and case ignored): a contact's
names, email, phone, mobile and its account's name. Fill it.

Apart from 0025 (the column), as the account list's columns were (0013, 0014), and written
with `update_rows`: Django's bulk_update takes minutes per 100,000 rows.
"""

from django.db import migrations

from common.bulk import update_rows
from common.search import search_normalised

BATCH = 5_000


def fill_contact_search(apps, schema_editor):
    Contact = apps.get_model("accounts", "Contact")
    rows = Contact.objects.order_by("pk").values_list(
        "pk", "first_name", "last_name", "email", "phone", "mobile", "account__name"
    )
    last = 0
    # Batches by id, each read whole before it is written: SQLite has no isolation between an
    # open cursor and writes to the same table.
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        update_rows(
            Contact,
            [
                Contact(pk=pk, search=search_normalised(" ".join(p for p in parts if p)))
                for pk, *parts in batch
            ],
            ["search"],
        )
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0025_contact_search"),
    ]

    operations = [
        migrations.RunPython(fill_contact_search, migrations.RunPython.noop, elidable=True),
    ]
