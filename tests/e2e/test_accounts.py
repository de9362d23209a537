"""The accounts journey in a real browser: log in, create, add a contact, copy addresses."""

import re

from playwright.sync_api import Page, expect

from accounts.models import Account, Address
from tests.accounts.factories import (
    AccountFactory,
    IndustryFactory,
    relationship_type,
    visit_update,
)
from tests.e2e.conftest import ARTIFACTS, log_in, screenshot

APP_BACKGROUND = "rgb(245, 246, 248)"  # --bg in static/css/app.css


def test_login_accepts_email_or_username_and_the_style_sheet_loads(page: Page, sales_user):
    """A user logs in with their email address or their username; a wrong password is refused."""
    page.goto("/accounts/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/accounts/$"))
    # The page is styled by our own CSS, served by the app (no CDN, DEBUG off).
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == APP_BACKGROUND
    screenshot(page, "login")

    page.get_by_label("Email or username").fill(sales_user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page.get_by_label("Email or username")).to_have_value(sales_user.email)
    screenshot(page, "login-refused")

    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    expect(page.get_by_role("heading", name="Accounts")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    log_in(page, sales_user.username)
    expect(page.get_by_role("heading", name="Accounts")).to_be_visible()


def test_create_an_account_with_plus_then_add_a_contact(page: Page, sales_user):
    """A sales user creates an account from the list and adds its first contact."""
    IndustryFactory(name="_Software")
    log_in(page, sales_user.email)
    page.goto("/accounts/")
    page.get_by_role("link", name="New account").click()
    expect(page.get_by_role("heading", name="New account")).to_be_visible()

    page.get_by_label("Name").fill("Brabant Bouw B.V.")
    page.get_by_label("Relationship type").select_option(label="Prospect")
    page.get_by_label("Industry").select_option(label="_Software")
    page.locator("#id_visit-street").fill("Kastanjelaan 12")
    page.locator("#id_visit-postal_code").fill("5616 LZ")
    page.locator("#id_visit-city").fill("Eindhoven")
    page.locator("#id_visit-country").select_option("NL")
    screenshot(page, "account-new-filled")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Brabant Bouw B.V.")
    expect(page.get_by_role("status")).to_contain_text("was created")
    visit = page.locator(".address").filter(has_text="Visit address")
    expect(visit).to_contain_text("Kastanjelaan 12")
    expect(visit).to_contain_text("5616 LZ Eindhoven")
    account = Account.objects.get(name="Brabant Bouw B.V.")
    assert page.url.endswith(f"/accounts/{account.pk}/")
    screenshot(page, "account-created")

    page.get_by_role("link", name="Add a contact").click()
    expect(page).to_have_url(re.compile(rf"/accounts/{account.pk}/contacts/new/$"))
    page.get_by_label("First name").fill("Anouk")
    page.get_by_label("Last name").fill("de Vries")
    page.get_by_label("Email").fill("anouk@brabantbouw.example")
    screenshot(page, "contact-new-filled")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/accounts/{account.pk}/$"))
    contacts = page.locator("section", has=page.get_by_role("heading", name="Contacts"))
    expect(contacts.get_by_role("row", name=re.compile("Anouk de Vries"))).to_be_visible()
    expect(contacts).to_contain_text("anouk@brabantbouw.example")
    screenshot(page, "contact-added")


def test_copy_visit_address_to_mailing_address(page: Page, sales_user):
    """The button fills the empty mailing address with the visit address."""
    account = AccountFactory(name="Kempen Logistics")
    log_in(page, sales_user.email)
    page.goto(account.get_absolute_url())
    mailing = page.locator(".address").filter(has_text="Mailing address")
    expect(mailing).to_contain_text("Not filled in.")
    screenshot(page, "copy-before")

    page.get_by_role("button", name="Copy visit address to mailing address").click()
    expect(page.get_by_role("status")).to_contain_text("copied to the mailing address")
    expect(mailing).to_contain_text("Kastanjelaan 12")
    expect(mailing).to_contain_text("5616 LZ Eindhoven")
    expect(mailing).not_to_contain_text("Not filled in.")
    screenshot(page, "copy-after")

    # With a mailing address to lose, the button asks first; dismissing keeps it.
    Address.objects.filter(account=account, kind=Address.Kind.MAILING).update(street="Postbus 90")
    page.reload()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Copy visit address to mailing address").click()
    expect(mailing).to_contain_text("Postbus 90")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Copy visit address to mailing address").click()
    expect(mailing).to_contain_text("Kastanjelaan 12")


def test_bad_input_shows_errors_and_keeps_what_was_typed(page: Page, sales_user):
    """An empty name and a bad email are refused with messages; nothing typed is lost."""
    IndustryFactory(name="_Software")
    log_in(page, sales_user.email)
    page.goto("/accounts/new/")
    page.get_by_label("Email").fill("info-at-example")
    page.get_by_label("Industry").select_option(label="_Software")
    page.locator("#id_visit-street").fill("Markt 1")
    page.locator("#id_visit-city").fill("Tilburg")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="New account")).to_be_visible()
    name_field = page.locator(".field", has=page.locator("#id_name"))
    expect(name_field).to_contain_text("This field is required.")
    email_field = page.locator(".field", has=page.locator("#id_email"))
    expect(email_field).to_contain_text("Enter a valid email address.")
    expect(page.get_by_label("Email")).to_have_value("info-at-example")
    expect(page.get_by_label("Industry")).to_have_value(re.compile(r"\d+"))
    expect(page.locator("#id_visit-street")).to_have_value("Markt 1")
    expect(page.locator("#id_visit-city")).to_have_value("Tilburg")
    assert not Account.objects.exists()
    screenshot(page, "account-new-errors")


