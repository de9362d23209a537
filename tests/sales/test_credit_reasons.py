"""What the credit check said, as each reader reads it, and what it would say now."""

from decimal import Decimal as D

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
        "The prepayment was not received, so the order is checked on credit: Needs Management's "
        "approval: open exposure €500.00 + this order €605.00 = €1,105.00, which is €105.00 above "
        "the credit limit of €1,000.00." in row.text
    )
    assert "within the credit limit" not in row.text


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
