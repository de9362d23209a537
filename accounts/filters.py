"""The account list's search, filters and sort, read from the query string.

The GET is parsed by hand rather than through a form: at a million accounts the list must cost
little more than the cheapest page, and building a form (a deep copy of 250 countries) and
rendering its selects took longer than the query itself. The selects are rendered once per
language, choices and selection (`filter_fields`). The map of accounts reads the same filters.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import django_filters
from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.listing import CHOICES_CACHE_KEY, search_column_fits_its_index
from accounts.models import Account, Contact, Industry, RelationshipType, type_name_shown
from accounts.selectors import LISTED_ALL, LISTED_INACTIVE, accounts_listed, search_condition
from common.pagination import KeysetOrder, WalkedSearch
from common.search import (
    bounded_search_words,
    phone_search_digits,
    search_bound,
    search_normalised,
    word_condition,
)

# How long a process reuses the type and industry choices; saving either clears them at once
# in the saving process (accounts.listing.listing_names_refresh).
CHOICES_SECONDS = 60

# Sort key -> (columns, blanks-last column): every order ends with the id, so it is total, and
# each has an index (accounts.models.Account.Meta.indexes).
SORT_COLUMNS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "name": (("name", "id"), None),
    "city": (("listing_city", "name", "id"), "listing_city"),
    "country": (("listing_country", "name", "id"), "listing_country"),
    "type": (("listing_type", "name", "id"), None),
    "industry": (("listing_industry", "name", "id"), None),
}
DEFAULT_SORT = "name"
# The owner filter: the user's own accounts, or those nobody owns.
MINE, NOBODY = "mine", "none"


def sort_labels() -> dict[str, str]:
    """The sortable columns as the list's headers and the "Sort by" choice name them."""
    return {
        "name": gettext("Name"),
        "city": gettext("City"),
        "country": gettext("Country"),
        "type": gettext("Type"),
        "industry": gettext("Industry"),
    }


def sort_order(sort: str) -> KeysetOrder:
    """The keyset order of a sort such as "city" or "-city". Empty cities and countries come
    last either way: nobody looks for the accounts without one first."""
    key = sort.removeprefix("-")
    columns, blank_column = SORT_COLUMNS[key]
    parts = (Q(),) if blank_column is None else (~Q(**{blank_column: ""}), Q(**{blank_column: ""}))
    return KeysetOrder(columns=columns, parts=parts, descending=sort.startswith("-"))


