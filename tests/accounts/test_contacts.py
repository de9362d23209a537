"""Contacts across accounts: the contacts list, and one primary contact per account."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services
from accounts.models import Contact
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def _listed(client, **params) -> list[tuple[str, str]]:
    page = parse(client.get(reverse("accounts:contact_list"), params).content)
    tables = page.find_all("table", data_contacts="")
    if not tables:
        return []
    rows = [row.find_all("td") for row in tables[0].find("tbody").find_all("tr")]
    return [(cells[0].text, cells[1].find("a").text) for cells in rows]


class TestPrimaryContact:
    def test_making_one_primary_makes_the_other_not_primary(self, sales_user):
        account = AccountFactory()
        first, second = ContactFactory.create_batch(2, account=account)
        elsewhere = ContactFactory(is_primary=True)

        services.contact_set_primary(contact=first, user=sales_user)
        services.contact_set_primary(contact=second, user=sales_user)

        assert list(account.contacts.filter(is_primary=True)) == [second]
        elsewhere.refresh_from_db()
        assert elsewhere.is_primary, "another account's primary contact stays"

        services.contact_set_primary(contact=second, user=sales_user, primary=False)
        assert not account.contacts.filter(is_primary=True).exists()

    def test_the_database_refuses_two_primary_contacts(self):
        account = AccountFactory()
        ContactFactory(account=account, is_primary=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            ContactFactory(account=account, is_primary=True)

    @pytest.mark.parametrize("role", ["accounting_user", "management_user"])
    def test_only_who_changes_contacts_chooses(self, role, request):
        contact = ContactFactory()
        with pytest.raises(PermissionDenied):
            services.contact_set_primary(contact=contact, user=request.getfixturevalue(role))

    def test_editing_a_contact_keeps_its_primary_mark(self, sales_user):
        contact = ContactFactory(is_primary=True)
        services.contact_save(contact=contact, user=sales_user, fields={"job_title": "Buyer"})
        contact.refresh_from_db()
        assert contact.is_primary

    def test_the_account_page_marks_it_and_sales_chooses_it(self, as_user, sales_user):
        account = AccountFactory()
        contact = ContactFactory(account=account, first_name="Eva", last_name="Vos")
        client = as_user(sales_user)

        response = client.post(
            reverse("accounts:contact_primary", args=[contact.pk]), {"primary": "on"}
        )
        assert response.status_code == 302
        page = parse(client.get(account.get_absolute_url()).content)
        assert page.find("td", data_primary="yes")
        contact.refresh_from_db()
        assert contact.is_primary

    @pytest.mark.parametrize(
        ("language", "visible"), [("en-gb", "Make primary"), ("nl", "Primair maken")]
    )
    def test_the_buttons_name_starts_with_what_it_shows(
        self, as_user, sales_user, language, visible
    ):
        """Voice control users say what they see: the accessible name must contain it."""
        contact = ContactFactory(first_name="Jan", last_name="de Boer")
        sales_user.language = language
        sales_user.save(update_fields=["language"])
        page = parse(as_user(sales_user).get(contact.account.get_absolute_url()).content)
        button = page.find("td", data_primary="no").find("button")
        assert button.text == visible
        assert button.attrs["aria-label"] == f"{visible}: Jan de Boer"

    def test_accounting_gets_a_403(self, as_user, accounting_user):
        contact = ContactFactory()
        response = as_user(accounting_user).post(
            reverse("accounts:contact_primary", args=[contact.pk]), {"primary": "on"}
        )
        assert response.status_code == 403
        assert not Contact.objects.filter(is_primary=True).exists()


class TestContactList:
    def test_every_role_sees_contacts_of_every_account_by_name(self, as_user, accounting_user):
        ContactFactory(first_name="Eva", last_name="Vos", account=AccountFactory(name="Acme"))
        ContactFactory(first_name="Bo", last_name="Aalders", account=AccountFactory(name="Beta"))
        assert _listed(as_user(accounting_user)) == [("Bo Aalders", "Beta"), ("Eva Vos", "Acme")]

    def test_names_are_filed_by_surname_without_its_prefix(self, as_user, sales_user):
        """As Dutch lists do: "de Boer" under B, "van den Berg" under B, "Van" alone under V
        (a tester found "de Boer" under D and "van den Berg" under V)."""
        account = AccountFactory(name="Acme")
        for first, last in [
            ("Anna", "van den Berg"), ("Piet", "de Boer"), ("Eva", "Dekker"),
            ("Mark", "Van"), ("Jan", "Berg"), ("Lisa", "von Müller"), ("Tom", "Vos"),
        ]:  # fmt: skip
            ContactFactory(account=account, first_name=first, last_name=last)
        assert [name for name, _account in _listed(as_user(sales_user))] == [
            "Anna van den Berg", "Jan Berg", "Piet de Boer", "Eva Dekker", "Lisa von Müller",
            "Mark Van", "Tom Vos",
        ]  # fmt: skip

    def test_a_renamed_contact_is_filed_anew(self, as_user, sales_user):
        contact = ContactFactory(first_name="Piet", last_name="Zwart")
        ContactFactory(first_name="Eva", last_name="Jansen")
        services.contact_save(contact=contact, user=sales_user, fields={"last_name": "de Aalders"})
        assert _listed(as_user(sales_user))[0][0] == "Piet de Aalders"

    @pytest.mark.parametrize(
        ("search", "found"),
        [
            ("vos", "Eva Vos"),
            ("eva@", "Eva Vos"),
            ("+31 40", "Eva Vos"),
            ("06 12", "Bo Aalders"),  # the mobile number
            # However the number is spaced or prefixed: as caller ID shows it, or pasted.
            ("+31401234567", "Eva Vos"),
            ("0401234567", "Eva Vos"),
            ("040-123 45 67", "Eva Vos"),
            ("(040) 1234567", "Eva Vos"),
            ("0612345678", "Bo Aalders"),
            ("+31 6-12345678", "Bo Aalders"),
            ("0031 40 1234567", "Eva Vos"),
            ("40 123 45", "Eva Vos"),  # a piece of a number, six digits or more
            ("acme", "Eva Vos"),
            ("eva acme", "Eva Vos"),
            # An address is looked up by its longest run, then checked whole.
            ("eva@acme.example", "Eva Vos"),
        ],
    )
    def test_search_on_name_email_phone_and_account(self, as_user, sales_user, search, found):
        ContactFactory(
            first_name="Eva",
            last_name="Vos",
            email="eva@acme.example",
            phone="+31 40 123 4567",
            account=AccountFactory(name="Acme Panels"),
        )
        ContactFactory(
            first_name="Bo",
            last_name="Aalders",
            email="bo@beta.example",
            phone="",
            mobile="06 12 34 56 78",
            account=AccountFactory(name="Beta Steel"),
        )
        assert [name for name, _account in _listed(as_user(sales_user), q=search)] == [found]

    @pytest.mark.parametrize("search", ["muller", "MÜLLER", "Müller", "jurgen", "koln"])
    def test_search_ignores_accents_and_case(self, as_user, sales_user, search):
        ContactFactory(
            first_name="Jürgen", last_name="Müller", account=AccountFactory(name="Köln Werke")
        )
        ContactFactory(first_name="Eva", last_name="Vos", account=AccountFactory(name="Acme"))
        assert _listed(as_user(sales_user), q=search) == [("Jürgen Müller", "Köln Werke")]

    @pytest.mark.parametrize("search", ["o'brien", "O\u2019Brien", "o\u2018brien", "brien"])
    @pytest.mark.parametrize("stored", ["O'Brien", "O\u2019Brien", "O\u2018Brien", "O\u02bcBrien"])
    def test_either_apostrophe_finds_either(self, as_user, sales_user, stored, search):
        """A phone or a Mac types a typographic apostrophe, a PC a straight one; names are
        stored either way."""
        ContactFactory(first_name="Søren", last_name=stored, account=AccountFactory(name="Acme"))
        ContactFactory(first_name="Eva", last_name="Brink", account=AccountFactory(name="Acme"))
        assert _listed(as_user(sales_user), q=search) == [(f"Søren {stored}", "Acme")]

    def test_an_edited_contact_is_found_by_its_new_name(self, as_user, sales_user):
        contact = ContactFactory(first_name="Eva", last_name="Vos")
        services.contact_save(contact=contact, user=sales_user, fields={"last_name": "Lefèvre"})
        client = as_user(sales_user)
        assert [name for name, _account in _listed(client, q="lefevre")] == ["Eva Lefèvre"]
        assert _listed(client, q="vos") == []

    def test_an_edit_in_one_tab_keeps_the_name_another_tab_saved(self, as_user, sales_user):
        """The edit writes only its own fields, and the search words follow the stored row."""
        contact = ContactFactory(first_name="Eva", last_name="Vos")
        stale = Contact.objects.get(pk=contact.pk)
        services.contact_save(contact=contact, user=sales_user, fields={"last_name": "Lefèvre"})
        services.contact_save(contact=stale, user=sales_user, fields={"phone": "+31 40 111 2222"})
        client = as_user(sales_user)
        assert [name for name, _account in _listed(client, q="lefevre 2222")] == ["Eva Lefèvre"]
        assert _listed(client, q="vos") == []

    def test_the_same_contact_sent_again_after_back_is_not_added_twice(self, as_user, sales_user):
        """A tester saved a contact, pressed Back and Save again: two identical contacts."""
        account = AccountFactory()
        url = reverse("accounts:contact_create", args=[account.pk])
        typed = {"first_name": "Anouk", "last_name": "de Vries", "email": "anouk@acme.example"}
        client = as_user(sales_user)
        assert client.post(url, typed).status_code == 302
        again = client.post(url, {**typed, "email": "Anouk@Acme.example ", "last_name": "De Vries"})
        assert again.status_code == 200
        refusal = parse(again.content).find("div", class_="form-errors").text
        assert refusal.startswith("Anouk De Vries, with these details, is a contact of this")
        assert account.contacts.count() == 1
        # A namesake with another address, or another phone, is another person.
        assert client.post(url, {**typed, "email": "a.devries@acme.example"}).status_code == 302
        assert client.post(url, {**typed, "phone": "+31 40 123 4567"}).status_code == 302
        assert account.contacts.count() == 3

    def test_a_renamed_account_finds_its_contacts_by_the_new_name(self, as_user, sales_user):
        contact = ContactFactory(first_name="Eva", account=AccountFactory(name="Oude Naam"))
        services.account_update(
            account=contact.account, user=sales_user, fields={"name": "Nieuwe Naam"}
        )
        client = as_user(sales_user)
        assert [name for name, _account in _listed(client, q="nieuwe")] == [str(contact)]
        assert _listed(client, q="oude") == []

    def test_the_menu_links_to_it(self, as_user, sales_user):
        page = parse(as_user(sales_user).get(reverse("accounts:list")).content)
        links = page.find("nav", aria_label="Main menu").find_all("a")
        assert reverse("accounts:contact_list") in [a.attrs.get("href") for a in links]

    def test_a_login_is_needed(self, client):
        response = client.get(reverse("accounts:contact_list"))
        assert response.status_code == 302

    @pytest.mark.parametrize("rows", [2, 30])
    def test_a_page_costs_the_same_queries_at_any_size(
        self, as_user, sales_user, rows, django_assert_max_num_queries
    ):
        for n in range(rows):
            ContactFactory(account=AccountFactory(), last_name=f"Name {n:02}", is_primary=True)
        client = as_user(sales_user)
        client.get(reverse("accounts:contact_list"))
        with django_assert_max_num_queries(6):
            response = client.get(reverse("accounts:contact_list"), {"q": "name"})
        assert len(response.context["object_list"]) == min(rows, 25)


def test_the_migration_fills_the_search_words_of_existing_contacts(monkeypatch):
    """Migration 0026 gives every contact the words contact_save keeps, in batches by id."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0026_fill_contact_search")
    jurgen = ContactFactory(first_name="Jürgen", last_name="Müller", phone="+49 221 1234")
    eva = ContactFactory(first_name="Eva", last_name="Vos", email="eva@acme.example")
    Contact.objects.update(search="")
    monkeypatch.setattr(migration, "BATCH", 1)
    migration.fill_contact_search(apps, None)
    assert Contact.objects.get(pk=jurgen.pk).search == (
        f"JURGEN MULLER JURGEN@EXAMPLE.COM +49 221 1234 {jurgen.account.name.upper()}"
    )
    assert Contact.objects.get(pk=eva.pk).search == (
        f"EVA VOS EVA@ACME.EXAMPLE {eva.account.name.upper()}"
    )


def test_a_listed_contact_opens_on_its_account_page(as_user, sales_user):
    contact = ContactFactory(first_name="Eva", last_name="Vos")
    client = as_user(sales_user)
    row = parse(client.get(reverse("accounts:contact_list")).content).find(
        "tr", data_contact=str(contact.pk)
    )
    link = row.find("td").find("a")
    assert link.text == "Eva Vos"
    url, anchor = link.attrs["href"].split("#")
    assert url == contact.account.get_absolute_url()
    page = parse(client.get(url).content)
    assert page.find("tr", id=anchor).find("td").text == "Eva Vos"
