"""(Re)locate the visit addresses of accounts; which ones is maps.selectors.addresses_to_geocode."""

import sys
import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.models import Address
from accounts.services import address_geocode
from maps.geocoders import get_geocoder
from maps.selectors import addresses_to_geocode

WHICH = {
    "missing": "not located yet",
    "failed": "whose last attempt failed",
    "all": "",
}


class Command(BaseCommand):
    help = (
        "Geocode the visit addresses of accounts with the configured GEOCODER. Each address is "
        "saved as soon as it is located, so an interrupted run loses nothing: run it again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--failed", action="store_const", dest="which", const="failed",
            help="Retry the addresses whose last attempt failed, those with no match too.",
        )  # fmt: skip
        group.add_argument(
            "--all", action="store_const", dest="which", const="all",
            help="Geocode every visit address again.",
        )  # fmt: skip
        group.add_argument(
            "--prepare-only", action="store_const", dest="which", const="none",
            help="Only build what the geocoder needs (the offline geocoder's index); a release "
            "step, quick whatever the GEOCODER.",
        )  # fmt: skip
        parser.set_defaults(which="missing")
        parser.add_argument(
            "--after", type=int, default=0, metavar="ID",
            help="Skip addresses up to this id (to continue an interrupted --all run).",
        )  # fmt: skip

    def handle(self, *args: Any, which: str, after: int, **options: Any) -> None:
        # The offline geocoder's first use builds its index: do it here, once per install, so
        # that the first address saved on a page is not left for later while it is built.
        get_geocoder().prepare()
        if which == "none":
            self.stdout.write("The geocoder is ready.")
            return
        addresses = addresses_to_geocode(
            last_attempt_failed=which == "failed", everything=which == "all", after_id=after
        )
        ids = list(addresses.values_list("pk", flat=True))
        total = len(ids)
        label = f"visit address{'es' if total != 1 else ''} {WHICH[which]}".strip()
        self.stdout.write(f"{total} {label} to geocode.")
        outcomes: Counter[str] = Counter()
        failures: list[str] = []
        started = time.monotonic()
        last_id = after
        try:
            for done, address_id in enumerate(ids, start=1):
                address = address_geocode(address_id=address_id)
                last_id = address_id
                if address is not None:
                    outcomes[address.geocode_status] += 1
                    if address.geocode_status == Address.GeocodeStatus.FAILED:
                        failures.append(f"  #{address.account_id}: {address.geocode_message}")
                self.progress(done, total, started)
        except KeyboardInterrupt:
            self.stdout.write("")
            self.stdout.write(
                self.style.WARNING(
                    f"Interrupted after {sum(outcomes.values())} of {total}: what was located is "
                    f"saved. Run the command again to continue"
                    + (f" (for --all: --all --after {last_id})." if which == "all" else ".")
                )
            )
        self.summary(outcomes, failures, time.monotonic() - started)

    def progress(self, done: int, total: int, started: float) -> None:
        """A progress bar on a terminal; a line every 1,000 addresses in a log."""
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed else 0.0
        if self.stdout.isatty():
            filled = int(30 * done / total)
            bar = "#" * filled + "-" * (30 - filled)
            self.stdout.write(
                f"\r[{bar}] {done}/{total} ({rate:.1f}/s)", ending="" if done < total else "\n"
            )
            sys.stdout.flush()
        elif done % 1000 == 0 or done == total:
            self.stdout.write(f"{done}/{total} ({rate:.1f}/s)")

    def summary(self, outcomes: Counter[str], failures: list[str], seconds: float) -> None:
        labels = Address.GeocodeStatus
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {seconds:.1f} s: {outcomes[labels.OK]} located, "
                f"{outcomes[labels.APPROXIMATE]} located approximately, "
                f"{outcomes[labels.FAILED]} failed"
                + (
                    f", {outcomes[labels.RETRY]} not located (the service did not answer)."
                    if outcomes[labels.RETRY]
                    else "."
                )
            )
        )
        if outcomes[labels.RETRY]:
            self.stdout.write(
                f"Run the command again later for the {outcomes[labels.RETRY]} the service did "
                "not answer: the default run retries them."
            )
        if failures:
            self.stdout.write("Failed (fix the visit address, or retry with --failed):")
            for line in failures[:50]:
                self.stdout.write(line)
            if len(failures) > 50:
                self.stdout.write(f"  … and {len(failures) - 50} more.")
