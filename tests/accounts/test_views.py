from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from accounts.models import Account, AccountChange, Address, Contact, Industry, RelationshipType
from accounts.selectors import account_suggestions
from tests.accounts.factories import (
    AccountFactory,
    AddressFactory,
    ContactFactory,
    IndustryFactory,
)
from tests.accounts.factories import relationship_type as rtype
from tests.html import field_errors, parse, rows
from tests.picker import account_box, picked, typed

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def create_data(**overrides) -> dict:
    return {
        "name": "Bodywork Group Elfsquad",
        "relationship_type": rtype(RelationshipType.CUSTOMER).pk,
        "industry": IndustryFactory(name="_Automotive").pk,
        "business_unit": "",
        "parent": "",
        "email": "info@elfsquad.example",
        "phone": "+31 40 123 4567",
        "website": "https://elfsquad.example",
        "crm4_id": "",
        "visit-street": "Kastanjelaan 12",
        "visit-postal_code": "5616 LZ",
        "visit-city": "Eindhoven",
        "visit-country": "NL",
        "mailing-same_as_visit": "on",
        **overrides,
    }


def edit_data(account: Account, **overrides) -> dict:
    return {
        "name": account.name,
        "relationship_type": account.relationship_type_id,
        "industry": account.industry_id,
        "business_unit": account.business_unit,
        "parent": "",
        "email": account.email,
        "phone": account.phone,
        "website": account.website,
        "crm4_id": account.crm4_id,
        **overrides,
    }


