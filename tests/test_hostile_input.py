"""Hostile input found by the audit of issue 7: each answer is a message, a 400 or a 404, never a
server error, and nothing is saved half-way. Run on SQLite and on PostgreSQL: the NUL cases
crashed on PostgreSQL only, the overflow ones on SQLite only."""

import time
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.forms import AccountForm
from accounts.models import Account, Address, RelationshipType
from common.search import SEARCH_CUT_MESSAGE, SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, search_bound
from sales.forms import OrderForm, QuoteForm
from sales.models import Order, Quote
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.factories import relationship_type as rtype
from tests.html import parse
from tests.picker import typed
from tests.sales.factories import (
    ApprovalFactory,
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    QuoteFactory,
    SellerAccountFactory,
)
from tests.users.factories import UserFactory
from users.forms import UserCrmAccountForm

pytestmark = pytest.mark.django_db

NON_FINITE = ["sNaN", "NaN", "Infinity", "-sNaN", "-Infinity"]


@pytest.fixture
def client_(client):
    """The test client answering server errors with a 500 response rather than raising."""
    client.raise_request_exception = False
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def document_data(customer: Account, **fields: str) -> dict[str, str]:
    data = {
        "customer": str(customer.pk),
        "customer_name": customer.name,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Service hour",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "100",
        "lines-0-discount_percent": "0",
    }
    return data | fields


def account_data(**fields: str) -> dict[str, str]:
    data = {
        "name": "Bodywork Group Elfsquad",
        "relationship_type": str(rtype(RelationshipType.CUSTOMER).pk),
        "industry": str(IndustryFactory(name="_Automotive").pk),
        "visit-street": "Kastanjelaan 12",
        "visit-postal_code": "5616 LZ",
        "visit-city": "Eindhoven",
        "visit-country": "NL",
        "mailing-same_as_visit": "on",
    }
    return data | fields


# --- NUL characters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (QuoteForm, "customer"),
        (QuoteForm, "seller_account"),
        (OrderForm, "customer"),
        (UserCrmAccountForm, "other_seller"),
    ],
)
def test_a_nul_in_an_account_box_is_a_form_error(form_class, field):
    """An account box refuses NUL before it looks the name up (PostgreSQL raised)."""
    AccountFactory(name="Acme")
    form = form_class(data={field: "Acme\x00"})
    assert not form.is_valid()
    assert form.errors[field] == ["Null characters are not allowed."]


def test_a_nul_in_the_parent_box_is_a_form_error(accounting_user):
    AccountFactory(name="Acme")
    form = AccountForm(data={"parent": "Acme\x00"}, user=accounting_user)
    assert not form.is_valid()
    assert form.errors["parent"] == ["Null characters are not allowed."]


@pytest.mark.parametrize(
    ("url_name", "box"),
    [("sales:quote_create", "customer"), ("sales:order_create", "customer")],
)
def test_a_pasted_nul_is_dropped_and_the_rest_is_saved(client_, sales_user, url_name, box):
    """Chromium sends a NUL pasted into a box: it is invisible and cannot be stored, so it is
    left out and what the user can see is kept (a 400 page lost the whole form)."""
    customer = CustomerFactory(name="Acme")
    client_.force_login(sales_user)
    data = document_data(customer, vat_rate="21", notes="Call\x00 first") | typed(box, "Acme\x00")
    response = client_.post(reverse(url_name), data)
    assert response.status_code == 302
    document = (Quote if url_name == "sales:quote_create" else Order).objects.get()
    assert document.customer == customer and document.notes == "Call first"


def test_a_bidi_override_is_dropped_so_it_cannot_reverse_the_pages_own_text(client_, sales_user):
    """A contact named "... \u202e evil" turned "Make ... the primary contact" backwards on the
    page (the override runs on past the name). Embedding and override controls are dropped; the
    right-to-left letters themselves are kept and show as they should."""
    account = AccountFactory()
    client_.force_login(sales_user)
    response = client_.post(
        reverse("accounts:contact_create", args=[account.pk]),
        {"first_name": "مرحبا\u2067", "last_name": "العالم \u202eevil\u202c", "email": ""},
    )
    assert response.status_code == 302
    contact = account.contacts.get()
    assert (contact.first_name, contact.last_name) == ("مرحبا", "العالم evil")


