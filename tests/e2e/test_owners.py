"""Browser journeys: whose account it is, making an account inactive and active again, and the
contacts across accounts."""

from playwright.sync_api import Page, expect

from tests.accounts.factories import AccountFactory, ContactFactory
from tests.e2e.conftest import log_in, screenshot
from tests.users.factories import UserFactory


def test_sales_sets_the_owner_and_finds_it_under_my_accounts(page: Page, sales_user):
    UserFactory(username="bram", first_name="Bram", last_name="Smit", groups=["Sales"])
    account = AccountFactory(name="Kempen Logistics")
    AccountFactory(name="Someone Else's Account")
    log_in(page, sales_user.email)
    page.goto(account.get_absolute_url())
    owner = page.locator("span[data-owner]")
    expect(owner).to_have_text("Nobody")

    page.get_by_text("Change the owner…").click()
    page.get_by_label("Owner").select_option(label=str(sales_user))
    screenshot(page, "owner-choosing")
    page.get_by_role("button", name="Save the owner").click()
    expect(page.get_by_role("status")).to_contain_text("owns “Kempen Logistics” now")
    expect(owner).to_have_text(str(sales_user))
    screenshot(page, "owner-set")

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Accounts").click()
    page.locator("#id_owner").select_option(label="My accounts")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").first).to_have_text("Kempen Logistics")
    expect(rows.first.locator("td[data-owner]")).to_have_text(str(sales_user))
    screenshot(page, "owner-my-accounts")


def test_management_makes_an_account_inactive_and_active_again(page: Page, management_user):
    account = AccountFactory(name="Old Customer")
    AccountFactory(name="Trading Customer")
    log_in(page, management_user.email)
    page.goto(account.get_absolute_url())

    # The question comes first; dismissing it changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Make inactive…").click()
    expect(page.locator("span[data-status]")).to_have_text("Active")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make inactive…").click()
    expect(page.get_by_role("status")).to_contain_text("“Old Customer” is inactive")
    expect(page.locator("span[data-status]")).to_have_text("Inactive: no longer trades")
    expect(page.locator("h1 [data-inactive]")).to_be_visible()
    screenshot(page, "account-inactive")

    page.goto("/accounts/")
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).not_to_contain_text("Old Customer")
    page.locator("#id_status").select_option(label="Inactive")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text("Old Customer")
    screenshot(page, "account-list-inactive")

    page.get_by_role("link", name="Old Customer").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make active again…").click()
    expect(page.get_by_role("status")).to_contain_text("is active again")
    expect(page.locator("span[data-status]")).to_have_text("Active")
    screenshot(page, "account-active-again")


def test_the_contacts_list_finds_a_contact_by_account_and_phone(page: Page, accounting_user):
    ContactFactory(
        first_name="Eva",
        last_name="Vos",
        phone="+31 40 123 4567",
        account=AccountFactory(name="Acme Panels"),
        is_primary=True,
    )
    ContactFactory(first_name="Bo", last_name="Aalders", account=AccountFactory(name="Beta Steel"))
    log_in(page, accounting_user.email)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Contacts").click()
    rows = page.locator("table[data-contacts] tbody tr")
    expect(rows).to_have_count(2)
    screenshot(page, "contacts-list")

    page.get_by_label("Search").fill("acme")
    page.get_by_label("Search").press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Eva Vos")
    expect(rows.first).to_contain_text("Primary")

    page.get_by_label("Search").fill("123 4567")
    page.get_by_label("Search").press("Enter")
    expect(rows).to_have_count(1)
    phone = rows.first.get_by_role("link", name="+31 40 123 4567")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert phone.bounding_box()["height"] < 2 * size  # one line, not "+31 40 / 123 / 4567"
    rows.first.get_by_role("link", name="Acme Panels").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acme Panels")
    screenshot(page, "contacts-to-account")

    page.go_back()
    page.wait_for_load_state()
    rows.first.get_by_role("link", name="Eva Vos").click()
    page.wait_for_load_state()
    expect(page.locator("tr:target")).to_contain_text("Eva Vos")
    screenshot(page, "contacts-to-contact")
