"""Reads for the account's timeline and My work, each in a number of queries that does not grow
with the data."""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Field, ForeignKey, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, AccountChange, Contact
from accounts.selectors import accounts_owned_by, name_owners
from activities.models import Activity
from activities.services import (
    activity_may_change,
    activity_may_mark_done,
    activity_may_reopen,
)
from common.links import url_by_id
from common.typing import AuthUser, StrOrPromise
from sales.models import Approval, Invoice, Order, PrepaymentDecision, Quote

TIMELINE_PAGE_SIZE = 20
MY_TASKS_CAP = 30
MY_RECENT_COUNT = 10
MY_ACCOUNTS_CAP = 25

# The timeline's filter: one activity kind, the sales documents or the account's own history.
DOCUMENTS, HISTORY = "documents", "history"
TIMELINE_FILTERS: list[tuple[str, StrOrPromise]] = [
    ("", gettext_lazy("Everything")),
    *Activity.Kind.choices,
    (DOCUMENTS, gettext_lazy("Quotes, orders and invoices")),
    (HISTORY, gettext_lazy("Account changes")),
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"([0-9]{1,17})\.([0-9])\.([0-9]{1,18})")


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline, whichever record it comes from."""

    at: datetime
    rank: int  # orders entries of the same moment, and makes the paging key unique
    pk: int
    source: str
    title: str
    who: Any = None
    url: str = ""
    detail: str = ""
    activity: Activity | None = None
    may_change: bool = False
    may_mark_done: bool = False
    may_reopen: bool = False

    @property
    def key(self) -> tuple[datetime, int, int]:
        return (self.at, self.rank, self.pk)


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    show: str
    next_cursor: str = ""  # the page below: older entries
    newer_cursor: str = ""  # the page above: newer entries
    filters: list[tuple[str, StrOrPromise]] = field(default_factory=lambda: TIMELINE_FILTERS)


def encode_cursor(entry: TimelineEntry) -> str:
    return _cursor(*entry.key)


def _cursor(at: datetime, rank: int, pk: int) -> str:
    micros = (at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{rank}.{pk}"


def activity_url(activity: Activity, *, account_url: Callable[[int], str] | None = None) -> str:
    """The account page at the timeline's page that begins with the activity, scrolled to it:
    the page `before` the key just above the activity's own. Rows of many activities pass
    `account_url` (common.links.url_by_id), to reverse the account's URL once."""
    key = _cursor(activity.occurred_at, ACTIVITIES.rank, activity.pk + 1)
    account = (account_url or url_by_id("accounts:detail"))(activity.account_id)
    return f"{account}?before={key}#activity-{activity.pk}"


def decode_cursor(text: str) -> tuple[datetime, int, int] | None:
    """The paging key in `before`, or None for a mistyped one (the first page is shown)."""
    found = _CURSOR.fullmatch(text or "")
    if not found:
        return None
    try:
        at = _EPOCH + timedelta(microseconds=int(found.group(1)))
    except OverflowError:
        return None
    return at, int(found.group(2)), int(found.group(3))


@dataclass(frozen=True)
class _Source:
    """Where one kind of timeline entry is kept: an account's rows and the moment of each."""

    rank: int
    model: type[Model]
    account_field: str
    time_field: str
    users: tuple[str, ...]
    related: tuple[str, ...] = ()
    only_set: str = ""  # a field that must be set: a payment is an invoice with `paid_at`


_INVOICE_USERS = ("created_by", "paid_by")
ACTIVITIES = _Source(
    rank=7,
    model=Activity,
    account_field="account_id",
    time_field="occurred_at",
    users=("created_by", "assigned_to", "done_by", "deleted_by"),
    related=("contact", "quote", "order"),
)
CHANGES = _Source(
    rank=6,
    model=AccountChange,
    account_field="account_id",
    time_field="changed_at",
    users=("changed_by",),
)
QUOTES = _Source(
    rank=1, model=Quote, account_field="customer_id", time_field="created_at", users=("created_by",)
)
ORDERS = _Source(
    rank=2, model=Order, account_field="customer_id", time_field="created_at", users=("created_by",)
)
APPROVALS = _Source(
    rank=3,
    model=Approval,
    account_field="order__customer_id",
    time_field="decided_at",
    users=("decided_by",),
    related=("order",),
)
PREPAYMENTS = _Source(
    rank=4,
    model=PrepaymentDecision,
    account_field="order__customer_id",
    time_field="decided_at",
    users=("decided_by",),
    related=("order",),
)
INVOICES = _Source(
    rank=5,
    model=Invoice,
    account_field="customer_id",
    time_field="created_at",
    users=_INVOICE_USERS,
)
PAYMENTS = _Source(
    rank=8,
    model=Invoice,
    account_field="customer_id",
    time_field="paid_at",
    users=_INVOICE_USERS,
    only_set="paid_at",
)
SOURCES = {s.rank: s for s in (ACTIVITIES, CHANGES, QUOTES, ORDERS, APPROVALS, PREPAYMENTS,
                               INVOICES, PAYMENTS)}  # fmt: skip


