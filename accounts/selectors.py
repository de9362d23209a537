"""Reads of accounts for the pages."""

from collections.abc import Iterable
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Account, AccountChange, Contact
from accounts.rules import account_name_key
from accounts.sellers import seller_accounts
from common.search import search_bound, search_normalised, word_condition

# What a row of the account list shows: plain values from the account table alone.
ACCOUNT_LIST_FIELDS = (
    "id",
    "name",
    "listing_city",
    "listing_country",
    "listing_type",
    "listing_industry",
    "email",
    "credit_hold",
    "credit_limit",
    "is_active",
    # The owner's name, joined by primary key for the page's rows only.
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)

# Which accounts a list shows: the default, only the active ones, leaves the status out.
LISTED_ACTIVE, LISTED_INACTIVE, LISTED_ALL = "", "inactive", "all"


def accounts_listed(
    accounts: QuerySet[Account] | None = None, *, status: str = LISTED_ACTIVE
) -> QuerySet[Account]:
    """The accounts lists, the map and the account boxes show: by default only active ones.

    An inactive account no longer trades; it is shown only when asked for (the account list's
    filter: `status` "inactive" or "all") or on its own page.
    """
    accounts = Account.objects.all() if accounts is None else accounts
    if status == LISTED_ALL:
        return accounts
    return accounts.filter(is_active=status != LISTED_INACTIVE)


def accounts_owned_by(user: AbstractBaseUser) -> QuerySet[Account]:
    """The active accounts `user` owns, by name (for My work's "Accounts you own")."""
    return (
        accounts_listed()
        .filter(owner_id=user.pk)
        .only("name", "listing_city", "listing_type", "credit_hold")
        .order_by("name", "id")
    )


def account_search(accounts: QuerySet[Account], text: str) -> QuerySet[Account]:
    """Accounts whose name, visit city, email or CRM4 id hold every word typed, ignoring case
    and accents ("koln" finds "Köln"). The one search of accounts: the list, the map, the
    account boxes and the admin. Served on PostgreSQL by a trigram index (three letters and
    more)."""
    return accounts.filter(search_condition(text))


def search_condition(text: str, *, column: str = "listing_search") -> Q:
    """Every word typed, in a column of search words normalised as Account.listing_search is
    (the account's own, or the maps' copy of it)."""
    words = search_bound(text).words
    return Q(*(word_condition(column, search_normalised(word)) for word in words))


def account_detail() -> QuerySet[Account]:
    """Accounts with everything the account page shows, in a fixed number of queries.

    Child accounts and recorded changes are rare: the account's own query says whether there
    are any (`has_children`, `has_changes`), so `account_children` and `account_changes` read
    them only then.
    """
    return (
        Account.objects.select_related("relationship_type", "industry", "parent", "owner")
        .annotate(
            has_children=Exists(Account.objects.filter(parent_id=OuterRef("pk"))),
            has_changes=Exists(AccountChange.objects.filter(account_id=OuterRef("pk"))),
        )
        .prefetch_related(
            "addresses",
            # The primary contact first: the one quotes and invoices address.
            Prefetch(
                "contacts",
                queryset=Contact.objects.order_by("-is_primary", "sort_name", "id"),
            ),
        )
    )


def account_children(account: Account) -> list[Account]:
    """The account's child accounts by name; none read when `account_detail` found none."""
    if not getattr(account, "has_children", True):
        return []
    return list(Account.objects.filter(parent_id=account.pk).only("name").order_by("name"))


# The account page's credit card shows the latest changes; the timeline holds every one.
ACCOUNT_PAGE_CHANGES = 10


def account_changes(account: Account) -> tuple[list[AccountChange], bool]:
    """The account's latest recorded changes (ACCOUNT_PAGE_CHANGES), newest first, and whether
    there are older ones; none read when `account_detail` found none."""
    if not getattr(account, "has_changes", True):
        return [], False
    changes = list(
        AccountChange.objects.filter(account_id=account.pk).select_related("changed_by")[
            : ACCOUNT_PAGE_CHANGES + 1
        ]
    )
    name_owners(changes)
    return changes[:ACCOUNT_PAGE_CHANGES], len(changes) > ACCOUNT_PAGE_CHANGES


def account_kept_by(account: Account) -> list[str]:
    """The kinds of records that keep the account from being deleted ("orders", "activities"):
    those pointing at it that its deletion may not take along, one EXISTS a kind."""
    kinds = set()
    for relation in Account._meta.related_objects:
        if relation.on_delete not in (models.PROTECT, models.RESTRICT):
            continue
        model = cast(type[models.Model], relation.related_model)
        if model._default_manager.filter(**{relation.field.name: account}).exists():
            kinds.add(str(model._meta.verbose_name_plural))
    return sorted(kinds)


def name_owners(changes: Iterable[AccountChange]) -> None:
    """Show owner changes by the names people know the users by ("Maaike Jansen", not
    "management"), read in one query when there are any."""
    owners = [change for change in changes if change.field == AccountChange.Field.OWNER]
    usernames = {value for c in owners for value in (c.old_value, c.new_value) if value}
    if not usernames:
        return
    users = get_user_model()._default_manager.filter(username__in=usernames)
    names = {user.get_username(): str(user) for user in users}
    for change in owners:
        change.owner_names = names


def account_find_similar(
    *, name: str, country: str, exclude_pk: int | None = None
) -> QuerySet[Account]:
    """Accounts whose name differs only in case, punctuation or legal form, in the same country.

    Without a country the duplicate may be anywhere, so every country is searched.
    """
    key = account_name_key(name)
    if not key:
        return Account.objects.none()
    matches = Account.objects.filter(name_key=key)
    if country:
        matches = matches.filter(listing_country=country)
    if exclude_pk:
        matches = matches.exclude(pk=exclude_pk)
    return matches.order_by("name")[:5]


def account_suggestions(
    *, term: str, sellers_only: bool = False, limit: int = 20
) -> list[dict[str, Any]]:
    """Accounts for an account box, found as the account list finds them, by name: each with
    its id, name and visit city (to tell apart accounts of the same name); none under 2 letters.
    """
    text = search_bound(term).text
    if len(text) < 2:
        return []
    accounts = accounts_listed(seller_accounts() if sellers_only else None)
    matches = account_search(accounts, text).order_by("name", "id")
    return [dict(row) for row in matches.values("id", "name", "listing_city")[:limit]]


def contact_list() -> QuerySet[Contact]:
    """Contacts of every account with their account's name, by name: one query a page."""
    return Contact.objects.select_related("account").only(
        "first_name",
        "last_name",
        "job_title",
        "email",
        "phone",
        "mobile",
        "is_primary",
        "account__name",
        "account__is_active",
    )


def primary_contact_of(account_id: int | None) -> Contact | None:
    """The contact quotes and invoices address by default, if the account has chosen one."""
    if account_id is None:
        return None
    return Contact.objects.filter(account_id=account_id, is_primary=True).first()
