"""Writes to quotes, orders, approvals and invoices. Views and the admin call these.

Every write checks the user's permission here, so no caller can skip it. Writes that decide on
credit lock the customer's account row first (`select_for_update`), so two orders for one account
are checked one after the other and can never both slip under the limit.
"""

import datetime
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.models import Account, Address, RelationshipType
from accounts.selectors import primary_contact_of
from accounts.sellers import seller_errors
from accounts.services import account_refuse_if_inactive, account_set_relationship_type
from common.languages import casefolded_in_every_language
from common.permissions import require_permission
from common.typing import StrOrPromise
from sales import credit, selectors, totals
from sales.models import (
    PAYMENT_TERM_DAYS,
    Approval,
    DocumentLine,
    DocumentSequence,
    Invoice,
    Order,
    OrderLine,
    PrepaymentDecision,
    Quote,
    QuoteLine,
    SalesDocument,
)
from users.models import User

LINE_FIELDS = ("description", "quantity", "unit_price", "discount_percent")
# The fields a user writes on a quote or an order: the forms and the admin take them from here.
PARTY_FIELDS = (
    "customer",
    "seller_account",
    "seller_contact",
    "invoice_address",
    "delivery_address",
    "vat_rate",
)
QUOTE_FIELDS = (*PARTY_FIELDS, "valid_until", "notes")
ORDER_FIELDS = (*PARTY_FIELDS, "prepaid", "customer_reference", "notes")
# What the back office may change on an entered order.
ORDER_DETAIL_FIELDS = ("customer_reference", "notes")
# The parties as text, copied when a document is issued.
SNAPSHOT_FIELDS = ("seller_contact_name", "invoice_address_text", "delivery_address_text")
NUMBER_PREFIXES = {"quote": "Q", "order": "O", "invoice": "INV"}
# Named addresses chosen by default when the user picks none, as the wiki names them, in any
# language the site speaks. The first of each is the word of the forms' hint ("Standaard:
# Levering, ..."): one translation serves the rule and the hint, so the two cannot part.
INVOICE_ADDRESS_NAMES = (
    pgettext_lazy("address name", "Invoicing"),
    pgettext_lazy("address name", "Invoice"),
    pgettext_lazy("address name", "Billing"),
    pgettext_lazy("address name", "Invoice address"),
)
DELIVERY_ADDRESS_NAMES = (
    pgettext_lazy("address name", "Shipping"),
    pgettext_lazy("address name", "Delivery"),
    pgettext_lazy("address name", "Delivery address"),
)
_ADDRESS_NAMES: dict[str, tuple[StrOrPromise, ...]] = {
    Address.Kind.MAILING: INVOICE_ADDRESS_NAMES,
    Address.Kind.VISIT: DELIVERY_ADDRESS_NAMES,
}


@functools.cache
def _address_names(fallback: str) -> frozenset[str]:
    """The names preferred over the `fallback` kind of address, casefolded, in every language
    of settings.LANGUAGES (English is the names themselves)."""
    return casefolded_in_every_language(_ADDRESS_NAMES[fallback])


def _take_number(kind: str) -> int | None:
    """Add one to the kind's sequence and return it, in one statement; None when it has no row.

    The UPDATE locks the row until the transaction commits, as SELECT ... FOR UPDATE would, and
    RETURNING (PostgreSQL, SQLite 3.35+) saves reading it apart.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(DocumentSequence._meta.db_table)} "
            f"SET {quote('last_number')} = {quote('last_number')} + 1 "
            f"WHERE {quote('name')} = %s RETURNING {quote('last_number')}",
            [kind],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _next_number(kind: str) -> str:
    """The next number of a kind of document, without gaps.

    The sequence row stays locked until the transaction commits, so take it last.
    """
    number = _take_number(kind)
    if number is None:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(name=kind)
        except IntegrityError:
            pass  # Another transaction made it first.
        number = _take_number(kind)
        assert number is not None  # the row exists now
    return f"{NUMBER_PREFIXES[kind]}-{number:06d}"


def _pick_address(addresses: list[Address], kind: str) -> Address | None:
    """The address named as INVOICE_ADDRESS_NAMES (or DELIVERY_...) say, else the `kind` one."""
    known = _address_names(kind)
    for address in addresses:
        if address.name.strip().casefold() in known:
            return address
    return next((a for a in addresses if a.kind == kind), None)


def _check_parties(document: SalesDocument) -> None:
    """The seller is one of ours with its own contact; the addresses are the customer's."""
    fields = ("seller_account", "seller_contact")
    errors = seller_errors(on=document, fields=fields, label=_("seller"))
    customer = document.customer
    for field in ("invoice_address", "delivery_address"):
        address = getattr(document, field)
        if address is not None and address.account_id != customer.pk:
            errors[field] = _(
                "The address “%(name)s” belongs to %(account)s, not to %(customer)s: choose one "
                "of the customer's addresses."
            ) % {"name": address.label, "account": address.account, "customer": customer}
    if errors:
        raise ValidationError(errors)
    if document.seller_account_id is not None and document.seller_contact_id is None:
        # The seller's primary contact, when the writer named none.
        document.seller_contact = primary_contact_of(document.seller_account_id)
    if document.invoice_address is None or document.delivery_address is None:
        # The form read them already (prefetched onto the customer); others read them here.
        addresses = list(customer.addresses.all())
        if document.invoice_address is None:
            document.invoice_address = _pick_address(addresses, Address.Kind.MAILING)
        if document.delivery_address is None:
            document.delivery_address = _pick_address(addresses, Address.Kind.VISIT)


