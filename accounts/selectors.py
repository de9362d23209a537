"""Reads of accounts for the pages."""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import F, FilteredRelation, Prefetch, Q, QuerySet

from accounts.models import Account, AccountChange, Address, Contact
from accounts.rules import account_name_key
from accounts.sellers import seller_accounts
from common.search import search_bound


class VisitAddressColumns(TypedDict):
    """What `with_visit_address` adds to each account (None for an account without one)."""

    city: str | None
    country: str | None


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # An account read through `with_visit_address`.
    AccountWithVisit = WithAnnotations[Account, VisitAddressColumns]


def account_list() -> QuerySet[Account]:
    """Accounts with what the list shows; each page's visit addresses come in one more query.

    The visit address is not joined here: joining it for every counted or skipped row made deep
    pages and plain filters slow at a million accounts. Searching, filtering or sorting on the
    city or country joins it through `with_visit_address`.
    """
    return (
        Account.objects.select_related("relationship_type", "industry")
        .only(
            "name",
            "email",
            "credit_hold",
            "credit_limit",
            "relationship_type__name",
            "relationship_type__code",
            "industry__name",
        )
        .prefetch_related(
            Prefetch(
                "addresses",
                queryset=Address.objects.filter(kind=Address.Kind.VISIT).only(
                    "account_id", "city", "country"
                ),
                to_attr="visit_addresses",
            )
        )
    )


def with_visit_address(accounts: QuerySet[Account]) -> "QuerySet[AccountWithVisit]":
    """Accounts with their visit address's `city` and `country`, to search, filter or sort on."""
    return accounts.annotate(
        visit=FilteredRelation("addresses", condition=Q(addresses__kind=Address.Kind.VISIT)),
        city=F("visit__city"),
        country=F("visit__country"),
    )


def account_detail() -> QuerySet[Account]:
    """Accounts with everything the account page shows, in a fixed number of queries."""
    return Account.objects.select_related(
        "relationship_type", "industry", "parent"
    ).prefetch_related(
        "addresses",
        Prefetch("contacts", queryset=Contact.objects.all()),
        Prefetch("children", queryset=Account.objects.only("name", "parent_id").order_by("name")),
        Prefetch("changes", queryset=AccountChange.objects.select_related("changed_by")),
    )


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
        matches = matches.filter(addresses__kind=Address.Kind.VISIT, addresses__country=country)
    if exclude_pk:
        matches = matches.exclude(pk=exclude_pk)
    return matches.order_by("name")[:5]


def account_suggestions(
    *, term: str, sellers_only: bool = False, limit: int = 20
) -> "list[AccountWithVisit]":
    """Accounts whose name starts as typed, for an account box; none for under 2 letters.

    Each comes with its visit address's `city` (one join), so two accounts of the same name can
    be told apart in the suggestions.
    """
    term = search_bound(term).text
    if len(term) < 2:
        return []
    accounts = seller_accounts() if sellers_only else Account.objects.all()
    matches = with_visit_address(accounts.filter(name__istartswith=term).only("name"))
    return list(matches.order_by("name", "id")[:limit])