class TestLoginRequired:
    @pytest.mark.parametrize("name", ["accounts:list", "accounts:create", "accounts:lookup"])
    def test_anonymous_users_are_sent_to_the_login_page(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_account_page_needs_login(self, client):
        account = AccountFactory()
        response = client.get(reverse("accounts:detail", args=[account.pk]))
        assert response.status_code == 302

    def test_a_user_without_a_role_cannot_see_accounts(self, as_user, no_group_user):
        assert as_user(no_group_user).get(reverse("accounts:list")).status_code == 403


class TestAccountList:
    def test_search_finds_name_city_and_email(self, as_user, sales_user):
        elf = AccountFactory(name="Bodywork Group Elfsquad", email="info@elf.example")
        other = AccountFactory(name="Acme", email="sales@acme.example")
        Address.objects.filter(account=other, kind=Address.Kind.VISIT).update(city="Utrecht")
        client = as_user(sales_user)
        for term, expected in [("elfsq", [elf]), ("UTRECHT", [other]), ("acme.example", [other])]:
            response = client.get(reverse("accounts:list"), {"q": term})
            assert list(response.context["object_list"]) == expected, term

    def test_filters(self, as_user, sales_user):
        customer = AccountFactory(relationship_type=rtype(RelationshipType.CUSTOMER))
        on_hold = AccountFactory(credit_hold=True)
        german = AccountFactory()
        Address.objects.filter(account=german, kind=Address.Kind.VISIT).update(country="DE")
        client = as_user(sales_user)
        url = reverse("accounts:list")
        assert list(
            client.get(url, {"relationship_type": customer.relationship_type_id}).context[
                "object_list"
            ]
        ) == [customer]
        assert list(client.get(url, {"credit_hold": "true"}).context["object_list"]) == [on_hold]
        assert list(client.get(url, {"country": "DE"}).context["object_list"]) == [german]

    def test_sort_by_city_and_type(self, as_user, sales_user):
        for name, city in [("A", "Zwolle"), ("B", "Arnhem"), ("C", "Maastricht")]:
            account = AccountFactory(name=name)
            Address.objects.filter(account=account, kind=Address.Kind.VISIT).update(city=city)
        client = as_user(sales_user)
        names = lambda sort: [  # noqa: E731
            a.name
            for a in client.get(reverse("accounts:list"), {"sort": sort}).context["object_list"]
        ]
        assert names("city") == ["B", "C", "A"]
        assert names("-city") == ["A", "C", "B"]
        assert names("name") == ["A", "B", "C"]

    def test_rows_show_name_city_type_and_a_link(self, as_user, sales_user):
        account = AccountFactory(name="Bodywork Group Elfsquad", industry__name="_Automotive")
        response = as_user(sales_user).get(reverse("accounts:list"))
        assert response.status_code == 200
        [row] = rows(response.content)
        assert row[:5] == ["Bodywork Group Elfsquad", "Eindhoven", "NL", "Prospect", "_Automotive"]
        page = parse(response.content)
        assert page.find("tbody").find("a").attrs["href"] == account.get_absolute_url()
        assert page.find("p", class_="count").text == "1 account"

    def test_paginates_by_25(self, as_user, sales_user):
        AccountFactory.create_batch(30)
        client = as_user(sales_user)
        assert len(client.get(reverse("accounts:list")).context["object_list"]) == 25
        assert len(client.get(reverse("accounts:list"), {"page": 2}).context["object_list"]) == 5

    def test_a_search_counts_matches_up_to_a_lower_cap(self, as_user, sales_user, monkeypatch):
        """Searches stop counting sooner than plain lists: each counted match costs a scan."""
        monkeypatch.setattr("accounts.views.SEARCH_COUNT_CAP", 2)
        monkeypatch.setattr("accounts.views.COUNT_CAP", 3)
        AccountFactory.create_batch(4, name="Bouwbedrijf")
        client = as_user(sales_user)

        def count(**query):
            content = client.get(reverse("accounts:list"), query).content
            return parse(content).find("p", class_="count").text

        assert count(q="bouw").startswith("More than 2 accounts match")
        assert count().startswith("More than 3 accounts match")
        AccountFactory.create_batch(1, name="Other")
        assert count(q="other") == "1 account"

    def test_an_unknown_filter_value_does_not_crash(self, as_user, sales_user):
        response = as_user(sales_user).get(
            reverse("accounts:list"), {"relationship_type": "nonsense", "sort": "evil", "page": "x"}
        )
        assert response.status_code in (200, 404)

    @pytest.mark.parametrize("rows", [3, 25])
    def test_query_count_does_not_grow_with_rows(
        self, as_user, sales_user, rows, django_assert_max_num_queries
    ):
        AccountFactory.create_batch(rows, credit_hold=True)
        client = as_user(sales_user)
        # Session, user, 2 permissions, the type and industry choices, capped count, page,
        # and the page's visit addresses.
        with django_assert_max_num_queries(9):
            response = client.get(reverse("accounts:list"), {"sort": "city", "q": "company"})
        assert len(response.context["object_list"]) == rows


class TestAccountDetail:
    def test_shows_addresses_contacts_family_and_credit_history(self, as_user, accounting_user):
        parent = AccountFactory(name="Parent Holding")
        account = AccountFactory(name="Daughter", parent=parent, credit_limit=Decimal("5000"))
        AccountFactory(name="Grandchild", parent=account)
        ContactFactory(account=account, first_name="Ada", last_name="Lovelace")
        AddressFactory(account=account, name="Shipping", city="Tilburg")
        AccountChange.objects.create(
            account=account,
            field="credit_limit",
            old_value="",
            new_value="5000.00",
            changed_by=accounting_user,
            changed_at="2026-11-01T10:00:00Z",
        )
        page = parse(as_user(accounting_user).get(account.get_absolute_url()).content)
        details = page.find("section", aria_labelledby="details-h")
        assert parent.get_absolute_url() in [a.attrs["href"] for a in details.find_all("a")]
        assert details.find("ul", class_="inline-list").text == "Grandchild"
        assert [card.find("h3").text for card in page.find_all("div", class_="address")] == [
            "Visit address",
            "Mailing address",
            "Shipping",
        ]
        assert "Tilburg" in page.find_all("div", class_="address")[2].find("address").text
        contacts = page.find("section", aria_labelledby="contacts-h")
        assert [row.find("td").text for row in contacts.find_all("tr")[1:]] == ["Ada Lovelace"]
        credit = page.find("section", aria_labelledby="credit-h")
        assert credit.find("dd").text == "5,000.00"
        # Accounting may not change addresses, so the button is not offered.
        addresses = page.find("section", aria_labelledby="addresses-h")
        assert addresses.find_all("button") == []

    def test_addresses_are_listed_visit_mailing_then_others(self, as_user, sales_user):
        account = AccountFactory()
        AddressFactory(account=account, name="Alpha warehouse")
        page = parse(as_user(sales_user).get(account.get_absolute_url()).content)
        assert [card.find("h3").text for card in page.find_all("div", class_="address")] == [
            "Visit address",
            "Mailing address",
            "Alpha warehouse",
        ]

    @override_settings(CRM4_RECORD_URL="http://crm4.test/accts?id={id}")
    def test_crm4_tab_with_the_record_url_only_when_imported(self, as_user, sales_user):
        imported = AccountFactory(crm4_id="{ABC-123}")
        native = AccountFactory()
        client = as_user(sales_user)
        tab = parse(client.get(imported.get_absolute_url()).content).find(
            "section", aria_labelledby="crm4-h"
        )
        url = tab.find("input", id="crm4-url").attrs["value"]
        assert url == "http://crm4.test/accts?id=%7BABC-123%7D"
        assert tab.find("button").attrs["data-copy-target"] == "crm4-url"
        native_page = parse(client.get(native.get_absolute_url()).content)
        assert native_page.find_all(id="crm4-h") == []

    def test_a_po_box_visit_address_is_warned_about(self, as_user, sales_user):
        account = AccountFactory()
        Address.objects.filter(account=account, kind=Address.Kind.VISIT).update(street="Postbus 12")
        content = as_user(sales_user).get(account.get_absolute_url()).content.decode()
        assert "A PO box cannot be placed on the map" in content

    @pytest.mark.parametrize("rows", [1, 10])
    def test_query_count_does_not_grow_with_rows(
        self, as_user, accounting_user, rows, django_assert_max_num_queries
    ):
        account = AccountFactory(parent=AccountFactory())
        ContactFactory.create_batch(rows, account=account)
        AddressFactory.create_batch(rows, account=account)
        AccountFactory.create_batch(rows, parent=account)
        for _ in range(rows):
            AccountChange.objects.create(
                account=account,
                field="credit_hold",
                new_value="Yes",
                changed_by=accounting_user,
                changed_at="2026-11-01T10:00:00Z",
            )
        client = as_user(accounting_user)
        # Session, user, 2 permissions; account, addresses, contacts, children, history;
        # the sales panel's quotes, orders, open invoices (and their count past five), exposure.
        with django_assert_max_num_queries(14):
            response = client.get(account.get_absolute_url())
        assert response.status_code == 200

    def test_management_sees_but_cannot_edit(self, as_user, management_user):
        account = AccountFactory()
        client = as_user(management_user)
        assert client.get(account.get_absolute_url()).status_code == 200
        assert client.get(reverse("accounts:update", args=[account.pk])).status_code == 403
        response = client.post(reverse("accounts:update", args=[account.pk]), edit_data(account))
        assert response.status_code == 403


class TestAccountCreate:
    def test_sales_creates_an_account_with_its_addresses(self, as_user, sales_user):
        response = as_user(sales_user).post(reverse("accounts:create"), create_data())
        account = Account.objects.get()
        assert response.status_code == 302 and response.url == account.get_absolute_url()
        assert "Account “Bodywork Group Elfsquad” was created." in messages_of(response)
        mailing = account.addresses.get(kind=Address.Kind.MAILING)
        assert (mailing.street, mailing.city) == ("Kastanjelaan 12", "Eindhoven")

    def test_a_different_mailing_address(self, as_user, sales_user):
        data = create_data(
            **{
                "mailing-same_as_visit": "",
                "mailing-street": "Postbus 90",
                "mailing-postal_code": "5600 AA",
                "mailing-city": "Eindhoven",
                "mailing-country": "NL",
            }
        )
        del data["mailing-same_as_visit"]
        as_user(sales_user).post(reverse("accounts:create"), data)
        mailing = Address.objects.get(kind=Address.Kind.MAILING)
        assert mailing.street == "Postbus 90"

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", "", "This field is required."),
            ("email", "not-an-email", "Enter a valid email address."),
            ("phone", "call me", "Enter a phone number"),
            ("website", "not a site", "Enter a valid URL."),
            ("industry", "", "This field is required."),
            ("visit-country", "XX", "Select a valid choice."),
            ("crm4_id", "not a guid", "Enter the CRM4 id as the old CRM shows it"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_saved(
        self, as_user, sales_user, admin_user, field, value, message
    ):
        # Only an administrator types a CRM4 id.
        user = admin_user if field == "crm4_id" else sales_user
        response = as_user(user).post(reverse("accounts:create"), create_data(**{field: value}))
        assert response.status_code == 200
        assert message in field_errors(response.content, field)
        assert not Account.objects.exists()
        # What the user typed stays in the form.
        page = parse(response.content)
        assert page.find("input", name="visit-street").attrs["value"] == "Kastanjelaan 12"
        if typed := page.find_all("input", name=field):
            assert typed[0].attrs.get("value", "") == value

    def test_a_likely_duplicate_warns_and_links_before_saving(self, as_user, sales_user):
        existing = AccountFactory(name="Bodywork Group B.V.")
        client = as_user(sales_user)
        response = client.post(reverse("accounts:create"), create_data(name="bodywork group"))
        assert response.status_code == 200
        assert "This account may exist already" in response.content.decode()
        assert existing.get_absolute_url() in response.content.decode()
        assert Account.objects.count() == 1
        response = client.post(
            reverse("accounts:create"), create_data(name="bodywork group", save_anyway="on")
        )
        assert response.status_code == 302
        assert Account.objects.count() == 2

    def test_the_same_name_in_another_country_is_no_duplicate(self, as_user, sales_user):
        AccountFactory(name="Bodywork Group")
        response = as_user(sales_user).post(
            reverse("accounts:create"),
            create_data(name="Bodywork Group", **{"visit-country": "DE"}),
        )
        assert response.status_code == 302

    def test_without_a_country_a_similar_name_anywhere_warns(self, as_user, sales_user):
        """No country typed: the duplicate may be in any country, so every one is searched."""
        existing = AccountFactory(name="Apex Trading")
        response = as_user(sales_user).post(
            reverse("accounts:create"),
            create_data(name="Apex Trading B.V.", **{"visit-country": ""}),
        )
        assert response.status_code == 200
        assert existing.get_absolute_url() in response.content.decode()
        assert Account.objects.count() == 1

    def test_renaming_to_a_likely_duplicate_warns_before_saving(self, as_user, sales_user):
        existing = AccountFactory(name="Apex Trading")
        account = AccountFactory(name="Apex Logistics")
        client = as_user(sales_user)
        url = reverse("accounts:update", args=[account.pk])
        response = client.post(url, edit_data(account, name="apex trading gmbh"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "This account may exist already" in page and existing.get_absolute_url() in page
        assert 'value="apex trading gmbh"' in page
        account.refresh_from_db()
        assert account.name == "Apex Logistics"
        response = client.post(url, edit_data(account, name="apex trading gmbh", save_anyway="on"))
        assert response.status_code == 302
        account.refresh_from_db()
        assert account.name == "apex trading gmbh"

    def test_saving_an_account_under_its_own_name_does_not_warn(self, as_user, sales_user):
        AccountFactory(name="Apex Trading", business_unit="Benelux")
        account = AccountFactory(name="Apex Trading")  # accepted as a different company before
        response = as_user(sales_user).post(
            reverse("accounts:update", args=[account.pk]),
            edit_data(account, phone="+31 40 123 4567"),
        )
        assert response.status_code == 302

    def test_only_underscore_industries_are_offered(self, as_user, sales_user):
        IndustryFactory(name="_Healthcare")
        Industry.objects.create(name="Legacy industry")
        form = as_user(sales_user).get(reverse("accounts:create")).context["form"]
        names = {i.name for i in form.fields["industry"].queryset}
        assert "_Healthcare" in names and "Legacy industry" not in names

    def test_a_legacy_industry_stays_on_an_old_record(self, as_user, sales_user):
        legacy = Industry.objects.create(name="Legacy industry")
        account = AccountFactory(industry=legacy)
        response = as_user(sales_user).post(
            reverse("accounts:update", args=[account.pk]), edit_data(account, name="Renamed")
        )
        assert response.status_code == 302
        account.refresh_from_db()
        assert (account.name, account.industry) == ("Renamed", legacy)

    def test_a_po_box_is_saved_with_a_warning(self, as_user, sales_user):
        response = as_user(sales_user).post(
            reverse("accounts:create"), create_data(**{"visit-street": "PO Box 123"})
        )
        assert response.status_code == 302
        assert any("PO box" in m for m in messages_of(response))

    def test_a_user_without_add_permission_cannot_create(self, as_user, accounting_user):
        response = as_user(accounting_user).post(reverse("accounts:create"), create_data())
        assert response.status_code == 403
        assert not Account.objects.exists()


class TestCreditOnPages:
    def test_sales_sees_credit_fields_read_only(self, as_user, sales_user):
        account = AccountFactory()
        form = (
            as_user(sales_user).get(reverse("accounts:update", args=[account.pk])).context["form"]
        )
        assert form.fields["credit_limit"].disabled and form.fields["credit_hold"].disabled

    def test_sales_posting_credit_fields_changes_nothing_and_is_told(self, as_user, sales_user):
        account = AccountFactory(credit_limit=Decimal("1000"))
        response = as_user(sales_user).post(
            reverse("accounts:update", args=[account.pk]),
            edit_data(account, name="New name", credit_limit="999999", credit_hold="on"),
        )
        assert response.status_code == 302
        account.refresh_from_db()
        assert account.name == "New name"
        assert (account.credit_limit, account.credit_hold) == (Decimal("1000"), False)
        assert not account.changes.exists()
        assert any("Only Accounting" in m for m in messages_of(response))

    def test_sales_creating_with_credit_fields_is_told(self, as_user, sales_user):
        response = as_user(sales_user).post(
            reverse("accounts:create"), create_data(credit_limit="5000")
        )
        account = Account.objects.get()
        assert account.credit_limit is None
        assert any("Only Accounting" in m for m in messages_of(response))

    def test_accounting_changes_credit_and_the_page_shows_the_history(
        self, as_user, accounting_user
    ):
        account = AccountFactory()
        client = as_user(accounting_user)
        response = client.post(
            reverse("accounts:update", args=[account.pk]),
            edit_data(
                account, credit_limit="7500.00", credit_hold="on", credit_hold_reason="Disputes"
            ),
        )
        assert response.status_code == 302
        account.refresh_from_db()
        assert (account.credit_limit, account.credit_hold) == (Decimal("7500"), True)
        history = [
            row[1:]
            for row in rows(client.get(account.get_absolute_url()).content)
            if row[2] in ("Credit limit", "Credit hold")
        ]
        assert sorted(history) == [
            [str(accounting_user), "Credit hold", "No", "Yes"],
            [str(accounting_user), "Credit limit", "—", "7500.00"],
        ]

    def test_a_negative_limit_is_explained(self, as_user, accounting_user):
        account = AccountFactory()
        response = as_user(accounting_user).post(
            reverse("accounts:update", args=[account.pk]), edit_data(account, credit_limit="-5")
        )
        assert response.status_code == 200
        assert "greater than or equal to 0" in field_errors(response.content, "credit_limit")
        account.refresh_from_db()
        assert account.credit_limit is None


class TestParent:
    def test_a_parent_is_picked_by_the_suggestion_picked(self, as_user, sales_user):
        """Two accounts have the name: the id of the suggestion picked says which."""
        AccountFactory(name="Holding")
        parent = AccountFactory(name="Holding")
        account = AccountFactory()
        as_user(sales_user).post(
            reverse("accounts:update", args=[account.pk]),
            edit_data(account, **picked("parent", parent)),
        )
        account.refresh_from_db()
        assert account.parent == parent

    def test_a_parent_typed_in_full_is_the_one_account_of_that_name(self, as_user, sales_user):
        """Without JavaScript, or without picking: the whole name is enough when it is unique."""
        parent = AccountFactory(name="Holding Europe")
        AccountFactory(name="Holding Europe West")
        account = AccountFactory()
        as_user(sales_user).post(
            reverse("accounts:update", args=[account.pk]),
            edit_data(account, **typed("parent", "HOLDING europe")),
        )
        account.refresh_from_db()
        assert account.parent == parent

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("Holding", "Pick an account from the suggestions."),
            ("Twin", "Several accounts have this name: pick one from the suggestions."),
        ],
    )
    def test_a_parent_not_picked_is_explained_and_the_name_kept(
        self, as_user, sales_user, name, message
    ):
        AccountFactory(name="Holding Europe")
        AccountFactory.create_batch(2, name="Twin")
        account = AccountFactory(name="Child Company")
        response = as_user(sales_user).post(
            reverse("accounts:update", args=[account.pk]),
            edit_data(account, name="Child Company Renamed", **typed("parent", name)),
        )
        assert response.status_code == 200
        assert field_errors(response.content, "parent") == message
        assert account_box(response.content, "parent") == (name, "")
        assert parse(response.content).find("input", name="name").attrs["value"] == (
            "Child Company Renamed"
        )
        account.refresh_from_db()
        assert (account.name, account.parent) == ("Child Company", None)

    def test_the_edit_page_shows_the_parents_name_and_keeps_its_id_aside(self, as_user, sales_user):
        parent = AccountFactory(name="Holding")
        account = AccountFactory(parent=parent)
        response = as_user(sales_user).get(reverse("accounts:update", args=[account.pk]))
        assert account_box(response.content, "parent") == ("Holding", str(parent.pk))

    def test_a_loop_is_explained_on_the_form(self, as_user, sales_user):
        top = AccountFactory(name="Top")
        child = AccountFactory(name="Child", parent=top)
        response = as_user(sales_user).post(
            reverse("accounts:update", args=[top.pk]), edit_data(top, **picked("parent", child))
        )
        assert response.status_code == 200
        assert field_errors(response.content, "parent") == (
            "This parent would make a loop: the account is above it already."
        )
        top.refresh_from_db()
        assert top.parent is None

    def test_hq_with_a_parent_is_explained(self, as_user, sales_user):
        parent = AccountFactory(name="Holding")
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("accounts:update", args=[account.pk]),
            edit_data(account, business_unit="hq", **picked("parent", parent)),
        )
        assert response.status_code == 200
        assert field_errors(response.content, "parent") == (
            "A headquarters (business unit HQ) has no parent account."
        )
        account.refresh_from_db()
        assert (account.business_unit, account.parent) == ("", None)

    def test_lookup_suggests_accounts_by_name(self, as_user, sales_user):
        holding = AccountFactory(name="Holding Europe")
        AccountFactory(name="Other")
        response = as_user(sales_user).get(reverse("accounts:lookup"), {"q": "hold"})
        assert response.json()["results"] == [
            {"id": holding.pk, "name": "Holding Europe", "city": "Eindhoven"}
        ]

    def test_suggestions_come_with_their_city_in_one_query(self, django_assert_num_queries):
        """Up to 20, each with its visit address's city (empty without one)."""
        for n in range(22):
            AccountFactory(name=f"Holding {n:02}", visit__city=f"City {n:02}")
        AccountFactory(name="Holding Nowhere", visit=None)
        with django_assert_num_queries(1):
            found = account_suggestions(term="holding")
        assert [(a.name, a.city) for a in found[:2]] == [
            ("Holding 00", "City 00"),
            ("Holding 01", "City 01"),
        ]
        assert len(found) == 20
        assert [a.city for a in account_suggestions(term="Holding N")] == [None]


class TestCopyVisitToMailing:
    def test_the_button_copies_and_says_so(self, as_user, sales_user):
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("accounts:copy_visit_to_mailing", args=[account.pk])
        )
        assert response.status_code == 302
        assert account.addresses.get(kind=Address.Kind.MAILING).city == "Eindhoven"
        assert "The visit address was copied to the mailing address." in messages_of(response)

    def test_only_a_post_copies(self, as_user, sales_user):
        account = AccountFactory()
        url = reverse("accounts:copy_visit_to_mailing", args=[account.pk])
        assert as_user(sales_user).get(url).status_code == 405
        assert account.addresses.get(kind=Address.Kind.MAILING).city == ""

    def test_accounting_cannot_change_addresses(self, as_user, accounting_user):
        account = AccountFactory()
        url = reverse("accounts:copy_visit_to_mailing", args=[account.pk])
        assert as_user(accounting_user).post(url).status_code == 403
        assert account.addresses.get(kind=Address.Kind.MAILING).city == ""


