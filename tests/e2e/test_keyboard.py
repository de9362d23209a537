"""Keyboard only: a refused account form and its error summary, and the map's controls and
clusters, on a desktop and on a phone (where the menu folds behind its button)."""

import re

from playwright.sync_api import Page, expect

from accounts.models import Account
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.e2e.conftest import log_in, screenshot
from tests.e2e.test_map import map_drawn, serve_grey_tiles
from tests.maps.factories import EINDHOVEN, located_account, point_north_of

ZOOM_JS = "() => window.crmMap.drawn[window.crmMap.drawn.length - 1].map.getZoom()"
# Leaflet ignores zoom buttons while a zoom animates (its map pane has this class meanwhile).
SETTLED_JS = "() => document.querySelector('.leaflet-zoom-anim') === null"


def tab_to(page: Page, selector: str, most: int = 40) -> None:
    """Press Tab until the focus is on the element matching `selector`, as a person would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_refused_account_form_by_keyboard(page: Page, sales_user):
    """Saved empty, the form comes back with the focus on its error summary; a link there puts
    the focus in its field, and the account is then saved without the mouse."""
    IndustryFactory(name="_Software")
    log_in(page, sales_user.username)
    page.goto("/accounts/new/")
    page.get_by_label("Name").focus()
    page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_contain_text("This form was not saved")
    screenshot(page, "keyboard-error-summary")
    page.keyboard.press("Tab")
    name_link = summary.get_by_role("link", name=re.compile(r"^Name: "))
    expect(name_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name")).to_be_focused()
    page.keyboard.type("Toetsenbord B.V.")

    tab_to(page, "#id_industry")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_industry option:checked")).to_have_text("_Software")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Toetsenbord B.V.")
    assert Account.objects.filter(name="Toetsenbord B.V.").exists()


def test_a_refused_inline_form_takes_the_focus_to_its_field(page: Page, accounting_user):
    """On a phone, "Put on credit hold" without a reason: the page comes back with the focus
    (and the view) on the reason and its error, not at the top of a long page."""
    account = AccountFactory(name="Zonder Reden B.V.")
    log_in(page, accounting_user.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/accounts/{account.pk}/")
    page.get_by_text("Put on credit hold…").click()
    page.get_by_role("button", name="Put on credit hold", exact=True).click()
    reason = page.get_by_label("Reason")
    expect(reason).to_be_focused()
    expect(reason).to_be_in_viewport()
    expect(reason).to_have_attribute("aria-invalid", "true")
    screenshot(page, "keyboard-inline-form-refused-phone")


def test_the_phone_menu_by_keyboard(page: Page, sales_user):
    """On a phone the first screen is the page; Menu opens the links and Escape closes them."""
    log_in(page, sales_user.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/")
    menu = page.get_by_role("button", name="Menu")
    links = page.locator("#main-menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()
    expect(page.get_by_role("heading", name="Accounts")).to_be_in_viewport()
    tab_to(page, ".menu-toggle")
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(links.get_by_role("link", name="Quotes")).to_be_visible()
    # The user's row: "Log out" and the other language on one line.
    log_out_box = page.get_by_role("button", name="Log out").bounding_box()
    language_box = page.locator(".whoami .language-switcher button").bounding_box()
    assert abs(log_out_box["y"] - language_box["y"]) < 2, (log_out_box, language_box)
    screenshot(page, "keyboard-phone-menu-open")
    page.keyboard.press("Tab")
    expect(links.get_by_role("link", name="My work")).to_be_focused()
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()
    expect(menu).to_be_focused()
    # Opened and closed again without leaving the button.
    page.keyboard.press("Enter")
    expect(links).to_be_visible()
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")


def test_map_clusters_and_controls_by_keyboard(page: Page, sales_user):
    """A cluster is reached with Tab and says what it holds; Enter on it opens it up. The zoom
    buttons act on Enter by one step, and keys pressed elsewhere never move the map."""
    centre = located_account(name="Midden", type_code="customer")
    for km, type_code in ((20.0, "customer"), (20.2, "customer"), (20.4, "prospect")):
        located_account(at=point_north_of(*EINDHOVEN, km), type_code=type_code)
    serve_grey_tiles(page)
    log_in(page, sales_user.username)
    page.goto(f"/accounts/{centre.pk}/map/")
    page.get_by_role("button", name="Update map").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("map-status")).to_contain_text("within 50 km")
    map_drawn(page)
    zoom = page.evaluate(ZOOM_JS)

    # Keys typed into the form are the form's: the map stays where it is.
    page.get_by_label("Radius").focus()
    for key in ("+", "-", "ArrowLeft", "ArrowUp"):
        page.keyboard.press(key)
    assert page.evaluate(ZOOM_JS) == zoom

    zoom_in = page.locator(".leaflet-control-zoom-in")
    tab_to(page, ".leaflet-control-zoom-in")
    page.keyboard.press("Enter")
    expect(zoom_in).to_be_focused()
    page.wait_for_function(f"() => ({ZOOM_JS})() === {zoom + 1} && ({SETTLED_JS})()")
    page.get_by_label("Radius").focus()
    page.locator(".leaflet-control-zoom-out").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({ZOOM_JS})() === {zoom} && ({SETTLED_JS})()")

    tab_to(page, ".map-cluster")
    cluster = page.locator(".map-cluster:focus")
    expect(cluster).to_have_attribute("aria-label", "3 accounts: 2 customers, 1 not a customer")
    expect(cluster).to_have_attribute("role", "button")
    screenshot(page, "keyboard-map-cluster-focused")
    page.keyboard.press("Enter")
    # Opened up: the cluster's own pins are drawn (zoomed in, or spread around it).
    expect(page.locator(".map-pin-green, .map-pin-red")).to_have_count(3)
    screenshot(page, "keyboard-map-cluster-opened")