def test_a_nul_in_the_new_accounts_parent_box_is_dropped(client_, sales_user):
    parent = AccountFactory(name="Acme")
    client_.force_login(sales_user)
    response = client_.post(
        reverse("accounts:create"),
        account_data(name="Bodywork\x00 Group") | typed("parent", "Acme\x00"),
    )
    assert response.status_code == 302
    assert Account.objects.get(name="Bodywork Group").parent == parent


def test_a_nul_in_a_posted_field_name_is_a_bad_request(client_, admin_user):
    SellerAccountFactory(name="Acme")
    user = UserFactory()
    client_.force_login(admin_user)
    response = client_.post(
        reverse("users:crm_account", args=[user.pk]), {"crm_account\x00": "Acme"}
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.crm_account is None


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/lookup/?q=ab%00",
        "/accounts/lookup/sellers/?q=ab%00",
        "/accounts/?q=ab%00",
        "/quotes/?q=%00",
        "/map/?q=a%00b",
        "/admin/accounts/account/?q=ab%00",
        "/admin/autocomplete/?term=ab%00&app_label=accounts&model_name=contact&field_name=account",
        "/admin/autocomplete/?term=ab&app_label=accounts%00&model_name=contact&field_name=account",
        "/admin/accounts/account/?relationship_type__id__exact=1%00",
    ],
)
def test_a_nul_in_a_parameter_is_dropped(client_, admin_user, url):
    """A search pasted with a NUL searches for what can be seen of it."""
    AccountFactory(name="Abacus")
    client_.force_login(admin_user)
    mended = client_.get(url)
    as_if_typed_without = client_.get(url.replace("%00", ""))
    assert mended.status_code == as_if_typed_without.status_code
    assert mended.wsgi_request.GET == as_if_typed_without.wsgi_request.GET


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/?q%00=ab",
        "/accounts/%00/",
    ],
)
def test_a_nul_in_the_address_is_a_bad_request(client_, admin_user, url):
    """A NUL in the path or a parameter's name is nothing anyone typed: 400."""
    AccountFactory(name="Abacus")
    client_.force_login(admin_user)
    assert client_.get(url).status_code == 400


