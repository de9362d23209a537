"""The sales rules through the services: quotes, orders, the credit check, approval, invoices."""

import datetime as dt
import uuid
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.models import AccountChange, RelationshipType
from sales import selectors, services
from sales.models import (
    Approval,
    Invoice,
    Order,
    PrepaymentDecision,
    Quote,
    TransitionNotAllowed,
)
from tests.accounts.factories import AccountFactory, AddressFactory, ContactFactory
from tests.sales.conftest import line, mailing, visit
from tests.sales.factories import InvoiceFactory, OrderFactory, QuoteFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["accounting_user", "management_user", "no_group_user"]


def submit(user, customer, *lines, submission=None, **fields):
    return services.order_submit(
        user=user,
        fields={"customer": customer, **fields},
        lines=list(lines) or [line()],
        submission=submission,
    )


# --- quotes ----------------------------------------------------------------------------------


def test_a_quote_has_lines_totals_with_vat_and_a_number(sales_user, customer, seller):
    quote = services.quote_create(
        user=sales_user,
        fields={"customer": customer, "seller_account": seller},
        lines=[line("2", "50.00", "10"), line("1", "10.00")],
    )
    assert quote.number == "Q-000001"
    assert quote.status == Quote.Status.DRAFT
    assert (quote.subtotal, quote.vat_amount, quote.total) == (D("100.00"), D("21.00"), D("121.00"))
    assert [ln.amount for ln in quote.lines.all()] == [D("90.00"), D("10.00")]
    second = services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    assert second.number == "Q-000002"


def test_a_quote_gets_the_customers_addresses_by_default(sales_user, customer):
    quote = services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    assert quote.invoice_address == mailing(customer)
    assert quote.delivery_address == visit(customer)


def test_named_shipping_and_invoicing_addresses_are_preferred(sales_user, customer):
    shipping = AddressFactory(account=customer, name="Shipping")
    invoicing = AddressFactory(account=customer, name="Invoicing")
    quote = services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    assert (quote.invoice_address, quote.delivery_address) == (invoicing, shipping)


@pytest.mark.parametrize(
    ("delivery", "invoice"),
    [("Levering", "Facturatie"), ("afleveradres", "Factuuradres"), ("Delivery", "Billing")],
)
def test_the_preferred_addresses_may_be_named_in_dutch(sales_user, customer, delivery, invoice):
    """The Dutch form's hint says "Standaard: Levering": an address named so is the default."""
    shipping = AddressFactory(account=customer, name=delivery)
    invoicing = AddressFactory(account=customer, name=invoice)
    quote = services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    assert (quote.invoice_address, quote.delivery_address) == (invoicing, shipping)


def test_an_address_of_another_account_is_refused(sales_user, customer):
    stranger = AddressFactory(account=AccountFactory(name="Someone Else"), name="Shipping")
    with pytest.raises(ValidationError) as error:
        services.quote_create(
            user=sales_user,
            fields={"customer": customer, "delivery_address": stranger},
            lines=[line()],
        )
    assert "belongs to Someone Else, not to Acme Panels" in str(error.value)
    assert not Quote.objects.exists()


def test_the_seller_must_be_one_of_ours(sales_user, customer):
    with pytest.raises(ValidationError, match="not one of our selling entities"):
        services.quote_create(
            user=sales_user,
            fields={"customer": customer, "seller_account": AccountFactory()},
            lines=[line()],
        )


def test_the_seller_contact_must_belong_to_the_seller(sales_user, customer, seller):
    with pytest.raises(
        ValidationError, match="not of Bodywork Group Elfsquad: choose one of the seller"
    ):
        services.quote_create(
            user=sales_user,
            fields={
                "customer": customer,
                "seller_account": seller,
                "seller_contact": ContactFactory(),
            },
            lines=[line()],
        )


def test_a_quote_needs_a_line(sales_user, customer):
    with pytest.raises(ValidationError, match="at least one line"):
        services.quote_create(user=sales_user, fields={"customer": customer}, lines=[])
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"quantity": D("0")}, "greater than or equal to 0.01"),
        ({"unit_price": D("-1")}, "greater than or equal to 0"),
        ({"discount_percent": D("101")}, "less than or equal to 100"),
        ({"description": ""}, "cannot be blank"),
    ],
)
def test_a_bad_line_is_refused(sales_user, customer, bad, message):
    with pytest.raises(ValidationError, match=message):
        services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line() | bad])
    assert not Quote.objects.exists()


def test_only_a_draft_quote_changes(sales_user, customer):
    quote = services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    services.quote_update(
        quote=quote, user=sales_user, fields={"vat_rate": D("0")}, lines=[line("3")]
    )
    quote.refresh_from_db()
    assert (quote.total, quote.lines.count()) == (D("300.00"), 1)
    services.quote_set_status(quote=quote, status=Quote.Status.SENT, user=sales_user)
    with pytest.raises(ValidationError, match="Only a draft quote can be changed"):
        services.quote_update(quote=quote, user=sales_user, fields={}, lines=[line("9")])
    quote.refresh_from_db()
    assert quote.total == D("300.00")


def test_quote_statuses_move_forward_only(sales_user, customer):
    quote = QuoteFactory(customer=customer)
    with pytest.raises(
        TransitionNotAllowed,
        match=f"Quote {quote.number} is still a draft, so it cannot be accepted\\.",
    ):
        services.quote_set_status(quote=quote, status=Quote.Status.ACCEPTED, user=sales_user)
    for status in (Quote.Status.SENT, Quote.Status.ACCEPTED):
        services.quote_set_status(quote=quote, status=status, user=sales_user)
    with pytest.raises(TransitionNotAllowed):
        services.quote_set_status(quote=quote, status=Quote.Status.EXPIRED, user=sales_user)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED


