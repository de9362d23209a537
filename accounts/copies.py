"""The one call that keeps every copy of an account in step after a write.

For speed at a million accounts the list keeps its own columns on the account
(accounts.listing), the maps keep a copy of the located accounts with counted grid cells
(accounts.map_index), and each contact keeps its account's name among its search words
(accounts.contact_search). Every writer of accounts and addresses calls `account_copies_refresh`
with the accounts it touched, in the same transaction, so that no page shows stale data.
"""

from collections.abc import Iterable

from accounts.contact_search import contact_search_refresh
from accounts.listing import account_listing_refresh
from accounts.map_index import account_map_sync


def account_copies_refresh(*, account_ids: Iterable[int]) -> None:
    """Bring the list's columns, the maps' copy and the contacts' search words (which hold the
    account's name) of these accounts in step with them."""
    ids = list(account_ids)
    account_listing_refresh(account_ids=ids)
    account_map_sync(account_ids=ids)
    contact_search_refresh(account_ids=ids)
