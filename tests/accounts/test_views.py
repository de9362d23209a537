from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account, AccountChange, Address, Contact, Industry, RelationshipType
from accounts.selectors import account_suggestions
from tests.accounts.factories import (
    AccountFactory,
    AddressFactory,
    ContactFactory,
    IndustryFactory,
    visit_update,
)
from tests.accounts.factories import relationship_type as rtype
from tests.html import field_errors, parse, rows
from tests.picker import account_box, picked, typed
from tests.users.factories import UserFactory

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


def listed(response) -> list[str]:
    """The names in the list's table, top to bottom."""
    table = parse(response.content).find_all("table", data_testid="account-list")
    return [row[0] for row in rows(response.content)] if table else []


def count_line(response) -> str:
    return parse(response.content).find("p", class_="count").text


class TestAccountList:
    def test_search_finds_name_city_and_email(self, as_user, sales_user):
        AccountFactory(name="Bodywork Group Elfsquad", email="info@elf.example")
        other = AccountFactory(name="Acme", email="sales@acme.example")
        visit_update(other, city="Utrecht")
        client = as_user(sales_user)
        for term, expected in [
            ("elfsq", ["Bodywork Group Elfsquad"]),
            ("UTRECHT", ["Acme"]),
            ("acme.example", ["Acme"]),
        ]:
            assert listed(client.get(reverse("accounts:list"), {"q": term})) == expected, term

    def test_a_search_with_punctuation_matches_the_whole_word(self, as_user, sales_user):
        """An email address is looked up by its longest run of letters ("huismanadvies"),
        but only the accounts holding the whole address are listed."""
        AccountFactory(name="Huisman Advies", email="info@huismanadvies.nl")
        AccountFactory(name="Huisman Advies BE", email="info@huismanadvies.be")
        AccountFactory(name="Huismanadvies Holding", email="post@holding.example")
        AccountFactory(name="De Vries", email="")
        AccountFactory(name="De_Vries Wildcard", email="")
        client = as_user(sales_user)
        search = lambda term: listed(client.get(reverse("accounts:list"), {"q": term}))  # noqa: E731
        assert search("info@huismanadvies.nl") == ["Huisman Advies"]
        assert search("INFO@Huismanadvies") == ["Huisman Advies", "Huisman Advies BE"]
        assert search("huismanadvies") == [
            "Huisman Advies",
            "Huisman Advies BE",
            "Huismanadvies Holding",
        ]
        # LIKE's wildcards are letters like any other.
        assert search("de_vries") == ["De_Vries Wildcard"]
        assert search("de%vries") == []

    def test_search_ignores_accents_and_case(self, as_user, sales_user):
        """ "dusseldorf" finds Düsseldorf, "koln" Köln, and "KÖLN" finds them too."""
        duesseldorf = AccountFactory(name="Rheinmetall")
        visit_update(duesseldorf, city="Düsseldorf", country="DE")
        AccountFactory(name="Kölner Stahlbau GmbH")
        client = as_user(sales_user)
        search = lambda term: listed(client.get(reverse("accounts:list"), {"q": term}))  # noqa: E731
        assert search("dusseldorf") == ["Rheinmetall"]
        assert search("DÜSSELDORF") == ["Rheinmetall"]
        assert search("koln") == ["Kölner Stahlbau GmbH"]
        assert search("KÖLNER stahl") == ["Kölner Stahlbau GmbH"]

    @pytest.mark.parametrize("search", ["d'arte", "D\u2019Arte"])
    def test_either_apostrophe_finds_either(self, as_user, sales_user, search):
        AccountFactory(name="Studio D\u2019Arte")
        AccountFactory(name="Galerie D'Arte")
        AccountFactory(name="Arte Povera")
        found = listed(as_user(sales_user).get(reverse("accounts:list"), {"q": search}))
        assert sorted(found) == ["Galerie D'Arte", "Studio D\u2019Arte"]

    def test_a_search_sees_a_saved_change_at_once(self, as_user, sales_user):
        from accounts import services

        account = AccountFactory(name="Old Name", email="")
        services.account_update(account=account, user=sales_user, fields={"name": "Zeeland Bouw"})
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        services.address_save(
            address=visit, user=sales_user, fields={"city": "Middelburg"}, geocode=False
        )
        client = as_user(sales_user)
        assert listed(client.get(reverse("accounts:list"), {"q": "zeeland middelburg"})) == [
            "Zeeland Bouw"
        ]
        assert listed(client.get(reverse("accounts:list"), {"q": "old"})) == []

    def test_filters(self, as_user, sales_user):
        customer = AccountFactory(name="Cust", relationship_type=rtype(RelationshipType.CUSTOMER))
        AccountFactory(name="Held", credit_hold=True, industry__name="_Retail")
        german = AccountFactory(name="German")
        visit_update(german, country="DE")
        client = as_user(sales_user)
        url = reverse("accounts:list")
        assert listed(client.get(url, {"relationship_type": customer.relationship_type_id})) == [
            "Cust"
        ]
        assert listed(client.get(url, {"credit_hold": "true"})) == ["Held"]
        assert listed(client.get(url, {"credit_hold": "false", "q": "held"})) == []
        assert listed(client.get(url, {"country": "DE"})) == ["German"]
        retail = Industry.objects.get(name="_Retail")
        assert listed(client.get(url, {"industry": retail.pk})) == ["Held"]

    def test_sort_by_every_column_both_ways_with_empty_cities_last(self, as_user, sales_user):
        for name, city, country, type_code, industry in [
            ("A", "Zwolle", "NL", RelationshipType.CUSTOMER, "_Retail"),
            ("B", "Arnhem", "BE", RelationshipType.PROSPECT, "_Energy"),
            ("C", "Maastricht", "DE", "supplier", "_Agriculture"),
            ("D", "", "", "partner", "_Construction"),
        ]:
            account = AccountFactory(
                name=name, relationship_type=rtype(type_code), industry__name=industry
            )
            visit_update(account, city=city, country=country)
        client = as_user(sales_user)
        names = lambda sort: listed(client.get(reverse("accounts:list"), {"sort": sort}))  # noqa: E731
        assert names("city") == ["B", "C", "A", "D"]
        assert names("-city") == ["A", "C", "B", "D"]
        assert names("country") == ["B", "C", "A", "D"]
        assert names("-country") == ["A", "C", "B", "D"]
        assert names("name") == ["A", "B", "C", "D"]
        assert names("-name") == ["D", "C", "B", "A"]
        assert names("type") == ["A", "D", "B", "C"]
        assert names("-type") == ["C", "B", "D", "A"]
        assert names("industry") == ["C", "D", "B", "A"]
        assert names("-industry") == ["A", "B", "D", "C"]

    @pytest.mark.parametrize("sort", ["city", "type", "industry", "country"])
    def test_within_a_city_type_or_industry_accounts_read_by_name(self, as_user, sales_user, sort):
        """As the tester expected: sorted by city, the Bonn rows by name, not as created."""
        for name in ["Van Dijk", "Nova", "Maas", "Hanse", "Atlas"]:
            account = AccountFactory(
                name=name, relationship_type=rtype(RelationshipType.CUSTOMER), industry__name="_X"
            )
            visit_update(account, city="Bonn", country="DE")
        client = as_user(sales_user)
        names = lambda sort: listed(client.get(reverse("accounts:list"), {"sort": sort}))  # noqa: E731
        assert names(sort) == ["Atlas", "Hanse", "Maas", "Nova", "Van Dijk"]
        assert names(f"-{sort}") == ["Van Dijk", "Nova", "Maas", "Hanse", "Atlas"]

    def test_column_headers_sort_and_say_how(self, as_user, sales_user):
        AccountFactory()
        client = as_user(sales_user)
        page = parse(client.get(reverse("accounts:list"), {"sort": "city", "q": "company"}).content)
        headers = {th.text.rstrip(" ▲▼"): th for th in page.find("thead").find_all("th")}
        assert headers["City"].attrs["aria-sort"] == "ascending"
        assert "aria-sort" not in headers["Name"].attrs
        # The current sort's header sorts the other way; the others sort their way, each with
        # the search kept.
        assert headers["City"].find("a").attrs["href"] == "?sort=-city&q=company"
        assert headers["Industry"].find("a").attrs["href"] == "?sort=industry&q=company"
        page = parse(client.get(reverse("accounts:list"), {"sort": "-city"}).content)
        city = next(th for th in page.find("thead").find_all("th") if "City" in th.text)
        assert city.attrs["aria-sort"] == "descending"
        assert not page.find("thead").find_all("a", href="?sort=email")

    def test_rows_show_name_city_type_and_a_link(self, as_user, sales_user):
        account = AccountFactory(name="Bodywork Group Elfsquad", industry__name="_Automotive")
        response = as_user(sales_user).get(reverse("accounts:list"))
        assert response.status_code == 200
        [row] = rows(response.content)
        assert row[:5] == ["Bodywork Group Elfsquad", "Eindhoven", "NL", "Prospect", "_Automotive"]
        page = parse(response.content)
        assert page.find("tbody").find("a").attrs["href"] == account.get_absolute_url()
        assert count_line(response) == "1 account"

    def test_pages_of_25_forwards_backwards_and_last(self, as_user, sales_user):
        """Next, Previous, First and Last walk the list in its order, each row once."""
        for n in range(60):
            AccountFactory(name=f"Company {n:02}")
        client = as_user(sales_user)
        url = reverse("accounts:list")

        def follow(response, rel_text):
            nav = parse(response.content).find("nav", class_="pagination")
            link = next(a for a in nav.find_all("a") if rel_text in a.text)
            return client.get(url + link.attrs["href"])

        first = client.get(url, {"sort": "-name"})
        assert listed(first)[:2] == ["Company 59", "Company 58"]
        assert count_line(first) == "Accounts 1 to 25; more on the next pages"
        second = follow(first, "Next")
        assert listed(second)[0] == "Company 34"
        third = follow(second, "Next")
        assert listed(third) == [f"Company {n:02}" for n in range(9, -1, -1)]
        assert count_line(third) == "Accounts 51 to 60 of 60"
        assert not [a for a in parse(third.content).find_all("a") if "Next" in a.text]
        back = follow(third, "Previous")
        assert listed(back) == listed(second)
        assert count_line(back) == "Accounts 26 to 50; more on the next pages"
        last = follow(first, "Last")
        assert listed(last) == [f"Company {n:02}" for n in range(24, -1, -1)]
        assert count_line(last) == "The last 25 accounts"
        assert listed(follow(follow(last, "Previous"), "Previous")) == listed(first)
        assert listed(follow(last, "First")) == listed(first)

    def test_pages_cross_from_cities_to_accounts_without_one(self, as_user, sales_user):
        for n in range(20):
            AccountFactory(name=f"With {n:02}")
        for n in range(10):
            visit_update(AccountFactory(name=f"Without {n:02}"), city="")
        client = as_user(sales_user)
        first = client.get(reverse("accounts:list"), {"sort": "city"})
        nav = parse(first.content).find("nav", class_="pagination")
        next_url = next(a for a in nav.find_all("a") if "Next" in a.text).attrs["href"]
        second = client.get(reverse("accounts:list") + next_url)
        assert listed(second) == [f"Without {n:02}" for n in range(5, 10)]

    @pytest.mark.parametrize(
        "query",
        [
            {"relationship_type": "nonsense"},
            {"sort": "evil"},
            {"after": "not-a-cursor"},
            {"before": "WzEsMCwiXHUwMDAwIiwxXQ"},  # a cursor holding a NUL
            # A lone surrogate, which neither database takes as text.
            {"after": "WzEsMCwiXHVkODAwIiwxXQ", "q": "bodywork"},
            {"before": "WzEsMCwiXHVkODAwIiwxXQ"},
            {"last": "x", "page": "x"},
        ],
    )
    def test_a_bad_value_never_crashes(self, as_user, sales_user, query):
        AccountFactory.create_batch(2)
        response = as_user(sales_user).get(reverse("accounts:list"), query)
        assert response.status_code == 200

    def test_a_filter_error_names_the_field_as_the_page_labels_it(self, as_user, sales_user):
        response = as_user(sales_user).get(
            reverse("accounts:list"), {"sort": "evil", "relationship_type": "x"}
        )
        errors = [
            li.text
            for li in parse(response.content).find("div", class_="form-errors").find_all("li")
        ]
        assert errors == [
            "Type: “x” is not one of the choices.",
            "Sort by: “evil” is not one of the choices.",
        ]
        assert (
            "relationship_type"
            not in parse(response.content).find("div", class_="form-errors").text
        )

    @pytest.mark.parametrize(
        "query",
        [
            {},
            {"sort": "-name"},
            {"sort": "city"},
            {"sort": "-city"},
            {"sort": "country"},
            {"sort": "-country"},
            {"sort": "type"},
            {"sort": "-type"},
            {"sort": "industry"},
            {"sort": "-industry"},
            {"q": "company"},
            {"q": "nothing-matches-this"},
            {"q": "eindhoven", "sort": "city"},
            {"relationship_type": "1"},
            {"industry": "1"},
            {"country": "NL"},
            {"credit_hold": "true"},
            {"owner": "mine"},
            {"owner": "none", "sort": "-city"},
            {"status": "inactive"},
            {"status": "all", "sort": "type"},
            {"last": "1"},
            {"last": "1", "sort": "-city"},
        ],
    )
    def test_a_page_costs_five_queries_at_most(
        self, as_user, sales_user, query, django_assert_max_num_queries
    ):
        """Session, user, rights, and the page: one query, two when it crosses from the accounts
        with a city to those without (blank cities come last)."""
        AccountFactory.create_batch(20, credit_hold=True)
        AccountFactory.create_batch(20)
        for account in AccountFactory.create_batch(10):
            visit_update(account, city="", country="")
        client = as_user(sales_user)
        client.get(reverse("accounts:list"), query)  # the filter choices, cached once
        with django_assert_max_num_queries(5):
            response = client.get(reverse("accounts:list"), query)
        assert response.status_code == 200
        with django_assert_max_num_queries(5):
            nav = parse(response.content).find_all("nav", class_="pagination")
            for link in nav[0].find_all("a") if nav else []:
                assert client.get(reverse("accounts:list") + link.attrs["href"]).status_code == 200
                break


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
        assert credit.find("dd").text == "€5,000.00"
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
        # the sales panel's quotes, orders, open invoices (and their count past five), exposure;
        # the timeline's page keys, the records on the page and their users
        # (tests/activities/test_views.py).
        with django_assert_max_num_queries(22):
            response = client.get(account.get_absolute_url())
        assert response.status_code == 200

    def test_child_accounts_and_history_are_read_only_when_there_are_some(
        self, as_user, accounting_user, django_assert_num_queries
    ):
        """Most accounts have neither: the account's own query says so, and a reader's page is
        then session, user, rights, account, addresses and contacts."""
        reader = UserFactory()
        reader.user_permissions.set([Permission.objects.get(codename="view_account")])
        account = AccountFactory()
        client = as_user(reader)
        client.get(account.get_absolute_url())
        with django_assert_num_queries(6):
            page = parse(client.get(account.get_absolute_url()).content)
        assert "No changes recorded." in page.text
        assert "Child accounts" not in page.text

        AccountFactory(name="Dochter B.V.", parent=account)
        AccountChange.objects.create(
            account=account,
            field="credit_hold",
            new_value="Yes",
            changed_by=accounting_user,
            changed_at="2026-11-01T10:00:00Z",
        )
        with django_assert_num_queries(8):
            page = parse(client.get(account.get_absolute_url()).content)
        assert "Child accounts" in [h.text for h in page.find_all("h3")]
        assert page.find("ul", class_="inline-list").text.strip() == "Dochter B.V."
        assert "No changes recorded." not in page.text

        # Owner changes name their users, all of them in one more query.
        for owner in UserFactory.create_batch(3):
            AccountChange.objects.create(
                account=account,
                field="owner",
                new_value=owner.username,
                changed_by=accounting_user,
                changed_at="2026-11-02T10:00:00Z",
            )
        with django_assert_num_queries(9):
            client.get(account.get_absolute_url())

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

    def test_same_as_visit_comes_before_the_mailing_fields_it_reveals(self, as_user, sales_user):
        """Unticked by keyboard, it showed the fields above it: Tab went on to Save."""
        page = parse(as_user(sales_user).get(reverse("accounts:create")).content.decode())
        mailing = page.find("fieldset", class_="mailing-address")
        names = [box.attrs["name"] for box in mailing.find_all() if "name" in box.attrs]
        assert names[0] == "mailing-same_as_visit", names
        assert "mailing-street" in names

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
            [str(accounting_user), "Credit limit", "—", "€7,500.00"],
        ]

    def test_a_long_history_shows_its_latest_changes_and_where_the_rest_are(
        self, as_user, accounting_user
    ):
        """Years of credit changes must not make the page grow: the latest ten show, newest
        first, and the timeline's "Account changes" holds them all."""
        account = AccountFactory()
        for day in range(1, 13):
            AccountChange.objects.create(
                account=account,
                field="credit_limit",
                old_value=str(day - 1),
                new_value=str(day),
                changed_by=accounting_user,
                changed_at=f"2026-11-{day:02d}T10:00:00Z",
            )
        client = as_user(accounting_user)
        page = parse(client.get(account.get_absolute_url()).content)
        credit = page.find("section", aria_labelledby="credit-h")
        shown = [row.find_all("td")[4].text for row in credit.find("tbody").find_all("tr")]
        assert shown == [f"€{day:,}.00" for day in range(12, 2, -1)]
        more = credit.find("a", data_all_changes="")
        assert more.attrs["href"] == "?show=history#timeline"
        history = parse(client.get(account.get_absolute_url() + more.attrs["href"]).content)
        assert len(history.find("ol", class_="timeline").find_all("li")) == 12

        AccountChange.objects.filter(changed_at__day__gt=10).delete()
        page = parse(client.get(account.get_absolute_url()).content)
        credit = page.find("section", aria_labelledby="credit-h")
        assert len(credit.find("tbody").find_all("tr")) == 10
        assert not credit.find_all("a", data_all_changes="")

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
        assert [(a["name"], a["listing_city"]) for a in found[:2]] == [
            ("Holding 00", "City 00"),
            ("Holding 01", "City 01"),
        ]
        assert len(found) == 20
        assert [a["listing_city"] for a in account_suggestions(term="Holding Nowhere")] == [""]

    def test_suggestions_search_as_the_list_does(self):
        """An account box finds "Köln" for "koln", as the account list does."""
        AccountFactory(name="Kölner Stahlbau GmbH")
        assert [a["name"] for a in account_suggestions(term="koln")] == ["Kölner Stahlbau GmbH"]


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

    @pytest.mark.parametrize(
        "name",
        [
            "Bezoekadres", "postadres", "Visit address", "MAILING ADDRESS", " Bezoekadres ",
            # Look-alikes a tester slipped past: two spaces, a no-break space, a zero-width one.
            "Visit  address", "Visit\xa0address", "Bezoek\u200badres", "Visit\u200e address",
            "Post\xadadres",
        ],
    )  # fmt: skip
    def test_a_further_address_may_not_take_a_fixed_addresss_name(self, as_user, sales_user, name):
        """Quotes and orders list the fixed addresses by their kind's name in the reader's
        language ("Bezoekadres: ..."): a further one of that name could not be told apart."""
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("accounts:address_create", args=[account.pk]),
            {"name": name, "street": "Dock 4", "city": "Rotterdam", "country": "NL"},
        )
        assert response.status_code == 200
        assert "is what the visit address or the mailing address is called" in (
            field_errors(response.content, "name")
        )
        assert account.addresses.count() == 2

    def test_an_address_name_is_saved_as_it_reads(self, as_user, sales_user):
        """A zero-width space made a second "Shipping" the constraint could not see."""
        account = AccountFactory()
        AddressFactory(account=account, name="Shipping")
        client = as_user(sales_user)
        url = reverse("accounts:address_create", args=[account.pk])
        data = {"street": "Dock 4", "city": "Rotterdam", "country": "NL"}
        refused = client.post(url, {**data, "name": "Ship\u200bping"})
        assert "already has an address with this name" in refused.content.decode()
        assert client.post(url, {**data, "name": " Back\xa0 door\u2060 "}).status_code == 302
        assert account.addresses.filter(name="Back door").exists()

    def test_a_duplicate_address_name_is_explained(self, as_user, sales_user):
        account = AccountFactory()
        response = as_user(sales_user).post(
            reverse("accounts:address_create", args=[account.pk]),
            {"name": "visit", "street": "Dock 4", "city": "Rotterdam", "country": "NL"},
        )
        assert response.status_code == 200
        assert "already has an address with this name" in response.content.decode()
        assert account.addresses.count() == 2

    def test_the_mailing_address_form_is_headed_once_with_its_kind(self, as_user, sales_user):
        """ "Edit Mailing address address" read the heading once the kind named the address."""
        account = AccountFactory()
        mailing = account.addresses.get(kind=Address.Kind.MAILING)
        shipping = AddressFactory(account=account, name="Shipping")
        client = as_user(sales_user)
        url = lambda a: reverse("accounts:address_update", args=[a.pk])  # noqa: E731
        headings = [parse(client.get(url(a)).content).find("h1").text for a in (mailing, shipping)]
        assert headings == ["Edit Mailing address", "Edit Shipping address"]

    def test_a_dutch_user_reads_the_visit_and_mailing_addresses_in_dutch(self, as_user, sales_user):
        """Their stored names are English: the heading and the message name their kind."""
        sales_user.language = "nl"
        sales_user.save(update_fields=["language"])
        mailing = AccountFactory().addresses.get(kind=Address.Kind.MAILING)
        client = as_user(sales_user)
        url = reverse("accounts:address_update", args=[mailing.pk])
        assert parse(client.get(url).content).find("h1").text == "Postadres bewerken"
        response = client.post(
            url, {"street": "Postbus 12", "city": "Eindhoven", "country": "NL"}, follow=True
        )
        shown = [str(message) for message in response.context["messages"]]
        assert shown == ["Het adres “Postadres” is opgeslagen."], shown

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

    def test_the_confirmation_says_at_once_why_an_account_cannot_go(self, as_user, admin_user):
        """A tester was offered "Yes, remove" and only then told it could not be done."""
        from tests.activities.factories import ActivityFactory
        from tests.sales.factories import OrderFactory

        account = OrderFactory().customer
        ActivityFactory(account=account)
        page = parse(as_user(admin_user).get(reverse("accounts:delete", args=[account.pk])).content)
        refusal = page.find(class_="message-error").text
        assert "cannot be deleted" in refusal and "orders" in refusal and "activities" in refusal
        assert not page.find("main").find_all("button", class_="danger")
        assert page.find("a", href=account.get_absolute_url())

        free = AccountFactory()
        page = parse(as_user(admin_user).get(reverse("accounts:delete", args=[free.pk])).content)
        assert not page.find_all(class_="message-error")
        assert page.find("main").find("button", class_="danger")

        # One EXISTS a kind of record, however many the account has.
        client = as_user(admin_user)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("accounts:delete", args=[account.pk]))
        ContactFactory.create_batch(20, account=account)
        OrderFactory.create_batch(5, customer=account)
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("accounts:delete", args=[account.pk]))
        assert len(many.captured_queries) == len(few.captured_queries)


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
