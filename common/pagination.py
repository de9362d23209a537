import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import (  # type: ignore[import-untyped]
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
)

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination
    from django.views.generic.list import BaseListView

    # The mixin is checked as part of the list views it is mixed into.
    _ListViewBase = BaseListView[Any]
else:
    _ListViewBase = object

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows, so a page of a million-row list stays fast.

    Past the cap the list says "more than 10,000" and asks for a narrower search.
    """

    object_list: QuerySet[Any]  # counted in SQL, so a queryset rather than any sequence

    def __init__(self, *args: Any, cap: int = COUNT_CAP, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # Without the ORDER BY and the selected columns, PostgreSQL counts from index-only scans
        # (10 ms instead of 170 ms for the capped count of a million accounts).
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    def validate_number(self, number: Any) -> int:
        """A page number out of range or mistyped shows the nearest page rather than a 404."""
        try:
            return super().validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            return self.num_pages if str(number).isdigit() and int(number) > 1 else 1

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


class CappedPaginationMixin(_ListViewBase):
    """For list views: a capped count, and a mistyped page number shows the nearest page."""

    paginator_class = CappedPaginator

    def paginate_queryset(
        self, queryset: "_SupportsPagination[Any]", page_size: int
    ) -> "tuple[Paginator, Page, _SupportsPagination[Any], bool]":
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


# Keyset pagination: a page starts after (or ends before) the key of a row, read from the index
# in the list's order, so every page costs the same however deep it is and nothing is counted.
# (OFFSET skips rows one by one, and an exact count of a million rows cost more than the page.)

KEYSET_PAGE_SIZE = 25
_CURSOR_MAX_CHARS = 1_000


@dataclass(frozen=True)
class KeysetOrder:
    """A total order for keyset pages: `columns` end with a unique one (the id), and `parts`
    are read one after the other (for example cities filled in, then the empty ones)."""

    columns: tuple[str, ...]
    parts: tuple[Q, ...] = (Q(),)
    descending: bool = False

    def order_by(self, *, backwards: bool = False) -> list[str]:
        down = self.descending != backwards
        return [f"-{column}" if down else column for column in self.columns]

    def beyond(self, key: Sequence[Any], *, backwards: bool = False) -> Q:
        """The rows after `key` in this order (before it, backwards): one row-value comparison,
        `(city, id) > ('Zwolle', 4678)`, which the database reads as a range of the index.
        (Spelt out as ORs, it scanned every row of the key's city before the key.)"""
        compare = TupleGreaterThan if self.descending == backwards else TupleLessThan
        columns = Tuple(*(F(column) for column in self.columns))
        return Q(compare(columns, tuple(key)))


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: the key of a row, its part of the order, and its position in the
    list when known (1 for the first row), which only serves to tell the reader."""

    part: int
    key: tuple[Any, ...]
    position: int | None

    def encode(self) -> str:
        raw = json.dumps([self.position, self.part, *self.key], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, order: KeysetOrder) -> "Cursor | None":
        """The cursor in a link, or None for anything that is not one of this order's."""
        if not text or len(text) > _CURSOR_MAX_CHARS:
            return None
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            values = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(values, list) or len(values) != len(order.columns) + 2:
            return None
        position, part, *key = values
        if position is not None and not (isinstance(position, int) and 0 < position < 10**9):
            return None
        if not (isinstance(part, int) and 0 <= part < len(order.parts)):
            return None
        # Text columns, then the id; PostgreSQL refuses NUL in a query, and neither database
        # takes a lone surrogate ("\ud800" in the JSON), which is no text.
        if not all(isinstance(v, str) and "\x00" not in v and _is_text(v) for v in key[:-1]):
            return None
        if not (isinstance(key[-1], int) and 0 <= key[-1] < 2**63):
            return None
        return cls(part=part, key=tuple(key), position=position)


def _is_text(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class KeysetPage:
    rows: list[dict[str, Any]]
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    first_position: int | None = None  # of the first row, when known

    @property
    def last_position(self) -> int | None:
        return None if self.first_position is None else self.first_position + len(self.rows) - 1

    @property
    def total(self) -> int | None:
        """The number of rows in the whole list, when this page shows that it has them all."""
        return len(self.rows) if not (self.has_next or self.has_previous) else None


# How many rows of the order's index a search walks before it sorts its matches instead.
SEARCH_WALK_ROWS = 12_000


@dataclass(frozen=True)
class WalkedSearch:
    """A search of a keyset list, found by walking at most SEARCH_WALK_ROWS rows of the order's
    index and, when that meets too few matches, by sorting every match.

    Left to itself, PostgreSQL picks one of the two by how many rows it expects to match,
    assuming they are spread evenly through the order: for a surname whose accounts all sort
    near Z it walked 950,000 rows of the name index (260 ms). `columns` are the model's
    columns the condition reads: the walk reads them with the order's, so an index holding
    them all serves it without reading the rows. `index_condition` is that index's own
    condition, when it is partial, and must hold for every row: PostgreSQL reads a partial
    index only for a query that states its condition.
    """

    condition: Q
    columns: tuple[str, ...]
    index_condition: Q = field(default_factory=Q)


def _walked_search_ids(
    rows: QuerySet[Any], search: WalkedSearch, order_by: Sequence[str], wanted: int
) -> RawSQL:
    """The ids of the first `wanted` rows of `rows` (in `order_by`) that meet the search, as a
    subquery: the matches among the first SEARCH_WALK_ROWS rows when there are enough, or
    else the first of all matches, sorted. PostgreSQL computes the second only when needed."""
    model = rows.model
    quote = connections[rows.db].ops.quote_name
    ordered = [name.removeprefix("-") for name in order_by]
    walk = rows.filter(search.index_condition).order_by(*order_by)
    walk = walk.values(*dict.fromkeys([*ordered, *search.columns]))
    walk_sql, walk_params = walk[:SEARCH_WALK_ROWS].query.sql_with_params()
    matches = rows.filter(search.condition).order_by().values(*ordered)
    matches_sql, matches_params = matches.query.sql_with_params()
    # The condition compiled against the model's table, applied to the walk under that name.
    condition = model._base_manager.filter(search.condition).query
    where_sql, where_params = condition.get_compiler(using=rows.db).compile(condition.where)
    order_sql = ", ".join(
        f"{quote(name.removeprefix('-'))} {'DESC' if name.startswith('-') else 'ASC'}"
        for name in order_by
    )
    pk, table, limit = quote(model._meta.pk.column), quote(model._meta.db_table), int(wanted)
    sql = (
        f"WITH hits AS MATERIALIZED (SELECT {pk} FROM ({walk_sql}) AS {table} "
        f"WHERE {where_sql} ORDER BY {order_sql} LIMIT {limit}), "
        f"matches AS MATERIALIZED ({matches_sql}) "
        f"SELECT {pk} FROM hits WHERE (SELECT COUNT(*) FROM hits) = {limit} "
        f"UNION ALL SELECT {pk} FROM (SELECT * FROM matches ORDER BY {order_sql} "
        f"LIMIT {limit}) AS sorted WHERE (SELECT COUNT(*) FROM hits) < {limit}"
    )
    return RawSQL(sql, (*walk_params, *where_params, *matches_params))


def keyset_page(
    rows: QuerySet[Any],
    order: KeysetOrder,
    *,
    after: str = "",
    before: str = "",
    last: bool = False,
    fields: Sequence[str],
    size: int = KEYSET_PAGE_SIZE,
    search: WalkedSearch | None = None,
) -> KeysetPage:
    """A page of `rows` (as dicts of `fields`), those that meet `search` if one is given: the
    first, the one after or before a cursor, or the last. One query per part of the order it
    reaches, usually one."""
    cursor = Cursor.decode(after or before, order)
    backwards = last or (bool(before) and cursor is not None)
    if backwards:
        start = cursor.part if cursor and not last else len(order.parts) - 1
        parts = range(start, -1, -1)
    else:
        parts = range(cursor.part if cursor else 0, len(order.parts))
    columns = list(dict.fromkeys([*fields, *order.columns]))
    found: list[tuple[int, dict[str, Any]]] = []
    for part in parts:
        chosen = rows.filter(order.parts[part])
        if cursor is not None and not last and part == cursor.part:
            chosen = chosen.filter(order.beyond(cursor.key, backwards=backwards))
        wanted = size + 1 - len(found)
        order_by = order.order_by(backwards=backwards)
        if search is not None and search.condition:
            chosen = chosen.filter(pk__in=_walked_search_ids(chosen, search, order_by, wanted))
        chosen = chosen.order_by(*order_by).values(*columns)
        found += [(part, row) for row in chosen[:wanted]]
        if len(found) > size:
            break
    more = len(found) > size
    if backwards and not last and not more and len(found) < size:
        # Stepping back reached the start with a short page: show the full first page instead.
        return keyset_page(rows, order, fields=fields, size=size, search=search)
    found = found[:size]
    position = cursor.position if cursor else None
    if backwards:
        found.reverse()
        has_previous, has_next = more, not last
        first = 1 if not more else (position - len(found) if position else None)
    else:
        has_previous, has_next = cursor is not None, more
        first = position if cursor else 1
    page = KeysetPage(
        rows=[row for _, row in found],
        has_next=has_next,
        has_previous=has_previous,
        first_position=first,
    )
    if found:
        (first_part, first_row), (last_part, last_row) = found[0], found[-1]
        page.previous_cursor = Cursor(
            part=first_part, key=tuple(first_row[c] for c in order.columns), position=first
        ).encode()
        page.next_cursor = Cursor(
            part=last_part,
            key=tuple(last_row[c] for c in order.columns),
            position=None if first is None else first + len(found),
        ).encode()
    return page
