"""What the credit check said, as each reader reads it, and what it would say now."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sales import services
from sales.models import Order
from tests.html import parse
from tests.sales.factories import OrderFactory
from tests.sales.test_services import line, submit

ABOVE_THE_LIMIT_EN = (
    "Needs Management's approval: open exposure €0.00 + this order €1,210.00 = €1,210.00, which "
    "is €210.00 above the credit limit of €1,000.00."
)


def credit_reason(client, order):
    page = parse(client.get(order.get_absolute_url()).content.decode())
    return page.find("p", data_credit_reason="").text


def checked_now(client, order):
    page = parse(client.get(order.get_absolute_url()).content.decode())
    found = page.find_all("p", data_credit_now="")
    return found[0].text if found else None


def test_an_order_entered_in_dutch_reads_in_english_for_an_english_reader(
    as_user, sales_user, management_user, customer
):
    """The reason is written out when read, in the reader's language, from the figures the check
    was given; it was stored in the language of whoever entered the order."""
    sales_user.language = "nl"
    sales_user.save(update_fields=["language"])
    with translation.override("nl"):
        order = submit(sales_user, customer, line("1", "1000.00"))
    assert order.credit_reason.startswith("Goedkeuring van het management nodig")
    assert order.status == Order.Status.PENDING_APPROVAL
    assert credit_reason(as_user(management_user), order) == ABOVE_THE_LIMIT_EN
    dutch = credit_reason(as_user(sales_user), order)
    assert dutch.startswith("Goedkeuring van het management nodig")
    assert "€ 1.210,00" in dutch


def test_an_order_checked_before_the_figures_were_kept_shows_its_text(as_user, management_user):
    order = OrderFactory(credit_reason="Accepted: as written in 2025.")
    assert credit_reason(as_user(management_user), order) == "Accepted: as written in 2025."


def test_the_prepayments_table_says_what_not_received_would_decide_now(
    as_user, sales_user, accounting_user, customer
):
    """Entered when nothing was owed; since then an order of €500.00 was accepted, so "Not
    received" would now send it to Management, and the table says so with today's figures."""
    prepaid = submit(sales_user, customer, line("1", "500.00"), prepaid=True)
    assert prepaid.status == Order.Status.AWAITING_PREPAYMENT
    submit(sales_user, customer, line("1", "413.22"))  # €500.00 with VAT, accepted
    page = parse(as_user(accounting_user).get(reverse("sales:approval_list")).content.decode())
    row = page.find("tr", data_prepayment_row="")
    assert (
        "Needs Management's approval: open exposure €500.00 + this order €605.00 = €1,105.00, "
        "which is €105.00 above the credit limit of €1,000.00." in row.text
    )
    # Said as what would happen, under its conditional heading, not as what did.
    assert "was not received" not in row.text
    assert "within the credit limit" not in row.text
    # Its page says the same of today, beside what it said when entered.
    assert "Checked now: Waiting for Accounting to confirm" in checked_now(
        as_user(accounting_user), prepaid
    )


def test_an_order_waiting_for_approval_says_how_it_would_be_checked_now(
    as_user, sales_user, management_user, customer
):
    order = submit(sales_user, customer, line("1", "1000.00"))
    client = as_user(management_user)
    assert checked_now(client, order) is None  # nothing changed since
    customer.credit_limit = D("2000.00")
    customer.save(update_fields=["credit_limit"])
    assert checked_now(client, order) == (
        "Checked now: Accepted: open exposure €0.00 + this order €1,210.00 = €1,210.00, within "
        "the credit limit of €2,000.00 (€790.00 left)."
    )
    row = parse(client.get(reverse("sales:approval_list")).content.decode()).find("tr", data_row="")
    assert ABOVE_THE_LIMIT_EN in row.text
    assert "Checked now: Accepted: open exposure €0.00" in row.text


def test_a_blocked_order_says_when_the_hold_is_lifted(as_user, sales_user, customer):
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    order = services.order_submit(
        user=sales_user,
        fields={"customer": customer},
        lines=[line("1", "100.00")],
    )
    assert order.status == Order.Status.BLOCKED
    client = as_user(sales_user)
    assert checked_now(client, order) is None
    customer.credit_hold = False
    customer.save(update_fields=["credit_hold"])
    assert checked_now(client, order).startswith("Checked now: Accepted: open exposure €0.00")


def test_a_settled_order_is_not_checked_again(as_user, sales_user, customer):
    order = submit(sales_user, customer, line("1", "100.00"))
    assert order.status == Order.Status.ACCEPTED
    customer.credit_limit = D("1.00")
    customer.save(update_fields=["credit_limit"])
    assert checked_now(as_user(sales_user), order) is None