def _sources(show: str, user: AuthUser) -> list[_Source]:
    """The sources the filter asks for, of those the user may read."""
    sources = []
    if show in ("", *Activity.Kind.values):
        sources.append(ACTIVITIES)
    if show in ("", HISTORY):
        sources.append(CHANGES)
    if show in ("", DOCUMENTS):
        if user.has_perm("sales.view_quote"):
            sources.append(QUOTES)
        if user.has_perm("sales.view_order"):
            sources += [ORDERS, APPROVALS, PREPAYMENTS]
        if user.has_perm("sales.view_invoice"):
            sources += [INVOICES, PAYMENTS]
    return sources


def _page_keys(
    sources: list[_Source],
    *,
    account_id: int,
    kind: str,
    cursor: tuple[datetime, int, int] | None,
    size: int,
    newer: bool = False,
) -> list[tuple[int, int]]:
    """(rank, id) of the page's entries and the one after, newest first, in one query; with
    `newer`, of the page before the cursor and the one before that, oldest first.

    Each source gives its newest (or oldest) `size + 1` rows of the account past the cursor, and
    the union keeps the nearest of those. Written as SQL: compiling eight querysets cost four
    times what the query itself does, on every account page. Each part is a subquery because
    SQLite cannot order and limit the parts of a union otherwise.
    """
    direction = "ASC" if newer else "DESC"
    parts, params = [], []
    for source in sources:
        sql = _source_sql(source)
        where: list[str] = [f"{sql.account} = %s"]
        where_params: list[Any] = [account_id]
        if source.only_set:
            where.append(f"t.{_column(source.model, source.only_set)} IS NOT NULL")
        if source is ACTIVITIES and kind:
            where.append(f"t.{_column(Activity, 'kind')} = %s")
            where_params.append(kind)
        if cursor is not None:
            condition, condition_params = _beyond(cursor, source.rank, sql, newer=newer)
            where.append(condition)
            where_params += condition_params
        parts.append(
            f"SELECT timeline_at, {source.rank}, timeline_id FROM (SELECT {sql.time} AS "
            f"timeline_at, {sql.pk} AS timeline_id FROM {sql.table} WHERE {' AND '.join(where)} "
            f"ORDER BY {sql.time} {direction}, {sql.pk} {direction} LIMIT {size + 1}) "
            f"AS s{source.rank}"
        )
        params += where_params
    if not parts:
        return []
    with connection.cursor() as db_cursor:
        db_cursor.execute(
            f"{' UNION ALL '.join(parts)} ORDER BY 1 {direction}, 2 {direction}, 3 {direction} "
            f"LIMIT {size + 1}",
            params,
        )
        return [(rank, pk) for _at, rank, pk in db_cursor.fetchall()]


@dataclass(frozen=True)
class _SourceSql:
    table: str  # the source's table as `t`, joined to the one that names the account if another
    time: str
    account: str
    pk: str


def _beyond(
    cursor: tuple[datetime, int, int], rank: int, sql: _SourceSql, *, newer: bool
) -> tuple[str, list[Any]]:
    """The condition for rows of one source past the cursor in (time, rank, id) order: older,
    or `newer`."""
    at, cursor_rank, pk = cursor
    at_value = connection.ops.adapt_datetimefield_value(at)
    on_or, past = (">=", ">") if newer else ("<=", "<")
    if rank == cursor_rank:
        # The redundant `<=` lets PostgreSQL walk the (account, time, id) index in order and
        # stop after a page; the OR alone made it fetch and sort every older row.
        return (
            f"{sql.time} {on_or} %s AND ({sql.time} {past} %s OR {sql.pk} {past} %s)",
            [at_value, at_value, pk],
        )
    # At the cursor's very time, a row of a lower-ranked source is older than it, one of a
    # higher-ranked source newer.
    at_the_same_time_too = rank > cursor_rank if newer else rank < cursor_rank
    return f"{sql.time} {on_or if at_the_same_time_too else past} %s", [at_value]


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column, f"{model.__name__}.{name} is no column"
    return connection.ops.quote_name(field.column)