def test_credit_fields_are_read_only_for_sales_and_open_to_accounting(
    page: Page, sales_user, accounting_user
):
    """Sales sees the credit limit and hold but cannot change them; Accounting can."""
    account = AccountFactory(name="Peel Metaal")
    log_in(page, sales_user.email)
    page.goto(f"/accounts/{account.pk}/edit/")
    expect(page.get_by_label("Credit limit")).to_be_disabled()
    expect(page.get_by_label("Credit hold", exact=True)).to_be_disabled()
    expect(page.get_by_label("Reason for the credit hold")).to_be_disabled()
    expect(page.get_by_text("Only Accounting may change the credit limit.")).to_be_visible()
    screenshot(page, "credit-read-only-for-sales")

    page.get_by_role("button", name="Log out").click()
    log_in(page, accounting_user.email)
    page.goto(f"/accounts/{account.pk}/edit/")
    page.get_by_label("Credit limit").fill("25000")
    page.get_by_role("button", name="Save").click()
    credit = page.locator("section", has=page.get_by_role("heading", name="Credit"))
    expect(credit).to_contain_text("25,000.00")
    # The history shows the amount as every page does, with its currency.
    expect(credit.get_by_role("row").filter(has_text="€25,000.00")).to_have_count(1)
    screenshot(page, "credit-changed-by-accounting")


