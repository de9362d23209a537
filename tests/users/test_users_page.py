"""The users page as the seed walks through it: "If we click on None under CRM account we will
see the CRM account we just created, and we can select it", then the CRM contact, which "we
click on ... to complete the data"."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.accounts.factories import ContactFactory
from tests.html import parse
from tests.sales.factories import CustomerFactory, SellerAccountFactory
from tests.users.factories import UserFactory
from tests.users.test_crm_link import checked_account, offered_accounts

pytestmark = pytest.mark.django_db


def crm_account_page(client, person):
    return client.get(reverse("users:crm_account", args=[person.pk]))


def test_clicking_none_shows_our_sellers_to_choose_at_once(as_user, admin_user):
    seller = SellerAccountFactory(name="Bodywork Group Elfsquad")
    CustomerFactory(name="Acme Panels")
    person = UserFactory(email="pat@ourcompany.example")
    client = as_user(admin_user)

    users_page = parse(client.get(reverse("users:list")).content)
    row = users_page.find("tr", data_user=person.username)
    none = row.find("td", class_="crm-account").find("a")
    assert none.text == "None"
    response = client.get(none.attrs["href"])

    assert offered_accounts(response.content) == {"": "None", str(seller.pk): seller.name}
    assert checked_account(response.content) == ""
    # Few sellers: nothing to type.
    assert parse(response.content).find_all("input", name="other_seller_name") == []

    client.post(none.attrs["href"], {"crm_account": seller.pk})
    person.refresh_from_db()
    assert person.crm_account == seller


def test_the_first_50_sellers_by_name_are_listed_and_a_box_finds_the_rest(as_user, admin_user):
    sellers = [SellerAccountFactory(name=f"Seller {n:02}") for n in range(51, -1, -1)]
    person = UserFactory()

    response = crm_account_page(as_user(admin_user), person)

    listed = list(offered_accounts(response.content).values())
    assert listed == ["None", *[f"Seller {n:02}" for n in range(50)]]
    box = parse(response.content).find("input", name="other_seller_name")
    assert box.attrs["data-account-lookup"] == reverse("accounts:seller_lookup")
    last = sellers[0]
    as_user(admin_user).post(
        reverse("users:crm_account", args=[person.pk]),
        {"crm_account": "", "other_seller": last.pk, "other_seller_name": last.name},
    )
    person.refresh_from_db()
    assert person.crm_account == last


def test_the_account_page_has_constant_queries(as_user, admin_user, django_assert_max_num_queries):
    for n in range(60):
        SellerAccountFactory(name=f"Seller {n:02}")
    person = UserFactory()
    client = as_user(admin_user)
    with django_assert_max_num_queries(8):
        response = crm_account_page(client, person)
    assert len(offered_accounts(response.content)) == 51


class TestTheCrmContactColumn:
    @pytest.fixture
    def linked(self):
        seller = SellerAccountFactory(name="Bodywork Group Elfsquad")
        contact = ContactFactory(account=seller, first_name="Pat", last_name="Jansen")
        return UserFactory(crm_account=seller, crm_contact=contact), contact

    def cell(self, client, person):
        page = parse(client.get(reverse("users:list")).content)
        return page.find("tr", data_user=person.username).find("td", class_="crm-contact")

    def test_the_chosen_contact_opens_its_form_to_complete_the_data(
        self, as_user, admin_user, linked
    ):
        person, contact = linked
        cell = self.cell(as_user(admin_user), person)
        edit = cell.find("a", data_contact_edit="")
        assert edit.text == "Pat Jansen"
        assert edit.attrs["href"] == reverse("accounts:contact_update", args=[contact.pk])
        change = [a for a in cell.find_all("a") if a.attrs["href"].endswith("/crm-contact/")]
        assert change[0].attrs["aria-label"] == f"Change the CRM contact of {person.email}"

    def test_who_may_not_edit_contacts_reads_the_name_only(self, as_user, linked):
        person, _ = linked
        viewer = UserFactory(username="viewer")
        viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
        cell = self.cell(as_user(viewer), person)
        assert cell.find_all("a") == []
        assert cell.text == "Pat Jansen"

    def test_no_contact_yet_links_to_choosing_one(self, as_user, admin_user):
        seller = SellerAccountFactory()
        person = UserFactory(crm_account=seller)
        cell = self.cell(as_user(admin_user), person)
        [choose] = cell.find_all("a")
        assert choose.text == "None"
        assert choose.attrs["href"] == reverse("users:crm_contact", args=[person.pk])


def test_a_box_sent_from_a_longer_list_still_counts(as_user, admin_user):
    """The page had more sellers (and the box) when it was shown; some went meanwhile."""
    seller = SellerAccountFactory(name="Bodywork Group Elfsquad")
    person = UserFactory()
    as_user(admin_user).post(
        reverse("users:crm_account", args=[person.pk]),
        {"crm_account": "", "other_seller": seller.pk, "other_seller_name": seller.name},
    )
    person.refresh_from_db()
    assert person.crm_account == seller