def test_a_quote_past_its_validity_cannot_be_accepted(sales_user, customer):
    """The customer answered too late: the quote can be marked expired, not accepted."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    quote = QuoteFactory(customer=customer, status=Quote.Status.SENT, valid_until=yesterday)
    with pytest.raises(TransitionNotAllowed, match=r"was valid until .*: it can no longer be"):
        services.quote_set_status(quote=quote, status=Quote.Status.ACCEPTED, user=sales_user)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT
    services.quote_set_status(quote=quote, status=Quote.Status.EXPIRED, user=sales_user)


def test_a_quote_is_accepted_on_its_last_valid_day(sales_user, customer):
    today = timezone.localdate()
    quote = QuoteFactory(customer=customer, status=Quote.Status.SENT, valid_until=today)
    services.quote_set_status(quote=quote, status=Quote.Status.ACCEPTED, user=sales_user)
    assert Quote.objects.get().status == Quote.Status.ACCEPTED


def test_a_draft_quote_cannot_be_valid_until_a_day_that_has_passed(sales_user, customer):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.quote_create(
            user=sales_user, fields={"customer": customer, "valid_until": yesterday}, lines=[line()]
        )
    assert error.value.message_dict["valid_until"] == [
        "This date has passed: a quote must be valid until today or later."
    ]
    assert not Quote.objects.exists()


def test_a_draft_past_its_date_is_not_sent(sales_user, customer):
    quote = QuoteFactory(customer=customer, valid_until=timezone.localdate() - dt.timedelta(1))
    with pytest.raises(TransitionNotAllowed, match="Set a new validity date before sending"):
        services.quote_set_status(quote=quote, status=Quote.Status.SENT, user=sales_user)


def test_an_accepted_quote_turns_into_an_order_once(sales_user, customer, seller):
    quote = services.quote_create(
        user=sales_user,
        fields={"customer": customer, "seller_account": seller},
        lines=[line("2", "100.00"), line("1", "50.00")],
    )
    services.quote_set_status(quote=quote, status=Quote.Status.SENT, user=sales_user)
    services.quote_set_status(quote=quote, status=Quote.Status.ACCEPTED, user=sales_user)
    order = services.quote_convert_to_order(quote=quote, user=sales_user)
    assert order.quote == quote
    assert (order.customer, order.seller_account, order.total) == (customer, seller, quote.total)
    assert [(ln.description, ln.quantity) for ln in order.lines.all()] == [
        (ln.description, ln.quantity) for ln in quote.lines.all()
    ]
    assert order.status == Order.Status.ACCEPTED
    with pytest.raises(ValidationError, match="is order O-000001 already"):
        services.quote_convert_to_order(quote=quote, user=sales_user)


def test_a_quote_not_accepted_does_not_turn_into_an_order(sales_user, customer):
    quote = QuoteFactory(customer=customer, status=Quote.Status.SENT)
    with pytest.raises(ValidationError, match="Only an accepted quote"):
        services.quote_convert_to_order(quote=quote, user=sales_user)
    assert not Order.objects.exists()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_sales_writes_quotes(request, role, customer):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.quote_create(user=user, fields={"customer": customer}, lines=[line()])
    quote = QuoteFactory(customer=customer)
    with pytest.raises(PermissionDenied):
        services.quote_update(quote=quote, user=user, fields={}, lines=[line()])
    with pytest.raises(PermissionDenied):
        services.quote_set_status(quote=quote, status=Quote.Status.SENT, user=user)
    accepted = QuoteFactory(customer=customer, status=Quote.Status.ACCEPTED)
    with pytest.raises(PermissionDenied):
        services.quote_convert_to_order(quote=accepted, user=user)
    assert Quote.objects.filter(status=Quote.Status.DRAFT).count() == 1
    assert not Order.objects.exists()


def test_an_administrator_may_write_quotes(admin_user, customer):
    assert services.quote_create(user=admin_user, fields={"customer": customer}, lines=[line()])


# --- orders and the credit check -------------------------------------------------------------


def test_an_order_within_the_limit_is_accepted_and_says_why(sales_user, customer):
    order = submit(sales_user, customer, line("5", "100.00"), vat_rate=D("0"))
    assert order.status == Order.Status.ACCEPTED
    assert order.number == "O-000001"
    assert order.credit_reason.startswith("Accepted: open exposure €0.00 + this order €500.00")
    assert (order.credit_exposure, order.credit_limit) == (D("0"), D("1000.00"))


def test_an_order_above_the_limit_waits_for_management(sales_user, customer):
    OrderFactory(customer=customer, total=D("800.00"))
    order = submit(sales_user, customer, line("3", "100.00"), vat_rate=D("0"))
    assert order.status == Order.Status.PENDING_APPROVAL
    assert "open exposure €800.00 + this order €300.00 = €1,100.00" in order.credit_reason
    assert "€100.00 above the credit limit of €1,000.00" in order.credit_reason


def test_credit_hold_blocks_an_order_not_prepaid(sales_user, customer):
    customer.credit_hold = True
    customer.save()
    assert submit(sales_user, customer).status == Order.Status.BLOCKED
    assert submit(sales_user, customer, prepaid=True).status == Order.Status.AWAITING_PREPAYMENT


def test_no_limit_means_no_limit(sales_user, customer):
    customer.credit_limit = None
    customer.save()
    order = submit(sales_user, customer, line("1000", "1000.00"))
    assert order.status == Order.Status.ACCEPTED


def test_exposure_counts_open_orders_and_unpaid_invoices_only(customer):
    for status in Order.Status:
        OrderFactory(customer=customer, status=status, total=D("1.00"))
    InvoiceFactory(order__customer=customer, amount=D("10.00"))
    InvoiceFactory(order__customer=customer, amount=D("100.00"), paid_at="2026-01-01T00:00Z")
    OrderFactory(total=D("1000.00"))  # Another customer's.
    assert selectors.account_exposure(account_id=customer.pk) == D("11.00")


def test_a_prospect_becomes_a_customer_with_its_first_order(sales_user, prospect):
    order = submit(sales_user, prospect)
    prospect.refresh_from_db()
    assert prospect.relationship_type.code == RelationshipType.CUSTOMER
    change = prospect.changes.get()
    assert (change.field, change.old_value, change.new_value) == (
        AccountChange.Field.RELATIONSHIP_TYPE,
        "Prospect",
        "Customer",
    )
    assert change.changed_by == sales_user
    assert order.customer == prospect


def test_other_types_keep_their_type(sales_user):
    reseller = AccountFactory(relationship_type=RelationshipType.objects.get(code="reseller"))
    submit(sales_user, reseller)
    reseller.refresh_from_db()
    assert reseller.relationship_type.code == "reseller"
    assert not reseller.changes.exists()


def test_bad_order_input_saves_nothing(sales_user, prospect):
    with pytest.raises(ValidationError):
        submit(sales_user, prospect, line("0"))
    assert not Order.objects.exists()
    prospect.refresh_from_db()
    assert prospect.relationship_type.code == RelationshipType.PROSPECT


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_sales_enters_orders(request, role, customer):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        submit(user, customer)
    blocked = OrderFactory(customer=customer, status=Order.Status.BLOCKED)
    with pytest.raises(PermissionDenied):
        services.order_recheck(order=blocked, user=user)
    with pytest.raises(PermissionDenied):
        services.order_cancel(order=blocked, user=user)
    assert Order.objects.get().status == Order.Status.BLOCKED


def test_a_blocked_order_is_accepted_once_the_hold_is_lifted(sales_user, customer):
    customer.credit_hold = True
    customer.save()
    order = submit(sales_user, customer)
    services.order_recheck(order=order, user=sales_user)
    order.refresh_from_db()
    assert order.status == Order.Status.BLOCKED
    customer.credit_hold = False
    customer.save()
    services.order_recheck(order=order, user=sales_user)
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    assert order.credit_reason.startswith("Accepted")


def test_a_blocked_order_marked_prepaid_waits_for_accounting(sales_user, customer):
    """Ticking prepaid on the recheck is a claim too: the order is not accepted on it."""
    customer.credit_hold = True
    customer.save()
    order = submit(sales_user, customer)
    services.order_recheck(order=order, prepaid=True, user=sales_user)
    order.refresh_from_db()
    assert (order.prepaid, order.status) == (True, Order.Status.AWAITING_PREPAYMENT)
    assert order.credit_reason.startswith(
        "Waiting for Accounting to confirm the prepayment of this order of €121.00"
    )


def test_cancelling_an_accepted_order_lowers_the_exposure(sales_user, customer):
    order = submit(sales_user, customer)
    assert selectors.account_exposure(account_id=customer.pk) == order.total
    services.order_cancel(order=order, user=sales_user)
    assert selectors.account_exposure(account_id=customer.pk) == 0


def test_an_invoiced_order_cannot_be_cancelled(sales_user, accounting_user, customer):
    order = submit(sales_user, customer)
    services.order_invoice(order=order, user=accounting_user)
    with pytest.raises(
        TransitionNotAllowed,
        match=f"Order {order.number} is invoiced already, so it cannot be cancelled\\.",
    ):
        services.order_cancel(order=order, user=sales_user)


# --- approval --------------------------------------------------------------------------------


@pytest.fixture
def waiting(sales_user, customer):
    return submit(sales_user, customer, line("20", "100.00"))


@pytest.mark.parametrize(("approve", "status"), [(True, "accepted"), (False, "rejected")])
def test_management_decides_with_a_comment(management_user, waiting, approve, status):
    approval = services.order_decide(
        order=waiting, user=management_user, approve=approve, comment="Known customer."
    )
    waiting.refresh_from_db()
    assert waiting.status == status
    assert (approval.decided_by, approval.comment) == (management_user, "Known customer.")
    assert approval.decided_at is not None


def test_an_approval_needs_a_comment(management_user, waiting):
    with pytest.raises(ValidationError, match="comment is required"):
        services.order_decide(order=waiting, user=management_user, approve=True, comment="  ")
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL


@pytest.mark.parametrize("role", ["sales_user", "accounting_user", "no_group_user"])
def test_nobody_but_management_decides(request, role, waiting):
    with pytest.raises(PermissionDenied):
        services.order_decide(
            order=waiting, user=request.getfixturevalue(role), approve=True, comment="ok"
        )
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()


def test_an_order_is_decided_only_once(management_user, admin_user, waiting):
    services.order_decide(order=waiting, user=management_user, approve=False, comment="No.")
    with pytest.raises(ValidationError, match="not waiting for approval any more"):
        services.order_decide(order=waiting, user=admin_user, approve=True, comment="Yes.")
    assert Approval.objects.count() == 1


def test_an_approved_order_counts_in_the_exposure(management_user, waiting, customer):
    assert selectors.account_exposure(account_id=customer.pk) == 0
    services.order_decide(order=waiting, user=management_user, approve=True, comment="Fine.")
    assert selectors.account_exposure(account_id=customer.pk) == waiting.total


# --- invoices --------------------------------------------------------------------------------


def test_invoicing_moves_the_amount_to_unpaid_invoices(sales_user, accounting_user, customer):
    order = submit(sales_user, customer, line("2", "100.00"))
    invoice = services.order_invoice(order=order, user=accounting_user)
    order.refresh_from_db()
    assert order.status == Order.Status.INVOICED
    assert invoice.number == "INV-000001"
    assert (invoice.amount, invoice.customer) == (D("242.00"), customer)
    assert (invoice.due_date - invoice.date).days == 30
    assert invoice.address == mailing(customer)
    assert invoice.address_text.startswith("Acme Panels")
    assert selectors.account_exposure(account_id=customer.pk) == D("242.00")
    services.invoice_mark_paid(invoice=invoice, user=accounting_user)
    invoice.refresh_from_db()
    assert (invoice.is_paid, invoice.paid_by) == (True, accounting_user)
    assert selectors.account_exposure(account_id=customer.pk) == 0


def test_the_invoice_of_a_confirmed_prepaid_order_is_paid_by_the_prepayment(
    sales_user, accounting_user, customer
):
    """The money was received before delivery: invoicing must not count it as owed again (a
    tester saw the exposure grow by it and the next order sent for approval)."""
    order = submit(sales_user, customer, line("20", "100.00"), vat_rate=D("0"), prepaid=True)
    services.order_confirm_prepayment(order=order, user=accounting_user)
    order.refresh_from_db()
    invoice = services.order_invoice(order=order, user=accounting_user)
    invoice.refresh_from_db()
    assert invoice.is_paid
    assert (invoice.paid_at, invoice.paid_by) == (
        order.prepayment_confirmed_at,
        order.prepayment_confirmed_by,
    )
    assert selectors.account_exposure(account_id=customer.pk) == 0


def test_only_an_accepted_order_is_invoiced(accounting_user, customer):
    order = OrderFactory(customer=customer, status=Order.Status.PENDING_APPROVAL)
    waiting = f"Order {order.number} is waiting for approval, so it cannot be invoiced\\."
    with pytest.raises(TransitionNotAllowed, match=waiting):
        services.order_invoice(order=order, user=accounting_user)
    assert not Invoice.objects.exists()


def test_an_invoice_is_paid_once(accounting_user):
    invoice = InvoiceFactory()
    services.invoice_mark_paid(invoice=invoice, user=accounting_user)
    with pytest.raises(ValidationError, match="marked paid already"):
        services.invoice_mark_paid(invoice=invoice, user=accounting_user)


@pytest.mark.parametrize("role", ["sales_user", "management_user", "no_group_user"])
def test_only_accounting_invoices_and_records_payments(request, role, customer):
    user = request.getfixturevalue(role)
    order = OrderFactory(customer=customer)
    with pytest.raises(PermissionDenied):
        services.order_invoice(order=order, user=user)
    invoice = InvoiceFactory()
    with pytest.raises(PermissionDenied):
        services.invoice_mark_paid(invoice=invoice, user=user)
    invoice.refresh_from_db()
    assert not invoice.is_paid
    assert Invoice.objects.count() == 1


# --- credit hold while waiting for approval; prospects; a draft's terms ---------------------------


def test_an_order_of_an_account_put_on_hold_meanwhile_is_not_approved(management_user, waiting):
    """The hold applies to orders waiting too: approving is refused with the reason."""
    customer = waiting.customer
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    with pytest.raises(ValidationError, match="Acme Panels is on credit hold") as error:
        services.order_decide(order=waiting, user=management_user, approve=True, comment="Ok.")
    assert "not prepaid" in str(error.value)
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()


def test_an_order_of_an_account_made_inactive_meanwhile_is_not_approved(management_user, waiting):
    """An inactive account gets no new orders: approving one that waited is refused, with the
    reason, and the order keeps waiting to be rejected (or approved once it trades again)."""
    customer = waiting.customer
    customer.is_active = False
    customer.save(update_fields=["is_active"])
    with pytest.raises(ValidationError, match="Acme Panels” is inactive"):
        services.order_decide(order=waiting, user=management_user, approve=True, comment="Ok.")
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()
    services.order_decide(order=waiting, user=management_user, approve=False, comment="Stopped.")
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.REJECTED


def test_the_refusal_to_decide_is_translated(sales_user, waiting):
    """It was the one refusal written without gettext: English on a Dutch page."""
    with translation.override("nl"), pytest.raises(PermissionDenied, match="Alleen het management"):
        services.order_decide(order=waiting, user=sales_user, approve=True, comment="Ok.")


def test_an_order_on_hold_can_still_be_rejected(management_user, waiting):
    waiting.customer.credit_hold = True
    waiting.customer.save(update_fields=["credit_hold"])
    services.order_decide(order=waiting, user=management_user, approve=False, comment="On hold.")
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.REJECTED


def test_a_prepaid_tick_alone_does_not_let_management_approve_on_hold(management_user, customer):
    """An order waiting for approval with an unconfirmed prepaid tick is not approved on hold."""
    order = OrderFactory(customer=customer, status=Order.Status.PENDING_APPROVAL, prepaid=True)
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    with pytest.raises(ValidationError, match="no prepayment confirmed by Accounting"):
        services.order_decide(order=order, user=management_user, approve=True, comment="Prepaid.")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()


def test_a_confirmed_prepayment_lets_management_approve_on_hold(management_user, customer):
    """Should an order waiting for approval have its prepayment confirmed, the hold allows it."""
    order = OrderFactory(
        customer=customer,
        status=Order.Status.PENDING_APPROVAL,
        prepaid=True,
        prepayment_confirmed_at=timezone.now(),
    )
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    services.order_decide(order=order, user=management_user, approve=True, comment="Prepaid.")
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED


def test_a_prospect_becomes_a_customer_even_if_its_order_is_blocked(sales_user, prospect):
    """The documented rule: entering the order makes the Prospect a Customer, whatever the check."""
    prospect.credit_hold = True
    prospect.save(update_fields=["credit_hold"])
    order = submit(sales_user, prospect)
    assert order.status == Order.Status.BLOCKED
    prospect.refresh_from_db()
    assert prospect.relationship_type.code == RelationshipType.CUSTOMER


def test_a_prospect_stays_a_customer_when_its_order_is_rejected(
    sales_user, management_user, prospect
):
    prospect.credit_limit = D("10.00")
    prospect.save(update_fields=["credit_limit"])
    order = submit(sales_user, prospect)
    assert order.status == Order.Status.PENDING_APPROVAL
    services.order_decide(order=order, user=management_user, approve=False, comment="Too much.")
    prospect.refresh_from_db()
    assert prospect.relationship_type.code == RelationshipType.CUSTOMER


def test_a_drafts_terms_change_and_a_sent_quotes_do_not(sales_user, customer):
    draft = QuoteFactory(customer=customer, notes="Draft.")
    services.quote_set_terms(quote=draft, user=sales_user, valid_until=None, notes="Call first.")
    draft.refresh_from_db()
    assert draft.notes == "Call first."
    sent = QuoteFactory(customer=customer, status=Quote.Status.SENT, notes="As sent.")
    with pytest.raises(ValidationError, match="Only a draft quote can be changed"):
        services.quote_set_terms(quote=sent, user=sales_user, valid_until=None, notes="Later.")
    sent.refresh_from_db()
    assert sent.notes == "As sent."


# --- totals too large for the columns; prepaid orders and the exposure ----------------------------

TOO_LARGE = "The total is too large: at most €999,999,999,999.99."


@pytest.mark.parametrize(
    ("quantity", "price", "vat"),
    [
        ("99999999", "9999999999", "21"),  # One line's amount alone does not fit.
        ("1000", "1000000000", "21"),  # The total does not fit.
        ("1000", "999999999.99", "21"),  # The subtotal fits, with VAT the total does not.
    ],
)
def test_a_document_whose_total_does_not_fit_is_refused(sales_user, customer, quantity, price, vat):
    """A total beyond the stored columns is refused with a message and nothing is saved."""
    for create in (services.quote_create, services.order_submit):
        with pytest.raises(ValidationError) as error:
            create(
                user=sales_user,
                fields={"customer": customer, "vat_rate": D(vat)},
                lines=[line(quantity, price)],
            )
        assert error.value.messages == [TOO_LARGE]
    assert not Quote.objects.exists()
    assert not Order.objects.exists()


def test_the_largest_total_that_fits_is_saved(sales_user, customer):
    quote = services.quote_create(
        user=sales_user,
        fields={"customer": customer, "vat_rate": D("0")},
        lines=[line("1", "999999999999.99")],
    )
    quote = Quote.objects.get(pk=quote.pk)
    assert quote.total == D("999999999999.99")


def test_a_quote_changed_to_a_total_too_large_keeps_its_lines(sales_user, customer):
    quote = services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    with pytest.raises(ValidationError, match="The total is too large"):
        services.quote_update(
            quote=quote, user=sales_user, fields={}, lines=[line("1000", "1000000000")]
        )
    quote = Quote.objects.get(pk=quote.pk)
    assert (quote.total, quote.lines.get().quantity) == (D("121.00"), D("1"))


def test_a_prepaid_order_above_the_limit_is_accepted_once_confirmed(
    sales_user, accounting_user, customer
):
    order = submit(sales_user, customer, line("20", "100.00"), vat_rate=D("0"), prepaid=True)
    assert order.status == Order.Status.AWAITING_PREPAYMENT
    services.order_confirm_prepayment(order=order, user=accounting_user)
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    assert order.credit_reason.startswith(
        "Accepted: Accounting confirmed the prepayment, so the order uses no credit"
    )


def test_an_open_confirmed_prepaid_order_does_not_count_in_the_exposure(customer):
    """A confirmed prepaid order extends no credit while it waits for delivery."""
    OrderFactory(
        customer=customer, total=D("5.00"), prepaid=True, prepayment_confirmed_at=timezone.now()
    )
    OrderFactory(customer=customer, total=D("1.00"))
    # Waiting for the confirmation: not accepted, so not counted either.
    OrderFactory(
        customer=customer,
        total=D("50.00"),
        prepaid=True,
        status=Order.Status.AWAITING_PREPAYMENT,
    )
    assert selectors.account_exposure(account_id=customer.pk) == D("1.00")


def test_an_unpaid_invoice_counts_in_the_exposure_even_for_a_prepaid_order(customer):
    """An invoice that is not paid is owed, whatever the order promised."""
    InvoiceFactory(order__customer=customer, order__prepaid=True, amount=D("50.00"))
    InvoiceFactory(order__customer=customer, amount=D("10.00"))
    InvoiceFactory(order__customer=customer, amount=D("7.00"), paid_at=timezone.now())
    assert selectors.account_exposure(account_id=customer.pk) == D("60.00")


def test_a_blocked_order_rechecked_as_prepaid_above_the_limit_is_accepted_once_confirmed(
    sales_user, accounting_user, customer
):
    """The order was blocked, the customer prepays: it goes through once Accounting has the
    money."""
    OrderFactory(customer=customer, total=D("900.00"))
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    order = submit(sales_user, customer, line("5", "100.00"), vat_rate=D("0"))
    assert order.status == Order.Status.BLOCKED
    order = services.order_recheck(order=order, user=sales_user, prepaid=True)
    assert order.status == Order.Status.AWAITING_PREPAYMENT
    services.order_confirm_prepayment(order=order, user=accounting_user)
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    assert order.credit_reason == (
        "Accepted: Accounting confirmed the prepayment, so the order uses no credit (open "
        "exposure €900.00, this order €500.00, credit limit €1,000.00). "
        "The account is on credit hold, but the order is prepaid."
    )
    assert selectors.account_exposure(account_id=customer.pk) == D("900.00")


# --- what an issued document keeps ------------------------------------------------------------


def test_an_order_keeps_its_seller_contact_and_addresses_as_submitted(
    sales_user, customer, seller, seller_contact
):
    """Deleting or changing the contact and addresses later leaves the order as it was issued."""
    from accounts import services as account_services

    invoicing = AddressFactory(
        account=customer, name="Invoicing", street="Postbus 7", city="Utrecht"
    )
    order = submit(sales_user, customer, seller_account=seller, seller_contact=seller_contact)
    assert order.seller_contact_name == "Pat Jansen"
    assert order.invoice_address_text == "Invoicing: Postbus 7, 5616 LZ Utrecht, Netherlands"
    assert order.delivery_address_text == str(visit(customer))
    delivery_text = order.delivery_address_text

    account_services.contact_delete(contact=seller_contact, user=sales_user)
    account_services.address_delete(address=invoicing, user=sales_user)
    account_services.address_save(
        address=visit(customer), user=sales_user, fields={"street": "Elsewhere 9"}
    )

    order.refresh_from_db()
    assert order.seller_contact is None and order.invoice_address is None
    assert order.seller_contact_name == "Pat Jansen"
    assert order.invoice_address_text == "Invoicing: Postbus 7, 5616 LZ Utrecht, Netherlands"
    assert order.delivery_address_text == delivery_text


def test_a_quote_keeps_its_parties_once_sent_not_while_a_draft(
    sales_user, customer, seller, seller_contact
):
    """A draft is still being written, so it follows the CRM; sending it fixes what it says."""
    quote = services.quote_create(
        user=sales_user,
        fields={"customer": customer, "seller_account": seller, "seller_contact": seller_contact},
        lines=[line()],
    )
    assert (quote.seller_contact_name, quote.invoice_address_text) == ("", "")
    quote = services.quote_set_status(quote=quote, status=Quote.Status.SENT, user=sales_user)
    assert quote.seller_contact_name == "Pat Jansen"
    assert quote.invoice_address_text == str(mailing(customer))
    assert quote.delivery_address_text == str(visit(customer))


def test_an_order_from_a_quote_keeps_the_quotes_seller_contact_if_it_was_deleted(
    sales_user, customer, seller, seller_contact
):
    """The contact left after the quote was sent: the order still names who made the offer."""
    quote = services.quote_create(
        user=sales_user,
        fields={"customer": customer, "seller_account": seller, "seller_contact": seller_contact},
        lines=[line()],
    )
    services.quote_set_status(quote=quote, status=Quote.Status.SENT, user=sales_user)
    services.quote_set_status(quote=quote, status=Quote.Status.ACCEPTED, user=sales_user)
    seller_contact.delete()
    order = services.quote_convert_to_order(quote=quote, user=sales_user)
    assert order.seller_contact is None
    assert order.seller_contact_name == "Pat Jansen"


def test_the_migration_copies_the_parties_onto_documents_issued_before(customer, seller_contact):
    """Orders and sent quotes from before the copy get one; drafts follow the CRM still."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("sales.migrations.0006_copy_parties_onto_issued_documents")
    order = OrderFactory(
        customer=customer,
        seller_account=seller_contact.account,
        seller_contact=seller_contact,
        invoice_address=mailing(customer),
        delivery_address=visit(customer),
    )
    sent = QuoteFactory(customer=customer, status=Quote.Status.SENT, seller_contact=seller_contact)
    draft = QuoteFactory(customer=customer, seller_contact=seller_contact)
    migration.copy_parties(apps, None)
    order.refresh_from_db()
    assert order.seller_contact_name == "Pat Jansen"

    # As the addresses were written then: by their stored name.
    def as_then(address):
        line = address.one_line()
        return f"{address.name}: {line}" if line else address.name

    assert order.invoice_address_text == as_then(mailing(customer))
    assert order.delivery_address_text == as_then(visit(customer))
    assert Quote.objects.get(pk=sent.pk).seller_contact_name == "Pat Jansen"
    assert Quote.objects.get(pk=draft.pk).seller_contact_name == ""


