"""The account list filtered by a type or an industry reads (type, name, id) or (industry, name,
id) in order, instead of walking every account by name until 26 of that type turn up. The new
indexes come first and then replace the single-column ones of the foreign keys, which they serve
as well.

SQLite alters a column by remaking the table, which drops the index migration 0019 made outside
Django's models: it is made again last, and first on the way back.
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SQLITE_SEARCH_INDEX = import_module("accounts.migrations.0019_sqlite_list_search_index")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0023_map_entry_filter_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, SQLITE_SEARCH_INDEX.create_index),
        migrations.AddIndex(
            model_name='account',
            index=models.Index(fields=['relationship_type', 'name', 'id'], name='account_type_name_idx'),
        ),
        migrations.AddIndex(
            model_name='account',
            index=models.Index(fields=['industry', 'name', 'id'], name='account_industry_name_idx'),
        ),
        migrations.AlterField(
            model_name='account',
            name='industry',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.industry', verbose_name='industry'),
        ),
        migrations.AlterField(
            model_name='account',
            name='relationship_type',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.relationshiptype', verbose_name='relationship type'),
        ),
        migrations.RunPython(
            SQLITE_SEARCH_INDEX.create_index, migrations.RunPython.noop
        ),
    ]
