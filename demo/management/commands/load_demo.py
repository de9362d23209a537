from django.core.management.base import BaseCommand

from demo.loader import DEMO_PASSWORD, DEMO_USERS, load_demo
from maps.geocoders import get_geocoder


class Command(BaseCommand):
    help = (
        "Load the demo users and about 300 demo accounts in the Netherlands, Belgium and "
        "Germany. Safe to run again: what exists already is left as it is."
    )

    def handle(self, *args, **options) -> None:
        result = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {result.accounts_created} accounts, {result.contacts_created} "
                f"contacts, {result.activities_created} activities and {result.users_created} "
                "users created; "
                f"{result.addresses_located} visit addresses located; "
                f"{result.owners_assigned} accounts given an owner."
            )
        )
        # What the first address saved would otherwise wait for (the offline geocoder's index).
        get_geocoder().prepare()
        users = ", ".join(username for username, *_ in DEMO_USERS)
        self.stdout.write(f"Demo logins: {users}; password {DEMO_PASSWORD}")