def test_a_session_cookie_with_a_nul_is_no_session(client_):
    """A forged session cookie holding NUL is ignored: the login page, not a crash."""
    client_.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client_.get(reverse("accounts:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- NaN, sNaN and Infinity in a decimal box ----------------------------------------------


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("url_name", ["sales:quote_create", "sales:order_create"])
@pytest.mark.parametrize("field", ["quantity", "unit_price", "discount_percent"])
def test_a_line_refuses_a_number_that_is_not_finite(client_, sales_user, url_name, field, value):
    customer = CustomerFactory(name="Acme")
    client_.force_login(sales_user)
    response = client_.post(
        reverse(url_name), document_data(customer, **{f"lines-0-{field}": value})
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors[field] == ["Enter a number."]
    assert (Quote.objects.count(), Order.objects.count()) == (0, 0)


@pytest.mark.parametrize("value", NON_FINITE)
def test_a_new_account_refuses_a_credit_limit_that_is_not_finite(client_, admin_user, value):
    client_.force_login(admin_user)
    before = Account.objects.count()
    response = client_.post(reverse("accounts:create"), account_data(credit_limit=value))
    assert response.status_code == 200
    assert response.context["form"].errors["credit_limit"] == ["Enter a number."]
    assert Account.objects.count() == before


@pytest.mark.parametrize("value", NON_FINITE)
def test_accounting_editing_a_credit_limit_that_is_not_finite_gets_a_form_error(
    client_, accounting_user, value
):
    account = AccountFactory(credit_limit=Decimal("500"))
    client_.force_login(accounting_user)
    response = client_.post(
        reverse("accounts:update", args=[account.pk]),
        {
            "name": account.name,
            "relationship_type": account.relationship_type_id,
            "industry": account.industry_id,
            "credit_limit": value,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["credit_limit"] == ["Enter a number."]
    account.refresh_from_db()
    assert account.credit_limit == Decimal("500")


@pytest.mark.parametrize("value", NON_FINITE)
def test_a_sales_users_non_finite_credit_limit_is_ignored_and_said(client_, sales_user, value):
    """The save went through before the comparison raised: now the page says what happened."""
    account = AccountFactory(credit_limit=Decimal("500"), phone="")
    client_.force_login(sales_user)
    response = client_.post(
        reverse("accounts:update", args=[account.pk]),
        {
            "name": account.name,
            "relationship_type": account.relationship_type_id,
            "industry": account.industry_id,
            "phone": "+31 40 123 4567",
            "credit_limit": value,
        },
    )
    assert response.status_code == 302
    assert any("credit" in m for m in messages_of(response))
    account.refresh_from_db()
    assert (account.phone, account.credit_limit) == ("+31 40 123 4567", Decimal("500"))


@pytest.mark.parametrize("value", NON_FINITE)
def test_the_admin_refuses_a_credit_limit_that_is_not_finite(client_, admin_user, value):
    account = AccountFactory(credit_limit=Decimal("500"))
    client_.force_login(admin_user)
    url = reverse("admin:accounts_account_change", args=[account.pk])
    form = client_.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {
        "credit_limit": value,
        **{f"{p}-{k}": "0" for p in ("addresses", "contacts") for k in ("INITIAL_FORMS",)},
        **{f"{p}-TOTAL_FORMS": "0" for p in ("addresses", "contacts")},
    }
    response = client_.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["credit_limit"] == ["Enter a number."]
    account.refresh_from_db()
    assert account.credit_limit == Decimal("500")


@pytest.mark.parametrize("value", [*NON_FINITE, "1.5", "²", "99999999999999999999", "1" * 5000])
@pytest.mark.parametrize("url_name", ["sales:quote_list", "sales:order_list", "sales:invoice_list"])
def test_a_customer_filter_that_is_no_id_lists_nothing(client_, sales_user, url_name, value):
    QuoteFactory()
    client_.force_login(sales_user)
    response = client_.get(reverse(url_name), {"customer": value})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []


# --- Numbers that are not what they seem ----------------------------------------------------


@pytest.mark.parametrize("value", ["²", "¹²", "99999999999999999999", "-1", "1" * 5000])
@pytest.mark.parametrize("url_name", ["sales:quote_create", "sales:order_create"])
def test_a_new_document_ignores_a_customer_that_is_no_id(client_, sales_user, url_name, value):
    """`"²".isdigit()` is True, yet int("²") fails: the customer box starts empty instead."""
    client_.force_login(sales_user)
    response = client_.get(reverse(url_name), {"customer": value})
    assert response.status_code == 200
    assert response.context["form"]["customer"].value() is None


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/99999999999999999999/",
        "/accounts/99999999999999999999/map/",
        "/accounts/99999999999999999999/map/map.js",
        "/accounts/99999999999999999999/edit/",
        "/quotes/99999999999999999999/",
        "/orders/99999999999999999999/",
        "/invoices/99999999999999999999/",
        "/users/99999999999999999999/crm-account/",
        "/sales/accounts/99999999999999999999/choices/",
        "/accounts/9223372036854775808/map/",
    ],
)
def test_an_id_past_64_bits_is_not_found(client_, admin_user, path):
    client_.force_login(admin_user)
    assert client_.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?created_at__year=99999999999999999999",
        "?created_at__year=2026&created_at__month=99999999999999999999",
        "?created_at__year=2026&created_at__month=1&created_at__day=99999999999999999999",
    ],
)
@pytest.mark.parametrize("model", ["quote", "order"])
def test_the_admin_date_hierarchy_refuses_a_year_past_9999(client_, admin_user, model, query):
    """Django's own answer to a bad filter: the list again, flagged as an error (?e=1)."""
    QuoteFactory()
    client_.force_login(admin_user)
    response = client_.get(reverse(f"admin:sales_{model}_changelist") + query)
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_the_approvals_date_hierarchy_refuses_a_year_past_9999(client_, admin_user):
    ApprovalFactory()
    client_.force_login(admin_user)
    url = reverse("admin:sales_approval_changelist") + "?decided_at__year=99999999999999999999"
    assert client_.get(url).status_code == 302


# --- Searches of a thousand words -----------------------------------------------------------


def test_the_bound_keeps_ten_words_of_at_most_200_characters():
    short = search_bound("  acme   panels ")
    assert (short.text, short.words, short.cut) == ("acme   panels", ["acme", "panels"], False)
    many = search_bound(" ".join(f"w{i}" for i in range(50)))
    assert (many.words, many.cut) == ([f"w{i}" for i in range(SEARCH_MAX_WORDS)], True)
    long = search_bound("x" * 500)
    assert (long.text, long.cut) == ("x" * 200, True)


THOUSAND_WORDS = " ".join(["acme"] * 999 + ["nomatch"])


def _object_list(context) -> list:
    return list(context["object_list"])


@pytest.mark.parametrize(
    ("url_name", "rows"),
    [
        # The account list's keyset page holds its rows itself.
        ("accounts:list", lambda context: context["page"].rows),
        ("sales:quote_list", _object_list),
        ("sales:order_list", _object_list),
        ("sales:invoice_list", _object_list),
    ],
)
def test_a_thousand_word_search_answers_quickly_with_the_first_ten(
    client_, admin_user, url_name, rows
):
    """The 1,000th word would exclude everything: it is ignored, and the page says so."""
    customer = CustomerFactory(name="Acme Panels")
    InvoiceFactory(order=OrderFactory(customer=customer, status=Order.Status.INVOICED))
    QuoteFactory(customer=customer)
    client_.force_login(admin_user)
    started = time.monotonic()
    response = client_.get(reverse(url_name), {"q": THOUSAND_WORDS})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    found = rows(response.context)
    assert len(found) == 1
    assert str(SEARCH_CUT_MESSAGE) in messages_of(response)


def test_a_thousand_word_search_on_the_map_uses_the_first_ten(client_, admin_user):
    CustomerFactory(name="Acme Panels")
    client_.force_login(admin_user)
    response = client_.get(reverse("maps:overview"), {"q": THOUSAND_WORDS})
    assert response.status_code == 200
    assert str(SEARCH_CUT_MESSAGE) in messages_of(response)


@pytest.mark.parametrize(
    "url_name",
    ["accounts:list", "accounts:contact_list", "maps:overview", "sales:quote_list"],
)
def test_a_search_box_takes_no_more_than_a_search_uses(client_, admin_user, url_name):
    """A paste of thousands of characters would make a URL the server refuses (414, with an
    unstyled page and the search lost); the box keeps what the search reads."""
    client_.force_login(admin_user)
    page = parse(client_.get(reverse(url_name)).content.decode())
    assert page.find("input", name="q").attrs["maxlength"] == str(SEARCH_MAX_CHARS)


@pytest.mark.parametrize(
    "url_name",
    ["accounts:list", "accounts:contact_list", "maps:overview", "sales:quote_list"],
)
def test_a_long_search_comes_back_in_its_box_as_it_was_read(client_, admin_user, url_name):
    """Contacts and the sales lists put all 3,000 characters back in the box, under a notice
    saying the rest after 200 was ignored (a tester)."""
    client_.force_login(admin_user)
    page = parse(client_.get(reverse(url_name), {"q": "x" * 3000}).content.decode())
    assert page.find("input", name="q").attrs["value"] == "x" * SEARCH_MAX_CHARS


def test_a_long_lookup_is_bounded(client_, admin_user):
    AccountFactory(name="Acme Panels")
    client_.force_login(admin_user)
    response = client_.get(reverse("accounts:lookup"), {"q": "Acme " + "x" * 5000})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "model", ["accounts/account", "accounts/contact", "sales/quote", "users/user", "auth/group"]
)
def test_a_thousand_word_admin_search_uses_the_first_ten(client_, admin_user, model):
    customer = CustomerFactory(name="Acme Panels")
    QuoteFactory(customer=customer)
    client_.force_login(admin_user)
    started = time.monotonic()
    response = client_.get(f"/admin/{model}/", {"q": THOUSAND_WORDS})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert str(SEARCH_CUT_MESSAGE) in messages_of(response)


