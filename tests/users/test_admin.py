import re

import pytest
from django.core.exceptions import ValidationError
from django.forms import CheckboxInput, MultiWidget
from django.urls import reverse

from tests.accounts.factories import ContactFactory
from tests.sales.factories import CustomerFactory, SellerAccountFactory
from tests.users.factories import UserFactory
from users.models import User

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """What the browser posts back from the admin's user change form."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):  # date and time in two inputs
            for index, part in enumerate(field.widget.decompress(value)):
                if part is not None:
                    data[f"{name}_{index}"] = part
        elif isinstance(field.widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def change_url(user: User) -> str:
    return reverse("admin:users_user_change", args=[user.pk])


def test_user_list_shows_crm_link_in_constant_queries(
    admin_user, client, django_assert_max_num_queries
):
    """The user list runs the same queries for 3 users as for 13, CRM columns included."""
    client.force_login(admin_user)
    url = reverse("admin:users_user_changelist")

    def add_users(count: int) -> None:
        for _ in range(count):
            contact = ContactFactory()
            UserFactory(crm_account=contact.account, crm_contact=contact)

    add_users(2)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        response = client.get(url)
    assert response.status_code == 200
    add_users(10)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    page = response.content.decode()
    for linked in User.objects.exclude(crm_account=None).select_related("crm_account"):
        name = re.escape(linked.crm_account.name)
        assert re.search(rf'<td class="field-crm_account[^"]*">{name}</td>', page), name


def test_admin_links_a_user_to_an_account_and_its_contact(admin_user, client):
    user = UserFactory(email="sanne@example.com")
    contact = ContactFactory(account=SellerAccountFactory(), last_name="Bakker")
    client.force_login(admin_user)
    data = form_data(client.get(change_url(user)))
    data.update(crm_account=contact.account_id, crm_contact=contact.pk)

    assert client.post(change_url(user), data).status_code == 302

    user.refresh_from_db()
    assert (user.crm_account, user.crm_contact) == (contact.account, contact)
    assert user.email == "sanne@example.com", "the contact's email never replaces the user's"


def test_contact_of_another_account_is_refused(admin_user, client):
    user = UserFactory()
    account = SellerAccountFactory()
    stranger = ContactFactory()
    client.force_login(admin_user)
    data = form_data(client.get(change_url(user)))
    data.update(crm_account=account.pk, crm_contact=stranger.pk)

    response = client.post(change_url(user), data)

    assert response.status_code == 200
    assert "choose one of the CRM account" in response.content.decode()
    user.refresh_from_db()
    assert user.crm_account is None and user.crm_contact is None


def test_new_account_drops_the_old_accounts_contact(admin_user, client):
    contact = ContactFactory(account=SellerAccountFactory())
    user = UserFactory(crm_account=contact.account, crm_contact=contact)
    other = SellerAccountFactory()
    client.force_login(admin_user)
    data = form_data(client.get(change_url(user)))
    data.update(crm_account=other.pk, crm_contact="")

    assert client.post(change_url(user), data).status_code == 302

    user.refresh_from_db()
    assert user.crm_account == other and user.crm_contact is None


def test_admin_adds_a_user_with_email(admin_user, client):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:users_user_add"),
        {
            "username": "pieter",
            "email": "pieter@example.com",
            "usable_password": "true",
            "password1": "a long enough pass phrase 2026",
            "password2": "a long enough pass phrase 2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="pieter")
    assert user.email == "pieter@example.com" and user.crm_account is None


def test_an_account_that_is_not_a_seller_is_refused(admin_user, client):
    """The admin keeps the users page's rule: the CRM account is one of our selling entities."""
    user = UserFactory()
    customer = CustomerFactory(name="Acme Panels")
    client.force_login(admin_user)
    data = form_data(client.get(change_url(user)))
    data.update(crm_account=customer.pk, crm_contact="")

    response = client.post(change_url(user), data)

    assert response.status_code == 200
    assert "Acme Panels is a Customer, not one of our selling entities" in response.content.decode()
    user.refresh_from_db()
    assert user.crm_account is None


def test_a_refused_crm_link_is_a_form_error_and_saves_nothing(admin_user, client, monkeypatch):
    """The users service decides the link; its refusal is shown on the form, not a server error."""
    user = UserFactory(email="sanne@example.com")
    seller = SellerAccountFactory()
    client.force_login(admin_user)
    data = form_data(client.get(change_url(user)))
    data.update(crm_account=seller.pk, email="sanne.new@example.com")

    def refusing(**kwargs):
        raise ValidationError("The account stopped being a seller meanwhile.")

    monkeypatch.setattr("users.services.user_set_crm_link", refusing)

    response = client.post(change_url(user), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == ["The account stopped being a seller meanwhile."]
    user.refresh_from_db()
    assert (user.email, user.crm_account) == ("sanne@example.com", None)