class TestAddressPages:
    def test_add_a_shipping_address(self, as_user, sales_user):
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("accounts:address_create", args=[account.pk]),
            {
                "name": "Shipping",
                "street": "Dock 4",
                "postal_code": "3011",
                "city": "Rotterdam",
                "country": "NL",
            },
        )
        assert response.status_code == 302
        assert account.addresses.get(name="Shipping").city == "Rotterdam"

    def test_a_duplicate_address_name_is_explained(self, as_user, sales_user):
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("accounts:address_create", args=[account.pk]),
            {"name": "visit", "street": "Dock 4", "city": "Rotterdam", "country": "NL"},
        )
        assert response.status_code == 200
        assert "already has an address with this name" in response.content.decode()
        assert account.addresses.count() == 2

    def test_edit_the_visit_address_keeps_its_name(self, as_user, sales_user):
        account = AccountFactory()
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        response = as_user(sales_user).post(
            reverse("accounts:address_update", args=[visit.pk]),
            {
                "name": "Hacked",
                "street": "Markt 1",
                "postal_code": "5611",
                "city": "Eindhoven",
                "country": "NL",
            },
        )
        assert response.status_code == 302
        visit.refresh_from_db()
        assert (visit.name, visit.street) == ("Visit", "Markt 1")

    def test_remove_asks_first_then_removes(self, as_user, sales_user):
        shipping = AddressFactory(name="Shipping")
        client = as_user(sales_user)
        url = reverse("accounts:address_delete", args=[shipping.pk])
        page = parse(client.get(url).content)
        assert page.find("h1").text == f"Remove {shipping}?"
        assert Address.objects.filter(pk=shipping.pk).exists()
        assert client.post(url).status_code == 302
        assert not Address.objects.filter(pk=shipping.pk).exists()

    def test_visit_and_mailing_cannot_be_removed(self, as_user, sales_user):
        account = AccountFactory()
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        response = as_user(sales_user).post(reverse("accounts:address_delete", args=[visit.pk]))
        assert response.status_code == 404
        assert account.addresses.count() == 2


