"""Two people editing the same account, contact or address: the second save keeps what the
first saved meanwhile, or says where they disagree; it never silently puts the old values back."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Account, Address
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.html import field_errors, form_values

pytestmark = pytest.mark.django_db


def opened(client, url: str) -> dict[str, str]:
    """The form as a browser tab shows it now (a tab is what it posts: one client serves
    both tabs of a test where the two people share a role)."""
    response = client.get(url)
    assert response.status_code == 200
    return form_values(response.content)


def test_the_second_save_keeps_what_the_first_changed(as_user, sales_user):
    account = AccountFactory(phone="+31 10 000 0000", website="https://old.example")
    url = reverse("accounts:update", args=[account.pk])
    first, second = as_user(sales_user), as_user(sales_user)
    tab_a, tab_b = opened(first, url), opened(second, url)

    assert first.post(url, {**tab_a, "phone": "+31 10 111 1111"}).status_code == 302
    assert second.post(url, {**tab_b, "website": "https://new.example"}).status_code == 302

    account.refresh_from_db()
    assert (account.phone, account.website) == ("+31 10 111 1111", "https://new.example")


def test_both_changing_one_field_is_asked_about_and_nothing_is_lost(as_user, sales_user):
    account = AccountFactory(phone="+31 10 000 0000", email="old@example.com")
    url = reverse("accounts:update", args=[account.pk])
    first, second = as_user(sales_user), as_user(sales_user)
    tab_a, tab_b = opened(first, url), opened(second, url)
    first.post(url, {**tab_a, "phone": "+31 10 111 1111"})

    typed = {**tab_b, "phone": "+31 10 222 2222", "email": "new@example.com"}
    response = second.post(url, typed)

    assert response.status_code == 200
    assert field_errors(response.content, "phone") == (
        "Someone else saved “+31 10 111 1111” here since you opened the form. Save again to "
        "replace it with what you typed."
    )
    account.refresh_from_db()
    assert (account.phone, account.email) == ("+31 10 111 1111", "old@example.com")
    again = form_values(response.content)
    assert (again["phone"], again["email"]) == ("+31 10 222 2222", "new@example.com")

    # Saving again, knowing, keeps what was typed.
    assert second.post(url, again).status_code == 302
    account.refresh_from_db()
    assert (account.phone, account.email) == ("+31 10 222 2222", "new@example.com")


def test_a_choice_changed_meanwhile_is_kept(as_user, sales_user, management_user):
    account = AccountFactory(owner=None)
    url = reverse("accounts:update", args=[account.pk])
    first, second = as_user(management_user), as_user(sales_user)
    tab_a, tab_b = opened(first, url), opened(second, url)
    assert first.post(url, {**tab_a, "owner": str(management_user.pk)}).status_code == 302
    assert second.post(url, {**tab_b, "name": "Renamed B.V."}).status_code == 302
    account.refresh_from_db()
    assert (account.owner, account.name) == (management_user, "Renamed B.V.")


def test_the_same_change_twice_is_no_disagreement(as_user, sales_user):
    account = AccountFactory(phone="+31 10 000 0000")
    url = reverse("accounts:update", args=[account.pk])
    first, second = as_user(sales_user), as_user(sales_user)
    tab_a, tab_b = opened(first, url), opened(second, url)
    first.post(url, {**tab_a, "phone": "+31 10 111 1111"})
    assert second.post(url, {**tab_b, "phone": "+31 10 111 1111"}).status_code == 302


def test_contacts_and_addresses_keep_each_others_changes(as_user, sales_user):
    contact = ContactFactory(job_title="Buyer", phone="+31 40 000 0000")
    address = Address.objects.get(account=contact.account, kind=Address.Kind.VISIT)
    client = as_user(sales_user)
    for url, first_change, second_change in [
        (reverse("accounts:contact_update", args=[contact.pk]), {"job_title": "Director"},
         {"phone": "+31 40 999 9999"}),
        (reverse("accounts:address_update", args=[address.pk]), {"street": "Markt 1"},
         {"postal_code": "5611 AA"}),
    ]:  # fmt: skip
        tab_a, tab_b = opened(client, url), opened(client, url)
        assert client.post(url, {**tab_a, **first_change}).status_code == 302
        assert client.post(url, {**tab_b, **second_change}).status_code == 302
    contact.refresh_from_db()
    address.refresh_from_db()
    assert (contact.job_title, contact.phone) == ("Director", "+31 40 999 9999")
    assert (address.street, address.postal_code) == ("Markt 1", "5611 AA")


@pytest.mark.parametrize("shown", ["", "not json", "[1, 2]", '{"phone": {"x": 1}}'])
def test_a_form_without_what_it_showed_saves_as_posted(as_user, sales_user, shown):
    """A form opened before this release, or a post that says nonsense, saves as before."""
    account = AccountFactory(phone="+31 10 000 0000")
    url = reverse("accounts:update", args=[account.pk])
    client = as_user(sales_user)
    typed = {**opened(client, url), "phone": "+31 10 333 3333", "shown": shown}
    assert client.post(url, typed).status_code == 302
    assert Account.objects.get(pk=account.pk).phone == "+31 10 333 3333"


def test_an_amount_as_the_dutch_form_shows_it_is_not_mistaken_for_a_change(
    sales_user, accounting_user
):
    """Accounting's form shows "1.500,00" in Dutch; Sales renames the account meanwhile."""
    accounting_user.language = "nl"
    accounting_user.save(update_fields=["language"])
    account = AccountFactory(credit_limit=Decimal("1500.00"), name="Old Name")
    url = reverse("accounts:update", args=[account.pk])
    books, sales = Client(), Client()
    books.force_login(accounting_user)
    sales.force_login(sales_user)
    tab_a, tab_b = opened(books, url), opened(sales, url)
    assert tab_a["credit_limit"] == "1.500,00"
    assert sales.post(url, {**tab_b, "name": "New Name"}).status_code == 302
    assert books.post(url, {**tab_a, "phone": "+31 10 444 4444"}).status_code == 302
    account.refresh_from_db()
    assert (account.name, account.phone, account.credit_limit) == (
        "New Name",
        "+31 10 444 4444",
        Decimal("1500.00"),
    )