# --- prepaid orders wait for Accounting's confirmation ----------------------------------------


@pytest.fixture
def on_hold(customer):
    """The issue's account: on credit hold, with a credit limit of 10.00."""
    customer.credit_hold = True
    customer.credit_limit = D("10.00")
    customer.save(update_fields=["credit_hold", "credit_limit"])
    return customer


def big_prepaid(user, customer):
    """A 60,500.00 order ticked prepaid (50,000.00 + 21% VAT)."""
    return submit(user, customer, line("1", "50000.00"), prepaid=True)


def test_the_issue_a_prepaid_tick_on_hold_is_neither_accepted_nor_invoiced(
    sales_user, accounting_user, on_hold
):
    order = big_prepaid(sales_user, on_hold)
    assert order.status == Order.Status.AWAITING_PREPAYMENT
    assert (order.prepaid, order.prepayment_confirmed_at) == (True, None)
    assert order.credit_reason.startswith(
        "Waiting for Accounting to confirm the prepayment of this order of €60,500.00"
    )
    assert order.credit_reason.endswith(
        "If it is not received: Blocked: the account is on credit hold and this order of "
        "€60,500.00 is not prepaid (open exposure €0.00, credit limit €10.00)."
    )
    with pytest.raises(
        TransitionNotAllowed,
        match=f"Order {order.number} is waiting for Accounting to confirm its prepayment, so it "
        "cannot be invoiced\\.",
    ):
        services.order_invoice(order=order, user=accounting_user)
    assert not Invoice.objects.exists()
    assert selectors.account_exposure(account_id=on_hold.pk) == 0