class TestContactPages:
    def test_add_a_contact_with_the_pen(self, as_user, sales_user):
        account = AccountFactory()
        client = as_user(sales_user)
        assert (
            reverse("accounts:contact_create", args=[account.pk])
            in client.get(account.get_absolute_url()).content.decode()
        )
        response = client.post(
            reverse("accounts:contact_create", args=[account.pk]),
            {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"},
        )
        assert response.status_code == 302
        assert account.contacts.get().email == "grace@example.com"

    def test_bad_contact_input_is_explained(self, as_user, sales_user):
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("accounts:contact_create", args=[account.pk]),
            {"first_name": "Grace", "last_name": "", "email": "nope"},
        )
        assert response.status_code == 200
        assert field_errors(response.content, "last_name") == "This field is required."
        assert field_errors(response.content, "email") == "Enter a valid email address."
        assert parse(response.content).find("input", name="first_name").attrs["value"] == "Grace"
        assert not Contact.objects.exists()

    def test_a_contact_stays_with_its_account(self, as_user, sales_user):
        contact = ContactFactory()
        other = AccountFactory()
        as_user(sales_user).post(
            reverse("accounts:contact_update", args=[contact.pk]),
            {"last_name": "Renamed", "account": other.pk},
        )
        contact.refresh_from_db()
        assert contact.last_name == "Renamed" and contact.account != other

    def test_remove_a_contact_after_confirmation(self, as_user, sales_user):
        contact = ContactFactory()
        client = as_user(sales_user)
        url = reverse("accounts:contact_delete", args=[contact.pk])
        assert client.get(url).status_code == 200
        assert Contact.objects.filter(pk=contact.pk).exists()
        assert client.post(url).status_code == 302
        assert not Contact.objects.filter(pk=contact.pk).exists()

    @pytest.mark.parametrize("role", ["accounting_user", "management_user", "no_group_user"])
    def test_other_roles_cannot_change_contacts(self, as_user, role, request):
        contact = ContactFactory(last_name="Original")
        client = as_user(request.getfixturevalue(role))
        assert (
            client.post(
                reverse("accounts:contact_update", args=[contact.pk]), {"last_name": "X"}
            ).status_code
            == 403
        )
        assert client.post(reverse("accounts:contact_delete", args=[contact.pk])).status_code == 403
        contact.refresh_from_db()
        assert contact.last_name == "Original"