def _take_snapshot(document: SalesDocument) -> None:
    """Copy the seller contact and the addresses as text, as the document is issued with them.

    An issued document keeps showing them when the contact or address is later changed or
    deleted. A party that is missing (deleted since an earlier copy) keeps that earlier text.
    """
    if document.seller_contact is not None:
        document.seller_contact_name = str(document.seller_contact)
    if document.invoice_address is not None:
        document.invoice_address_text = str(document.invoice_address)
    if document.delivery_address is not None:
        document.delivery_address_text = str(document.delivery_address)


def _largest_amount(model: type[SalesDocument]) -> Decimal:
    """The largest amount the document's money columns hold: 999,999,999,999.99 for (14, 2)."""
    field = model._meta.get_field("total")
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(
        -field.decimal_places
    )


def _check_fits(model: type[SalesDocument], amounts: Iterable[Decimal]) -> None:
    """Refuse amounts the columns cannot hold.

    SQLite would store them and every page showing the document would then fail to read it;
    PostgreSQL would refuse the insert with a server error.
    """
    largest = _largest_amount(model)
    if any(abs(amount) > largest for amount in amounts):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _("The total is too large: at most %(largest)s.")
                % {"largest": credit.money(largest)}
            }
        )


def _build_lines(
    document: SalesDocument, line_model: type[DocumentLine], lines: Iterable[Mapping[str, Any]]
) -> list[DocumentLine]:
    """Check the lines and put the document's totals on it; the lines are saved by the caller."""
    built = []
    for position, values in enumerate(lines, start=1):
        line = line_model(position=position, **{f: values[f] for f in LINE_FIELDS if f in values})
        line.full_clean(exclude=["quote", "order"], validate_constraints=False)
        built.append(line)
    if not built:
        raise ValidationError({NON_FIELD_ERRORS: _("Add at least one line.")})
    amounts = [line.amount for line in built]
    result = totals.document_totals(amounts=amounts, vat_rate=document.vat_rate)
    _check_fits(type(document), [*amounts, result.subtotal, result.vat, result.total])
    document.subtotal, document.vat_amount, document.total = (
        result.subtotal,
        result.vat,
        result.total,
    )
    return built


def _read_relations(document: SalesDocument) -> list[str]:
    """The foreign keys given as rows read from the database, which need no check that they
    exist (full_clean would read each again); the database's foreign keys still guard them."""
    return [
        field.name
        for field in document._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and field.is_cached(document)
        and getattr(document, field.name) is not None
        and getattr(document, field.name).pk is not None
    ]


def _prepare(
    document: SalesDocument,
    line_model: type[DocumentLine],
    fields: Mapping[str, Any],
    allowed: Iterable[str],
    lines: Iterable[Mapping[str, Any]],
) -> list[DocumentLine]:
    for field in allowed:
        if field in fields:
            setattr(document, field, fields[field])
    document.full_clean(
        exclude=["number", "status", *_read_relations(document)],
        validate_unique=False,
        # The check constraints that apply here repeat the fields' validators (VAT 0 to 100);
        # the prepayment's columns are only set by the prepayment services. The database
        # enforces them all on save.
        validate_constraints=False,
    )
    _check_parties(document)
    return _build_lines(document, line_model, lines)


