"""Property-based fuzzing of every form and query parameter (issue 7).

Hostile values go into every POST endpoint of the app and the admin, and into every query
parameter of the lists, lookups, maps and admin changelists, as a superuser and in the roles the
pages are for. Two properties hold for every request:

- no answer is a server error (status 500 or above);
- a POST answered with the form again (200) or refused (400) changed nothing in the database.

FUZZ_EXAMPLES sets the examples per endpoint (default 12, about a minute a database on two
cores); FUZZ_REPORT names a file to which the totals are appended, for a long run:

    FUZZ_EXAMPLES=400 FUZZ_REPORT=/tmp/fuzz.txt make test PYTEST_ARGS="tests/test_fuzz.py"
"""

import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from sales.models import Order, Quote
from tests.accounts.factories import AccountFactory, AddressFactory, ContactFactory
from tests.activities.factories import ActivityFactory
from tests.sales.factories import (
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    QuoteFactory,
    QuoteLineFactory,
    SellerAccountFactory,
)
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

# Hypothesis keeps caches even without an example database: outside the repository.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "crm-hypothesis"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TOTALS: Counter = Counter()

# --- Hostile values -------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "sNaN",
    "-sNaN",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999999",
    "1E-999999",
    "²",
    "¹²³",
    "١٢",
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "1.5",
    "-0.01",
    "${x}",
    "`${document.cookie}`",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    '"; DROP TABLE accounts_account; --',
    "%",
    "_",
    "\\",
    "on",
    "true",
    "#1",
    "Acme #1",
    "Acme #99999999999999999999",
    "Q-",
    "O-0001",
    "2026-02-30",
    "99999-12-31",
    "\u202e\ufeff",
    "😀",
]
nasty = st.sampled_from(NASTY)
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
hostile = st.one_of(
    nasty,
    unicode_text,
    st.builds(lambda a, b: a + b, nasty, unicode_text),
    st.builds(
        lambda a, n: a * n, st.sampled_from(["x", "acme ", "9", " ", "é"]), st.integers(150, 3000)
    ),
    st.integers(-(2**70), 2**70).map(str),
)


def hostile_data(keys: list[str]) -> st.SearchStrategy[dict[str, str]]:
    """Hostile values for some of the keys, and now and then for a key no form knows."""
    return st.dictionaries(
        st.one_of(st.sampled_from(keys), st.sampled_from(["junk", "\x00", "é" * 50])),
        hostile,
        max_size=len(keys) + 1,
    )


# --- The world the requests act on ---------------------------------------------------------


@dataclass
class World:
    seller: Any
    customer: Any
    shipping: Any
    contact: Any
    seller_contact: Any
    draft: Any
    accepted_quote: Any
    pending: Any
    accepted: Any
    blocked: Any
    awaiting: Any
    invoice: Any
    linked_user: Any
    plain_user: Any
    users: dict[str, Any]
    note: Any = None
    task: Any = None


@pytest.fixture
def world(db) -> World:
    seller = SellerAccountFactory(name="Bodywork Group Elfsquad")
    customer = CustomerFactory(name="Acme Panels", credit_limit=Decimal("1000.00"))
    AccountFactory(name="Abacus Trading")
    shipping = AddressFactory(account=customer, name="Shipping")
    draft = QuoteFactory(customer=customer)
    QuoteLineFactory(quote=draft)
    accepted_quote = QuoteFactory(customer=customer, status=Quote.Status.ACCEPTED)
    QuoteLineFactory(quote=accepted_quote)
    orders = {
        status: OrderFactory(customer=customer, status=status)
        for status in (Order.Status.PENDING_APPROVAL, Order.Status.ACCEPTED, Order.Status.BLOCKED)
    }
    orders[Order.Status.AWAITING_PREPAYMENT] = OrderFactory(
        customer=customer, status=Order.Status.AWAITING_PREPAYMENT, prepaid=True
    )
    for order in orders.values():
        OrderLineFactory(order=order)
    seller_contact = ContactFactory(account=seller)
    world = World(
        seller=seller,
        customer=customer,
        shipping=shipping,
        contact=ContactFactory(account=customer),
        seller_contact=seller_contact,
        draft=draft,
        accepted_quote=accepted_quote,
        pending=orders[Order.Status.PENDING_APPROVAL],
        accepted=orders[Order.Status.ACCEPTED],
        blocked=orders[Order.Status.BLOCKED],
        awaiting=orders[Order.Status.AWAITING_PREPAYMENT],
        invoice=InvoiceFactory(order__customer=customer),
        linked_user=UserFactory(username="linked", crm_account=seller, crm_contact=seller_contact),
        plain_user=UserFactory(username="plain"),
        users={
            "admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
            "sales": UserFactory(username="sales", groups=["Sales"]),
            "accounting": UserFactory(username="accounting", groups=["Accounting"]),
            "management": UserFactory(username="management", groups=["Management"]),
        },
    )
    world.note = ActivityFactory(account=customer, created_by=world.users["sales"])
    world.task = ActivityFactory(
        account=customer, kind="task", created_by=world.users["sales"], contact=world.contact
    )
    return world


