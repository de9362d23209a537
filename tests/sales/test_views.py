"""The sales pages through the test client: what each role sees and may do."""

import datetime as dt
import re
from decimal import Decimal as D
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account, RelationshipType
from sales.models import Approval, Invoice, Order, PrepaymentDecision, Quote
from tests.accounts.factories import AccountFactory, AddressFactory, ContactFactory
from tests.html import field_errors, parse
from tests.html import rows as table_rows
from tests.picker import account_box, picked, typed
from tests.sales.conftest import mailing, visit
from tests.sales.factories import (
    ApprovalFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    QuoteFactory,
    QuoteLineFactory,
    SellerAccountFactory,
)
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = ["sales_user", "accounting_user", "management_user", "admin_user", "no_group_user"]


def form_data(account, *lines, prefix="lines", **fields):
    data = {
        **picked("customer", account),
        "vat_rate": "21",
        f"{prefix}-TOTAL_FORMS": str(len(lines) + 1),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    # The browser sends a blank row too, with the quantity and discount it shows by default.
    for i, (description, quantity, price) in enumerate([*lines, ("", "1", "")]):
        data |= {
            f"{prefix}-{i}-description": description,
            f"{prefix}-{i}-quantity": quantity,
            f"{prefix}-{i}-unit_price": price,
            f"{prefix}-{i}-discount_percent": "0",
        }
    return data | fields


def html(response):
    return response.content.decode()


def messages_in(page):
    """The texts of the messages shown at the top of the page."""
    return [
        unescape(re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(r'<li class="message[^"]*"[^>]*>(.*?)</li>', page, re.S)
    ]


# --- quotes ----------------------------------------------------------------------------------


def test_the_seller_is_filled_in_from_the_users_crm_link(as_user, seller, seller_contact):
    user = UserFactory(groups=["Sales"], crm_account=seller, crm_contact=seller_contact)
    page = html(as_user(user).get(reverse("sales:quote_create")))
    assert account_box(page, "seller_account") == ("Bodywork Group Elfsquad", str(seller.pk))
    assert f'<option value="{seller_contact.pk}" selected>Pat Jansen</option>' in page


def test_a_user_without_a_link_chooses_the_seller(as_user, sales_user, customer, seller):
    page = html(as_user(sales_user).get(reverse("sales:quote_create")))
    assert account_box(page, "seller_account") == ("", "")
    # Left empty, the contact is the seller's primary one: the box says so.
    empty = parse(page).find("select", name="seller_contact").find("option", value="")
    assert empty.text == "Default: the seller's primary contact"
    response = as_user(sales_user).post(
        reverse("sales:quote_create"),
        form_data(
            customer,
            ("Panels", "2", "50.00"),
            **picked("seller_account", seller),
        ),
    )
    quote = Quote.objects.get()
    assert response.url == quote.get_absolute_url()
    assert (quote.seller_account, quote.total) == (seller, D("121.00"))
    assert quote.created_by == sales_user


def test_the_linked_seller_can_be_changed_or_cleared(as_user, seller, seller_contact, customer):
    """The form starts with the user's link; what they send instead is what the quote gets."""
    other = SellerAccountFactory(name="Elfsquad Services")
    other_contact = ContactFactory(account=other, first_name="Sam", last_name="Visser")
    user = UserFactory(groups=["Sales"], crm_account=seller, crm_contact=seller_contact)
    client = as_user(user)
    client.post(
        reverse("sales:quote_create"),
        form_data(
            customer,
            ("X", "1", "1"),
            **picked("seller_account", other),
            seller_contact=str(other_contact.pk),
        ),
    )
    client.post(reverse("sales:quote_create"), form_data(customer, ("X", "1", "1")))
    changed, cleared = Quote.objects.order_by("id")
    assert (changed.seller_account, changed.seller_contact) == (other, other_contact)
    assert (cleared.seller_account, cleared.seller_contact) == (None, None)


def options(page, name):
    """The choices of the select box `name` on the page: {value: label}, the empty one left out."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select box {name}"
    return {
        value: unescape(label).strip()
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select[1])
        if value
    }


def test_the_new_quote_form_offers_the_customers_addresses(as_user, sales_user, customer):
    shipping = AddressFactory(account=customer, name="Shipping")
    AddressFactory(name="Not Theirs")
    page = html(as_user(sales_user).get(reverse("sales:quote_create") + f"?customer={customer.pk}"))
    theirs = {str(a.pk) for a in customer.addresses.all()}
    assert str(shipping.pk) in theirs
    for field in ("invoice_address", "delivery_address"):
        assert set(options(page, field)) == theirs, field


def test_a_quote_with_an_address_of_another_account_is_refused(as_user, sales_user, customer):
    stranger = AddressFactory(account=AccountFactory(name="Someone Else"), name="Depot")
    response = as_user(sales_user).post(
        reverse("sales:quote_create"),
        form_data(customer, ("Panels", "2", "50.00"), delivery_address=str(stranger.pk)),
    )
    page = html(response)
    assert "belongs to Someone Else, not to Acme Panels" in page
    assert 'value="Panels"' in page
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    ("lines", "fields", "message"),
    [
        ([], {}, "Add at least one line."),
        ([("Panels", "0", "10")], {}, "greater than or equal to 0.01"),
        ([("Panels", "1", "abc")], {}, "Enter a number."),
        (
            [("Panels", "1", "10")],
            typed("customer", "Nobody Inc"),
            "Pick an account from the suggestions.",
        ),
        ([("Panels", "1", "10")], {"vat_rate": "120"}, "less than or equal to 100"),
    ],
)
def test_bad_quote_input_shows_a_message_and_saves_nothing(
    as_user, sales_user, customer, lines, fields, message
):
    response = as_user(sales_user).post(
        reverse("sales:quote_create"), form_data(customer, *lines, **fields)
    )
    assert response.status_code == 200
    assert message in html(response)
    assert not Quote.objects.exists()


@pytest.mark.parametrize("role", ["accounting_user", "management_user", "no_group_user"])
def test_only_sales_writes_quotes_on_the_page(request, as_user, role, customer):
    client = as_user(request.getfixturevalue(role))
    assert client.get(reverse("sales:quote_create")).status_code == 403
    assert (
        client.post(reverse("sales:quote_create"), form_data(customer, ("X", "1", "1")))
    ).status_code == 403
    quote = QuoteFactory(customer=customer)
    assert client.get(reverse("sales:quote_update", args=[quote.pk])).status_code == 403
    response = client.post(reverse("sales:quote_status", args=[quote.pk]), {"status": "sent"})
    assert response.status_code == 403
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DRAFT
    assert Quote.objects.count() == 1


def test_a_draft_quote_is_edited(as_user, sales_user, customer):
    quote = QuoteFactory(customer=customer)
    QuoteLineFactory(quote=quote, description="Old line")
    client = as_user(sales_user)
    page = html(client.get(reverse("sales:quote_update", args=[quote.pk])))
    assert 'value="Old line"' in page
    client.post(
        reverse("sales:quote_update", args=[quote.pk]),
        form_data(customer, ("New line", "3", "10.00"), vat_rate="0"),
    )
    quote.refresh_from_db()
    assert [ln.description for ln in quote.lines.all()] == ["New line"]
    assert quote.total == D("30.00")


def test_a_sent_quote_is_not_edited(as_user, sales_user, customer):
    quote = QuoteFactory(customer=customer, status=Quote.Status.SENT)
    response = as_user(sales_user).get(reverse("sales:quote_update", args=[quote.pk]), follow=True)
    assert "Only a draft quote can be changed." in html(response)


def test_quote_status_buttons_move_it_forward(as_user, sales_user, customer):
    quote = QuoteFactory(customer=customer)
    client = as_user(sales_user)
    assert "Mark sent" in html(client.get(quote.get_absolute_url()))
    client.post(reverse("sales:quote_status", args=[quote.pk]), {"status": "sent"})
    response = client.post(
        reverse("sales:quote_status", args=[quote.pk]), {"status": "draft"}, follow=True
    )
    assert f"Quote {quote.number} has been sent, so it cannot go back to draft." in html(response)
    client.post(reverse("sales:quote_status", args=[quote.pk]), {"status": "accepted"})
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED


def test_an_accepted_quote_turns_into_an_order_on_its_page(as_user, sales_user, customer):
    quote = QuoteFactory(customer=customer, status=Quote.Status.ACCEPTED)
    QuoteLineFactory(quote=quote)
    client = as_user(sales_user)
    assert "Turn into an order" in html(client.get(quote.get_absolute_url()))
    response = client.post(
        reverse("sales:quote_convert", args=[quote.pk]),
        {"customer_reference": "PO-77"},
        follow=True,
    )
    order = Order.objects.get()
    assert (order.quote, order.customer_reference) == (quote, "PO-77")
    assert f"Order {order.number}: Accepted" in html(response)
    assert f'became order <a href="{order.get_absolute_url()}">' in html(
        client.get(quote.get_absolute_url())
    )


def test_the_quote_page_warns_about_credit_hold(as_user, sales_user, customer):
    customer.credit_hold = True
    customer.save()
    quote = QuoteFactory(customer=customer)
    assert "The customer is on credit hold" in html(
        as_user(sales_user).get(quote.get_absolute_url())
    )


def test_the_quote_page_warns_when_the_limit_would_pass(as_user, sales_user, customer):
    OrderFactory(customer=customer, total=D("950.00"))
    quote = QuoteFactory(customer=customer, total=D("121.00"))
    page = html(as_user(sales_user).get(quote.get_absolute_url()))
    assert "would pass the credit limit" in page
    assert "open exposure €950.00 + this order €121.00 = €1,071.00" in page


def test_the_quote_page_does_not_warn_within_the_limit(as_user, sales_user, customer):
    quote = QuoteFactory(customer=customer)
    assert "data-credit-warning" not in html(as_user(sales_user).get(quote.get_absolute_url()))


# --- orders ----------------------------------------------------------------------------------


def test_an_order_above_the_limit_waits_and_says_why(as_user, sales_user, customer):
    response = as_user(sales_user).post(
        reverse("sales:order_create"),
        form_data(customer, ("Machine", "1", "1000.00")),
        follow=True,
    )
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING_APPROVAL
    page = html(response)
    assert "Needs Management&#x27;s approval: open exposure €0.00 + this order €1,210.00" in page
    assert "Waiting for Management's approval." in page


def test_an_order_for_a_prospect_makes_it_a_customer(as_user, sales_user, prospect):
    as_user(sales_user).post(reverse("sales:order_create"), form_data(prospect, ("X", "1", "1")))
    prospect.refresh_from_db()
    assert prospect.relationship_type.code == RelationshipType.CUSTOMER
    page = html(as_user(sales_user).get(prospect.get_absolute_url()))
    assert f"<td>{sales_user}</td><td>Relationship type</td><td>Prospect</td><td>Customer</td>" in (
        page
    )


def test_bad_order_input_saves_nothing(as_user, sales_user, prospect):
    response = as_user(sales_user).post(
        reverse("sales:order_create"), form_data(prospect, ("X", "-1", "1"))
    )
    assert "greater than or equal to 0.01" in html(response)
    assert not Order.objects.exists()
    prospect.refresh_from_db()
    assert prospect.relationship_type.code == RelationshipType.PROSPECT


@pytest.mark.parametrize("role", ["accounting_user", "management_user", "no_group_user"])
def test_only_sales_enters_and_cancels_orders(request, as_user, role, customer):
    client = as_user(request.getfixturevalue(role))
    assert client.get(reverse("sales:order_create")).status_code == 403
    response = client.post(reverse("sales:order_create"), form_data(customer, ("X", "1", "1")))
    assert response.status_code == 403
    order = OrderFactory(customer=customer, status=Order.Status.BLOCKED)
    assert client.post(reverse("sales:order_cancel", args=[order.pk])).status_code == 403
    assert client.post(reverse("sales:order_recheck", args=[order.pk])).status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.BLOCKED


def test_sales_cancels_an_order(as_user, sales_user, customer):
    order = OrderFactory(customer=customer)
    response = as_user(sales_user).post(reverse("sales:order_cancel", args=[order.pk]), follow=True)
    assert f"Order {order.number} was cancelled." in html(response)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_a_blocked_order_is_checked_again_when_prepaid(as_user, sales_user, customer):
    customer.credit_hold = True
    customer.save()
    client = as_user(sales_user)
    client.post(
        reverse("sales:order_create"), form_data(customer, ("X", "1", "1"), enter_blocked="on")
    )
    order = Order.objects.get()
    assert order.status == Order.Status.BLOCKED
    assert "Check credit again" in html(client.get(order.get_absolute_url()))
    client.post(reverse("sales:order_recheck", args=[order.pk]), {"prepaid": "on"})
    order.refresh_from_db()
    assert (order.status, order.prepaid) == (Order.Status.AWAITING_PREPAYMENT, True)
    page = html(client.get(order.get_absolute_url()))
    assert "data-awaiting-prepayment" in page
    assert "data-prepayment-form" not in page


# --- approvals -------------------------------------------------------------------------------


@pytest.fixture
def waiting(customer):
    return OrderFactory(
        customer=customer,
        status=Order.Status.PENDING_APPROVAL,
        total=D("1210.00"),
        credit_reason="Needs Management's approval: open exposure €0.00 + this order €1,210.00",
    )


def test_management_approves_from_the_approvals_page(as_user, management_user, waiting):
    client = as_user(management_user)
    page = html(client.get(reverse("sales:approval_list")))
    assert waiting.number in page and "Approve" in page
    response = client.post(
        reverse("sales:order_decide", args=[waiting.pk]),
        {"decision": "approve", "comment": "Good payer.", "next": "approvals"},
        follow=True,
    )
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.ACCEPTED
    assert response.redirect_chain == [(reverse("sales:approval_list"), 302)]
    page = html(response)
    assert f"Order {waiting.number} was approved." in page
    assert "No order is waiting for approval." in page
    assert "Good payer." in page and str(management_user) in page


def test_management_rejects_with_a_comment(as_user, management_user, waiting):
    as_user(management_user).post(
        reverse("sales:order_decide", args=[waiting.pk]),
        {"decision": "reject", "comment": "Too risky."},
    )
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.REJECTED


def test_a_decision_without_a_comment_is_refused(as_user, management_user, waiting):
    response = as_user(management_user).post(
        reverse("sales:order_decide", args=[waiting.pk]), {"decision": "approve", "comment": ""}
    )
    assert "Say why: a comment is required." in html(response)
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()


def _decision_row(page, order):
    """The approvals page's row of `order`, with its decision form."""
    return next(
        row for row in parse(page).find_all("tr", data_row="") if row.find("a").text == order.number
    )


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_decision_without_a_comment_from_the_approvals_page_returns_there(
    as_user, management_user, waiting, decision
):
    """Approving or rejecting from the Approvals page without a comment shows the Approvals page
    again, the error beside that order's decision, and saves nothing."""
    other = OrderFactory(customer=waiting.customer, status=Order.Status.PENDING_APPROVAL)
    response = as_user(management_user).post(
        reverse("sales:order_decide", args=[waiting.pk]),
        {"decision": decision, "comment": "  ", "next": "approvals"},
    )
    assert response.status_code == 200
    page = html(response)
    assert parse(page).find("h1").text == "Approvals"
    row = _decision_row(page, waiting)
    assert row.find(class_="errors").text == "Say why: a comment is required."
    assert row.find("textarea").attrs["aria-invalid"] == "true"
    assert not _decision_row(page, other).find_all(class_="errors")
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()


def test_a_refused_approval_on_the_approvals_page_keeps_the_comment(
    as_user, management_user, waiting
):
    """The service's refusal (the account went on credit hold) shows on the Approvals page with
    the comment as typed, so it can be turned into a rejection without typing it again."""
    Account.objects.filter(pk=waiting.customer_id).update(credit_hold=True)
    response = as_user(management_user).post(
        reverse("sales:order_decide", args=[waiting.pk]),
        {"decision": "approve", "comment": "Known payer.", "next": "approvals"},
    )
    assert response.status_code == 200
    row = _decision_row(html(response), waiting)
    assert "is on credit hold" in row.find(class_="errors").text
    assert row.find("textarea").text == "Known payer."
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()


@pytest.mark.parametrize("role", ["sales_user", "accounting_user", "no_group_user"])
def test_nobody_else_approves(request, as_user, role, waiting):
    client = as_user(request.getfixturevalue(role))
    page = client.get(reverse("sales:approval_list"))
    if page.status_code == 200:
        assert 'value="approve"' not in html(page)
    response = client.post(
        reverse("sales:order_decide", args=[waiting.pk]), {"decision": "approve", "comment": "x"}
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL


def test_everyone_sees_who_decided_and_when(as_user, sales_user, management_user, customer):
    approval = ApprovalFactory(order__customer=customer, decided_by=management_user)
    page = html(as_user(sales_user).get(approval.order.get_absolute_url()))
    assert f"Approved</strong> by {management_user} on" in page
    assert "Long-standing customer" in page


# --- invoices --------------------------------------------------------------------------------


def test_accounting_invoices_an_accepted_order_and_marks_it_paid(
    as_user, accounting_user, customer
):
    order = OrderFactory(customer=customer, invoice_address=visit(customer))
    client = as_user(accounting_user)
    assert "Invoice this order" in html(client.get(order.get_absolute_url()))
    response = client.post(reverse("sales:order_invoice", args=[order.pk]), follow=True)
    invoice = Invoice.objects.get()
    assert f"Invoice {invoice.number} was made" in html(response)
    response = client.post(reverse("sales:invoice_paid", args=[invoice.pk]), follow=True)
    assert f"Invoice {invoice.number} was marked paid." in html(response)
    invoice.refresh_from_db()
    assert invoice.is_paid


@pytest.mark.parametrize("role", ["sales_user", "management_user", "no_group_user"])
def test_only_accounting_invoices_on_the_page(request, as_user, role, customer):
    client = as_user(request.getfixturevalue(role))
    order = OrderFactory(customer=customer)
    assert client.post(reverse("sales:order_invoice", args=[order.pk])).status_code == 403
    invoice = InvoiceFactory()
    assert client.post(reverse("sales:invoice_paid", args=[invoice.pk])).status_code == 403
    assert Invoice.objects.count() == 1
    invoice.refresh_from_db()
    assert not invoice.is_paid


def test_a_pending_order_cannot_be_invoiced(as_user, accounting_user, waiting):
    response = as_user(accounting_user).post(
        reverse("sales:order_invoice", args=[waiting.pk]), follow=True
    )
    assert f"Order {waiting.number} is waiting for approval, so it cannot be invoiced." in html(
        response
    )
    assert not Invoice.objects.exists()


def test_a_refused_move_is_said_in_the_readers_language(as_user, accounting_user, waiting):
    accounting_user.language = "nl"
    accounting_user.save()
    response = as_user(accounting_user).post(
        reverse("sales:order_invoice", args=[waiting.pk]), follow=True
    )
    assert (
        f"Order {waiting.number} wacht op goedkeuring en kan dus niet worden gefactureerd."
        in html(response)
    )


@pytest.mark.parametrize("document", [Quote, Order])
def test_every_refused_move_has_its_words(document):
    """set_status words the document's state and the move asked for; none is left to chance."""
    assert set(document.STATE_WORDS) == set(document.Status.values)
    assert set(document.MOVE_WORDS) == set(document.Status.values)


# --- reading: every role, constant queries ---------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_reads_the_sales_pages(request, as_user, role, customer):
    user = request.getfixturevalue(role)
    client = as_user(user)
    quote = QuoteFactory(customer=customer)
    invoice = InvoiceFactory(order__customer=customer)
    urls = [
        reverse("sales:quote_list"),
        quote.get_absolute_url(),
        reverse("sales:order_list"),
        invoice.order.get_absolute_url(),
        reverse("sales:approval_list"),
        reverse("sales:invoice_list"),
        invoice.get_absolute_url(),
    ]
    expected = 403 if role == "no_group_user" else 200
    for url in urls:
        assert client.get(url).status_code == expected, url


def _many_quotes(customer, n=6):
    for i in range(n):
        quote = QuoteFactory(customer=AccountFactory() if i % 2 else customer)
        QuoteLineFactory.create_batch(3, quote=quote)
    return quote


def _many_orders(customer, n=6):
    for i in range(n):
        order = OrderFactory(customer=AccountFactory() if i % 2 else customer)
        OrderLineFactory.create_batch(3, order=order)
        InvoiceFactory(order__customer=order.customer)
    return order


def test_list_pages_have_constant_queries(
    as_user, admin_user, customer, django_assert_max_num_queries
):
    client = as_user(admin_user)
    _many_quotes(customer)
    _many_orders(customer)
    for url, rows in [
        (reverse("sales:quote_list"), 6),
        (reverse("sales:order_list"), 12),
        (reverse("sales:order_list") + "?status=accepted&q=Comp", None),
        (reverse("sales:invoice_list"), 6),
        (reverse("sales:quote_list") + "?q=Q-", 6),
    ]:
        with django_assert_max_num_queries(5):
            response = client.get(url)
        if rows:
            assert html(response).count("<tr data-row>") == rows, url


def test_quote_page_has_constant_queries(
    as_user, sales_user, customer, seller, seller_contact, django_assert_max_num_queries
):
    quote = QuoteFactory(customer=customer, seller_account=seller, seller_contact=seller_contact)
    QuoteLineFactory.create_batch(8, quote=quote)
    client = as_user(sales_user)
    with django_assert_max_num_queries(7):
        response = client.get(quote.get_absolute_url())
    assert html(response).count("Service hour") == 8


def test_order_page_has_constant_queries(
    as_user, management_user, customer, django_assert_max_num_queries
):
    order = OrderFactory(customer=customer, status=Order.Status.ACCEPTED)
    OrderLineFactory.create_batch(8, order=order)
    ApprovalFactory.create_batch(3, order=order)
    InvoiceFactory(order=order)
    client = as_user(management_user)
    with django_assert_max_num_queries(8):
        response = client.get(order.get_absolute_url())
    assert html(response).count("data-approval") == 3


def test_a_waiting_orders_page_reads_the_exposure_now_within_its_queries(
    as_user, management_user, customer, django_assert_max_num_queries
):
    """Undecided, its page also checks its credit as of today ("Checked now"): one query."""
    order = OrderFactory(customer=customer, status=Order.Status.PENDING_APPROVAL)
    OrderLineFactory.create_batch(8, order=order)
    client = as_user(management_user)
    with django_assert_max_num_queries(8):
        response = client.get(order.get_absolute_url())
    assert response.status_code == 200 and "data-credit-reason" in html(response)


def test_approvals_page_has_constant_queries(
    as_user, management_user, customer, django_assert_max_num_queries
):
    """Each row shows the customer's exposure, limit and hold now, in a fixed number of queries."""
    for _ in range(4):
        OrderFactory(status=Order.Status.PENDING_APPROVAL)
        ApprovalFactory()
    ApprovalFactory()
    # Since this order waited, the customer took an accepted order and was put on hold.
    OrderFactory(
        customer=customer,
        status=Order.Status.PENDING_APPROVAL,
        total=D("1210.00"),
        credit_reason="Needs Management's approval: open exposure €0.00 + this order €1,210.00",
    )
    OrderFactory(customer=customer, total=D("500.00"))
    Account.objects.filter(pk=customer.pk).update(credit_hold=True)
    for _ in range(3):
        OrderFactory(status=Order.Status.AWAITING_PREPAYMENT, prepaid=True)
    client = as_user(management_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("sales:approval_list"))
    page = html(response)
    assert page.count("<tr data-row>") == 5
    assert page.count("<tr data-decision>") == 5
    row = re.search(r"<tr data-row>(?:(?!</tr>).)*Acme Panels.*?</tr>", page, re.S).group(0)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["€1,210.00", "€500.00", "€1,000.00"]
    assert "On credit hold now" in row
    assert page.count("data-hold") == 1
    assert page.count("<tr data-prepayment-row>") == 3


def test_invoice_page_has_constant_queries(as_user, accounting_user, django_assert_max_num_queries):
    invoice = InvoiceFactory()
    client = as_user(accounting_user)
    # The invoice with its order and seller, then the order's lines.
    with django_assert_max_num_queries(6):
        response = client.get(invoice.get_absolute_url())
    assert invoice.number in html(response)


@pytest.mark.parametrize(
    ("language", "decimal", "thousand"), [("en-gb", ".", ","), ("nl", ",", ".")]
)
@pytest.mark.parametrize("url", ["sales:quote_create", "sales:order_create"])
def test_the_document_forms_tell_the_running_totals_the_languages_separators(
    as_user, sales_user, settings, url, language, decimal, thousand
):
    """The running totals read and show numbers as the page's language does: the form says how."""
    settings.LANGUAGE_CODE = language
    page = parse(html(as_user(sales_user).get(reverse(url))))
    form = page.find("form", id="document-form")
    assert (form.attrs["data-decimal-separator"], form.attrs["data-thousand-separator"]) == (
        decimal,
        thousand,
    )
    assert "data-running-totals" in form.attrs
    # The VAT rate the totals read is written the language's way too.
    assert page.find("input", id="id_vat_rate").attrs["value"] == f"21{decimal}00"
    assert page.find("tfoot").find_all("output", data_total="")
    assert page.find("template", id="line-template").find_all("output", data_line_amount="")


@pytest.mark.parametrize("lines", [1, 20])
def test_an_order_submission_takes_ten_queries_whatever_its_lines(
    as_user, sales_user, customer, lines
):
    """Entering an order reads and writes what it must once: the session and user, the user's
    rights (one query, users.backends), the customer with its credit hold, its addresses (the
    form offers them and the service picks the defaults from them), the account's row lock, the
    exposure, the next number (one UPDATE ... RETURNING), the order and its lines (one INSERT
    each)."""
    client = as_user(sales_user)
    # The first order of all makes the numbering's row; this is about every order after it.
    client.post(reverse("sales:order_create"), form_data(customer, ("First", "1", "1.00")))
    data = form_data(customer, *[(f"Line {i}", "2", "10.00") for i in range(lines)])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("sales:order_create"), data)
    assert response.status_code == 302
    order = Order.objects.latest("pk")
    assert (order.status, order.total, order.lines.count()) == (
        "accepted",
        D("24.20") * lines,
        lines,
    )
    assert order.invoice_address == mailing(customer) and order.delivery_address == visit(customer)
    # The test's transaction turns the service's into a savepoint; BEGIN and COMMIT are not
    # logged outside tests.
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(statements) == 10, "\n".join(statements)


@pytest.mark.parametrize("url", ["sales:quote_create", "sales:order_create"])
def test_a_dutch_vat_rate_is_read_the_dutch_way(as_user, sales_user, settings, customer, url):
    settings.LANGUAGE_CODE = "nl"
    data = form_data(customer, ("Paint", "1", "100,00"), vat_rate="9,5")
    response = as_user(sales_user).post(reverse(url), data)
    assert response.status_code == 302, field_errors(response.content, "vat_rate")
    document = (Quote if url == "sales:quote_create" else Order).objects.latest("pk")
    assert (document.vat_rate, document.total) == (D("9.5"), D("109.50"))


# --- the account page's sales panel ----------------------------------------------------------


def test_the_account_page_shows_quotes_orders_exposure_and_remaining_credit(
    as_user, sales_user, customer
):
    QuoteFactory(customer=customer, number="Q-000042")
    OrderFactory(customer=customer, number="O-000007", total=D("300.00"))
    InvoiceFactory(order__customer=customer, amount=D("200.00"))
    page = html(as_user(sales_user).get(customer.get_absolute_url()))
    assert "Q-000042" in page and "O-000007" in page
    assert "data-exposure>€500.00<" in page
    assert "data-remaining>€500.00<" in page


def test_the_sales_panel_is_for_those_who_may_read_sales_documents(as_user, customer):
    """Someone who may read accounts but no quotes, orders or invoices sees no sales figures,
    and the page reads none."""
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_account"))
    OrderFactory(customer=customer, number="O-000007", total=D("300.00"))
    page = html(as_user(reader).get(customer.get_absolute_url()))
    assert "O-000007" not in page and "data-exposure" not in page


def test_an_inactive_account_offers_no_new_quote_or_order(as_user, sales_user, customer):
    Account.objects.filter(pk=customer.pk).update(is_active=False)
    page = parse(html(as_user(sales_user).get(customer.get_absolute_url())))
    links = [a.attrs.get("href", "") for a in page.find_all("a")]
    assert not [link for link in links if link.startswith(("/quotes/new/", "/orders/new/"))]


def test_an_accepted_quote_of_an_inactive_account_says_why_it_cannot_become_an_order(
    as_user, sales_user, customer
):
    quote = QuoteFactory(customer=customer, status=Quote.Status.ACCEPTED)
    Account.objects.filter(pk=customer.pk).update(is_active=False)

    page = parse(html(as_user(sales_user).get(quote.get_absolute_url())))

    assert "The customer is inactive now" in page.find("p", data_inactive="").text
    assert not page.find_all("form", action=reverse("sales:quote_convert", args=[quote.pk]))
    assert "once the customer is active again" in page.text


def test_the_account_panel_has_constant_queries(
    as_user, sales_user, customer, django_assert_max_num_queries
):
    client = as_user(sales_user)
    # One of each, so that the timeline already reads every kind of document.
    QuoteFactory(customer=customer)
    OrderFactory(customer=customer)
    InvoiceFactory(order__customer=customer)
    client.get(customer.get_absolute_url())  # Warm the per-session caches.
    with django_assert_max_num_queries(30) as few:
        client.get(customer.get_absolute_url())
    for _ in range(7):
        QuoteFactory(customer=customer)
        OrderFactory(customer=customer)
        InvoiceFactory(order__customer=customer)
    # Past 5 rows, the quotes, orders and open invoices are each counted once.
    with django_assert_max_num_queries(len(few.captured_queries) + 3):
        page = html(client.get(customer.get_absolute_url()))
    assert page.count("<tr data-quote>") == 5
    assert page.count("<tr data-order>") == 5


def test_account_choices_for_the_forms(as_user, sales_user, seller, seller_contact):
    ContactFactory(last_name="Elsewhere")
    client = as_user(sales_user)
    url = reverse("sales:account_choices", args=[seller.pk])
    data = client.get(url).json()
    assert [c["label"] for c in data["contacts"]] == ["Pat Jansen"]
    labels = {a["label"].split(":")[0] for a in data["addresses"]}
    assert labels == {"Visit address", "Mailing address"}
    # Called by their kind in the reader's language, not by the English names stored.
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").json()
    assert {a["label"].split(":")[0] for a in dutch["addresses"]} == {"Bezoekadres", "Postadres"}


@pytest.mark.parametrize(
    ("search", "found"),
    [("o-0000", ["O-000012", "O-000007"]), ("O-000007", ["O-000007"]), ("acme pan", ["O-000007"])],
)
def test_the_order_list_searches_numbers_and_customer_names(
    as_user, sales_user, customer, search, found
):
    OrderFactory(customer=customer, number="O-000007")
    OrderFactory(customer=AccountFactory(name="Other Works"), number="O-000012")
    page = html(as_user(sales_user).get(reverse("sales:order_list"), {"q": search}))
    assert [n for n in ("O-000012", "O-000007") if n in page] == found


# --- decisions, hold, seller links, an account's documents ----------------------------------------


@pytest.mark.parametrize("decision", [None, "", "aprove", "APPROVE", "accept"])
def test_a_decision_other_than_approve_or_reject_changes_nothing(
    as_user, management_user, waiting, decision
):
    """A typo or a missing decision is a form error, not a rejection."""
    data = {"comment": "Looks fine."}
    if decision is not None:
        data["decision"] = decision
    response = as_user(management_user).post(reverse("sales:order_decide", args=[waiting.pk]), data)
    assert response.status_code == 200
    page = html(response)
    assert "Choose Approve or Reject." in page
    assert "Looks fine." in page
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()


def test_an_order_of_an_account_put_on_hold_is_not_approved(as_user, management_user, waiting):
    """The hold came after the order was entered: Management sees why it cannot approve it."""
    waiting.customer.credit_hold = True
    waiting.customer.save(update_fields=["credit_hold"])
    response = as_user(management_user).post(
        reverse("sales:order_decide", args=[waiting.pk]),
        {"decision": "approve", "comment": "Good payer."},
    )
    page = html(response)
    assert "Acme Panels is on credit hold" in page
    assert 'value="approve"' in page and "Good payer." in page
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    assert not Approval.objects.exists()


def test_an_order_of_an_inactive_account_is_flagged_and_not_approved(
    as_user, management_user, waiting
):
    waiting.customer.is_active = False
    waiting.customer.save(update_fields=["is_active"])
    client = as_user(management_user)
    row = parse(html(client.get(reverse("sales:approval_list")))).find("tr", data_row="")
    assert "Inactive now" in row.text
    response = client.post(
        reverse("sales:order_decide", args=[waiting.pk]),
        {"decision": "approve", "comment": "Good payer.", "next": "approvals"},
    )
    assert "“Acme Panels” is inactive" in html(response)
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL


def test_a_missing_decision_is_said_in_dutch_to_a_dutch_manager(as_user, management_user, waiting):
    management_user.language = "nl"
    management_user.save(update_fields=["language"])
    response = as_user(management_user).post(
        reverse("sales:order_decide", args=[waiting.pk]), {"comment": "Prima."}
    )
    assert "Kies Goedkeuren of Afwijzen." in html(response)


def test_a_decision_comment_is_a_reason_not_a_document(as_user, management_user, waiting):
    """A 3,000-character comment broke the Approvals table's names and badges mid-word."""
    response = as_user(management_user).post(
        reverse("sales:order_decide", args=[waiting.pk]),
        {"decision": "reject", "comment": "x" * 3000},
    )
    assert response.status_code == 200
    assert "at most 1000 characters" in html(response)
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PENDING_APPROVAL
    # The boxes say so before anything is sent.
    page = parse(html(as_user(management_user).get(reverse("sales:approval_list"))))
    assert {box.attrs["maxlength"] for box in page.find_all("textarea")} == {"1000"}


def test_a_linked_account_that_is_not_a_seller_is_not_filled_in(as_user, customer):
    """A user linked (before the rule) to a customer still writes quotes: no bad seller."""
    contact = ContactFactory(account=customer)
    user = UserFactory(groups=["Sales"], crm_account=customer, crm_contact=contact)
    client = as_user(user)
    page = html(client.get(reverse("sales:quote_create")))
    assert account_box(page, "seller_account") == ("", "")
    assert f'<option value="{contact.pk}" selected>' not in page
    response = client.post(reverse("sales:quote_create"), form_data(customer, ("X", "1", "1")))
    quote = Quote.objects.get()
    assert response.url == quote.get_absolute_url()
    assert quote.seller_account is None


@pytest.mark.parametrize(("kind", "factory"), [("quote", QuoteFactory), ("order", OrderFactory)])
def test_all_documents_of_an_account_means_that_account_only(
    as_user, sales_user, customer, kind, factory
):
    """The account page's "All quotes/orders of X" link finds X's, not those of a namesake."""
    for _ in range(6):
        factory(customer=customer)
    namesake = factory(customer=AccountFactory(name="Acme Panels Trading"))
    client = as_user(sales_user)
    page = html(client.get(customer.get_absolute_url()))
    url = reverse(f"sales:{kind}_list") + f"?customer={customer.pk}"
    assert f'href="{url}">All {kind}s of Acme Panels</a>' in page
    listed = html(client.get(url))
    assert listed.count("<tr data-row>") == 6
    assert namesake.number not in listed
    assert "Only the " + kind + "s of" in listed


def test_a_quote_that_became_an_order_has_constant_queries(
    as_user, sales_user, customer, django_assert_max_num_queries
):
    quote = QuoteFactory(customer=customer, status=Quote.Status.ACCEPTED)
    QuoteLineFactory.create_batch(3, quote=quote)
    order = OrderFactory(customer=customer, quote=quote)
    client = as_user(sales_user)
    with django_assert_max_num_queries(6):
        response = client.get(quote.get_absolute_url())
    assert f'became order <a href="{order.get_absolute_url()}">{order.number}</a>' in html(response)


# --- input limits, confirmations, invoices, layout, lookups ---------------------------------------


@pytest.mark.parametrize(("kind", "model"), [("quote", Quote), ("order", Order)])
@pytest.mark.parametrize(
    ("quantity", "price"), [("99999999", "9999999999"), ("1000", "1000000000")]
)
def test_a_total_too_large_is_refused_on_the_form(
    as_user, sales_user, customer, kind, model, quantity, price
):
    """The user sees why, keeps what they typed, and no page is broken by a saved document."""
    client = as_user(sales_user)
    response = client.post(
        reverse(f"sales:{kind}_create"), form_data(customer, ("Huge", quantity, price))
    )
    assert response.status_code == 200
    page = html(response)
    assert "The total is too large: at most €999,999,999,999.99" in page
    typed = response.context["formset"].forms[0]
    assert (typed["quantity"].value(), typed["unit_price"].value()) == (quantity, price)
    assert not model.objects.exists()
    assert client.get(reverse(f"sales:{kind}_list")).status_code == 200
    assert client.get(customer.get_absolute_url()).status_code == 200


def test_a_blocked_order_prepaid_above_the_limit_is_accepted_on_its_page(
    as_user, sales_user, accounting_user, customer
):
    OrderFactory(customer=customer, total=D("900.00"))
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    client = as_user(sales_user)
    client.post(
        reverse("sales:order_create"), form_data(customer, ("X", "1", "500"), enter_blocked="on")
    )
    order = Order.objects.get(status=Order.Status.BLOCKED)
    page = html(
        client.post(reverse("sales:order_recheck", args=[order.pk]), {"prepaid": "on"}, follow=True)
    )
    # The first message is the entry's (blocked), the last the recheck's.
    assert messages_in(page)[-1] == (
        f"Order {order.number}: Waiting for Accounting to confirm the prepayment of this order "
        "of €605.00: a prepaid order is accepted once the money has been received. If it is not "
        "received: Blocked: the account is on credit hold and this order of €605.00 is not "
        "prepaid (open exposure €900.00, credit limit €1,000.00)."
    )
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PREPAYMENT
    page = html(
        as_user(accounting_user).post(
            reverse("sales:order_prepayment", args=[order.pk]),
            {"decision": "confirm", "comment": ""},
            follow=True,
        )
    )
    assert messages_in(page)[0].startswith(
        f"Order {order.number}: Accepted: Accounting confirmed the prepayment"
    )
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    account_page = html(client.get(customer.get_absolute_url()))
    assert "data-exposure>€900.00<" in account_page


@pytest.mark.parametrize("kind", ["quote", "order"])
def test_money_and_quantity_inputs_send_what_was_typed(as_user, sales_user, customer, kind):
    """A number box would send "" for a typo such as "5e"; a text box sends it to be refused."""
    client = as_user(sales_user)
    page = html(client.get(reverse(f"sales:{kind}_create")))
    assert 'type="number"' not in page
    for name in ("vat_rate", "lines-0-quantity", "lines-0-unit_price", "lines-0-discount_percent"):
        assert re.search(rf'<input type="text" name="{name}"[^>]*inputmode="decimal"', page), name
    response = client.post(reverse(f"sales:{kind}_create"), form_data(customer, ("X", "5e", "1")))
    typed = response.context["formset"].forms[0]
    assert typed.errors["quantity"] == ["Enter a number."]
    assert typed["quantity"].value() == "5e"


def test_cancel_order_and_mark_paid_ask_first(as_user, sales_user, accounting_user, customer):
    """The browser asks "Are you sure?" (static/js/app.js reads data-confirm) before acting."""
    order = OrderFactory(customer=customer, number="O-000007")
    page = html(as_user(sales_user).get(order.get_absolute_url()))
    cancel = reverse("sales:order_cancel", args=[order.pk])
    assert re.search(
        rf'<form method="post" action="{cancel}" data-confirm="Cancel order O-000007\? '
        r"It no longer counts",
        page,
    )
    invoice = InvoiceFactory(order__customer=customer, number="INV-000003")
    page = html(as_user(accounting_user).get(invoice.get_absolute_url()))
    paid = reverse("sales:invoice_paid", args=[invoice.pk])
    assert re.search(
        rf'<form method="post" action="{paid}" data-confirm="Mark invoice INV-000003 paid\?', page
    )


def test_the_invoice_page_shows_what_is_invoiced(
    as_user, accounting_user, customer, seller, seller_contact, django_assert_max_num_queries
):
    order = OrderFactory(
        customer=customer,
        status=Order.Status.INVOICED,
        seller_account=seller,
        seller_contact=seller_contact,
        customer_reference="PO-4711",
        total=D("121.00"),
    )
    OrderLineFactory.create_batch(8, order=order)
    invoice = InvoiceFactory(
        order=order, date=dt.date(2026, 3, 2), due_date=dt.date(2026, 4, 1), amount=D("121.00")
    )
    client = as_user(accounting_user)
    with django_assert_max_num_queries(6):
        page = html(client.get(invoice.get_absolute_url()))
    assert page.count("Panel ") == 8
    assert ">Subtotal<" in page and ">VAT 21%<" in page
    assert '<td class="num" data-total>€121.00</td>' in page
    assert "<dt>Purchase order number</dt><dd>PO-4711</dd>" in page
    assert "<dt>Seller</dt><dd data-seller>Bodywork Group Elfsquad, Pat Jansen</dd>" in page
    assert "<dt>Invoice date</dt><dd>2 Mar 2026</dd>" in page
    assert "<dt>Due date</dt><dd>1 Apr 2026</dd>" in page


def test_the_account_panel_lists_open_invoices(
    as_user, accounting_user, customer, django_assert_max_num_queries
):
    InvoiceFactory(order__customer=customer, number="INV-000001", amount=D("200.00"))
    InvoiceFactory(order__customer=customer, number="INV-000002", paid_at=dt.datetime.now(dt.UTC))
    client = as_user(accounting_user)
    page = html(client.get(customer.get_absolute_url()))
    assert page.count("<tr data-invoice>") == 1
    # The panel's own rows: the timeline below it lists the paid invoice as paid.
    panel = parse(page).find("section", aria_labelledby="sales-h").text
    assert "INV-000001" in panel and "INV-000002" not in panel
    with django_assert_max_num_queries(40) as few:
        client.get(customer.get_absolute_url())
    for _ in range(8):
        InvoiceFactory(order__customer=customer)
    # Past 5 rows the orders (one per invoice) and the open invoices are each counted once.
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        page = html(client.get(customer.get_absolute_url()))
    assert page.count("<tr data-invoice>") == 5
    url = reverse("sales:invoice_list") + f"?customer={customer.pk}&amp;paid=false"
    assert f'href="{url}">All open invoices of Acme Panels</a>' in page


def test_the_quote_page_warns_of_hold_and_limit_together(as_user, sales_user, customer):
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    OrderFactory(customer=customer, total=D("950.00"))
    quote = QuoteFactory(customer=customer, total=D("121.00"))
    page = html(as_user(sales_user).get(quote.get_absolute_url()))
    assert "The customer is on credit hold" in page
    assert "would pass the credit limit" in page


def test_an_accepted_order_says_who_invoices_it(as_user, sales_user, customer):
    order = OrderFactory(customer=customer, status=Order.Status.ACCEPTED)
    page = html(as_user(sales_user).get(order.get_absolute_url()))
    assert "Not invoiced yet: Accounting invoices accepted orders." in page
    blocked = OrderFactory(customer=customer, status=Order.Status.BLOCKED)
    page = html(as_user(sales_user).get(blocked.get_absolute_url()))
    assert "Not invoiced: Accounting invoices an order once it is accepted." in page


def test_the_invoice_list_filters_any_paid_or_unpaid(as_user, accounting_user):
    InvoiceFactory(number="INV-000001")
    InvoiceFactory(number="INV-000002", paid_at=dt.datetime.now(dt.UTC))
    client = as_user(accounting_user)
    page = html(client.get(reverse("sales:invoice_list")))
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert options == ["Any", "Paid", "Unpaid"]
    for paid, shown, hidden in [
        ("true", "INV-000002", "INV-000001"),
        ("false", "INV-000001", "INV-000002"),
    ]:
        page = html(client.get(reverse("sales:invoice_list"), {"paid": paid}))
        assert shown in page and hidden not in page


def test_quantities_are_shown_with_two_decimals(as_user, sales_user, customer):
    quote = QuoteFactory(customer=customer)
    QuoteLineFactory(quote=quote, quantity=D("3"))
    QuoteLineFactory(quote=quote, quantity=D("1.5"))
    QuoteLineFactory(quote=quote, quantity=D("1200"))
    page = html(as_user(sales_user).get(quote.get_absolute_url()))
    for quantity in ("3.00", "1.50", "1,200.00"):
        assert f'<td class="num">{quantity}</td>' in page


def test_the_order_details_are_one_aligned_list(as_user, sales_user, customer):
    """Prepaid and the purchase order number line up with the parties above them."""
    order = OrderFactory(customer=customer, customer_reference="PO-4711")
    page = html(as_user(sales_user).get(order.get_absolute_url()))
    details = page[page.index('<h2 id="order-h">') : page.index('<h2 id="lines-h">')]
    assert details.count('<dl class="details">') == 1
    assert "<dt>Customer</dt>" in details and "<dt>Purchase order number</dt>" in details


def test_order_numbers_do_not_wrap_on_the_approvals_page(as_user, management_user, customer):
    order = OrderFactory(customer=customer, status=Order.Status.PENDING_APPROVAL)
    ApprovalFactory(order=OrderFactory(customer=customer))
    page = html(as_user(management_user).get(reverse("sales:approval_list")))
    assert page.count('<td class="nowrap"><a href="/orders/') == 2
    assert order.number in page


@pytest.mark.django_db
def test_editing_a_quote_without_the_right_is_refused_before_any_lookup(client, management_user):
    """Whether a quote number exists is not revealed to a user who may not edit quotes."""
    client.force_login(management_user)
    assert client.get(reverse("sales:quote_update", args=[999999])).status_code == 403


@pytest.mark.parametrize("number", ["99999999999999999999", "-1e30", "0"])
def test_an_account_number_no_account_can_have_finds_nothing_and_crashes_nothing(
    as_user, sales_user, customer, number
):
    """Typed or tampered account numbers give a message or an empty list, never an error page."""
    client = as_user(sales_user)
    QuoteFactory(customer=customer)
    for name in ("sales:quote_list", "sales:order_list", "sales:invoice_list"):
        response = client.get(reverse(name), {"customer": number})
        assert response.status_code == 200
        assert customer.name not in response.content.decode()
    assert client.get(reverse("sales:quote_create"), {"customer": number}).status_code == 200
    response = client.post(
        reverse("sales:quote_create"),
        form_data(customer, ("Panel", "1", "10"), customer=number, customer_name="Ghost"),
    )
    assert response.status_code == 200
    assert field_errors(response.content, "customer") == "Pick an account from the suggestions."
    assert Quote.objects.count() == 1


def test_the_seller_box_suggests_our_sellers_and_the_customer_box_every_account(
    as_user, sales_user, seller, customer
):
    client = as_user(sales_user)
    page = html(client.get(reverse("sales:quote_create")))
    assert f'data-account-lookup="{reverse("accounts:seller_lookup")}"' in page
    assert f'data-account-lookup="{reverse("accounts:lookup")}"' in page
    sellers = client.get(reverse("accounts:seller_lookup"), {"q": seller.name[:4]}).json()
    assert [row["id"] for row in sellers["results"]] == [seller.pk]
    found = client.get(reverse("accounts:lookup"), {"q": customer.name[:4]}).json()
    assert customer.pk in [row["id"] for row in found["results"]]


def test_a_quote_past_its_date_says_so_and_is_not_accepted(as_user, sales_user, customer):
    quote = QuoteFactory(
        customer=customer, status=Quote.Status.SENT, valid_until=dt.date(2020, 1, 1)
    )
    client = as_user(sales_user)
    assert "1 Jan 2020 <strong>(passed)</strong>" in html(client.get(quote.get_absolute_url()))
    response = client.post(
        reverse("sales:quote_status", args=[quote.pk]), {"status": "accepted"}, follow=True
    )
    assert "was valid until 1 January 2020: it can no longer be accepted" in html(response)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


# --- deleting a contact or an address that documents use --------------------------------------


def _issued_order(user, customer, seller, seller_contact):
    from sales import services

    return services.order_submit(
        user=user,
        fields={"customer": customer, "seller_account": seller, "seller_contact": seller_contact},
        lines=[{"description": "Panel", "quantity": D("1"), "unit_price": D("100.00")}],
    )


def test_the_invoice_still_names_the_seller_contact_after_the_contact_is_deleted(
    as_user, sales_user, accounting_user, customer, seller, seller_contact
):
    from sales import services

    order = _issued_order(sales_user, customer, seller, seller_contact)
    invoice = services.order_invoice(order=order, user=accounting_user)
    url = reverse("accounts:contact_delete", args=[seller_contact.pk])
    response = as_user(sales_user).post(url)
    assert response.status_code == 302
    page = html(as_user(accounting_user).get(invoice.get_absolute_url()))
    assert re.search(r"data-seller>\s*Bodywork Group Elfsquad, Pat Jansen\s*<", page)
    page = html(as_user(sales_user).get(order.get_absolute_url()))
    assert re.search(r"data-seller>\s*Bodywork Group Elfsquad, Pat Jansen\s*<", page)


def test_the_order_still_shows_its_addresses_after_the_address_is_deleted(
    as_user, sales_user, customer, seller, seller_contact
):
    invoicing = AddressFactory(account=customer, name="Invoicing", street="Postbus 7")
    order = _issued_order(sales_user, customer, seller, seller_contact)
    response = as_user(sales_user).post(reverse("accounts:address_delete", args=[invoicing.pk]))
    assert response.status_code == 302
    page = html(as_user(sales_user).get(order.get_absolute_url()))
    assert "Invoicing: Postbus 7, 5616 LZ Eindhoven, Netherlands" in page


def test_removing_a_contact_warns_about_the_documents_and_users_using_it(
    as_user, sales_user, customer, seller, seller_contact
):
    order = _issued_order(sales_user, customer, seller, seller_contact)
    draft = QuoteFactory(customer=customer, seller_account=seller, seller_contact=seller_contact)
    UserFactory(username="pat", crm_account=seller, crm_contact=seller_contact)
    url = reverse("accounts:contact_delete", args=[seller_contact.pk])
    page = html(as_user(sales_user).get(url))
    assert "Pat Jansen is the seller contact on 1 issued document: " in page
    assert order.number in page
    assert "keep the name they were issued with" in page
    assert f"Draft quote {draft.number} loses its seller contact" in page
    assert "The CRM contact link of user pat is cleared" in page


def test_removing_an_address_warns_about_the_documents_using_it(
    as_user, sales_user, customer, seller, seller_contact
):
    invoicing = AddressFactory(account=customer, name="Invoicing", street="Postbus 7")
    order = _issued_order(sales_user, customer, seller, seller_contact)
    page = html(as_user(sales_user).get(reverse("accounts:address_delete", args=[invoicing.pk])))
    assert "“Invoicing” is used on 1 issued document: " in page
    assert order.number in page
    assert "keep the address they were issued with" in page


def test_removing_an_unused_contact_warns_of_nothing_more(as_user, sales_user):
    contact = ContactFactory()
    page = html(as_user(sales_user).get(reverse("accounts:contact_delete", args=[contact.pk])))
    assert "This cannot be undone." in page
    assert "issued document" not in page and "CRM contact link" not in page


# --- a refused "Turn into an order" ----------------------------------------------------------


def _in_page(element, page):
    """Whether the element is on the page, compared as parsed HTML (attributes in any order)."""
    return parse_html(page).count(parse_html(element)) > 0


def test_a_refused_conversion_keeps_the_purchase_order_number_and_the_prepaid_tick(
    as_user, sales_user, customer
):
    """A purchase order number too long is refused beside the field; nothing typed is lost."""
    quote = QuoteFactory(customer=customer, status=Quote.Status.ACCEPTED)
    QuoteLineFactory(quote=quote)
    reference = "PO-" + "7" * 48
    response = as_user(sales_user).post(
        reverse("sales:quote_convert", args=[quote.pk]),
        {"customer_reference": reference, "prepaid": "on"},
    )
    assert response.status_code == 200
    form = response.context["convert_form"]
    assert form.errors["customer_reference"] == [
        "Ensure this value has at most 50 characters (it has 51)."
    ]
    page = html(response)
    assert _in_page(
        f'<input type="text" name="customer_reference" value="{reference}" maxlength="50" '
        'aria-invalid="true" aria-describedby="id_customer_reference_error" '
        'id="id_customer_reference">',
        page,
    )
    assert "checked" in parse(page).find("input", name="prepaid").attrs
    # Named as on the order form and in the credit hold's message ("tick Prepaid").
    labels = [
        label.text
        for label in parse(page).find_all("label")
        if label.attrs.get("for") == "id_prepaid"
    ]
    assert labels == ["Prepaid"], labels
    assert not Order.objects.exists()


def test_a_conversion_the_service_refuses_keeps_what_was_typed(as_user, sales_user, customer):
    """The seller is no longer one of ours: the form says so and keeps what was typed."""
    seller = AccountFactory(name="Former Seller")
    quote = QuoteFactory(customer=customer, status=Quote.Status.ACCEPTED, seller_account=seller)
    QuoteLineFactory(quote=quote)
    response = as_user(sales_user).post(
        reverse("sales:quote_convert", args=[quote.pk]),
        {"customer_reference": "PO-2026-114", "prepaid": "on"},
    )
    assert response.status_code == 200
    form = response.context["convert_form"]
    assert form.non_field_errors() == [
        "Former Seller is a Prospect, not one of our selling entities: "
        "choose an account of type Seller."
    ]
    page = html(response)
    assert _in_page(
        '<input type="text" name="customer_reference" value="PO-2026-114" maxlength="50" '
        'id="id_customer_reference">',
        page,
    )
    assert "checked" in parse(page).find("input", name="prepaid").attrs
    assert not Order.objects.exists()


# --- prepaid orders wait for Accounting's confirmation ----------------------------------------


@pytest.fixture
def awaiting(customer):
    """The issue's order: 60,500.00 ticked prepaid for an account on hold with a limit of 10."""
    Account.objects.filter(pk=customer.pk).update(credit_hold=True, credit_limit=D("10.00"))
    return OrderFactory(
        customer=customer,
        status=Order.Status.AWAITING_PREPAYMENT,
        prepaid=True,
        total=D("60500.00"),
        credit_reason=(
            "Waiting for Accounting to confirm the prepayment of this order of €60,500.00"
        ),
    )


def test_a_prepaid_order_entered_on_hold_waits_and_says_so(as_user, sales_user, customer):
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    response = as_user(sales_user).post(
        reverse("sales:order_create"),
        form_data(customer, ("Machine", "1", "50000"), prepaid="on", customer_reference="PO-9"),
        follow=True,
    )
    order = Order.objects.get()
    assert (order.status, order.prepaid) == (Order.Status.AWAITING_PREPAYMENT, True)
    page = html(response)
    assert messages_in(page)[0].startswith(
        f"Order {order.number}: Waiting for Accounting to confirm the prepayment of this order of "
        "€60,500.00"
    )
    assert '<span class="badge status-awaiting_prepayment">Awaiting prepayment</span>' in page
    assert re.search(r"<dd data-prepaid>Yes: waiting for Accounting", page)
    assert "Invoice this order" not in page


def test_accounting_confirms_a_prepayment_on_the_order_page(as_user, accounting_user, awaiting):
    client = as_user(accounting_user)
    page = html(client.get(awaiting.get_absolute_url()))
    assert "data-prepayment-form" in page
    response = client.post(
        reverse("sales:order_prepayment", args=[awaiting.pk]),
        {"decision": "confirm", "comment": "Transfer ref 4471."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == awaiting.get_absolute_url()
    page = html(response)
    assert messages_in(page) == [
        f"Order {awaiting.number}: Accepted: Accounting confirmed the prepayment, so the order "
        "uses no credit (open exposure €0.00, this order €60,500.00, credit limit €10.00). The "
        "account is on credit hold, but the order is prepaid."
    ]
    awaiting.refresh_from_db()
    assert (awaiting.status, awaiting.prepayment_confirmed_by) == (
        Order.Status.ACCEPTED,
        accounting_user,
    )
    decision = PrepaymentDecision.objects.get()
    assert (decision.decision, decision.comment) == ("confirmed", "Transfer ref 4471.")
    assert re.search(rf"<dd data-prepaid>Yes: confirmed by {accounting_user} on ", page)
    assert '<p data-prepayment-decision="confirmed"><strong>Prepayment confirmed</strong>' in page
    assert "Invoice this order" in page


def test_accounting_says_a_prepayment_was_not_received_from_the_approvals_page(
    as_user, accounting_user, awaiting
):
    client = as_user(accounting_user)
    page = html(client.get(reverse("sales:approval_list")))
    assert page.count("<tr data-prepayment-row>") == 1
    assert awaiting.number in page
    response = client.post(
        reverse("sales:order_prepayment", args=[awaiting.pk]),
        {"decision": "refuse", "comment": "Nothing received.", "next": "approvals"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("sales:approval_list")
    page = html(response)
    assert messages_in(page)[0].startswith(
        f"Order {awaiting.number}: The prepayment was not received, so the order is checked on "
        "credit: Blocked: the account is on credit hold"
    )
    assert "<tr data-prepayment-row>" not in page
    awaiting.refresh_from_db()
    assert (awaiting.status, awaiting.prepaid) == (Order.Status.BLOCKED, False)
    assert PrepaymentDecision.objects.get().comment == "Nothing received."


def test_a_prepayment_not_received_without_a_reason_from_the_approvals_page_returns_there(
    as_user, accounting_user, awaiting
):
    """Saying "Not received" on the Approvals page without a reason shows that page again with
    the error beside the order, and changes nothing."""
    response = as_user(accounting_user).post(
        reverse("sales:order_prepayment", args=[awaiting.pk]),
        {"decision": "refuse", "comment": "", "next": "approvals"},
    )
    assert response.status_code == 200
    page = parse(html(response))
    assert page.find("h1").text == "Approvals"
    row = page.find("tr", data_prepayment_row="")
    assert row.find(class_="errors").text == "Say why: a comment is required."
    awaiting.refresh_from_db()
    assert (awaiting.status, awaiting.prepaid) == (Order.Status.AWAITING_PREPAYMENT, True)
    assert not PrepaymentDecision.objects.exists()


def test_a_prepayment_not_received_without_a_reason_is_refused_on_the_form(
    as_user, accounting_user, awaiting
):
    response = as_user(accounting_user).post(
        reverse("sales:order_prepayment", args=[awaiting.pk]), {"decision": "refuse"}
    )
    assert response.status_code == 200
    form = response.context["prepayment_form"]
    assert form.errors == {"comment": ["Say why: a comment is required."]}
    awaiting.refresh_from_db()
    assert (awaiting.status, awaiting.prepaid) == (Order.Status.AWAITING_PREPAYMENT, True)
    assert not PrepaymentDecision.objects.exists()


@pytest.mark.parametrize("decision", [None, "approve", "maybe"])
def test_a_prepayment_decision_other_than_the_two_buttons_changes_nothing(
    as_user, accounting_user, awaiting, decision
):
    data = {"comment": "Paid in cash."} | ({"decision": decision} if decision else {})
    response = as_user(accounting_user).post(
        reverse("sales:order_prepayment", args=[awaiting.pk]), data
    )
    form = response.context["prepayment_form"]
    assert form.errors == {"decision": ["Choose Confirm prepayment or Not received."]}
    assert form["comment"].value() == "Paid in cash."
    awaiting.refresh_from_db()
    assert awaiting.status == Order.Status.AWAITING_PREPAYMENT


@pytest.mark.parametrize("role", ["sales_user", "management_user", "no_group_user"])
def test_only_accounting_confirms_a_prepayment_on_the_page(request, as_user, role, awaiting):
    client = as_user(request.getfixturevalue(role))
    for decision in ("confirm", "refuse"):
        response = client.post(
            reverse("sales:order_prepayment", args=[awaiting.pk]),
            {"decision": decision, "comment": "Paid."},
        )
        assert response.status_code == 403
    awaiting.refresh_from_db()
    assert (awaiting.status, awaiting.prepaid, awaiting.prepayment_confirmed_at) == (
        Order.Status.AWAITING_PREPAYMENT,
        True,
        None,
    )
    assert not PrepaymentDecision.objects.exists()
    if role != "no_group_user":
        page = html(client.get(awaiting.get_absolute_url()))
        assert "data-prepayment-form" not in page
        assert "data-awaiting-prepayment" in page


def test_an_order_waiting_for_its_prepayment_is_not_invoiced_on_the_page(
    as_user, accounting_user, awaiting
):
    page = html(
        as_user(accounting_user).post(
            reverse("sales:order_invoice", args=[awaiting.pk]), follow=True
        )
    )
    assert messages_in(page) == [
        f"Order {awaiting.number} is waiting for Accounting to confirm its prepayment, so it "
        "cannot be invoiced."
    ]
    assert not Invoice.objects.exists()


def test_the_order_list_shows_and_filters_the_prepayments_to_confirm(
    as_user, accounting_user, awaiting, customer
):
    OrderFactory(customer=customer, prepaid=True, prepayment_confirmed_at=dt.datetime.now(dt.UTC))
    OrderFactory(customer=customer)
    client = as_user(accounting_user)
    page = html(client.get(reverse("sales:order_list")))
    cells = re.findall(r"<td data-prepaid>([^<]*)</td>", page)
    assert sorted(cells) == ["Confirmed", "To be confirmed", "—"]
    page = html(client.get(reverse("sales:order_list") + "?status=awaiting_prepayment"))
    assert page.count("<tr data-row>") == 1
    assert awaiting.number in page


# --- account boxes: the customer and seller boxes, the lists' customer filter ----------------


def test_the_new_order_from_an_account_page_shows_the_customers_name(as_user, sales_user, customer):
    """The box reads "Acme Panels"; the id travels in the hidden input beside it."""
    page = html(as_user(sales_user).get(reverse("sales:order_create"), {"customer": customer.pk}))
    assert account_box(page, "customer") == ("Acme Panels", str(customer.pk))


def test_a_customer_typed_in_full_without_picking_is_taken(as_user, sales_user, customer):
    AccountFactory(name="Acme Panels Trading")  # starts alike, but is not what was typed
    response = as_user(sales_user).post(
        reverse("sales:quote_create"),
        form_data(customer, ("Panels", "1", "10"), **typed("customer", "acme panels")),
    )
    assert response.status_code == 302
    assert Quote.objects.get().customer == customer


def test_a_customer_name_two_accounts_have_asks_to_pick_and_keeps_the_name(
    as_user, sales_user, customer
):
    AccountFactory(name="Acme Panels")
    response = as_user(sales_user).post(
        reverse("sales:quote_create"),
        form_data(customer, ("Panels", "1", "10"), **typed("customer", "Acme Panels")),
    )
    assert response.status_code == 200
    assert field_errors(response.content, "customer") == (
        "Several accounts have this name: pick one from the suggestions."
    )
    assert account_box(response.content, "customer") == ("Acme Panels", "")
    assert not Quote.objects.exists()


def test_a_refused_form_keeps_the_picked_customer_and_its_addresses(as_user, sales_user, customer):
    shipping = AddressFactory(account=customer, name="Shipping")
    response = as_user(sales_user).post(
        reverse("sales:quote_create"), form_data(customer, vat_rate="120")
    )
    assert response.status_code == 200
    assert account_box(response.content, "customer") == ("Acme Panels", str(customer.pk))
    offered = parse(response.content).find("select", name="delivery_address")
    assert str(shipping.pk) in [o.attrs["value"] for o in offered.find_all("option")]


def test_the_seller_box_refuses_a_customer(as_user, sales_user, customer):
    response = as_user(sales_user).post(
        reverse("sales:quote_create"),
        form_data(customer, ("Panels", "1", "10"), **picked("seller_account", customer)),
    )
    assert response.status_code == 200
    assert field_errors(response.content, "seller_account") == (
        "Acme Panels is a Customer, not one of our selling entities: choose an account of type "
        "Seller."
    )
    assert not Quote.objects.exists()


@pytest.mark.parametrize("kind", ["quote", "order", "invoice"])
def test_the_lists_customer_filter_is_an_account_box(
    as_user, admin_user, customer, kind, django_assert_max_num_queries
):
    """`?customer=<id>` (the account page's links) fills the box with the name; a name typed in
    full without picking filters on the one account that has it."""
    namesake = AccountFactory(name="Acme Panels Trading")
    for account in (customer, namesake):
        InvoiceFactory(order__customer=account, order__quote=QuoteFactory(customer=account))
    client = as_user(admin_user)
    url = reverse(f"sales:{kind}_list")
    with django_assert_max_num_queries(5):
        response = client.get(url, {"customer": customer.pk})
    assert account_box(response.content, "customer") == ("Acme Panels", str(customer.pk))
    assert [row[1] for row in table_rows(response.content)] == ["Acme Panels"]
    assert parse(response.content).find("p", data_filter_customer="").find("a").text == (
        "Acme Panels"
    )
    response = client.get(url, typed("customer", "acme panels"))
    assert account_box(response.content, "customer") == ("Acme Panels", str(customer.pk))
    assert [row[1] for row in table_rows(response.content)] == ["Acme Panels"]


def test_the_lists_customer_box_explains_a_name_it_cannot_place(as_user, sales_user, customer):
    QuoteFactory(customer=customer)
    response = as_user(sales_user).get(reverse("sales:quote_list"), typed("customer", "Acme"))
    assert response.status_code == 200
    assert "Pick an account from the suggestions." in (
        parse(response.content).find("div", class_="form-errors").text
    )
    assert account_box(response.content, "customer") == ("Acme", "")


@pytest.mark.parametrize("kind", ["quote", "order"])
def test_a_filter_not_understood_is_named_as_the_page_labels_it(as_user, sales_user, kind):
    """The message says what the page does (shows nothing) and names the fields by label."""
    if kind == "quote":
        QuoteFactory()
    else:
        OrderFactory()
    response = as_user(sales_user).get(
        reverse(f"sales:{kind}_list"), {"status": "bogus", "customer": "abc"}
    )
    assert response.status_code == 200
    errors = parse(response.content).find("div", class_="form-errors")
    assert "so nothing is shown" in errors.text
    items = [li.text for li in errors.find_all("li")]
    assert any(item.startswith("Status: ") and "bogus" in item for item in items), items
    assert any(item.startswith("Customer: ") for item in items), items
    assert table_rows(response.content) == []


# --- the same form posted twice ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "model"), [("sales:order_create", Order), ("sales:quote_create", Quote)]
)
def test_submitting_again_after_back_keeps_what_was_typed_and_says_what_was_saved(
    as_user, sales_user, customer, url_name, model
):
    """A tester pressed Back after submitting an order and submitted the form again: a second,
    identical order was entered. The form's one-time key finds the first: the form comes back
    as typed (an edit made after Back is not lost), linking to what was saved, and only a
    deliberate second submit writes a second document."""
    client = as_user(sales_user)
    page = parse(client.get(reverse(url_name)).content)
    key = page.find("input", name="submission").attrs["value"]
    data = form_data(customer, ("Panels", "2", "50.00"), submission=key)
    first = client.post(reverse(url_name), data)
    document = model.objects.get()
    assert first.url == document.get_absolute_url()

    edited = {**data, "lines-0-quantity": "3"}
    again = client.post(reverse(url_name), edited)
    assert again.status_code == 200 and model.objects.count() == 1
    page = parse(again.content)
    saved = page.find("div", class_="form-errors").find("a")
    assert (saved.attrs["href"], saved.text) == (document.get_absolute_url(), document.number)
    assert page.find("input", name="lines-0-quantity").attrs["value"] == "3"
    new_key = page.find("input", name="submission").attrs["value"]
    assert new_key != key

    once_more = client.post(reverse(url_name), {**edited, "submission": new_key})
    assert once_more.status_code == 302 and model.objects.count() == 2
