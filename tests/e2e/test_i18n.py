"""The interface in Dutch, end to end: a browser that asks for Dutch gets it, amounts are read
and shown the Dutch way, and the switcher on the page changes the language."""

from playwright.sync_api import Page, expect

from tests.accounts.factories import AccountFactory
from tests.e2e.conftest import PASSWORD, screenshot

DUTCH_BROWSER = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}


def test_a_dutch_browser_gets_dutch_reads_dutch_amounts_and_can_switch_to_english(
    page: Page, accounting_user
):
    """Accounting, whose browser asks for Dutch, logs in, types "1.234,56" as the credit limit,
    sees it shown back as "€ 1.234,56", then chooses English from the page."""
    account = AccountFactory(name="Peel Metaal", credit_limit=None)
    page.set_extra_http_headers(DUTCH_BROWSER)

    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij het CRM")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_label("E-mail of gebruikersnaam").fill(accounting_user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    screenshot(page, "i18n-login-nl")
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_contain_text("Offertes")
    page.goto(f"/accounts/{account.pk}/edit/")
    page.get_by_label("Kredietlimiet").fill("1.234,56")
    screenshot(page, "i18n-account-edit-nl")
    page.get_by_role("button", name="Opslaan").click()

    credit = page.locator("section", has=page.get_by_role("heading", name="Krediet"))
    expect(credit.locator("[data-credit-limit]")).to_have_text("€\u00a01.234,56")
    expect(credit.get_by_role("row").filter(has_text="€\u00a01.234,56")).to_have_count(1)
    account.refresh_from_db()
    assert str(account.credit_limit) == "1234.56"
    screenshot(page, "i18n-account-nl")

    # The form shows the stored amount back the Dutch way.
    page.goto(f"/accounts/{account.pk}/edit/")
    expect(page.get_by_label("Kredietlimiet")).to_have_value("1.234,56")

    page.goto(f"/accounts/{account.pk}/")
    page.get_by_role("button", name="English").click()
    credit = page.locator("section", has=page.get_by_role("heading", name="Credit"))
    expect(credit.locator("[data-credit-limit]")).to_have_text("€1,234.56")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Quotes")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    screenshot(page, "i18n-account-en")

    # The choice is the user's: it wins over the browser's Dutch on the next page too.
    accounting_user.refresh_from_db()
    assert accounting_user.language == "en-gb"
    page.goto("/accounts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