def client_for(world: World, role: str | None) -> Client:
    client = Client()
    if role:
        client.force_login(world.users[role])
    return client


# --- What must hold -------------------------------------------------------------------------

WATCHED = [
    "accounts.Account",
    "accounts.Address",
    "accounts.Contact",
    "accounts.AccountChange",
    "accounts.Industry",
    "accounts.RelationshipType",
    "sales.Quote",
    "sales.QuoteLine",
    "sales.Order",
    "sales.OrderLine",
    "sales.Invoice",
    "sales.Approval",
    "users.User",
    "activities.Activity",
]


def snapshot() -> dict[str, int]:
    """The row count of every model a form may touch."""
    return {label: apps.get_model(label).objects.count() for label in WATCHED}


def send(client: Client, method: str, url: str, data: dict[str, str]) -> Any:
    """One fuzzed request: never a server error; a refused POST changed no row count."""
    before = snapshot() if method == "post" else None
    TOTALS["requests"] += 1
    try:
        response = getattr(client, method)(url, data)
    except Exception:
        TOTALS["server errors"] += 1
        raise
    if response.status_code >= 500:
        TOTALS["server errors"] += 1
    assert response.status_code < 500, (method, url, data)
    if before is not None and response.status_code in (200, 400) and snapshot() != before:
        TOTALS["partial saves"] += 1
        pytest.fail(f"{method} {url} answered {response.status_code} but saved: {data!r}")
    return response


@pytest.fixture(scope="module", autouse=True)
def report_totals():
    yield
    path = os.environ.get("FUZZ_REPORT")
    if path:
        from django.db import connection

        with open(path, "a") as out:
            out.write(
                f"{connection.vendor}: examples/endpoint={EXAMPLES} requests={TOTALS['requests']} "
                f"server_errors={TOTALS['server errors']} "
                f"partial_saves={TOTALS['partial saves']}\n"
            )


# --- The app's forms ------------------------------------------------------------------------


def box(name: str, account: Any) -> dict[str, str]:
    """An account box with `account` picked: its hidden id and the name it shows."""
    return {name: str(account.pk), f"{name}_name": account.name}


def account_form(w: World) -> dict[str, str]:
    return {
        "name": "Bodywork Group Nieuw",
        "relationship_type": str(w.customer.relationship_type_id),
        "industry": str(w.customer.industry_id),
        "business_unit": "",
        **box("parent", w.seller),
        "email": "info@nieuw.example",
        "phone": "+31 40 123 4567",
        "website": "https://nieuw.example",
        "crm4_id": "",
        "credit_limit": "100",
        "credit_hold": "",
        "owner": str(w.users["sales"].pk),
        "save_anyway": "on",
    }


def address_form(prefix: str = "") -> dict[str, str]:
    fields = {"name": "Depot", "street": "Kastanjelaan 12", "postal_code": "5616 LZ"}
    fields |= {"city": "Eindhoven", "country": "NL"}
    return {f"{prefix}{k}": v for k, v in fields.items()}


