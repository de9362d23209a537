"""The contacts list pages on (sort_name, id) instead of (last_name, first_name, id)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0033_fill_contact_sort_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["sort_name", "id"], name="contact_sort_name_idx"),
        ),
        migrations.RemoveIndex(
            model_name="contact",
            name="contact_name_idx",
        ),
        migrations.AlterModelOptions(
            name="contact",
            options={
                "ordering": ["sort_name", "id"],
                "verbose_name": "contact",
                "verbose_name_plural": "contacts",
            },
        ),
    ]