def test_a_refused_prepayment_is_not_checked_now_when_nothing_changed(
    as_user, sales_user, accounting_user, customer
):
    """The recorded reason starts "The prepayment was not received"; today's check of the same
    figures decides the same, so there is nothing new to say (a reviewer saw it said always)."""
    order = submit(sales_user, customer, line("1", "1000.00"), prepaid=True)
    services.order_refuse_prepayment(order=order, user=accounting_user, comment="Nothing came.")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_APPROVAL
    assert checked_now(as_user(accounting_user), order) is None


def test_figures_that_moved_without_changing_the_decision_say_nothing_new(
    as_user, sales_user, management_user, customer
):
    order = submit(sales_user, customer, line("1", "1000.00"))
    submit(sales_user, customer, line("1", "1.00"))  # a small accepted order: exposure moves
    assert checked_now(as_user(management_user), order) is None


def test_an_order_checked_before_the_figures_were_kept_is_compared_by_its_decision(
    as_user, management_user, customer
):
    """Its text is in the writer's language; a reader of another still sees no 'Checked now'
    while the decision stands."""
    order = OrderFactory(
        customer=customer,
        status=Order.Status.PENDING_APPROVAL,
        total=D("1210.00"),
        credit_reason="Goedkeuring van het management nodig: ...",
    )
    client = as_user(management_user)
    assert checked_now(client, order) is None
    customer.credit_limit = D("5000.00")
    customer.save(update_fields=["credit_limit"])
    assert checked_now(client, order).startswith("Checked now: Accepted:")


def test_no_answer_moves_an_inactive_accounts_order_forward(
    as_user, sales_user, accounting_user, customer
):
    prepaid = submit(sales_user, customer, line("1", "100.00"), prepaid=True)
    customer.credit_hold = True
    customer.save(update_fields=["credit_hold"])
    blocked = submit(sales_user, customer, line("1", "100.00"), enter_blocked=True)
    customer.credit_hold = False
    customer.is_active = False
    customer.save(update_fields=["credit_hold", "is_active"])
    for refused in (
        lambda: services.order_confirm_prepayment(order=prepaid, user=accounting_user),
        lambda: services.order_refuse_prepayment(order=prepaid, user=accounting_user, comment="-"),
        lambda: services.order_recheck(order=blocked, user=sales_user),
    ):
        with pytest.raises(ValidationError, match="is inactive"):
            refused()
    prepaid.refresh_from_db()
    blocked.refresh_from_db()
    assert (prepaid.status, blocked.status) == (
        Order.Status.AWAITING_PREPAYMENT,
        Order.Status.BLOCKED,
    )
    page = parse(as_user(accounting_user).get(reverse("sales:approval_list")).content.decode())
    row = page.find("tr", data_prepayment_row="")
    assert row.find("span", data_inactive="")
    # Nothing offered that would be refused, nor a check that promises what cannot happen.
    assert not row.find_all("button") and "Accepted" not in row.text
    order_page = parse(as_user(sales_user).get(blocked.get_absolute_url()).content.decode())
    assert order_page.find("p", data_inactive="").text.endswith("It can still be cancelled.")
    assert not order_page.find_all("form", action=reverse("sales:order_recheck", args=[blocked.pk]))
    assert not order_page.find_all("p", data_credit_now="")


def test_an_inactive_accounts_order_waiting_for_management_can_only_be_rejected(
    as_user, sales_user, management_user, customer
):
    order = submit(sales_user, customer, line("1", "1000.00"))
    customer.is_active = False
    customer.save(update_fields=["is_active"])
    client = as_user(management_user)
    page = parse(client.get(order.get_absolute_url()).content.decode())
    buttons = [b.text for b in page.find("form", class_="decision-form").find_all("button")]
    assert buttons == ["Reject"]
    assert page.find("p", data_inactive="").text.endswith("It can still be rejected or cancelled.")
    row = parse(client.get(reverse("sales:approval_list")).content.decode()).find("tr", data_row="")
    assert [b.text for b in row.find_all("button")] == ["Reject"]


def test_an_unchanged_address_reads_in_the_readers_language(
    as_user, sales_user, management_user, customer
):
    """Two testers saw "Invoice address: Postadres: ..., Duitsland" on an English page: the
    copy kept as issued is in the writer's language. While the address is as issued, it is
    shown as the CRM has it, in the reader's; once changed, the copy as issued."""
    with translation.override("nl"):
        order = submit(sales_user, customer, line("1", "10.00"))
    assert order.delivery_address_text.startswith("Bezoekadres: ")
    client = as_user(management_user)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Visit address: " in page and "Bezoekadres" not in page
    visit = order.delivery_address
    visit.street = "Nieuwe Straat 1"
    visit.save(update_fields=["street"])
    page = client.get(order.get_absolute_url()).content.decode()
    assert order.delivery_address_text in page