def test_accounting_confirms_the_prepayment_and_the_order_is_accepted(
    sales_user, accounting_user, on_hold
):
    order = big_prepaid(sales_user, on_hold)
    decision = services.order_confirm_prepayment(
        order=order, user=accounting_user, comment="  Bank transfer 2026-12-01, ref 4471.  "
    )
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    assert order.prepayment_confirmed_by == accounting_user
    assert order.prepayment_confirmed_at is not None
    assert order.credit_reason == (
        "Accepted: Accounting confirmed the prepayment, so the order uses no credit (open "
        "exposure €0.00, this order €60,500.00, credit limit €10.00). The account is on credit "
        "hold, but the order is prepaid."
    )
    assert (decision.decision, decision.decided_by, decision.comment) == (
        PrepaymentDecision.Decision.CONFIRMED,
        accounting_user,
        "Bank transfer 2026-12-01, ref 4471.",
    )
    assert decision.decided_at == order.prepayment_confirmed_at
    assert selectors.account_exposure(account_id=on_hold.pk) == 0
    invoice = services.order_invoice(order=order, user=accounting_user)
    # Invoiced, and paid by the prepayment: nothing is owed for it.
    assert invoice.is_paid and invoice.amount == D("60500.00")
    assert selectors.account_exposure(account_id=on_hold.pk) == 0


