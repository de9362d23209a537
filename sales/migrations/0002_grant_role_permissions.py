"""Gave the role groups their sales rights once. `users.roles` now defines every role's rights and
applies them after every migrate, so this migration no longer does anything."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial"),
        ("users", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