def _save_lines(document: SalesDocument, lines: list[DocumentLine], parent: str) -> None:
    for line in lines:
        setattr(line, parent, document)
    type(lines[0])._default_manager.bulk_create(lines)


class AlreadySubmitted(Exception):
    """The form that wrote `document` was posted again: nothing new was written."""

    def __init__(self, document: Quote | Order) -> None:
        super().__init__(document.number)
        self.document = document


def _refuse_resubmission(
    model: type[Quote] | type[Order], submission: UUID | None, user: User
) -> None:
    """Raise AlreadySubmitted when this user's form with this key saved a document already.

    Another writer's key (guessed or leaked) finds nothing here and meets the unique key on
    saving: an error, never their document."""
    if submission is None:
        return
    done = model.objects.filter(submission=submission, created_by_id=user.pk).first()
    if done is not None:
        raise AlreadySubmitted(done)


def _save_new(document: Quote | Order, submission: UUID | None, user: User) -> None:
    """Save a new document under its form's one-time key. Two posts of one form at the same
    moment both pass the first look; the database lets one key in, and the other then finds it
    (under READ COMMITTED, PostgreSQL's default, the winner's row is visible once committed)."""
    document.submission = submission
    if submission is None:  # a quote made an order, the admin: no key can clash
        document.save()
        return
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        _refuse_resubmission(type(document), submission, user)
        if type(document).objects.filter(submission=submission).exists():
            raise ValidationError(
                _("This form was sent already by someone else: open a new one.")
            ) from None
        raise


# --- quotes ----------------------------------------------------------------------------------


@transaction.atomic
def quote_create(
    *,
    user: User,
    fields: Mapping[str, Any],
    lines: Iterable[Mapping[str, Any]],
    submission: UUID | None = None,
) -> Quote:
    """Write a new draft quote with its lines; the totals with VAT are worked out here.

    `submission` is the key of the form posted: posted again, it raises AlreadySubmitted.
    """
    require_permission(user, "sales.add_quote", _("Only Sales can write quotes."))
    _refuse_resubmission(Quote, submission, user)
    quote = Quote(created_by=user if getattr(user, "pk", None) else None)
    built = _prepare(quote, QuoteLine, fields, QUOTE_FIELDS, lines)
    account_refuse_if_inactive(quote.customer)
    quote.number = _next_number("quote")
    _save_new(quote, submission, user)
    _save_lines(quote, built, "quote")
    return quote


def _lock_draft_quote(*, quote: Quote, user: User) -> Quote:
    """The quote, locked, if the user may change it and it is still a draft."""
    require_permission(user, "sales.change_quote", _("Only Sales can change quotes."))
    current = Quote.objects.select_for_update().get(pk=quote.pk)
    if not current.is_editable:
        raise ValidationError(
            _("Only a draft quote can be changed: %(quote)s is %(status)s.")
            % {"quote": current, "status": current.get_status_display().lower()}
        )
    return current


@transaction.atomic
def quote_update(
    *, quote: Quote, user: User, fields: Mapping[str, Any], lines: Iterable[Mapping[str, Any]]
) -> Quote:
    """Change a draft quote and replace its lines. A sent quote stays as the customer saw it.

    It may not move to an inactive account, which gets no new quotes."""
    current = _lock_draft_quote(quote=quote, user=user)
    customer = fields.get("customer")
    if customer is not None and customer.pk != current.customer_id:
        account_refuse_if_inactive(customer)
    built = _prepare(quote, QuoteLine, fields, QUOTE_FIELDS, lines)
    quote.status = current.status
    quote.save()
    QuoteLine.objects.filter(quote=quote).delete()
    _save_lines(quote, built, "quote")
    return quote


@transaction.atomic
def quote_set_terms(
    *, quote: Quote, user: User, valid_until: datetime.date | None, notes: str
) -> Quote:
    """Change a draft quote's validity and notes only, as the back office does.

    A sent quote stays as the customer saw it.
    """
    current = _lock_draft_quote(quote=quote, user=user)
    current.valid_until, current.notes = valid_until, notes
    current.full_clean(exclude=["number", "status"], validate_unique=False)
    current.save(update_fields=["valid_until", "notes"])
    return current


