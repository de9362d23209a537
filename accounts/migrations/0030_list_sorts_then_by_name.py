"""The account list sorted by city, type or industry reads on by name within each, as people
read such a list (it read on by id, which looked random). Each sort keeps its own index.

The new indexes are built before the old ones go, so no sort is left without one. At a million
accounts each took a few seconds on PostgreSQL, holding writes to the account table meanwhile.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0029_geocode_messages_without_places")]

    operations = [
        migrations.AddIndex(
            model_name="account",
            index=models.Index(
                fields=["listing_city", "name", "id"], name="account_list_city_name_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(
                fields=["listing_type", "name", "id"], name="account_list_type_name_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(
                fields=["listing_industry", "name", "id"], name="account_list_industry_name_idx"
            ),
        ),
        migrations.RemoveIndex(model_name="account", name="account_list_city_idx"),
        migrations.RemoveIndex(model_name="account", name="account_list_type_idx"),
        migrations.RemoveIndex(model_name="account", name="account_list_industry_idx"),
    ]
