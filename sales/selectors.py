"""Reads of quotes, orders, approvals and invoices for the pages, in a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from accounts.models import Account, Address, Contact
from sales import credit
from sales.models import (
    Approval,
    Invoice,
    Order,
    OrderLine,
    PrepaymentDecision,
    Quote,
    QuoteLine,
)

ZERO = Decimal("0")
MONEY: DecimalField = DecimalField(max_digits=16, decimal_places=2)


def open_orders(*, account_id: int | OuterRef) -> QuerySet[Order]:
    """Accepted orders not yet invoiced, except those whose prepayment Accounting confirmed.

    A prepaid tick that Accounting has not confirmed is a claim, not money: such an order counts.
    """
    # The plugin types an id lookup without OuterRef, which Django takes anywhere a value goes.
    return Order.objects.filter(
        customer_id=account_id,  # type: ignore[misc]
        status=Order.Status.ACCEPTED,
    ).exclude(prepaid=True, prepayment_confirmed_at__isnull=False)


def unpaid_invoices(*, account_id: int | OuterRef) -> QuerySet[Invoice]:
    """Every unpaid invoice, a prepaid order's too: what is invoiced and not paid is owed."""
    return Invoice.objects.filter(
        customer_id=account_id,  # type: ignore[misc]  # OuterRef: see open_orders
        paid_at__isnull=True,
    )


def _sum_subquery(queryset: QuerySet, field: str) -> Coalesce:
    summed = queryset.order_by().values("customer_id").annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(summed, output_field=MONEY), Value(ZERO), output_field=MONEY)


def exposure_expression(account_ref: str = "customer_id") -> CombinedExpression:
    """The exposure of the account in `account_ref`, as an annotation: no query per row.

    An order whose prepayment was confirmed extends no credit until it is invoiced; an unpaid
    invoice always counts.
    """
    orders = open_orders(account_id=OuterRef(account_ref))
    invoices = unpaid_invoices(account_id=OuterRef(account_ref))
    return _sum_subquery(orders, "total") + _sum_subquery(invoices, "amount")


def account_exposure(*, account_id: int) -> Decimal:
    """What the account owes us on credit, in one query.

    Accepted orders not yet invoiced and not confirmed prepaid, plus every unpaid invoice.
    """
    return (
        Account.objects.filter(pk=account_id)
        .annotate(exposure=exposure_expression("pk"))
        .values_list("exposure", flat=True)
        .get()
    )


def credit_check_now(
    *, order: Order, exposure: Decimal, prepayment: str | None = None
) -> credit.CreditDecision:
    """What the credit check would decide on the order with its customer's hold and limit and
    `exposure` as they are now (`prepayment` as it stands, unless given)."""
    return credit.credit_check(
        order_value=order.total,
        prepayment=prepayment or order.prepayment_state,
        credit_hold=order.customer.credit_hold,
        credit_limit=order.customer.credit_limit,
        exposure=exposure,
    )


def credit_reason_now(*, order: Order, exposure: Decimal) -> str:
    """What the credit check would say of an order still waiting, when it would now decide
    otherwise (a hold lifted, a limit raised, invoices paid); "" when it would decide the same,
    however its figures moved.

    An order waiting for its prepayment is compared on what happens should the money not arrive.
    """
    if not order.awaits_a_decision or not order.customer.is_active:
        return ""  # an inactive account's order goes nowhere, whatever its credit
    now = credit_check_now(order=order, exposure=exposure)
    if not order.awaits_prepayment:
        return "" if now.status == order.status else now.reason
    then = order.credit_check_recorded(prepayment=credit.NOT_PREPAID)
    if_not_received = credit_check_now(
        order=order, exposure=exposure, prepayment=credit.NOT_PREPAID
    )
    return "" if then is None or then.status == if_not_received.status else now.reason