@transaction.atomic
def quote_set_status(*, quote: Quote, status: str, user: User) -> Quote:
    """Mark a quote sent, accepted, rejected or expired, as its status allows."""
    require_permission(user, "sales.change_quote", _("Only Sales can change quotes."))
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    quote.set_status(status)
    if status == Quote.Status.SENT:
        # From now on the quote stays as the customer saw it.
        _take_snapshot(quote)
    quote.save(update_fields=["status", *SNAPSHOT_FIELDS])
    return quote


@transaction.atomic
def quote_convert_to_order(
    *, quote: Quote, user: User, prepaid: bool = False, customer_reference: str = ""
) -> Order:
    """Turn an accepted quote into an order in one step; the credit check decides as usual."""
    require_permission(user, "sales.add_order", _("Only Sales can enter orders."))
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if not quote.can_turn_into_order:
        raise ValidationError(
            _("Only an accepted quote turns into an order: %(quote)s is %(status)s.")
            % {"quote": quote, "status": quote.get_status_display().lower()}
        )
    existing = Order.objects.filter(quote=quote).first()
    if existing is not None:
        raise ValidationError(
            _("%(quote)s is order %(order)s already.") % {"quote": quote, "order": existing}
        )
    fields = {f: getattr(quote, f) for f in ORDER_FIELDS if hasattr(quote, f)}
    fields.update(prepaid=prepaid, customer_reference=customer_reference)
    lines = [{f: getattr(line, f) for f in LINE_FIELDS} for line in quote.lines.all()]
    return order_submit(user=user, fields=fields, lines=lines, quote=quote)


# --- orders and the credit check -------------------------------------------------------------


def _lock_account(account_id: int) -> Account:
    return (
        Account.objects.select_for_update().select_related("relationship_type").get(pk=account_id)
    )


# What _run_credit_check sets on the order.
CREDIT_CHECK_FIELDS = (
    "credit_reason",
    "credit_exposure",
    "credit_limit",
    "credit_hold_at_check",
    "credit_prepayment",
)


def _run_credit_check(
    order: Order, account: Account, prepayment: str | None = None
) -> credit.CreditDecision:
    prepayment = prepayment or order.prepayment_state
    decision = credit.credit_check(
        order_value=order.total,
        prepayment=prepayment,
        credit_hold=account.credit_hold,
        credit_limit=account.credit_limit,
        exposure=selectors.account_exposure(account_id=account.pk),
    )
    order.credit_reason = decision.reason
    order.credit_hold_at_check = account.credit_hold
    order.credit_prepayment = prepayment
    order.credit_exposure = decision.exposure
    order.credit_limit = decision.credit_limit
    return decision


@transaction.atomic
def order_submit(
    *,
    user: User,
    fields: Mapping[str, Any],
    lines: Iterable[Mapping[str, Any]],
    quote: Quote | None = None,
    submission: UUID | None = None,
) -> Order:
    """Enter an order; the credit check decides whether it is accepted, waits or is blocked.

    `submission` is the key of the form posted: posted again, it raises AlreadySubmitted.

    An order ticked prepaid waits for Accounting to confirm the prepayment (order_confirm_prepayment
    or order_refuse_prepayment), whatever the hold and the limit.

    When an order is entered for an account of type Prospect, the account becomes a Customer
    (the documented rule), whatever the credit check decides: it stays a Customer if the order is
    blocked, waits for approval or is later rejected. The change shows in the account's history.
    """
    require_permission(user, "sales.add_order", _("Only Sales can enter orders."))
    _refuse_resubmission(Order, submission, user)
    order = Order(quote=quote, created_by=user if getattr(user, "pk", None) else None)
    built = _prepare(order, OrderLine, fields, ORDER_FIELDS, lines)
    if quote is not None:
        # What the customer accepted, for the parties deleted since it was sent.
        for field in SNAPSHOT_FIELDS:
            setattr(order, field, getattr(quote, field))
    _take_snapshot(order)
    # The lock makes a second order for this account wait until this one is committed,
    # so its check sees this order in the exposure.
    account = _lock_account(order.customer_id)
    account_refuse_if_inactive(account)
    order.status = _run_credit_check(order, account).status
    order.number = _next_number("order")
    _save_new(order, submission, user)
    _save_lines(order, built, "order")
    if account.relationship_type.code == RelationshipType.PROSPECT:
        account_set_relationship_type(
            account=account,
            relationship_type=RelationshipType.objects.get(code=RelationshipType.CUSTOMER),
            user=user,
        )
    return order


