"""The order form and the approvals page say when a customer is on credit hold, and why."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from sales.models import Order
from tests.accounts.factories import AccountFactory
from tests.html import field_errors, parse
from tests.sales.factories import OrderFactory
from tests.sales.test_views import form_data

pytestmark = pytest.mark.django_db

WARNING = (
    "Acme Panels is on credit hold (reason: Disputes invoice 12): this order will be blocked "
    "unless it is prepaid; Accounting confirms a prepayment."
)


@pytest.fixture
def held():
    return AccountFactory(
        name="Acme Panels", credit_hold=True, credit_hold_reason="Disputes invoice 12"
    )


def _warning(response) -> str:
    found = parse(response.content).find("p", data_hold_warning="")
    return "" if "hidden" in found.attrs else found.text


def test_the_choices_of_a_held_customer_carry_the_warning(as_user, sales_user, held):
    data = as_user(sales_user).get(reverse("sales:account_choices", args=[held.pk])).json()
    assert data["credit_hold_warning"] == WARNING


def test_the_choices_of_a_customer_not_on_hold_carry_none(as_user, sales_user):
    account = AccountFactory()
    data = as_user(sales_user).get(reverse("sales:account_choices", args=[account.pk])).json()
    assert data["credit_hold_warning"] == ""


def test_the_form_opened_for_a_held_customer_warns(as_user, sales_user, held):
    response = as_user(sales_user).get(reverse("sales:order_create"), {"customer": held.pk})
    assert _warning(response) == WARNING


def test_the_form_for_a_customer_not_on_hold_does_not_warn(as_user, sales_user):
    account = AccountFactory()
    response = as_user(sales_user).get(reverse("sales:order_create"), {"customer": account.pk})
    assert _warning(response) == ""


def test_an_unprepaid_order_for_a_held_customer_asks_first(as_user, sales_user, held):
    """Nothing is saved and no number taken until Sales ticks "Enter it anyway, blocked"."""
    client = as_user(sales_user)
    response = client.post(reverse("sales:order_create"), form_data(held, ("Panels", "1", "10")))
    assert response.status_code == 200
    assert "on credit hold" in field_errors(response.content, "enter_blocked")
    assert _warning(response) == WARNING
    assert not Order.objects.exists()

    response = client.post(
        reverse("sales:order_create"),
        form_data(held, ("Panels", "1", "10"), enter_blocked="on"),
    )
    assert response.status_code == 302
    assert Order.objects.get().status == Order.Status.BLOCKED


def test_a_prepaid_order_for_a_held_customer_needs_no_tick(as_user, sales_user, held):
    response = as_user(sales_user).post(
        reverse("sales:order_create"), form_data(held, ("Panels", "1", "10"), prepaid="on")
    )
    assert response.status_code == 302
    assert Order.objects.get().status == Order.Status.AWAITING_PREPAYMENT


def test_the_approvals_page_shows_the_reason_beside_the_order(as_user, management_user, held):
    order = OrderFactory(customer=held, status=Order.Status.PENDING_APPROVAL, total=D("10"))
    page = as_user(management_user).get(reverse("sales:approval_list"))
    (row,) = [r for r in parse(page.content).find_all("tr", data_row="") if order.number in r.text]
    reason = row.find("small", data_credit_hold_reason=str(held.pk))
    assert reason.text == "Reason for the hold: Disputes invoice 12"