class TestAccountDelete:
    def test_only_admins_delete_accounts(self, as_user, sales_user, admin_user, client):
        account = AccountFactory()
        url = reverse("accounts:delete", args=[account.pk])
        assert as_user(sales_user).post(url).status_code == 403
        assert as_user(admin_user).post(url).status_code == 302
        assert not Account.objects.filter(pk=account.pk).exists()

    def test_an_account_with_orders_is_kept_and_the_reason_shown(self, as_user, admin_user):
        """Deleting an account that documents refer to explains why instead of failing."""
        from tests.sales.factories import OrderFactory

        order = OrderFactory()
        account = order.customer
        response = as_user(admin_user).post(reverse("accounts:delete", args=[account.pk]))
        assert response.status_code == 302 and response.url == account.get_absolute_url()
        assert Account.objects.filter(pk=account.pk).exists()
        assert any("cannot be deleted" in m for m in messages_of(response))


class TestRobustness:
    def test_a_sales_edit_survives_a_credit_change_made_meanwhile(self, as_user, sales_user):
        """Accounting changed the limit while Sales had the form open: Sales' edit still saves."""
        account = AccountFactory(credit_limit=Decimal("1000"))
        data = edit_data(account, name="Renamed while open")
        Account.objects.filter(pk=account.pk).update(credit_limit=Decimal("2000"))
        response = as_user(sales_user).post(reverse("accounts:update", args=[account.pk]), data)
        assert response.status_code == 302
        account.refresh_from_db()
        assert (account.name, account.credit_limit) == ("Renamed while open", Decimal("2000"))

    def test_an_account_without_its_visit_address_still_shows(self, as_user, sales_user):
        account = AccountFactory()
        Address.objects.filter(account=account, kind=Address.Kind.VISIT).delete()
        client = as_user(sales_user)
        assert client.get(account.get_absolute_url()).status_code == 200
        response = client.post(reverse("accounts:copy_visit_to_mailing", args=[account.pk]))
        assert response.status_code == 302
        assert any("no visit address" in m for m in messages_of(response))


