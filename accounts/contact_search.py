"""The contacts list's search column, and the one place that keeps it in step.

A contact is found by its own words or by its account's name. Searching the two tables with one
OR left PostgreSQL no index to use (a rare word took 7 s at a million accounts), so each contact
carries both in `Contact.search`, served by one trigram index (migration accounts 0027).
`contact_save` refreshes the contact it wrote; `accounts.copies.account_copies_refresh`, which
every writer of accounts calls, refreshes the contacts of the accounts it is given (a renamed
account). `manage.py rebuild_account_listing` recomputes them all.
"""

from collections.abc import Iterable

from accounts.models import CONTACT_SEARCHED_FIELDS, Account, Contact, contact_search_words
from common.bulk import batched, update_rows

BATCH = 2_000


def contact_search_refresh(
    *, account_ids: Iterable[int] = (), contact_ids: Iterable[int] = ()
) -> int:
    """Recompute the search words of these contacts and of every contact of these accounts,
    from the stored rows; returns how many changed."""
    changed = 0
    for field, ids in (("account_id", account_ids), ("pk", contact_ids)):
        for batch in batched(ids, BATCH):
            rows = Contact.objects.filter(**{f"{field}__in": batch}).values_list(
                "pk", *CONTACT_SEARCHED_FIELDS, "account__name", "search"
            )
            stale = [
                Contact(pk=pk, search=words)
                for pk, *parts, stored in rows
                if (words := contact_search_words(*parts)) != stored
            ]
            update_rows(Contact, stale, ["search"])
            changed += len(stale)
    return changed


def contact_search_rebuild() -> int:
    """Recompute the search words of every contact; returns how many were stale."""
    ids = Account.objects.order_by("pk").values_list("pk", flat=True)
    return sum(
        contact_search_refresh(account_ids=batch)
        for batch in batched(ids.iterator(chunk_size=BATCH), BATCH)
    )
