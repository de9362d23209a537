"""Created the role groups once. Since then `users.roles` defines them and gives them their rights
after every migrate (a `post_migrate` handler), so this migration no longer does anything: a
database that applied it keeps its groups, which the handler then brings in line."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