@functools.cache
def _source_sql(source: _Source) -> _SourceSql:
    """Where the source's rows are, and their time, account and id, as SQL."""
    model, quote = source.model, connection.ops.quote_name
    table = f"{quote(model._meta.db_table)} t"
    time, pk = f"t.{_column(model, source.time_field)}", f"t.{quote(model._meta.pk.column)}"
    via, _, account_field = source.account_field.rpartition("__")
    if not via:
        return _SourceSql(table, time, f"t.{_column(model, account_field)}", pk)
    # An approval or a prepayment decision names the account through its order.
    link = cast(ForeignKey, model._meta.get_field(via))
    target = cast(type[Model], link.related_model)
    join = (
        f" JOIN {quote(target._meta.db_table)} via ON via.{quote(target._meta.pk.column)} = "
        f"t.{quote(link.column)}"
    )
    return _SourceSql(table + join, time, f"via.{_column(target, account_field)}", pk)


def _records(keys: list[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """The records behind the keys: one query a model on the page, one for all their users."""
    wanted: dict[type[Model], set[int]] = {}
    for rank, pk in keys:
        wanted.setdefault(SOURCES[rank].model, set()).add(pk)
    by_model: dict[type[Model], dict[int, Any]] = {}
    for model, pks in wanted.items():
        related = {r for s in SOURCES.values() if s.model is model for r in s.related}
        by_model[model] = model._default_manager.select_related(*related).order_by().in_bulk(pks)
    records = {
        (rank, pk): by_model[SOURCES[rank].model][pk]
        for rank, pk in keys
        if pk in by_model[SOURCES[rank].model]  # not deleted since the keys were read
    }
    _attach_users([(record, SOURCES[rank].users) for (rank, _pk), record in records.items()])
    name_owners(by_model.get(AccountChange, {}).values())
    return records


def _attach_users(records: list[tuple[Model, tuple[str, ...]]]) -> None:
    """Sets the users the records name from one query, instead of a join for each user field."""
    ids = {getattr(record, f"{name}_id") for record, names in records for name in names}
    ids.discard(None)
    users = get_user_model()._default_manager.order_by().in_bulk(ids) if ids else {}
    for record, names in records:
        for name in names:
            setattr(record, name, users.get(getattr(record, f"{name}_id")))


def _change_words(change: AccountChange) -> tuple[str, str]:
    """A history line's title and detail: what was done, or which field went from what to what."""
    if change.field == AccountChange.Field.IS_ACTIVE:
        made_active = change.new_value == "Yes"
        return (_("Made active again") if made_active else _("Made inactive")), ""
    title = _("%(field)s changed") % {"field": change.get_field_display()}
    return title, f"{change.old_display() or '—'} → {change.new_display() or '—'}"


def _entry(rank: int, record: Any, user: AuthUser) -> TimelineEntry:
    """The timeline's line for one record of the source `rank`."""
    if rank == ACTIVITIES.rank:
        return TimelineEntry(
            at=record.occurred_at, rank=rank, pk=record.pk, source="activity",
            title=record.subject, who=record.created_by, activity=record,
            may_change=activity_may_change(activity=record, user=user),
            may_mark_done=activity_may_mark_done(activity=record, user=user),
            may_reopen=activity_may_reopen(activity=record, user=user),
        )  # fmt: skip
    if rank == CHANGES.rank:
        title, detail = _change_words(record)
        return TimelineEntry(
            at=record.changed_at, rank=rank, pk=record.pk, source="change",
            title=title, who=record.changed_by, detail=detail,
        )  # fmt: skip
    if rank == QUOTES.rank:
        return TimelineEntry(
            at=record.created_at, rank=rank, pk=record.pk, source="quote",
            title=_("Quote %(number)s written") % {"number": record.number},
            who=record.created_by, url=record.get_absolute_url(),
            detail=record.get_status_display(),
        )  # fmt: skip
    if rank == ORDERS.rank:
        return TimelineEntry(
            at=record.created_at, rank=rank, pk=record.pk, source="order",
            title=_("Order %(number)s entered") % {"number": record.number},
            who=record.created_by, url=record.get_absolute_url(),
            detail=record.get_status_display(),
        )  # fmt: skip
    if rank in (APPROVALS.rank, PREPAYMENTS.rank):
        return TimelineEntry(
            at=record.decided_at, rank=rank, pk=record.pk,
            source="approval" if rank == APPROVALS.rank else "prepayment",
            title=_("Order %(number)s: %(decision)s")
            % {"number": record.order.number, "decision": record.get_decision_display()},
            who=record.decided_by, url=record.order.get_absolute_url(), detail=record.comment,
        )  # fmt: skip
    if rank == INVOICES.rank:
        return TimelineEntry(
            at=record.created_at, rank=rank, pk=record.pk, source="invoice",
            title=_("Invoice %(number)s issued") % {"number": record.number},
            who=record.created_by, url=record.get_absolute_url(),
        )  # fmt: skip
    if rank != PAYMENTS.rank:
        raise ValueError(f"No timeline source has rank {rank}")
    return TimelineEntry(
        at=record.paid_at, rank=rank, pk=record.pk, source="payment",
        title=_("Invoice %(number)s paid") % {"number": record.number},
        who=record.paid_by, url=record.get_absolute_url(),
    )  # fmt: skip


def account_timeline(
    *,
    account_id: int,
    user: AuthUser,
    show: str = "",
    before: str = "",
    after: str = "",
    size: int = TIMELINE_PAGE_SIZE,
) -> Timeline:
    """The account's activities with what its documents and its history already record, newest
    first, `size` at a time: the newest, those older than `before` or, going back up, those
    newer than `after`.

    Nothing is copied: one query finds the page's entries among the sources where they are kept,
    then each model on the page is read once, and the users they name once. A page is keyed on
    its first or last entry's (time, source rank, id), so a deep page costs what the first does.
    """
    if show not in {value for value, _label in TIMELINE_FILTERS}:
        show = ""
    kind = show if show in Activity.Kind.values else ""
    newer_than = decode_cursor(after)
    cursor = newer_than or decode_cursor(before)
    keys = _page_keys(
        _sources(show, user), account_id=account_id, kind=kind, cursor=cursor, size=size,
        newer=newer_than is not None,
    )  # fmt: skip
    if cursor is not None and not keys:
        # Nothing past the key (a stale bookmark, the entries there deleted meanwhile): the
        # newest page, then, rather than an empty one without a way back.
        return account_timeline(account_id=account_id, user=user, show=show, size=size)
    more = len(keys) > size
    keys = keys[:size]
    if newer_than is not None:
        keys.reverse()
    records = _records(keys)
    page = [_entry(key[0], records[key], user) for key in keys if key in records]
    # Past the page's ends: older ones below it, unless it is the last; newer ones above it,
    # unless it is the first (the newest, or the top reached going back up). A page opened at
    # an entry (activity_url) asks whether anything is newer than its first.
    has_older = more if newer_than is None else True
    has_newer = more if newer_than is not None else cursor is not None
    if has_newer and newer_than is None and page:
        above = _page_keys(
            _sources(show, user), account_id=account_id, kind=kind, cursor=page[0].key,
            size=0, newer=True,
        )  # fmt: skip
        has_newer = bool(above)
    return Timeline(
        entries=page,
        show=show,
        next_cursor=encode_cursor(page[-1]) if has_older and page else "",
        newer_cursor=encode_cursor(page[0]) if has_newer and page else "",
    )


@dataclass
class MyWork:
    tasks: list[Activity]
    more_tasks: bool
    recent: list[Activity]
    owned: list[Account]
    more_owned: bool
    now: datetime


def activities_naming(*, contact: Contact) -> int:
    """How many of the timeline's activities name the contact (deleted ones show no names)."""
    return Activity.objects.filter(contact=contact, deleted_at__isnull=True).count()


def my_open_tasks(*, user: AuthUser) -> QuerySet[Activity]:
    """The user's open tasks and planned activities, the earliest due first."""
    return (
        Activity.objects.filter(assigned_to=user, done_at__isnull=True, deleted_at__isnull=True)
        .select_related("account", "contact", "created_by")
        .order_by("occurred_at", "id")
    )


def my_work(*, user: AuthUser) -> MyWork:
    """What My work shows, in three queries: open tasks (the overdue ones first, as the earliest
    due), what the user wrote lately and the accounts they own."""
    tasks = list(my_open_tasks(user=user)[: MY_TASKS_CAP + 1])
    recent = list(
        Activity.objects.filter(created_by=user, deleted_at__isnull=True)
        .select_related("account", "contact")
        .order_by("-id")[:MY_RECENT_COUNT]
    )
    owned = list(accounts_owned_by(user)[: MY_ACCOUNTS_CAP + 1])
    return MyWork(
        tasks=tasks[:MY_TASKS_CAP],
        more_tasks=len(tasks) > MY_TASKS_CAP,
        recent=recent,
        owned=owned[:MY_ACCOUNTS_CAP],
        more_owned=len(owned) > MY_ACCOUNTS_CAP,
        now=timezone.now(),
    )