def test_a_thousand_word_admin_search_finds_with_the_first_ten(client_, admin_user):
    CustomerFactory(name="Acme Panels")
    client_.force_login(admin_user)
    response = client_.get("/admin/accounts/account/", {"q": THOUSAND_WORDS})
    assert [a.name for a in response.context["cl"].result_list] == ["Acme Panels"]


def test_a_thousand_word_admin_autocomplete_answers(client_, admin_user):
    CustomerFactory(name="Acme Panels")
    client_.force_login(admin_user)
    response = client_.get(
        "/admin/autocomplete/",
        {
            "term": THOUSAND_WORDS,
            "app_label": "accounts",
            "model_name": "contact",
            "field_name": "account",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Acme Panels"]


# --- The admin's own forms ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["x", " ", "99999999999999999999", "²"])
def test_an_admin_account_box_that_is_no_id_is_a_form_error(client_, admin_user, value):
    """Django redrew the autocomplete box by querying id__in with the posted text: a 500."""
    client_.force_login(admin_user)
    before = Address.objects.count()
    response = client_.post(
        reverse("admin:accounts_address_add"),
        {"account": value, "name": "Depot", "street": "Kerkstraat 1", "city": "Utrecht"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["account"]
    assert Address.objects.count() == before


@pytest.mark.parametrize("value", ["", "x", "99999999999999999999", "²"])
def test_an_admin_action_on_rows_that_are_no_ids_does_nothing(client_, admin_user, value):
    order = OrderFactory()
    client_.force_login(admin_user)
    response = client_.post(
        reverse("admin:sales_order_changelist"),
        {"action": "cancel", "index": "0", "_selected_action": [value, str(order.pk)]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED


# --- The admin's CSV import -----------------------------------------------------------------


@pytest.mark.parametrize(
    "cells",
    [
        {"credit_limit": "sNaN"},
        {"credit_limit": "NaN"},
        {"credit_limit": "Infinity"},
        {"credit_limit": "99999999999999999999"},
        {"id": "²"},
        {"id": "99999999999999999999"},
        {"parent_id": "²"},
        {"parent_id": "99999999999999999999"},
        {"crm4_id": "A1\x00"},
        {"parent_crm4_id": "A1\x00"},
        {"name": "Acme\x00"},
        {"relationship_type": "customer\x00"},
        {"industry": "_automotive\x00"},
    ],
    ids=lambda cells: "-".join(f"{k}={v!r}" for k, v in cells.items()),
)
def test_an_import_with_a_hostile_cell_is_a_row_error(client_, admin_user, cells):
    """A file upload passes no middleware: the import itself refuses the row, saving nothing."""
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    IndustryFactory(name="_Automotive")
    row = {
        "id": "",
        "parent_id": "",
        "crm4_id": "A1B2C3D4-0001",
        "name": "Brabant Carrosserie B.V.",
        "relationship_type": "customer",
        "industry": "_automotive",
        "business_unit": "HQ",
        "parent_crm4_id": "",
        "credit_limit": "",
        "credit_hold": "No",
        "visit_street": "Kastanjelaan 12",
        "visit_postal_code": "5616 LZ",
        "visit_city": "Eindhoven",
        "visit_country": "NL",
    } | cells
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    upload = SimpleUploadedFile("accounts.csv", out.getvalue().encode(), content_type="text/csv")
    client_.force_login(admin_user)
    before = Account.objects.count()
    response = client_.post(
        reverse("admin:accounts_account_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_errors() or result.has_validation_errors()
    assert Account.objects.count() == before


def test_every_id_in_our_urls_is_bounded():
    """<int:pk> takes any number of digits, and SQLite overflows on 20 of them: use <id:pk>."""
    from django.urls import URLResolver, get_resolver

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.app_name != "admin":  # Django's own, guarded by SafeAdminMixin
                    yield from patterns(entry, route)
            else:
                yield route

    assert [route for route in patterns(get_resolver()) if "<int:" in route] == []
