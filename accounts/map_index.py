"""The maps' copy of the accounts (MapEntry) and their counted grid cells (MapCell), kept in step.

Every write that can put an account on a map, take it off, move it or change what a map shows or
filters of it (name, city, customer or not, type, industry, search words) calls
accounts.copies.account_copies_refresh (which calls account_map_sync) with the accounts it touched:
the services for accounts, addresses and relationship types, geocoding, the CSV import and the
demo loader. rebuild_map_index recomputes both tables from the accounts (manage.py
rebuild_map_index, the bench fill, migration 0022); the tests hold the two ways equal.

Which accounts a map shows is decided in one place, map_rows: a located visit address and a
relationship type other than Other (the seed's rule), of an account that still trades (active).
"""

import math
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import BooleanField, Case, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Floor

from accounts.models import Account, Address, MapCell, MapEntry, RelationshipType

# The fine grid: 1 / CELLS_PER_DEGREE degrees (0.01, about 1.1 km north-south).
CELLS_PER_DEGREE = 100
# A MapEntry's columns, in the order map_rows selects them, and where map_rows reads those that
# come from the account.
ENTRY_COLUMNS = (
    "account_id", "country", "city", "latitude", "longitude",
    "name", "customer", "cell_y", "cell_x", "relationship_type_id", "industry_id", "search",
)  # fmt: skip
_FROM_ACCOUNT = {
    "name": "account__name",
    "relationship_type_id": "account__relationship_type_id",
    "industry_id": "account__industry_id",
    "search": "account__listing_search",
}
CellKey = tuple[str, int, int, int]  # country, size, y, x


def fine_cell(latitude: float, longitude: float) -> tuple[int, int]:
    """The fine cell of a point; the same arithmetic as map_rows does in SQL."""
    return math.floor(latitude * CELLS_PER_DEGREE), math.floor(longitude * CELLS_PER_DEGREE)


def map_rows() -> QuerySet[Address, tuple]:
    """What MapEntry should hold, one tuple per account on the maps (ENTRY_COLUMNS)."""
    cell = {
        f"cell_{axis}": Cast(Floor(F(column) * Value(CELLS_PER_DEGREE)), IntegerField())
        for axis, column in (("y", "latitude"), ("x", "longitude"))
    }
    return (
        Address.objects.filter(
            kind=Address.Kind.VISIT, latitude__isnull=False, account__is_active=True
        )
        .exclude(longitude__isnull=True)
        .exclude(account__relationship_type__code=RelationshipType.OTHER)
        .order_by()
        .annotate(
            customer=Case(
                When(account__relationship_type__code=RelationshipType.CUSTOMER, then=True),
                default=False,
                output_field=BooleanField(),
            ),
            **cell,
        )
        .values_list(*(_FROM_ACCOUNT.get(c, c) for c in ENTRY_COLUMNS))
    )


def _cells_of(entry: MapEntry) -> list[CellKey]:
    return [
        (entry.country, size, entry.cell_y // size, entry.cell_x // size)
        for size in (MapCell.FINE, MapCell.COARSE)
    ]


def _same(old: MapEntry | None, new: MapEntry | None) -> bool:
    if old is None or new is None:
        return old is new
    return all(getattr(old, column) == getattr(new, column) for column in ENTRY_COLUMNS)


@transaction.atomic
def account_map_sync(*, account_ids: Iterable[int]) -> None:
    """Bring the maps' copy of these accounts, and the cell counts, in step with the accounts.

    Call it after any write to an account, its visit address or its type (a deleted account
    leaves the maps). Unchanged accounts cost three queries and write nothing.
    """
    ids = sorted(set(account_ids))
    if not ids:
        return
    # One sync of an account at a time, so each change is counted in the cells exactly once.
    list(Account.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    wanted = {
        row[0]: MapEntry(**dict(zip(ENTRY_COLUMNS, row, strict=True)))
        for row in map_rows().filter(account_id__in=ids)
    }
    current = {entry.account_id: entry for entry in MapEntry.objects.filter(account_id__in=ids)}
    deltas: dict[CellKey, list[int]] = defaultdict(lambda: [0, 0])
    changed = []
    for pk in ids:
        old, new = current.get(pk), wanted.get(pk)
        if _same(old, new):
            continue
        changed.append(pk)
        for entry, sign in ((old, -1), (new, 1)):
            if entry is not None:
                for key in _cells_of(entry):
                    deltas[key][0] += sign
                    deltas[key][1] += sign * int(entry.customer)
    if not changed:
        return
    MapEntry.objects.filter(account_id__in=changed).delete()
    MapEntry.objects.bulk_create([wanted[pk] for pk in changed if pk in wanted])
    _add_to_cells({key: d for key, d in deltas.items() if d != [0, 0]})


def _add_to_cells(deltas: dict[CellKey, list[int]]) -> None:
    """Add the deltas to the cells' counts in the database (never read, changed, written back),
    then drop the cells left empty."""
    table = MapCell._meta.db_table
    items = list(deltas.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            cursor.execute(
                f"INSERT INTO {table} (country, size, y, x, accounts, customers) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
                + f" ON CONFLICT (country, size, y, x) DO UPDATE SET"
                f" accounts = {table}.accounts + excluded.accounts,"
                f" customers = {table}.customers + excluded.customers",
                [value for key, (n, c) in chunk for value in (*key, n, c)],
            )
        emptied = [key for key, (n, _) in items if n < 0]
        for start in range(0, len(emptied), 500):
            keys = emptied[start : start + 500]
            cursor.execute(
                f"DELETE FROM {table} WHERE accounts = 0 AND (country, size, y, x) IN (VALUES "
                + ", ".join(["(%s, %s, %s, %s)"] * len(keys))
                + ")",
                [value for key in keys for value in key],
            )


@transaction.atomic
def rebuild_map_index() -> int:
    """Recompute MapEntry and MapCell from the accounts; returns how many accounts are mapped."""
    entries, cells = MapEntry._meta.db_table, MapCell._meta.db_table
    select, params = map_rows().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {cells}")
        cursor.execute(f"DELETE FROM {entries}")
        cursor.execute(f"INSERT INTO {entries} ({', '.join(ENTRY_COLUMNS)}) {select}", params)
        for size in (MapCell.FINE, MapCell.COARSE):
            # FLOOR of a division by a decimal: the rounding of Python's //, for negative cells too.
            cursor.execute(
                f"""
                INSERT INTO {cells} (country, size, y, x, accounts, customers)
                SELECT country, %s, y, x, COUNT(*), SUM(CASE WHEN customer THEN 1 ELSE 0 END)
                FROM (
                    SELECT country, customer,
                        CAST(FLOOR(cell_y / %s) AS INTEGER) AS y,
                        CAST(FLOOR(cell_x / %s) AS INTEGER) AS x
                    FROM {entries}
                ) AS e
                GROUP BY country, y, x
                """,
                [size, float(size), float(size)],
            )
        return MapEntry.objects.count()
