"""The account list's own columns on the account, and the one place that keeps them in step.

At a million accounts the list cannot join the visit address, the type and the industry for
every row it searches, filters or sorts: a search ORed account and address columns so no index
served it (a rare word took 10 s), and sorting by type read a whole joined table. So each account
carries a copy of what its list row shows and sorts on (`listing_*`), and one search column:
its name, visit city, email and CRM4 id without accents, upper-cased (`listing_search`), served
on PostgreSQL by one trigram index. A search term is normalised the same way in Python, so
"koln" finds "Köln" on SQLite and PostgreSQL alike.

Every writer of accounts and addresses calls `accounts.copies.account_copies_refresh` (which
refreshes these columns and the maps' copy together); renaming a type or an industry calls
`listing_names_refresh`. The bench fill writes the columns itself, and `manage.py
rebuild_account_listing` recomputes every row from the source tables (and the maps' copy, which
carries `listing_search`).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import F, FilteredRelation, Func, IntegerField, Q
from django.db.models.lookups import LessThanOrEqual

from accounts.models import Account, Industry, RelationshipType
from common.bulk import batched, update_rows
from common.search import search_normalised

LISTING_FIELDS = (
    "listing_search",
    "listing_city",
    "listing_country",
    "listing_type",
    "listing_industry",
)
REFRESH_BATCH = 2_000
CHOICES_CACHE_KEY = "accounts:list-choices"
# PostgreSQL refuses an index row over 2,704 bytes, and the index a search walks by name holds
# the name (up to 800 bytes) with the search column (migration 0035). Latin text never comes
# near; a name, city and email of four-byte characters did, and the account could not be saved.
# The index leaves out longer search columns (written around the app), so that neither they nor
# their old versions stop a save or the migration; its condition repeats this number.
SEARCH_MAX_BYTES = 1_600


def search_column_fits_its_index() -> Q:
    """Every account the app writes: those whose search column migration 0035's index holds."""
    octets = Func(F("listing_search"), function="OCTET_LENGTH", output_field=IntegerField())
    return Q(LessThanOrEqual(octets, SEARCH_MAX_BYTES))


def listing_values(
    *,
    name: str,
    email: str,
    crm4_id: str,
    city: str,
    country: str,
    type_name: str,
    industry_name: str,
) -> dict[str, str]:
    """The list's columns of one account, from its own fields and its visit address."""
    # Words never hold a space, so a search word cannot match across two parts.
    searched = search_normalised(" ".join(part for part in (name, city, email, crm4_id) if part))
    return {
        "listing_search": _within_bytes(searched, SEARCH_MAX_BYTES),
        "listing_city": city,
        "listing_country": country,
        "listing_type": type_name,
        "listing_industry": industry_name,
    }


def _within_bytes(text: str, limit: int) -> str:
    """The longest start of `text` that takes at most `limit` bytes in UTF-8."""
    return text.encode()[:limit].decode(errors="ignore")


def _source_rows(account_ids: Iterable[int]) -> Iterator[tuple[int, dict[str, str], tuple]]:
    """(id, the list's columns computed from the source tables, the columns stored now)."""
    rows = (
        Account.objects.filter(pk__in=list(account_ids))
        .annotate(visit=FilteredRelation("addresses", condition=Q(addresses__kind="visit")))
        .values_list(
            "pk",
            "name",
            "email",
            "crm4_id",
            "visit__city",
            "visit__country",
            "relationship_type__name",
            "industry__name",
            *LISTING_FIELDS,
        )
    )
    for pk, name, email, crm4_id, city, country, type_name, industry_name, *stored in rows:
        values = listing_values(
            name=name,
            email=email,
            crm4_id=crm4_id,
            city=city or "",
            country=country or "",
            type_name=type_name,
            industry_name=industry_name,
        )
        yield pk, values, tuple(stored)


def account_listing_refresh(*, account_ids: Iterable[int]) -> int:
    """Recompute the list's columns of these accounts; returns how many rows changed.

    Called by every write of an account or of its visit address, in the same transaction.
    """
    changed = 0
    for batch in batched(account_ids, REFRESH_BATCH):
        stale = []
        for pk, values, stored in _source_rows(batch):
            if tuple(values.values()) != stored:
                stale.append(Account(pk=pk, **values))
        update_rows(Account, stale, list(LISTING_FIELDS))
        changed += len(stale)
    return changed


def account_listing_rebuild(*, progress: Callable[[int], Any] | None = None) -> int:
    """Recompute the list's columns of every account; returns how many rows were stale."""
    changed = done = 0
    ids = Account.objects.order_by("pk").values_list("pk", flat=True)
    for batch in batched(ids.iterator(chunk_size=REFRESH_BATCH), REFRESH_BATCH):
        changed += account_listing_refresh(account_ids=batch)
        done += len(batch)
        if progress:
            progress(done)
    return changed


def listing_names_refresh(
    *, relationship_type: RelationshipType | None = None, industry: Industry | None = None
) -> None:
    """After a type or industry was saved: its accounts show (and sort by) its new name."""
    if relationship_type is not None:
        Account.objects.filter(relationship_type=relationship_type).exclude(
            listing_type=relationship_type.name
        ).update(listing_type=relationship_type.name)
    if industry is not None:
        Account.objects.filter(industry=industry).exclude(listing_industry=industry.name).update(
            listing_industry=industry.name
        )
    cache.delete(CHOICES_CACHE_KEY)