def test_a_prepayment_not_received_on_hold_blocks_the_order(sales_user, accounting_user, on_hold):
    order = big_prepaid(sales_user, on_hold)
    decision = services.order_refuse_prepayment(
        order=order, user=accounting_user, comment="Nothing on the account after 14 days."
    )
    order.refresh_from_db()
    assert (order.status, order.prepaid) == (Order.Status.BLOCKED, False)
    assert order.credit_reason == (
        "The prepayment was not received, so the order is checked on credit: Blocked: the "
        "account is on credit hold and this order of €60,500.00 is not prepaid (open exposure "
        "€0.00, credit limit €10.00)."
    )
    assert (decision.decision, decision.decided_by, decision.comment) == (
        PrepaymentDecision.Decision.REFUSED,
        accounting_user,
        "Nothing on the account after 14 days.",
    )
    assert order.prepayment_confirmed_at is None


def test_a_prepaid_tick_above_the_limit_without_hold_waits_too(sales_user, customer):
    """Not on hold: ticking prepaid does not bypass the credit limit."""
    OrderFactory(customer=customer, total=D("800.00"))
    order = submit(sales_user, customer, line("3", "100.00"), vat_rate=D("0"), prepaid=True)
    assert order.status == Order.Status.AWAITING_PREPAYMENT
    assert order.credit_reason.endswith(
        "If it is not received: Needs Management's approval: open exposure €800.00 + this order "
        "€300.00 = €1,100.00, which is €100.00 above the credit limit of €1,000.00."
    )
    assert selectors.account_exposure(account_id=customer.pk) == D("800.00")


