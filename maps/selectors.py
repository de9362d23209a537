"""Reads for the maps: the accounts around a centre, as pins or as counted cells, and the list."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, Literal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import ASin, Cos, Floor, Least, Power, Radians, Sin, Sqrt

from accounts.models import Account, Address, RelationshipType
from maps.geo import EARTH_RADIUS_KM, bounding_box, geodesic_km

RADII_KM = tuple(range(50, 401, 50))
DEFAULT_RADIUS_KM = 50
# Up to this many accounts each one is a pin, drawn client-side from one array; above it the
# database counts them per grid cell, so neither the query nor the page grows with the table.
PIN_LIMIT = 2_000
# About this many cells across the area shown, when the pins are aggregated.
CELLS_ACROSS = 30
LIST_PAGE_SIZE = 50
SortKey = Literal["name", "city"]
LIST_ORDER: dict[str, tuple[str, ...]] = {
    "name": ("account__name", "account_id"),
    # Within a city by name, as a reader expects. City first follows the partial index (city,
    # account) on visit addresses, so PostgreSQL sorts one city at a time (incremental sort).
    "city": ("city", "account__name", "account_id"),
}


@dataclass(frozen=True)
class Centre:
    latitude: float
    longitude: float
    country: str


@dataclass
class MapPoints:
    """What the map draws: one pin per account, or cells with a count when there are many."""

    total: int
    customers: int
    # [latitude, longitude, account id, name, city, 1 for a customer else 0]
    pins: list[list] = field(default_factory=list)
    # [latitude, longitude, accounts, customers]
    cells: list[list] = field(default_factory=list)

    @property
    def others(self) -> int:
        return self.total - self.customers

    @property
    def aggregated(self) -> bool:
        return bool(self.cells)


def account_map_centre() -> QuerySet[Address]:
    """Visit addresses with their account, for the account whose map is shown."""
    return Address.objects.filter(kind=Address.Kind.VISIT).select_related(
        "account", "account__relationship_type"
    )


def mappable_addresses() -> QuerySet[Address]:
    """The addresses any map may show: located visit addresses of accounts not typed Other.

    The seed's rule ("valid geocodes and a Relationship Type not set to Other"), for the
    account's map and the overview alike.
    """
    return Address.objects.filter(kind=Address.Kind.VISIT, latitude__isnull=False).exclude(
        account__relationship_type__code=RelationshipType.OTHER
    )


def distance_km_expression(*, latitude: float, longitude: float) -> ExpressionWrapper:
    """The haversine distance from a point to each address, in SQL (SQLite and PostgreSQL)."""
    lat = math.radians(latitude)
    half_dlat = Sin((Radians(F("latitude")) - Value(lat)) / Value(2.0))
    half_dlon = Sin((Radians(F("longitude")) - Value(math.radians(longitude))) / Value(2.0))
    a = Power(half_dlat, 2) + Value(math.cos(lat)) * Cos(Radians(F("latitude"))) * Power(
        half_dlon, 2
    )
    # Least: rounding can take `a` just past 1, where asin fails.
    return ExpressionWrapper(
        Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, Value(1.0)))), output_field=FloatField()
    )


def addresses_within(
    *, centre: Centre, radius_km: float, exclude_account_id: int | None = None
) -> QuerySet[Address]:
    """The mappable addresses in the centre's country within the radius.

    An indexed bounding box on (country, latitude, longitude) pre-selects; the haversine distance
    in SQL decides, so the database never returns a row outside the circle.
    """
    box = bounding_box(centre.latitude, centre.longitude, radius_km)
    longitudes = reduce(or_, (Q(longitude__range=r) for r in box.longitudes))
    addresses = (
        mappable_addresses()
        .filter(
            longitudes,
            country=centre.country,
            latitude__range=(box.min_latitude, box.max_latitude),
        )
        .alias(
            distance_km=distance_km_expression(latitude=centre.latitude, longitude=centre.longitude)
        )
        .filter(distance_km__lte=radius_km)
    )
    if exclude_account_id is not None:
        addresses = addresses.exclude(account_id=exclude_account_id)
    return addresses


def addresses_of(accounts: QuerySet[Account]) -> QuerySet[Address]:
    """The mappable addresses of some accounts (the overview map's filters)."""
    return mappable_addresses().filter(account__in=accounts.order_by().values("pk"))


def map_points(
    addresses: QuerySet[Address], *, cell_km: float, latitude: float, limit: int | None = None
) -> MapPoints:
    """Pins for up to `limit` addresses; above it, counts per cell of about `cell_km`.

    The cells come first: their counts add up to the exact total, so a large area costs one
    query and no separate count; a small one costs a second query for its pins.
    """
    limit = PIN_LIMIT if limit is None else limit
    customer = Q(account__relationship_type__code=RelationshipType.CUSTOMER)
    cell_lat = cell_km / 111.2
    # Cells as wide on the ground as they are high, at the centre's latitude.
    cell_lon = cell_lat / max(0.05, math.cos(math.radians(latitude)))
    cells = [
        [lat, lon, n, customers]
        for lat, lon, n, customers in (
            addresses.order_by()
            .annotate(
                cell_y=Floor(F("latitude") / Value(cell_lat)),
                cell_x=Floor(F("longitude") / Value(cell_lon)),
            )
            .values("cell_y", "cell_x")
            .annotate(
                lat=Avg("latitude"),
                lon=Avg("longitude"),
                n=Count("id"),
                customers=Count("id", filter=customer),
            )
            .values_list("lat", "lon", "n", "customers")
        )
    ]
    total, customers = sum(c[2] for c in cells), sum(c[3] for c in cells)
    if total > limit:
        return MapPoints(total=total, customers=customers, cells=cells)
    rows = addresses.order_by().values_list(
        "latitude", "longitude", "account_id", "account__name", "city",
        "account__relationship_type__code",
    )  # fmt: skip
    pins: list[list[Any]] = [
        [lat, lon, pk, name, city, int(code == RelationshipType.CUSTOMER)]
        for lat, lon, pk, name, city, code in rows
    ]
    return MapPoints(total=len(pins), customers=sum(p[5] for p in pins), pins=pins)


class _CitiesThenNoCity(Sequence[Address]):
    """The side list by city: the addresses with a city in city order, then those without.

    "No city last" as a first sort key would not follow the (city, account) index: PostgreSQL
    then sorted every address in the circle (174 ms instead of 24 at 400 km among 100,000
    accounts). So the addresses without a city come from a second query, run only for a page
    that reaches them.
    """

    def __init__(self, rows: QuerySet[Address], *, total: int) -> None:
        self.with_city = rows.filter(city__gt="").order_by(*LIST_ORDER["city"])
        self.without_city = rows.filter(city="").order_by(*LIST_ORDER["name"])
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Address]:  # type: ignore[override]
        # The paginator asks for slices only.
        start, stop = index.start or 0, min(index.stop, self.total)
        found = list(self.with_city[start:stop])
        if start + len(found) >= stop:
            return found
        # Past the last city: where the addresses without one begin in the list.
        first = 0 if found else start - self.with_city.count()
        return found + list(self.without_city[first : first + stop - start - len(found)])


