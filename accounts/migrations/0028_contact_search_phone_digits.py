"""A contact's search words now end with the digits alone of its phone and mobile, so a number
typed or pasted however it is spaced finds it. Fill them in, as 0026 filled the column."""

from django.db import migrations

from accounts.models import contact_search_words
from common.bulk import update_rows

BATCH = 5_000


def add_phone_digits(apps, schema_editor):
    Contact = apps.get_model("accounts", "Contact")
    rows = (
        Contact.objects.order_by("pk")
        .exclude(phone="", mobile="")
        .values_list("pk", "first_name", "last_name", "email", "phone", "mobile", "account__name")
    )
    last = 0
    # Batches by id, each read whole before it is written (SQLite, as in 0026).
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        update_rows(
            Contact,
            [Contact(pk=pk, search=contact_search_words(*parts)) for pk, *parts in batch],
            ["search"],
        )
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0027_contact_search_index"),
    ]

    operations = [
        migrations.RunPython(add_phone_digits, migrations.RunPython.noop, elidable=True),
    ]
