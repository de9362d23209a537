"""manage.py rebuild_account_listing: recompute the account list's columns of every account,
the maps' copy that carries its search words, and the contacts' search words (which carry
their account's name).

The services keep them in step on every save (accounts/listing.py); this repairs them after
writes that went around the services (SQL by hand, a restored table) and says how many rows
were stale.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.contact_search import contact_search_rebuild
from accounts.listing import account_listing_rebuild
from accounts.map_index import rebuild_map_index
from accounts.models import Account


class Command(BaseCommand):
    help = "Recompute the search, sort and filter columns of the account list for every account."

    def handle(self, *args: Any, **options: Any) -> None:
        total = Account.objects.count()
        step = max(total // 20, 1)

        def progress(done: int) -> None:
            if done % step < 2_000 or done == total:
                self.stdout.write(f"{done:,} of {total:,} accounts")

        with transaction.atomic():
            stale = account_listing_rebuild(progress=progress)
            # The overview map searches its copy of listing_search: the same words as the list.
            rebuild_map_index()
            contacts = contact_search_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {stale:,} of {total:,} accounts and {contacts:,} contacts were stale."
            )
        )
