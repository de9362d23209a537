"""Fill the maps' copy of the accounts and their counted cells from the accounts as they are,
new columns included, before 0023 indexes them.

It runs the live accounts.map_index.rebuild_map_index, the one rule for what the maps show, so
it reads today's columns: a later migration that changes MapEntry's columns must move this fill
after it, as this one took over 0017's.
"""

from django.db import migrations


def fill(apps, schema_editor):
    from accounts.map_index import rebuild_map_index

    # A new install has nothing to fill.
    if apps.get_model("accounts", "Account").objects.exists():
        rebuild_map_index()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0021_map_entry_filters")]

    # Back: the columns the fill wrote go with 0021's way back.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