def filter_choices() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The (id, name) choices of the type and industry filters, cached briefly."""
    choices = cache.get(CHOICES_CACHE_KEY)
    if choices is None:
        types = tuple(
            (str(pk), name) for pk, name in RelationshipType.objects.values_list("pk", "name")
        )
        industries = tuple(
            (str(pk), name) for pk, name in Industry.objects.values_list("pk", "name")
        )
        choices = (types, industries)
        cache.set(CHOICES_CACHE_KEY, choices, CHOICES_SECONDS)
    return choices


@dataclass
class AccountListQuery:
    """What the list's query string asks for; `errors` name each field as the page labels it."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    cut: bool = False  # the search was longer than searches may be
    relationship_type: str = ""
    industry: str = ""
    country: str = ""
    credit_hold: str = ""
    owner: str = ""  # MINE, NOBODY or empty
    user_id: int | None = None  # whose accounts MINE means
    status: str = ""  # LISTED_INACTIVE, LISTED_ALL or empty: active accounts only
    sort: str = DEFAULT_SORT
    errors: list[str] = field(default_factory=list)

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def accounts(self, *, searched: bool = True) -> QuerySet[Account]:
        """The accounts that match the search (unless not `searched`) and filters, in no
        particular order."""
        accounts = accounts_listed(status=self.status)
        return accounts.filter(self.copied_condition(searched=searched), self.kept_condition())

    def walked_search(self) -> WalkedSearch | None:
        """The search, for the list's pages to walk the name index for it, on PostgreSQL when
        it is all that narrows the active accounts and they are sorted by name: an index holds
        the name and the search column of active accounts (migration 0035). Otherwise None,
        and the search is one more condition of `accounts()`.

        SQLite has no trigram index, so no plan to choose: it walks its own index by name
        (migration 0019), and it would compute both ways of the walked search's statement.
        """
        narrowed = any(
            [self.relationship_type, self.industry, self.country, self.credit_hold, self.owner]
        )
        if not self.words or narrowed or self.status or self.sort_key != "name":
            return None
        if connection.vendor != "postgresql":
            return None
        return WalkedSearch(
            condition=search_condition(self.text),
            columns=("listing_search",),
            index_condition=search_column_fits_its_index(),
        )

    def copied_condition(
        self,
        *,
        search_column: str = "listing_search",
        country_column: str = "listing_country",
        searched: bool = True,
    ) -> Q:
        """The search, type, industry and country: held by the account and by the maps' copy
        of it (MapEntry, whose columns for the search words and country are named apart)."""
        condition = search_condition(self.text, column=search_column) if searched else Q()
        if self.relationship_type:
            condition &= Q(relationship_type_id=int(self.relationship_type))
        if self.industry:
            condition &= Q(industry_id=int(self.industry))
        if self.country:
            condition &= Q(**{country_column: self.country})
        return condition

    def kept_condition(self) -> Q:
        """The credit hold and the owner: held by the account only."""
        condition = Q()
        if self.credit_hold:
            condition &= Q(credit_hold=self.credit_hold == "true")
        if self.owner == NOBODY:
            condition &= Q(owner__isnull=True)
        elif self.owner == MINE:
            condition &= Q(owner_id=self.user_id)
        return condition


def _id_value(raw: str) -> bool:
    return raw.isascii() and raw.isdecimal() and len(raw) < 12


def account_list_query(data: QueryDict, *, user_id: int | None = None) -> AccountListQuery:
    """Read the search, filters and sort; a value not understood is named in `errors`.

    `user_id` is the user asking, whose accounts "My accounts" shows."""
    bounded = search_bound(data.get("q", ""))
    query = AccountListQuery(
        text=bounded.text, words=bounded.words, cut=bounded.cut, user_id=user_id
    )
    invalid = gettext("%(field)s: “%(value)s” is not one of the choices.")

    def refuse(label: str, value: str) -> None:
        query.errors.append(invalid % {"field": label, "value": value[:50]})

    type_id = data.get("relationship_type", "").strip()
    if type_id and not _id_value(type_id):
        refuse(gettext("Type"), type_id)
    else:
        query.relationship_type = type_id
    industry_id = data.get("industry", "").strip()
    if industry_id and not _id_value(industry_id):
        refuse(gettext("Industry"), industry_id)
    else:
        query.industry = industry_id
    country = data.get("country", "").strip()
    if country and country not in countries:
        refuse(gettext("Country"), country)
    else:
        query.country = country
    hold = data.get("credit_hold", "").strip()
    if hold not in ("", "true", "false"):
        refuse(gettext("Credit hold"), hold)
    else:
        query.credit_hold = hold
    owner = data.get("owner", "").strip()
    if owner not in ("", MINE, NOBODY):
        refuse(gettext("Owner"), owner)
    else:
        query.owner = owner
    status = data.get("status", "").strip()
    if status not in ("", LISTED_INACTIVE, LISTED_ALL):
        refuse(gettext("Status"), status)
    else:
        query.status = status
    sort = data.get("sort", "").strip() or DEFAULT_SORT
    if sort.removeprefix("-") not in SORT_COLUMNS:
        refuse(gettext("Sort by"), sort)
    else:
        query.sort = sort
    return query


def _options(choices: tuple[tuple[str, str], ...], selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((key, mark_safe(" selected") if key == selected else "", label) for key, label in choices),
    )