def test_a_prepayment_not_received_above_the_limit_goes_to_management(
    sales_user, accounting_user, management_user, customer
):
    OrderFactory(customer=customer, total=D("800.00"))
    order = submit(sales_user, customer, line("3", "100.00"), vat_rate=D("0"), prepaid=True)
    services.order_refuse_prepayment(order=order, user=accounting_user, comment="Not paid.")
    order.refresh_from_db()
    assert (order.status, order.prepaid) == (Order.Status.PENDING_APPROVAL, False)
    assert order.credit_reason.startswith(
        "The prepayment was not received, so the order is checked on credit: Needs Management's "
        "approval: open exposure €800.00 + this order €300.00 = €1,100.00"
    )
    services.order_decide(order=order, user=management_user, approve=True, comment="Known.")
    assert selectors.account_exposure(account_id=customer.pk) == D("1100.00")


def test_a_prepayment_not_received_within_the_limit_is_accepted_on_credit(
    sales_user, accounting_user, customer
):
    order = submit(sales_user, customer, line("1", "100.00"), vat_rate=D("0"), prepaid=True)
    assert order.status == Order.Status.AWAITING_PREPAYMENT
    services.order_refuse_prepayment(order=order, user=accounting_user, comment="Not paid.")
    order.refresh_from_db()
    assert (order.status, order.prepaid) == (Order.Status.ACCEPTED, False)
    assert selectors.account_exposure(account_id=customer.pk) == D("100.00")


