"""The contacts list files a person by the surname without its prefixes ("van den Berg" under
B, as Dutch lists do). Fill in every contact's sort name, then index it in place of the
(last name, first name) index the list used.

The rule is copied here as this release has it (a later change there must not change what this
migration did). Batch by batch, each committed on its own, as 0028 did for 900,000 contacts.
"""

from django.db import migrations, models

from common.bulk import update_rows
from common.search import search_normalised

BATCH = 5_000
PREFIXES = frozenset(
    "van de den der het 't te ten ter in op uit aan bij onder over voor vd v/d "
    "von vom zu zum zur la le du da di del della".split()
)


def _sort_name(first_name: str, last_name: str) -> str:
    words = last_name.split()
    while len(words) > 1 and words[0].casefold() in PREFIXES:
        words = words[1:]
    return search_normalised(" ".join([*words, *first_name.split()]))[:201]


def fill_sort_names(apps, schema_editor):
    Contact = apps.get_model("accounts", "Contact")
    rows = Contact.objects.order_by("pk").values_list("pk", "first_name", "last_name")
    last = 0
    # Batches by id, each read whole before it is written (SQLite, as in 0026).
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        contacts = [Contact(pk=pk, sort_name=_sort_name(first, last_)) for pk, first, last_ in batch]
        update_rows(Contact, contacts, ["sort_name"])
        last = batch[-1][0]


class Migration(migrations.Migration):
    # Each batch is its own transaction: a big table is not locked whole until the end.
    atomic = False

    dependencies = [
        ("accounts", "0031_type_and_industry_names_unique_ignoring_case"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=201),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop, elidable=True),
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