def _select(name: str, choices: tuple[tuple[str, str], ...], selected: str) -> SafeString:
    return format_html(
        '<select name="{}" id="id_{}">{}</select>', name, name, _options(choices, selected)
    )


def _by_name(choice: tuple[str, str]) -> str:
    return choice[1].casefold()


@lru_cache(maxsize=1024)
def _filter_selects(
    language: str | None,
    types: tuple[tuple[str, str], ...],
    industries: tuple[tuple[str, str], ...],
    selected: tuple[str, str, str, str, str, str, str],
) -> dict[str, SafeString]:
    type_id, industry_id, country, hold, owner, status, sort = selected
    anyone = (("", pgettext("filter", "Any")),)
    labels = sort_labels()
    sorts = []
    for key, label in labels.items():
        sorts.append((key, label))
        sorts.append((f"-{key}", gettext("%(column)s (descending)") % {"column": label}))
    shown_types = tuple(sorted(((pk, type_name_shown(name)) for pk, name in types), key=_by_name))
    return {
        "relationship_type": _select("relationship_type", anyone + shown_types, type_id),
        "industry": _select("industry", anyone + industries, industry_id),
        "country": _select("country", anyone + tuple(countries), country),
        "credit_hold": _select(
            "credit_hold",
            (*anyone, ("true", gettext("On hold")), ("false", gettext("Not on hold"))),
            hold,
        ),
        "owner": _select(
            "owner",
            (
                ("", gettext("Anyone")),
                (MINE, gettext("My accounts")),
                (NOBODY, gettext("No owner")),
            ),
            owner,
        ),
        "status": _select(
            "status",
            (
                ("", gettext("Active")),
                (LISTED_INACTIVE, gettext("Inactive")),
                (LISTED_ALL, gettext("Active and inactive")),
            ),
            status,
        ),
        "sort": _select("sort", tuple(sorts), sort),
    }


def filter_fields(query: AccountListQuery) -> dict[str, SafeString]:
    """The filter selects, HTML, with the query's choices selected (rendered once per
    language, choices and selection in each process)."""
    types, industries = filter_choices()
    selected = (
        query.relationship_type,
        query.industry,
        query.country,
        query.credit_hold,
        query.owner,
        query.status,
        query.sort,
    )
    return _filter_selects(get_language(), types, industries, selected)


@dataclass(frozen=True)
class SortHeader:
    """A column header of the list: a link that sorts by it (the other way when it is the
    current sort), and its state for screen readers (aria-sort)."""

    label: str
    url: str = ""
    aria_sort: str = ""  # "ascending", "descending" or empty


def sort_headers(data: QueryDict, query: AccountListQuery) -> list[SortHeader]:
    """The list's column headers; the sortable ones link to the same search and filters."""
    labels = sort_labels()
    headers = []
    for key in ("name", "city", "country", "type", "industry"):
        current = query.sort_key == key
        link = data.copy()
        for name in ("after", "before", "last", "page"):
            link.pop(name, None)
        link["sort"] = f"-{key}" if current and not query.descending else key
        state = ("descending" if query.descending else "ascending") if current else ""
        headers.append(SortHeader(labels[key], f"?{link.urlencode()}", state))
    headers += [
        SortHeader(gettext("Email")),
        SortHeader(gettext("Credit")),
        SortHeader(gettext("Owner")),
    ]
    return headers


class ContactFilter(django_filters.FilterSet):
    """The contacts list's search: name, email, phone or account name."""

    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Contact
        fields = ["q"]

    def search(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        """Each word in the name, email, phone, mobile or account name, accents and case ignored
        ("muller" finds "Müller"), or a phone number by its digits however it is spaced: one
        column, served on PostgreSQL by a trigram index."""
        words = bounded_search_words(self, value)
        if number := phone_search_digits(" ".join(words)):
            return queryset.filter(search__contains=number)
        for word in words:
            queryset = queryset.filter(word_condition("search", search_normalised(word)))
        return queryset
