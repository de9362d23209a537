"""The contacts list searches one normalised column (accents and case ignored)."""

from django.db import migrations, models

from common.search import search_normalised

BATCH = 2_000


def fill_contact_search(apps, schema_editor):
    Contact = apps.get_model("accounts", "Contact")
    contacts = Contact.objects.order_by("pk").only(
        "first_name", "last_name", "email", "phone", "mobile"
    )
    batch = []
    for contact in contacts.iterator(chunk_size=BATCH):
        parts = (contact.first_name, contact.last_name, contact.email, contact.phone, contact.mobile)
        contact.search = search_normalised(" ".join(part for part in parts if part))
        batch.append(contact)
        if len(batch) == BATCH:
            Contact.objects.bulk_update(batch, ["search"])
            batch = []
    Contact.objects.bulk_update(batch, ["search"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0024_list_filter_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="search",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_contact_search, migrations.RunPython.noop, elidable=True),
    ]