class TestMistakesAndEdgeCases:
    """A typo, an empty address, a bad page number: each refused or shown sensibly."""

    def test_a_credit_limit_typo_is_refused_not_taken_as_no_limit(self, as_user, accounting_user):
        account = AccountFactory(credit_limit=Decimal("75000"))
        client = as_user(accounting_user)
        form = client.get(reverse("accounts:update", args=[account.pk])).context["form"]
        # A number box would send "" for "5e", which reads as "no limit".
        assert form.fields["credit_limit"].widget.input_type == "text"
        response = client.post(
            reverse("accounts:update", args=[account.pk]), edit_data(account, credit_limit="5e")
        )
        assert response.status_code == 200
        assert field_errors(response.content, "credit_limit") == "Enter a number."
        account.refresh_from_db()
        assert account.credit_limit == Decimal("75000")

    def test_copying_an_empty_visit_address_is_refused(self, as_user, sales_user):
        account = AccountFactory(
            visit__street="", visit__postal_code="", visit__city="", visit__country=""
        )
        Address.objects.filter(account=account, kind=Address.Kind.MAILING).update(
            street="Postfach 4835", city="Leipzig", country="DE"
        )
        response = as_user(sales_user).post(
            reverse("accounts:copy_visit_to_mailing", args=[account.pk])
        )
        assert any("visit address is empty" in m for m in messages_of(response))
        assert account.addresses.get(kind=Address.Kind.MAILING).street == "Postfach 4835"

    def test_the_copy_button_asks_before_replacing_a_mailing_address(self, as_user, sales_user):
        account = AccountFactory()
        client = as_user(sales_user)
        assert "data-confirm=" not in client.get(account.get_absolute_url()).content.decode()
        Address.objects.filter(account=account, kind=Address.Kind.MAILING).update(
            street="Postfach 4835", city="Leipzig", country="DE"
        )
        content = client.get(account.get_absolute_url()).content.decode()
        assert (
            'data-confirm="Replace the mailing address (Postfach 4835, Leipzig, Germany)' in content
        )

    def test_a_further_address_needs_street_city_and_country(self, as_user, sales_user):
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("accounts:address_create", args=[account.pk]), {"name": "Invoicing"}
        )
        assert response.status_code == 200
        assert "Fill in the street, city and country" in response.content.decode()
        assert account.addresses.count() == 2

    @pytest.mark.parametrize(("page", "expected"), [("999", 2), ("abc", 1), ("0", 1)])
    def test_a_bad_page_number_shows_the_nearest_page(self, as_user, sales_user, page, expected):
        AccountFactory.create_batch(30)
        response = as_user(sales_user).get(reverse("accounts:list"), {"page": page})
        assert response.status_code == 200
        assert response.context["page_obj"].number == expected

    def test_the_sort_choice_offers_name_once(self, as_user, sales_user):
        form = as_user(sales_user).get(reverse("accounts:list")).context["filter"].form
        labels = [label for _, label in form.fields["sort"].choices]
        assert labels.count("Name") == 1

    def test_a_po_box_warning_is_shown_once_on_the_account_page(
        self, as_user, sales_user, django_capture_on_commit_callbacks
    ):
        from accounts import services

        account = AccountFactory()
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        with django_capture_on_commit_callbacks(execute=True):
            services.address_save(address=visit, user=sales_user, fields={"street": "Postbus 12"})
        content = as_user(sales_user).get(account.get_absolute_url()).content.decode()
        assert content.count("A PO box cannot be placed on the map") == 1


