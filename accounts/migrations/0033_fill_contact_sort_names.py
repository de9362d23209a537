"""Fill in every contact's sort name (see 0032).

The rule is copied here as this release has it (a later change there must not change what this
migration did). Batch by batch, each committed on its own, as 0028 did for 900,000 contacts:
under a minute here for 900,000. Interrupted, it goes on where it stopped when run again.
"""

from django.db import migrations

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
    # Only those not filled yet: run again after an interruption, it goes on where it stopped
    # (and fills contacts that servers of the release before added meanwhile).
    rows = (
        Contact.objects.filter(sort_name="")
        .order_by("pk")
        .values_list("pk", "first_name", "last_name")
    )
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
        ("accounts", "0032_contact_sort_name"),
    ]

    operations = [
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop, elidable=True),
    ]
