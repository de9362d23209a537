"""Contacts get a sort name: the surname without its prefixes, then the first name, so the
contacts list files "van den Berg" under B, as Dutch lists do (accounts.models.contact_sort_name).

Only the column here, with a default in the database too, so that app servers of the release
before, still running during a deploy, can go on adding contacts. 0033 fills it in, 0034
indexes it; each can be run again if it stops.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0031_type_and_industry_names_unique_ignoring_case"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="sort_name",
            field=models.CharField(db_default="", default="", editable=False, max_length=201),
        ),
    ]