def document_form(w: World) -> dict[str, str]:
    data = {
        **box("customer", w.customer),
        **box("seller_account", w.seller),
        "seller_contact": str(w.seller_contact.pk),
        "invoice_address": str(w.shipping.pk),
        "delivery_address": "",
        "valid_until": "",
        "notes": "",
        "prepaid": "",
        "customer_reference": "PO-1",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for i in range(2):
        data |= {
            f"lines-{i}-description": "Service hour",
            f"lines-{i}-quantity": "1",
            f"lines-{i}-unit_price": "10",
            f"lines-{i}-discount_percent": "0",
            f"lines-{i}-DELETE": "",
        }
    return data


@dataclass
class Post:
    name: str
    role: str
    url: Callable[[World], str]
    form: Callable[[World], dict[str, str]]


POSTS = [
    Post(
        "account create",
        "sales",
        lambda w: reverse("accounts:create"),
        lambda w: {
            **account_form(w),
            **address_form("visit-"),
            **address_form("mailing-"),
            "mailing-same_as_visit": "on",
        },
    ),
    Post(
        "account create (admin)",
        "admin",
        lambda w: reverse("accounts:create"),
        lambda w: {
            **account_form(w),
            **address_form("visit-"),
            "mailing-same_as_visit": "on",
        },
    ),
    Post(
        "account edit (sales)",
        "sales",
        lambda w: reverse("accounts:update", args=[w.customer.pk]),
        account_form,
    ),
    Post(
        "account edit (accounting)",
        "accounting",
        lambda w: reverse("accounts:update", args=[w.customer.pk]),
        account_form,
    ),
    Post(
        "address add",
        "sales",
        lambda w: reverse("accounts:address_create", args=[w.customer.pk]),
        lambda w: address_form(),
    ),
    Post(
        "address edit",
        "sales",
        lambda w: reverse("accounts:address_update", args=[w.shipping.pk]),
        lambda w: address_form(),
    ),
    Post(
        "contact add",
        "sales",
        lambda w: reverse("accounts:contact_create", args=[w.customer.pk]),
        lambda w: {
            "first_name": "Pat",
            "last_name": "Jansen",
            "job_title": "",
            "email": "",
            "phone": "",
            "mobile": "",
        },
    ),
    Post(
        "contact edit",
        "sales",
        lambda w: reverse("accounts:contact_update", args=[w.contact.pk]),
        lambda w: {"first_name": "Pat", "last_name": "Jansen", "email": "pat@example.com"},
    ),
    Post(
        "account owner (sales)",
        "sales",
        lambda w: reverse("accounts:owner", args=[w.customer.pk]),
        lambda w: {"owner": str(w.users["management"].pk)},
    ),
    Post(
        "account owner (management)",
        "management",
        lambda w: reverse("accounts:owner", args=[w.customer.pk]),
        lambda w: {"owner": ""},
    ),
    Post(
        "account inactive (management)",
        "management",
        lambda w: reverse("accounts:active", args=[w.customer.pk]),
        lambda w: {"active": ""},
    ),
    Post(
        "account active (accounting)",
        "accounting",
        lambda w: reverse("accounts:active", args=[w.customer.pk]),
        lambda w: {"active": "on"},
    ),
    Post(
        "contact primary",
        "sales",
        lambda w: reverse("accounts:contact_primary", args=[w.contact.pk]),
        lambda w: {"primary": "on"},
    ),
    Post(
        "copy visit to mailing",
        "sales",
        lambda w: reverse("accounts:copy_visit_to_mailing", args=[w.customer.pk]),
        lambda w: {},
    ),
    Post("quote create", "sales", lambda w: reverse("sales:quote_create"), document_form),
    Post(
        "quote edit",
        "sales",
        lambda w: reverse("sales:quote_update", args=[w.draft.pk]),
        document_form,
    ),
    Post(
        "quote status",
        "sales",
        lambda w: reverse("sales:quote_status", args=[w.draft.pk]),
        lambda w: {"status": "sent"},
    ),
    Post(
        "quote to order",
        "sales",
        lambda w: reverse("sales:quote_convert", args=[w.accepted_quote.pk]),
        lambda w: {"prepaid": "", "customer_reference": "PO-7"},
    ),
    Post("order create", "sales", lambda w: reverse("sales:order_create"), document_form),
    Post(
        "order cancel",
        "sales",
        lambda w: reverse("sales:order_cancel", args=[w.accepted.pk]),
        lambda w: {},
    ),
    Post(
        "order recheck",
        "sales",
        lambda w: reverse("sales:order_recheck", args=[w.blocked.pk]),
        lambda w: {"prepaid": ""},
    ),
    Post(
        "order approve",
        "management",
        lambda w: reverse("sales:order_decide", args=[w.pending.pk]),
        lambda w: {"decision": "approve", "comment": "Pays on time.", "next": "approvals"},
    ),
    Post(
        "order prepayment",
        "accounting",
        lambda w: reverse("sales:order_prepayment", args=[w.awaiting.pk]),
        lambda w: {"decision": "confirm", "comment": "Paid in advance.", "next": "approvals"},
    ),
    Post(
        "order invoice",
        "accounting",
        lambda w: reverse("sales:order_invoice", args=[w.accepted.pk]),
        lambda w: {},
    ),
    Post(
        "invoice paid",
        "accounting",
        lambda w: reverse("sales:invoice_paid", args=[w.invoice.pk]),
        lambda w: {},
    ),
    Post(
        "users page: CRM account",
        "admin",
        lambda w: reverse("users:crm_account", args=[w.plain_user.pk]),
        lambda w: box("crm_account", w.seller),
    ),
    Post(
        "users page: CRM contact",
        "admin",
        lambda w: reverse("users:crm_contact", args=[w.linked_user.pk]),
        lambda w: {"crm_contact": str(w.seller_contact.pk)},
    ),
    Post(
        "activity create",
        "sales",
        lambda w: reverse("activities:create", args=[w.customer.pk]),
        lambda w: {
            "kind": "task",
            "subject": "Call back",
            "body": "About the samples",
            "occurred_at": "2026-03-01T14:30",
            "contact": str(w.contact.pk),
            "quote": str(w.draft.pk),
            "order": str(w.accepted.pk),
            "assigned_to": str(w.users["management"].pk),
        },
    ),
    Post(
        "activity edit",
        "sales",
        lambda w: reverse("activities:update", args=[w.note.pk]),
        lambda w: {"kind": "note", "subject": "Corrected", "occurred_at": "2026-03-01T14:30"},
    ),
    Post(
        "activity done",
        "management",
        lambda w: reverse("activities:done", args=[w.task.pk]),
        lambda w: {"next": reverse("activities:my_work")},
    ),
    Post(
        "activity delete",
        "sales",
        lambda w: reverse("activities:delete", args=[w.note.pk]),
        lambda w: {},
    ),
    Post(
        "login",
        "",
        lambda w: reverse("login"),
        lambda w: {"username": "sales", "password": "wrong"},
    ),
]


@pytest.mark.parametrize("endpoint", POSTS, ids=lambda p: p.name)
def test_fuzz_posts(world, endpoint):
    client = client_for(world, endpoint.role)
    url = endpoint.url(world)
    base = endpoint.form(world)

    @FUZZ
    @given(hostile_data(list(base) or ["confirm"]))
    def run(changes: dict[str, str]) -> None:
        send(client, "post", url, {**base, **changes})

    run()


# --- The app's query parameters -------------------------------------------------------------

ACCOUNT_LIST_PARAMS = [
    "q",
    "relationship_type",
    "industry",
    "country",
    "credit_hold",
    "owner",
    "status",
    "sort",
    "after",
    "before",
    "last",
]
DOCUMENT_PARAMS = ["q", "customer", "customer_name", "status", "paid", "page"]

GETS: list[tuple[str, str, Callable[[World], str], list[str]]] = [
    ("account list", "sales", lambda w: reverse("accounts:list"), ACCOUNT_LIST_PARAMS),
    ("account lookup", "sales", lambda w: reverse("accounts:lookup"), ["q"]),
    ("contact list", "accounting", lambda w: reverse("accounts:contact_list"), ["q", "page"]),
    ("seller lookup", "sales", lambda w: reverse("accounts:seller_lookup"), ["q"]),
    (
        "account page",
        "sales",
        lambda w: reverse("accounts:detail", args=[w.customer.pk]),
        ["show", "before"],
    ),
    ("my work", "sales", lambda w: reverse("activities:my_work"), []),
    ("quote list", "sales", lambda w: reverse("sales:quote_list"), DOCUMENT_PARAMS),
    ("order list", "sales", lambda w: reverse("sales:order_list"), DOCUMENT_PARAMS),
    ("invoice list", "accounting", lambda w: reverse("sales:invoice_list"), DOCUMENT_PARAMS),
    ("approvals", "management", lambda w: reverse("sales:approval_list"), []),
    ("new quote", "sales", lambda w: reverse("sales:quote_create"), ["customer"]),
    ("new order", "sales", lambda w: reverse("sales:order_create"), ["customer"]),
    (
        "account choices",
        "sales",
        lambda w: reverse("sales:account_choices", args=[w.customer.pk]),
        [],
    ),
    ("users page", "admin", lambda w: reverse("users:list"), ["page"]),
    (
        "account map",
        "sales",
        lambda w: reverse("maps:account_map", args=[w.customer.pk]),
        ["radius", "sort", "page", "clear"],
    ),
    ("map overview", "sales", lambda w: reverse("maps:overview"), ACCOUNT_LIST_PARAMS),
]


@pytest.mark.parametrize(("name", "role", "url", "params"), GETS, ids=[g[0] for g in GETS])
def test_fuzz_query_parameters(world, name, role, url, params):
    client = client_for(world, role)
    target = url(world)

    @FUZZ
    @given(hostile_data(params or ["q"]))
    def run(query: dict[str, str]) -> None:
        send(client, "get", target, query)

    run()


ID_PATHS = [
    "/accounts/{}/",
    "/accounts/{}/edit/",
    "/accounts/{}/map/",
    "/quotes/{}/",
    "/quotes/{}/edit/",
    "/orders/{}/",
    "/invoices/{}/",
    "/contacts/{}/edit/",
    "/contacts/{}/primary/",
    "/addresses/{}/edit/",
    "/users/{}/crm-account/",
    "/users/{}/crm-contact/",
    "/sales/accounts/{}/choices/",
    "/activities/{}/edit/",
    "/activities/{}/delete/",
    "/admin/accounts/account/{}/change/",
    "/admin/sales/order/{}/change/",
]


@FUZZ
@given(path=st.sampled_from(ID_PATHS), part=hostile)
def test_fuzz_ids_in_paths(client, admin_user, path, part):
    client.force_login(admin_user)
    send(client, "get", path.format(part.replace("/", "")), {})


# --- The admin ------------------------------------------------------------------------------

ADMIN_LISTS = {
    "accounts/account": [
        "relationship_type__id__exact",
        "industry__id__exact",
        "country",
        "credit_hold__exact",
        "is_active__exact",
        "owner__id__exact",
    ],
    "accounts/contact": [],
    "accounts/address": ["kind__exact", "geocode_status__exact"],
    "accounts/accountchange": ["field__exact"],
    "accounts/industry": [],
    "accounts/relationshiptype": [],
    "sales/quote": ["status__exact", "created_at__year", "created_at__month", "created_at__day"],
    "sales/order": ["status__exact", "prepaid__exact", "created_at__year", "created_at__month"],
    "sales/invoice": ["paid_at__isempty", "date__gte", "date__lt", "date__year", "date__month"],
    "sales/approval": ["decision__exact", "decided_at__gte", "decided_at__year"],
    "activities/activity": [
        "kind__exact",
        "done_at__isempty",
        "deleted_at__isempty",
        "occurred_at__year",
        "occurred_at__month",
    ],
    "users/user": [
        "is_staff__exact",
        "is_superuser__exact",
        "is_active__exact",
        "groups__id__exact",
    ],
    "auth/group": [],
}


@pytest.mark.parametrize("model", list(ADMIN_LISTS))
def test_fuzz_admin_changelists(world, model):
    client = client_for(world, "admin")
    url = f"/admin/{model}/"

    @FUZZ
    @given(hostile_data(["q", "o", "p", "e", "all", *ADMIN_LISTS[model]]))
    def run(query: dict[str, str]) -> None:
        send(client, "get", url, query)

    run()


AUTOCOMPLETES = [
    ("accounts", "contact", "account"),
    ("accounts", "account", "parent"),
    ("accounts", "address", "account"),
    ("users", "user", "crm_account"),
]


@FUZZ
@given(
    target=st.sampled_from(AUTOCOMPLETES),
    term=hostile,
    page=st.one_of(st.just("1"), hostile),
    spoil=st.sampled_from(["", "app_label", "model_name", "field_name"]),
    junk=hostile,
)
def test_fuzz_admin_autocomplete(client, admin_user, target, term, page, spoil, junk):
    client.force_login(admin_user)
    query = dict(zip(("app_label", "model_name", "field_name"), target, strict=True))
    query |= {"term": term, "page": page}
    if spoil:
        query[spoil] = junk
    send(client, "get", "/admin/autocomplete/", query)


def admin_form_data(client: Client, url: str) -> dict[str, str]:
    """What the admin's change form would post unchanged: its fields and inline rows."""
    context = client.get(url).context
    data: dict[str, str] = {}

    def add(form: Any) -> None:
        for name in form.fields:
            value = form[name].value()
            if value in (None, False):
                continue
            data[form.add_prefix(name)] = (
                value if isinstance(value, list) else ("on" if value is True else str(value))
            )

    add(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data = {k: v for k, v in data.items() if not isinstance(v, list)}
    return data


ADMIN_FORMS: list[tuple[str, Callable[[World], str]]] = [
    ("account change", lambda w: reverse("admin:accounts_account_change", args=[w.customer.pk])),
    ("account add", lambda w: reverse("admin:accounts_account_add")),
    ("contact change", lambda w: reverse("admin:accounts_contact_change", args=[w.contact.pk])),
    ("address change", lambda w: reverse("admin:accounts_address_change", args=[w.shipping.pk])),
    ("address add", lambda w: reverse("admin:accounts_address_add")),
    ("industry add", lambda w: reverse("admin:accounts_industry_add")),
    ("relationship type add", lambda w: reverse("admin:accounts_relationshiptype_add")),
    ("quote change", lambda w: reverse("admin:sales_quote_change", args=[w.draft.pk])),
    ("order change", lambda w: reverse("admin:sales_order_change", args=[w.accepted.pk])),
    ("user change", lambda w: reverse("admin:users_user_change", args=[w.linked_user.pk])),
]


@pytest.mark.parametrize(("name", "url"), ADMIN_FORMS, ids=[f[0] for f in ADMIN_FORMS])
def test_fuzz_admin_forms(world, name, url):
    client = client_for(world, "admin")
    target = url(world)
    base = admin_form_data(client, target)
    keys = [k for k in base if not k.endswith("_FORMS")] or ["name"]
    keys += ["credit_limit", "parent", "account", "crm_account", "crm_contact", "name"]

    @FUZZ
    @given(hostile_data(keys))
    def run(changes: dict[str, str]) -> None:
        send(client, "post", target, {**base, **changes})

    run()


ADMIN_ACTIONS = [
    ("sales/order", "cancel"),
    ("sales/quote", "mark_expired"),
    ("sales/invoice", "mark_paid"),
    ("accounts/account", "delete_selected"),
]


@FUZZ
@given(
    target=st.sampled_from(ADMIN_ACTIONS),
    selected=st.lists(hostile, max_size=3),
    index=st.one_of(st.just("0"), hostile),
)
def test_fuzz_admin_actions(client, admin_user, target, selected, index):
    client.force_login(admin_user)
    model, action = target
    data = {"action": action, "index": index, "_selected_action": selected}
    send(client, "post", f"/admin/{model}/", data)