def test_after_a_clash_saving_again_keeps_the_other_fields_the_other_person_changed(
    as_user, sales_user
):
    """A changed the job title and the phone; B changed the phone only: B's second save must
    not put the old job title back."""
    contact = ContactFactory(job_title="Buyer", phone="+31 40 000 0000")
    url = reverse("accounts:contact_update", args=[contact.pk])
    client = as_user(sales_user)
    tab_a, tab_b = opened(client, url), opened(client, url)
    client.post(url, {**tab_a, "job_title": "Director", "phone": "+31 40 111 1111"})

    clash = client.post(url, {**tab_b, "phone": "+31 40 222 2222"})
    assert clash.status_code == 200 and field_errors(clash.content, "phone")
    again = form_values(clash.content)
    assert (again["job_title"], again["phone"]) == ("Director", "+31 40 222 2222")
    assert client.post(url, again).status_code == 302

    contact.refresh_from_db()
    assert (contact.job_title, contact.phone) == ("Director", "+31 40 222 2222")


def test_a_value_the_box_writes_otherwise_is_no_change_of_the_user(as_user, sales_user):
    """An imported website without its scheme comes back as "https://...": untouched, it
    neither clashes nor puts the old one back."""
    account = AccountFactory(website="old.example", phone="+31 10 000 0000")
    url = reverse("accounts:update", args=[account.pk])
    client = as_user(sales_user)
    tab_a, tab_b = opened(client, url), opened(client, url)
    assert tab_b["website"] == "old.example"
    client.post(url, {**tab_a, "website": "https://new.example"})
    assert client.post(url, {**tab_b, "phone": "+31 10 555 5555"}).status_code == 302
    account.refresh_from_db()
    assert (account.website, account.phone) == ("https://new.example", "+31 10 555 5555")


def test_a_clash_names_a_country_and_an_account_as_the_boxes_show_them(as_user, sales_user):
    address = Address.objects.get(account=AccountFactory(), kind=Address.Kind.VISIT)
    url = reverse("accounts:address_update", args=[address.pk])
    client = as_user(sales_user)
    tab_a, tab_b = opened(client, url), opened(client, url)
    client.post(url, {**tab_a, "country": "BE"})
    response = client.post(url, {**tab_b, "country": "DE"})
    assert field_errors(response.content, "country").startswith("Someone else saved “Belgium” here")

    parent = AccountFactory(name="Holding B.V.")
    account = AccountFactory()
    url = reverse("accounts:update", args=[account.pk])
    tab_a, tab_b = opened(client, url), opened(client, url)
    other = AccountFactory(name="Other")
    client.post(url, {**tab_a, "parent": str(parent.pk), "parent_name": parent.name})
    response = client.post(url, {**tab_b, "parent": str(other.pk), "parent_name": other.name})
    assert field_errors(response.content, "parent").startswith(
        "Someone else saved “Holding B.V.” here"
    )