def test_a_confirmed_prepayment_within_the_limit_uses_no_credit(
    sales_user, accounting_user, customer
):
    order = submit(sales_user, customer, line("1", "100.00"), vat_rate=D("0"), prepaid=True)
    services.order_confirm_prepayment(order=order, user=accounting_user)
    assert selectors.account_exposure(account_id=customer.pk) == 0


def test_a_prepayment_not_received_needs_a_reason(sales_user, accounting_user, on_hold):
    order = big_prepaid(sales_user, on_hold)
    with pytest.raises(ValidationError) as error:
        services.order_refuse_prepayment(order=order, user=accounting_user, comment="   ")
    assert error.value.message_dict == {"comment": ["Say why: a comment is required."]}
    order.refresh_from_db()
    assert (order.status, order.prepaid) == (Order.Status.AWAITING_PREPAYMENT, True)
    assert not PrepaymentDecision.objects.exists()


@pytest.mark.parametrize("role", ["sales_user", "management_user", "no_group_user"])
def test_only_accounting_confirms_or_refuses_a_prepayment(request, role, sales_user, on_hold):
    user = request.getfixturevalue(role)
    order = big_prepaid(sales_user, on_hold)
    with pytest.raises(PermissionDenied, match="Only Accounting can confirm or refuse"):
        services.order_confirm_prepayment(order=order, user=user)
    with pytest.raises(PermissionDenied):
        services.order_refuse_prepayment(order=order, user=user, comment="No.")
    order.refresh_from_db()
    assert (order.status, order.prepaid, order.prepayment_confirmed_at) == (
        Order.Status.AWAITING_PREPAYMENT,
        True,
        None,
    )
    assert not PrepaymentDecision.objects.exists()


def test_the_accounting_group_has_the_right_from_its_migration(accounting_user, admin_user):
    assert accounting_user.has_perm("sales.confirm_prepayment")
    assert admin_user.has_perm("sales.confirm_prepayment")


@pytest.mark.parametrize(
    "status", [s for s in Order.Status if s != Order.Status.AWAITING_PREPAYMENT]
)
def test_only_an_order_waiting_for_its_prepayment_is_confirmed_or_refused(
    accounting_user, customer, status
):
    order = OrderFactory(customer=customer, status=status)
    with pytest.raises(ValidationError, match=f"{order.number} is not waiting for a prepayment"):
        services.order_confirm_prepayment(order=order, user=accounting_user)
    with pytest.raises(ValidationError, match="is not waiting for a prepayment"):
        services.order_refuse_prepayment(order=order, user=accounting_user, comment="No.")
    order.refresh_from_db()
    assert (order.status, order.prepayment_confirmed_at) == (status, None)


def test_a_prepayment_is_confirmed_once(sales_user, accounting_user, admin_user, on_hold):
    order = big_prepaid(sales_user, on_hold)
    services.order_confirm_prepayment(order=order, user=accounting_user)
    with pytest.raises(ValidationError, match="not waiting for a prepayment: it is accepted"):
        services.order_refuse_prepayment(order=order, user=admin_user, comment="Oops.")
    order.refresh_from_db()
    assert (order.status, order.prepayment_confirmed_by) == (Order.Status.ACCEPTED, accounting_user)
    assert PrepaymentDecision.objects.count() == 1


def test_a_refused_order_on_hold_can_be_claimed_prepaid_again(sales_user, accounting_user, on_hold):
    """The customer pays after all: Sales ticks prepaid again and Accounting confirms."""
    order = big_prepaid(sales_user, on_hold)
    services.order_refuse_prepayment(order=order, user=accounting_user, comment="Not yet.")
    order = services.order_recheck(order=order, user=sales_user, prepaid=True)
    assert order.status == Order.Status.AWAITING_PREPAYMENT
    services.order_confirm_prepayment(order=order, user=accounting_user, comment="Arrived.")
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    assert [d.decision for d in order.prepayment_decisions.order_by("id")] == [
        PrepaymentDecision.Decision.REFUSED,
        PrepaymentDecision.Decision.CONFIRMED,
    ]


