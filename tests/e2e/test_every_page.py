"""Every page of the app on a phone (390x844) and a desktop (1366x900): nothing scrolls sideways,
and axe-core finds no serious or critical accessibility problem."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import axe_playwright_python
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sales.models import Order
from tests.accounts.factories import AddressFactory, ContactFactory
from tests.activities.factories import ActivityFactory
from tests.e2e.conftest import log_in, screenshot
from tests.e2e.test_map import serve_grey_tiles
from tests.maps.factories import EINDHOVEN, located_account, point_north_of
from tests.sales.factories import (
    ApprovalFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    QuoteFactory,
    QuoteLineFactory,
)
from tests.users.factories import UserFactory

# axe-core as the PyPI package ships it: read from disk and evaluated in the page, never fetched.
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
# The buttons the pages are driven with, by language: Dutch words are longer, so the phone is
# checked in Dutch too.
BUTTONS = {
    "en": {"update map": "Update map", "save": "Save"},
    "nl": {"update map": "Kaart bijwerken", "save": "Opslaan"},
}
LONG_NAME = "Installatiebedrijf Gebroeders Van Den Heuvel-Vermeulen Zonwering B.V."
BLOCKING = ("serious", "critical")

AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}"""


def axe_problems(page: Page, console_problems: list[str]) -> list[str]:
    """The serious and critical axe-core violations on the page, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    before = len(console_problems)
    violations = page.evaluate(AXE_RUN_JS)
    # axe's own probes set inline styles, which our CSP refuses: those reports are axe's, not ours.
    console_problems[before:] = [
        text for text in console_problems[before:] if "Applying inline style" not in text
    ]
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def sideways_overflow(page: Page) -> int:
    """How many pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def too_wide(page: Page) -> list[str]:
    """The innermost elements that reach past the viewport's right edge, to say what to fix."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.body.querySelectorAll("*")].filter(
            (e) => e.getBoundingClientRect().right > width + 1);
          return wide.filter((e) => !wide.some((o) => o !== e && e.contains(o))).slice(0, 3)
            .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
        }"""
    )


