"""Reads for the maps: the accounts around a centre, as pins or as counted cells, and the list."""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Literal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import ASin, Cast, Cos, Floor, Least, Power, Radians, Sin, Sqrt

from accounts.filters import AccountListQuery
from accounts.map_index import CELLS_PER_DEGREE
from accounts.models import Account, Address, MapCell, MapEntry
from accounts.selectors import LISTED_INACTIVE
from maps.geo import EARTH_RADIUS_KM, bounding_box, haversine_km

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
    "name": ("name", "account_id"),
    # Within a city by name, as a reader expects; the map_entry_city_idx index's order.
    "city": ("city", "name", "account_id"),
}
# The overview spans countries: cells of this size keep a large database to a few hundred.
OVERVIEW_CELL_KM = 25.0
# Cells wholly inside a circle are tested against a radius this much smaller, so rounding never
# counts a cell whose corner pokes out; the cells it leaves out are measured row by row.
INNER_MARGIN_KM = 0.01


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


def distance_km_expression(*, latitude: float, longitude: float) -> ExpressionWrapper:
    """The haversine distance from a point to each row's latitude and longitude, in SQL."""
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


def entries_within(
    *, centre: Centre, radius_km: float, exclude_account_id: int | None = None
) -> QuerySet[MapEntry]:
    """The accounts on the maps in the centre's country within the radius.

    An indexed bounding box on (country, latitude, longitude) pre-selects; the haversine distance
    in SQL decides, so the database never returns a row outside the circle.
    """
    box = bounding_box(centre.latitude, centre.longitude, radius_km)
    longitudes = reduce(or_, (Q(longitude__range=r) for r in box.longitudes))
    entries = (
        MapEntry.objects.filter(
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
        entries = entries.exclude(account_id=exclude_account_id)
    return entries


def overview_entries(query: AccountListQuery) -> QuerySet[MapEntry]:
    """The accounts on the maps that the account list's search and filters select.

    The maps' copy holds the search words, type, industry and country, so those are answered
    from it alone; the credit hold and the owner go through the accounts.
    """
    if query.status == LISTED_INACTIVE:
        return MapEntry.objects.none()  # the maps show active accounts only
    entries = MapEntry.objects.filter(
        query.copied_condition(search_column="search", country_column="country")
    )
    kept = query.kept_condition()
    if kept:
        entries = entries.filter(account_id__in=Account.objects.filter(kept).values("pk"))
    return entries


# (size in fine cells, y, x, accounts, customers): a counted cell, or the edge rows of a fine one.
CellRow = tuple[int, int, int, int, int]


def _block_sizes(*, cell_km: float, latitude: float) -> tuple[int, int]:
    """The map's cells in fine cells, north-south and east-west, about `cell_km` on the ground.

    From ten fine cells up a multiple of ten, so that a coarse cell falls in one map cell.
    """

    def whole(cells: float) -> int:
        n = max(1, round(cells))
        return n if n < MapCell.COARSE else MapCell.COARSE * round(n / MapCell.COARSE)

    degrees = cell_km / 111.2
    return (
        whole(degrees * CELLS_PER_DEGREE),
        whole(degrees / max(0.05, math.cos(math.radians(latitude))) * CELLS_PER_DEGREE),
    )


def _blocks(rows: Iterable[CellRow], *, block: tuple[int, int]) -> list[list]:
    """Counted cells added up into the map's cells, each drawn at its accounts' mean cell."""
    sums: dict[tuple[int, int], list] = defaultdict(lambda: [0.0, 0.0, 0, 0])
    for size, y, x, n, customers in rows:
        fine_y, fine_x = y * size, x * size
        found = sums[(fine_y // block[0], fine_x // block[1])]
        found[0] += n * (fine_y + size / 2) / CELLS_PER_DEGREE
        found[1] += n * (fine_x + size / 2) / CELLS_PER_DEGREE
        found[2] += n
        found[3] += customers
    return [[lat / n, lon / n, n, customers] for lat, lon, n, customers in sums.values() if n]


def _half_width(centre: Centre, radius_km: float, latitude: float) -> float | None:
    """Half the circle's width in degrees of longitude at a latitude; None if it misses it."""
    phi, phi_c = math.radians(latitude), math.radians(centre.latitude)
    across = math.cos(phi) * math.cos(phi_c)
    if across <= 0:
        return 180.0
    ratio = (math.cos(radius_km / EARTH_RADIUS_KM) - math.sin(phi) * math.sin(phi_c)) / across
    if ratio > 1:
        return None
    return 180.0 if ratio < -1 else math.degrees(math.acos(ratio))


def _inside(centre: Centre, radius_km: float, size: int) -> dict[int, tuple[int, int]]:
    """Per row of cells of this size, the first and last cell wholly inside the circle.

    Across a row the circle is narrowest at the row's top or bottom edge (its width grows
    towards the centre's latitude and shrinks beyond), so the narrower of the two decides.
    """
    height = size / CELLS_PER_DEGREE
    radius = radius_km - INNER_MARGIN_KM
    box = bounding_box(centre.latitude, centre.longitude, radius_km)
    rows = {}
    for y in range(math.floor(box.min_latitude / height), math.floor(box.max_latitude / height)):
        widths = [_half_width(centre, radius, lat) for lat in (y * height, (y + 1) * height)]
        if None in widths:
            continue
        half = min(w for w in widths if w is not None)
        first = math.ceil((centre.longitude - half) / height)
        last = math.floor((centre.longitude + half) / height) - 1
        if first <= last:
            rows[y] = (first, last)
    return rows


def _touched(centre: Centre, radius_km: float, y: int) -> tuple[int, int] | None:
    """The first and last fine cell of row y that the circle reaches, if it reaches the row."""
    bottom, top = y / CELLS_PER_DEGREE, (y + 1) / CELLS_PER_DEGREE
    latitudes = [bottom, top]
    # Where the circle is widest (a little poleward of its centre), when within the row.
    ratio = math.sin(math.radians(centre.latitude)) / math.cos(radius_km / EARTH_RADIUS_KM)
    widest = math.degrees(math.asin(max(-1.0, min(1.0, ratio))))
    latitudes += [lat for lat in (widest, centre.latitude) if bottom <= lat <= top]
    widths = [w for w in (_half_width(centre, radius_km, lat) for lat in latitudes) if w]
    if not widths:
        return None
    half = max(widths)
    return (
        math.floor((centre.longitude - half) * CELLS_PER_DEGREE),
        math.floor((centre.longitude + half) * CELLS_PER_DEGREE),
    )


def _counted_rows(
    centre: Centre,
    radius_km: float,
    *,
    counted: list[tuple[int, int, int, int]],
    edges: list[tuple[int, int, int]],
    exclude: int | None,
) -> list[CellRow]:
    """In one query: the counted cells of the (size, y, first x, last x) ranges; the accounts
    within the radius in the (y, first x, last x) fine-cell ranges, measured one by one and
    counted per fine cell; and the excluded account's own entry, as size 0."""
    query = MapEntry.objects.all().query
    compiler = query.get_compiler(connection=connection)
    distance = distance_km_expression(latitude=centre.latitude, longitude=centre.longitude)
    distance_sql, distance_params = distance.resolve_expression(query).as_sql(compiler, connection)
    cells, entries = MapCell._meta.db_table, MapEntry._meta.db_table
    # A range that matches nothing keeps each VALUES list valid when there is no range.
    counted = counted or [(-1, 0, 1, 0)]
    edges = edges or [(0, 1, 0)]
    in_cell = "c.country = %s AND c.size = r.size AND c.y = r.y AND c.x BETWEEN r.x0 AND r.x1"
    on_edge = (
        f"{entries}.country = %s AND {entries}.cell_y = e.y "
        f"AND {entries}.cell_x BETWEEN e.x0 AND e.x1 "
        f"AND {entries}.account_id <> %s AND {distance_sql} <= %s"
    )
    if connection.vendor == "postgresql":
        # An index scan per range: LATERAL, with OFFSET 0 so the planner cannot flatten it back
        # into a join, which hashed and measured every entry of the country (1.4 s at 1M).
        cells_from = f"r, LATERAL (SELECT * FROM {cells} c WHERE {in_cell} OFFSET 0) c"
        edges_from = (
            f"e, LATERAL (SELECT cell_y, cell_x, customer FROM {entries} WHERE {on_edge} "
            "OFFSET 0) m"
        )
        m = "m"
    else:
        # SQLite only loops: over the ranges, into the (country, cell) index.
        cells_from = f"r JOIN {cells} c ON {in_cell}"
        edges_from = f"e JOIN {entries} ON {on_edge}"
        m = entries
    if connection.vendor == "postgresql":
        # Arrays: a VALUES list of 1,500 ranges (400 km) took PostgreSQL 30 ms to plan.
        ranges = (
            "WITH r (size, y, x0, x1) AS (SELECT * FROM unnest(%s, %s, %s, %s)), "
            "e (y, x0, x1) AS (SELECT * FROM unnest(%s, %s, %s)) "
        )
        range_params: list = [list(column) for column in zip(*counted, strict=True)]
        range_params += [list(column) for column in zip(*edges, strict=True)]
    else:
        ranges = (
            f"WITH r (size, y, x0, x1) AS (VALUES {', '.join(['(%s, %s, %s, %s)'] * len(counted))})"
            f", e (y, x0, x1) AS (VALUES {', '.join(['(%s, %s, %s)'] * len(edges))}) "
        )
        range_params = [*(v for r in counted for v in r), *(v for r in edges for v in r)]
    with connection.cursor() as cursor:
        cursor.execute(
            ranges + f"SELECT c.size, c.y, c.x, c.accounts, c.customers FROM {cells_from} "
            f"UNION ALL SELECT 1, {m}.cell_y, {m}.cell_x, COUNT(*), "
            f"SUM(CASE WHEN {m}.customer THEN 1 ELSE 0 END) FROM {edges_from} "
            f"GROUP BY {m}.cell_y, {m}.cell_x "
            f"UNION ALL SELECT 0, cell_y, cell_x, 1, CASE WHEN customer THEN 1 ELSE 0 END "
            f"FROM {entries} WHERE account_id = %s",
            [
                *range_params,
                centre.country,
                centre.country,
                -1 if exclude is None else exclude,
                *distance_params,
                radius_km,
                -1 if exclude is None else exclude,
            ],
        )
        return cursor.fetchall()


def circle_points(
    *, centre: Centre, radius_km: float, exclude_account_id: int | None = None
) -> MapPoints:
    """The accounts within a radius, counted exactly: pins up to PIN_LIMIT, else map cells.

    The cells wholly inside the circle are counted in advance (MapCell: coarse ones where the
    map's cells are as large, fine ones along them); only the accounts in fine cells on the
    circle's edge are measured. A large circle costs about as little as a small one.
    """
    box = bounding_box(centre.latitude, centre.longitude, radius_km)
    block = _block_sizes(cell_km=2 * radius_km / CELLS_ACROSS, latitude=centre.latitude)
    if len(box.longitudes) > 1 or box.min_latitude <= -89 or box.max_latitude >= 89:
        # Across the date line or around a pole: rare enough to measure every account.
        return entry_points(
            entries_within(
                centre=centre, radius_km=radius_km, exclude_account_id=exclude_account_id
            ),
            block=block,
        )
    coarse = _inside(centre, radius_km, MapCell.COARSE) if block[0] % MapCell.COARSE == 0 else {}
    fine = _inside(centre, radius_km, MapCell.FINE)
    counted = [(MapCell.COARSE, y, first, last) for y, (first, last) in coarse.items()]
    edges = []
    for y in range(math.floor(box.min_latitude * CELLS_PER_DEGREE), 1 + math.floor(
        box.max_latitude * CELLS_PER_DEGREE
    )):  # fmt: skip
        touched = _touched(centre, radius_km + INNER_MARGIN_KM, y)
        inner = fine.get(y)
        if inner is None:
            edges += [(y, *touched)] if touched else []
            continue
        first, last = inner
        low, high = (
            min(first, touched[0]) if touched else first,
            max(last, touched[1] if touched else last),
        )
        edges += [(y, x0, x1) for x0, x1 in ((low, first - 1), (last + 1, high)) if x0 <= x1]
        pieces = [(first, last)]
        if (y // MapCell.COARSE) in coarse:
            start, end = coarse[y // MapCell.COARSE]
            covered = (start * MapCell.COARSE, end * MapCell.COARSE + MapCell.COARSE - 1)
            pieces = [(first, min(last, covered[0] - 1)), (max(first, covered[1] + 1), last)]
        counted += [(MapCell.FINE, y, x0, x1) for x0, x1 in pieces if x0 <= x1]
    rows = []
    for row in _counted_rows(
        centre, radius_km, counted=counted, edges=edges, exclude=exclude_account_id
    ):
        rows += _without_centre(row, coarse=coarse, fine=fine) if row[0] == 0 else [row]
    total, customers = sum(r[3] for r in rows), sum(r[4] for r in rows)
    if total > PIN_LIMIT:
        return MapPoints(total=total, customers=customers, cells=_blocks(rows, block=block))
    return pins_of(
        entries_within(centre=centre, radius_km=radius_km, exclude_account_id=exclude_account_id)
    )


def _without_centre(
    centre: CellRow, *, coarse: dict[int, tuple[int, int]], fine: dict[int, tuple[int, int]]
) -> list[CellRow]:
    """Takes the centre account out of the counted cell it is in (the edges leave it out)."""
    _, y, x, _, customer = centre
    big_y, big_x = y // MapCell.COARSE, x // MapCell.COARSE
    if big_y in coarse and coarse[big_y][0] <= big_x <= coarse[big_y][1]:
        return [(MapCell.COARSE, big_y, big_x, -1, -customer)]
    if y in fine and fine[y][0] <= x <= fine[y][1]:
        return [(MapCell.FINE, y, x, -1, -customer)]
    return []


def pins_of(entries: QuerySet[MapEntry]) -> MapPoints:
    rows = entries.order_by().values_list(
        "latitude", "longitude", "account_id", "name", "city", "customer"
    )
    pins: list[list] = [
        [lat, lon, pk, name, city, int(customer)] for lat, lon, pk, name, city, customer in rows
    ]
    return MapPoints(total=len(pins), customers=sum(p[5] for p in pins), pins=pins)


def _block_of(cell: str, size: int) -> Cast:
    """The map cell of `size` fine cells that a fine cell lies in, rounded down as Python's //
    rounds; in floating point, which PostgreSQL divides twice as fast as its decimals."""
    fine = Cast(cell, FloatField())
    return Cast(Floor(fine / Value(float(size), output_field=FloatField())), IntegerField())


def entry_points(entries: QuerySet[MapEntry], *, block: tuple[int, int]) -> MapPoints:
    """Pins for up to PIN_LIMIT accounts; above it, counts per map cell of `block` fine cells.

    The cells come first: their counts add up to the exact total, so a large area costs one
    query and no separate count; a small one costs a second query for its pins.
    """
    rows = (
        entries.order_by()
        .annotate(block_y=_block_of("cell_y", block[0]), block_x=_block_of("cell_x", block[1]))
        .values("block_y", "block_x")
        # Counts of columns in the (filter, cell) indexes, which answer them without the table.
        .annotate(n=Count("*"), customers=Count("customer", filter=Q(customer=True)))
        .values_list("block_y", "block_x", "n", "customers")
    )
    # As counted cells of the map cell's size, drawn at the map cell's middle.
    cells = [(1, by * block[0], bx * block[1], n, c) for by, bx, n, c in rows]
    total = sum(c[3] for c in cells)
    if total <= PIN_LIMIT:
        return pins_of(entries)
    return MapPoints(
        total=total, customers=sum(c[4] for c in cells), cells=_blocks(cells, block=block)
    )


def country_points(
    *, country: str | None, customers_only: bool, cell_km: float, latitude: float
) -> MapPoints:
    """Every account on the maps, or its customers, perhaps of one country, from the counted
    coarse cells."""
    block = _block_sizes(cell_km=cell_km, latitude=latitude)
    block = tuple(max(MapCell.COARSE, b) for b in block)  # type: ignore[assignment]
    cells = MapCell.objects.filter(size=MapCell.COARSE)
    if country:
        cells = cells.filter(country=country)
    counted = "customers" if customers_only else "accounts"
    rows = list(cells.values_list("size", "y", "x", counted, "customers"))
    total = sum(r[3] for r in rows)
    if total <= PIN_LIMIT:
        entries = MapEntry.objects.filter(customer=True) if customers_only else MapEntry.objects
        return pins_of(entries.filter(country=country) if country else entries.all())
    return MapPoints(
        total=total, customers=sum(r[4] for r in rows), cells=_blocks(rows, block=block)
    )


def overview_points(
    *, entries: QuerySet[MapEntry] | None, country: str | None, customers_only: bool = False
) -> MapPoints:
    """The overview map: the counted cells when at most a country and the type Customer are
    chosen (`entries` None), else the accounts the account list's filters select."""
    if entries is None:
        return country_points(
            country=country,
            customers_only=customers_only,
            cell_km=OVERVIEW_CELL_KM,
            latitude=51.0,
        )
    return entry_points(entries, block=_block_sizes(cell_km=OVERVIEW_CELL_KM, latitude=51.0))


class _CitiesThenNoCity(Sequence[MapEntry]):
    """The side list by city: the accounts with a city in city order, then those without.

    "No city last" as a first sort key would not follow the (country, city, name) index, so the
    accounts without a city come from a second query, run only for a page that reaches them.
    """

    def __init__(self, rows: QuerySet[MapEntry], *, total: int) -> None:
        self.with_city = rows.filter(city__gt="").order_by(*LIST_ORDER["city"])
        self.without_city = rows.filter(city="").order_by(*LIST_ORDER["name"])
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[MapEntry]:  # type: ignore[override]
        # The paginator asks for slices only.
        start, stop = index.start or 0, min(index.stop, self.total)
        found = list(self.with_city[start:stop])
        if start + len(found) >= stop:
            return found
        # Past the last city: where the accounts without one begin in the list.
        first = 0 if found else start - self.with_city.count()
        return found + list(self.without_city[first : first + stop - start - len(found)])


def nearby_page(
    entries: QuerySet[MapEntry],
    *,
    total: int,
    sort: SortKey,
    page_number: int | str,
    centre: Centre,
) -> Page:
    """One page of the side list, sorted by name or city, each row with its distance.

    `total` is the count the map already made, so paging costs no second count. The distance
    is the haversine one the radius rule uses (within 0.6% of the geodesic, at 1/300 the cost).
    """
    rows = entries.only("name", "city", "latitude", "longitude")
    listed = (
        rows.order_by(*LIST_ORDER[sort]) if sort == "name" else _CitiesThenNoCity(rows, total=total)
    )
    # _CitiesThenNoCity has the len() and slicing a Paginator uses; the stubs ask for more.
    paginator = Paginator(listed, LIST_PAGE_SIZE)  # type: ignore[arg-type]
    paginator.count = total  # cached_property: set, it is never counted again.
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        # Read by the side list's template.
        entry.distance_km = haversine_km(  # type: ignore[attr-defined]
            centre.latitude, centre.longitude, entry.latitude, entry.longitude
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
