from django.db import migrations, models


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
    ]
