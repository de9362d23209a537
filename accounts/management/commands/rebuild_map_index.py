"""manage.py rebuild_map_index: recompute the maps' copy of the accounts and their cell counts."""

from typing import Any

from django.core.management.base import BaseCommand

from accounts.map_index import rebuild_map_index


class Command(BaseCommand):
    help = (
        "Recompute the maps' copy of the accounts and the counted grid cells from the accounts. "
        "The services keep both in step; run this after writing accounts or addresses past them "
        "(raw SQL, a restored partial dump)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        mapped = rebuild_map_index()
        self.stdout.write(self.style.SUCCESS(f"{mapped} accounts on the maps."))