def test_sales_cancels_an_order_waiting_for_its_prepayment(sales_user, on_hold):
    order = big_prepaid(sales_user, on_hold)
    services.order_cancel(order=order, user=sales_user)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_management_cannot_approve_an_order_waiting_for_its_prepayment(
    sales_user, management_user, on_hold
):
    order = big_prepaid(sales_user, on_hold)
    with pytest.raises(ValidationError, match="not waiting for approval any more"):
        services.order_decide(order=order, user=management_user, approve=True, comment="Fine.")
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PREPAYMENT


def test_a_recheck_does_not_accept_an_order_waiting_for_its_prepayment(sales_user, on_hold):
    order = big_prepaid(sales_user, on_hold)
    with pytest.raises(ValidationError, match="Only a blocked order is checked again"):
        services.order_recheck(order=order, user=sales_user, prepaid=True)
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PREPAYMENT


def test_the_database_refuses_an_accepted_prepaid_order_without_a_confirmation(customer):
    """The rule holds below the services too: no accepted order on the tick alone."""
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(customer=customer, status=Order.Status.ACCEPTED, prepaid=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(
            customer=customer,
            status=Order.Status.CANCELLED,
            prepaid=False,
            prepayment_confirmed_at=timezone.now(),
        )


# --- the moves a document offers --------------------------------------------------------------


@pytest.mark.parametrize("model", [Quote, Order])
def test_each_document_lists_exactly_the_moves_its_transitions_allow(model):
    """Quote and order pages ask the same method what comes next; nothing else decides it."""
    for status in model.Status:
        document = model(status=status)
        allowed = [s for s in model.Status if document.can_become(s)]
        assert document.next_statuses() == allowed, status
        assert set(allowed) == set(model.TRANSITIONS.get(status, ())), status


def test_an_order_offers_each_action_only_where_its_status_allows_it():
    offered = {
        status: {
            name
            for name in (
                "awaits_prepayment",
                "awaits_approval",
                "can_recheck",
                "can_invoice",
                "can_cancel",
            )
            if getattr(Order(status=status), name)
        }
        for status in Order.Status
    }
    assert offered == {
        Order.Status.AWAITING_PREPAYMENT: {"awaits_prepayment", "can_cancel"},
        Order.Status.PENDING_APPROVAL: {"awaits_approval", "can_cancel"},
        Order.Status.ACCEPTED: {"can_invoice", "can_cancel"},
        Order.Status.REJECTED: set(),
        Order.Status.BLOCKED: {"can_recheck", "can_cancel"},
        Order.Status.INVOICED: set(),
        Order.Status.CANCELLED: set(),
    }


def test_only_sales_changes_an_orders_details(management_user):
    order = OrderFactory(customer_reference="PO-1")
    with pytest.raises(PermissionDenied):
        services.order_set_details(
            order=order, user=management_user, customer_reference="PO-2", notes=""
        )
    order.refresh_from_db()
    assert order.customer_reference == "PO-1"


# --- the same form posted twice ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("write", "model"), [(services.order_submit, Order), (services.quote_create, Quote)]
)
def test_a_document_posted_twice_from_one_form_is_written_once(sales_user, customer, write, model):
    """Back, then Submit again: the second post finds the document the first one wrote; a new
    form (a new key) writes a new one."""

    def post(key: uuid.UUID):
        return write(user=sales_user, fields={"customer": customer}, lines=[line()], submission=key)

    key = uuid.uuid4()
    first = post(key)
    with pytest.raises(services.AlreadySubmitted) as again:
        post(key)
    assert again.value.document == first
    assert model.objects.count() == 1
    assert post(uuid.uuid4()) != first
    assert model.objects.count() == 2


def test_posts_racing_past_the_first_look_find_the_winners_document(
    sales_user, customer, monkeypatch
):
    """The second of two simultaneous posts passed the first look before the first committed:
    the unique key stops its save, and the second look finds the first's order. (On SQLite the
    writers queue before the first look, so the race is staged here.)"""
    key = uuid.uuid4()
    first = submit(sales_user, customer, line(), submission=key)
    looks = []
    real_look = services._refuse_resubmission

    def late_first_look(model, submission, user):
        looks.append(submission)
        if len(looks) > 1:
            real_look(model, submission, user)

    monkeypatch.setattr(services, "_refuse_resubmission", late_first_look)
    with pytest.raises(services.AlreadySubmitted) as again:
        submit(sales_user, customer, line(), submission=key)
    assert again.value.document == first and len(looks) == 2
    assert Order.objects.count() == 1


def test_another_writers_key_finds_nothing_of_theirs(sales_user, customer):
    key = uuid.uuid4()
    submit(sales_user, customer, line(), submission=key)
    colleague = UserFactory(groups=["Sales"])
    with pytest.raises(ValidationError, match="someone else"):
        submit(colleague, customer, line(), submission=key)
    assert Order.objects.count() == 1


def test_a_refused_prepayment_leaves_the_invoice_to_be_paid(sales_user, accounting_user, customer):
    order = submit(sales_user, customer, line("1", "100.00"), vat_rate=D("0"), prepaid=True)
    services.order_refuse_prepayment(order=order, user=accounting_user, comment="Not received.")
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED and order.prepayment_confirmed_at is None
    invoice = services.order_invoice(order=order, user=accounting_user)
    assert not invoice.is_paid
    assert selectors.account_exposure(account_id=customer.pk) == invoice.amount


def test_the_dutch_hint_names_the_address_the_rule_picks():
    """One translation serves the hint and the rule: they cannot drift apart."""
    from django.utils import translation

    from sales.forms import QuoteForm

    with translation.override("nl"):
        form = QuoteForm()
        assert form.fields["delivery_address"].empty_label == (
            "Standaard: Levering, anders het bezoekadres"
        )
        assert form.fields["invoice_address"].empty_label == (
            "Standaard: Facturatie, anders het postadres"
        )