def app_pages(
    admin_user, language: str = "en"
) -> list[tuple[str, str, Callable[[Page], None] | None]]:
    """Every page of the app (name, address, what to do before checking), with data on each."""
    account = located_account(
        name=LONG_NAME,
        type_code="customer",
        credit_limit=Decimal("5000.00"),
        crm4_id="A1-B2",
        owner=admin_user,
    )
    AddressFactory(account=account, name="Shipping", street="Havenstraat 1", city="Eindhoven")
    contact = ContactFactory(account=account, first_name="Anouk", last_name="de Vries-Janssen")
    for km, type_code in ((5, "customer"), (6, "prospect"), (7, "customer"), (30, "supplier")):
        located_account(at=point_north_of(*EINDHOVEN, km), type_code=type_code)
    quote = QuoteFactory(customer=account)
    QuoteLineFactory(quote=quote, description="Zonnepanelen op het dak van het magazijn")
    order = OrderFactory(
        customer=account, status=Order.Status.PENDING_APPROVAL, total=Decimal("12100.00")
    )
    OrderLineFactory(order=order, quantity=Decimal("12"), unit_price=Decimal("841.67"))
    decided = OrderFactory(customer=account)
    ApprovalFactory(order=decided, decided_by=admin_user)
    OrderFactory(customer=account, status=Order.Status.AWAITING_PREPAYMENT, prepaid=True)
    invoice = InvoiceFactory(order__customer=account)
    address = account.addresses.first()
    colleague = UserFactory(username="colleague", groups=["Sales"])
    call = ActivityFactory(
        account=account,
        contact=contact,
        kind="call",
        subject="Asked about the delivery of the panels for the warehouse roof",
        created_by=admin_user,
    )
    ActivityFactory(
        account=account, kind="task", subject="Send a revised quote", assigned_to=admin_user
    )
    # Pasted links wrap instead of widening the timeline.
    long_link = "https://example.com/search?q=" + "warehouseroofpanels" * 12
    ActivityFactory(account=account, subject=long_link[:200], body=long_link * 3)

    def update_map(page: Page) -> None:
        page.get_by_role("button", name=BUTTONS[language]["update map"]).click()
        expect(page.locator(".map-status")).to_contain_text("50 km")

    def refuse_form(page: Page) -> None:
        page.get_by_role("button", name=BUTTONS[language]["save"]).click()
        expect(page.locator(".error-summary")).to_be_focused()

    return [
        ("account list", reverse("accounts:list"), None),
        ("account list filtered", reverse("accounts:list") + "?q=heuvel", None),
        ("account", reverse("accounts:detail", args=[account.pk]), None),
        ("account new", reverse("accounts:create"), None),
        ("account new refused", reverse("accounts:create"), refuse_form),
        ("account edit", reverse("accounts:update", args=[account.pk]), None),
        ("account delete", reverse("accounts:delete", args=[account.pk]), None),
        ("address new", reverse("accounts:address_create", args=[account.pk]), None),
        ("address edit", reverse("accounts:address_update", args=[address.pk]), None),
        ("contact new", reverse("accounts:contact_create", args=[account.pk]), None),
        ("contact edit", reverse("accounts:contact_update", args=[contact.pk]), None),
        ("contacts", reverse("accounts:contact_list"), None),
        ("my work", reverse("activities:my_work"), None),
        ("activity new", reverse("activities:create", args=[account.pk]), None),
        ("activity edit", reverse("activities:update", args=[call.pk]), None),
        ("account map", reverse("maps:account_map", args=[account.pk]), update_map),
        ("map overview", reverse("maps:overview"), None),
        ("quote list", reverse("sales:quote_list"), None),
        ("quote", reverse("sales:quote_detail", args=[quote.pk]), None),
        ("quote new", reverse("sales:quote_create"), None),
        ("quote edit", reverse("sales:quote_update", args=[quote.pk]), None),
        ("order list", reverse("sales:order_list"), None),
        ("order", reverse("sales:order_detail", args=[order.pk]), None),
        ("order new", reverse("sales:order_create"), None),
        ("approvals", reverse("sales:approval_list"), None),
        ("invoice list", reverse("sales:invoice_list"), None),
        ("invoice", reverse("sales:invoice_detail", args=[invoice.pk]), None),
        ("users", reverse("users:list"), None),
        ("user crm account", reverse("users:crm_account", args=[colleague.pk]), None),
        ("not found", "/no-such-page/", None),
        ("logout page", reverse("logout"), None),
        ("admin", reverse("admin:index"), None),
        ("admin accounts", reverse("admin:accounts_account_changelist"), None),
        ("admin account", reverse("admin:accounts_account_change", args=[account.pk]), None),
        ("admin account add", reverse("admin:accounts_account_add"), None),
        ("admin import", reverse("admin:accounts_account_import"), None),
        ("admin export", reverse("admin:accounts_account_export"), None),
        ("admin user", reverse("admin:users_user_change", args=[colleague.pk]), None),
        ("admin types", reverse("admin:accounts_relationshiptype_changelist"), None),
        ("admin activities", reverse("admin:activities_activity_changelist"), None),
    ]


@pytest.mark.parametrize(
    ("size", "language"), [("phone", "en"), ("desktop", "en"), ("phone", "nl")]
)
def test_every_page_fits_the_screen_and_passes_axe(
    page: Page, admin_user, console_problems: list[str], size: str, language: str
):
    """On a phone and a desktop, in English and (on the phone) in Dutch, no page scrolls
    sideways and axe-core reports no serious or critical violation; each page is kept as a
    screenshot to look at."""
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    problems: list[str] = []

    def check(name: str) -> None:
        screenshot(page, f"every-page-{size}-{language}-{name}")
        if overflow := sideways_overflow(page):
            problems.append(
                f"{name} ({page.url}): {overflow} px wider than the screen: {too_wide(page)}"
            )
        problems.extend(
            f"{name} ({page.url}): {problem}" for problem in axe_problems(page, console_problems)
        )

    serve_grey_tiles(page)
    page.goto(reverse("login"))
    check("login")
    pages = app_pages(admin_user, language)
    # log_in waits for the Log out button, which a phone keeps behind the Menu button.
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, admin_user.username)
    admin_user.language = language  # the user's choice, from the next page on
    admin_user.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": height})
    for name, url, prepare in pages:
        page.goto(url)
        if prepare:
            prepare(page)
        check(name)
    # The browser reports the 404 status of the not-found page itself; that one is expected.
    console_problems[:] = [text for text in console_problems if "status of 404" not in text]
    assert not problems, "\n".join(problems)