def nearby_page(
    addresses: QuerySet[Address],
    *,
    total: int,
    sort: SortKey,
    page_number: int | str,
    centre: Centre,
) -> Page:
    """One page of the side list, sorted by name or city, each row with its geodesic distance.

    `total` is the count the map already made, so paging costs no second count.
    """
    rows = addresses.select_related("account").only(
        "city", "latitude", "longitude", "account__name"
    )
    listed = (
        rows.order_by(*LIST_ORDER[sort]) if sort == "name" else _CitiesThenNoCity(rows, total=total)
    )
    # _CitiesThenNoCity has the len() and slicing a Paginator uses; the stubs ask for more.
    paginator = Paginator(listed, LIST_PAGE_SIZE)  # type: ignore[arg-type]
    paginator.count = total  # cached_property: set, it is never counted again.
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    for address in page.object_list:
        # Only located addresses are on a map (mappable_addresses).
        assert address.latitude is not None and address.longitude is not None
        # Read by the side list's template.
        address.distance_km = geodesic_km(  # type: ignore[attr-defined]
            centre.latitude, centre.longitude, address.latitude, address.longitude
        )
    return page


def addresses_to_geocode(
    *, last_attempt_failed: bool = False, everything: bool = False, after_id: int = 0
) -> QuerySet[Address]:
    """The visit addresses `manage.py geocode_accounts` locates, by id so a run can resume.

    By default those waiting for it: never tried, or the service did not answer ("Not located
    yet"), as Address.GeocodeStatus.no_coordinates_reason promises. One looked up and not found
    waits until someone fixes it: the same lookup would fail again, and cost Nominatim a request.
    `last_attempt_failed` takes instead those whose last attempt found nothing or had no answer;
    `everything` every visit address.
    """
    addresses = Address.objects.filter(kind=Address.Kind.VISIT, pk__gt=after_id).order_by("pk")
    if everything:
        return addresses
    if last_attempt_failed:
        return addresses.filter(
            geocode_status__in=[Address.GeocodeStatus.FAILED, Address.GeocodeStatus.RETRY]
        )
    return addresses.filter(
        Q(geocode_status=Address.GeocodeStatus.PENDING) | Q(latitude__isnull=True)
    ).exclude(geocode_status=Address.GeocodeStatus.FAILED)
