"""Fill the maps' copy of the accounts and their counted cells: left to migration 0022.

The fill runs the live accounts.map_index.rebuild_map_index, which reads today's columns; run
here, before 0021 added three of them, it would fail on a database with accounts. 0022 fills
the tables instead.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0016_map_entries_and_cells")]

    operations: list = []