class TestCopyVisitToMailingButton:
    def test_no_question_when_the_mailing_address_is_the_visit_address_already(
        self, as_user, sales_user
    ):
        """Copying onto an identical mailing address loses nothing, so nothing is asked."""
        account = AccountFactory()
        Address.objects.filter(account=account, kind=Address.Kind.MAILING).update(
            street="Kastanjelaan 12", postal_code="5616 LZ", city="Eindhoven", country="NL"
        )
        content = as_user(sales_user).get(account.get_absolute_url()).content.decode()
        assert "Copy visit address to mailing address</button>" in content
        assert "data-confirm=" not in content

    def test_an_empty_visit_address_disables_the_button_and_says_why(self, as_user, sales_user):
        """With nothing to copy the button is disabled with a note; the server still refuses."""
        account = AccountFactory(
            visit__street="", visit__postal_code="", visit__city="", visit__country=""
        )
        client = as_user(sales_user)
        content = client.get(account.get_absolute_url()).content.decode()
        assert (
            '<button type="submit" class="button" disabled aria-describedby="copy-note">'
            "Copy visit address to mailing address</button>" in content
        )
        assert "The visit address is empty: fill it in first." in content
        response = client.post(reverse("accounts:copy_visit_to_mailing", args=[account.pk]))
        assert any("visit address is empty" in m for m in messages_of(response))

    def test_a_filled_visit_address_offers_the_button(self, as_user, sales_user):
        account = AccountFactory()
        content = as_user(sales_user).get(account.get_absolute_url()).content.decode()
        assert (
            '<button type="submit" class="button">Copy visit address to mailing address</button>'
            in content
        )
        assert "fill it in first" not in content