def test_crm4_button_copies_the_record_url(page: Page, sales_user, settings):
    """The CRM4 tab's button puts the old record's URL on the clipboard."""
    account = AccountFactory(name="Maas Trading", crm4_id="{1A2B-3C4D}")
    log_in(page, sales_user.email)
    page.goto(account.get_absolute_url())
    crm4 = page.locator("section", has=page.get_by_role("heading", name="CRM4"))
    crm4.get_by_role("button", name="Copy to clipboard").click()
    expect(crm4.get_by_role("status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == account.crm4_url
    assert account.crm4_url == settings.CRM4_RECORD_URL.format(id="%7B1A2B-3C4D%7D")
    screenshot(page, "crm4-copied")


def test_the_console_watch_catches_a_csp_violation(page: Page, sales_user, console_problems):
    """The guard every browser test relies on: an inline script is refused and reported."""
    log_in(page, sales_user.email)
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.inlineRan = true";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("window.inlineRan") is None
    assert any("Content Security Policy" in problem for problem in console_problems)
    console_problems.clear()  # expected here; in any other test it fails the test


# The text of each matching cell, with how many lines the browser laid it out on.
CELL_LINES_JS = """(selector) => [...document.querySelectorAll(selector)].map((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
  return [cell.textContent.trim(), tops.size];
})"""


def test_account_list_keeps_type_words_whole_and_wraps_long_names(page: Page, sales_user):
    """At 1280px no relationship type splits mid-word; an unbroken name wraps inside the table."""
    long_name = "Noord" + "brabantsche" * 8 + "Handelsmaatschappij"
    for code in ["competitor", "consultancy", "customer", "influencer", "reseller"]:
        AccountFactory(name=f"Kempen {code}", relationship_type=relationship_type(code))
    AccountFactory(name=long_name)
    log_in(page, sales_user.email)
    page.goto("/accounts/")
    expect(page.get_by_role("link", name=long_name, exact=True)).to_be_visible()

    type_column = 4
    lines = page.evaluate(CELL_LINES_JS, f".table tbody td:nth-child({type_column})")
    assert len(lines) == 6
    assert all(count == 1 for _, count in lines), lines
    table = page.locator(".table").bounding_box()
    content = page.locator(".content").bounding_box()
    assert table["x"] + table["width"] <= content["x"] + content["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "account-list-1280")


def test_the_parent_box_tells_namesakes_apart_by_city(page: Page, sales_user):
    """Two accounts are called "Holding": the suggestions show their cities, and the one
    clicked is the parent saved, by its id. The edit page shows its name, never a number."""
    AccountFactory(name="Holding", visit__city="Tilburg")
    utrecht = AccountFactory(name="Holding", visit__city="Utrecht")
    account = AccountFactory(name="Brabant Bouw B.V.")
    log_in(page, sales_user.username)
    page.goto(f"/accounts/{account.pk}/edit/")

    box = page.get_by_label("Parent account")
    box.press_sequentially("Hold")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.locator(".city")).to_have_text(["Tilburg", "Utrecht"])
    options.filter(has_text="Utrecht").click()
    expect(box).to_have_value("Holding")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Brabant Bouw B.V.")
    account.refresh_from_db()
    assert account.parent == utrecht
    page.goto(f"/accounts/{account.pk}/edit/")
    expect(page.get_by_label("Parent account")).to_have_value("Holding")
    expect(page.locator("#id_parent_id")).to_have_value(str(utrecht.pk))


def test_the_plus_floats_in_the_lower_right_corner(page: Page, sales_user):
    """The seed: "click on the plus in the lower right corner". It stays there while the list
    scrolls, is reached with the keyboard, and never covers the pagination on a phone."""
    industry = IndustryFactory(name="_Software")
    for n in range(30):  # more than one page of 25
        AccountFactory(name=f"Corner Company {n:02}", industry=industry)
    log_in(page, sales_user.email)

    for width, height in ((1280, 800), (375, 667)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/accounts/")
        plus = page.get_by_role("link", name="New account")
        expect(plus).to_be_visible()
        box = plus.bounding_box()
        assert box["x"] > width / 2 and box["y"] > height / 2, (width, box)
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
        # What the user sees without scrolling: the "+" in the corner of the window.
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"account-list-plus-{width}-window.png"))

        # Scrolled to the end, the pagination sits above the button, not under it.
        page.keyboard.press("End")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        pages = page.get_by_role("navigation", name="Pages").bounding_box()
        box = plus.bounding_box()
        assert pages["y"] + pages["height"] <= box["y"], (width, pages, box)
        screenshot(page, f"account-list-plus-{width}")

    # Keyboard: Tab reaches it, Enter opens the form.
    page.goto("/accounts/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "New account":
            break
    else:
        raise AssertionError("Tab never reached the New account button.")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New account")).to_be_visible()
    expect(page.get_by_label("Relationship type")).to_have_value(
        str(relationship_type("prospect").pk)
    )
    # What the chosen type means, under the select, follows the choice.
    meaning = page.locator("#id_relationship_type_helptext")
    expect(meaning).to_have_text(relationship_type("prospect").description)
    # The server writes the first meaning; the page's script follows the choice once it has
    # run (it marks the line aria-live): a choice made before that would go unheard.
    expect(meaning).to_have_attribute("aria-live", "polite")
    page.get_by_label("Relationship type").select_option(label="Customer")
    expect(meaning).to_have_text(relationship_type("customer").description)
    page.get_by_text("What do the types mean?").click()
    screenshot(page, "account-new-type-meanings")


def test_search_without_accents_then_sort_by_a_column_header(page: Page, sales_user):
    """ "koln" finds Köln; the City header sorts (▲ and aria-sort), and again the other way,
    keeping the search; accounts without a city come last."""
    for name, city in [("Rhein Logistik", "Köln"), ("Dom Bau", "Köln"), ("Keine Stadt", "")]:
        visit_update(AccountFactory(name=name, email=""), city=city, country="DE")
    AccountFactory(name="Elsewhere", email="")
    log_in(page, sales_user.email)
    page.goto("/accounts/")
    page.get_by_label("Search").fill("koln")
    page.get_by_role("button", name="Apply").click()
    names = page.locator("[data-testid=account-list] tbody tr td:first-child")
    expect(names).to_have_text(["Dom Bau", "Rhein Logistik"])

    page.get_by_label("Search").fill("")
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("link", name="City").click()
    city = page.get_by_role("columnheader", name="City")
    expect(city).to_have_attribute("aria-sort", "ascending")
    expect(names.last).to_have_text("Keine Stadt")
    screenshot(page, "account-list-sorted-by-city")
    page.get_by_role("link", name="City").click()
    expect(city).to_have_attribute("aria-sort", "descending")
    # Köln before Eindhoven; the two in Köln by name, reversed with the whole order.
    expect(names).to_have_text(["Rhein Logistik", "Dom Bau", "Elsewhere", "Keine Stadt"])