@dataclass(frozen=True)
class WaitingOrder:
    """An order on the Approvals page and what the credit check says of it today: for one
    waiting for Management, its reason when it would now decide otherwise ("" if not); for one
    waiting for its prepayment, what it decides should the money not arrive."""

    order: Order
    reason_now: str


def approvals_waiting(*, shown: int) -> tuple[list[WaitingOrder], int]:
    """The `shown` oldest orders waiting for Management, and how many wait."""
    pending = approval_pending()
    orders: list[Any] = list(pending[:shown])  # annotated with current_exposure
    rows = [
        WaitingOrder(order, credit_reason_now(order=order, exposure=order.current_exposure))
        for order in orders
    ]
    return rows, pending.count()


def prepayments_waiting(*, shown: int) -> list[WaitingOrder]:
    """The `shown` oldest orders waiting for their prepayment (and the next, if any)."""
    orders: list[Any] = list(prepayment_pending()[: shown + 1])  # with current_exposure
    return [
        WaitingOrder(
            order,
            credit_check_now(
                order=order, exposure=order.current_exposure, prepayment=credit.NOT_PREPAID
            ).reason
            if order.customer.is_active
            else "",
        )
        for order in orders
    ]


_LIST_FIELDS = (
    "number",
    "status",
    "total",
    "created_at",
    "customer__name",
    "customer_id",
)


def quote_list() -> QuerySet[Quote]:
    return Quote.objects.select_related("customer").only(*_LIST_FIELDS, "valid_until")


def order_list() -> QuerySet[Order]:
    return Order.objects.select_related("customer").only(
        *_LIST_FIELDS, "prepaid", "prepayment_confirmed_at"
    )


_DETAIL_RELATED = (
    "customer",
    "customer__relationship_type",
    "seller_account",
    "seller_contact",
    "invoice_address",
    "delivery_address",
    "created_by",
)


def quote_detail() -> QuerySet[Quote]:
    """A quote with its parties, lines and the order it became (if any), in two queries."""
    return Quote.objects.select_related(*_DETAIL_RELATED, "order").prefetch_related(
        Prefetch("lines", queryset=QuoteLine.objects.order_by("position", "id"))
    )


def order_detail() -> QuerySet[Order]:
    return Order.objects.select_related(
        *_DETAIL_RELATED, "quote", "invoice", "prepayment_confirmed_by"
    ).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")),
        Prefetch("approvals", queryset=Approval.objects.select_related("decided_by")),
        Prefetch(
            "prepayment_decisions",
            queryset=PrepaymentDecision.objects.select_related("decided_by"),
        ),
    )


def approval_pending() -> QuerySet[Order]:
    """Orders waiting for Management, oldest first, with each customer's exposure now."""
    return (
        Order.objects.filter(status=Order.Status.PENDING_APPROVAL)
        .select_related("customer")
        .annotate(current_exposure=exposure_expression())
        .order_by("id")
    )


def prepayment_pending() -> QuerySet[Order]:
    """Orders waiting for Accounting to confirm their prepayment, oldest first, with each
    customer's exposure now."""
    return (
        Order.objects.filter(status=Order.Status.AWAITING_PREPAYMENT)
        .select_related("customer")
        .annotate(current_exposure=exposure_expression())
        .order_by("id")
    )


def approval_recent() -> QuerySet[Approval]:
    """Decisions already taken, newest first: everyone sees who decided and when."""
    return Approval.objects.select_related("order", "order__customer", "decided_by").order_by(
        "-decided_at", "-id"
    )


def invoice_list() -> QuerySet[Invoice]:
    """The invoices list's columns only, with the customer's name."""
    return Invoice.objects.select_related("customer").only(
        "number", "date", "due_date", "amount", "paid_at", "customer__name"
    )


def invoice_detail() -> QuerySet[Invoice]:
    """An invoice with its order's seller and lines, in two queries."""
    return Invoice.objects.select_related(
        "order",
        "order__seller_account",
        "order__seller_contact",
        "customer",
        "paid_by",
        "created_by",
    ).prefetch_related(
        Prefetch("order__lines", queryset=OrderLine.objects.order_by("position", "id"))
    )