@transaction.atomic
def order_recheck(*, order: Order, user: User, prepaid: bool | None = None) -> Order:
    """Check a blocked order again, after the hold was lifted or once the customer prepays.

    Ticking prepaid here makes the order wait for Accounting's confirmation, as on entry: a
    blocked order is never accepted on the tick alone.
    """
    require_permission(user, "sales.change_order", _("Only Sales can change orders."))
    account = _lock_account(order.customer_id)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not order.can_recheck:
        raise ValidationError(
            _("Only a blocked order is checked again: %(order)s is not blocked.") % {"order": order}
        )
    account_refuse_if_inactive(account, field=None)
    if prepaid is not None:
        order.prepaid = prepaid
    decision = _run_credit_check(order, account)
    if decision.status != order.status:
        order.set_status(decision.status)
    order.save(update_fields=["status", "prepaid", *CREDIT_CHECK_FIELDS])
    return order


@transaction.atomic
def order_decide(*, order: Order, user: User, approve: bool, comment: str) -> Approval:
    """Management approves or rejects an order waiting for approval, saying why.

    An order of an account put on credit hold while it waited cannot be approved unless
    Accounting confirmed its prepayment (a prepaid tick alone is not enough): the approval is
    refused with the reason and the order keeps waiting, so Management can reject it now or
    approve it once the hold is lifted. It is not moved to Blocked behind Management's
    back: nothing changes unless they decide. An inactive account's order is refused
    likewise (and so are a recheck and a prepayment's answer): it gets no new orders.
    """
    require_permission(
        user,
        "sales.approve_order",
        _("Only Management can approve or reject orders above the credit limit."),
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why: a comment is required.")})
    account = _lock_account(order.customer_id)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not order.awaits_approval:
        raise ValidationError(
            _("%(order)s is not waiting for approval any more: it is %(status)s.")
            % {"order": order, "status": order.get_status_display().lower()}
        )
    if approve:
        account_refuse_if_inactive(account, field=None)
    if approve and account.credit_hold and not order.prepayment_confirmed:
        raise ValidationError(
            _(
                "%(account)s is on credit hold and %(order)s is not prepaid (no prepayment "
                "confirmed by Accounting), so it cannot be approved: reject it, or approve it "
                "once the hold is lifted."
            )
            % {"account": account, "order": order}
        )
    order.set_status(Order.Status.ACCEPTED if approve else Order.Status.REJECTED)
    order.save(update_fields=["status"])
    return Approval.objects.create(
        order=order,
        decision=Approval.Decision.APPROVED if approve else Approval.Decision.REJECTED,
        comment=comment,
        decided_by=user,
        decided_at=timezone.now(),
    )


def _lock_awaiting_prepayment(*, order: Order, user: User) -> tuple[Order, Account]:
    """The order and its account, locked, if the user may settle prepayments and it waits."""
    require_permission(
        user,
        "sales.confirm_prepayment",
        _("Only Accounting can confirm or refuse a prepayment."),
    )
    account = _lock_account(order.customer_id)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not order.awaits_prepayment:
        raise ValidationError(
            _("%(order)s is not waiting for a prepayment: it is %(status)s.")
            % {"order": order, "status": order.get_status_display().lower()}
        )
    # Either answer may accept the order, and an inactive account gets no new orders.
    account_refuse_if_inactive(account, field=None)
    return order, account


def _record_prepayment(
    *, order: Order, account: Account, user: User, prepayment: str, comment: str
) -> PrepaymentDecision:
    decision = _run_credit_check(order, account, prepayment)
    order.set_status(decision.status)
    order.save(
        update_fields=[
            "status",
            "prepaid",
            "prepayment_confirmed_at",
            "prepayment_confirmed_by",
            *CREDIT_CHECK_FIELDS,
        ]
    )
    confirmed = prepayment == credit.PREPAYMENT_CONFIRMED
    # A confirmation is dated as on the order, so the order and its history agree.
    confirmed_at = order.prepayment_confirmed_at if confirmed else None
    return PrepaymentDecision.objects.create(
        order=order,
        decision=(
            PrepaymentDecision.Decision.CONFIRMED
            if confirmed
            else PrepaymentDecision.Decision.REFUSED
        ),
        comment=comment,
        decided_by=user,
        decided_at=confirmed_at or timezone.now(),
    )


@transaction.atomic
def order_confirm_prepayment(*, order: Order, user: User, comment: str = "") -> PrepaymentDecision:
    """Accounting confirms the money of a prepaid order has been received: it is accepted.

    The order then uses no credit, on credit hold and above the limit too. Who confirmed and when
    is kept on the order and in its prepayment history.
    """
    order, account = _lock_awaiting_prepayment(order=order, user=user)
    order.prepayment_confirmed_at = timezone.now()
    order.prepayment_confirmed_by = user
    return _record_prepayment(
        order=order,
        account=account,
        user=user,
        prepayment=credit.PREPAYMENT_CONFIRMED,
        comment=(comment or "").strip(),
    )


@transaction.atomic
def order_refuse_prepayment(*, order: Order, user: User, comment: str) -> PrepaymentDecision:
    """Accounting says the prepayment was not received, and why.

    The order is no longer prepaid and the normal credit check decides: blocked on credit hold,
    waiting for Management above the limit, accepted within it.
    """
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why: a comment is required.")})
    order, account = _lock_awaiting_prepayment(order=order, user=user)
    order.prepaid = False
    return _record_prepayment(
        order=order,
        account=account,
        user=user,
        prepayment=credit.PREPAYMENT_REFUSED,
        comment=comment,
    )


@transaction.atomic
def order_set_details(*, order: Order, user: User, customer_reference: str, notes: str) -> Order:
    """Change an order's purchase order number and notes only, as the back office does.

    Only these two columns are written: the status, the parties and the credit check's figures
    stay as the services last left them, even if they changed while the form was open.
    """
    require_permission(user, "sales.change_order", _("Only Sales can change orders."))
    current = Order.objects.select_for_update().get(pk=order.pk)
    current.customer_reference, current.notes = customer_reference, notes
    current.full_clean(
        exclude=[f.name for f in Order._meta.fields if f.name not in ORDER_DETAIL_FIELDS],
        validate_unique=False,
        validate_constraints=False,
    )
    current.save(update_fields=list(ORDER_DETAIL_FIELDS))
    return current


@transaction.atomic
def order_cancel(*, order: Order, user: User) -> Order:
    """Cancel an order that is not invoiced; it no longer counts in the exposure."""
    require_permission(user, "sales.change_order", _("Only Sales can cancel orders."))
    order = Order.objects.select_for_update().get(pk=order.pk)
    order.set_status(Order.Status.CANCELLED)
    order.save(update_fields=["status"])
    return order


# --- invoices --------------------------------------------------------------------------------


@transaction.atomic
def order_invoice(*, order: Order, user: User, date: datetime.date | None = None) -> Invoice:
    """Invoice an accepted order: its amount moves from open orders to unpaid invoices.

    A prepaid order's invoice is paid already, by the prepayment Accounting confirmed: the
    money was received, so it is not owed again."""
    require_permission(user, "sales.add_invoice", _("Only Accounting can invoice orders."))
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("customer", "invoice_address")
        .get(pk=order.pk)
    )
    order.set_status(Order.Status.INVOICED)
    date = date or timezone.localdate()
    # The invoice is for the attention of the customer's primary contact, when there is one.
    primary = primary_contact_of(order.customer_id)
    addressee = order.customer.name
    if primary is not None:
        addressee += "\n" + _("Attn. %(name)s") % {"name": primary}
    invoice = Invoice(
        order=order,
        customer=order.customer,
        date=date,
        due_date=date + datetime.timedelta(days=PAYMENT_TERM_DAYS),
        address=order.invoice_address,
        address_text=(
            order.invoice_address.as_letter(addressee=addressee)
            if order.invoice_address
            else addressee
        ),
        amount=order.total,
        created_by=user if getattr(user, "pk", None) else None,
        paid_at=order.prepayment_confirmed_at,
        paid_by_id=order.prepayment_confirmed_by_id,
    )
    order.save(update_fields=["status"])
    invoice.number = _next_number("invoice")
    invoice.save()
    return invoice


@transaction.atomic
def invoice_mark_paid(*, invoice: Invoice, user: User) -> Invoice:
    """Record that an invoice was paid: it no longer counts in the exposure."""
    require_permission(
        user, "sales.mark_invoice_paid", _("Only Accounting can mark invoices paid.")
    )
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.is_paid:
        raise ValidationError(
            _("%(invoice)s was marked paid already, on %(date)s.")
            % {"invoice": invoice, "date": date_format(timezone.localtime(invoice.paid_at))}
        )
    invoice.paid_at = timezone.now()
    invoice.paid_by = user
    invoice.save(update_fields=["paid_at", "paid_by"])
    return invoice
