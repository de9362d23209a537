"""Sales documents and the account's status and primary contact."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services as account_services
from sales import services
from sales.models import Order, Quote
from tests.accounts.factories import ContactFactory
from tests.html import field_errors
from tests.sales.conftest import line
from tests.sales.factories import CustomerFactory, OrderFactory
from tests.sales.test_views import form_data

pytestmark = pytest.mark.django_db


def test_a_new_quote_for_an_inactive_account_is_refused(sales_user, customer):
    customer.is_active = False
    customer.save()
    with pytest.raises(ValidationError) as refused:
        services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    assert "is inactive" in refused.value.message_dict["customer"][0]
    assert not Quote.objects.exists()


def test_a_new_order_for_an_inactive_account_is_refused(sales_user, customer):
    customer.is_active = False
    customer.save()
    with pytest.raises(ValidationError) as refused:
        services.order_submit(user=sales_user, fields={"customer": customer}, lines=[line()])
    assert "no new quotes or orders" in refused.value.message_dict["customer"][0]
    assert not Order.objects.exists()


def test_a_draft_quote_is_not_moved_to_an_inactive_account(as_user, sales_user, customer):
    quote = services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    gone = CustomerFactory(name="Closed Down BV", is_active=False)
    data = form_data(gone, ("Service hour", "1", "100.00"))

    response = as_user(sales_user).post(reverse("sales:quote_update", args=[quote.pk]), data)

    assert response.status_code == 200
    assert "is inactive" in field_errors(response.content, "customer")
    quote.refresh_from_db()
    assert quote.customer_id == customer.pk


def test_a_draft_quote_of_an_account_made_inactive_can_still_be_edited(sales_user, customer):
    """Its own account's quotes are kept and may be mended; only moving one there is new."""
    quote = services.quote_create(user=sales_user, fields={"customer": customer}, lines=[line()])
    customer.is_active = False
    customer.save()
    services.quote_update(
        quote=quote,
        user=sales_user,
        fields={"customer": customer, "notes": "Final"},
        lines=[line()],
    )
    quote.refresh_from_db()
    assert quote.notes == "Final"


def test_the_order_page_says_why_beside_the_customer(as_user, sales_user, customer):
    customer.is_active = False
    customer.save()
    data = form_data(customer, ("Service hour", "1", "100.00"))
    response = as_user(sales_user).post(reverse("sales:order_create"), data)
    assert response.status_code == 200
    assert "is inactive" in field_errors(response.content, "customer")
    assert not Order.objects.exists()


def test_the_sellers_primary_contact_is_the_default_seller_contact(
    sales_user, customer, seller, seller_contact
):
    primary = ContactFactory(account=seller, first_name="Eva", last_name="Vos")
    account_services.contact_set_primary(contact=primary, user=sales_user)
    quote = services.quote_create(
        user=sales_user, fields={"customer": customer, "seller_account": seller}, lines=[line()]
    )
    assert quote.seller_contact == primary
    chosen = services.quote_create(
        user=sales_user,
        fields={"customer": customer, "seller_account": seller, "seller_contact": seller_contact},
        lines=[line()],
    )
    assert chosen.seller_contact == seller_contact


def test_an_invoice_is_for_the_attention_of_the_primary_contact(
    accounting_user, sales_user, customer
):
    primary = ContactFactory(account=customer, first_name="Eva", last_name="Vos")
    account_services.contact_set_primary(contact=primary, user=sales_user)
    order = OrderFactory(customer=customer, status=Order.Status.ACCEPTED)
    invoice = services.order_invoice(order=order, user=accounting_user)
    assert invoice.address_text.splitlines()[:2] == ["Acme Panels", "Attn. Eva Vos"]


def test_without_a_primary_contact_the_invoice_is_for_the_company(accounting_user, customer):
    order = OrderFactory(customer=customer, status=Order.Status.ACCEPTED)
    invoice = services.order_invoice(order=order, user=accounting_user)
    assert invoice.address_text.splitlines()[0] == "Acme Panels"
    assert "Attn." not in invoice.address_text