@dataclass(frozen=True)
class AccountSales:
    """The account page's sales panel."""

    quotes: list[Quote]
    orders: list[Order]
    open_invoices: list[Invoice]
    exposure: Decimal
    remaining_credit: Decimal | None
    quote_count: int
    order_count: int
    open_invoice_count: int


PANEL_ROWS = 5


def account_sales(*, account: Account) -> AccountSales:
    """Latest quotes, orders and unpaid invoices of an account, its exposure and remaining credit.

    At most 7 queries, whatever the number of documents.
    """
    quotes = list(Quote.objects.filter(customer=account).only(*_LIST_FIELDS)[: PANEL_ROWS + 1])
    orders = list(
        Order.objects.filter(customer=account).only(*_LIST_FIELDS, "prepaid")[: PANEL_ROWS + 1]
    )
    invoices = list(
        Invoice.objects.filter(customer=account, paid_at__isnull=True).only(
            "number", "date", "due_date", "amount", "paid_at", "customer_id"
        )[: PANEL_ROWS + 1]
    )
    exposure = account_exposure(account_id=account.pk)
    remaining = None if account.credit_limit is None else account.credit_limit - exposure
    return AccountSales(
        quotes=quotes[:PANEL_ROWS],
        orders=orders[:PANEL_ROWS],
        exposure=exposure,
        remaining_credit=remaining,
        quote_count=Quote.objects.filter(customer=account).count()
        if len(quotes) > PANEL_ROWS
        else len(quotes),
        order_count=Order.objects.filter(customer=account).count()
        if len(orders) > PANEL_ROWS
        else len(orders),
        open_invoices=invoices[:PANEL_ROWS],
        open_invoice_count=Invoice.objects.filter(customer=account, paid_at__isnull=True).count()
        if len(invoices) > PANEL_ROWS
        else len(invoices),
    )


@dataclass(frozen=True)
class DocumentsUsing:
    """The documents that use a contact or an address, named on the page confirming its removal.

    Issued documents (orders, invoices, quotes no longer drafts) keep a copy of it; drafts lose it.
    Each list holds at most USING_ROWS numbers; the counts are the totals.
    """

    issued: list[str]
    issued_count: int
    drafts: list[str]
    draft_count: int

    @property
    def issued_more(self) -> int:
        return self.issued_count - len(self.issued)

    @property
    def drafts_more(self) -> int:
        return self.draft_count - len(self.drafts)


USING_ROWS = 10


def _numbers(querysets: list[QuerySet]) -> tuple[list[str], int]:
    numbers: list[str] = []
    count = 0
    for queryset in querysets:
        found = list(queryset.order_by("id").values_list("number", flat=True)[: USING_ROWS + 1])
        numbers += found
        count += queryset.count() if len(found) > USING_ROWS else len(found)
    return numbers[:USING_ROWS], count


def _documents_using(uses: Q, invoices: QuerySet[Invoice] | None = None) -> DocumentsUsing:
    issued, issued_count = _numbers(
        [
            Order.objects.filter(uses),
            Quote.objects.filter(uses).exclude(status=Quote.Status.DRAFT),
            *([invoices] if invoices is not None else []),
        ]
    )
    drafts, draft_count = _numbers([Quote.objects.filter(uses, status=Quote.Status.DRAFT)])
    return DocumentsUsing(issued, issued_count, drafts, draft_count)


def documents_with_seller_contact(*, contact: Contact) -> DocumentsUsing:
    """The quotes and orders naming the contact as the seller's; an invoice shows its order's."""
    return _documents_using(Q(seller_contact=contact))


def documents_with_address(*, address: Address) -> DocumentsUsing:
    """The quotes, orders and invoices sent to or delivered at the address."""
    return _documents_using(
        Q(invoice_address=address) | Q(delivery_address=address),
        Invoice.objects.filter(address=address),
    )
